"""Accounts, passwords, log-in with lock-out, and the acting person every service checks.

Passwords are hashed with scrypt (memory-hard, in the standard library); the
salt and parameters are stored with the hash, so stronger parameters later
re-hash a password at its next log-in. A password is never stored or logged.

The actor: one per Database object in this process (the GUI's log-in sets it,
the command line sets SYSTEM). Services call

    auth.require(db, "members.write")                  # may the actor do this at all?
    auth.require(db, "residents.write", grid_id=r.grid_id)   # ... on this grid's row?
    q = q.where(auth.scoped(db, "residents.read", Resident.grid_id))   # lists: only visible rows

and get PermissionDenied, a DomainError with a plain message, when not.
A database with no accounts yet behaves as before accounts existed: everyone
is administrator (actor OPEN), until the first administrator is created.

The command line (`cli_actor`): whoever holds the database file holds the
data — it is an ordinary SQLite file any SQLite tool can read — so a password
on `dangqun` would protect nothing and would break scheduled backups and
imports. The CLI acts as SYSTEM (administrator rights, named 命令行 in the
audit trail); `--user NAME` logs in as that account instead, so a person can
sign what they do from the command line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import false, func, select, true
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import access
from desktop_app.domain.access import OPEN, SYSTEM, Actor, ActorKind, Role
from desktop_app.domain.errors import Conflict, DomainError, NotFound, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_access import AccessSetting, User

__all__ = [
    "Actor", "SYSTEM", "OPEN", "PermissionDenied", "LoginFailed", "AccountLocked", "UserInfo",
    "Policy", "set_actor", "current_actor", "require", "can", "scope", "scoped", "has_users",
    "create_first_admin", "login", "logout", "lock_session", "cli_actor", "change_password",
    "list_users", "find_user", "grid_choices", "create_user", "update_user", "reset_password", "unlock_user", "set_active",
    "policy", "set_idle_minutes", "hash_password", "verify_password",
]


class PermissionDenied(DomainError):
    """The acting person may not do this (or is not logged in)."""

    def __init__(self, message: str, permission: str = ""):
        super().__init__(message)
        self.permission = permission


class LoginFailed(DomainError):
    pass


class AccountLocked(LoginFailed):
    def __init__(self, message: str, until: datetime | None):
        super().__init__(message)
        self.until = until


# ---------------------------------------------------------------- password hashing

# scrypt with N=2^15, r=8, p=1 needs 32 MiB and about 0.4 s on a slow 2-core PC:
# costly for a guesser with a stolen file, tolerable once per log-in.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN, SALT_LEN = 2**15, 8, 1, 32, 16


def _params_text(n: int, r: int, p: int, length: int) -> str:
    return f"scrypt:n={n},r={r},p={p},len={length}"


def _parse_params(text: str) -> tuple[int, int, int, int]:
    kind, _, rest = text.partition(":")
    if kind != "scrypt":
        raise ValueError(f"unknown password scheme {kind!r}")
    values = dict(part.split("=", 1) for part in rest.split(","))
    return int(values["n"]), int(values["r"]), int(values["p"]), int(values["len"])


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # maxmem: OpenSSL refuses above 32 MiB by default; allow the parameters' need plus room.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def hash_password(password: str) -> tuple[str, str, str]:
    """(hash, salt, params), base64 and text, ready to store. The password itself is not kept."""
    salt = os.urandom(SALT_LEN)
    key = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN)
    return (base64.b64encode(key).decode("ascii"), base64.b64encode(salt).decode("ascii"),
            _params_text(SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN))


def verify_password(password: str, stored_hash: str, salt: str, params: str) -> bool:
    try:
        n, r, p, length = _parse_params(params)
        expected = base64.b64decode(stored_hash)
        key = _derive(password, base64.b64decode(salt), n, r, p, length)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(key, expected)


def _outdated(params: str) -> bool:
    try:
        n, r, p, length = _parse_params(params)
    except (ValueError, KeyError):
        return True
    return (n, r, p, length) < (SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN)


def _set_password(user: User, password: str, now: datetime) -> None:
    user.password_hash, user.password_salt, user.kdf_params = hash_password(password)
    user.password_changed_at = now


_DUMMY: tuple[str, str, str] | None = None
_NOBODY = Actor("", "", "", Role.VIEWER)  # who a log-in with an unknown name is recorded as


def _burn_time(password: str) -> None:
    """Hash anyway for an unknown name, so timing does not tell which names exist."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password("dummy-password")
    verify_password(password, *_DUMMY)


# ---------------------------------------------------------------- the actor


def has_users(db: Database) -> bool:
    """True once any account exists (accounts are never removed, only deactivated)."""
    if db.has_users:
        return True
    try:
        with db.session() as s:
            found = s.scalar(select(User.id).limit(1)) is not None
    except OperationalError:  # a database older than the accounts table
        return False
    db.has_users = found
    return found


def set_actor(db: Database, actor: Actor | None) -> None:
    """Who acts on `db` in this process from now on (None: nobody; services refuse)."""
    db.actor = actor


def current_actor(db: Database) -> Actor | None:
    actor = db.actor
    if actor is not None and actor.kind != ActorKind.OPEN:
        return actor
    # Everyone is administrator only while no account exists (even if OPEN was set before).
    return None if has_users(db) else OPEN


def _deny(actor: Actor | None, permission: str, message: str | None = None) -> PermissionDenied:
    if actor is None:
        return PermissionDenied("请先登录（屏幕已锁定或尚未登录）", permission)
    what = access.PERMISSIONS[permission]
    return PermissionDenied(
        message or f"当前账户“{actor.name}”（{actor.role_label}）没有“{what}”的权限", permission
    )


def require(db: Database, permission: str, grid_id: str | None | Any = ...) -> Actor:
    """The actor, if they may use `permission` (on a row of grid `grid_id`, when given).

    Pass grid_id for a row that belongs to a grid (resident, household, visit,
    wish); None means the row has no grid, which a 网格员 may not touch.
    """
    actor = current_actor(db)
    if actor is None or not access.allowed(actor.role, permission):
        raise _deny(actor, permission)
    if grid_id is not ... and not access.in_scope(actor.role, actor.grid_ids, permission, grid_id):
        raise _deny(actor, permission, f"“{actor.name}”只能处理本人负责网格的记录（{access.PERMISSIONS[permission]}）")
    return actor


def can(db: Database, permission: str, grid_id: str | None | Any = ...) -> bool:
    """require() as a yes/no, for showing or hiding a button."""
    try:
        require(db, permission, grid_id)
    except PermissionDenied:
        return False
    return True


def scope(db: Database, permission: str) -> frozenset[str] | None:
    """The grids a list must keep to (None: all rows). Raises PermissionDenied like require()."""
    actor = require(db, permission)
    return actor.grid_ids if access.grid_bound(actor.role, permission) else None


def scoped(db: Database, permission: str, grid_column) -> ColumnElement[bool]:
    """A WHERE condition keeping a list to the rows the actor may see (all rows: TRUE)."""
    grids = scope(db, permission)
    if grids is None:
        return true()
    return grid_column.in_(sorted(grids)) if grids else false()


# ---------------------------------------------------------------- accounts as plain data


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

    @property
    def role_label(self) -> str:
        return access.ROLE_LABELS[Role(self.role)]

    def locked(self, now: datetime | None = None) -> bool:
        return access.is_locked(self.locked_until, now or utcnow())

    def state_label(self, now: datetime | None = None) -> str:
        if not self.active:
            return "已停用"
        return "已锁定" if self.locked(now) else "正常"


def _grids(text: str) -> frozenset[str]:
    return frozenset(g for g in (text or "").split(",") if g)


def _info(user: User, names: dict[str, str]) -> UserInfo:
    grids = tuple(sorted(_grids(user.grid_ids), key=lambda g: names.get(g, g)))
    return UserInfo(
        user.id, user.login, user.display_name, user.role, grids,
        tuple(names.get(g, "（已删除的网格）") for g in grids), user.active, user.locked_until,
        user.must_change_password, user.last_login_at,
    )


def _actor(user: User) -> Actor:
    return Actor(user.id, user.login, user.display_name, Role(user.role), _grids(user.grid_ids),
                 ActorKind.USER, user.must_change_password)


def _org_names(s) -> dict[str, str]:
    return dict(s.execute(select(Organization.id, Organization.name)).all())


def _find_login(s, login: str, except_id: str | None = None) -> User | None:
    q = select(User).where(User.deleted.is_(False), func.lower(User.login) == login.lower())
    for user in s.scalars(q):
        if user.id != except_id:
            return user
    return None


def _check_grids(s, role: Role, grid_ids) -> str:
    ids = sorted({g for g in (grid_ids or ()) if g})
    if role != Role.GRID:
        return ""  # only a 网格员 is bound to grids
    if not ids:
        raise ValidationError("负责网格", "网格员至少要负责一个网格")
    for gid in ids:
        org = s.get(Organization, gid)
        if org is None or org.deleted:
            raise ValidationError("负责网格", "所选网格不存在或已删除")
        if org.kind != OrgKind.BRANCH.value:
            raise ValidationError("负责网格", f"“{org.name}”不是网格（党支部）")
    return ",".join(ids)


def _live_user(s, user_id: str) -> User:
    user = s.get(User, user_id)
    if user is None or user.deleted:
        raise NotFound("该用户不存在")
    return user


def _active_admins(s, except_id: str | None = None) -> int:
    q = select(func.count()).select_from(User).where(
        User.deleted.is_(False), User.active.is_(True), User.role == Role.ADMIN.value
    )
    if except_id:
        q = q.where(User.id != except_id)
    return s.scalar(q) or 0


# ---------------------------------------------------------------- first start, log-in, lock


def create_first_admin(db: Database, login: str, display_name: str, password: str) -> Actor:
    """The first account, an administrator; only while there is none. Logs them in."""
    login = access.check_login_name(login)
    display_name = access.check_display_name(display_name)
    access.check_password(password, login)
    now = utcnow()
    with UnitOfWork(db) as uow:
        s = uow.session
        if s.scalar(select(User.id).limit(1)):
            raise Conflict("已经有用户了，请用已有的管理员账户登录后再添加用户")
        user = User(id=new_id(), login=login, display_name=display_name, role=Role.ADMIN.value,
                    grid_ids="", password_hash="", password_salt="", kdf_params="", last_login_at=now)
        _set_password(user, password, now)
        actor = _actor(user)
        uow.act_as(actor)  # the account creates itself: the trail names them
        s.add(user)
        s.flush()
        audit.record(s, "login", "app_user", user.id, "创建首个管理员并登录", label=display_name, actor=actor)
        uow.commit()
    db.has_users = True
    set_actor(db, actor)
    return actor


def login(db: Database, name: str, password: str, now: datetime | None = None) -> Actor:
    """Log in and become the actor. Wrong passwords count; the 5th in a row locks for 15 minutes."""
    now = now or utcnow()
    name = (name or "").strip()
    if not name or not password:
        raise LoginFailed("请输入用户名和密码")
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _find_login(s, name)
        if user is None:
            _burn_time(password)
            audit.record(s, "login_failed", "app_user", "", "用户名不存在", label=name[:40], actor=_NOBODY)
            uow.commit()
            raise LoginFailed("用户名或密码不正确")
        actor = _actor(user)
        if not user.active:
            audit.record(s, "login_failed", "app_user", user.id, "账户已停用", label=user.display_name, actor=actor)
            uow.commit()
            raise LoginFailed("该账户已停用，请联系管理员")
        if access.is_locked(user.locked_until, now):
            audit.record(s, "login_failed", "app_user", user.id, "账户锁定中", label=user.display_name, actor=actor)
            uow.commit()
            raise AccountLocked(_locked_message(user.locked_until), user.locked_until)
        if not verify_password(password, user.password_hash, user.password_salt, user.kdf_params):
            outcome = access.after_failure(user.failed_count or 0, now)
            user.failed_count = outcome.failed_count
            if outcome.locked_until:
                user.locked_until = outcome.locked_until
                audit.record(s, "lockout", "app_user", user.id,
                             f"连续 {access.MAX_FAILURES} 次密码错误，锁定 {access.LOCKOUT_MINUTES} 分钟",
                             label=user.display_name, actor=actor)
                uow.commit()
                raise AccountLocked(_locked_message(outcome.locked_until), outcome.locked_until)
            audit.record(s, "login_failed", "app_user", user.id, "密码错误", label=user.display_name, actor=actor)
            uow.commit()
            left = access.failures_left(outcome.failed_count)
            raise LoginFailed(f"用户名或密码不正确（再错 {left} 次，账户将锁定 {access.LOCKOUT_MINUTES} 分钟）")
        user.failed_count = 0
        user.locked_until = None
        user.last_login_at = now
        if _outdated(user.kdf_params):
            _set_password(user, password, user.password_changed_at or now)
        uow.act_as(actor)
        audit.record(s, "login", "app_user", user.id, "登录", label=user.display_name, actor=actor)
        uow.commit()
    db.has_users = True
    set_actor(db, actor)
    return actor


def _locked_message(until: datetime | None) -> str:
    local = until.replace(tzinfo=timezone.utc).astimezone() if until else None
    when = f"，请在 {local:%H:%M} 后再试" if local else ""
    return f"该账户因连续 {access.MAX_FAILURES} 次密码错误已锁定 {access.LOCKOUT_MINUTES} 分钟{when}，或请管理员解锁"


def _record_session_event(db: Database, action: str, detail: str) -> None:
    actor = db.actor
    if actor is None or actor.kind != ActorKind.USER:
        return
    with UnitOfWork(db) as uow:
        audit.record(uow.session, action, "app_user", actor.user_id, detail, label=actor.name, actor=actor)
        uow.commit()


def logout(db: Database) -> None:
    """Leave: nobody acts until the next log-in (services refuse in between)."""
    _record_session_event(db, "logout", "退出登录")
    set_actor(db, None)


def lock_session(db: Database) -> Actor | None:
    """Idle lock: the actor is put aside until a log-in; returns who was logged in."""
    actor = db.actor
    if actor is None or actor.kind != ActorKind.USER:
        return None  # nothing to lock: no account is logged in
    _record_session_event(db, "lock", "无操作自动锁定")
    set_actor(db, None)
    return actor


def cli_actor(db: Database, user: str | None = None, password: str | None = None) -> Actor:
    """The command line's actor (see the module docstring); sets it on `db`."""
    if user:
        return login(db, user, password or "")
    set_actor(db, SYSTEM)
    return SYSTEM


def change_password(db: Database, old_password: str, new_password: str) -> None:
    """The logged-in user changes their own password (the old one is asked again)."""
    actor = current_actor(db)
    if actor is None or actor.kind != ActorKind.USER:
        raise PermissionDenied("请先用自己的账户登录，再修改密码")
    now = utcnow()
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, actor.user_id)
        if not verify_password(old_password, user.password_hash, user.password_salt, user.kdf_params):
            raise ValidationError("原密码", "不正确")
        access.check_password(new_password, user.login)
        if verify_password(new_password, user.password_hash, user.password_salt, user.kdf_params):
            raise ValidationError("新密码", "不能与原密码相同")
        _set_password(user, new_password, now)
        user.must_change_password = False
        uow.commit()
    set_actor(db, Actor(actor.user_id, actor.login, actor.name, actor.role, actor.grid_ids, actor.kind, False))


# ---------------------------------------------------------------- user management (管理员)


def list_users(db: Database) -> list[UserInfo]:
    require(db, "users.manage")
    with db.session() as s:
        names = _org_names(s)
        users = s.scalars(select(User).where(User.deleted.is_(False)).order_by(User.created_at, User.login))
        return [_info(u, names) for u in users]


def find_user(db: Database, login: str) -> UserInfo:
    """An account by its login name (for the command line: dangqun user reset-password NAME)."""
    require(db, "users.manage")
    with db.session() as s:
        user = _find_login(s, (login or "").strip())
        if user is None:
            raise NotFound(f"没有登录名为“{login}”的用户")
        return _info(user, _org_names(s))


def grid_choices(db: Database) -> list[tuple[str, str]]:
    """(id, name) of the grids (党支部) a 网格员 can be given, in tree order."""
    require(db, "users.manage")
    with db.session() as s:
        rows = s.execute(
            select(Organization.id, Organization.name)
            .where(Organization.deleted.is_(False), Organization.kind == OrgKind.BRANCH.value)
            .order_by(Organization.sort_order, Organization.code)
        ).all()
    return [(i, n) for i, n in rows]


def create_user(db: Database, login: str, display_name: str, role: str, password: str,
                grid_ids=(), must_change_password: bool = True) -> UserInfo:
    """A new account with a first password, which the user must change at first log-in."""
    require(db, "users.manage")
    login = access.check_login_name(login)
    display_name = access.check_display_name(display_name)
    role_ = access.role_of(role)
    access.check_password(password, login)
    with UnitOfWork(db) as uow:
        s = uow.session
        if _find_login(s, login):
            raise ValidationError("登录名", f"“{login}”已被使用")
        user = User(login=login, display_name=display_name, role=role_.value,
                    grid_ids=_check_grids(s, role_, grid_ids), password_hash="", password_salt="",
                    kdf_params="", must_change_password=must_change_password)
        _set_password(user, password, utcnow())
        s.add(user)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    db.has_users = True
    return info


def update_user(db: Database, user_id: str, display_name: str, role: str, grid_ids=()) -> UserInfo:
    actor = require(db, "users.manage")
    display_name = access.check_display_name(display_name)
    role_ = access.role_of(role)
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, user_id)
        if user.role == Role.ADMIN.value and role_ != Role.ADMIN and user.active and not _active_admins(s, user.id):
            raise Conflict("这是唯一的管理员，不能改为其他角色（请先把另一个用户设为管理员）")
        if user.id == actor.user_id and role_ != Role(user.role):
            raise Conflict("不能修改自己的角色，请让另一位管理员修改")
        grids = _check_grids(s, role_, grid_ids)
        for key, value in (("display_name", display_name), ("role", role_.value), ("grid_ids", grids)):
            if getattr(user, key) != value:
                setattr(user, key, value)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    return info


def reset_password(db: Database, user_id: str, new_password: str) -> UserInfo:
    """An administrator sets a new password (forgotten one): unlocked, to be changed at next log-in."""
    require(db, "users.manage")
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, user_id)
        access.check_password(new_password, user.login)
        _set_password(user, new_password, utcnow())
        user.must_change_password = True
        user.failed_count = 0
        user.locked_until = None
        audit.record(s, "password_reset", "app_user", user.id, "管理员重置密码", label=user.display_name)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    return info


def unlock_user(db: Database, user_id: str) -> UserInfo:
    require(db, "users.manage")
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, user_id)
        user.failed_count = 0
        user.locked_until = None
        audit.record(s, "unlock", "app_user", user.id, "管理员解除锁定", label=user.display_name)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    return info


def set_active(db: Database, user_id: str, active: bool) -> UserInfo:
    """Deactivate (the account stays in the trail, cannot log in) or reactivate an account."""
    actor = require(db, "users.manage")
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, user_id)
        if not active and user.id == actor.user_id:
            raise Conflict("不能停用自己正在使用的账户")
        if not active and user.role == Role.ADMIN.value and user.active and not _active_admins(s, user.id):
            raise Conflict("这是唯一的管理员，不能停用")
        if user.active != active:
            user.active = active
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    return info


# ---------------------------------------------------------------- policy (this PC)


@dataclass(frozen=True)
class Policy:
    idle_minutes: int = access.DEFAULT_IDLE_MINUTES
    max_failures: int = access.MAX_FAILURES
    lockout_minutes: int = access.LOCKOUT_MINUTES


_IDLE_KEY = "idle_lock_minutes"


def policy(db: Database) -> Policy:
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
