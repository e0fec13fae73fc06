"""经费台账: entries with filters, balances and the month's statement, budget against actual.

Every figure comes from services.ledger off the GUI thread. Entering an
expense or income opens EntryDialog; a mistake is corrected by a 红字冲销
(ReverseDialog, then a confirmation); a month is closed (结账) after a
confirmation that says what it means. Filtering happens in SQL: the table
model only holds the rows the service returned. Printing and the Excel export
are service calls too (print_vouchers, print_account_ledger, print_annual_ledger,
export_entries_xlsx).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QWidget,
)

from desktop_app.domain import ledger as rules
from desktop_app.domain.clock import closing_year
from desktop_app.domain.money import format_yuan
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets import forms
from desktop_app.gui.widgets.forms import year_spin
from desktop_app.gui.widgets.layouts import column, fill
from desktop_app.gui.ledger.dialogs import (
    AccountDialog,
    BudgetDialog,
    EntryDialog,
    ReverseDialog,
)
from desktop_app.gui.ledger.forms import (
    date_edit,
    from_qdate,
    make_table,
    to_qdate,
)
from desktop_app.gui.ledger.models import (
    BALANCE_COLUMNS,
    BUDGET_COLUMNS,
    ENTRY_COLUMNS,
    STATEMENT_COLUMNS,
    entry_color,
)
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import debounced, heading, search_box, toolbar
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import ColumnModel
from desktop_app.services import ledger
from desktop_app.services.ledger import EntryFilter
from desktop_app.views.changes import Change, changes
from desktop_app.views.ledger import (
    AccountBalance,
    AccountInfo,
    BudgetLine,
    EntryRow,
    PostResult,
)
from desktop_app.views.ledger_funds import MonthFunds

TEXT_DELAY_MS = 250
TABS = ("entries", "balances", "budget")  # the tabs in their order, by the names a to-do or figure opens them with
WRITES = changes(Change.LEDGER)


BUDGET_LEVELS = f"支出达到预算的 {rules.WARN_PERCENT}% 时提示“接近预算”，超过时标红。"


@dataclass(frozen=True)
class LedgerView:
    """Everything the page shows, loaded in one background call."""

    accounts: list[AccountInfo]
    entries: list[EntryRow]
    balances: list[AccountBalance]
    month: MonthFunds  # the 月报, 党费 apart as the 年度收支 PDF and the 工作台 keep it
    budgets: list[BudgetLine]
    next_to_close: date | None
    closed: list[date]
    voucher_hint: str
    books: list[tuple[str | None, str]]  # whose books: own (None) and, at a street, each community's
    book: str | None  # the books shown
    refusal: str = ""  # why this account may not keep the database's own books ("": it may)
    budget_year: int = 0  # the year `budgets` are of


def _read_at(line: BudgetLine | None, account_id: str, year: int, category: str) -> int | None:
    """The version of the budget line the form opened on, while it still saves that line (a form moved to
    another account, year or category, or opened blank, sets that one as 设置预算 always has)."""
    if line is None or (line.account_id, line.year, line.category) != (account_id, year, category):
        return None
    return line.version


def _dues_part(v: LedgerView) -> str:
    """The listed entries' 党费, when 经费 are listed with them: the 月报 and the 年度收支 PDF keep 党费 apart."""
    dues = {a.id for a in v.accounts if a.is_dues}
    mine = [e for e in v.entries if e.account_id in dues]
    if not mine or len(mine) == len(v.entries):
        return ""
    return (f"（含党费：收入 {format_yuan(sum(e.income_fen for e in mine))} 元，"
            f"支出 {format_yuan(sum(e.expense_fen for e in mine))} 元）")


class LedgerPage(Page):
    watches = changes(Change.LEDGER, Change.DUES)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.view: LedgerView | None = None
        self.handler = ""
        from desktop_app.services import auth

        actor = auth.current_actor(ctx.db)
        # 录入人 is whoever is logged in, so the voucher's 记账 line is never blank
        self.entered_by = actor.name if actor is not None and actor.user_id else ""
        self._select_after: list[str] = []
        self._wanted_budget: tuple[str, str] | None = None
        self._generation = 0  # the newest refresh: only its load is shown
        today = date.today()
        self._build(today)

    # ------------------------------------------------------------------ layout
    def _build(self, today: date) -> None:
        # At a street office each community's books came in its packages: read them one at a time.
        self.street = self.ctx.site.is_top
        self.book = QComboBox()
        self.book.addItem(self.ctx.site.org_name + "（本级）", None)
        self.book.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.book.setToolTip(f"选择查看哪个社区的经费台账；社区的账由社区记，{self.ctx.site.level_label}只能查看")
        self.book.currentIndexChanged.connect(lambda _i: self._book_changed())
        self.own_book_actions: list[QAction] = []
        # filters
        self.account_filter = QComboBox()
        self.account_filter.setMinimumContentsLength(10)
        self.account_filter.addItem("全部账户", None)
        self.direction_filter = QComboBox()
        for text, value in (("收入和支出", None), ("收入", rules.INCOME), ("支出", rules.EXPENSE)):
            self.direction_filter.addItem(text, value)
        self.date_from = date_edit(date(today.year, 1, 1))
        self.date_to = date_edit(date(today.year, 12, 31))
        self.search = search_box("搜索凭证号、摘要、收付款方、经办人")
        self._search_later = debounced(self, self.refresh, TEXT_DELAY_MS)
        self.search.textChanged.connect(self._search_later)
        for combo in (self.account_filter, self.direction_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())

        filters = fill(QHBoxLayout(), QLabel("账户"), self.account_filter, self.direction_filter, QLabel("日期"),
                       self.date_from, QLabel("至"), self.date_to, (self.search, 1))

        tb, action = toolbar(self)
        # 记一笔 from the keyboard, as 新增 is Ctrl+N on the other pages: the spending kept most, then the income
        self.act_expense = action("expense", "记支出", self.add_expense, "Ctrl+N", writes=True)
        self.act_income = action("income", "记收入", self.add_income, "Ctrl+Shift+N", writes=True)
        self.act_reverse = action("reverse", "红字冲销", self.reverse_selected, tip="记错的凭证用红字冲销更正，原凭证保留",
                                  writes=True)
        self.act_attach = action("attach", "添加附件", self.attach_selected, tip="把扫描的发票、收据附到凭证上", writes=True)
        self.act_open_attachment = action("open", "查看附件", self.open_attachments)
        tb.addSeparator()
        self.act_voucher = action("voucher", "打印凭证", self.print_vouchers)
        self.act_print = action("print", "打印明细账", self.print_account_ledger)
        self.act_export = action("excel", "导出Excel", self.export_xlsx)
        tb.addSeparator()
        self.act_close = action("close-month", "结账", self.close_next_month, writes=True)
        self.act_rebuild = action("refresh", "重建余额", self.rebuild_balances,
                                  tip="按账目重新计算各已结账月份的月度余额（年度汇总、明细账的期初余额据此计算）",
                                  writes=True)
        self.own_book_actions += [self.act_expense, self.act_income, self.act_close]

        self.entries_model = ColumnModel(ENTRY_COLUMNS, entry_color, self)
        self.table = make_table(self.entries_model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda _i: self.open_attachments())  # a double-click, or Enter
        self.totals = QLabel()
        self.totals.setObjectName("cardDetail")

        entries_tab = QWidget()
        column(entries_tab, filters, tb, (self.table, 1), self.totals)

        # balances and the month's statement
        self.balance_date = date_edit(today)
        self.balance_date.dateChanged.connect(lambda _d: self.refresh())
        self.statement_month = date_edit(date(today.year, today.month, 1), month_only=True)
        self.statement_month.dateChanged.connect(lambda _d: self.refresh())
        self.balances_model = ColumnModel(BALANCE_COLUMNS, parent=self)
        self.balances_table = make_table(self.balances_model, self)
        self.statement_model = ColumnModel(STATEMENT_COLUMNS, parent=self)
        self.statement_table = make_table(self.statement_model, self)
        self.statement_state = QLabel()
        acc_bar, acc_action = toolbar(self)
        self.own_book_actions += [acc_action("add", "新增账户", self.add_account, writes=True),
                                  acc_action("rename", "修改账户", self.rename_account, writes=True),
                                  acc_action("cancel", "停用/启用", self.toggle_account, writes=True)]
        bal_tab = QWidget()
        column(bal_tab, fill(QHBoxLayout(), QLabel("截至"), self.balance_date, QLabel("各账户余额"), 1, acc_bar),
               (self.balances_table, 1), fill(QHBoxLayout(), QLabel("月报"), self.statement_month, self.statement_state, 1),
               (self.statement_table, 1))

        # budgets
        # in January the year just ended: its final 预算执行 and 年度汇总 are the month's work (as `dangqun report ledger`)
        self.budget_year = year_spin(closing_year(today), self.refresh)
        self.budget_model = ColumnModel(BUDGET_COLUMNS, parent=self)
        self.budget_table = make_table(self.budget_model, self)
        self.budget_table.doubleClicked.connect(lambda _i: self.edit_budget())
        bud_bar, bud_action = toolbar(self)
        self.act_budget = bud_action("budget", "设置预算", self.set_budget, writes=True)
        self.act_carry = bud_action("plan-batch", "沿用到下一年", self.carry_budgets, writes=True,
                                    tip="按所选年度的预算设置下一年的预算（金额、备注照旧；下一年已设置的项目不变）")
        self.own_book_actions += [self.act_budget, self.act_carry,
                                  bud_action("delete", "删除预算", self.remove_budget, writes=True)]
        bud_action("print", "打印年度汇总", self.print_annual)
        self.budget_hint = QLabel(BUDGET_LEVELS)
        self.budget_hint.setObjectName("cardDetail")
        bud_tab = QWidget()
        column(bud_tab, fill(QHBoxLayout(), QLabel("年度"), self.budget_year, 1, bud_bar), (self.budget_table, 1),
               self.budget_hint)

        self.tabs = QTabWidget()
        self.tabs.addTab(entries_tab, icons.get("ledger"), "收支明细")
        self.tabs.addTab(bal_tab, icons.get("account"), "余额与月报")
        self.tabs.addTab(bud_tab, icons.get("budget"), "预算执行")

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        self.closed_label = QLabel()
        self.closed_label.setObjectName("cardDetail")
        street = [QLabel("账簿"), self.book] if self.street else []
        top = fill(QHBoxLayout(), heading("经费台账"), *street, 1, self.closed_label)
        column(self, top, self.message, (self.tabs, 1))
        self._update_actions()

    # ------------------------------------------------------------------ loading
    def filter_widgets(self) -> dict[str, QWidget]:
        return {"book": self.book, "account": self.account_filter, "direction": self.direction_filter,
                "text": self.search, "budget_year": self.budget_year}

    def apply_filter(self, year: int | None = None, tab: str | None = None,
                     budget_line: tuple[str, str] | None = None, **values) -> dict:
        """`year`: the entries of that year and its budget. `tab`: "entries", "balances" or "budget";
        `budget_line`: (account id, category) of the 预算执行 line to select once loaded (an 超出预算 to-do)."""
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))
        self._wanted_budget = budget_line
        if year is not None:
            for edit, day in ((self.date_from, date(year, 1, 1)), (self.date_to, date(year, 12, 31))):
                edit.blockSignals(True)
                edit.setDate(to_qdate(day))
                edit.blockSignals(False)
            values["budget_year"] = year
        account = values.get("account")
        if account and self.account_filter.findData(account) < 0:
            # the accounts arrive with the first load: hold the one asked for (概览's 待办 on an overdrawn
            # account) so that load lists its entries; _fill_accounts then names it
            self.account_filter.addItem("", account)
        return super().apply_filter(**values)

    def current_filter(self) -> EntryFilter:
        return EntryFilter(
            account_id=self.account_filter.currentData(),
            date_from=from_qdate(self.date_from.date()),
            date_to=from_qdate(self.date_to.date()),
            direction=self.direction_filter.currentData(),
            text=self.search.text().strip(),
        )

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        flt = self.current_filter()
        on = from_qdate(self.balance_date.date())
        month = from_qdate(self.statement_month.date())
        year = self.budget_year.value()
        book, street = self.book.currentData(), self.street

        def load(job) -> LedgerView:
            books = ledger.books(db) if street else []
            # an account confined to one community has no own books here: it opens its community's
            chosen = book if any(b == book for b, _ in books) else (books[0][0] if books else None)
            accounts = ledger.list_accounts(db, book=chosen)
            return LedgerView(
                accounts=accounts,
                entries=ledger.list_entries(db, flt, book=chosen),
                balances=ledger.balances(db, on, book=chosen),
                month=ledger.monthly_funds(db, month.year, month.month, book=chosen),
                budgets=ledger.budget_report(db, year, book=chosen),
                next_to_close=ledger.next_month_to_close(db, book=chosen),
                closed=ledger.closed_months(db, book=chosen),
                voucher_hint=ledger.suggest_voucher_no(db, date.today().year),
                books=books,
                book=chosen,
                refusal=ledger.own_book_refusal(db),
                budget_year=year,
            )

        self._generation = generation = self._generation + 1

        def show(v: LedgerView) -> None:
            # a load started before a newer one (a save's change notice, then the year it switched to) may
            # arrive last: only the newest is shown, or the old year's lines stand under the new year
            if generation == self._generation:
                self._show(v)

        run_op(self, load, show)

    def _show(self, v: LedgerView) -> None:
        keep = self._select_after or self.selected_ids()
        self._select_after = []
        self.view = v
        self._fill_books(v)
        if v.refusal and not v.books:  # confined, and its community has sent no books yet
            self.book.blockSignals(True)
            self.book.clear()
            self.book.addItem("（没有可查看的账簿）", None)
            self.book.blockSignals(False)
            self.show_message(f"没有可查看的经费台账。{v.refusal}")
        self._fill_accounts(v.accounts)
        self.entries_model.set_rows(v.entries)
        income = sum(e.income_fen for e in v.entries)
        expense = sum(e.expense_fen for e in v.entries)
        self.totals.setText(
            f"共 {len(v.entries)} 笔　收入 {format_yuan(income)} 元　支出 {format_yuan(expense)} 元　"
            f"差额 {format_yuan(income - expense)} 元" + _dues_part(v)
        )
        self.balances_model.set_rows(v.balances)
        self.statement_model.set_rows(v.month.rows)
        self.statement_state.setText(
            ("已结账" if v.month.statement.closed else "未结账") + f"，本月凭证 {v.month.statement.entry_count} 张"
        )
        self.budget_model.set_rows(v.budgets)
        self._say_budget_year(v)
        self._select_budget_line()
        last = v.closed[-1] if v.closed else None
        self.closed_label.setText(
            f"已结账至 {rules.month_label(last)}" if last else "尚未结账"
        )
        self.act_close.setText(f"结账（{rules.month_label(v.next_to_close)}）" if v.next_to_close else "结账")
        self.select_ids(keep)
        self._update_actions()
        self.loaded.emit()

    def _fill_books(self, v: LedgerView) -> None:
        # by the books' ids, not their number: a confined account's one community replaces the own book's line
        if v.books and [self.book.itemData(i) for i in range(self.book.count())] != [b for b, _ in v.books]:
            self.book.blockSignals(True)
            self.book.clear()
            for book, name in v.books:
                self.book.addItem(name + ("（本级）" if book is None else ""), book)
            self.book.setCurrentIndex(max(0, self.book.findData(v.book)))
            self.book.blockSignals(False)

    def reading_other_book(self) -> bool:
        """A community's books, read at the street: nothing may be written to them here."""
        return self.book.currentData() is not None

    def _book_changed(self) -> None:
        self.account_filter.blockSignals(True)
        self.account_filter.setCurrentIndex(0)  # another book has other accounts
        self.account_filter.blockSignals(False)
        self.refresh()

    def _fill_accounts(self, accounts: list[AccountInfo]) -> None:
        current = self.account_filter.currentData()
        self.account_filter.blockSignals(True)
        self.account_filter.clear()
        self.account_filter.addItem("全部账户", None)
        for a in accounts:
            self.account_filter.addItem(a.name + ("（已停用）" if not a.active else ""), a.id)
        i = self.account_filter.findData(current)
        self.account_filter.setCurrentIndex(max(i, 0))
        self.account_filter.blockSignals(False)

    # ------------------------------------------------------------------ selection
    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.entries_model.rows[r].id for r in rows if r < len(self.entries_model.rows)]

    def selected_entry(self) -> EntryRow | None:
        ids = self.selected_ids()
        if not ids:
            return None
        return next((e for e in self.entries_model.rows if e.id == ids[0]), None)

    def select_ids(self, ids: Sequence[str]) -> None:
        wanted = set(ids)
        self.table.clearSelection()
        flags = self.table.selectionModel().SelectionFlag.Select | self.table.selectionModel().SelectionFlag.Rows
        for row, e in enumerate(self.entries_model.rows):
            if e.id in wanted:
                self.table.selectionModel().select(self.entries_model.index(row, 0), flags)
                self.table.scrollTo(self.entries_model.index(row, 0))

    def _update_actions(self) -> None:
        e = self.selected_entry()
        refusal = self.view.refusal if self.view is not None else ""
        other = self.reading_other_book() or bool(refusal)
        self.act_reverse.setEnabled(bool(e and e.can_reverse) and not other)
        self.act_attach.setEnabled(bool(e and not e.month_closed) and not other)
        self.act_open_attachment.setEnabled(bool(e and e.attachments))
        self.act_voucher.setEnabled(e is not None)
        why = refusal or f"“{self.book.currentText()}”的账由该社区自己记，{self.ctx.site.level_label}只能查看和打印"
        for act in self.own_book_actions + [self.act_reverse, self.act_attach]:
            if other:
                act.setEnabled(False)
                act.setToolTip(f"{act.text()}：{why}")
            elif act in self.own_book_actions:
                act.setEnabled(True)
                act.setToolTip(act.text())

    def show_message(self, text: str, warnings: Sequence[str] = ()) -> None:
        html = text
        if warnings:
            html += "<br>" + "<br>".join(f'<span style="color:#b26a00">预算提示：{w}</span>' for w in warnings)
        self.message.setText(html)
        self.message.setVisible(bool(html))

    # ------------------------------------------------------------------ writing
    def _write(self, fn: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        db = self.ctx.db
        run_op(self, lambda job: fn(db), done, changes=WRITES)

    def _accounts(self) -> list[AccountInfo]:
        return self.view.accounts if self.view else []

    def add_expense(self) -> None:
        self._enter(rules.EXPENSE)

    def add_income(self) -> None:
        self._enter(rules.INCOME)

    def _enter(self, direction: str) -> None:
        db = self.ctx.db

        def load(job) -> tuple[list[AccountInfo], tuple[str, ...]]:
            cats = rules.DEFAULT_CATEGORIES[direction]
            try:
                cats = tuple(ledger.categories(db, direction))
            except Exception:
                pass
            return ledger.list_accounts(db), cats

        run_op(self, load, lambda loaded: self._enter_with(direction, *loaded))

    def _enter_with(self, direction: str, accounts: list[AccountInfo], cats: Sequence[str]) -> None:
        db = self.ctx.db
        # The dialog saves itself, so a refusal (a closed month …) leaves it open with what was typed.
        dlg = EntryDialog(
            self, direction, accounts, cats,
            account_id=self.account_filter.currentData(), handler=self.handler, entered_by=self.entered_by,
            voucher_hint=self.view.voucher_hint if self.view else "",
            save=lambda inp: ledger.post_entry(db, inp), changes=WRITES,
        )
        if dlg.exec() != EntryDialog.DialogCode.Accepted or dlg.saved is None:
            return
        inp, result = dlg.result_input(), dlg.saved
        self.handler, self.entered_by = inp.handler, inp.entered_by
        e = result.entry
        self.show_message(
            f"已记账：凭证 {e.voucher_no}，{e.account_name} {e.direction} {format_yuan(e.amount_fen)} 元。",
            result.warnings,
        )
        self._select_after = [e.id]

    def reverse_selected(self) -> None:
        e = self.selected_entry()
        if e is None:
            return
        if not e.can_reverse:
            common.inform(self, "不能冲销", "红字冲销凭证和已被冲销的凭证不能再冲销。")
            return
        if e.is_dues:
            common.inform(self, "请在党费页面撤销", "这笔是党费收缴，请在“党费”页面撤销交纳登记，系统会自动冲销。")
            return
        db = self.ctx.db
        dlg = ReverseDialog(self, e, self.entered_by, changes=WRITES,
                            save=lambda on, reason, entered_by:
                            ledger.reverse_entry(db, e.id, reason, on, entered_by=entered_by))
        if dlg.exec() != ReverseDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self.entered_by = dlg.values()[2] or self.entered_by
        self.show_message(
            f"已冲销：红字凭证 {dlg.saved.entry.voucher_no} 冲销了凭证 {e.voucher_no}。"
            "如需重新记正确的金额，请再记一笔。"
        )

    def close_next_month(self) -> None:
        month = self.view.next_to_close if self.view else None
        if month is None:
            common.inform(self, "结账", "没有可以结账的月份：上个月及以前的月份都已结账（本月要到月末才能结账）。")
            return
        if not common.ask(
            self, "确认结账",
            f"结账后，{rules.month_label(month)}的账目不能再录入、冲销或添加附件；"
            "发现错误只能在以后的月份记账更正。\n确定结账吗？",
        ):
            return
        closed_by = self.entered_by

        def done(m: date) -> None:
            self.show_message(f"{rules.month_label(m)}已结账。")

        self._write(lambda db: ledger.close_month(db, month, closed_by=closed_by), done)

    def rebuild_balances(self) -> None:
        if not common.ask(
            self, "重建月度余额",
            "将按账目重新计算每个已结账月份的月度余额。账目本身不会改变，各报表的数字也应保持不变。\n"
            "账目很多时需要一些时间。确定重建吗？",
        ):
            return
        self._write(ledger.rebuild_balances, lambda n: self.show_message(f"已重建月度余额：已结账 {n} 个月。"))

    def attach_selected(self) -> None:
        e = self.selected_entry()
        if e is None:
            return
        from desktop_app.gui.widgets.forms import ask_open_path  # starts in Documents, refuses the data folder

        path = ask_open_path(
            self, f"为凭证 {e.voucher_no} 添加附件",
            "发票、收据扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.bmp);;所有文件 (*)",
        )
        if not path:
            return
        self._write(lambda db: ledger.add_attachment(db, e.id, Path(path)),
                    lambda info: self.show_message(f"已添加附件“{info.file_name}”到凭证 {e.voucher_no}。"))

    def open_attachments(self) -> None:
        e = self.selected_entry()
        if e is None or not e.attachments:
            return
        db, entry_id = self.ctx.db, e.id

        def show(files) -> None:
            if files:
                path = files[0].path if len(files) == 1 else files[0].path.parent
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        run_op(self, lambda job: ledger.list_attachments(db, entry_id), show)

    # ------------------------------------------------------------------ printing and export
    def print_vouchers(self) -> None:
        ids = self.selected_ids()
        if not ids:
            common.inform(self, "打印凭证", "请先在表格中选中要打印的凭证（可多选）。")
            return
        first = self.selected_entry()
        name = f"记账凭证{first.voucher_no if first and len(ids) == 1 else ''}.pdf"
        db = self.ctx.db

        def render(path, job):
            return ledger.print_vouchers(db, path, ids=ids, progress=lambda page: job.report(page, 0))

        forms.save_file(self, "保存记账凭证", name, render, lambda path, _r: f"已保存 {len(ids)} 张凭证到 {path}",
                        "正在生成凭证…")

    def print_account_ledger(self) -> None:
        account_id = self.account_filter.currentData()
        if account_id is None:
            e = self.selected_entry()
            account_id = e.account_id if e else None
        if account_id is None:
            common.inform(self, "打印明细账", "请先在“账户”中选择要打印的账户。")
            return
        name = next((a.name for a in self._accounts() if a.id == account_id), "账户")
        first, last = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
        db = self.ctx.db

        def render(path, job):
            return ledger.print_account_ledger(db, account_id, path, first, last,
                                               progress=lambda page: job.report(page, 0))

        forms.save_file(self, "保存收支明细账", f"{name}收支明细账{first:%Y%m%d}-{last:%Y%m%d}.pdf", render,
                        lambda path, _r: f"已保存收支明细账到 {path}", "正在生成明细账…")

    def print_annual(self) -> None:
        year = self.budget_year.value()
        name = self.book.currentText().replace("（本级）", "") if self.street else ""
        db, book = self.ctx.db, self.book.currentData()
        forms.save_file(self, "保存年度经费收支汇总表", f"{name}{year}年度经费收支汇总表.pdf",
                        lambda path, _job: ledger.print_annual_ledger(db, year, path, book=book),
                        lambda path, _r: f"已保存年度汇总表到 {path}", "正在生成年度汇总…")

    def export_xlsx(self) -> None:
        first = from_qdate(self.date_from.date())
        db, flt, book = self.ctx.db, self.current_filter(), self.book.currentData()
        forms.save_file(self, "导出收支明细", f"经费收支明细{first:%Y}.xlsx",
                        lambda path, _job: ledger.export_entries_xlsx(db, path, flt=flt, book=book),
                        lambda path, n: f"已导出 {n} 笔到 {path}", "正在导出…")

    # ------------------------------------------------------------------ accounts and budgets
    def _selected_balance(self, action: str) -> AccountBalance | None:
        """The account chosen in the balance table; without one the user is told to choose it first."""
        rows = self.balances_table.selectionModel().selectedRows()
        if not rows:
            common.inform(self, action, "请先在余额表中选中一个账户。")
            return None
        return self.balances_model.row(rows[0].row())

    def _account_form(self, title: str, write: Callable[[Any, str, str], Any], done: Callable[[Any], None],
                      name: str = "", note: str = "") -> None:
        """Ask an account's name and note (new, or as they stand) and write them with `write(db, name, note)`."""
        db = self.ctx.db
        dlg = AccountDialog(self, title, name, note, save=lambda name, note: write(db, name, note), changes=WRITES)
        if dlg.exec() == AccountDialog.DialogCode.Accepted and dlg.saved is not None:
            done(dlg.saved)

    def add_account(self) -> None:
        self._account_form("新增账户", ledger.add_account, lambda a: self.show_message(f"已新增账户“{a.name}”。"))

    def rename_account(self) -> None:
        b = self._selected_balance("修改账户")
        if b is None:
            return
        acc = next(a for a in self._accounts() if a.id == b.account_id)
        self._account_form("修改账户", lambda db, name, note: ledger.rename_account(db, acc.id, name, note,
                                                                                   expected_version=acc.version),
                           lambda a: self.show_message(f"账户已改名为“{a.name}”，原有账目不受影响。"),
                           acc.name, acc.note)

    def toggle_account(self) -> None:
        b = self._selected_balance("停用账户")
        if b is None:
            return
        active = not b.active
        if not active and not common.ask(self, "停用账户", f"停用后“{b.name}”不能再记账（历史账目保留）。确定停用吗？"):
            return
        self._write(lambda db: ledger.set_account_active(db, b.account_id, active),
                    lambda a: self.show_message(f"账户“{a.name}”已{'启用' if a.active else '停用'}。"))

    def _select_budget_line(self) -> None:
        """Select the line a to-do asked for, once; a line no longer over its budget is simply not there to select."""
        wanted, self._wanted_budget = self._wanted_budget, None
        for k, line in enumerate(self.budget_model.rows):
            if wanted and (line.account_id, line.category) == tuple(wanted):
                self.budget_table.selectRow(k)
                self.budget_table.scrollTo(self.budget_model.index(k, 0))
                return

    def _selected_budget(self) -> BudgetLine | None:
        rows = self.budget_table.selectionModel().selectedRows()
        return self.budget_model.row(rows[0].row()) if rows else None

    def set_budget(self, line: BudgetLine | None = None) -> None:
        cats = [c for c in rules.DEFAULT_CATEGORIES[rules.EXPENSE] if c != rules.DUES_REMITTED]
        db = self.ctx.db
        dlg = BudgetDialog(
            self, [a for a in self._accounts() if not a.is_dues], self.budget_year.value(), cats,
            account_id=line.account_id if line else None, category=line.category if line else "",
            amount_fen=line.budget_fen if line else None, note=line.note if line else "",
            save=lambda account_id, year, category, fen, note:
            ledger.set_budget(db, account_id, year, fen, category, note,
                              expected_version=_read_at(line, account_id, year, category)), changes=WRITES,
        )
        if dlg.exec() != BudgetDialog.DialogCode.Accepted or dlg.saved is None:
            return
        b = dlg.saved
        self.show_message(f"已设置{b.year}年“{b.account_name}{'·' + b.category if b.category else ''}”预算 "
                          f"{format_yuan(dlg.values()[3])} 元。")

    def _say_budget_year(self, v: LedgerView) -> None:
        """The carry action names the year it fills; a year with no budget says how to set one."""
        year = v.budget_year
        self.act_carry.setText(f"沿用到{year + 1}年")
        unset = not any(b.budget_fen is not None for b in v.budgets)
        self.budget_hint.setText(
            f"{year}年还没有设置预算：点“设置预算”逐项设置，或选{year - 1}年后点“沿用到{year}年”。" if unset
            else BUDGET_LEVELS)

    def carry_budgets(self) -> None:
        source = self.budget_year.value()

        def done(lines: list[BudgetLine]) -> None:
            self.budget_year.setValue(source + 1)  # the year just set, shown
            self.show_message(f"已按{source}年的预算设置{source + 1}年预算 {len(lines)} 项，"
                              f"合计 {format_yuan(sum(b.budget_fen or 0 for b in lines if not b.category))} 元"
                              "（各账户总额；分类预算另列），可再逐项调整。")

        self._write(lambda db: ledger.carry_budgets(db, source, source + 1), done)

    def edit_budget(self) -> None:
        if self.act_budget.isVisible():  # a double-click of an account that may not keep the books opens nothing
            self.set_budget(self._selected_budget())

    def remove_budget(self) -> None:
        b = self._selected_budget()
        if b is None or b.budget_id is None:
            common.inform(self, "删除预算", "请先选中一条已设置的预算。")
            return
        if not common.ask(self, "删除预算", f"删除{b.year}年“{b.account_name}{'·' + b.category if b.category else ''}”的预算吗？"):
            return
        budget_id = b.budget_id
        self._write(lambda db: ledger.remove_budget(db, budget_id), lambda _r: self.show_message("预算已删除。"))
