"""Table models of the sync page: one read-only model over plain records, and the columns of each list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView, QWidget

from desktop_app.gui import icons
from desktop_app.gui.sync.dialogs import local_time, size_text
from desktop_app.views.sync import PackageInfo


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RED = QColor("#c8161e")
GREEN = QColor("#2e7d32")


@dataclass(frozen=True)
class Col:
    title: str
    text: Callable[[Any], str]
    align: int = LEFT


class RecordModel(QAbstractTableModel):
    """A read-only table over a list of plain records; `warn(record)` paints a row red."""

    def __init__(self, columns: Sequence[Col], warn: Callable[[Any], str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []
        self._warn = warn

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.records[row] if 0 <= row < len(self.records) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.records)):
            return None
        rec = self.records[index.row()]
        col = self.columns[index.column()]
        if role == _DISPLAY:
            return col.text(rec)
        if role == _ALIGN:
            return col.align
        if role in (_FOREGROUND, _TOOLTIP) and self._warn is not None:
            warning = self._warn(rec)
            if warning:
                return RED if role == _FOREGROUND else warning
        return None


def table_view(model: QAbstractTableModel) -> QTableView:
    v = QTableView()
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    v.verticalHeader().setVisible(False)
    v.setAlternatingRowColors(True)
    v.horizontalHeader().setStretchLastSection(True)
    return v


def button(text: str, icon: str, slot: Callable[[], None]) -> QPushButton:
    b = QPushButton(icons.get(icon), text)
    b.clicked.connect(slot)
    return b


def _confirmed(p: PackageInfo) -> str:
    if p.kind != "upstream":
        return ""
    return f"已确认 {local_time(p.confirmed_at, '%m-%d')}" if p.confirmed_at else "待确认"


EXPORT_COLUMNS = [
    Col("生成时间", lambda p: local_time(p.created_at)),
    Col("类型", lambda p: p.kind_label if p.kind == "upstream" else f"下发 {p.peer_name}"),
    Col("范围", lambda p: "全部" if p.full else "变化"),
    Col("记录", lambda p: f"{p.rows:,}", RIGHT),
    Col("大小", lambda p: size_text(p.size), RIGHT),
    Col("街道确认", _confirmed),
    Col("文件", lambda p: Path(p.file_name).name),
]
IMPORT_COLUMNS = [
    Col("导入时间", lambda p: local_time(p.imported_at)),
    Col("来自", lambda p: p.peer_name),
    Col("生成时间", lambda p: local_time(p.created_at)),
    Col("范围", lambda p: "全部" if p.full else "变化"),
    Col("记录", lambda p: f"{p.rows:,}", RIGHT),
    Col("大小", lambda p: size_text(p.size), RIGHT),
    Col("文件", lambda p: p.file_name),
]
COMMUNITY_COLUMNS = [
    Col("社区", lambda c: c.org_name),
    Col("组织代码", lambda c: c.org_code),
    Col("党员", lambda c: f"{c.members:,}", RIGHT),
    Col("最近数据包", lambda c: local_time(c.last_package_at)),
    Col("导入于", lambda c: local_time(c.last_imported_at)),
    Col("大小", lambda c: size_text(c.last_size) if c.last_size else "—", RIGHT),
    Col("记录", lambda c: f"{c.last_rows:,}", RIGHT),
    Col("报送次数", lambda c: str(c.packages), RIGHT),
    Col("待处理冲突", lambda c: str(c.open_conflicts) if c.open_conflicts else "", RIGHT),
    Col("提醒", lambda c: c.warning),
]
CONFLICT_COLUMNS = [
    Col("表", lambda c: c.table_label),
    Col("记录", lambda c: c.row_label),
    Col("来自", lambda c: c.peer_name),
    Col("发现于", lambda c: local_time(c.detected_at)),
    Col("状态", lambda c: c.status_label),
]
