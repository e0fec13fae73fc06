"""Roles, permissions, grid scoping, password policy and lock-out: pure rules."""

from datetime import datetime, timedelta

import pytest

from desktop_app.domain import access
from desktop_app.domain.access import Actor, Role
from desktop_app.domain.errors import ValidationError

ALL = set(access.PERMISSIONS)


def test_admin_may_do_everything_and_only_admin_manages_users():
    assert all(access.allowed(Role.ADMIN, p) for p in ALL)
    for role in (Role.SECRETARY, Role.GRID, Role.VIEWER):
        assert not access.allowed(role, "users.manage")
        assert not access.allowed(role, "backup.restore")


def test_secretary_holds_all_data_of_the_community():
    for p in ("members.write", "members.reveal", "residents.reveal", "ledger.write", "meetings.write",
              "export.personal", "sync.import", "audit.read", "settings.write"):
        assert access.allowed(Role.SECRETARY, p), p


def test_grid_worker_keeps_to_residents_visits_and_wishes():
    assert access.ROLE_PERMISSIONS[Role.GRID] == {
        "overview.read", "orgs.read", "members.read",
        "residents.read", "residents.write", "residents.reveal",
        "visits.read", "visits.write", "wishes.read", "wishes.write",
    }
    for p in ("members.reveal", "members.write", "ledger.write", "ledger.read", "meetings.write",
              "export.personal", "sync.import", "audit.read"):
        assert not access.allowed(Role.GRID, p), p


def test_viewer_reads_but_never_writes_reveals_or_exports():
    for p in ALL:
        if p.endswith(".read") and p != "audit.read":
            assert access.allowed(Role.VIEWER, p), p
        else:
            assert not access.allowed(Role.VIEWER, p), p


def test_every_role_permission_is_a_known_permission():
    for role, perms in access.ROLE_PERMISSIONS.items():
        assert perms <= ALL, role
    assert access.GRID_SCOPED <= ALL


def test_an_unknown_permission_is_a_programming_error_not_a_silent_no():
    with pytest.raises(ValueError):
        access.allowed(Role.ADMIN, "member.write")  # typo of members.write


def test_grid_scope_binds_only_the_grid_worker_and_only_scoped_permissions():
    mine = frozenset({"g1", "g2"})
    assert access.in_scope(Role.GRID, mine, "residents.read", "g1")
    assert not access.in_scope(Role.GRID, mine, "residents.read", "g3")
    assert not access.in_scope(Role.GRID, mine, "residents.write", None)  # no grid: nobody's
    assert not access.in_scope(Role.GRID, mine, "ledger.write", "g1")  # not held at all
    assert access.in_scope(Role.GRID, mine, "members.read", "g3")  # members are not grid-bound
    assert access.in_scope(Role.SECRETARY, frozenset(), "residents.write", "g3")
    assert access.in_scope(Role.SECRETARY, frozenset(), "residents.write", None)
    assert not access.in_scope(Role.VIEWER, frozenset(), "residents.write", "g1")


def test_actor_can_with_and_without_a_grid():
    a = Actor("u1", "li", "李网格", Role.GRID, frozenset({"g1"}))
    assert a.can("visits.write") and a.can("visits.write", "g1")
    assert not a.can("visits.write", "g2") and not a.can("visits.write", None)
    assert a.role_label == "网格员"
    assert access.SYSTEM.can("users.manage") and access.OPEN.can("ledger.write")


def test_role_from_code_or_label():
    assert access.role_of("grid") is Role.GRID
    assert access.role_of("书记/委员") is Role.SECRETARY
    with pytest.raises(ValidationError) as err:
        access.role_of("主任")
    assert err.value.field == "角色"


def test_role_from_one_word_of_its_label_and_a_refusal_naming_the_roles():
    # A worker types 书记 (or 委员), not the whole label 书记/委员.
    assert access.role_of("书记") is Role.SECRETARY
    assert access.role_of("委员") is Role.SECRETARY
    assert access.role_of(" 网格员 ") is Role.GRID
    with pytest.raises(ValidationError) as err:
        access.role_of("主任")
    assert all(label in str(err.value) for label in ("管理员", "书记/委员", "网格员", "只读"))


@pytest.mark.parametrize("password, problem", [
    ("", "不能为空"),
    ("abc123", "至少 8 位"),
    ("12345678901", "不能全是数字"),
    ("zhangsan", "不能与登录名相同"),
    ("aaaaaaaaab", "太简单"),
    (" password1", "空格"),
])
def test_password_policy_names_the_problem(password, problem):
    with pytest.raises(ValidationError) as err:
        access.check_password(password, "zhangsan")
    assert err.value.field == "密码" and problem in err.value.message


def test_good_passwords_pass():
    for pw in ("mima2024!", "幸福里社区2024", "abcdefgh"):
        assert access.check_password(pw, "zhangsan") == pw


def test_five_failures_lock_for_fifteen_minutes():
    now = datetime(2026, 5, 1, 9, 0)
    count, locked = 0, None
    for i in range(access.MAX_FAILURES):
        out = access.after_failure(count, now)
        count, locked = out.failed_count, out.locked_until
        if i < access.MAX_FAILURES - 1:
            assert locked is None and access.failures_left(count) == access.MAX_FAILURES - i - 1
    assert locked == now + timedelta(minutes=15) and count == 0
    assert access.is_locked(locked, now + timedelta(minutes=14, seconds=59))
    assert not access.is_locked(locked, now + timedelta(minutes=15))
    assert not access.is_locked(None, now)


def test_idle_minutes_bounds():
    assert access.check_idle_minutes(0) == 0 and access.check_idle_minutes(240) == 240
    for bad in (-1, 241, True, 2.5):
        with pytest.raises(ValidationError):
            access.check_idle_minutes(bad)


def test_login_and_display_names():
    assert access.check_login_name("  li.wang ") == "li.wang"
    with pytest.raises(ValidationError):
        access.check_login_name("li wang")
    with pytest.raises(ValidationError):
        access.check_display_name(" ")
