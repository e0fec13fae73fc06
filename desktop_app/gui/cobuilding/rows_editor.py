"""An editable table of people inside a form (who served at an activity, who was visited on a 慰问).

A grid someone fills in, on the kit's ColumnModel: each line carries its input
(the payload) and the texts typed into its cells; a line that stands for a
picked record (a member, a resident) keeps its name as recorded; the same
person is not listed twice; the texts are read back when the form saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop_app.gui.widgets.table import Column, ColumnModel, table_view


@dataclass
class Line:
    payload: Any
    texts: list[str] = field(default_factory=list)
    picked: bool = False


class RowsEditor(QWidget):
    """The grid and its 移除所选 button; subclasses add the pickers above it and say what a line is."""

    HEAD: tuple[str, ...] = ()
    WIDTHS: tuple[int, ...] = ()
    STRETCH = 1  # the column that takes the spare width
    LOCKED: tuple[int, ...] = ()  # columns never typed into
    PICKED_LOCKED: tuple[int, ...] = ()  # columns kept as recorded when the line stands for a picked record

    def __init__(self, min_height: int, key: Callable[[Any], Any]):
        super().__init__()
        self.key = key
        self.model = ColumnModel([self._column(c) for c in range(len(self.HEAD))])
        self.table = table_view(self.model, stretch=self.STRETCH, editable=True)
        self.table.setMinimumHeight(min_height)
        self.remove_button = QPushButton("移除所选")
        self.remove_button.clicked.connect(self.remove_selected)

    def _column(self, c: int) -> Column:
        def edit(line: Line, value: Any) -> None:
            if not (line.picked and c in self.PICKED_LOCKED):
                line.texts[c] = str(value if value is not None else "").strip()

        return Column(self.HEAD[c], lambda line: line.texts[c], width=self.WIDTHS[c] if self.WIDTHS else 80,
                      edit=None if c in self.LOCKED else edit)

    def lay_out(self, *rows: Sequence[tuple[QWidget, int]]) -> None:
        """Rows of (widget, stretch) above the grid."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for row in rows:
            box = QHBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            for w, stretch in row:
                box.addWidget(w, stretch)
            lay.addLayout(box)
        lay.addWidget(self.table)

    def lines(self) -> list[Line]:
        return list(self.model.rows)

    def append(self, payload: Any, texts: Sequence[str], picked: bool) -> bool:
        """Add a line unless the same person is listed already; False when it was."""
        if any(self.key(line.payload) == self.key(payload) for line in self.model.rows):
            return False
        self.model.append(Line(payload, list(texts), picked))
        return True

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectionModel().selectedIndexes()}, reverse=True):
            self.model.remove(r)
