"""List items that stand for a value: a file, a unit, a grid, a member.

One role carries the value everywhere (`VALUE_ROLE`), so a list read back is read
the same way it was filled. A checklist is such a list with a box on each item
(组织支部, 共建单位, 负责网格, 应到人员): fill it with (label, value) pairs, read
back the ticked values in list order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QListWidget, QListWidgetItem

VALUE_ROLE = Qt.ItemDataRole.UserRole  # what a list item stands for (not the kit's table ID_ROLE)


def add_item(box: QListWidget, label: str, value: Any, icon: QIcon | None = None) -> QListWidgetItem:
    item = QListWidgetItem(icon, label) if icon is not None else QListWidgetItem(label)
    item.setData(VALUE_ROLE, value)
    box.addItem(item)
    return item


def value_of(item: QListWidgetItem | None) -> Any:
    return item.data(VALUE_ROLE) if item is not None else None


def current_value(box: QListWidget) -> Any:
    """The value of the current item, None when there is none."""
    return value_of(box.currentItem())


def _state(on: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked


def add_check(box: QListWidget, label: str, value: Any, on: bool) -> QListWidgetItem:
    item = add_item(box, label, value)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(_state(on))
    return item


def checklist(items: Iterable[tuple[str, Any]], ticked: Sequence[Any], height: int = 110,
              rows: int = 0) -> QListWidget:
    """A list of (label, value) items, those whose value is in `ticked` ticked.

    `rows` > 0 makes it exactly that many rows tall instead of at most `height` pixels, so a
    squeezed form cannot shrink it to a slit.
    """
    box = QListWidget()
    wanted = set(ticked)
    for label, value in items:
        add_check(box, label, value, value in wanted)
    if rows > 0:
        box.setFixedHeight(rows_height(box, rows))
    else:
        box.setMaximumHeight(height)
    return box


def rows_height(box: QListWidget, rows: int) -> int:
    """The height that shows `rows` items of `box` whole."""
    box.ensurePolished()  # the style sheet's item padding counts
    row = box.sizeHintForRow(0) if box.count() else -1
    if row <= 0:  # an empty list: a row as tall as an item with a check box would be
        row = max(box.fontMetrics().height(), box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorHeight)) + 2
    return row * rows + 2 * box.frameWidth()


def checked(box: QListWidget) -> list[Any]:
    """The ticked items' values, in list order."""
    return [value_of(box.item(i)) for i in range(box.count()) if box.item(i).checkState() == Qt.CheckState.Checked]


def set_checked(box: QListWidget, value: Any, on: bool = True) -> None:
    for i in range(box.count()):
        if value_of(box.item(i)) == value:
            box.item(i).setCheckState(_state(on))


def check_all(box: QListWidget, on: bool) -> None:
    for i in range(box.count()):
        box.item(i).setCheckState(_state(on))
