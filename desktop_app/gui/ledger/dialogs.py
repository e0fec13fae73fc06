"""Dialogs of the 经费台账 page: entries, reversals, budgets, accounts.

Each dialog checks what it can on its own (amounts as yuan with at most two
decimals, required fields) and names the field in red; the service checks the
rest. They are SavingDialogs: with `save=` (as the page opens them) they save
themselves and show a refusal inside, keeping what was typed; without it OK
closes and the caller saves `values()`.
Tests fill the widgets and call accept().
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_yuan, parse_yuan
from desktop_app.gui.ledger.forms import amount_field, date_edit, from_qdate, to_qdate
from desktop_app.gui.widgets.forms import year_spin
from desktop_app.gui.widgets.layouts import form_layout, hint
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.services.ledger import EntryInput
from desktop_app.views.changes import Changes
from desktop_app.views.ledger import AccountInfo, EntryRow


class EntryDialog(SavingDialog):
    """记一笔收入 / 支出. Posted entries cannot be edited afterwards, so the form says so."""

    def __init__(
        self,
        parent: QWidget | None,
        direction: str,
        accounts: Sequence[AccountInfo],
        categories: Sequence[str],
        *,
        account_id: str | None = None,
        on: date | None = None,
        handler: str = "",
        entered_by: str = "",
        voucher_hint: str = "",
        save=None,
        changes: Changes | None = None,
    ):
        super().__init__(parent, f"记一笔{direction}", "记账", save=save, changes=changes)
        self.direction = rules.check_direction(direction)
        self.date = date_edit(on or date.today())
        self.account = QComboBox()
        for a in accounts:
            if a.active:
                self.account.addItem(a.name, a.id)
        if account_id:
            i = self.account.findData(account_id)
            if i >= 0:
                self.account.setCurrentIndex(i)
        self.amount, self.capitals = amount_field()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(list(categories))
        self.category.setCurrentIndex(-1)
        self.category.lineEdit().setPlaceholderText("如 " + "、".join(list(categories)[:3]))
        self.memo = QLineEdit()
        self.memo.setPlaceholderText("如 春节走访慰问困难党员")
        self.counterparty = QLineEdit()
        self.handler = QLineEdit(handler)
        self.entered_by = QLineEdit(entered_by)
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText(f"留空自动编号（{voucher_hint}）" if voucher_hint else "留空自动编号")
        self.form = form_layout(
            ("日期", self.date),
            ("账户", self.account),
            (f"{direction}金额（元）", self.amount),
            ("", self.capitals),
            ("类别", self.category),
            ("摘要", self.memo),
            ("付款方" if direction == rules.INCOME else "收款方", self.counterparty),
            ("经办人", self.handler),
            ("录入人", self.entered_by),
            ("凭证号", self.voucher),
        )
        note = hint("记账后不能修改或删除；记错了请用“红字冲销”更正。")
        self.finish_layout(self.form, note)
        self.setMinimumWidth(440)
        self.first_field = self.amount

    def check(self) -> None:
        if self.account.currentIndex() < 0:
            raise ValidationError("账户", "请选择账户")
        rules.check_amount(parse_yuan(self.amount.text(), f"{self.direction}金额"))
        if not self.memo.text().strip():
            raise ValidationError("摘要", "请填写摘要，写明这笔钱的用途或来源")
        if not self.handler.text().strip():
            raise ValidationError("经办人", "请填写经办人")
        if self.voucher.text().strip():
            rules.normalize_voucher(self.voucher.text(), from_qdate(self.date.date()))

    def confirmed(self) -> bool:
        """An entry can never be edited once posted (only 红字冲销): say so and ask before posting."""
        if not self.isVisible():  # the worker's last look; a scripted fill (tests) has nothing to look at
            return True
        from desktop_app.gui.widgets import common

        inp = self.result_input()
        return common.ask(self, "确认记账", (
            f"{inp.entry_date.isoformat()}　{self.account.currentText()}　{inp.direction} "
            f"{format_yuan(inp.amount_fen)} 元\n摘要：{inp.memo}\n\n"
            "记账后这笔账不能修改或删除；发现错误只能红字冲销。\n确定记账吗？"))

    def values(self) -> tuple[EntryInput]:
        return (self.result_input(),)

    def result_input(self) -> EntryInput:
        return EntryInput(
            entry_date=from_qdate(self.date.date()),
            account_id=self.account.currentData(),
            direction=self.direction,
            amount_fen=parse_yuan(self.amount.text()),
            category=self.category.currentText().strip(),
            counterparty=self.counterparty.text().strip(),
            handler=self.handler.text().strip(),
            entered_by=self.entered_by.text().strip(),
            memo=self.memo.text().strip(),
            voucher_no=self.voucher.text().strip(),
        )


class ReverseDialog(SavingDialog):
    """红字冲销: a new entry of the negative amount that points to the wrong one."""

    def __init__(self, parent: QWidget | None, entry: EntryRow, entered_by: str = "", on: date | None = None,
                 save=None, changes: Changes | None = None):
        super().__init__(parent, f"红字冲销凭证 {entry.voucher_no}", "生成红字凭证", save=save, changes=changes)
        self.entry = entry
        what = QLabel(
            f"凭证 {entry.voucher_no}　{entry.entry_date.isoformat()}　{entry.account_name}\n"
            f"{entry.direction} {format_yuan(entry.amount_fen)} 元　{entry.summary}"
        )
        what.setWordWrap(True)
        self.date = date_edit(max(on or date.today(), entry.entry_date))
        self.date.setMinimumDate(to_qdate(entry.entry_date))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 金额录错，应为 80.00 元")
        self.entered_by = QLineEdit(entered_by)
        self.form = form_layout(
            ("原凭证", what),
            ("冲销日期", self.date),
            ("冲销原因", self.reason),
            ("录入人", self.entered_by),
        )
        note = hint(f"将记一笔 {entry.direction} -{format_yuan(entry.amount_fen)} 元的红字凭证，原凭证保留不变。")
        note.setWordWrap(True)
        self.finish_layout(self.form, note)
        self.setMinimumWidth(440)
        self.first_field = self.reason

    def check(self) -> None:
        if not self.reason.text().strip():
            raise ValidationError("冲销原因", "请写明冲销原因，便于审计")

    def confirmed(self) -> bool:
        """A reversal stays on the books for good: ask before it is posted, with the dialog still open."""
        from desktop_app.gui.widgets import common

        e, on = self.entry, from_qdate(self.date.date())
        return common.ask(
            self, "确认红字冲销",
            f"将为凭证 {e.voucher_no}（{e.direction} {format_yuan(e.amount_fen)} 元）记一张红字凭证，"
            f"金额 -{format_yuan(e.amount_fen)} 元，日期 {on.isoformat()}。\n原凭证保留不变。确定冲销吗？",
        )

    def values(self) -> tuple[date, str, str]:
        return from_qdate(self.date.date()), self.reason.text().strip(), self.entered_by.text().strip()


class BudgetDialog(SavingDialog):
    def __init__(
        self,
        parent: QWidget | None,
        accounts: Sequence[AccountInfo],
        year: int,
        categories: Sequence[str],
        *,
        account_id: str | None = None,
        category: str = "",
        amount_fen: int | None = None,
        note: str = "",
        save=None,
        changes: Changes | None = None,
    ):
        super().__init__(parent, "设置预算", "保存", save=save, changes=changes)
        self.account = QComboBox()
        for a in accounts:
            self.account.addItem(a.name, a.id)
        if account_id:
            self.account.setCurrentIndex(max(0, self.account.findData(account_id)))
        self.year = year_spin(year, suffix="")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("")
        self.category.addItems([c for c in categories if c])
        self.category.lineEdit().setPlaceholderText("留空为整个账户的预算")
        self.category.setCurrentText(category)
        self.amount, self.capitals = amount_field("如 50000")
        if amount_fen is not None:
            self.amount.setText(format_yuan(amount_fen, grouping=False))
        self.note = QLineEdit(note)
        self.form = form_layout(
            ("账户", self.account),
            ("年度", self.year),
            ("支出类别", self.category),
            ("预算金额（元）", self.amount),
            ("", self.capitals),
            ("备注", self.note),
        )
        self.finish_layout(self.form)
        self.setMinimumWidth(440)

    def check(self) -> None:
        if self.account.currentIndex() < 0:
            raise ValidationError("账户", "请选择账户")
        parse_yuan(self.amount.text(), "预算金额")

    def values(self) -> tuple[str, int, str, int, str]:
        return (self.account.currentData(), self.year.value(), self.category.currentText().strip(),
                parse_yuan(self.amount.text()), self.note.text().strip())


class AccountDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, title: str, name: str = "", note: str = "", save=None,
                 changes: Changes | None = None):
        super().__init__(parent, title, "保存", save=save, changes=changes)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("如 共建单位资助")
        self.note = QLineEdit(note)
        self.form = form_layout(
            ("账户名称", self.name),
            ("说明", self.note),
        )
        self.finish_layout(self.form)
        self.setMinimumWidth(380)

    def check(self) -> None:
        rules.check_account_name(self.name.text())

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.note.text().strip()
