"""费用凭证 of an activity, a 项目清单 item or a 微实事 project: post a new expense voucher, link one already
in the ledger, or unlink.

The pages (共驻共建 and 微实事) offer it as one action; what the dialog needs from the ledger
(accounts, categories, the year's unlinked expenses) is loaded off the GUI thread first. A
co-building cost is a link row (services.cobuilding); a project's is the voucher's own
project_id (services.project_costs): `Target` says which, the dialogs are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtWidgets import QLineEdit, QRadioButton, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.ledger import EXPENSE
from desktop_app.domain.money import format_yuan
from desktop_app.gui.cobuilding.common import CobuildingDialog, d
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.forms import DateEdit, combo, fen_of, list_combo, yuan_field
from desktop_app.gui.widgets.layouts import form_layout, wrapped
from desktop_app.gui.widgets.required import required
from desktop_app.services import cobuilding as cb
from desktop_app.services import ledger
from desktop_app.services import project_costs as pc
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import CostRow

# A 项目清单 item naming a 微实事 project books its vouchers to that project too.
COST_CHANGES = changes(Change.COBUILDING, Change.LEDGER, Change.PROJECTS)


@dataclass(frozen=True)
class Target:
    """What the cost is for: an activity, a 项目清单 item or a 微实事 project, with the date a new voucher starts from."""

    label: str  # 共建活动：… / 项目清单：… / 微实事：…
    on: date
    activity_id: str | None = None
    item_id: str | None = None
    amount_fen: int = 0  # what is still to be booked, when known (an activity's cost not yet in the ledger)
    project_id: str | None = None

    @property
    def key(self) -> str | None:
        """The record the page keeps selected after the dialog."""
        return self.activity_id or self.item_id or self.project_id


@dataclass(frozen=True)
class LedgerChoices:
    accounts: tuple
    categories: tuple[str, ...]
    expenses: tuple  # unlinked, unreversed expenses of the year, newest first


def ledger_choices(db: Database, year: int) -> LedgerChoices:
    """Off the GUI thread: what the cost dialog offers (needs 经费台账 rights).

    An expense paid for anything already (a co-building link or a project) is not offered again.
    """
    accounts = tuple(a for a in ledger.list_accounts(db, include_inactive=False) if not a.is_dues)
    flt = ledger.EntryFilter(date_from=date(year - 1, 1, 1), date_to=date(year, 12, 31), direction=EXPENSE,
                             hide_reversed=True)
    expenses = tuple(e for e in reversed(ledger.list_entries(db, flt)) if not e.is_dues and not e.is_reversal)
    linked = cb.linked_entries(db, [e.id for e in expenses])
    return LedgerChoices(accounts, tuple(ledger.categories(db, EXPENSE)),
                         tuple(e for e in expenses if e.id not in linked and not e.project_id and not e.month_closed))


class CostDialog(CobuildingDialog):
    """Record a cost: a new 支出 voucher, or an expense already in the ledger."""

    changes_made = COST_CHANGES

    def __init__(self, parent: QWidget | None, db: Database, target: Target, choices: LedgerChoices,
                 today: date, handler: str = ""):
        super().__init__(parent, db, f"费用凭证：{target.label}", today=today)
        self.target = target
        self.new = QRadioButton("记一笔新的支出凭证（记入经费台账）")
        self.link = QRadioButton("关联经费台账中已有的支出凭证")
        self.new.setChecked(True)
        self.on = DateEdit(min(target.on, today))
        self.account = combo([(a.name, a.id) for a in choices.accounts])
        self.amount = yuan_field(target.amount_fen)
        self.category = list_combo(("",) + choices.categories)
        self.category.setEditable(True)
        self.counterparty = QLineEdit()
        self.handler = QLineEdit(handler)
        self.memo = QLineEdit()
        self.memo.setPlaceholderText("摘要会写成“" + target.label + "；…”")
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText("留空自动编号")
        self.entry = combo([("（选择凭证）", None)] + [
            (f"{e.voucher_no}　{d(e.entry_date)}　{format_yuan(e.amount_fen)} 元　{e.memo[:24]}", e.id)
            for e in choices.expenses])
        new_form = form_layout(("凭证日期", self.on), ("账户", self.account), ("金额（元）", self.amount),
                               ("类别", self.category), ("收款方", self.counterparty), ("经办人", self.handler),
                               ("摘要", self.memo), ("凭证号", self.voucher))
        note = wrapped("已结账月份不能再记入新凭证，也不能改变其凭证的费用归属。")
        self.new.toggled.connect(self._mode)
        self.finish_layout(self.new, new_form, self.link, form_layout(("凭证", self.entry)), note)
        self._mode()
        self.setMinimumWidth(520)
        self.first_field = self.amount

    def _mode(self) -> None:
        new = self.new.isChecked()
        for w in (self.on, self.account, self.amount, self.category, self.counterparty, self.handler, self.memo,
                  self.voucher):
            w.setEnabled(new)
        self.entry.setEnabled(not new)

    def prepare(self):
        db, t, today = self.db, self.target, self.today
        if self.link.isChecked():
            entry_id = required(self.entry.currentData(), "凭证", "请选择要关联的凭证")
            if t.project_id:
                return lambda: pc.link_cost(db, t.project_id, entry_id)
            return lambda: cb.link_cost(db, entry_id, activity_id=t.activity_id, item_id=t.item_id)
        inp = rules.check_cost(rules.CostInput(
            self.on.value(), self.account.currentData() or "", fen_of(self.amount, "金额"),
            self.category.currentText(), self.counterparty.text(), self.handler.text(), self.memo.text(),
            self.voucher.text()), today)
        if t.project_id:
            return lambda: pc.record_cost(db, t.project_id, inp, today=today)
        return lambda: cb.record_cost(db, inp, activity_id=t.activity_id, item_id=t.item_id, today=today)


class UnlinkCostDialog(CobuildingDialog):
    changes_made = COST_CHANGES

    def __init__(self, parent: QWidget | None, db: Database, target: Target, costs: Sequence[CostRow]):
        super().__init__(parent, db, f"取消费用关联：{target.label}", "取消关联")
        self.target = target
        self.cost = combo([(cost_label(c), c.id) for c in costs])
        note = wrapped("凭证仍留在经费台账中；要作废这笔支出，请在“经费台账”中红字冲销。")
        self.finish_layout(form_layout(("凭证", self.cost)), note)
        self.setMinimumWidth(440)

    def prepare(self):
        db, link_id, pid = self.db, required(self.cost.currentData(), "凭证", "请选择凭证"), self.target.project_id
        if pid:  # a project's cost is the voucher itself (its id is the row's)
            return lambda: pc.unlink_cost(db, pid, link_id)
        return lambda: cb.unlink_cost(db, link_id)


def cost_label(c: CostRow) -> str:
    return f"{c.voucher_no}　{d(c.entry_date)}　{format_yuan(c.amount_fen)} 元" + ("（已冲销）" if c.reversed else "")


def costs_html(costs: Sequence[CostRow], typed_fen: int = 0) -> str:
    """The detail pane's lines: each linked voucher, and the total that counts."""
    if not costs:
        return ""
    live = sum(c.amount_fen for c in costs if not c.reversed)
    items = "".join(f"<li>{escape(cost_label(c))}</li>" for c in costs)
    planned = f"（登记费用 {format_yuan(typed_fen)} 元）" if typed_fen and typed_fen != live else ""
    return f"<p>费用凭证 {len(costs)} 张，计 {format_yuan(live)} 元{planned}：</p><ul>{items}</ul>"


def record_cost(page, target: Target) -> None:
    """The page action: load the ledger's choices off the GUI thread, then open the dialog."""
    db, today = page.ctx.db, page.today

    def opened(choices: LedgerChoices) -> None:
        page.run_dialog(CostDialog(page, db, target, choices, today), lambda c: f"已记入凭证 {c.voucher_no}：{c.target}。",
                        keep=target.key)

    run_op(page, lambda job: ledger_choices(db, target.on.year), opened)


def offer_after_save(page, a) -> None:
    """After an activity is saved with a cost not yet in the ledger, offer to book the rest now."""
    r = a.row
    rest = r.cost_fen - r.linked_cost_fen
    if rest > 0 and common.ask(page, "费用凭证", f"“{r.title}”登记了费用 {format_yuan(r.cost_fen)} 元，"
                                             f"其中 {format_yuan(rest)} 元还没有记入经费台账。现在记账吗？"):
        record_cost(page, Target(f"共建活动：{r.title}", r.activity_date, activity_id=r.id, amount_fen=rest))


def unlink_cost(page, target: Target, costs: Sequence[CostRow]) -> None:
    if costs:
        page.run_dialog(UnlinkCostDialog(page, page.ctx.db, target, costs), "已取消费用关联。", keep=target.key)
