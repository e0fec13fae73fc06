"""The organisation picker of the roster's filter bar and member form, and where a new member goes.

Apart from the member form so that the roster page, which shows the picker at
once, does not import the form (and its field kit) before the first rows show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from desktop_app.gui.icons import org_icon
from desktop_app.views.orgs import OrgNode

_DEPTH_ROLE = int(Qt.ItemDataRole.UserRole) + 7


class _IndentDelegate(QStyledItemDelegate):
    """Indents each organisation by its depth in the tree; the closed combo shows the bare name."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        option.rect.adjust(18 * int(index.data(_DEPTH_ROLE) or 0), 0, 0, 0)


class OrgCombo(QComboBox):
    """Pick an organisation from the tree; `all_label` adds a first item meaning 'any' (None)."""

    def __init__(self, parent: QWidget | None = None, all_label: str | None = None):
        super().__init__(parent)
        self.all_label = all_label
        self.extra: tuple[str, str] | None = None  # (text, filter value) offered after all_label (set_extra)
        self.setItemDelegate(_IndentDelegate(self))
        self.setMaxVisibleItems(20)

    def set_nodes(self, nodes: list[OrgNode]) -> None:
        keep = self.currentData()
        self.blockSignals(True)
        self.clear()
        if self.all_label is not None:
            self.addItem(self.all_label, None)
        if self.extra is not None:
            self.addItem(*self.extra)
        depth: dict[str, int] = {}
        for n in nodes:
            d = depth.get(n.parent_id, -1) + 1 if n.parent_id else 0
            depth[n.id] = d
            self.addItem(org_icon(n.kind), n.shown, n.id)  # with its path where names repeat
            self.setItemData(self.count() - 1, d, _DEPTH_ROLE)
        i = self.findData(keep)
        self.setCurrentIndex(i if i >= 0 else 0)
        self.blockSignals(False)
        indent = 18 * max(depth.values(), default=0)
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + indent + 24)
        if self.currentData() != keep:
            self.currentIndexChanged.emit(self.currentIndex())

    def set_extra(self, text: str, value: str, tip: str = "") -> None:
        """An entry beside the tree's (a 网格员's grids at once), there before the tree arrives."""
        self.extra = (text, value)
        self.insertItem(1 if self.all_label is not None else 0, text, value)
        if tip:
            self.setItemData(self.findData(value), tip, Qt.ItemDataRole.ToolTipRole)

    def select(self, org_id: str | None) -> None:
        i = self.findData(org_id)
        self.setCurrentIndex(i if i >= 0 else 0)


def default_org(nodes: list[OrgNode], site_code: str | None = None) -> str | None:
    """Where a new member goes unless the user says otherwise: the first branch."""
    branch = next((n for n in nodes if n.kind == "branch"), None)
    own = next((n for n in nodes if n.code == site_code), None)
    chosen = branch or own or (nodes[0] if nodes else None)
    return chosen.id if chosen else None
