"""Account administration (管理员): list, create, edit, reset, unlock, deactivate; and a user's own password change.

Accounts are never removed, only deactivated: the audit trail keeps naming them.
There is always at least one active administrator.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import access
from desktop_app.domain.access import ActorKind, Role
from desktop_app.domain.clock import local_text
from desktop_app.domain.errors import ConcurrentEditError, Conflict, NotFound, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services.auth.actor import (
    PermissionDenied, account_named, check_login, current_actor, grids_of, require, set_actor,
)
from desktop_app.services.auth.passwords import set_password, verify_password
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database, take_write_lock
from desktop_app.store.models import Organization
from desktop_app.store.models_access import AuditEntry, User
from desktop_app.views.users import UserInfo


def _info(user: User, names: dict[str, str]) -> UserInfo:
    grids = tuple(sorted(grids_of(user.grid_ids), key=lambda g: names.get(g, g)))
    return UserInfo(
        user.id, user.login, user.display_name, user.role, grids,
        tuple(names.get(g, "（已删除的网格）") for g in grids), user.active, user.locked_until,
        user.must_change_password, user.last_login_at, user.org_id or "",
        names.get(user.org_id, "（已删除的组织）") if user.org_id else "",
    )


def _org_names(s) -> dict[str, str]:
    return dict(s.execute(select(Organization.id, Organization.name)).all())


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


def _check_org(s, org_id: str | None) -> str:
    """The organisation an account is confined to ("": the whole database): a live street or community."""
    if not org_id:
        return ""
    org = s.get(Organization, org_id)
    if org is None or org.deleted:
        raise ValidationError("管辖范围", "所选组织不存在或已删除")
    if org.kind not in (OrgKind.STREET.value, OrgKind.COMMUNITY.value):
        raise ValidationError("管辖范围", f"“{org.name}”不是街道或社区（账户只能限定到街道或社区）")
    return org.id


def _live_user(s, user_id: str) -> User:
    user = s.get(User, user_id)
    if user is None or user.deleted:
        raise NotFound("该用户不存在")
    return user


def _active_admins(s, except_id: str | None = None) -> int:
    q = select(func.count()).select_from(User).where(
        User.deleted.is_(False), User.active.is_(True), User.role == Role.ADMIN.value, User.org_id == ""
    )  # an administrator confined to one unit cannot manage accounts (access.WHOLE_DATABASE)
    if except_id:
        q = q.where(User.id != except_id)
    return s.scalar(q) or 0


# ---------------------------------------------------------------- a user's own password


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
        set_password(user, new_password, now)
        user.must_change_password = False
        uow.commit()
    set_actor(db, dataclasses.replace(actor, must_change_password=False))


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
        user = account_named(s, (login or "").strip())
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


def scope_choices(db: Database) -> list[tuple[str, str]]:
    """(id, label) of the streets and communities an account can be confined to, in tree order.

    A community is labelled with its street so two communities of the same name stay apart.
    """
    require(db, "users.manage")
    with db.session() as s:
        rows = s.execute(
            select(Organization.id, Organization.name, Organization.kind, Organization.parent_id)
            .where(Organization.deleted.is_(False),
                   Organization.kind.in_((OrgKind.STREET.value, OrgKind.COMMUNITY.value)))
            .order_by(Organization.sort_order, Organization.code)
        ).all()
    streets = {i: n for i, n, k, _p in rows if k == OrgKind.STREET.value}
    return [(i, n if k == OrgKind.STREET.value or p not in streets else f"{streets[p]} / {n}")
            for i, n, k, p in rows]


def create_user(db: Database, login: str, display_name: str, role: str, password: str,
                grid_ids=(), must_change_password: bool = True, org_id: str = "") -> UserInfo:
    """A new account with a first password, which the user must change at first log-in.

    `org_id` confines the account to that street's or community's subtree (a
    street's operator at the district): it sees and changes nothing else.
    """
    require(db, "users.manage")
    login = check_login(login)
    display_name = access.check_display_name(display_name)
    role_ = access.role_of(role)
    access.check_password(password, login)
    with UnitOfWork(db) as uow:
        s = uow.session
        if account_named(s, login):
            raise ValidationError("登录名", f"“{login}”已被使用")
        user = User(login=login, display_name=display_name, role=role_.value,
                    grid_ids=_check_grids(s, role_, grid_ids), password_hash="", password_salt="",
                    kdf_params="", must_change_password=must_change_password, org_id=_check_org(s, org_id))
        set_password(user, password, utcnow())
        s.add(user)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    db.has_users = True
    return info


def _change_user(db: Database, user_id: str, change: Callable[[Session, User], None]) -> UserInfo:
    """One administrator action on one live account, in one unit of work; the account as it is after."""
    with UnitOfWork(db) as uow:
        s = uow.session
        user = _live_user(s, user_id)
        change(s, user)
        s.flush()
        info = _info(user, _org_names(s))
        uow.commit()
    return info


def update_user(db: Database, user_id: str, display_name: str, role: str, grid_ids=(),
                org_id: str | None = None, read: UserInfo | None = None) -> UserInfo:
    """Name, role, grids and (unless None) the organisation the account is confined to.

    `read`: the account as the form showed it; a save over another administrator's change of
    these since is refused (None: the command line, not checked)."""
    actor = require(db, "users.manage")
    display_name = access.check_display_name(display_name)
    role_ = access.role_of(role)

    def change(s: Session, user: User) -> None:
        if read is not None:
            _unchanged_since(s, user, read)
        if user.role == Role.ADMIN.value and role_ != Role.ADMIN and user.active and not _active_admins(s, user.id):
            raise Conflict("这是唯一的管理员，不能改为其他角色（请先把另一个用户设为管理员）")
        if user.id == actor.user_id and role_ != Role(user.role):
            raise Conflict("不能修改自己的角色，请让另一位管理员修改")
        grids = _check_grids(s, role_, grid_ids)
        scope = user.org_id if org_id is None else _check_org(s, org_id)
        if user.id == actor.user_id and scope != (user.org_id or ""):
            raise Conflict("不能修改自己的管辖范围，请让另一位管理员修改")
        if scope and not user.org_id and user.role == Role.ADMIN.value and user.active \
                and not _active_admins(s, user.id):
            raise Conflict("这是唯一管理全库的管理员，不能限定到一个单位（请先另设一位管理员）")
        for key, value in (("display_name", display_name), ("role", role_.value), ("grid_ids", grids),
                           ("org_id", scope)):
            if getattr(user, key) != value:
                setattr(user, key, value)

    return _change_user(db, user_id, change)


def _unchanged_since(s: Session, user: User, read: UserInfo) -> None:
    """Refuse when what the 用户 form saves changed after it was read. Not the row's version:
    a log-in, a failed password or the user's own new password write the row too, and are no
    reason to refuse an administrator's change of the name or role."""
    take_write_lock(s)
    s.refresh(user, with_for_update=True)  # a save committing meanwhile is seen here or waits for this one
    now = (user.display_name, user.role, grids_of(user.grid_ids), user.org_id or "")
    if now == (read.display_name, read.role, frozenset(read.grid_ids), read.org_id or ""):
        return
    raise ConcurrentEditError(f"这条记录（账号 {user.login}）在你打开后已被修改（{local_text(user.updated_at)}）。"
                              "你的修改没有保存；请关闭后重新打开，再改一次。")


def reset_password(db: Database, user_id: str, new_password: str) -> UserInfo:
    """An administrator sets a new password (forgotten one): unlocked, to be changed at next log-in."""
    require(db, "users.manage")

    def change(s: Session, user: User) -> None:
        access.check_password(new_password, user.login)
        set_password(user, new_password, utcnow())
        user.must_change_password = True
        user.failed_count = 0
        user.locked_until = None
        audit.record(s, "password_reset", "app_user", user.id, "管理员重置密码", label=user.display_name)

    return _change_user(db, user_id, change)


def unlock_user(db: Database, user_id: str) -> UserInfo:
    require(db, "users.manage")

    def change(s: Session, user: User) -> None:
        user.failed_count = 0
        user.locked_until = None
        audit.record(s, "unlock", "app_user", user.id, "管理员解除锁定", label=user.display_name)

    return _change_user(db, user_id, change)


def set_active(db: Database, user_id: str, active: bool, *, was_active: bool | None = None) -> UserInfo:
    """Deactivate (the account stays in the trail, cannot log in) or reactivate an account.

    `was_active`: the state the list showed; when another administrator switched it since, the
    action is refused, so a list read before a 停用 cannot re-enable the account (None: the
    command line, not checked)."""
    actor = require(db, "users.manage")

    def change(s: Session, user: User) -> None:
        if was_active is not None:
            _still_active_as(s, user, was_active)
        if not active and user.id == actor.user_id:
            raise Conflict("不能停用自己正在使用的账户")
        if not active and user.role == Role.ADMIN.value and user.active and not _active_admins(s, user.id):
            raise Conflict("这是唯一的管理员，不能停用")
        if user.active != active:
            user.active = active

    return _change_user(db, user_id, change)


def _still_active_as(s: Session, user: User, was_active: bool) -> None:
    """Refuse when the account was 停用 or 启用 after the list was read, naming who did it."""
    take_write_lock(s)
    s.refresh(user, with_for_update=True)  # a switch committing meanwhile is seen here or waits for this one
    if user.active == was_active:
        return
    last = s.execute(select(AuditEntry.user_name, AuditEntry.at)
                     .where(AuditEntry.table_name == User.__tablename__, AuditEntry.row_id == user.id,
                            AuditEntry.after_json.contains('"active"'))  # the switch, not a later rename
                     .order_by(AuditEntry.at.desc()).limit(1)).first()
    who = f"{last.user_name}（{local_text(last.at)}）" if last and last.user_name else "另一位管理员"
    raise ConcurrentEditError(f"这个账户（账号 {user.login}）在列表显示后已被{who}{'启用' if user.active else '停用'}，"
                              "你的操作没有执行；列表已刷新，请看清后再操作。")
