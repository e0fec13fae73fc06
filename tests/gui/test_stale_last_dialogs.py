"""The 预算 form and a 三单 item form opened before someone else saved the same line refuse inside the
dialog, what was typed kept; 停用 from a list read before another administrator's switch is refused
and the list shows the account as it now is (offscreen, on a real SQLite file)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.clock import closing_year
from desktop_app.gui.cobuilding.lists import ListItemDialog
from desktop_app.gui.ledger.dialogs import BudgetDialog
from desktop_app.gui.ledger.page import LedgerPage
from desktop_app.gui.users.page import UsersPage
from desktop_app.gui.widgets import common
from desktop_app.services import auth, ledger, residents
from desktop_app.services import cobuilding as cb
from desktop_app.services.cobuilding import ListInput
from desktop_app.services.database import open_database
from tests.gui.test_stale_form_dialogs import _refused_inside
from tests.integration.test_stale_forms import PASSWORD


def test_a_budget_form_opened_before_anothers_save_refuses_inside(qtbot, app_ctx, wait_ops, monkeypatch, shot):
    db, year = app_ctx.db, closing_year(date.today())  # the year the page shows first (in January, last)
    ledger.ensure_accounts(db)
    acc = ledger.add_account(db, "共建单位资助")
    ledger.set_budget(db, acc.id, year, 5_000_000, "活动经费", "年初预算")
    page = LedgerPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert page.budget_year.value() == year
    line = next(x for x in ledger.budget_report(db, year) if x.account_id == acc.id)
    seen = {}

    def exec_(dlg: BudgetDialog):
        dlg.show()
        ledger.set_budget(db, acc.id, year, 6_000_000, "活动经费", "追加")  # meanwhile, at another PC
        dlg.amount.setText("45000")
        dlg.accept()
        wait_ops()
        shot(dlg, "budget_refused.png")
        seen.update(message=dlg.message.text(), shown=not dlg.message.isHidden(), result=dlg.result(),
                    amount=dlg.amount.text(), saved=dlg.saved)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(BudgetDialog, "exec", exec_)
    page.set_budget(line)
    wait_ops()
    assert seen["shown"] and f"{year}年预算 共建单位资助·活动经费" in seen["message"], seen["message"]
    assert "你的修改没有保存" in seen["message"]
    assert seen["result"] != QDialog.DialogCode.Accepted and seen["saved"] is None
    assert seen["amount"] == "45000"  # what was typed is still there
    now = next(x for x in ledger.budget_report(db, year) if x.account_id == acc.id)
    assert (now.budget_fen, now.note) == (6_000_000, "追加")


def test_a_list_item_form_refuses_inside_when_read_before_anothers_save(qtbot, app_ctx, wait_ops):
    db, today = app_ctx.db, date(2026, 6, 15)
    inp = ListInput(rules.NEED, "加装楼道扶手", raised_on=today)
    need = cb.save_item(db, None, inp, today)
    read = next(x for x in cb.list_items(db, rules.NEED) if x.id == need.id)
    dlg = ListItemDialog(None, db, rules.NEED, residents.grids(db), [], [read], [], read, today)
    _refused_inside(qtbot, dlg, lambda: cb.save_item(db, need.id, ListInput(
        rules.NEED, inp.title, "3栋、5栋", raised_on=today), today), dlg.title_edit, "楼道扶手", wait_ops)
    assert "需求 加装楼道扶手" in dlg.message.text()
    assert next(x for x in cb.list_items(db, rules.NEED) if x.id == need.id).detail == "3栋、5栋"


def test_disabling_from_a_list_read_before_another_admins_switch_is_refused(qtbot, app_ctx, wait_ops, monkeypatch,
                                                                           error_boxes):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "zhao", "赵管理", "admin", PASSWORD, must_change_password=False)
    auth.create_user(db, "xiao", "小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "admin", PASSWORD)
    page = UsersPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.panel.view.selectRow(next(i for i, u in enumerate(page.users) if u.login == "xiao"))
    wait_ops()
    assert page.selected().login == "xiao" and page.act_active.text() == "停用"
    other, _ = open_database(db.path)
    try:  # meanwhile 赵管理, at another PC, disables 小钱
        auth.login(other, "zhao", PASSWORD)
        auth.set_active(other, auth.find_user(other, "xiao").id, False, was_active=True)
    finally:
        other.dispose()
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.toggle_active()
    wait_ops()
    warned = [str(m) for m in error_boxes]
    assert len(warned) == 1 and "账号 xiao" in warned[0] and "已被赵管理（" in warned[0] and "停用" in warned[0]
    assert "你的操作没有执行" in warned[0]
    assert not auth.find_user(db, "xiao").active
    assert page.selected().login == "xiao" and page.act_active.text() == "启用"  # the list shows it as it now is
    assert not page.message.text().startswith("已停用")
