"""An editable table of people inside a form (who served at an activity, who was visited on a 慰问).

Each row carries its input in the first cell; a row that stands for a picked
record (a member, a resident) keeps its name locked; the same person is not
listed twice; the cells are read back as text when the form saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

ID_ROLE = Qt.ItemDataRole.UserRole


class RowsEditor(QWidget):
    """The table and its 移除所选 button; subclasses add the pickers above it and say what a row is."""

    HEAD: tuple[str, ...] = ()
    STRETCH = 1  # the column that takes the spare width
    LOCKED: tuple[int, ...] = ()  # columns never typed into
    PICKED_LOCKED: tuple[int, ...] = ()  # columns not typed into when the row stands for a picked record

    def __init__(self, min_height: int, key: Callable[[Any], tuple]):
        super().__init__()
        self.key = key
        self.table = QTableWidget(0, len(self.HEAD))
        self.table.setHorizontalHeaderLabels(list(self.HEAD))
        self.table.horizontalHeader().setSectionResizeMode(self.STRETCH, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(min_height)
        self.remove_button = QPushButton("移除所选")
        self.remove_button.clicked.connect(self.remove_selected)

    def lay_out(self, *rows: Sequence[tuple[QWidget, int]]) -> None:
        """Rows of (widget, stretch) above the table."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for row in rows:
            box = QHBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            for w, stretch in row:
                box.addWidget(w, stretch)
            lay.addLayout(box)
        lay.addWidget(self.table)

    def payload(self, r: int) -> Any:
        return self.table.item(r, 0).data(ID_ROLE)

    def texts(self, r: int) -> list[str]:
        return [self.table.item(r, c).text().strip() for c in range(len(self.HEAD))]

    def append(self, payload: Any, texts: Sequence[str], picked: bool) -> bool:
        """Add a row unless the same person is listed already; False when it was."""
        if any(self.key(self.payload(r)) == self.key(payload) for r in range(self.table.rowCount())):
            return False
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if c == 0:
                item.setData(ID_ROLE, payload)
            if c in self.LOCKED or (picked and c in self.PICKED_LOCKED):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, c, item)
        return True

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)
