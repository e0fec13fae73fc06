"""三会一课落实情况: which branches held, owe or are late with which meetings, at a glance.

Two views of the same grid: 本期概况 (a column per kind, the running period of
each) and one kind through the year (a column per month or quarter). Double-
click a cell that is due or overdue to plan (or enter) that meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QGridLayout, QHBoxLayout, QHeaderView,
    QLabel, QSpinBox, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.domain.meetings import CellStatus, PeriodUnit
from desktop_app.gui.meetings.batch_plan import open_batch_plan
from desktop_app.gui.meetings.cadence_dialog import BranchCadenceDialog
from desktop_app.gui.meetings.exemptions import ExemptionsDialog
from desktop_app.gui.meetings.meeting_dialog import MeetingDialog
from desktop_app.gui.widgets.bars import community_box, heading, refill_communities, toolbar
from desktop_app.gui.widgets.forms import ask_save_path, year_spin
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.layouts import column, fill, wrapped
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import ALERT, CENTER, Column, ColumnModel, table_view
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, Changes, changes

WRITES = changes(Change.MEETINGS)

CELL_COLORS: dict[CellStatus, str] = {
    CellStatus.HELD: "#cdeccd",
    CellStatus.NO_QUORUM: "#ffd8a8",
    CellStatus.PLANNED: "#d6e6fb",
    CellStatus.DUE: "#fff1b8",
    CellStatus.OVERDUE: "#f5b7b7",
    CellStatus.FUTURE: "#ffffff",
    CellStatus.NOT_REQUIRED: "#eeeeee",
}
OVERVIEW = "__overview__"


@dataclass(frozen=True)
class GridCell:
    """One cell as shown: the period's record (None where a kind does not apply), its text and tooltip."""

    cell: ms.ComplianceCell | None
    text: str = ""
    tip: str = ""
    late_elsewhere: bool = False  # overdue in another period of the year: the text turns red


@dataclass(frozen=True)
class GridRow:
    name: str
    cells: tuple[GridCell, ...]
    org_id: str = ""  # the branch (or group) the row is


def _cell_column(title: str, i: int) -> Column:
    def background(row: GridRow) -> QColor | None:
        c = row.cells[i].cell
        return QColor(CELL_COLORS[c.status]) if c is not None else None

    return Column(title, lambda row: row.cells[i].text, CENTER, 70, tooltip=lambda row: row.cells[i].tip,
                  background=background, color=lambda row: ALERT if row.cells[i].late_elsewhere else None)


class KindSettingsDialog(SavingDialog):
    """How often each kind must be held: the street's rules, changed by the center.

    Saves from inside: `save(values)` for 保存, `reset()` for 恢复街道默认; a refusal (an account
    that may not change the settings) shows here with the choices kept."""

    def __init__(self, parent: QWidget | None, settings: list[ms.KindSetting], *,
                 save: Callable[[list[tuple[str, str, int, bool]]], Any] | None = None,
                 reset: Callable[[], Any] | None = None, changes: Changes | None = None):
        super().__init__(parent, "会议周期设置", save=save, changes=changes)
        self._reset_with = reset
        grid = QGridLayout()
        for c, text in enumerate(("会议类型", "召开周期", "每期次数", "纳入考核")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, c)
        self.rows: list[tuple[str, QComboBox, QSpinBox, QCheckBox]] = []
        for r, s in enumerate(settings, start=1):
            unit = QComboBox()
            for u, label in rules.PERIOD_LABELS.items():
                unit.addItem(label, u.value)
            unit.setCurrentIndex(unit.findData(s.unit))
            times = QSpinBox()
            times.setRange(1, 31)
            times.setValue(max(1, s.times))
            required = QCheckBox()
            required.setChecked(s.required)
            grid.addWidget(QLabel(s.kind + ("（已调整）" if s.customized else "")), r, 0)
            grid.addWidget(unit, r, 1)
            grid.addWidget(times, r, 2)
            grid.addWidget(required, r, 3, Qt.AlignmentFlag.AlignCenter)
            self.rows.append((s.kind, unit, times, required))
        self.reset_requested = False
        restore = self.buttons.addButton("恢复街道默认", QDialogButtonBox.ButtonRole.ResetRole)
        restore.clicked.connect(self._restore)
        self.finish_layout(QLabel("按街道党工委要求设置各类会议的召开周期；不纳入考核的会议不计逾期。"), grid)

    def _restore(self) -> None:
        self.reset_requested = True
        self.accept()

    def prepare(self) -> Callable[[], Any] | None:
        resetting, self.reset_requested = self.reset_requested, False  # a refused reset leaves 保存 as it was
        if resetting:
            reset = self._reset_with
            return None if reset is None else reset
        return super().prepare()

    def values(self) -> tuple[list[tuple[str, str, int, bool]]]:
        return ([(kind, unit.currentData(), times.value(), required.isChecked())
                 for kind, unit, times, required in self.rows],)


def _offer(parent: QWidget, out: Path) -> None:
    from desktop_app.gui.widgets import forms

    forms.offer_open(parent, out, f"已保存到\n{out}")


def ask_xlsx_path(parent: QWidget | None, title: str, default_name: str) -> Path | None:
    """Where to write the workbook (tests replace this)."""
    from desktop_app.gui.widgets import forms

    p = forms.ask_save_path(parent, title, default_name, forms.XLSX)
    if p is None:
        return None
    return p if p.suffix.lower() == ".xlsx" else p.with_suffix(".xlsx")


class CompliancePage(Page):
    watches = changes(Change.MEETINGS, Change.ORGS, Change.MEMBERS)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.today = date.today()
        self.grid: ms.ComplianceGrid | None = None
        self._kept: str | None = None  # the branch a 工作台 item named: selected when its row is shown
        self.holders: list[tuple[str, str, str, int]] = []
        title = heading("三会一课落实情况")
        self.year = year_spin(self.today.year, self.refresh)
        self.community = community_box(self.refresh)  # at a street: one community's branches at a time
        self.view_box = QComboBox()
        self.view_box.addItem("本期概况（全部类型）", OVERVIEW)
        self.view_box.currentIndexChanged.connect(lambda _i: self._show())
        tb, action = toolbar(self)
        self.act_refresh = action("refresh", "刷新", self.refresh)
        self.act_batch = action("plan-batch", "批量计划…", self.plan_batch, writes="meetings.write",
                                tip="按周期一次计划一个季度或全年的三会一课（只列尚需计划的会议）")
        self.act_settings = action("settings", "会议周期设置", self.edit_settings, writes="settings.write")
        # the branch flag: not a second cog beside 会议周期设置
        self.act_branches = action("org-branch", "支部设置", self.edit_branches, writes=True)
        self.act_exempt = action("members", "免于应到", self.edit_exemptions, writes="members.write")
        self.act_print = action("print", "打印落实情况表", self.print_sheet)
        self.act_export = action("export", "导出 XLSX", self.export_sheet)
        street = [self.community] if ctx.site.is_top else []
        top = fill(QHBoxLayout(), title, 1, *street, self.year, self.view_box, tb)

        self.summary = wrapped()
        legend = QHBoxLayout()
        for st in (CellStatus.HELD, CellStatus.PLANNED, CellStatus.DUE, CellStatus.OVERDUE, CellStatus.NO_QUORUM,
                   CellStatus.FUTURE):
            chip = QLabel(rules.CELL_LABELS[st])
            chip.setStyleSheet(f"background:{CELL_COLORS[st]}; border:1px solid #ccc; padding:2px 8px;")
            legend.addWidget(chip)
        # the hint takes the width the chips leave and wraps into it: on one line it held the page at 720 pixels
        hint = wrapped("双击待召开或逾期的格子，计划（补录）该次会议")
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        legend.addWidget(hint, 1)

        self.model = ColumnModel([], row_title=lambda row: row.name, parent=self)
        self.table = table_view(self.model, rows=False, multi=False, fit=False)
        self.table.verticalHeader().show()
        self.table.doubleClicked.connect(lambda index: self._cell_activated(index.row(), index.column()))
        column(self, top, self.summary, legend, (self.table, 1))

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        super().refresh()
        self.today = date.today()
        db, year, today, community = self.ctx.db, self.year.value(), self.today, self.community.currentData()
        run_op(self, lambda job: (ms.compliance(db, year, today, org_id=community), ms.holders(db)), self._loaded)

    def _loaded(self, result: tuple[ms.ComplianceGrid, list[tuple[str, str, str, int]]]) -> None:
        grid, self.holders = result
        self.grid = grid
        refill_communities(self.community, [(name, oid) for oid, name, kind, _d in self.holders if kind == "community"])
        current = self.view_box.currentData()
        self.view_box.blockSignals(True)
        self.view_box.clear()
        self.view_box.addItem("本期概况（全部类型）", OVERVIEW)
        for k in grid.kinds:
            self.view_box.addItem(f"{k}（{grid.rules[k].cadence_label}）", k)
        self.view_box.setCurrentIndex(max(0, self.view_box.findData(current)))
        self.view_box.blockSignals(False)
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        g = self.grid
        if g is None:
            return
        mode = self.view_box.currentData()
        overdue, due, planned, no_quorum = (g.count(CellStatus.OVERDUE), g.count(CellStatus.DUE),
                                            g.count(CellStatus.PLANNED), sum(c.no_quorum for cs in g.cells.values()
                                                                             for c in cs))
        owing = len({org for (org, _k), cs in g.cells.items() if any(c.status == CellStatus.OVERDUE for c in cs)})
        color = "#c8161e" if overdue else "#2e7d32"
        self.summary.setText(
            f"<span style='font-size:15px'>{g.year} 年：<b style='color:{color}'>逾期未开 {overdue} 项</b>"
            f"（涉及 {owing} 个党支部），待召开 {due} 项，已计划 {planned} 项，"
            f"未达法定人数 {no_quorum} 次。</span>"
            + (f"<br>书记讲党课：{sum(g.secretary_lecture.values())} / {len(g.secretary_lecture)} 个党支部已讲"
               + (f"（未讲：{'、'.join(r.name for r in g.rows if not g.secretary_lecture.get(r.org_id, True))}）"
                  if not all(g.secretary_lecture.values()) else "")
               if g.secretary_lecture else ""))
        if mode == OVERVIEW:
            self._show_overview(g)
        else:
            self._show_kind(g, mode)

    @staticmethod
    def _tip(cell: ms.ComplianceCell) -> str:
        parts = [f"{cell.period.label} {cell.kind}：{cell.label}", f"已召开 {cell.held} 次"]
        if cell.planned:
            parts.append(f"已计划 {cell.planned} 次")
        if cell.no_quorum:
            parts.append(f"未达法定人数 {cell.no_quorum} 次")
        if cell.owing:
            parts.append("未召开的党小组：" + "、".join(cell.owing))
        return "\n".join(parts)

    def _show_overview(self, g: ms.ComplianceGrid) -> None:
        def shown(org_id: str, kind: str) -> GridCell:
            cell = g.current(org_id, kind)
            if cell is None:
                return GridCell(None)
            late = sum(1 for x in g.cells.get((org_id, kind), ()) if x.status == CellStatus.OVERDUE)
            text = cell.label
            if late and cell.status != CellStatus.OVERDUE:
                text += f"\n全年逾期 {late}"
            elif late > 1:
                text += f"（{late}）"
            tip = self._tip(cell) + (f"\n{g.year} 年逾期未开 {late} 次" if late else "")
            return GridCell(cell, text, tip, bool(late) and cell.status != CellStatus.OVERDUE)

        self._fill([f"{k}\n{g.rules[k].cadence_label}" for k in g.kinds],
                   [GridRow(r.name, tuple(shown(r.org_id, k) for k in g.kinds), r.org_id) for r in g.rows])

    def _show_kind(self, g: ms.ComplianceGrid, kind: str) -> None:
        unit = g.rules[kind].unit
        periods = g.periods(kind) if unit != PeriodUnit.NONE else []

        def shown(cell: ms.ComplianceCell) -> GridCell:
            text = cell.label if cell.status != CellStatus.HELD else f"已召开 {cell.held}"
            return GridCell(cell, text, self._tip(cell))

        rows = []
        for r in g.rows:
            cells = [shown(c) for c in g.cells.get((r.org_id, kind), ())][:len(periods)]
            rows.append(GridRow(r.name, tuple(cells + [GridCell(None)] * (len(periods) - len(cells))), r.org_id))
        self._fill([p.short_label for p in periods], rows)

    def _fill(self, titles: list[str], rows: list[GridRow]) -> None:
        self.model.set_grid([_cell_column(t, i) for i, t in enumerate(titles)], rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        at = next((i for i, r in enumerate(rows) if self._kept and r.org_id == self._kept), None)
        if at is not None:
            # the grid selects cells one at a time: the row's first cell, its row heading lit with it
            self.table.setCurrentIndex(self.model.index(at, 0))
            self.table.scrollTo(self.model.index(at, 0))

    def filter_widgets(self) -> dict[str, QWidget]:
        """The year a 工作台 item names (in January, last year's 应开未开)."""
        return {"year": self.year}

    def keep(self, org_id: str) -> None:
        """Select the branch's row once the grid shows it (the 工作台's 三会一课 items name a branch)."""
        self._kept = org_id

    # ------------------------------------------------------------------ acting
    def cell_at(self, row: int, col: int) -> ms.ComplianceCell | None:
        shown = self.model.row(row)
        return shown.cells[col].cell if shown is not None and 0 <= col < len(shown.cells) else None

    def _cell_activated(self, row: int, col: int) -> None:
        if not self.act_branches.isVisible():  # hidden from who may not write meetings: nor may it plan one here
            return
        cell = self.cell_at(row, col)
        if cell is None or cell.status not in (CellStatus.DUE, CellStatus.OVERDUE, CellStatus.NO_QUORUM):
            return
        # In the running period, today; for a past one its last day: the meeting may have been held unrecorded.
        day = self.today if cell.period.contains(self.today) else min(cell.period.end, self.today)
        self.plan_for(cell.org_id, cell.kind, day)

    def plan_for(self, branch_id: str, kind: str, day: date) -> None:
        """Plan (or enter afterwards) the meeting a cell owes; a 党小组会 goes to the first group owing it."""
        org_id = branch_id
        if rules.default_rule(kind).holder == rules.Holder.GROUP and self.grid is not None:
            cell = next((c for c in self.grid.cells.get((branch_id, kind), ()) if c.period.contains(day)), None)
            if cell is not None and cell.owing:
                org_id = next((oid for oid, name, k, _d in self.holders
                               if k == "group" and name == cell.owing[0]), branch_id)
        db = self.ctx.db
        MeetingDialog(self, db, self.holders, org_id=org_id, kind=kind, day=day, changes=WRITES,
                      save=lambda inp, ids, guests, _read: ms.plan(db, inp, ids, guests)).exec()

    def plan_batch(self) -> None:
        """按周期批量计划: the selected branch by default (a street: the community shown)."""
        shown = self.model.row(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None
        org_id = shown.org_id if shown is not None else self.community.currentData()
        open_batch_plan(self, self.ctx.db, self.holders, org_id, self.year.value(), self.today, changes=WRITES)

    def edit_branches(self) -> None:
        db = self.ctx.db
        run_op(self, lambda job: ms.branch_cadence(db), self._open_branches)

    def _open_branches(self, rows: list[ms.BranchCadenceRow]) -> None:
        if not rows:
            return
        BranchCadenceDialog(self, self.ctx.db, rows).exec()

    def edit_exemptions(self) -> None:
        ExemptionsDialog(self, self.ctx.db, self.today).exec()

    def print_sheet(self) -> None:
        self._write_sheet(ask_save_path(self, "保存三会一课落实情况表", f"三会一课落实情况表_{self.year.value()}.pdf"),
                          ms.print_compliance, "已保存")

    def export_sheet(self) -> None:
        self._write_sheet(ask_xlsx_path(self, "导出三会一课落实情况表", f"三会一课落实情况表_{self.year.value()}.xlsx"),
                          ms.export_compliance, "已导出")

    def _write_sheet(self, out: Path | None, write, said: str) -> None:
        """Write the year's sheet (PDF or workbook) off the GUI thread, then say where and offer to open it."""
        if out is None:
            return
        db, year, today = self.ctx.db, self.year.value(), self.today
        run_op(self, lambda job: write(db, year, out, today=today),
               lambda _result: (self.summary.setText(self.summary.text() + f"<br>{said} {out}"), _offer(self, out)))

    def edit_settings(self) -> None:
        db = self.ctx.db
        run_op(self, lambda job: ms.kind_settings(db), self._open_settings)

    def _open_settings(self, settings: list[ms.KindSetting]) -> None:
        db = self.ctx.db
        KindSettingsDialog(self, settings, save=lambda values: ms.set_kind_settings(db, values),
                           reset=lambda: ms.reset_kind_settings(db), changes=WRITES).exec()


