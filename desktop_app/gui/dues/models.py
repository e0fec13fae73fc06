"""The 党费 page's tables: the members × months grid, the arrears list, members without a base."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop_app.domain import dues as rules
from desktop_app.domain.money import format_yuan
from desktop_app.gui.ledger.forms import RED
from desktop_app.gui.widgets.table import CENTER, LEFT, RIGHT, Column
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
)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
MEMBER_ROLE = int(Qt.ItemDataRole.UserRole) + 1

FIRST_MONTH_COLUMN = 3
HEADERS = ("姓名", "类别", "月应交", *(f"{m}月" for m in range(1, 13)), "已交", "欠交")
WIDTHS = (70, 56, 64, *([54] * 12), 76, 64)  # 12 months and the totals fit a 1,000-pixel page
CELL_COLORS = {
    PAID: QColor("#e6f4ea"), PARTIAL: QColor("#fff4e5"), OWED: QColor("#fde8e8"),
    CURRENT: QColor("#fff8d6"), EXEMPT: QColor("#f1f3f4"),
}
PAYABLE = (OWED, CURRENT, FUTURE)


def cell_text(c: MonthCell) -> str:
    if c.state == PAID:
        return format_yuan(c.paid_fen) + ("*" if c.late else "")
    if c.state == PARTIAL:
        return format_yuan(c.paid_fen) + "#"
    return {OWED: "欠", CURRENT: "待交", EXEMPT: "免"}.get(c.state, "")


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


class DuesGridModel(QAbstractTableModel):
    """Members × months of one branch and year (plain GridRow records)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[GridRow] = []

    def set_grid(self, grid: DuesGrid | None) -> None:
        self.beginResetModel()
        self.rows = list(grid.rows) if grid else []
        self.endResetModel()

    def cell(self, index: QModelIndex) -> MonthCell | None:
        col = index.column() - FIRST_MONTH_COLUMN
        if not index.isValid() or not 0 <= col < 12:
            return None
        return self.rows[index.row()].cells[col]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        c = self.cell(index)
        if role == _DISPLAY:
            if c is not None:
                return cell_text(c)
            if col == 0:
                return r.name
            if col == 1:
                return r.category or "未登记"
            if col == 2:
                return format_yuan(r.monthly_due_fen) if r.has_base else ""
            if col == FIRST_MONTH_COLUMN + 12:
                return format_yuan(r.paid_fen)
            return format_yuan(r.owed_fen) if r.owed_fen else ""
        if role == _ALIGN:
            return LEFT if col == 0 else (CENTER if col == 1 or (c is not None and c.state not in (PAID, PARTIAL)) else RIGHT)
        if role == _BACKGROUND and c is not None:
            return CELL_COLORS.get(c.state)
        if role == _FOREGROUND:
            if c is not None and (c.state == OWED or c.late):
                return RED
            if col == FIRST_MONTH_COLUMN + 13 and r.owed_fen:
                return RED
            if col == 1 and not r.has_base:
                return RED
            return None
        if role == _TOOLTIP:
            if c is not None:
                return cell_tip(r.name, c)
            if col in (1, 2):
                return r.basis + ("\n经党支部同意按季度交纳" if r.quarterly_consent else "")
            return None
        if role == MEMBER_ROLE:
            return r.member_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if role == _DISPLAY and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


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
