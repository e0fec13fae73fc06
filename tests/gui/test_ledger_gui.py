"""经费台账 and 党费 pages offscreen: enter an expense, correct it by reversal, close a month, pay dues."""

from __future__ import annotations

from datetime import date, timedelta

import time

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app.domain import ledger as rules
from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.money import format_yuan
from desktop_app.gui.widgets import common
from desktop_app.gui.dues.dialogs import DuesBaseDialog, PaymentDialog, ReasonDialog
from desktop_app.gui.dues.models import (
    ARREARS_COLUMNS,
    FIRST_MONTH_COLUMN,
    DuesGridModel,
)
from desktop_app.gui.dues.page import DuesPage
from desktop_app.gui.ledger.dialogs import AccountDialog, BudgetDialog, EntryDialog, ReverseDialog
from desktop_app.gui.ledger.models import (
    BALANCE_COLUMNS,
    BUDGET_COLUMNS,
    ENTRY_COLUMNS,
    STATEMENT_COLUMNS,
)
from desktop_app.gui.ledger.page import LedgerPage
from desktop_app.gui.widgets.table import ColumnModel
from desktop_app.services import dues, ledger, orgs
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member

TODAY = date.today()


@pytest.fixture
def page(qtbot, app_ctx, wait_ops):
    p = LedgerPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    wait_ops()
    return p


def filling(**fields):
    """An exec() replacement that types into the dialog's widgets, presses OK and waits for its save.

    The page's dialogs save themselves; each one filled is kept in `filled` for a look afterwards.
    """

    def exec_(self):
        for name, value in fields.items():
            widget = getattr(self, name)
            if hasattr(widget, "setCurrentText") and not hasattr(widget, "setText"):
                widget.setCurrentText(value)
            elif hasattr(widget, "setDate"):
                widget.setDate(QDate(value.year, value.month, value.day))
            elif hasattr(widget, "setChecked"):
                widget.setChecked(value)
            else:
                widget.setText(value)
        filled.append(self)
        self.accept()
        deadline = time.monotonic() + 10
        while self._saving and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        return self.result()

    return exec_


filled: list = []


def rows_shown(page):
    return [(e.voucher_no, e.amount_fen, e.memo) for e in page.entries_model.rows]


def test_enter_an_expense_and_correct_it(page, wait_ops, monkeypatch):
    db = page.ctx.db
    monkeypatch.setattr(EntryDialog, "exec", filling(
        amount="¥1,234.5", category="慰问", memo="春节慰问品", counterparty="惠民超市", handler="王芳", entered_by="李明",
    ))
    page.add_expense()
    wait_ops()
    (entry,) = ledger.list_entries(db)
    assert (entry.direction, entry.amount_fen, entry.category, entry.handler) == ("支出", 123450, "慰问", "王芳")
    assert entry.account_name == "服务群众专项经费"  # the first account by default
    assert rows_shown(page) == [(entry.voucher_no, 123450, "春节慰问品")]
    assert "已记账" in page.message.text() and entry.voucher_no in page.message.text()
    assert page.selected_ids() == [entry.id]  # the new entry is selected

    # It was 123.45, not 1,234.50: reverse it (dialog, then confirmation) and enter it again.
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(ReverseDialog, "exec", filling(reason="金额录错，应为 123.45 元"))
    page.reverse_selected()
    wait_ops()
    assert asked and "-1,234.50" in asked[0]
    entries = ledger.list_entries(db)
    assert [e.amount_fen for e in entries] == [123450, -123450]
    rev = entries[1]
    assert rev.reversal_of == entry.id and rev.memo == f"红字冲销 {entry.voucher_no}：金额录错，应为 123.45 元"
    assert ledger.balance(db, entry.account_id, TODAY) == 0
    page.select_ids([entry.id])
    assert not page.act_reverse.isEnabled()  # already reversed
    status = page.entries_model.index(0, len(ENTRY_COLUMNS) - 1).data()
    assert f"已被 {rev.voucher_no} 冲销" in status

    monkeypatch.setattr(EntryDialog, "exec", filling(
        amount="123.45", category="慰问", memo="春节慰问品", handler="王芳",
    ))
    page.add_expense()
    wait_ops()
    assert ledger.balance(db, entry.account_id, TODAY) == -12345
    assert "共 3 笔" in page.totals.text()


def test_declining_the_confirmation_changes_nothing(page, wait_ops, monkeypatch):
    db = page.ctx.db
    acc = ledger.list_accounts(db)[0]
    e = ledger.post_entry(db, ledger.EntryInput(TODAY, acc.id, "支出", 500, "办公", memo="纸")).entry
    page.refresh()
    wait_ops()
    page.select_ids([e.id])
    monkeypatch.setattr(ReverseDialog, "exec", filling(reason="不要了"))
    monkeypatch.setattr(common, "ask", lambda *a: False)
    page.reverse_selected()
    wait_ops()
    assert [x.amount_fen for x in ledger.list_entries(db)] == [500]


def test_add_rename_and_stop_an_account_from_the_page(page, wait_ops, monkeypatch):
    db = page.ctx.db
    told = []
    monkeypatch.setattr(common, "inform", lambda _parent, title, text: told.append((title, text)))
    page.balances_table.clearSelection()
    page.rename_account()
    page.toggle_account()
    assert told == [("修改账户", "请先在余额表中选中一个账户。"), ("停用账户", "请先在余额表中选中一个账户。")]

    monkeypatch.setattr(AccountDialog, "exec", filling(name="共建单位资助", note="一次性"))
    page.add_account()
    wait_ops()
    added = next(a for a in ledger.list_accounts(db) if a.name == "共建单位资助")
    assert added.note == "一次性"
    assert "已新增账户“共建单位资助”" in page.message.text()

    row = next(i for i, b in enumerate(page.balances_model.rows) if b.account_id == added.id)
    page.balances_table.selectRow(row)
    opened = []
    monkeypatch.setattr(AccountDialog, "exec", lambda self: (opened.append((self.name.text(), self.note.text())),
                                                             filling(name="共建资助")(self))[1])
    page.rename_account()
    wait_ops()
    assert opened == [("共建单位资助", "一次性")]  # the form starts from the account as it stands
    assert [a.name for a in ledger.list_accounts(db) if a.id == added.id] == ["共建资助"]

    row = next(i for i, b in enumerate(page.balances_model.rows) if b.account_id == added.id)
    page.balances_table.selectRow(row)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.toggle_account()
    wait_ops()
    assert [a.active for a in ledger.list_accounts(db) if a.id == added.id] == [False]


def test_entry_dialog_refuses_bad_amounts_and_names_the_field(qtbot, app_ctx):
    accounts = ledger.list_accounts(app_ctx.db)
    dlg = EntryDialog(None, "支出", accounts, ["活动"], handler="王芳")
    qtbot.addWidget(dlg)
    dlg.memo.setText("活动用品")
    for text, words in (("12.345", "两位小数"), ("abc", "不是金额"), ("0", "大于 0"), ("", "请填写")):
        dlg.amount.setText(text)
        dlg.accept()
        assert dlg.result() != QDialog.DialogCode.Accepted
        assert "支出金额" in dlg.message.text() or "金额" in dlg.message.text()
        assert words in dlg.message.text()
    dlg.amount.setText("123.45")
    assert dlg.capitals.text() == "大写：壹佰贰拾叁元肆角伍分"
    dlg.memo.setText("")
    dlg.accept()
    assert "摘要" in dlg.message.text()
    dlg.memo.setText("活动用品")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.result_input().amount_fen == 12345


def test_a_refused_entry_stays_in_its_dialog_with_what_was_typed(page, wait_ops, monkeypatch):
    db = page.ctx.db
    acc = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2024, 1, 5), acc.id, "收入", 100_000, "上级拨款", memo="拨款"))
    ledger.close_month(db, date(2024, 1, 1), today=date(2024, 2, 1))
    filled.clear()
    monkeypatch.setattr(EntryDialog, "exec", filling(date=date(2024, 1, 20), amount="50", memo="补记", handler="王芳"))
    page.add_expense()
    wait_ops()
    (dlg,) = filled
    # no error box (the autouse guard fails on one): the refusal is in the dialog, the input kept
    assert "2024年1月已结账" in dlg.message.text() and dlg.result() != QDialog.DialogCode.Accepted
    assert (dlg.amount.text(), dlg.memo.text(), dlg.handler.text()) == ("50", "补记", "王芳")
    assert len(ledger.list_entries(db, ledger.EntryFilter(date_from=date(2024, 1, 1)))) == 1


def test_close_a_month_from_the_page(page, wait_ops, monkeypatch):
    db = page.ctx.db
    acc = ledger.list_accounts(db)[0]
    last_month = date(TODAY.year - (TODAY.month == 1), (TODAY.month - 2) % 12 + 1, 3)
    ledger.post_entry(db, ledger.EntryInput(last_month, acc.id, "收入", 100_000, "上级拨款", memo="拨款"))
    page.refresh()
    wait_ops()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    page.close_next_month()
    wait_ops()
    assert asked and "不能再录入、冲销" in asked[0]
    assert ledger.closed_months(db) == [date(last_month.year, last_month.month, 1)]
    assert f"已结账至 {last_month.year}年{last_month.month}月" in page.closed_label.text()


def test_rebuild_the_month_balances_from_the_page(page, wait_ops, monkeypatch):
    db = page.ctx.db
    acc = ledger.list_accounts(db)[0]
    last_month = date(TODAY.year - (TODAY.month == 1), (TODAY.month - 2) % 12 + 1, 3)
    ledger.post_entry(db, ledger.EntryInput(last_month, acc.id, "收入", 100_000, "上级拨款", memo="拨款"))
    ledger.close_month(db, last_month)
    assert page.act_rebuild.isVisible() and page.act_rebuild.isEnabled()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    page.act_rebuild.trigger()
    wait_ops()
    assert asked and "账目本身不会改变" in asked[0]
    assert "已重建月度余额：已结账 1 个月" in page.message.text()
    assert ledger.yearly_statement(db, last_month.year).lines[0].income_fen >= 100_000


def test_budget_warning_appears_after_an_expense(page, wait_ops, monkeypatch):
    db = page.ctx.db
    acc = ledger.list_accounts(db)[0]
    monkeypatch.setattr(BudgetDialog, "exec", filling(category="慰问", amount="1000"))
    page.set_budget()
    wait_ops()
    assert [(b.category, b.budget_fen) for b in ledger.budget_report(db, TODAY.year)] == [("慰问", 100_000)]
    monkeypatch.setattr(EntryDialog, "exec", filling(amount="900", category="慰问", memo="慰问品", handler="王芳"))
    page.add_expense()
    wait_ops()
    assert "预算提示" in page.message.text() and "已用 90%" in page.message.text()
    page.tabs.setCurrentIndex(2)
    wait_ops()
    assert page.budget_model.index(0, 6).data() == "接近预算"
    assert acc.id == page.budget_model.row(0).account_id


def test_models_pass_the_model_tester(qtmodeltester, app_ctx):
    db = app_ctx.db
    acc = ledger.list_accounts(db)[0]
    e = ledger.post_entry(db, ledger.EntryInput(TODAY, acc.id, "支出", 500, "办公", memo="纸")).entry
    ledger.reverse_entry(db, e.id, "错")
    model = ColumnModel(ENTRY_COLUMNS)
    model.set_rows(ledger.list_entries(db))
    qtmodeltester.check(model)
    for columns, rows in ((BALANCE_COLUMNS, ledger.balances(db)), (BUDGET_COLUMNS, ledger.budget_report(db, TODAY.year)),
                          (STATEMENT_COLUMNS, ledger.monthly_statement(db, TODAY.year, TODAY.month).lines)):
        other = ColumnModel(columns)
        other.set_rows(rows)
        qtmodeltester.check(other)
    grid_model = DuesGridModel()
    qtmodeltester.check(grid_model)


# ---------------------------------------------------------------- 党费


@pytest.fixture
def members(app_ctx):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "32010200101", "branch", community.id)
    ids = []
    with UnitOfWork(db) as uow:
        for i, name in enumerate(("张建国", "李秀英"), start=1):
            m = Member(seq=i, name=name, org_id=branch.id, id_number=f"11010119700101000{i}", gender="男",
                       joined_date=date(2000, 1, 1))
            uow.session.add(m)
            uow.session.flush()
            ids.append(m.id)
        uow.commit()
    start = date(TODAY.year, 1, 1)
    dues.set_base(db, ids[0], start, EMPLOYED, 300_000)  # 15.00 a month
    dues.set_base(db, ids[1], start, EMPLOYED, 450_000)  # 45.00 a month
    return branch, ids


@pytest.fixture
def dues_page(qtbot, app_ctx, members, wait_ops):
    p = DuesPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 700)
    p.show()
    wait_ops()
    return p


def test_pay_dues_for_two_members_from_the_grid(dues_page, wait_ops, monkeypatch):
    db = dues_page.ctx.db
    month = TODAY.month
    assert [r.name for r in dues_page.grid_model.rows] == ["张建国", "李秀英"]
    assert dues_page.grid_model.index(0, FIRST_MONTH_COLUMN + month - 1).data() == "待交"
    dues_page.select_cells([(0, month), (1, month)])
    assert dues_page.act_pay.isEnabled()
    monkeypatch.setattr(PaymentDialog, "exec", filling(collected_by="赵书记"))
    dues_page.pay_selected()
    wait_ops()
    cells = [dues_page.grid_model.index(r, FIRST_MONTH_COLUMN + month - 1).data() for r in (0, 1)]
    assert cells == ["15.00", "45.00"]
    assert "已登记 2 人" in dues_page.message.text()
    (entry,) = ledger.list_entries(db)
    assert entry.account_name == "党费" and entry.amount_fen == 6000 and entry.handler == "赵书记"
    assert dues.dues_last_paid(db, dues_page.grid_model.rows[0].member_id) == TODAY

    # Undo one member's payment: a reversal, and the other member's money posted again.
    dues_page.select_cells([(1, month)])
    monkeypatch.setattr(ReasonDialog, "exec", filling(reason="登记错人"))
    monkeypatch.setattr(common, "ask", lambda *a: True)
    dues_page.cancel_selected()
    wait_ops()
    assert dues_page.grid_model.index(1, FIRST_MONTH_COLUMN + month - 1).data() == "待交"
    acc = next(a for a in ledger.list_accounts(db) if a.is_dues)
    assert ledger.balance(db, acc.id, TODAY) == 1500


def test_a_refused_payment_stays_in_its_dialog_with_what_was_typed(dues_page, wait_ops, monkeypatch):
    db = dues_page.ctx.db
    last = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    ledger.close_month(db, last, today=TODAY)
    dues_page.select_cells([(0, 1)])
    filled.clear()
    monkeypatch.setattr(PaymentDialog, "exec", filling(collected_by="赵书记", note="现金", date=last))
    dues_page.pay_selected()
    wait_ops()
    (dlg,) = filled
    assert f"{last.year}年{last.month}月已结账" in dlg.message.text() and dlg.result() != QDialog.DialogCode.Accepted
    assert (dlg.collected_by.text(), dlg.note.text()) == ("赵书记", "现金")
    assert ledger.list_entries(db) == [] and "已登记" not in dues_page.message.text()


def test_set_a_base_from_the_page(dues_page, wait_ops, monkeypatch):
    dues_page.select_cells([(0, 1)])
    monkeypatch.setattr(DuesBaseDialog, "exec", filling(category="离退休", income="6000", month=date(TODAY.year, 1, 1)))
    dues_page.edit_base()
    wait_ops()
    row = dues_page.grid_model.rows[0]
    assert row.category == "离退休" and row.monthly_due_fen == 6000
    assert "每月应交 60.00 元" in dues_page.message.text()


def test_base_dialog_previews_the_due(qtbot, app_ctx):
    dlg = DuesBaseDialog(None, "张建国", dues.rate_rules(app_ctx.db), on=date(2024, 5, 1))
    qtbot.addWidget(dlg)
    dlg.category.setCurrentText("在职")
    dlg.income.setText("5000.01")
    assert dlg.preview.text() == "75.00 元（5,000.01×1.5%）"
    dlg.category.setCurrentText("学生")
    assert not dlg.income.isEnabled() and dlg.preview.text().startswith("0.20 元")
    dlg.category.setCurrentText("农民")
    dlg.fixed.setText("1.5")
    assert "不在范围内" in dlg.message.text()


def test_arrears_tab_lists_members_who_owe(dues_page, members, wait_ops):
    _, ids = members
    # 张建国's base from last January: twelve months of last year unpaid, whatever today is.
    dues.set_base(dues_page.ctx.db, ids[0], date(TODAY.year - 1, 1, 1), EMPLOYED, 300_000)
    dues_page.tabs.setCurrentIndex(1)
    wait_ops()
    rows = {r.name: r for r in dues_page.arrears_model.rows}
    assert "张建国" in rows and rows["张建国"].lapse_risk
    assert rows["张建国"].months[0] == date(TODAY.year - 1, 1, 1)
    assert "连续6个月以上未交" in dues_page.arrears_label.text()
    assert dues_page.arrears_model.index(0, 7).data() == "连续6个月未交纳党费，请谈话提醒"


def test_dues_models_with_rows_pass_the_model_tester(qtmodeltester, dues_page, members, wait_ops):
    _, ids = members
    dues.set_base(dues_page.ctx.db, ids[0], date(TODAY.year - 1, 1, 1), EMPLOYED, 300_000)
    dues_page.tabs.setCurrentIndex(1)
    wait_ops()
    assert dues_page.grid_model.rowCount() == 2 and dues_page.arrears_model.rowCount() >= 1
    for model in (dues_page.grid_model, dues_page.arrears_model, dues_page.no_base_model):
        qtmodeltester.check(model)
    assert ARREARS_COLUMNS[5].color(dues_page.arrears_model.row(0)) is not None  # lapse risk shows red


def test_an_entry_dialog_that_saves_itself_shows_a_refusal_inside(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    acc = ledger.list_accounts(db)[0]
    ledger.post_entry(db, ledger.EntryInput(date(2024, 1, 5), acc.id, "收入", 100_000, "上级拨款", memo="拨款"))
    ledger.close_month(db, date(2024, 1, 1), today=date(2024, 2, 1))
    dlg = EntryDialog(None, "支出", ledger.list_accounts(db), ["活动"], handler="王芳",
                      save=lambda inp: ledger.post_entry(db, inp))
    qtbot.addWidget(dlg)
    dlg.date.setDate(QDate(2024, 1, 20))
    dlg.amount.setText("50")
    dlg.memo.setText("补记")
    dlg.accept()
    wait_ops()
    assert "2024年1月已结账" in dlg.message.text() and dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.memo.text() == "补记"  # what was typed is still there to correct
    dlg.date.setDate(QDate(TODAY.year, TODAY.month, 1))
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.saved.entry.amount_fen == 5000


# ---------------------------------------------------------------- 余额与月报 with 党费 apart
MONTH = date(TODAY.year, TODAY.month, 1)


@pytest.fixture
def month_books(app_ctx, members):
    """This month: both members' 党费 paid through the dues service (60.00), and one 经费 income and expense."""
    db = app_ctx.db
    dues.record_payments(db, [dues.PaymentInput(i, (MONTH,)) for i in members[1]], TODAY, "赵书记")
    funds = next(a for a in ledger.list_accounts(db) if not a.is_dues)
    ledger.post_entry(db, ledger.EntryInput(TODAY, funds.id, rules.INCOME, 200_000, "上级拨款", memo="拨款"))
    ledger.post_entry(db, ledger.EntryInput(TODAY, funds.id, rules.EXPENSE, 30_000, "办公", memo="纸"))
    return funds


def _at_1366(page, wait_ops):
    page.resize(1366, 768)
    page.statement_month.setDate(QDate(MONTH.year, MONTH.month, 1))
    page.date_from.setDate(QDate(MONTH.year, MONTH.month, 1))
    end = rules.month_end(MONTH)
    page.date_to.setDate(QDate(end.year, end.month, end.day))
    wait_ops()


def test_the_month_total_leaves_dues_out_then_adds_them_as_the_annual_pdf_does(page, month_books, wait_ops, tmp_path):
    # The 月报's 合计 added the 党费 account in, while the 年度收支 PDF and the 工作台 count 经费 without it.
    db = page.ctx.db
    _at_1366(page, wait_ops)
    page.tabs.setCurrentIndex(1)
    m = page.statement_model
    rows = [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
    dues_account = next(a for a in ledger.list_accounts(db) if a.is_dues)
    assert [r[0] for r in rows[-3:]] == ["合计（不含党费）", dues_account.name, "总计（含党费）"]  # the PDF's order
    assert "合计" not in [r[0] for r in rows]
    funds_total, dues_line, grand = rows[-3:]
    assert funds_total[2:4] == [format_yuan(200_000), format_yuan(30_000)]  # 党费 60.00 not in it
    assert dues_line[2] == format_yuan(6_000)
    assert grand[2:4] == [format_yuan(206_000), format_yuan(30_000)]
    # the month split as the year is for the 工作台 and the PDF: one read model, the same 党费 accounts
    month = ledger.monthly_funds(db, TODAY.year, TODAY.month)
    assert month.funds_total.income_fen == 200_000 and month.dues_total.income_fen == 6_000
    assert month.dues_account_ids == ledger.yearly_funds(db, TODAY.year).dues_account_ids
    assert page.grab().save(str(tmp_path / "月报.png"))  # to be looked at


def test_the_entries_total_names_the_dues_in_it(page, month_books, wait_ops, tmp_path):
    # 全部账户 lists 经费 and 党费 together: the sum says how much of it is 党费, as the PDF's 月度收支（含党费）.
    _at_1366(page, wait_ops)
    text = page.totals.text()
    assert f"收入 {format_yuan(206_000)} 元" in text and f"（含党费：收入 {format_yuan(6_000)} 元，支出 0.00 元）" in text
    assert page.grab().save(str(tmp_path / "收支明细.png"))
    page.account_filter.setCurrentIndex(page.account_filter.findData(month_books.id))
    wait_ops()
    assert "党费" not in page.totals.text()


def test_a_month_with_nothing_in_it_still_shows_the_split(app_ctx):
    month = ledger.monthly_funds(app_ctx.db, TODAY.year, TODAY.month)
    assert month.funds_total.income_fen == 0 and month.total.income_fen == 0
    assert [x.account_name for x in month.rows][-1] == ("总计（含党费）" if month.dues else "合计（不含党费）")
