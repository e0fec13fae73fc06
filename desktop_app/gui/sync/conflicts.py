"""The conflicts tab: kept conflicts on the left, the chosen one's two versions side by side on the right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QTableView, QWidget

from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import community_box, refill_communities
from desktop_app.gui.ops import run_op
from desktop_app.gui.sync.models import CONFLICT_COLUMNS, ColumnModel, button, table_view
from desktop_app.gui.widgets.layouts import column, fill, panel, splitter, wrapped
from desktop_app.gui.widgets.table import Column
from desktop_app.gui.widgets.table import table_view as grid_view
from desktop_app.services import sync
from desktop_app.views.changes import Change, changes
from desktop_app.views.sync import CommunityStatus, ConflictDetail, ConflictRow, FieldDiff

if TYPE_CHECKING:
    from desktop_app.gui.sync.page import SyncPage

DIFF_BG = QColor("#fff4d6")


def field_columns(peer_name: str = "") -> list[Column]:
    """字段 / 本地版本 / 来件版本: a field that differs is shaded across, its two values in bold."""
    shade = {"background": lambda f: DIFF_BG if f.differs else None}
    differs = {**shade, "bold": lambda f: f.differs}
    return [Column("字段", lambda f: f.label, **shade),
            Column("本地版本", lambda f: f.local, **differs),
            Column(f"来件版本（{peer_name}）" if peer_name else "来件版本", lambda f: f.incoming, **differs)]


def fields_view(model: ColumnModel) -> QTableView:
    view = grid_view(model, rows=False, fit=False)
    view.setAlternatingRowColors(False)  # the shading marks what differs
    view.verticalHeader().setDefaultSectionSize(view.verticalHeader().minimumSectionSize())  # rows fit their text
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(True)
    return view


class ConflictsPanel(QWidget):
    """Kept conflicts on the left, the chosen one's two versions side by side on the right."""

    def __init__(self, page: "SyncPage"):
        super().__init__(page)
        self.page = page
        self.street = page.is_street
        self.detail: ConflictDetail | None = None
        self.model = ColumnModel(CONFLICT_COLUMNS, parent=self)
        self.list = table_view(self.model)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.community = community_box(self.refresh)
        self.community.setVisible(self.street)
        self.only_diff = QCheckBox("只显示不同的字段")
        self.only_diff.setChecked(True)
        self.only_diff.toggled.connect(lambda *_: self._fill_fields())
        self.field_model = ColumnModel(field_columns(), parent=self)  # headed before a conflict is chosen too
        self.fields = fields_view(self.field_model)
        self.heading = wrapped("选择左侧的一条冲突，查看两边的版本。")
        self.note = wrapped()
        self.note.setStyleSheet("color: #b26a00")
        self.take_local = button("采用本地", "take-local", lambda: self.resolve(sync.LOCAL))
        self.take_incoming = button("采用来件", "take-incoming", lambda: self.resolve(sync.INCOMING))
        self.name_upper("街道")
        self.empty = wrapped("没有待处理的冲突。两边都改过的记录会在导入时保留双方版本，列在这里由人决定。")

        left = panel(self.community, (self.list, 1), self.empty)
        buttons = fill(QHBoxLayout(), 1, self.take_local, self.take_incoming)
        right = panel(self.heading, self.only_diff, (self.fields, 1), self.note, buttons)
        column(self, splitter(left, right, stretch=(2, 3)))
        self._set_buttons()

    def set_communities(self, communities: Sequence[CommunityStatus]) -> None:
        refill_communities(self.community, [(c.org_name, c.site_id) for c in communities])

    def refresh(self) -> None:
        db, peer = self.page.ctx.db, self.community.currentData()
        run_op(self, lambda job: sync.conflicts(db, community=peer), self._show)

    def _show(self, rows: list[ConflictRow]) -> None:
        keep = self.detail.conflict.id if self.detail else None
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.list.resizeColumnsToContents()
        self.page.set_conflict_count(len(rows))
        index = next((i for i, r in enumerate(rows) if r.id == keep), 0)
        if rows:
            self.list.selectRow(index)
        else:
            self.detail = None
            self.field_model.set_rows([])
            self.heading.setText("没有待处理的冲突。")
            self.note.clear()
            self._set_buttons()

    def selected(self) -> ConflictRow | None:
        rows = self.list.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        db = self.page.ctx.db
        run_op(self, lambda job: sync.conflict_detail(db, row.id), self._show_detail)

    def name_upper(self, up: str) -> None:
        """At a community: 街道 or 区, the database that decides its conflicts."""
        self.upper = up
        if not self.street:
            self.take_local.setToolTip(f"社区与{up}的冲突由{up}决定：本社区的版本会随数据包报送{up}")

    def _show_detail(self, detail: ConflictDetail) -> None:
        self.detail = detail
        c = detail.conflict
        self.heading.setText(
            f"<b>{c.table_label}：{c.row_label}</b>　本地为第 {c.local_version} 版，"
            f"{c.peer_name} 发来第 {c.incoming_version} 版；两边在上次一致之后都改过。"
        )
        notes = []
        if detail.local_changed_since:
            notes.append("发现冲突之后本地又改过这条记录，“本地”一栏是现在的内容。")
        if not self.street:
            up = self.upper
            notes.append(f"社区的版本会随下次数据包报送{up}，由{up}决定；如{up}的版本是对的，可采用来件。")
        self.note.setText("\n".join(notes))
        self._fill_fields()
        self._set_buttons()

    def _fill_fields(self) -> None:
        d = self.detail
        if d is None:
            return
        fields: Sequence[FieldDiff] = d.differing if self.only_diff.isChecked() else d.fields
        self.field_model.set_grid(field_columns(d.conflict.peer_name), fields)
        self.fields.resizeRowsToContents()

    def _set_buttons(self) -> None:
        open_ = self.detail is not None and self.detail.conflict.status == "open"
        self.take_local.setEnabled(open_ and self.street)
        self.take_incoming.setEnabled(open_)

    def resolve(self, side: str) -> None:
        d = self.detail
        if d is None:
            return
        c = d.conflict
        what = "保留本地版本" if side == sync.LOCAL else f"采用 {c.peer_name} 发来的版本"
        if not common.ask(self, "处理冲突", f"{c.table_label}“{c.row_label}”：{what}？\n另一版本仍保留在冲突记录中备查。"):
            return
        db = self.page.ctx.db
        # the chosen side may rewrite a row of any table
        run_op(self, lambda job: sync.resolve_conflict(db, c.id, side), self._resolved, changes=changes(Change.ALL))

    def _resolved(self, row: ConflictRow) -> None:
        self.detail = None
        self.page.status(f"已处理：{row.table_label}“{row.row_label}”（{row.status_label}）")
