"""用户 form: two administrators on one account. A form read before the other's change of what
it saves (name, role, grids, scope) is refused, not written back; the account merely logging in
meanwhile is no reason to refuse. Two programs on one real database file."""

import pytest

from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.services import auth
from tests.integration.test_stale_forms import PASSWORD, two  # noqa: F401 - the fixture


def _admins(a, b) -> str:
    """a acts as 王书记, b as 赵管理 (both administrators); the account both edit is 小钱's."""
    auth.create_first_admin(a, "admin", "王书记", PASSWORD)
    auth.create_user(a, "zhao", "赵管理", "admin", PASSWORD, must_change_password=False)
    xiao = auth.create_user(a, "xiao", "小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(a, "admin", PASSWORD)
    auth.login(b, "zhao", PASSWORD)
    return xiao.id


def test_an_account_form_read_before_anothers_change_is_refused(two):  # noqa: F811
    a, b = two
    xiao = _admins(a, b)
    mine, theirs = auth.find_user(a, "xiao"), auth.find_user(b, "xiao")
    auth.update_user(a, xiao, "钱小红", mine.role, mine.grid_ids, org_id=mine.org_id, read=mine)
    with pytest.raises(ConcurrentEditError, match="账号 xiao.*在你打开后已被修改.*你的修改没有保存"):
        auth.update_user(b, xiao, theirs.display_name, "secretary", theirs.grid_ids, org_id=theirs.org_id,
                         read=theirs)
    now = auth.find_user(a, "xiao")
    assert (now.display_name, now.role) == ("钱小红", "viewer")  # the older form put nothing back


def test_the_account_logging_in_meanwhile_is_no_reason_to_refuse(two):  # noqa: F811
    a, b = two
    xiao = _admins(a, b)
    mine = auth.find_user(a, "xiao")
    auth.login(b, "xiao", PASSWORD)
    auth.login(b, "zhao", PASSWORD)
    done = auth.update_user(a, xiao, mine.display_name, "secretary", mine.grid_ids, org_id=mine.org_id, read=mine)
    assert done.role == "secretary"


def test_a_caller_naming_no_read_is_not_checked(two):  # noqa: F811
    a, b = two
    xiao = _admins(a, b)
    auth.update_user(b, xiao, "钱小红", "viewer")
    assert auth.update_user(a, xiao, "小钱", "viewer").display_name == "小钱"
