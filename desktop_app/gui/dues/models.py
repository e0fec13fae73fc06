"""The 党费 page's tables: the members × months grid, the arrears list, members without a base."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop_app.domain import dues as rules
from desktop_app.domain.money import format_yuan
from desktop_app.gui.ledger.forms import RED
from desktop_app.gui.widgets.table import CENTER, LEFT, RIGHT, Column, ColumnModel
from desktop_app.views.dues import (
    CURRENT,
    EXEMPT,
    FUTURE,
    OWED,
    PAID,
    PARTIAL,
    DuesGrid,
    GridRow,
    MonthCell,
    month_text,
)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)

FIRST_MONTH_COLUMN = 3
CELL_COLORS = {
    PAID: QColor("#e6f4ea"), PARTIAL: QColor("#fff4e5"), OWED: QColor("#fde8e8"),
    CURRENT: QColor("#fff8d6"), EXEMPT: QColor("#f1f3f4"),
}
PAYABLE = (OWED, CURRENT, FUTURE)


def cell_text(c: MonthCell) -> str:
    return "待交" if c.state == CURRENT else month_text(c)


def cell_tip(name: str, c: MonthCell) -> str:
    head = f"{name} {rules.month_label(c.month)}"
    if c.state in (PAID, PARTIAL):
        tip = f"{head}：应交 {format_yuan(c.due_fen)} 元，实交 {format_yuan(c.paid_fen)} 元\n{c.paid_on} 由{c.collected_by}收缴"
        if c.late:
            tip += "\n补交超过6个月"
        return tip
    if c.state in (OWED, CURRENT, FUTURE):
        return f"{head}：应交 {format_yuan(c.due_fen)} 元，" + ("尚未交纳" if c.state != FUTURE else "未到期")
    if c.state == EXEMPT:
        return f"{head}：经批准免交"
    return f"{head}：无须交纳（未登记基数或不在本支部）"


def _month(m: int) -> Column:
    """The column of month `m` (1-12): a cell's mark, coloured by its state, explained in its tooltip."""
    def cell(r: GridRow) -> MonthCell:
        return r.cells[m - 1]

    return Column(
        f"{m}月", lambda r: cell_text(cell(r)), lambda r: RIGHT if cell(r).state in (PAID, PARTIAL) else CENTER, 54,
        tooltip=lambda r: cell_tip(r.name, cell(r)), background=lambda r: CELL_COLORS.get(cell(r).state),
        color=lambda r: RED if cell(r).state == OWED or cell(r).late else None)


def _basis(r: GridRow) -> str:
    return r.basis + ("\n经党支部同意按季度交纳" if r.quarterly_consent else "")


# 12 months and the totals fit a 1,000-pixel page
GRID_COLUMNS = (
    Column("姓名", lambda r: r.name, LEFT, 70, tooltip=lambda r: None),
    Column("类别", lambda r: r.category or "未登记", CENTER, 56, tooltip=_basis,
           color=lambda r: None if r.has_base else RED),
    Column("月应交", lambda r: format_yuan(r.monthly_due_fen) if r.has_base else "", RIGHT, 64, tooltip=_basis,
           header_tip="每月应交党费（元）"),
    *(_month(m) for m in range(1, 13)),
    Column("已交", lambda r: format_yuan(r.paid_fen), RIGHT, 76, tooltip=lambda r: None),
    Column("欠交", lambda r: format_yuan(r.owed_fen) if r.owed_fen else "", RIGHT, 64, tooltip=lambda r: None,
           color=lambda r: RED if r.owed_fen else None),
)
WIDTHS = tuple(c.width for c in GRID_COLUMNS)


class DuesGridModel(ColumnModel):
    """Members × months of one branch and year (plain GridRow records), rows numbered in the vertical header."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(GRID_COLUMNS, parent=parent)

    def show_grid(self, grid: DuesGrid | None) -> None:
        self.set_rows(grid.rows if grid else [])

    def cell(self, index: QModelIndex) -> MonthCell | None:
        col = index.column() - FIRST_MONTH_COLUMN
        if not index.isValid() or not 0 <= col < 12:
            return None
        return self.rows[index.row()].cells[col]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return super().headerData(section, orientation, role)


def _lapse_red(r) -> QColor | None:
    return RED if r.lapse_risk else None


ARREARS_COLUMNS = (
    Column("姓名", lambda r: r.name, LEFT, 80),
    Column("所在党组织", lambda r: r.org_name, LEFT, 140),
    Column("状态", lambda r: r.status, CENTER, 56),
    Column("欠交月份", lambda r: r.months_text, LEFT, 220),
    Column("欠交金额", lambda r: format_yuan(r.owed_fen), RIGHT, 90),
    Column("连续未交", lambda r: f"{r.trailing_months} 个月" if r.trailing_months else "", CENTER, 80, color=_lapse_red),
    Column("最近交纳", lambda r: r.last_paid.isoformat() if r.last_paid else "无记录", CENTER, 96),
    Column("提示", lambda r: "连续6个月未交纳党费，请谈话提醒" if r.lapse_risk else "", LEFT, 220, color=_lapse_red),
)
NO_BASE_COLUMNS = (
    Column("姓名", lambda r: r.name, LEFT, 100),
    Column("所在党组织", lambda r: r.org_name, LEFT, 200),
)
