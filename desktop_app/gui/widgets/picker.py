"""Pick a record by typing: name, pinyin initials or address, then ↓ and Enter (or a click).

The search runs off the GUI thread after typing pauses, so a long list never
stalls the keyboard; Enter on the matches picks and does not press the dialog's OK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import debounced
from desktop_app.gui.widgets.items import add_item, value_of


class SearchPicker(QWidget):
    """`search(text)` runs off the GUI thread and returns [(label, payload)].

    What was typed stays usable as free text when nothing is picked.
    """

    picked = Signal(object)

    def __init__(self, search: Callable[[str], list[tuple[str, Any]]], placeholder: str = "",
                 shown: Callable[[Any], str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._search, self._shown = search, shown or (lambda p: str(p))
        self._chosen: Any = None
        self._chosen_text = ""
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        self.matches.hide()
        self.matches.itemActivated.connect(self._pick_item)
        self.matches.itemClicked.connect(self._pick_item)
        self.debounce = debounced(self, self.search_now)
        self.edit.textEdited.connect(self.debounce)
        self.edit.installEventFilter(self)
        self.matches.installEventFilter(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit)
        lay.addWidget(self.matches)
        self.setFocusProxy(self.edit)

    def search_now(self) -> None:
        self.debounce.timer.stop()
        text = self.edit.text().strip()
        if not text or text == self._chosen_text:
            self.matches.clear()
            self.matches.hide()
            return
        search = self._search
        run_op(self, lambda job: search(text), lambda found: self._show(text, found))

    def _show(self, text: str, found: list[tuple[str, Any]]) -> None:
        if text != self.edit.text().strip():
            return  # the user typed on; a newer search is coming
        self.matches.clear()
        for label, payload in found:
            add_item(self.matches, label, payload)
        self.matches.setVisible(bool(found))
        if found:
            self.matches.setCurrentRow(0)

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.set_chosen(value_of(item))
        self.picked.emit(self._chosen)

    def pick_row(self, row: int = 0) -> Any:
        """Pick the match on `row` (what Enter on the list does)."""
        item = self.matches.item(row)
        if item is not None:
            self._pick_item(item)
        return self._chosen

    def set_chosen(self, payload: Any, text: str | None = None) -> None:
        self._chosen = payload
        self._chosen_text = text if text is not None else (self._shown(payload) if payload is not None else "")
        self.edit.setText(self._chosen_text)
        self.matches.clear()
        self.matches.hide()

    def chosen(self) -> Any:
        """The picked payload, unless the text was changed after picking."""
        if self._chosen is not None and self.edit.text().strip() == self._chosen_text:
            return self._chosen
        return None

    def text(self) -> str:
        return self.edit.text().strip()

    def clear(self) -> None:
        self._chosen, self._chosen_text = None, ""
        self.edit.clear()
        self.matches.clear()
        self.matches.hide()

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if obj is self.edit and self.matches.isVisible():
            if key == Qt.Key.Key_Down:
                self.matches.setFocus()
                self.matches.setCurrentRow(min(self.matches.currentRow() + 1, self.matches.count() - 1))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pick_row(max(self.matches.currentRow(), 0))
                return True  # Enter picks; it does not press the dialog's OK
            if key == Qt.Key.Key_Escape:
                self.matches.hide()
                return True
        if obj is self.matches and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit.setFocus()  # before picking: a `picked` handler may move the focus on
            self.pick_row(max(self.matches.currentRow(), 0))
            return True
        if obj is self.matches and key == Qt.Key.Key_Up and self.matches.currentRow() <= 0:
            self.edit.setFocus()
            return True
        return False
