"""The lists of the sync page: their columns over the shared column model, and two small widget helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView

from desktop_app.gui import icons
from desktop_app.gui.sync.dialogs import local_time, size_text
from desktop_app.gui.widgets.table import ALERT, LEFT, RIGHT, Column, ColumnModel
from desktop_app.views.sync import PackageInfo

__all__ = ["COMMUNITY_COLUMNS", "COMMUNITY_GIVE_WAY", "CONFLICT_COLUMNS", "EXPORT_COLUMNS", "IMPORT_COLUMNS",
           "ColumnModel", "button", "community_columns", "export_columns", "silent_red", "table_view"]


def silent_red(c) -> QColor | None:
    """The street's list paints a community red when it has been silent too long."""
    return ALERT if c.warning else None


def table_view(model: ColumnModel) -> QTableView:
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


def export_columns(upper: str = "街道") -> list[Column]:
    """Packages made here; a community's are confirmed by its 街道 or 区 (`upper`)."""
    return [
        Column("生成时间", lambda p: local_time(p.created_at)),
        Column("类型", lambda p: p.kind_label if p.kind == "upstream" else f"下发 {p.peer_name}"),
        Column("范围", lambda p: "全部" if p.full else "变化"),
        Column("记录", lambda p: f"{p.rows:,}", RIGHT),
        Column("大小", lambda p: size_text(p.size), RIGHT),
        Column(f"{upper}确认", _confirmed),
        Column("文件", lambda p: Path(p.file_name).name),
    ]


EXPORT_COLUMNS = export_columns()
IMPORT_COLUMNS = [
    Column("导入时间", lambda p: local_time(p.imported_at)),
    Column("来自", lambda p: p.peer_name),
    Column("生成时间", lambda p: local_time(p.created_at)),
    Column("范围", lambda p: "全部" if p.full else "变化"),
    Column("记录", lambda p: f"{p.rows:,}", RIGHT),
    Column("大小", lambda p: size_text(p.size), RIGHT),
    Column("文件", lambda p: p.file_name),
]
def _warning(c) -> str | None:
    return c.warning or None


def _community(title: str, text: Callable[[Any], str], align: int = LEFT, width: int = 80) -> Column:
    """A column of the street's list: a silent community's cells say why they are red."""
    return Column(title, text, align, width, tooltip=_warning)


def community_columns(district: bool = False) -> list[Column]:
    """The street's (or district's) list of its communities; a district's says which street each is under."""
    street = [_community("所属街道", lambda c: c.street_name or "未设置", width=130)] if district else []
    return [
        _community("社区", lambda c: c.org_name, width=120),
        *street,
        # 12 digits whole: the send-down's files are handed out by the code in their names
        _community("组织代码", lambda c: c.org_code, width=100),
        _community("党员", lambda c: f"{c.members:,}", RIGHT, 48),
        _community("最近数据包", lambda c: local_time(c.last_package_at), width=118),
        _community("导入于", lambda c: local_time(c.last_imported_at), width=118),
        _community("大小", lambda c: size_text(c.last_size) if c.last_size else "—", RIGHT, 64),
        _community("记录", lambda c: f"{c.last_rows:,}", RIGHT, 56),
        _community("报送次数", lambda c: str(c.packages), RIGHT, 64),
        _community("待处理冲突", lambda c: str(c.open_conflicts) if c.open_conflicts else "", RIGHT, 76),
        _community("提醒", lambda c: c.note, width=150),  # it stretches: 150 its floor
    ]


# hidden first, first first, while the list is too narrow for them all (a 1024 screen): the name, the street,
# the last package and the reminder stay
COMMUNITY_GIVE_WAY = ("导入于", "大小", "记录", "组织代码", "报送次数")
COMMUNITY_COLUMNS = community_columns()
CONFLICT_COLUMNS = [
    Column("表", lambda c: c.table_label),
    Column("记录", lambda c: c.row_label),
    Column("来自", lambda c: c.peer_name),
    Column("发现于", lambda c: local_time(c.detected_at)),
    Column("状态", lambda c: c.status_label),
]
