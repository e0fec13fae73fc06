"""A table of records beside a details pane, keeping the selection across reloads.

Every record list shows the same way: the table on the left (one ColumnModel),
what the selected record says in full on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollArea, QWidget

from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.gui.widgets.layouts import column, details_label, splitter


class ListPanel(QWidget):
    current_changed = Signal(object)  # the selected row, or None
    activated = Signal(object)  # a row double-clicked, or Enter pressed on it

    def __init__(self, columns: Sequence[Column], color: Callable[[Any], QColor | None] | None = None,
                 stretch: int | None = None, details_width: int = 300, parent: QWidget | None = None,
                 give_way: Sequence[str] = ()):
        super().__init__(parent)
        self.model = ColumnModel(columns, color, self)
        titles = [c.title for c in columns]
        self.view = table_view(self.model, stretch=stretch, sortable=True,
                               give_way=[titles.index(t) for t in give_way])
        self.view.setWordWrap(False)
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.current_changed.emit(self.model.row(cur.row())))
        # the view's activated is a double-click and Enter too: who works from the keyboard opens a row as well
        self.view.activated.connect(lambda idx: self.activated.emit(self.model.row(idx.row())))
        self.details = details_label()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setMargin(8)
        scroll = QScrollArea()
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(220)
        split = splitter(self.view, scroll, stretch=(3, 1))
        split.setSizes([900, details_width])
        column(self, split).setContentsMargins(0, 0, 0, 0)

    def set_rows(self, rows: Sequence[Any], keep_id: Any = None) -> None:
        """Show `rows`, selecting `keep_id` (or the first row); tells `current_changed` either way."""
        self.model.set_rows(rows)
        i = self.model.find(keep_id)
        if i < 0 and rows:
            i = 0
        if i >= 0:
            self.view.selectRow(i)
            self.view.scrollTo(self.model.index(i, 0))
        else:
            self.current_changed.emit(None)

    def selected(self) -> Any | None:
        idx = self.view.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def selected_id(self) -> Any:
        row = self.selected()
        return getattr(row, "id", None) if row is not None else None

    def selected_rows(self) -> list[Any]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def select_id(self, row_id: Any) -> None:
        i = self.model.find(row_id)
        if i >= 0:
            self.view.selectRow(i)
