"""This PC's access policy: how long the screen may stay idle before it locks (lock-out limits are fixed rules)."""

from __future__ import annotations

from desktop_app.domain import access
from desktop_app.domain.errors import ValidationError
from desktop_app.services.auth.actor import require
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.store.models_access import AccessSetting
from desktop_app.views.users import Policy

_IDLE_KEY = "idle_lock_minutes"


def policy(db: Database) -> Policy:
    """The idle-lock time set on this database (the default when unset or out of range)."""
    with db.session() as s:
        row = s.get(AccessSetting, _IDLE_KEY)
    try:
        minutes = access.check_idle_minutes(int(row.value)) if row else access.DEFAULT_IDLE_MINUTES
    except (ValueError, ValidationError):
        minutes = access.DEFAULT_IDLE_MINUTES
    return Policy(idle_minutes=minutes)


def set_idle_minutes(db: Database, minutes: int) -> Policy:
    require(db, "users.manage")
    minutes = access.check_idle_minutes(minutes)
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.get(AccessSetting, _IDLE_KEY)
        old = row.value if row else str(access.DEFAULT_IDLE_MINUTES)
        if row is None:
            s.add(AccessSetting(key=_IDLE_KEY, value=str(minutes)))
        else:
            row.value = str(minutes)
        audit.record(s, "setting", "access_setting", _IDLE_KEY, "修改自动锁定时间", label="自动锁定（分钟）",
                     before={"idle_lock_minutes": old}, after={"idle_lock_minutes": str(minutes)})
        uow.commit()
    return policy(db)
