"""停用/启用 an account, the 预算 form and a 三单 item form, read before someone else's change: the
save is refused naming who changed what, and the other change is kept. Two programs on one real
database file."""

from datetime import date

import pytest

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ConcurrentEditError
from desktop_app.services import auth, ledger
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import ListInput, UnitInput
from tests.integration.test_stale_accounts import _admins
from tests.integration.test_stale_forms import _accounts, two  # noqa: F401 - the fixture

TODAY = date(2026, 6, 15)


# ---------------------------------------------------------------- 停用 / 启用


@pytest.mark.parametrize("shown, switched", [(True, "停用"), (False, "启用")])
def test_a_list_read_before_another_admins_switch_does_not_act_on_the_account(two, shown, switched):  # noqa: F811
    a, b = two
    xiao = _admins(a, b)
    auth.set_active(a, xiao, shown)
    seen = auth.find_user(a, "xiao")  # 王书记's list
    auth.set_active(b, xiao, not shown, was_active=shown)  # 赵管理 switches it
    auth.update_user(b, xiao, "钱小红", "viewer")  # a later rename: the switch is still the change named
    with pytest.raises(ConcurrentEditError, match=f"账号 xiao.*已被赵管理（.*）{switched}.*你的操作没有执行"):
        auth.set_active(a, xiao, not seen.active, was_active=seen.active)
    assert auth.find_user(a, "xiao").active is (not shown)


def test_the_account_logging_in_meanwhile_does_not_stop_a_switch(two):  # noqa: F811
    a, b = two
    xiao = _admins(a, b)
    seen = auth.find_user(a, "xiao")
    auth.login(b, "xiao", "xingfuli2026")
    assert auth.set_active(a, xiao, False, was_active=seen.active).active is False
    assert auth.set_active(a, xiao, True).active  # the command line names no state: not checked


# ---------------------------------------------------------------- 预算


def _budget(a, b, category: str = "") -> tuple[str, ledger.BudgetLine, ledger.BudgetLine]:
    _accounts(b, a, "li")  # a acts as 李委员, b as 王书记
    acc = ledger.add_account(a, "共建单位资助")
    ledger.set_budget(a, acc.id, 2026, 5_000_000, category, "年初预算")
    mine, theirs = (next(x for x in ledger.budget_report(db, 2026) if x.account_id == acc.id) for db in (a, b))
    return acc.id, mine, theirs


def test_a_budget_form_read_before_anothers_change_is_refused(two):  # noqa: F811
    a, b = two
    acc, mine, theirs = _budget(a, b)
    ledger.set_budget(a, acc, 2026, 6_000_000, "", mine.note, expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="2026年预算 共建单位资助）在你打开后已被他人修改（李委员 于 "):
        ledger.set_budget(b, acc, 2026, 4_500_000, "", "压缩开支", expected_version=theirs.version)
    now = next(x for x in ledger.budget_report(b, 2026) if x.account_id == acc)
    assert (now.budget_fen, now.note) == (6_000_000, "年初预算")
    ledger.set_budget(b, acc, 2026, 4_500_000, "", "压缩开支", expected_version=now.version)  # read again: saved
    assert next(x for x in ledger.budget_report(a, 2026) if x.account_id == acc).budget_fen == 4_500_000


def test_a_budget_form_read_before_the_budget_was_removed_is_refused(two):  # noqa: F811
    a, b = two
    acc, mine, theirs = _budget(a, b, "活动经费")
    ledger.remove_budget(a, mine.budget_id)
    with pytest.raises(ConcurrentEditError, match="2026年预算 共建单位资助·活动经费"):
        ledger.set_budget(b, acc, 2026, 4_000_000, "活动经费", "", expected_version=theirs.version)
    assert not [x for x in ledger.budget_report(a, 2026) if x.account_id == acc and x.budget_fen]


def test_a_form_read_with_no_budget_is_refused_once_someone_set_one(two):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    acc = ledger.add_account(a, "共建单位资助").id
    ledger.set_budget(a, acc, 2026, 1_000_000, "慰问", "")  # a line with no budget read: version 0
    ledger.set_budget(a, acc, 2026, 2_000_000, "活动经费", "", expected_version=0)
    with pytest.raises(ConcurrentEditError, match="共建单位资助·活动经费"):
        ledger.set_budget(b, acc, 2026, 3_000_000, "活动经费", "", expected_version=0)
    ledger.set_budget(b, acc, 2026, 3_000_000, "活动经费", "")  # the blank 设置预算 form sets it, as always
    assert {x.category: x.budget_fen for x in ledger.budget_report(a, 2026)}["活动经费"] == 3_000_000


# ---------------------------------------------------------------- 三单


def test_a_need_form_read_before_anothers_edit_is_refused(two):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    need = cb.save_item(a, None, ListInput(rules.NEED, "加装楼道扶手", raised_on=TODAY), TODAY)
    mine, theirs = (next(x for x in cb.list_items(db, rules.NEED) if x.id == need.id) for db in (a, b))
    cb.save_item(a, need.id, ListInput(rules.NEED, mine.title, "3栋、5栋", raised_on=TODAY), TODAY,
                 expected_version=mine.version)
    with pytest.raises(ConcurrentEditError, match="这条记录（需求 加装楼道扶手）在你打开后已被他人修改（李委员 于 "):
        cb.save_item(b, need.id, ListInput(rules.NEED, "楼道扶手", theirs.detail, raised_on=TODAY), TODAY,
                     expected_version=theirs.version)
    now = next(x for x in cb.list_items(a, rules.NEED) if x.id == need.id)
    assert (now.title, now.detail) == ("加装楼道扶手", "3栋、5栋")


def test_a_project_form_read_before_the_project_was_claimed_does_not_drop_the_unit(two):  # noqa: F811
    a, b = two
    _accounts(b, a, "li")
    unit = cb.save_unit(a, None, UnitInput(name="区人民医院"), TODAY)
    project = cb.save_item(a, None, ListInput(rules.PROJECT, "老年人体检", raised_on=TODAY), TODAY)
    theirs = next(x for x in cb.list_items(b, rules.PROJECT) if x.id == project.id)
    cb.claim_project(a, project.id, unit.id, TODAY, TODAY)
    with pytest.raises(ConcurrentEditError, match="项目 老年人体检"):
        cb.save_item(b, project.id, ListInput(rules.PROJECT, "老年人免费体检", raised_on=TODAY,
                                              unit_id=theirs.unit_id), TODAY, expected_version=theirs.version)
    now = next(x for x in cb.list_items(a, rules.PROJECT) if x.id == project.id)
    assert (now.title, now.unit_name, now.state) == ("老年人体检", "区人民医院", rules.PROJECT_CLAIMED)
