"""Who acts: log-in with lock-out, log-out, idle lock, and the permission checks every service makes.

The actor is declared state of the Database (`db.actor`: the GUI's log-in sets
it, the command line sets SYSTEM); every unit of work takes it from there once
and carries it to the audit trail. Services call

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

import time
import unicodedata
import weakref
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import false, func, select, true
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import access
from desktop_app.domain.access import OPEN, SYSTEM, Actor, ActorKind, Role
from desktop_app.domain.errors import Conflict, DomainError, ValidationError
from desktop_app.services.auth.passwords import burn_time, outdated, set_password, verify_password
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.models_access import User

_NOBODY = Actor("", "", "", Role.VIEWER)  # who a log-in with an unknown name is recorded as


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


# ---------------------------------------------------------------- the actor


# When each database was last seen without accounts (time.monotonic()). Every permission
# check asks has_users; while there is no account it would read the table each time.
_NO_USERS_SEEN: weakref.WeakKeyDictionary[Database, float] = weakref.WeakKeyDictionary()
NO_USERS_RECHECK_S = 2.0  # another program on the same file or server may create the first account


def has_users(db: Database) -> bool:
    """True once any account exists (accounts are never removed, only deactivated).

    A "no" is remembered per database for NO_USERS_RECHECK_S seconds; creating an
    account here sets db.has_users at once (and another program's first account is
    seen within those seconds).
    """
    if db.has_users:
        return True
    seen = _NO_USERS_SEEN.get(db)
    if seen is not None and time.monotonic() - seen < NO_USERS_RECHECK_S:
        return False
    try:
        with db.session() as s:
            found = s.scalar(select(User.id).limit(1)) is not None
    except OperationalError:  # a database older than the accounts table
        return False
    db.has_users = found
    if not found:
        _NO_USERS_SEEN[db] = time.monotonic()
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
    if actor.org_id and permission in access.WHOLE_DATABASE:
        raise _deny(actor, permission, f"“{actor.name}”的账户只管本单位的数据，"
                                       f"“{access.PERMISSIONS[permission]}”涉及整个数据库，请由区里的管理员办理")
    if grid_id is not ... and not access.in_scope(actor.role, actor.grid_ids, permission, grid_id):
        # a form left on 不指定网格 is what a 网格员 most often meets here: name the field to fill
        first = "请选择所属网格：" if grid_id is None else ""
        raise _deny(actor, permission,
                    f"{first}“{actor.name}”只能处理本人负责网格的记录（{access.PERMISSIONS[permission]}）")
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


# ---------------------------------------------------------------- accounts as actors


def grids_of(text: str) -> frozenset[str]:
    """The grid ids an account keeps as comma-separated text."""
    return frozenset(g for g in (text or "").split(",") if g)


def actor_for(user: User) -> Actor:
    return Actor(user.id, user.login, user.display_name, Role(user.role), grids_of(user.grid_ids),
                 ActorKind.USER, user.must_change_password, user.org_id or "")


def account_named(s, login: str, except_id: str | None = None) -> User | None:
    q = select(User).where(User.deleted.is_(False), func.lower(User.login) == login.lower())
    for user in s.scalars(q):
        if user.id != except_id:
            return user
    return None


def check_login(login: str) -> str:
    """A login name as stored: NFC, printable, no bidi or zero-width controls (they disguise a name)."""
    login = access.check_login_name(unicodedata.normalize("NFC", login or ""))
    bad = next((ch for ch in login if not ch.isprintable()), None)
    if bad is not None:
        raise ValidationError("登录名", f"不能含不可见字符或文字方向控制符（U+{ord(bad):04X}）")
    return login


# ---------------------------------------------------------------- first start, log-in, lock


def create_first_admin(db: Database, login: str, display_name: str, password: str) -> Actor:
    """The first account, an administrator; only while there is none. Logs them in."""
    login = check_login(login)
    display_name = access.check_display_name(display_name)
    access.check_password(password, login)
    now = utcnow()
    with UnitOfWork(db) as uow:
        s = uow.session
        if s.scalar(select(User.id).limit(1)):
            raise Conflict("已经有用户了，请用已有的管理员账户登录后再添加用户")
        user = User(id=new_id(), login=login, display_name=display_name, role=Role.ADMIN.value,
                    grid_ids="", password_hash="", password_salt="", kdf_params="", last_login_at=now)
        set_password(user, password, now)
        actor = actor_for(user)
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
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or not password:
        raise LoginFailed("请输入用户名和密码")
    with UnitOfWork(db) as uow:
        s = uow.session
        user = account_named(s, name)
        if user is None:
            burn_time(password)
            audit.record(s, "login_failed", "app_user", "", "用户名不存在", label=name[:40], actor=_NOBODY)
            uow.commit()
            raise LoginFailed("用户名或密码不正确")
        actor = actor_for(user)
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
        if outdated(user.kdf_params):
            set_password(user, password, user.password_changed_at or now)
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


class PasswordChangeRequired(PermissionDenied):
    """The account logged in with a first or reset password: nothing else until it is changed."""


def cli_actor(db: Database, user: str | None = None, password: str | None = None,
              changing_password: bool = False) -> Actor:
    """The command line's actor (see the module docstring); sets it on `db`.

    An account that must change its password may do only that (`changing_password`),
    here as in the window: the first password was chosen by someone else.
    """
    if user:
        actor = login(db, user, password or "")
        if actor.must_change_password and not changing_password:
            set_actor(db, None)
            raise PasswordChangeRequired(
                f"账户“{actor.login}”须先修改密码（首次登录或密码已被重设）：请运行 "
                f"dangqun --user {actor.login} user passwd（新密码在终端输入或取自 DANGQUN_NEW_PASSWORD）",
                "")
        return actor
    set_actor(db, SYSTEM)
    return SYSTEM
