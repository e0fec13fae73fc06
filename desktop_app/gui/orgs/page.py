"""党组织: the organisation tree — add, rename, move (drag or dialog), delete, filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QTreeView, QWidget,
)

from desktop_app.domain import pinyin
from desktop_app.domain.orgs import ALLOWED_CHILDREN, OrgKind
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.orgs.org_dialog import MoveDialog, OrgDialog
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import heading, search_box, toolbar
from desktop_app.gui.widgets.layouts import column, details_label, fill, panel, splitter
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import ID_ROLE
from desktop_app.services import orgs as org_service
from desktop_app.views.changes import Change, changes
from desktop_app.views.orgs import OrgNode

KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("名称", "类型", "组织代码", "党员")


def build_model(nodes: list[OrgNode], parent=None) -> QStandardItemModel:
    model = QStandardItemModel(parent)
    model.setHorizontalHeaderLabels(list(COLUMNS))
    items: dict[str, QStandardItem] = {}
    for n in nodes:
        full, initials = pinyin.keys(n.name)
        name = QStandardItem(icons.org_icon(n.kind), n.name)
        name.setData(n.id, ID_ROLE)
        name.setData(n.kind, KIND_ROLE)
        name.setData(f"{n.name} {n.code} {full} {initials}".lower(), SEARCH_ROLE)
        name.setEditable(False)
        name.setDragEnabled(True)
        name.setDropEnabled(bool(ALLOWED_CHILDREN[OrgKind(n.kind)]))
        row = [name]
        for text in (n.kind_label, n.code, str(n.member_count) if n.member_count else ""):
            cell = QStandardItem(text)
            cell.setEditable(False)
            cell.setDropEnabled(False)
            row.append(cell)
        parent = items.get(n.parent_id) if n.parent_id else None
        (parent or model.invisibleRootItem()).appendRow(row)
        items[n.id] = name
    return model


class OrgTreeView(QTreeView):
    """A tree whose drops ask the service to move; the model is rebuilt afterwards."""

    move_requested = Signal(str, object, object)  # org id, new parent id, position

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        source = self.currentIndex().siblingAtColumn(0)
        target = self.indexAt(event.position().toPoint()).siblingAtColumn(0)
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()  # the service moves it; never let the model move rows itself
        if not source.isValid() or not target.isValid() or source == target:
            return
        where = self.dropIndicatorPosition()
        if where == QAbstractItemView.DropIndicatorPosition.OnItem:
            parent_id, position = target.data(ID_ROLE), None
        elif where in (
            QAbstractItemView.DropIndicatorPosition.AboveItem,
            QAbstractItemView.DropIndicatorPosition.BelowItem,
        ):
            parent_index = target.parent()
            parent_id = parent_index.data(ID_ROLE) if parent_index.isValid() else None
            position = target.row() + (1 if where == QAbstractItemView.DropIndicatorPosition.BelowItem else 0)
            if source.parent() == parent_index and source.row() < position:
                position -= 1  # the moved row leaves a gap above its new place
        else:
            return
        self.move_requested.emit(source.data(ID_ROLE), parent_id, position)


class OrgsPage(Page):
    watches = changes(Change.ORGS, Change.MEMBERS)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.nodes: dict[str, OrgNode] = {}
        self._select_after_load: str | None = None

        self.filter = search_box("筛选：名称、代码或拼音首字母")

        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.filter.textChanged.connect(self._apply_filter)

        self.tree = OrgTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAlternatingRowColors(True)
        # a drag or a double-click writes only for an account offered 移动到… and 重命名 (the window hides them)
        self.tree.move_requested.connect(lambda *a: self.act_move.isVisible() and self.move_to(*a))
        # activated is a double-click and Enter too: who works from the keyboard opens 修改 as well
        self.tree.activated.connect(lambda _i: self.act_rename.isVisible() and self.rename_selected())

        tb, action = toolbar(self)
        self.act_add = action("add-child", "新增下级组织", self.add_child, "Ctrl+N", writes=True)  # 新增 is Ctrl+N on every page
        self.act_rename = action("rename", "重命名", self.rename_selected, writes=True)
        self.act_move = action("move", "移动到…", self.move_selected, writes=True)
        self.act_delete = action("delete", "删除", self.delete_selected, writes=True)
        # A district's database is set up as a street and holds its streets beside its own root (an operator is
        # confined to one). A row is always current and a 街道党工委 may not hold another, so 新增下级组织 could
        # never make one: this adds a 街道党工委 at the top, to which the communities are then moved.
        self.act_add_street = action("add-child", "新增街道党工委", self.add_street, writes=True)
        self.act_add_street.setToolTip("区级数据库：在组织树最上层新建一个街道党工委，再把它的社区“移动到…”它下面")
        self.act_add_street.setVisible(ctx.site.is_top and not ctx.site.confined)

        self.details = details_label()
        self.details.setMinimumWidth(220)

        split = splitter(panel(self.filter, self.tree), self.details, stretch=(3, 1))

        column(self, fill(QHBoxLayout(), heading("党组织"), 1), tb, (split, 1))
        self._update_actions()

    # --- loading -----------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        current = self.selected_id()
        db = self.ctx.db
        run_op(self, lambda job: org_service.list_tree(db), lambda nodes: self._show(nodes, current))

    def _show(self, nodes: list[OrgNode], keep: str | None) -> None:
        self.nodes = {n.id: n for n in nodes}
        old = self.proxy.sourceModel()
        # Parented to the page so Qt, not Python's shutdown order, deletes it.
        self.proxy.setSourceModel(build_model(nodes, self))
        if old is not None:
            old.deleteLater()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.expandAll()
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.select(self._select_after_load or keep or self._default_selection())
        self._select_after_load = None
        self._update_actions()
        self.loaded.emit()

    def _default_selection(self) -> str | None:
        # Start on this center's own organisation, where new branches go.
        own = next((n for n in self.nodes.values() if n.code == self.ctx.site.org_code), None)
        return own.id if own else next(iter(self.nodes), None)

    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip().lower())
        self.tree.expandAll()

    # --- selection ---------------------------------------------------------
    def selected_id(self) -> str | None:
        idx = self.tree.currentIndex()
        return idx.siblingAtColumn(0).data(ID_ROLE) if idx.isValid() else None

    def selected_org(self) -> OrgNode | None:
        return self.nodes.get(self.selected_id() or "")

    def _find(self, org_id: str, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        for row in range(self.proxy.rowCount(parent)):
            idx = self.proxy.index(row, 0, parent)
            if idx.data(ID_ROLE) == org_id:
                return idx
            found = self._find(org_id, idx)
            if found.isValid():
                return found
        return QModelIndex()

    def select(self, org_id: str | None) -> None:
        if not org_id:
            return
        idx = self._find(org_id)
        if idx.isValid():
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)

    def show_record(self, record_id: str) -> None:
        """查找 opened an organisation: the tree unfiltered, the organisation selected once it is read."""
        self.filter.clear()
        self._select_after_load = record_id
        super().show_record(record_id)

    def _update_actions(self) -> None:
        org = self.selected_org()
        can_hold = bool(org and ALLOWED_CHILDREN[OrgKind(org.kind)])
        self.act_add.setEnabled(can_hold or not self.nodes)
        for act in (self.act_rename, self.act_move, self.act_delete):
            act.setEnabled(org is not None)
        if org is None:
            self.details.setText("选择左侧的组织查看详情。\n\n可拖动组织调整上下级和顺序。")
            return
        children = sum(1 for n in self.nodes.values() if n.parent_id == org.id)
        below = self._descendants(org.id)
        total = org.member_count + sum(self.nodes[i].member_count for i in below)
        parent = self.nodes.get(org.parent_id or "")
        self.details.setText(
            f"<h3>{org.name}</h3>"
            f"<p>类型：{org.kind_label}<br>组织代码：{org.code}<br>"
            f"上级组织：{parent.name if parent else '（无）'}<br>"
            f"下级组织：{children} 个<br>直属党员：{org.member_count} 名<br>"
            f"党员合计（含下级）：{total} 名</p>"
        )

    # --- actions -----------------------------------------------------------
    def _write(self, fn, select_result: bool = True) -> None:
        db = self.ctx.db

        def done(node) -> None:
            if select_result and isinstance(node, OrgNode):
                self._select_after_load = node.id

        run_op(self, lambda job: fn(db), done, changes=changes(Change.ORGS))

    def add_child(self) -> None:
        parent = self.selected_org()
        if parent is not None and not ALLOWED_CHILDREN[OrgKind(parent.kind)]:
            return
        db, parent_id = self.ctx.db, parent.id if parent else None
        run_op(self, lambda job: org_service.suggest_code(db, parent_id), lambda code: self._ask_new(parent, code))

    def add_street(self) -> None:
        db = self.ctx.db
        save = lambda name, code, kind: org_service.create(db, name, code, kind, None)  # noqa: E731
        self._run_form(OrgDialog(self, "新增街道党工委", None, kind="street", save=save))

    def _ask_new(self, parent: OrgNode | None, code: str) -> None:
        db, parent_id = self.ctx.db, parent.id if parent else None
        self._run_form(OrgDialog(
            self, "新增组织", parent.kind if parent else None, code=code,
            parent_name=parent.name if parent else "",
            save=lambda name, code, kind: org_service.create(db, name, code, kind, parent_id),
        ))

    def _run_form(self, dlg: OrgDialog) -> None:
        """The form saves from inside (a refusal stays in it); the saved organisation is selected."""
        dlg.record_saved.connect(lambda node: setattr(self, "_select_after_load", node.id))
        dlg.exec()

    def rename_selected(self) -> None:
        org = self.selected_org()
        if org is None:
            return
        parent = self.nodes.get(org.parent_id or "")
        db = self.ctx.db
        self._run_form(OrgDialog(
            self, "修改组织", parent.kind if parent else None, name=org.name, code=org.code,
            kind=org.kind, parent_name=parent.name if parent else "",
            save=lambda name, code, _kind: org_service.rename(db, org.id, name, code),
        ))

    def move_selected(self) -> None:
        org = self.selected_org()
        if org is None:
            return
        below = self._descendants(org.id) | {org.id, org.parent_id}
        targets = [
            (n.id, f"{n.name}（{n.kind_label}）")
            for n in self.nodes.values()
            if n.id not in below and OrgKind(org.kind) in ALLOWED_CHILDREN[OrgKind(n.kind)]
        ]
        if not targets:
            common.inform(self, "无法移动", f"没有可以接收“{org.name}”的上级组织。")
            return
        dlg = MoveDialog(self, org.name, targets)
        if dlg.exec() != MoveDialog.DialogCode.Accepted:
            return
        self.move_to(org.id, dlg.chosen(), None)

    def move_to(self, org_id: str, parent_id: str | None, position: int | None) -> None:
        self._write(lambda db: org_service.move(db, org_id, parent_id, position))

    def delete_selected(self) -> None:
        org = self.selected_org()
        if org is None:
            return
        if not common.ask(self, "删除组织", f"确定删除“{org.name}”吗？\n只有没有下级组织和党员的组织才能删除。"):
            return
        self._write(lambda db: org_service.delete(db, org.id), select_result=False)

    def _descendants(self, org_id: str) -> set[str]:
        found, stack = set(), [org_id]
        while stack:
            current = stack.pop()
            for n in self.nodes.values():
                if n.parent_id == current and n.id not in found:
                    found.add(n.id)
                    stack.append(n.id)
        return found
