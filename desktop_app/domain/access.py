"""Who may do what: roles, permissions as data, grid scoping, password and lock-out rules.

Pure rules, no storage. A permission is a dotted name ("members.reveal");
each role holds a set of them. A 网格员 holds some permissions only for the
grids (网格党支部) assigned to them: those are listed in GRID_SCOPED.
Changing who may do what is an edit of the tables below, not of the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.labels import LabelledEnum, labels
from desktop_app.domain.text import required_text


class Role(LabelledEnum):
    ADMIN = "admin", "管理员"
    SECRETARY = "secretary", "书记/委员"
    GRID = "grid", "网格员"
    VIEWER = "viewer", "只读"


ROLE_LABELS: dict[Role, str] = labels(Role)

ROLE_NOTES: dict[Role, str] = {
    Role.ADMIN: "全部功能，包括用户管理和从备份恢复",
    Role.SECRETARY: "本社区全部数据，可查看完整身份证号和电话、导出、导入同步包",
    Role.GRID: "只处理本人负责网格的居民、走访和微心愿；党员信息脱敏显示",
    Role.VIEWER: "只能查看（如街道工作人员），个人信息脱敏显示，不能修改；只能导出不含个人信息的列表（如支部考评）",
}

# Every permission the program knows, with the words a refusal uses.
PERMISSIONS: dict[str, str] = {
    "overview.read": "查看概况",
    "orgs.read": "查看党组织",
    "orgs.write": "修改党组织",
    "members.read": "查看党员名册",
    "members.write": "修改党员信息",
    "members.reveal": "查看党员完整身份证号和电话",
    "members.import": "导入党员名册",
    "residents.read": "查看居民和住户",
    "residents.write": "登记和修改居民、住户",
    "residents.reveal": "查看居民完整身份证号和电话",
    "visits.read": "查看走访记录",
    "visits.write": "登记和跟进走访",
    "wishes.read": "查看微心愿",
    "wishes.write": "登记和处理微心愿",
    "projects.read": "查看微实事项目",
    "projects.write": "修改微实事项目",
    "cobuilding.read": "查看共驻共建（共建单位、活动、双报到）",
    "cobuilding.write": "登记共建单位、活动和双报到服务",
    "mediation.read": "查看矛盾纠纷调处",
    "mediation.write": "登记和调处矛盾纠纷",
    "development.read": "查看发展党员",
    "development.write": "登记发展党员的各个步骤",
    "discipline.read": "查看出党记录、党纪处分和不合格党员处置",
    "discipline.write": "登记出党、党纪处分和不合格党员处置",
    "meetings.read": "查看三会一课",
    "meetings.write": "安排和记录三会一课",
    "evaluations.read": "查看民主评议",
    "evaluations.write": "登记民主评议结果",
    "ledger.read": "查看经费台账",
    "ledger.write": "记账、结账和修改预算",
    "dues.read": "查看党费",
    "dues.write": "登记党费缴纳和基数",
    "assessment.read": "查看支部考评",
    "assessment.write": "为党支部考评打分、登记荣誉称号",
    "settings.write": "修改基础设置（选项列表、会议要求、党费标准）",
    "settings.manage": "修改本机设置（纸张、字体、备份文件夹、自动锁定）",
    "export.personal": "导出含完整个人信息的文件",
    "sync.export": "导出同步数据包",
    "sync.import": "导入同步数据包",
    "audit.read": "查看操作记录",
    "audit.revert": "按操作记录撤销导入、数据包带来的更改",
    "users.manage": "管理用户",
    "backup.make": "备份数据（复制整个数据库）",
    "backup.restore": "从备份恢复数据",
}

_READS = frozenset(p for p in PERMISSIONS if p.endswith(".read"))

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(PERMISSIONS),
    Role.SECRETARY: frozenset(PERMISSIONS) - {"users.manage", "backup.restore", "audit.revert"},
    Role.GRID: frozenset({
        "overview.read", "orgs.read", "members.read",
        "residents.read", "residents.write", "residents.reveal",
        "visits.read", "visits.write", "wishes.read", "wishes.write",
    }),
    Role.VIEWER: _READS - {"audit.read"},
}

# For a 网格员 these permissions hold only for rows of their own grids; a row
# with no grid belongs to nobody's grid. Other roles are not grid-bound.
GRID_SCOPED: frozenset[str] = frozenset({
    "residents.read", "residents.write", "residents.reveal",
    "visits.read", "visits.write", "wishes.read", "wishes.write",
})
GRID_BOUND_ROLES: frozenset[Role] = frozenset({Role.GRID})

# What an account confined to one organisation's subtree (a street's operator at
# the district, Actor.org_id) may not do whatever its role: these act on the
# whole database (accounts, a restore, the shared lists, everyone's trail and
# putting back what it recorded, a package of everything).
WHOLE_DATABASE: frozenset[str] = frozenset({
    "users.manage", "backup.make", "backup.restore", "settings.write", "audit.read", "audit.revert", "sync.export",
})


def role_of(value: str) -> Role:
    """A role from its code, its label, or one word of a label ("书记" for 书记/委员)."""
    value = value.strip()
    try:
        return Role(value)
    except ValueError:
        for role, label in ROLE_LABELS.items():
            if value == label or value in label.split("/"):
                return role
    known = "、".join(ROLE_LABELS.values())
    raise ValidationError("角色", f"没有“{value}”这个角色，请写 {known} 之一")


def _known(permission: str) -> str:
    if permission not in PERMISSIONS:
        # A typo in a service must fail its first test, not silently allow or deny.
        raise ValueError(f"unknown permission {permission!r}")
    return permission


def allowed(role: Role | str, permission: str) -> bool:
    return _known(permission) in ROLE_PERMISSIONS[Role(role)]


def grid_bound(role: Role | str, permission: str) -> bool:
    """True when `role` holds `permission` only inside its own grids."""
    return Role(role) in GRID_BOUND_ROLES and _known(permission) in GRID_SCOPED


def in_scope(role: Role | str, grid_ids: frozenset[str], permission: str, grid_id: str | None) -> bool:
    """May `role` with `grid_ids` use `permission` on a row of grid `grid_id`?"""
    if not allowed(role, permission):
        return False
    if not grid_bound(role, permission):
        return True
    return grid_id is not None and grid_id in grid_ids


# ---------------------------------------------------------------- the acting person


class ActorKind(StrEnum):
    USER = "user"  # a logged-in account
    SYSTEM = "system"  # the dangqun command line (see services.auth.cli_actor)
    OPEN = "open"  # a database with no accounts yet: everyone is administrator


@dataclass(frozen=True)
class Actor:
    user_id: str
    login: str
    name: str
    role: Role
    grid_ids: frozenset[str] = field(default_factory=frozenset)
    kind: ActorKind = ActorKind.USER
    must_change_password: bool = False
    org_id: str = ""  # the organisation whose subtree alone this actor sees ("": the whole database)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def can(self, permission: str, grid_id: str | None | object = ...) -> bool:
        """`permission` at all (grid_id omitted) or on a row of grid `grid_id` (None = no grid)."""
        if self.org_id and permission in WHOLE_DATABASE:
            return False
        if grid_id is ...:
            return allowed(self.role, permission)
        return in_scope(self.role, self.grid_ids, permission, grid_id)  # type: ignore[arg-type]


SYSTEM = Actor("", "system", "命令行", Role.ADMIN, kind=ActorKind.SYSTEM)
OPEN = Actor("", "", "（未设用户）", Role.ADMIN, kind=ActorKind.OPEN)


# ---------------------------------------------------------------- passwords and lock-out

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_FAILURES = 5  # wrong passwords in a row before the account locks
LOCKOUT_MINUTES = 15
DEFAULT_IDLE_MINUTES = 10  # auto-lock after this long without mouse or keyboard; 0 = never
MAX_IDLE_MINUTES = 240


def check_password(password: str, login: str = "") -> str:
    """The password policy: at least 8 characters, not only digits, not the login name."""
    if password is None or password == "":
        raise ValidationError("密码", "不能为空")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("密码", f"至少 {MIN_PASSWORD_LENGTH} 位")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("密码", f"不能超过 {MAX_PASSWORD_LENGTH} 位")
    if password.isdigit():
        raise ValidationError("密码", "不能全是数字，请加入字母或符号")
    if password.strip() != password:
        raise ValidationError("密码", "开头和结尾不能是空格")
    if login and password.casefold() == login.strip().casefold():
        raise ValidationError("密码", "不能与登录名相同")
    if len(set(password)) < 3:
        raise ValidationError("密码", "太简单（至少要有 3 个不同的字符）")
    return password


def check_login_name(login: str) -> str:
    login = required_text(login, "登录名", 40)
    if any(ch.isspace() for ch in login):
        raise ValidationError("登录名", "不能含空格")
    return login


def check_display_name(name: str) -> str:
    return required_text(name, "姓名", 40)


def check_idle_minutes(minutes: int) -> int:
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError("自动锁定", f"应为 0 到 {MAX_IDLE_MINUTES} 分钟（0 表示不自动锁定）")
    return minutes


@dataclass(frozen=True)
class FailureOutcome:
    failed_count: int  # the counter to store
    locked_until: datetime | None  # set when this failure locks the account


def after_failure(failed_count: int, now: datetime) -> FailureOutcome:
    """A wrong password: count it; the MAX_FAILURES-th in a row locks for LOCKOUT_MINUTES."""
    count = failed_count + 1
    if count >= MAX_FAILURES:
        return FailureOutcome(0, now + timedelta(minutes=LOCKOUT_MINUTES))
    return FailureOutcome(count, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def failures_left(failed_count: int) -> int:
    return max(0, MAX_FAILURES - failed_count)
