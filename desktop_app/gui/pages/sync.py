"""数据同步: a community sends its data to the street on a USB stick; the street takes them all.

Community: take the street's key once; export a package to a chosen folder or
USB drive (progress, then a summary); import what the street sends back.
Street: make the key once (and copy it for communities joining later); import
community packages with a dry-run preview first; every community with the date
and size of its last package, a warning when one has been silent for over 30
days; send packages back down; the conflicts, both versions side by side, for
a person to decide (采用本地 / 采用来件).

All work goes through sync.* and services.sync_status off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
    QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from desktop_app.gui import icons
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common, sync_dialogs
from desktop_app.gui.dialogs.sync_dialogs import (
    KEY_FILTER, PACKAGE_FILTER, ExportSummaryDialog, ImportPreviewDialog, local_time, size_text,
)
from desktop_app.gui.errors import show_error
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import sync_status
from desktop_app.services.sync_status import CommunityStatus, ConflictDetail, ConflictRow, PackageInfo, SyncState
from desktop_app.sync import downstream, export, keys, merge

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RED = QColor("#c8161e")
GREEN = QColor("#2e7d32")
DIFF_BG = QColor("#fff4d6")
SYNC_TOPIC = "sync"


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


def _view(model: QAbstractTableModel) -> QTableView:
    v = QTableView()
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    v.verticalHeader().setVisible(False)
    v.setAlternatingRowColors(True)
    v.horizontalHeader().setStretchLastSection(True)
    return v


def _button(text: str, icon: str, slot: Callable[[], None]) -> QPushButton:
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


class ConflictsPanel(QWidget):
    """Kept conflicts on the left, the chosen one's two versions side by side on the right."""

    def __init__(self, page: "SyncPage"):
        super().__init__(page)
        self.page = page
        self.street = page.is_street
        self.detail: ConflictDetail | None = None
        self.model = RecordModel(CONFLICT_COLUMNS, parent=self)
        self.list = _view(self.model)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.community = QComboBox()
        self.community.addItem("全部社区", None)
        self.community.currentIndexChanged.connect(lambda *_: self.refresh())
        self.community.setVisible(self.street)
        self.only_diff = QCheckBox("只显示不同的字段")
        self.only_diff.setChecked(True)
        self.only_diff.toggled.connect(lambda *_: self._fill_fields())
        self.fields = QTableWidget(0, 3)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.verticalHeader().setVisible(False)
        self.fields.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.fields.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fields.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.fields.setWordWrap(True)
        self.heading = QLabel("选择左侧的一条冲突，查看两边的版本。")
        self.heading.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b26a00")
        self.take_local = _button("采用本地", "take-local", lambda: self.resolve(sync_status.LOCAL))
        self.take_incoming = _button("采用来件", "take-incoming", lambda: self.resolve(sync_status.INCOMING))
        if not self.street:
            self.take_local.setToolTip("社区与街道的冲突由街道决定：本社区的版本会随数据包报送街道")
        self.empty = QLabel("没有待处理的冲突。两边都改过的记录会在导入时保留双方版本，列在这里由人决定。")
        self.empty.setWordWrap(True)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.community)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.empty)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.only_diff)
        rl.addWidget(self.fields, 1)
        rl.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.take_local)
        buttons.addWidget(self.take_incoming)
        rl.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self._set_buttons()

    def set_communities(self, communities: Sequence[CommunityStatus]) -> None:
        current = self.community.currentData()
        self.community.blockSignals(True)
        self.community.clear()
        self.community.addItem("全部社区", None)
        for c in communities:
            self.community.addItem(c.org_name, c.site_id)
        i = self.community.findData(current)
        self.community.setCurrentIndex(max(i, 0))
        self.community.blockSignals(False)

    def refresh(self) -> None:
        db, peer = self.page.ctx.db, self.community.currentData()
        run_op(self, lambda job: sync_status.conflicts(db, community=peer), self._show)

    def _show(self, rows: list[ConflictRow]) -> None:
        keep = self.detail.conflict.id if self.detail else None
        self.model.set_records(rows)
        self.empty.setVisible(not rows)
        self.list.resizeColumnsToContents()
        self.page.set_conflict_count(len(rows))
        index = next((i for i, r in enumerate(rows) if r.id == keep), 0)
        if rows:
            self.list.selectRow(index)
        else:
            self.detail = None
            self.fields.setRowCount(0)
            self.heading.setText("没有待处理的冲突。")
            self.note.clear()
            self._set_buttons()

    def selected(self) -> ConflictRow | None:
        rows = self.list.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        db = self.page.ctx.db
        run_op(self, lambda job: sync_status.conflict_detail(db, row.id), self._show_detail)

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
            notes.append("社区的版本会随下次数据包报送街道，由街道决定；如街道的版本是对的，可采用来件。")
        self.note.setText("\n".join(notes))
        self._fill_fields()
        self._set_buttons()

    def _fill_fields(self) -> None:
        d = self.detail
        if d is None:
            return
        fields = d.differing if self.only_diff.isChecked() else d.fields
        self.fields.setHorizontalHeaderLabels(["字段", "本地版本", f"来件版本（{d.conflict.peer_name}）"])
        self.fields.setRowCount(len(fields))
        bold = QFont()
        bold.setBold(True)
        for r, f in enumerate(fields):
            for c, text in enumerate((f.label, f.local, f.incoming)):
                item = QTableWidgetItem(text)
                if f.differs:
                    item.setBackground(DIFF_BG)
                    if c:
                        item.setFont(bold)
                self.fields.setItem(r, c, item)
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
        what = "保留本地版本" if side == sync_status.LOCAL else f"采用 {c.peer_name} 发来的版本"
        if not common.ask(self, "处理冲突", f"{c.table_label}“{c.row_label}”：{what}？\n另一版本仍保留在冲突记录中备查。"):
            return
        db = self.page.ctx.db
        run_op(self, lambda job: sync_status.resolve_conflict(db, c.id, side), self._resolved)

    def _resolved(self, row: ConflictRow) -> None:
        self.detail = None
        bus.changed.emit("*")
        self.page.status(f"已处理：{row.table_label}“{row.row_label}”（{row.status_label}）")


class SyncPage(Page):
    title = "数据同步"
    icon = "sync"
    watches = (SYNC_TOPIC, "orgs", "members")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.is_street = ctx.site.level == "street"
        self.state: SyncState | None = None
        self._queue: list[Path] = []
        heading = QLabel("数据同步" + ("（街道）" if self.is_street else ""))
        heading.setObjectName("pageHeading")
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #2e7d32")
        self.tabs = QTabWidget()
        self.conflicts = ConflictsPanel(self)
        if self.is_street:
            self._build_street()
        else:
            self._build_community()
        self.conflict_tab = self.tabs.addTab(self.conflicts, icons.get("conflict"), "冲突")
        self.key_label.setVisible(self.is_street)  # a community shows its key in its own box
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(self.key_label)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.message)

    # --- layout ---------------------------------------------------------------------
    def _build_community(self) -> None:
        self.key_button = _button("导入街道密钥…", "key", self.use_key)
        key_box = QGroupBox("街道密钥")
        kl = QHBoxLayout(key_box)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        kl.addWidget(self.key_status, 1)
        kl.addWidget(self.key_button)

        self.full = QCheckBox("导出全部数据（默认只导出街道上次确认收到之后的变化）")
        self.plain = QCheckBox("不加密（明文 CSV，能用 Excel 打开；含身份证号，仅在安全场合使用）")
        self.export_button = _button("导出数据包…", "package-out", self.export_package)
        self.last_export = QLabel()
        self.last_export.setWordWrap(True)
        out_box = QGroupBox("报送街道")
        ol = QVBoxLayout(out_box)
        ol.addWidget(QLabel("把本社区的数据导出为一个数据包文件，存到 U 盘交给街道。"))
        ol.addWidget(self.full)
        ol.addWidget(self.plain)
        row = QHBoxLayout()
        row.addWidget(self.last_export, 1)
        row.addWidget(self.export_button)
        ol.addLayout(row)

        self.import_button = _button("导入街道下发包…", "package-in", self.import_packages)
        self.last_import = QLabel()
        self.last_import.setWordWrap(True)
        in_box = QGroupBox("街道下发")
        il = QHBoxLayout(in_box)
        il.addWidget(self.last_import, 1)
        il.addWidget(self.import_button)

        self.history = RecordModel(EXPORT_COLUMNS, parent=self)
        self.history_view = _view(self.history)
        tab = QWidget()
        tl = QVBoxLayout(tab)
        tl.addWidget(key_box)
        tl.addWidget(out_box)
        tl.addWidget(in_box)
        tl.addWidget(QLabel("报送记录"))
        tl.addWidget(self.history_view, 1)
        self.tabs.addTab(tab, icons.get("usb"), "报送街道")

    def _build_street(self) -> None:
        self.import_button = _button("导入社区数据包…", "package-in", self.import_packages)
        self.send_selected = _button("给所选社区生成下发包…", "send-down", lambda: self.send_down(all_=False))
        self.send_all = _button("给全部社区生成下发包…", "send-down", lambda: self.send_down(all_=True))
        self.key_button = _button("生成街道密钥…", "key", self.new_key)
        self.replace_key = _button("更换密钥…", "key", self.replace_street_key)
        bar = QHBoxLayout()
        for b in (self.import_button, self.send_selected, self.send_all):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.key_button)
        bar.addWidget(self.replace_key)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #c8161e")
        self.communities = RecordModel(COMMUNITY_COLUMNS, warn=lambda c: c.warning, parent=self)
        self.community_view = _view(self.communities)
        self.community_view.selectionModel().selectionChanged.connect(lambda *_: self._set_send_buttons())
        tab = QWidget()
        tl = QVBoxLayout(tab)
        tl.addLayout(bar)
        tl.addWidget(self.warnings)
        tl.addWidget(self.community_view, 1)
        self.tabs.addTab(tab, icons.get("org-community", icons.ACCENT), "各社区")
        self.imports = RecordModel(IMPORT_COLUMNS, parent=self)
        self.tabs.addTab(_view(self.imports), icons.get("package-in"), "导入记录")
        self.history = RecordModel(EXPORT_COLUMNS, parent=self)
        self.tabs.addTab(_view(self.history), icons.get("send-down"), "下发记录")
        self._set_send_buttons()

    # --- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        db, street = self.ctx.db, self.is_street

        def load(job):
            state = sync_status.sync_state(db)
            exports = sync_status.exports(db)
            if street:
                return state, exports, sync_status.communities(db), sync_status.imports(db)
            return state, exports, [], []

        run_op(self, load, self._show)
        self.conflicts.refresh()

    def _show(self, loaded) -> None:
        state, exports, communities, imports = loaded
        self.state = state
        self.history.set_records(exports)
        if state.has_key:
            who = state.street_org_name or "本街道"
            self.key_label.setText(f"街道密钥：{who}，指纹 {state.fingerprint}（{local_time(state.key_set_at, '%Y-%m-%d')} 设置）")
        else:
            self.key_label.setText(
                "尚未生成街道密钥：先生成密钥，再把密钥文件拷给各社区。" if self.is_street
                else "尚未设置街道密钥：请导入街道发来的密钥文件，之后才能报送数据。"
            )
        if self.is_street:
            self.communities.set_records(communities)
            self.imports.set_records(imports)
            self.community_view.resizeColumnsToContents()
            self.conflicts.set_communities(communities)
            silent = [c for c in communities if c.silent]
            self.warnings.setText(
                "；".join(f"{c.org_name}{c.warning}" for c in silent) + "，请提醒报送。" if silent else ""
            )
            self.warnings.setVisible(bool(silent))
            self.key_button.setText("另存密钥文件…" if state.has_key else "生成街道密钥…")
            self.key_button.setToolTip("给新加入的社区再存一份密钥文件" if state.has_key else "")
            self.replace_key.setVisible(state.has_key)
            self.import_button.setEnabled(state.has_key)
            self._set_send_buttons()
        else:
            self.key_status.setText(
                f"已设置：{state.street_org_name}，指纹 {state.fingerprint}" if state.has_key
                else "尚未设置。请向街道索取密钥文件（.dqkey），当面拷贝。"
            )
            self.key_button.setText("更换街道密钥…" if state.has_key else "导入街道密钥…")
            self.export_button.setEnabled(state.has_key)
            self.import_button.setEnabled(state.has_key)
            le, lc = state.last_export, state.last_confirmed
            parts = []
            if le:
                parts.append(f"上次导出：{local_time(le.created_at)}（{size_text(le.size)}）")
            if lc:
                parts.append(f"街道已确认：{local_time(lc.created_at)} 的数据包")
            elif le:
                parts.append("街道尚未确认，下次仍会导出全部数据")
            self.last_export.setText("；".join(parts) or "还没有导出过数据包。")
            li = state.last_import
            self.last_import.setText(
                f"上次导入街道下发包：{local_time(li.imported_at)}" if li
                else "街道下发的数据包（组织树、分类清单、党费比例、确认回执）在这里导入。"
            )
            self.history_view.resizeColumnsToContents()

    def set_conflict_count(self, n: int) -> None:
        self.tabs.setTabText(self.conflict_tab, f"冲突（{n}）" if n else "冲突")
        self.tabs.setTabIcon(self.conflict_tab, icons.get("conflict", icons.ACCENT if n else "#444444"))

    def status(self, text: str) -> None:
        self.message.setText(text)

    def _set_send_buttons(self) -> None:
        if not self.is_street:
            return
        keyed = self.state is not None and self.state.has_key
        self.send_all.setEnabled(keyed and self.communities.rowCount() > 0)
        self.send_selected.setEnabled(keyed and bool(self.community_view.selectionModel().selectedRows()))

    def selected_community(self) -> CommunityStatus | None:
        rows = self.community_view.selectionModel().selectedRows()
        return self.communities.record(rows[0].row()) if rows else None

    # --- keys ---------------------------------------------------------------------
    def use_key(self) -> None:
        path = sync_dialogs.choose_open(self, "选择街道发来的密钥文件", KEY_FILTER)
        if path is None:
            return
        if self.state is not None and self.state.has_key and not common.ask(
            self, "更换街道密钥", "本社区已有街道密钥。换用新的密钥文件吗？\n换成其他街道的密钥后，下次会导出全部数据。"
        ):
            return
        db = self.ctx.db
        run_op(self, lambda job: keys.use_key(db, path), self._key_taken, label="正在导入密钥…")

    def _key_taken(self, result: keys.KeyUseResult) -> None:
        info = result.info
        text = f"已导入{info.street_org_name}的密钥（指纹 {info.fingerprint}）。"
        if result.moved_under_street:
            text += f"\n本社区党委已挂到“{info.street_org_name}”之下，与街道的组织树一致。"
        if result.street_changed:
            text += "\n这是另一个街道的密钥：下次会导出全部数据。"
        bus.changed.emit("orgs")
        bus.changed.emit(SYNC_TOPIC)
        common.inform(self, "街道密钥", text)

    def new_key(self) -> None:
        db = self.ctx.db
        code = self.ctx.site.org_code
        if self.state is not None and self.state.has_key:
            path = sync_dialogs.choose_save(self, "另存街道密钥文件", f"街道密钥_{code}.dqkey", KEY_FILTER)
            if path is not None:
                run_op(self, lambda job: keys.write_key_file(db, path), lambda info: self._key_written(path, info))
            return
        path = sync_dialogs.choose_save(self, "保存街道密钥文件", f"街道密钥_{code}.dqkey", KEY_FILTER)
        if path is None:
            return
        run_op(self, lambda job: keys.new_key(db, path), lambda info: self._key_written(path, info))

    def replace_street_key(self) -> None:
        if not common.ask(
            self, "更换街道密钥",
            "换新密钥后，各社区手里的旧密钥立即作废：社区必须导入新密钥文件，才能再报送数据。\n确定要更换吗？",
        ):
            return
        path = sync_dialogs.choose_save(self, "保存新的街道密钥文件", f"街道密钥_{self.ctx.site.org_code}.dqkey",
                                        KEY_FILTER)
        if path is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: keys.new_key(db, path, replace=True), lambda info: self._key_written(path, info))

    def _key_written(self, path: Path, info: keys.KeyInfo) -> None:
        bus.changed.emit(SYNC_TOPIC)
        common.inform(
            self, "街道密钥",
            f"密钥文件已保存到 {path}（指纹 {info.fingerprint}）。\n"
            "请当面拷给各社区，不要通过微信、邮件等网络方式发送；社区在“数据同步”中导入即可。",
        )

    # --- packages out -----------------------------------------------------------------
    def export_package(self) -> None:
        plain = self.plain.isChecked()
        if plain and not common.ask(
            self, "不加密导出", "不加密的数据包任何人都能打开，里面有党员的身份证号和电话。\n确定不加密吗？"
        ):
            return
        folder = sync_dialogs.choose_folder(self, "选择存放数据包的文件夹（U 盘）")
        if folder is None:
            return
        db, full = self.ctx.db, self.full.isChecked()
        run_op(
            self, lambda job: export.export_package(db, folder, full=full, plain=plain, progress=job.report),
            self._exported, label="正在导出数据包…",
        )

    def _exported(self, result) -> None:
        results = result if isinstance(result, list) else [result]
        bus.changed.emit(SYNC_TOPIC)
        self.status(f"已生成 {len(results)} 个数据包：{results[0].path.parent}")
        ExportSummaryDialog(self, results).exec()

    def send_down(self, all_: bool) -> None:
        target = None if all_ else self.selected_community()
        if not all_ and target is None:
            return
        title = "选择存放下发包的文件夹" + ("" if all_ else f"（{target.org_name}）")
        folder = sync_dialogs.choose_folder(self, title)
        if folder is None:
            return
        db = self.ctx.db
        if all_:
            fn = lambda job: downstream.send_all(db, folder, progress=job.report)  # noqa: E731
        else:
            fn = lambda job: downstream.send_package(db, folder, target.site_id, progress=job.report)  # noqa: E731
        run_op(self, fn, self._exported, label="正在生成下发包…")

    # --- packages in --------------------------------------------------------------------
    def import_packages(self) -> None:
        if self.is_street:
            paths = sync_dialogs.choose_files(self, "选择社区数据包（可多选）", PACKAGE_FILTER)
        else:
            one = sync_dialogs.choose_open(self, "选择街道下发包", PACKAGE_FILTER)
            paths = [one] if one else []
        self._queue = list(paths)
        self._next_import()

    def _next_import(self) -> None:
        if not self._queue:
            return
        path = self._queue.pop(0)
        db = self.ctx.db
        run_op(
            self, lambda job: merge.import_package(db, path, dry_run=True), lambda r: self._preview(path, r),
            self._import_failed, label=f"正在核对 {path.name}…",
        )

    def _preview(self, path: Path, report: merge.ImportReport) -> None:
        if ImportPreviewDialog(self, report).exec() != ImportPreviewDialog.DialogCode.Accepted:
            self._next_import()
            return
        db = self.ctx.db
        run_op(
            self, lambda job: merge.import_package(db, path, progress=job.report), self._imported,
            self._import_failed, label=f"正在导入 {path.name}…",
        )

    def _imported(self, report: merge.ImportReport) -> None:
        bus.changed.emit("*")  # any table may have changed
        self.status(f"已导入 {report.from_site.org_name} 的数据包：新增 {report.total('inserted')}，"
                    f"更新 {report.total('updated')}，冲突 {report.total('conflicts')}")
        ImportPreviewDialog(self, report, result=True).exec()
        self._next_import()

    def _import_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self._next_import()
