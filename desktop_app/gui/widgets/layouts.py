"""Layouts declared as data: a form's (label, field) rows, a column of parts, a bare panel, a splitter,
the OK/取消 button row, and the wrapping labels that sit in many of them (a note, the line that shows
a refusal).

Dialogs used to spell each of these out one `addRow` / `addWidget` / `setText`
call at a time, the same statements in every form; here one builder reads a
table of rows, so a form lists its fields and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Union

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout, QDialog, QDialogButtonBox, QFormLayout, QFrame, QLabel, QLayout, QScrollArea, QSplitter, QVBoxLayout,
    QWidget,
)

HINT_STYLE = "color: #666"
Part = Union[QWidget, QLayout]
# (label, field), a lone field spanning both columns, or None for a row this form does not show
Row = Union[tuple[str, Part], Part, None]
# a widget or layout, or (part, stretch); an int alone is a stretch
Item = Union[Part, tuple[Part, int], int]


def form_layout(*rows: Row, parent: QWidget | None = None) -> QFormLayout:
    """A QFormLayout of the rows given, in order; `None` rows are skipped (fields shown for some kinds only)."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    for row in rows:
        if row is None:
            continue
        if isinstance(row, tuple):
            form.addRow(*row)
        else:
            form.addRow(row)
    return form


def fill(lay: QBoxLayout, *items: Item) -> QBoxLayout:
    """Add widgets, layouts, (part, stretch) pairs and stretches (an int) to a box layout, in order."""
    for item in items:
        part, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(part, int):
            lay.addStretch(part)
        elif isinstance(part, QLayout):
            lay.addLayout(part, stretch)
        else:
            lay.addWidget(part, stretch)
    return lay


def column(owner: QWidget | None, *items: Item) -> QVBoxLayout:
    """A vertical layout set on `owner` (or free when None) holding `items`, top to bottom."""
    lay = QVBoxLayout(owner) if owner is not None else QVBoxLayout()
    fill(lay, *items)
    return lay


def panel(*items: Item) -> QWidget:
    """A bare widget holding `items` in a column, with no margin of its own so that it lines up with
    its neighbours: one side of a splitter, one tab's page."""
    widget = QWidget()
    column(widget, *items).setContentsMargins(0, 0, 0, 0)
    return widget


def splitter(*parts: QWidget, stretch: Sequence[int] = (), vertical: bool = False) -> QSplitter:
    """`parts` side by side (one above the other when `vertical`), the user dragging the line between;
    `stretch` says how room gained or lost is shared (3, 1: the first part takes three quarters)."""
    split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    for part in parts:
        split.addWidget(part)
    for index, factor in enumerate(stretch):
        split.setStretchFactor(index, factor)
    return split


def ok_cancel(dialog: QDialog, ok_text: str = "确定", extra: QDialogButtonBox.StandardButton | None = None,
              on_extra: Callable[[], None] | None = None, extra_text: str = "") -> QDialogButtonBox:
    """The OK / 取消 row wired to the dialog's accept and reject (and one more standard button if asked)."""
    which = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    if extra is not None:
        which |= extra
    box = QDialogButtonBox(which)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    if extra is not None:
        button = box.button(extra)
        button.setText(extra_text)
        if on_extra is not None:
            button.clicked.connect(on_extra)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def close_box(dialog: QDialog) -> QDialogButtonBox:
    """The lone 关闭 button of a dialog that saves as it goes (a register, a member's history)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    box.rejected.connect(dialog.reject)
    return box


def scrolled(content: QWidget) -> QScrollArea:
    """`content` as it is where there is room, scrolling where there is not: a page's boxes and charts at
    1366×768 and 150% scaling (911×512 pixels for the whole window) must not hold the window past the screen."""
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def wrapped(text: str = "") -> QLabel:
    """A label that wraps its text to the width of the form (notes, summaries, rule explanations)."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def details_label() -> QLabel:
    """The pane beside a list or tree that says the selected record in full (styled as #details).

    Top-left and wrapping, its text selectable: a worker copies a phone number or an address out of it.
    """
    label = wrapped()
    label.setObjectName("details")
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def hint(text: str) -> QLabel:
    """A grey line under a table saying which keys and clicks it takes."""
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    return label


def error_line() -> QLabel:
    """The red line where a dialog that is not a SavingDialog says what is wrong with the form."""
    from desktop_app.gui.widgets.dialog import ERROR_STYLE  # dialog.py may come to use these layouts

    label = wrapped()
    label.setStyleSheet(ERROR_STYLE)
    return label
