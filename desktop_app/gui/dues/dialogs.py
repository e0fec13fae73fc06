"""Dialogs of the 党费 page: a payment of one or more members, undoing one, a member's dues base.

They are SavingDialogs: with `save=` (as the page opens them) they save
themselves and show a refusal inside, keeping what was typed; without it OK
closes and the caller saves `values()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop_app.domain import dues as dues_rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_yuan, parse_yuan
from desktop_app.gui.ledger.forms import amount_field, date_edit, from_qdate, to_qdate
from desktop_app.gui.widgets.dialog import ERROR_STYLE, SavingDialog
from desktop_app.gui.widgets.fields import FieldForm, Flag, Line, Put
from desktop_app.gui.widgets.layouts import hint, wrapped
from desktop_app.views.changes import Changes
from desktop_app.views.dues import DuesBaseInfo


class PaymentDialog(SavingDialog):
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
        save=None,
        changes: Changes | None = None,
    ):
        super().__init__(parent, "登记党费交纳", "登记", save=save, changes=changes)
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
        self.amount, self.capitals = amount_field()
        self.amount.setText(format_yuan(self.total_due, grouping=False))
        self.amount.setEnabled(len(self.lines) == 1)  # several members: each pays exactly their dues
        self.form = FieldForm(self, None, (
            Put("", "交纳人", summary),
            Put("date", "交纳日期", self.date),
            Line("collected_by", "收缴人", default=collected_by),
            Put("amount", "实交金额（元）", self.amount),
            Put("capitals", "", self.capitals),
            Flag("consent", "", text="经党支部同意按季度交纳（预交本季度党费）", default=consent),
            Line("note", "备注"),
        ))
        self.consent.setVisible(needs_consent)
        # The 补交-over-6-months warning, shown while the date is chosen rather than after saving.
        self.late = wrapped()
        self.late.setStyleSheet(ERROR_STYLE)
        note = hint("登记后自动记入“党费”账户（党费收缴）。党费由党员本人交纳，党支部不得代交。")
        note.setWordWrap(True)
        self.finish_layout(self.form, self.late, note)
        self.setMinimumWidth(440)
        self.date.dateChanged.connect(self._show_late)
        self._show_late()

    def late_warnings(self) -> list[str]:
        """The warnings saving would give for the chosen date, one per member named when several."""
        on = from_qdate(self.date.date())
        out = []
        for name, months, _fen in self.lines:
            try:  # consent assumed: a refusal for paying ahead is the save's to give, not this warning's
                warnings = dues_rules.check_payment(months, on, quarterly_consent=True)
            except ValidationError:
                continue
            out += [f"{name}：{w}" if len(self.lines) > 1 else w for w in warnings]
        return out

    def _show_late(self, *_args) -> None:
        warnings = self.late_warnings()
        shown = warnings[:3] + ([f"……等 {len(warnings)} 人"] if len(warnings) > 3 else [])
        self.late.setText("\n".join(shown))
        self.late.setVisible(bool(warnings))

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


class ReasonDialog(SavingDialog):
    """A date and a reason, for undoing something that must stay on record."""

    def __init__(self, parent: QWidget | None, title: str, text: str, ok_text: str, on: date | None = None,
                 save=None, changes: Changes | None = None, confirm: str = ""):
        super().__init__(parent, title, ok_text, save=save, changes=changes)
        self.confirm = confirm  # asked before the save, with the dialog still open
        what = QLabel(text)
        what.setWordWrap(True)
        self.date = date_edit(on or date.today())
        self.form = FieldForm(self, None, (Put("", "", what), Put("date", "日期", self.date), Line("reason", "原因")))
        self.finish_layout(self.form)
        self.setMinimumWidth(440)
        self.first_field = self.reason

    def check(self) -> None:
        if not self.reason.text().strip():
            raise ValidationError("原因", "请填写原因")

    def confirmed(self) -> bool:
        if not self.confirm:
            return True
        from desktop_app.gui.widgets import common

        return common.ask(self, "确认" + self.windowTitle(), self.confirm)

    def values(self) -> tuple[date, str]:
        return from_qdate(self.date.date()), self.reason.text().strip()


class DuesBaseDialog(SavingDialog):
    """A member's dues base from a month on, with the monthly due shown as it is typed."""

    def __init__(
        self,
        parent: QWidget | None,
        member_name: str,
        table: Sequence[RateRule],
        base: DuesBaseInfo | None = None,
        on: date | None = None,
        save=None,
        changes: Changes | None = None,
    ):
        super().__init__(parent, f"党费基数：{member_name}", "保存", save=save, changes=changes)
        self.table = list(table)
        self.month = date_edit(dues_rules.month_of(on or date.today()), month_only=True)
        self.category = QComboBox()
        self.category.addItems(list(dues_rules.CATEGORIES))
        self.income, _ = amount_field("税后月收入，如 4500")
        self.fixed, _ = amount_field("农民 0.2-1 元；其他类别仅在经批准少交/免交时填写")
        self.preview = QLabel()
        self.preview.setStyleSheet("font-weight: bold")
        self.income_label = QLabel("月收入（元）")  # its words follow the category
        self.form = FieldForm(self, None, (
            Put("month", "生效月份", self.month),
            Put("category", "人员类别", self.category),
            Put("income", self.income_label, self.income),
            Put("fixed", "月交党费（元）", self.fixed),
            Flag("consent", "", text="经党支部同意按季度交纳"),
            Line("note", "备注"),
            Put("preview", "每月应交", self.preview),
        ))
        self.finish_layout(self.form)
        self.setMinimumWidth(440)
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
            self.show_message(str(exc) if self.income.text().strip() or not needs_income else "")
            return
        self.show_message("")
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
