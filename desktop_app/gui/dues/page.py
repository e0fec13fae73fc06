"""党费: per branch and year, members × 12 months; record payments quickly; arrears.

Select month cells (of one or many members) and press 登记交纳: one dialog,
one payment per member, one 党费收缴 entry for them all (services.dues). A
double click on an unpaid month does the same for that month. Cells are
coloured by state; the 欠交名单 tab lists members with unpaid past months,
six months in a row marked as the 党章's lapse risk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop_app.domain import dues as rules
from desktop_app.domain.money import format_yuan
from desktop_app.gui import icons
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.widgets.forms import year_spin
from desktop_app.gui.widgets.layouts import column, fill
from desktop_app.gui.dues.dialogs import DuesBaseDialog, PaymentDialog, ReasonDialog
from desktop_app.gui.dues.rates_dialog import RatesDialog
from desktop_app.gui.dues.models import (
    ARREARS_COLUMNS,
    FIRST_MONTH_COLUMN,
    NO_BASE_COLUMNS,
    PAYABLE,
    WIDTHS,
    DuesGridModel,
)
from desktop_app.gui.ledger.forms import from_qdate, make_table
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import community_box, heading, refill_communities, toolbar
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import ColumnModel
from desktop_app.services import auth, dues
from desktop_app.services import orgs as org_service
from desktop_app.services.dues import PaymentInput
from desktop_app.views.changes import Change, changes
from desktop_app.views.dues import (
    PAID,
    PARTIAL,
    ArrearsRow,
    DuesBaseInfo,
    DuesGrid,
    GridRow,
    MonthCell,
    NoBaseRow,
    PaymentResult,
)

# A payment or its undoing posts to the 党费 account too.
PAYMENT_WRITES = changes(Change.DUES, Change.LEDGER)
BASE_WRITES = changes(Change.DUES)


def branches_by_community(nodes) -> list[tuple[str, str, str | None, str]]:
    """(branch id, its name as shown, its community's id, the community's name), in tree order."""
    by_id = {n.id: n for n in nodes}
    out = []
    for n in nodes:
        if n.kind != "branch":
            continue
        up = by_id.get(n.parent_id or "")
        while up is not None and up.kind != "community":
            up = by_id.get(up.parent_id or "")
        out.append((n.id, n.shown, up.id if up else None, up.name if up else ""))
    return out


@dataclass(frozen=True)
class DuesView:
    branches: list[tuple[str, str, str | None, str]]  # (id, name, community id, community name)
    grid: DuesGrid | None
    arrears: list[ArrearsRow] | None  # None: not loaded (the tab is not shown)
    no_base: list[NoBaseRow] | None
    table: list[rules.RateRule]


def _old_bases(g) -> str:
    """The year at hand computed from bases of earlier years: said, as the base is reviewed once a year
    (a new year otherwise runs on last year's incomes without anyone being asked)."""
    if g.year != g.today.year:
        return ""
    old = sum(1 for r in g.rows if r.base_from is not None and r.base_from.year < g.year)
    return (f"，{old} 名仍按{g.year}年以前的党费基数计算（核定本年度收入后，选中点“党费基数”自{g.year}年的月份起登记）"
            if old else "")


class DuesPage(Page):
    watches = changes(Change.DUES, Change.MEMBERS, Change.ORGS, Change.LEDGER)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.view: DuesView | None = None
        # A branch asked for before the combo has it (the 工作台's 欠缴 item opening this page the first time).
        self._wanted_branch: str | None = None
        self.collected_by = ""
        today = date.today()

        # At a street office the branches of every community are here: pick the community first.
        self.street = ctx.site.is_top
        self.community = community_box(self._community_changed, "只列出这个社区的党支部")
        self.community.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.branch = QComboBox()
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.branch.setMinimumContentsLength(8)
        self.branch.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year = year_spin(today.year, self.refresh)

        tb, action = toolbar(self)
        # the page's 新增 is 登记交纳, Ctrl+N as on every page
        self.act_pay = action("pay", "登记交纳", self.pay_selected, "Ctrl+N",
                              tip="选中一名或多名党员的月份后登记（可多选）", writes=True)
        self.act_cancel = action("reverse", "撤销交纳", self.cancel_selected, tip="登记错了：撤销并自动红字冲销", writes=True)
        self.act_base = action("dues-base", "党费基数", self.edit_base, tip="登记或调整选中党员的收入基数和类别", writes=True)
        self.act_rates = action("budget", "党费比例", self.edit_rates, tip="查看各类人员的党费交纳比例及历次调整；自某月起执行新标准")
        tb.addSeparator()
        self.act_print = action("print", "打印登记表", self.print_registry)
        self.act_receipt = action("voucher", "打印收据", self.print_receipts,
                                  tip="选中已交纳的月份，打印该次交纳的党费收据（存根和收据两联）")
        self.write_tips = {a: a.toolTip() for a in (self.act_pay, self.act_cancel, self.act_base)}

        self.grid_model = DuesGridModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().setDefaultSectionSize(26)
        for i, w in enumerate(WIDTHS):
            self.grid.setColumnWidth(i, w)
        self.grid.activated.connect(self._double_clicked)  # a double-click, or Enter on the month
        self.grid.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.summary = QLabel()
        self.summary.setObjectName("cardDetail")
        self.summary.setWordWrap(True)  # the hints it may add would otherwise set the page's least width
        # the month columns are too narrow to head "（元）" each: the unit is said once, first
        legend = QLabel("金额单位：元　“欠”已到期未交　“待交”本月未交　“*”补交超过6个月　“#”少交　“免”经批准免交　绿色为已交")
        legend.setObjectName("cardDetail")

        grid_tab = QWidget()
        column(grid_tab, tb, (self.grid, 1), self.summary, legend)

        self.arrears_model = ColumnModel(ARREARS_COLUMNS, parent=self)
        self.arrears_table = make_table(self.arrears_model, self)
        self.no_base_model = ColumnModel(NO_BASE_COLUMNS, parent=self)
        self.no_base_table = make_table(self.no_base_model, self)
        self.arrears_label = QLabel()
        self.no_base_label = QLabel()
        arrears_tab = QWidget()
        column(arrears_tab, self.arrears_label, (self.arrears_table, 3), self.no_base_label, (self.no_base_table, 1))

        self.tabs = QTabWidget()
        self.tabs.addTab(grid_tab, icons.get("dues"), "收缴登记")
        self.tabs.addTab(arrears_tab, icons.get("warning"), "欠交名单")
        self.tabs.currentChanged.connect(lambda i: self.refresh() if i == 1 else None)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        # After 登记交纳 the message offers the payment's receipts as a link: no box to click away first.
        self.last_entry_id: str | None = None
        self.message.linkActivated.connect(lambda _link: self.print_last_receipts())
        street = [QLabel("社区"), self.community] if self.street else []
        top = fill(QHBoxLayout(), heading("党费"), 1, *street, QLabel("党支部"), self.branch, self.year)
        column(self, top, self.message, (self.tabs, 1))
        self._update_actions()

    # ------------------------------------------------------------------ loading
    def filter_widgets(self) -> dict[str, QWidget]:
        return {"community": self.community, "branch": self.branch, "year": self.year}

    def apply_filter(self, tab: str | None = None, **values) -> dict:
        """`tab="arrears"` opens the 欠交名单."""
        if tab is not None:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(1 if tab == "arrears" else 0)
            self.tabs.blockSignals(False)
        branch = values.get("branch")
        self._wanted_branch = branch if isinstance(branch, str) else None
        return super().apply_filter(**values)

    def _community_changed(self) -> None:
        self.branch.blockSignals(True)
        self.branch.clear()  # the first branch of the community is shown
        self.branch.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        branch_id = self.branch.currentData()
        wanted, self._wanted_branch = self._wanted_branch, None
        community = self.community.currentData()
        year = self.year.value()
        # The whole community's arrears take a moment for thousands of members: only when looked at.
        want_arrears = self.tabs.currentIndex() == 1

        def load(job) -> DuesView:
            branches = branches_by_community(org_service.list_tree(db))
            mine = [b for b in branches if community is None or b[2] == community]
            if wanted and any(b[0] == wanted for b in branches):
                chosen = wanted  # even in another community than the one chosen: _show switches to it
            else:
                chosen = branch_id if any(b[0] == branch_id for b in mine) else (mine[0][0] if mine else None)
            return DuesView(
                branches=branches,
                grid=dues.branch_grid(db, chosen, year) if chosen else None,
                arrears=dues.arrears(db, chosen) if want_arrears else None,  # the branch chosen above
                no_base=dues.members_without_base(db, chosen) if want_arrears else None,
                table=dues.rate_rules(db),
            )

        run_op(self, load, self._show)

    def _show(self, v: DuesView) -> None:
        self.view = v
        self.branch.blockSignals(True)
        current = v.grid.org_id if v.grid else None
        community = self.community.currentData()
        home = next((cid for bid, _n, cid, _c in v.branches if bid == current), None)
        moved = community is not None and home is not None and home != community
        if moved:
            community = home
        self.branch.clear()
        for bid, name, cid, _cname in v.branches:
            if community is None or cid == community:
                self.branch.addItem(name, bid)
        self.branch.setCurrentIndex(max(0, self.branch.findData(current)))
        self.branch.blockSignals(False)
        refill_communities(self.community, list(dict.fromkeys((cname, cid) for _b, _n, cid, cname in v.branches if cid)))
        if moved:
            self.community.blockSignals(True)
            self.community.setCurrentIndex(max(0, self.community.findData(community)))
            self.community.blockSignals(False)
        self.grid_model.show_grid(v.grid)
        if v.grid is None:
            self.summary.setText("还没有党支部：请先在“党组织”页面建立党支部。")
        else:
            g = v.grid
            no_base = sum(1 for r in g.rows if not r.has_base)
            self.summary.setText(self.offered(
                f"{self.branch.currentText() if self.street else g.org_name} {g.year}年：党员 {len(g.rows)} 名，已收 {format_yuan(g.paid_fen)} 元，"
                f"欠交 {format_yuan(g.owed_fen)} 元" + (f"，{no_base} 名未登记党费基数（双击姓名，或选中后点“党费基数”登记）" if no_base else "")
                + _old_bases(g)
            ))
        if v.arrears is not None and v.no_base is not None:
            self.arrears_model.set_rows(v.arrears)
            lapse = sum(1 for r in v.arrears if r.lapse_risk)
            self.arrears_label.setText(
                f"{self.branch.currentText() or '本支部'}欠交党费 {len(v.arrears)} 人"
                + (f"，其中连续6个月以上未交 {lapse} 人" if lapse else "")
                + "（统计到上月末）"
            )
            self.no_base_model.set_rows(v.no_base)
            self.no_base_label.setText(f"未登记党费基数 {len(v.no_base)} 人（无法计算应交党费）")
        self._update_actions()
        self.loaded.emit()

    # ------------------------------------------------------------------ selection
    def selected_cells(self) -> list[tuple[GridRow, MonthCell]]:
        out = []
        for idx in self.grid.selectionModel().selectedIndexes():
            c = self.grid_model.cell(idx)
            if c is not None:
                out.append((self.grid_model.rows[idx.row()], c))
        out.sort(key=lambda rc: (rc[0].seq, rc[0].name, rc[1].month))
        return out

    def selected_row(self) -> GridRow | None:
        idx = self.grid.currentIndex()
        if idx.isValid() and idx.row() < len(self.grid_model.rows):
            return self.grid_model.rows[idx.row()]
        rows = {i.row() for i in self.grid.selectionModel().selectedIndexes()}
        return self.grid_model.rows[min(rows)] if rows else None

    def select_cells(self, cells: list[tuple[int, int]]) -> None:
        """Select (row, month 1-12) cells, as a user's clicks would."""
        sm = self.grid.selectionModel()
        sm.clearSelection()
        if cells:
            first = self.grid_model.index(cells[0][0], FIRST_MONTH_COLUMN + cells[0][1] - 1)
            sm.setCurrentIndex(first, sm.SelectionFlag.NoUpdate)
        for row, month in cells:
            sm.select(self.grid_model.index(row, FIRST_MONTH_COLUMN + month - 1), sm.SelectionFlag.Select)

    def reading_community(self) -> str:
        """At a street: the community whose branch is shown (its dues are recorded there, read here), else ""."""
        if not self.street or self.view is None or self.view.grid is None:
            return ""
        return next((cname for bid, _n, cid, cname in self.view.branches
                     if bid == self.view.grid.org_id and cid), "")

    def _update_actions(self) -> None:
        cells = self.selected_cells()
        self.act_pay.setEnabled(any(c.state in PAYABLE for _, c in cells))
        self.act_cancel.setEnabled(len(cells) == 1 and cells[0][1].state in (PAID, PARTIAL))
        self.act_base.setEnabled(self.selected_row() is not None)
        self.act_print.setEnabled(self.grid_model.rowCount() > 0)
        self.act_receipt.setEnabled(bool(self.receipt_record_ids()))
        community = self.reading_community()
        for act, tip in self.write_tips.items():
            if community:  # a street's write would never reach the community's own books
                act.setEnabled(False)
                act.setToolTip(f"{act.text()}：{community}的党费由该社区登记，{self.ctx.site.level_label}只能查看和打印")
            else:
                act.setToolTip(tip)

    def show_message(self, text: str, warnings: tuple[str, ...] | list[str] = ()) -> None:
        html = text + "".join(f'<br><span style="color:#b26a00">{w}</span>' for w in warnings)
        self.message.setText(html)
        self.message.setVisible(bool(html))

    # ------------------------------------------------------------------ actions
    def _double_clicked(self, index: QModelIndex) -> None:
        if self.reading_community() or not self.act_pay.isVisible():  # hidden from an account that may not write
            return
        c = self.grid_model.cell(index)
        if c is not None and c.state in PAYABLE:
            self.pay_selected()
        elif c is None:
            self.edit_base()

    def pay_selected(self) -> None:
        by_member: dict[str, list[MonthCell]] = defaultdict(list)
        rows: dict[str, GridRow] = {}
        for row, c in self.selected_cells():
            if c.state in PAYABLE:
                by_member[row.member_id].append(c)
                rows[row.member_id] = row
        if not by_member:
            common.inform(self, "登记交纳", "请先选中要登记的月份（欠交、待交或预交的月份）。")
            return
        today = date.today()
        ahead = any(c.month > rules.month_of(today) for cs in by_member.values() for c in cs)
        consent = all(rows[m].quarterly_consent for m in by_member)
        lines = [(rows[m].name, [c.month for c in cs], sum(c.due_fen for c in cs)) for m, cs in by_member.items()]
        members = list(by_member.items())

        def save(paid_on: date, collector: str, amount: int | None, consent_given: bool, note: str) -> PaymentResult:
            payments = [PaymentInput(m, tuple(c.month for c in cs), amount if len(members) == 1 else None,
                                     True if consent_given else None) for m, cs in members]
            return dues.record_payments(db, payments, paid_on, collector, note=note)

        db = self.ctx.db
        # The dialog saves itself, so a refusal (a closed month …) leaves it open with what was typed.
        dlg = PaymentDialog(self, lines, collected_by=self.collected_by, needs_consent=ahead, consent=consent,
                            save=save, changes=PAYMENT_WRITES)
        if dlg.exec() != PaymentDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self.collected_by = dlg.values()[1]
        result: PaymentResult = dlg.saved
        self.last_entry_id = result.entry_id
        self.show_message(
            f"已登记 {len(members)} 人 {result.records} 个月，共 {format_yuan(result.total_fen)} 元，"
            f"已记入党费账户（凭证 {result.voucher_no}）。<a href=\"receipt\">打印收据</a>",
            result.warnings,
        )

    def cancel_selected(self) -> None:
        cells = self.selected_cells()
        if len(cells) != 1 or cells[0][1].state not in (PAID, PARTIAL):
            common.inform(self, "撤销交纳", "请选中一个已交纳的月份。")
            return
        row, c = cells[0]
        db, member_id, month = self.ctx.db, row.member_id, c.month
        dlg = ReasonDialog(
            self, "撤销党费交纳",
            f"撤销{row.name}{rules.month_label(c.month)}的交纳登记（{c.paid_on} 交 {format_yuan(c.paid_fen)} 元）。\n"
            "同一次交纳的其他月份一并撤销；对应的党费收缴凭证将红字冲销。",
            "撤销",
            save=lambda on, reason: dues.cancel_payment(db, member_id, month, reason, on), changes=PAYMENT_WRITES,
            confirm=f"确定撤销{row.name}的这次党费交纳登记吗？",
        )
        if dlg.exec() != ReasonDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self.show_message(f"已撤销，红字凭证 {dlg.saved.voucher_no}。", dlg.saved.warnings)

    def edit_base(self) -> None:
        row = self.selected_row()
        if row is None or self.view is None:
            common.inform(self, "党费基数", "请先选中一名党员。")
            return
        db, table = self.ctx.db, self.view.table
        member_id, name = row.member_id, row.name
        run_op(self, lambda job: dues.bases(db, member_id),
               lambda current: self._edit_base_with(member_id, name, table, current))

    def _edit_base_with(
        self, member_id: str, name: str, table: list[rules.RateRule], current: list[DuesBaseInfo]
    ) -> None:
        db = self.ctx.db
        dlg = DuesBaseDialog(self, name, table, current[-1] if current else None, changes=BASE_WRITES,
                             save=lambda month, category, income, fixed, consent, note:
                             dues.set_base(db, member_id, month, category, income, fixed, consent, note))
        if dlg.exec() != DuesBaseDialog.DialogCode.Accepted or dlg.saved is None:
            return
        info: DuesBaseInfo = dlg.saved
        self.show_message(
            f"已登记{name}自{rules.month_label(info.effective_from)}起的党费基数："
            f"{info.category}，每月应交 {format_yuan(info.due_fen)} 元（{info.basis}）。"
        )

    def edit_rates(self) -> None:
        db = self.ctx.db

        def load(_job) -> tuple[list[rules.RateRule], str | None]:
            locked = dues.rates_locked(db)
            if locked is None and not auth.can(db, "settings.write"):
                locked = "本账户只能查看党费比例；调整须由有“修改基础设置”权限的账户办理"
            return dues.rate_rules(db), locked

        run_op(self, load, lambda got: self._edit_rates_with(*got))

    def _edit_rates_with(self, table: list[rules.RateRule], locked: str | None) -> None:
        db = self.ctx.db
        dlg = RatesDialog(self, table, locked=locked, changes=BASE_WRITES,
                          save=None if locked else lambda lines: dues.set_rate_rules(db, lines))
        if dlg.exec() != RatesDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self.show_message(f"已保存{dlg.category.currentText()}自{rules.month_label(from_qdate(dlg.month.date()))}起的党费比例；"
                          "此前各月仍按原标准，已登记的党费金额不变。")

    def print_registry(self) -> None:
        if self.view is None or self.view.grid is None:
            return
        g = self.view.grid
        name = self.branch.currentText().replace(" · ", "") if self.street else g.org_name
        db, org_id, year = self.ctx.db, g.org_id, g.year

        def render(path, job):
            return dues.print_dues_registry(db, year, path, org_id, progress=lambda page: job.report(page, 0))

        forms.save_file(self, "保存党费收缴登记表", f"{name}{g.year}年党费收缴登记表.pdf", render,
                        lambda path, _r: f"已保存登记表到\n{path}", "正在生成登记表…")

    def receipt_record_ids(self) -> list[str]:
        """The dues records of the selected paid months (each brings its whole payment onto the receipt)."""
        return [c.record_id for _row, c in self.selected_cells() if c.state in (PAID, PARTIAL) and c.record_id]

    def print_receipts(self) -> None:
        ids = self.receipt_record_ids()
        if not ids:
            common.inform(self, "打印收据", "请先选中已交纳的月份。")
            return
        names = list(dict.fromkeys(row.name for row, c in self.selected_cells() if c.record_id in ids))
        self._save_receipts(f"{names[0] if len(names) == 1 else f'{names[0]}等{len(names)}人'}党费收据.pdf",
                            record_ids=ids)

    def print_last_receipts(self) -> None:
        """The receipts of the payment 登记交纳 has just recorded (every member on it)."""
        if self.last_entry_id is not None:
            self._save_receipts("党费收据.pdf", entry_id=self.last_entry_id)

    def _save_receipts(self, name: str, record_ids: list[str] | None = None, entry_id: str | None = None) -> None:
        db = self.ctx.db

        def render(path, _job):
            return dues.print_dues_receipt(db, record_ids or (), path, entry_id=entry_id)

        forms.save_file(self, "保存党费收据", name, render, lambda path, _r: f"已保存党费收据到\n{path}",
                        "正在生成收据…")
