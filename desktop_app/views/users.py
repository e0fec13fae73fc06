"""Accounts and this PC's access policy as plain data: what the users page and the command line show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from desktop_app.domain import access
from desktop_app.domain.access import Role


@dataclass(frozen=True)
class UserInfo:
    id: str
    login: str
    display_name: str
    role: str
    grid_ids: tuple[str, ...]
    grid_names: tuple[str, ...]
    active: bool
    locked_until: datetime | None  # UTC; None or past = not locked
    must_change_password: bool
    last_login_at: datetime | None  # UTC
    org_id: str = ""  # the organisation whose subtree alone the account sees ("": the whole database)
    org_name: str = ""

    @property
    def role_label(self) -> str:
        return access.ROLE_LABELS[Role(self.role)]

    def locked(self, now: datetime | None = None) -> bool:
        return access.is_locked(self.locked_until, now or datetime.now(timezone.utc).replace(tzinfo=None))

    def state_label(self, now: datetime | None = None) -> str:
        if not self.active:
            return "已停用"
        return "已锁定" if self.locked(now) else "正常"


@dataclass(frozen=True)
class Policy:
    idle_minutes: int = access.DEFAULT_IDLE_MINUTES
    max_failures: int = access.MAX_FAILURES
    lockout_minutes: int = access.LOCKOUT_MINUTES
