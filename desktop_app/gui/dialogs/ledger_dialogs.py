"""Dialogs of the 经费台账 and 党费 pages: entries, reversals, budgets, accounts, payments, bases.

Each dialog checks what it can on its own (amounts as yuan with at most two
decimals, required fields) and names the field in red; the service checks the
rest. Tests fill the widgets and call accept().
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSpinBox, QVBoxLayout, QWidget,
)

from desktop_app.domain import dues as dues_rules
from desktop_app.domain import ledger as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import amount_in_capitals, format_yuan, parse_yuan
from desktop_app.services.dues import DuesBaseInfo
from desktop_app.services.ledger import AccountInfo, EntryInput, EntryRow

ERROR_STYLE = "color: #c8161e"
HINT_STYLE = "color: #666666"


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date, month_only: bool = False) -> QDateEdit:
    edit = QDateEdit(to_qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月" if month_only else "yyyy-MM-dd")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    return edit


class _FormDialog(QDialog):
    """A form, a red error line and OK/Cancel; subclasses implement check()."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "确定"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.top = QVBoxLayout(self)
        self.top.addLayout(self.form)
        self.top.addWidget(self.error)
        self.top.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def check(self) -> None:
        """Raise ValidationError naming the field when something is wrong."""

    def accept(self) -> None:
        try:
            self.check()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


def _amount_field(placeholder: str = "如 123.45") -> tuple[QLineEdit, QLabel]:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    capitals = QLabel()
    capitals.setStyleSheet(HINT_STYLE)

    def show(text: str) -> None:
        try:
            fen = parse_yuan(text)
        except (ValidationError, TypeError):
            capitals.setText("")
            return
        capitals.setText(f"大写：{amount_in_capitals(fen)}")

    edit.textChanged.connect(show)
    return edit, capitals


# ---------------------------------------------------------------- 经费台账

class EntryDialog(_FormDialog):
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
    ):
        super().__init__(parent, f"记一笔{direction}", "记账")
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
        self.amount, self.capitals = _amount_field()
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
        f = self.form
        f.addRow("日期", self.date)
        f.addRow("账户", self.account)
        f.addRow(f"{direction}金额（元）", self.amount)
        f.addRow("", self.capitals)
        f.addRow("类别", self.category)
        f.addRow("摘要", self.memo)
        f.addRow("付款方" if direction == rules.INCOME else "收款方", self.counterparty)
        f.addRow("经办人", self.handler)
        f.addRow("录入人", self.entered_by)
        f.addRow("凭证号", self.voucher)
        note = QLabel("记账后不能修改或删除；记错了请用“红字冲销”更正。")
        note.setStyleSheet(HINT_STYLE)
        self.top.insertWidget(1, note)
        self.amount.setFocus()

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


class ReverseDialog(_FormDialog):
    """红字冲销: a new entry of the negative amount that points to the wrong one."""

    def __init__(self, parent: QWidget | None, entry: EntryRow, entered_by: str = "", on: date | None = None):
        super().__init__(parent, f"红字冲销凭证 {entry.voucher_no}", "生成红字凭证")
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
        self.form.addRow("原凭证", what)
        self.form.addRow("冲销日期", self.date)
        self.form.addRow("冲销原因", self.reason)
        self.form.addRow("录入人", self.entered_by)
        note = QLabel(f"将记一笔 {entry.direction} -{format_yuan(entry.amount_fen)} 元的红字凭证，原凭证保留不变。")
        note.setStyleSheet(HINT_STYLE)
        note.setWordWrap(True)
        self.top.insertWidget(1, note)
        self.reason.setFocus()

    def check(self) -> None:
        if not self.reason.text().strip():
            raise ValidationError("冲销原因", "请写明冲销原因，便于审计")

    def values(self) -> tuple[date, str, str]:
        return from_qdate(self.date.date()), self.reason.text().strip(), self.entered_by.text().strip()


class BudgetDialog(_FormDialog):
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
    ):
        super().__init__(parent, "设置预算", "保存")
        self.account = QComboBox()
        for a in accounts:
            self.account.addItem(a.name, a.id)
        if account_id:
            self.account.setCurrentIndex(max(0, self.account.findData(account_id)))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("")
        self.category.addItems([c for c in categories if c])
        self.category.lineEdit().setPlaceholderText("留空为整个账户的预算")
        self.category.setCurrentText(category)
        self.amount, self.capitals = _amount_field("如 50000")
        if amount_fen is not None:
            self.amount.setText(format_yuan(amount_fen, grouping=False))
        self.note = QLineEdit(note)
        self.form.addRow("账户", self.account)
        self.form.addRow("年度", self.year)
        self.form.addRow("支出类别", self.category)
        self.form.addRow("预算金额（元）", self.amount)
        self.form.addRow("", self.capitals)
        self.form.addRow("备注", self.note)

    def check(self) -> None:
        if self.account.currentIndex() < 0:
            raise ValidationError("账户", "请选择账户")
        parse_yuan(self.amount.text(), "预算金额")

    def values(self) -> tuple[str, int, str, int, str]:
        return (self.account.currentData(), self.year.value(), self.category.currentText().strip(),
                parse_yuan(self.amount.text()), self.note.text().strip())


class AccountDialog(_FormDialog):
    def __init__(self, parent: QWidget | None, title: str, name: str = "", note: str = ""):
        super().__init__(parent, title, "保存")
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("如 共建单位资助")
        self.note = QLineEdit(note)
        self.form.addRow("账户名称", self.name)
        self.form.addRow("说明", self.note)
        self.setMinimumWidth(380)

    def check(self) -> None:
        rules.check_account_name(self.name.text())

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.note.text().strip()


# ---------------------------------------------------------------- 党费

class PaymentDialog(_FormDialog):
    """登记党费交纳 for one or more members; `lines` are (name, months, dues in fen)."""

    def __init__(
        self,
        parent: QWidget | None,
        lines: Sequence[tuple[str, Sequence[date], int]],
        *,
        collected_by: str = "",
        on: date | None = None,
        needs_consent: bool = False,
        consent: bool = False,
    ):
        super().__init__(parent, "登记党费交纳", "登记")
        self.lines = list(lines)
        self.total_due = sum(fen for _, _, fen in self.lines)
        shown = self.lines[:12]
        text = "\n".join(
            f"{name}　{dues_rules.months_label(months)}　应交 {format_yuan(fen)} 元" for name, months, fen in shown
        )
        if len(self.lines) > len(shown):
            text += f"\n……等 {len(self.lines)} 人"
        summary = QLabel(text)
        summary.setWordWrap(True)
        self.date = date_edit(on or date.today())
        self.date.setMaximumDate(to_qdate(date.today()))
        self.collected_by = QLineEdit(collected_by)
        self.amount, self.capitals = _amount_field()
        self.amount.setText(format_yuan(self.total_due, grouping=False))
        self.amount.setEnabled(len(self.lines) == 1)  # several members: each pays exactly their dues
        self.consent = QCheckBox("经党支部同意按季度交纳（预交本季度党费）")
        self.consent.setChecked(consent)
        self.consent.setVisible(needs_consent)
        self.note = QLineEdit()
        self.form.addRow("交纳人", summary)
        self.form.addRow("交纳日期", self.date)
        self.form.addRow("收缴人", self.collected_by)
        self.form.addRow("实交金额（元）", self.amount)
        self.form.addRow("", self.capitals)
        self.form.addRow("", self.consent)
        self.form.addRow("备注", self.note)
        hint = QLabel("登记后自动记入“党费”账户（党费收缴）。党费由党员本人交纳，党支部不得代交。")
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)
        self.top.insertWidget(1, hint)

    def check(self) -> None:
        if not self.collected_by.text().strip():
            raise ValidationError("收缴人", "请填写收缴人")
        fen = parse_yuan(self.amount.text(), "实交金额")
        if fen <= 0:
            raise ValidationError("实交金额", "应大于 0")
        if len(self.lines) > 1 and fen != self.total_due:
            raise ValidationError("实交金额", "多人一起登记时按应交金额记")

    def values(self) -> tuple[date, str, int | None, bool, str]:
        fen = parse_yuan(self.amount.text())
        amount = fen if len(self.lines) == 1 and fen != self.total_due else None
        return (from_qdate(self.date.date()), self.collected_by.text().strip(), amount,
                self.consent.isChecked(), self.note.text().strip())


class ReasonDialog(_FormDialog):
    """A date and a reason, for undoing something that must stay on record."""

    def __init__(self, parent: QWidget | None, title: str, text: str, ok_text: str, on: date | None = None):
        super().__init__(parent, title, ok_text)
        what = QLabel(text)
        what.setWordWrap(True)
        self.date = date_edit(on or date.today())
        self.reason = QLineEdit()
        self.form.addRow("", what)
        self.form.addRow("日期", self.date)
        self.form.addRow("原因", self.reason)

    def check(self) -> None:
        if not self.reason.text().strip():
            raise ValidationError("原因", "请填写原因")

    def values(self) -> tuple[date, str]:
        return from_qdate(self.date.date()), self.reason.text().strip()


class DuesBaseDialog(_FormDialog):
    """A member's dues base from a month on, with the monthly due shown as it is typed."""

    def __init__(
        self,
        parent: QWidget | None,
        member_name: str,
        table: Sequence[RateRule],
        base: DuesBaseInfo | None = None,
        on: date | None = None,
    ):
        super().__init__(parent, f"党费基数：{member_name}", "保存")
        self.table = list(table)
        self.month = date_edit(dues_rules.month_of(on or date.today()), month_only=True)
        self.category = QComboBox()
        self.category.addItems(list(dues_rules.CATEGORIES))
        self.income, _ = _amount_field("税后月收入，如 4500")
        self.fixed, _ = _amount_field("农民 0.2-1 元；其他类别仅在经批准少交/免交时填写")
        self.consent = QCheckBox("经党支部同意按季度交纳")
        self.note = QLineEdit()
        self.preview = QLabel()
        self.preview.setStyleSheet("font-weight: bold")
        self.income_label = QLabel("月收入（元）")
        self.form.addRow("生效月份", self.month)
        self.form.addRow("人员类别", self.category)
        self.form.addRow(self.income_label, self.income)
        self.form.addRow("月交党费（元）", self.fixed)
        self.form.addRow("", self.consent)
        self.form.addRow("备注", self.note)
        self.form.addRow("每月应交", self.preview)
        if base is not None:
            self.category.setCurrentText(base.category)
            if base.income_fen:
                self.income.setText(format_yuan(base.income_fen, grouping=False))
            if base.fixed_due_fen is not None:
                self.fixed.setText(format_yuan(base.fixed_due_fen, grouping=False))
            self.consent.setChecked(base.quarterly_consent)
            self.note.setText(base.note)
        for signal in (self.category.currentTextChanged, self.income.textChanged, self.fixed.textChanged):
            signal.connect(self._update)
        self.month.dateChanged.connect(self._update)
        self._update()

    def _calc(self) -> dues_rules.DueCalc:
        category = self.category.currentText()
        income = parse_yuan(self.income.text(), self.income_label.text().removesuffix("（元）")) \
            if category in dues_rules.INCOME_CATEGORIES else 0
        fixed = parse_yuan(self.fixed.text(), "月交党费") if self.fixed.text().strip() else None
        return dues_rules.monthly_due(self.table, category, from_qdate(self.month.date()), income, fixed)

    def _update(self, *_args) -> None:
        category = self.category.currentText()
        needs_income = category in dues_rules.INCOME_CATEGORIES
        self.income.setEnabled(needs_income)
        self.income_label.setText("月基本离退休费（元）" if category == dues_rules.RETIRED else "月收入（税后，元）")
        try:
            calc = self._calc()
        except (ValidationError, TypeError) as exc:
            self.preview.setText("")
            self.error.setText(str(exc) if self.income.text().strip() or not needs_income else "")
            return
        self.error.setText("")
        self.preview.setText(f"{format_yuan(calc.due_fen)} 元（{calc.basis}）")

    def check(self) -> None:
        calc = self._calc()
        if calc.overridden and not self.note.text().strip():
            raise ValidationError("备注", "少交或免交党费须经党委批准，请在备注中写明批准情况")

    def values(self) -> tuple[date, str, int, int | None, bool, str]:
        category = self.category.currentText()
        income = parse_yuan(self.income.text()) if category in dues_rules.INCOME_CATEGORIES else 0
        fixed = parse_yuan(self.fixed.text()) if self.fixed.text().strip() else None
        return (from_qdate(self.month.date()), category, income, fixed, self.consent.isChecked(),
                self.note.text().strip())
