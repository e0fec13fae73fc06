"""One table model for every list of plain records: the columns are data, not code.

A page declares its columns (`Column("姓名", lambda r: r.name, width=70)`) and
hands the model the rows a service returned; the model never fetches. Sorting
happens in Python over the row list (a sort key per column), because a
QSortFilterProxyModel calling Python `data()` is slow on long lists. A column
without its own key sorts as a worker expects of Excel: amounts and counts by
value (1,524.99 元 after 987.00 元), names by pinyin (陈 before 张), blanks last. `data()`
compares `role` against ints computed once, the cheapest check Python can make.

A grid someone fills in (attendance, 民主评议) uses the same model: a column with
`edit(row, value)` is editable (the function changes the row, or returns a
replacement for a frozen one), `value(row)` is what an editor starts from. A column that
declares its `choices` is a combo box on every row by itself: `table_view` installs the kit's
own delegate and keeps an editor open on each row across loads, so a page never installs a
delegate or opens an editor itself (tests/gui/test_table_kit.py refuses one that does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QToolTip,
    QWidget,
)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROOT = QModelIndex()
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the record's `id`, for views that select by id
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # the record itself

LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

ALERT = QColor("#c8161e")  # overdue, waiting for someone
DONE = QColor("#2e7d32")  # solved, fulfilled
MUTED = QColor("#8a8f98")  # stopped, nothing to do

LONG_TEXT = 12  # a cell longer than this shows itself whole as a tooltip

# A cell that is a number: 1,524.99 元, -5,458.23, 77%, 38 岁 (a unit of up to three characters after it).
_NUMBER_CELL = re.compile(r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*[%\u4e00-\u9fff]{0,3}")


def text_order(text: str) -> tuple:
    """The order of a cell by its text: numbers by value first, then text by pinyin, blanks last.

    Plain text order would put 1,524.99 before 987.00 and 10 before 9, and Chinese
    by code point (张 before 陈), which is no order a worker knows.
    """
    t = text.strip() if text else ""
    if not t:
        return (2, 0.0, "")
    number = _NUMBER_CELL.fullmatch(t)
    if number is not None:
        return (0, float(number.group(1).replace(",", "")), t)
    from desktop_app.domain import pinyin  # its table is read on the first sort, not at start-up

    return (1, pinyin.keys(t)[0], t)


@dataclass(frozen=True)
class Column:
    """One column: header, the cell text of a record, and how it looks and sorts.

    `tooltip(record)` explains a cell (default: the text itself when it is long);
    `sort_key(record)` orders the column (default: `text_order` of the text); `color(record)` tints
    just this cell and wins over the model's row colour; `background(record)` fills it.
    `edit(record, value)` makes the cell editable (see the module docstring). `align` may be a
    function of the record when cells of one column differ (an amount right, a mark centred).
    `bold(record)` sets the cell in bold (a total line, a value that differs).
    `choices` (with `edit`) shows the column as a combo box on every row: (label, value) pairs,
    or a function of the record giving them when rows offer different values.
    """

    title: str
    text: Callable[[Any], str]
    align: int | Callable[[Any], int] = LEFT
    width: int = 80
    tooltip: Callable[[Any], str | None] | None = None
    sort_key: Callable[[Any], Any] | None = None
    color: Callable[[Any], QColor | None] | None = None
    background: Callable[[Any], QColor | None] | None = None
    edit: Callable[[Any, Any], Any] | None = None
    value: Callable[[Any], Any] | None = None
    bold: Callable[[Any], bool] | None = None
    choices: Sequence[tuple[str, Any]] | Callable[[Any], Sequence[tuple[str, Any]]] | None = None
    header_tip: str | None = None  # the header's tooltip: the whole name of a column headed short or wrapped


_bold: QFont | None = None


def _bold_font() -> QFont:
    # One font for every bold cell, made once a QApplication exists (a QFont needs one).
    global _bold
    if _bold is None:
        _bold = QFont()
        _bold.setBold(True)
    return _bold


def centered(title: str, text: Callable[[Any], str], width: int = 80, **kw: Any) -> Column:
    return Column(title, text, CENTER, width, **kw)


class ColumnModel(QAbstractTableModel):
    """A table over a list of rows; `row_color(row)` may tint a whole row, `row_title(row)` names it
    in the vertical header (a grid whose rows are branches, say)."""

    def __init__(self, columns: Sequence[Column], row_color: Callable[[Any], QColor | None] | None = None,
                 parent: QObject | None = None, *, row_title: Callable[[Any], str] | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._row_color = row_color
        self._row_title = row_title
        self._sorted: tuple[int, Qt.SortOrder] | None = None  # the user's last header click, kept across loads

    # --- rows ----------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sorted is not None:
            self._sort_rows(*self._sorted)
        self.endResetModel()

    def set_grid(self, columns: Sequence[Column], rows: Sequence[Any]) -> None:
        """New columns and rows at once (a grid whose columns depend on what it shows)."""
        self.beginResetModel()
        self.columns = list(columns)
        self.rows = list(rows)
        self._sorted = None
        self.endResetModel()

    def append(self, row: Any) -> None:
        n = len(self.rows)
        self.beginInsertRows(_ROOT, n, n)
        self.rows.append(row)
        self.endInsertRows()

    def remove(self, i: int) -> None:
        if 0 <= i < len(self.rows):
            self.beginRemoveRows(_ROOT, i, i)
            del self.rows[i]
            self.endRemoveRows()

    def row_changed(self, i: int) -> None:
        """Row `i` was changed in place (its object mutated): views repaint it."""
        if 0 <= i < len(self.rows) and self.columns:
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        col = self.columns[column]
        key = col.sort_key or (lambda row, text=col.text: text_order(text(row)))
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def row(self, i: int) -> Any | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def find(self, row_id: Any) -> int:
        """The position of the row whose `id` is `row_id`, or -1."""
        if row_id is None:
            return -1
        return next((i for i, r in enumerate(self.rows) if getattr(r, "id", None) == row_id), -1)

    # --- Qt ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.rows) and 0 <= c < len(self.columns)):
            return None
        row, col = self.rows[r], self.columns[c]
        if role == _DISPLAY:
            return col.text(row)
        if role == _EDIT:
            return col.value(row) if col.value is not None else col.text(row)
        if role == _BACKGROUND:
            return col.background(row) if col.background is not None else None
        if role == _ALIGN:
            return col.align(row) if callable(col.align) else col.align
        if role == _FOREGROUND:
            tint = col.color(row) if col.color is not None else None
            if tint is None and self._row_color is not None:
                tint = self._row_color(row)
            return tint
        if role == _TOOLTIP:
            if col.tooltip is not None:
                return col.tooltip(row) or None
            text = col.text(row)
            return text if len(text) > LONG_TEXT else None
        if role == _FONT:
            return _bold_font() if col.bold is not None and col.bold(row) else None
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header_tip if 0 <= section < len(self.columns) else None
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and self._row_title is not None and 0 <= section < len(self.rows):
            return self._row_title(self.rows[section])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if 0 <= index.column() < len(self.columns) and self.columns[index.column()].edit is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = _EDIT) -> bool:  # noqa: N802 - Qt override
        if role != _EDIT or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        edit = self.columns[index.column()].edit if 0 <= index.column() < len(self.columns) else None
        if edit is None:
            return False
        replaced = edit(self.rows[index.row()], value)
        if replaced is not None:
            self.rows[index.row()] = replaced
        self.row_changed(index.row())  # other cells of the row may show what was typed (a status, a colour)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return  # -1: no column chosen yet, the service's order stands
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        before = [self.rows[i.row()] for i in old]
        self._sort_rows(column, order)
        where = {id(r): i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(old, [self.index(where[id(r)], i.column()) for r, i in zip(before, old)])
        self.layoutChanged.emit()


READ_ONLY = "readOnly"  # a view property: its `choices` columns' boxes are shown disabled (see set_read_only)


def set_read_only(view: QTableView, read_only: bool = True) -> None:
    """No editing in `view`: no editor opens, and the combo boxes of `choices` columns show their value disabled."""
    view.setProperty(READ_ONLY, read_only)
    if read_only:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r in range(view.model().rowCount()):  # the boxes already open
        for c in range(view.model().columnCount()):
            box = view.indexWidget(view.model().index(r, c))
            if box is not None:
                box.setEnabled(not read_only)


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (label, value) choices for an editable column; the choice is saved at once.

    `choices` is a list, or a function of the row's record (`ROW_ROLE`) when rows differ.
    `table_view` installs one for each column declaring `choices` and opens it on every row,
    so the column looks like a row of combo boxes.
    """

    def __init__(self, choices: Sequence[tuple[str, Any]] | Callable[[Any], Sequence[tuple[str, Any]]],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.choices = choices if callable(choices) else list(choices)
        self.declared: Any = None  # the Column.choices it was installed for by table_view

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        choices = self.choices(index.data(ROW_ROLE)) if callable(self.choices) else self.choices
        for label, value in choices:
            combo.addItem(label, value)
        combo.setToolTip(index.data(_TOOLTIP) or "")  # the cell is hidden under it
        # A view marked READ_ONLY (an account that only reads) shows the choice but offers no change it
        # could not save; edit triggers cannot tell, a dialog's combo boxes are its only way to edit.
        combo.setEnabled(not self.parent().property(READ_ONLY))
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # A choice is committed when made; committing again on focus-out would reach a view that
        # already let go of the editor (after a reload).
        if event.type() == QEvent.Type.FocusOut:
            return False
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        i = editor.findData(index.data(_EDIT))
        if i != editor.currentIndex():
            editor.blockSignals(True)  # showing the stored value is not an edit
            editor.setCurrentIndex(max(0, i))
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802 - Qt override
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if editor.currentData() != index.data(_EDIT):
            model.setData(index, editor.currentData(), _EDIT)


def table_view(model: ColumnModel, parent: QWidget | None = None, *, stretch: int | None = None,
               rows: bool = True, multi: bool = True, sortable: bool = False, editable: bool = False,
               fit: bool = True, give_way: Sequence[int] = ()) -> QTableView:
    """A view over a ColumnModel as every list shows one: whole rows selected, no row numbers, columns fitted.

    `editable` lets the editable columns open their editor on a double click, F2 or typing;
    `fit=False` leaves the widths alone (a grid whose columns change with what it shows); `give_way`: the
    columns hidden while the table is too narrow for them all (fit_columns).
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows if rows
                              else QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed if editable else QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    _ElidedTips(view)
    if fit:
        fit_columns(view, model.columns, stretch, give_way)
    if sortable:  # a header click sorts (in Python, by each column's sort key); until then the service's order
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    if any(c.choices is not None for c in model.columns):
        _keep_choices_open(view, model)
    return view


CHOICES_AHEAD = 60  # rows given a combo box before a view is laid out (a screenful at any size)


def _keep_choices_open(view: QTableView, model: ColumnModel) -> None:
    """A combo box on every row in sight of each column that declares `choices`, after every load too.

    A reset closes every editor (the view drops them first: it connected to the model before us).
    Delegates a page set itself on other columns are left alone.
    """
    ours: dict[int, _ChoiceDelegate] = {}

    def install() -> None:
        for c, col in enumerate(model.columns):  # a grid may have new columns since the last load
            was = ours.get(c)
            if was is not None and was.declared is col.choices:
                continue
            if col.choices is not None:
                ours[c] = _ChoiceDelegate(col.choices, view)
                ours[c].declared = col.choices
                view.setItemDelegateForColumn(c, ours[c])
            elif was is not None:
                view.setItemDelegateForColumn(c, None)
                del ours[c]
            if was is not None:
                was.deleteLater()
        for c in [c for c in ours if c >= len(model.columns)]:
            view.setItemDelegateForColumn(c, None)
            ours.pop(c).deleteLater()
        open_rows(0, model.rowCount() - 1)

    def in_sight() -> tuple[int, int]:
        """The rows on screen and a few past them; before the view is laid out, the first CHOICES_AHEAD."""
        top = max(0, view.rowAt(0)) if view.isVisible() else 0
        bottom = view.rowAt(view.viewport().height() - 1) if view.isVisible() else -1
        return top, (bottom if bottom >= 0 else top + CHOICES_AHEAD) + 10

    def open_rows(first: int, last: int) -> None:
        # Only the rows in sight get a box now (the others as they scroll into sight): a box on each of
        # a thousand rows took seconds at every load.
        top, bottom = in_sight()
        first, last = max(first, top), min(last, bottom, model.rowCount() - 1)
        for c, col in enumerate(model.columns):
            if col.choices is not None:
                for r in range(first, last + 1):
                    index = model.index(r, c)
                    if not view.isPersistentEditorOpen(index):
                        view.openPersistentEditor(index)

    def open_in_sight(*_args) -> None:
        open_rows(0, model.rowCount() - 1)

    install()
    model.modelReset.connect(install)
    model.rowsInserted.connect(lambda _parent, first, last: open_rows(first, last))
    view.verticalScrollBar().valueChanged.connect(open_in_sight)  # scrolled
    view.verticalScrollBar().rangeChanged.connect(open_in_sight)  # laid out, resized


def fit_columns(view: QTableView, columns: Sequence[Column], stretch: int | None = None,
                give_way: Sequence[int] = ()) -> None:
    """Each column at its declared width (or the one the user left it at); `stretch` takes the room that is left.

    `give_way`: the columns (indexes) hidden, first first, while the table is narrower than its columns
    (a 1024 screen with the details pane open), so the name and the state stay in view without
    scrolling sideways; they come back as the table widens."""
    from desktop_app.gui.widgets.memory import remember_columns

    header = view.horizontalHeader()
    for i, c in enumerate(columns):
        view.setColumnWidth(i, c.width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    # the widths the worker dragged last time, if the columns are still the ones she dragged
    remember_columns(view, [c.title for c in columns], stretch, [c.width for c in columns])
    if stretch is not None or give_way:
        _StretchFloor(view, stretch, columns[stretch].width if stretch is not None else 0, give_way)


def stretch_floor(view: QTableView, column: int, floor: int) -> None:
    """`column` stretches into the room left but keeps at least `floor` pixels (the table scrolls instead):
    for a page that sizes its other columns itself (to their contents) rather than through fit_columns."""
    _StretchFloor(view, column, floor)


FITTING = "fitting_columns"  # a view property while the kit itself resizes or hides columns (not the worker)


class _StretchFloor(QObject):
    """The stretching column takes the room left, but never less than its declared width; the columns
    that give way are hidden, first first, while the others do not fit.

    Qt's stretch gives it whatever the other columns leave, which on a 1366-pixel screen can be
    nothing (三单's 项目 was 18 pixels wide); below its width it stays put and the table scrolls.
    While the stretching column itself gave way (居民's 备注), the widest text column shown stretches in
    its place, so the table leaves no empty band at its right edge.
    """

    def __init__(self, view: QTableView, stretch: int | None, floor: int, give_way: Sequence[int] = ()):
        super().__init__(view)
        self.view, self.stretch, self.floor, self.give_way = view, stretch, floor, tuple(give_way)
        self.widths: dict[int, int] = {}  # what a column that gave way was wide before it was hidden
        self.stand_in: tuple[int, int] | None = None  # (column, its width) stretching for a hidden stretch column
        self.busy = False
        view.viewport().installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(lambda index, _old, _new: index != stretch and self.fit())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        if self.busy:
            return  # a column hidden or sized here says so through sectionResized
        self.busy = True
        self.view.setProperty(FITTING, True)
        try:
            if self.give_way:
                self._give_way()
            if self.stretch is not None:
                self._stretch()
        finally:
            self.view.setProperty(FITTING, False)
            self.busy = False

    def _give_way(self) -> None:
        header = self.view.horizontalHeader()
        count = header.count()

        def wanted(c: int) -> int:
            if c == self.stretch:
                return self.floor
            if self.stand_in is not None and c == self.stand_in[0]:
                return self.stand_in[1]  # its own width, not the room it stretched into
            return self.widths.get(c, 0) if header.isSectionHidden(c) else header.sectionSize(c)

        total = sum(wanted(c) for c in range(count))
        hide = set()
        for c in self.give_way:
            if total <= self.view.viewport().width():
                break
            if c < count:
                hide.add(c)
                total -= wanted(c)
        for c in self.give_way:
            if c < count and (c in hide) != header.isSectionHidden(c):
                if c in hide:
                    self.widths[c] = header.sectionSize(c)
                header.setSectionHidden(c, c in hide)

    def _stretch(self) -> None:
        header, i, floor = self.view.horizontalHeader(), self.stretch, self.floor
        if i >= header.count():
            return
        stand_in = self._stand_in() if header.isSectionHidden(i) else None
        if self.stand_in is not None and (stand_in is None or stand_in != self.stand_in[0]):
            old, width = self.stand_in  # back to the width it had before it stood in
            self.stand_in = None
            header.setSectionResizeMode(old, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(old, width)
        if stand_in is not None:
            if self.stand_in is None:
                self.stand_in = (stand_in, header.sectionSize(stand_in))
            i, floor = self.stand_in
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != i and not header.isSectionHidden(c))
        if self.view.viewport().width() - others >= floor:
            if header.sectionResizeMode(i) != QHeaderView.ResizeMode.Stretch:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        elif header.sectionResizeMode(i) != QHeaderView.ResizeMode.Interactive or header.sectionSize(i) != floor:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(i, floor)

    def _stand_in(self) -> int | None:
        """The widest left-aligned (text) column shown, to stretch while the stretching column is hidden."""
        header, columns = self.view.horizontalHeader(), getattr(self.view.model(), "columns", ())
        texts = [c for c in range(min(header.count(), len(columns)))
                 if not header.isSectionHidden(c) and columns[c].align == LEFT]
        if self.stand_in is not None and self.stand_in[0] in texts:
            return self.stand_in[0]  # stays put while it is shown
        return max(texts, key=lambda c: header.sectionSize(c), default=None)


class _ElidedTips(QObject):
    """A cell cut short (…) shows its whole text as its tooltip however short the text is (a narrowed 备注):
    the model's own tooltip only knows long texts, not how wide the column is left."""

    MARGIN = 8  # the style's padding either side of a cell's text

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.ToolTip:
            return False
        index = self.view.indexAt(event.pos())
        text = index.data(_DISPLAY) if index.isValid() and not index.data(_TOOLTIP) else None
        if not isinstance(text, str) or not text:
            return False
        rect = self.view.visualRect(index)
        if self.view.fontMetrics().horizontalAdvance(text) + self.MARGIN <= rect.width():
            return False  # shown whole
        QToolTip.showText(event.globalPos(), text, self.view.viewport(), rect)
        return True


def date_text(d) -> str:
    """A date as a table cell shows it (ISO, sortable as text); blank for none."""
    return d.isoformat() if d else ""
