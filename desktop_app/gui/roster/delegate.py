"""The roster table's cell painter: plain cells drawn straight from their text, not through the style.

A keystroke repaints about 300 cells. Through the default delegate each one asks
the model for every role, goes through the style sheet's item rules and lays its
text out again (QTextLayout) on every paint. Most cells are plain — not selected,
not the focused cell — and for those this delegate draws the text itself at the
very pixel the style would put it. Selected, focused and still-loading cells go
through the ordinary path, so the highlight, the focus frame and the colours stay
the style's.

What a plain cell costs is Python work per cell, so it is kept to a minimum:
- the table (RosterTable) works out once per paint which of the rows on screen
  are selected or hold the current cell, so a cell does not read its style
  option's state (an enum made per read);
- a text seen for the first time is drawn directly (QPainter.drawText); one seen
  again is laid out once as a QStaticText and drawn from that ever after. A
  keystroke brings mostly texts never drawn (names, ID numbers, phones), and a
  QStaticText costs more to make than to draw a text plainly;
- the pen and the font are set when they change, not per cell.
"""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QWidget

from desktop_app.gui.roster.models import CENTRED, RosterModel

_PLAIN = Qt.TextFormat.PlainText
_ELIDE = Qt.TextElideMode.ElideRight
# plain ints: flag arithmetic on enums costs more than the rest of a cell
_SPECIAL = (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus).value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_NORMAL, _INACTIVE, _DISABLED = QPalette.ColorGroup.Normal, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled
_TEXT = QPalette.ColorRole.Text
_KEPT = 20_000  # texts remembered per column (a screenful is ~400 cells, many of them alike: 男, 正式党员, a branch)


class RosterTable(QTableView):
    """The roster's table view: tells its RosterDelegate, before each paint, which rows need the style."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # The viewport made here, as Qt makes its own: PySide knows this one's class. For the one Qt makes, the
        # first viewport() (each paint asks for it) makes PySide try every widget class to find what it is,
        # building their Python types and enums (QWizard, QFileDialog, QMdiArea...), as gui.widgets.fit explains.
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)

    # Alternating rows: painted here as one band per row, the colour the style sheet gives. Qt's own way
    # asks the style (through its sheet rules) to fill each cell's background, a third of a repaint.
    _bands = False

    def setAlternatingRowColors(self, enable: bool) -> None:  # noqa: N802
        self._bands = enable
        super().setAlternatingRowColors(False)

    def alternatingRowColors(self) -> bool:  # noqa: N802
        return self._bands

    def _paint_bands(self, event: QPaintEvent) -> None:
        rect = event.rect()
        first = self.rowAt(rect.top())
        if first < 0:
            return
        last = self.rowAt(rect.bottom())
        if last < 0:
            last = self.model().rowCount() - 1
        header = self.horizontalHeader()
        right = header.length() - header.offset()  # the cells end at the last column's edge, as Qt's fills do
        color = self.palette().color(QPalette.ColorRole.AlternateBase)
        painter = QPainter(self.viewport())
        try:
            for row in range(first | 1, last + 1, 2):  # the odd rows, as Qt alternates them
                painter.fillRect(0, self.rowViewportPosition(row), right, self.rowHeight(row), color)
        finally:
            painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self._bands:
            self._paint_bands(event)
        delegate = self.itemDelegate()
        if not isinstance(delegate, RosterDelegate):
            super().paintEvent(event)
            return
        delegate.begin_paint()
        try:
            super().paintEvent(event)
        finally:
            delegate.end_paint()


class RosterDelegate(QStyledItemDelegate):
    """Draws plain roster cells itself; anything else the usual way."""

    def __init__(self, view: QTableView, model: RosterModel):
        super().__init__(view)
        self.view = view
        self.model = model
        self._margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        self._font = view.font()
        self._metrics = QFontMetricsF(self._font)
        self._line = (0, 0.0)  # the text line's height and ascent, as QTextLine has them
        # Per column, for the room it had when last drawn: text -> its offset in the room and, once
        # seen twice, its QStaticText. Keyed by the text, not the member, so a new search finds most
        # of its texts known (the same branch, 男, 本科, 正常...) and a changed member shows other texts.
        self._texts: list[dict[str, list]] = [{} for _ in CENTRED]
        self._rooms = [-1] * len(CENTRED)
        # Set for one paint of the table (RosterTable): rows the style paints, the plain text colour.
        self._special: set[int] | None = None
        self._color = None
        self._pen = None  # the pen the painter holds, set by this delegate; None: unknown
        self._set_font()
        view.installEventFilter(self)  # a new font: the laid-out texts belong to the old one

    def _set_font(self) -> None:
        self._font = self.view.font()
        self._metrics = fm = QFontMetricsF(self._font)
        self._line = (ceil(fm.height()), fm.ascent())
        for texts in self._texts:
            texts.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FontChange and watched is self.view:
            self._set_font()
        return False

    # --- one paint of the table -------------------------------------------------
    def begin_paint(self) -> None:
        """Rows on screen that are selected or hold the focused cell: the style paints those."""
        view = self.view
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if top < 0:
            top = 0
        if bottom < 0:
            bottom = self.model.rowCount() - 1
        special: set[int] = set()
        for part in view.selectionModel().selection():
            special.update(range(max(part.top(), top), min(part.bottom(), bottom) + 1))
        if view.hasFocus() or view.viewport().hasFocus():
            current = view.currentIndex()
            if current.isValid():
                special.add(current.row())
        self._special = special
        self._color = None
        self._pen = None

    def end_paint(self) -> None:
        self._special = None
        self._color = None
        self._pen = None

    # --- a cell -----------------------------------------------------------------
    def _plain_color(self, option: QStyleOptionViewItem, state: int):
        group = (_NORMAL if state & _ACTIVE else _INACTIVE) if state & _ENABLED else _DISABLED
        return option.palette.color(group, _TEXT)

    def _ordinary(self, painter: QPainter, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> None:
        self._pen = None  # the style sets its own pen and font
        super().paint(painter, option, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.row()
        special = self._special
        if special is None:  # painted outside a RosterTable paint: the cell's own state says
            state = option.state.value
            if state & _SPECIAL:
                self._ordinary(painter, option, index)
                return
            color = self._plain_color(option, state)
            self._pen = None  # another paint, perhaps another painter: set them
        elif row in special:
            self._ordinary(painter, option, index)
            return
        else:
            color = self._color
            if color is None:
                color = self._color = self._plain_color(option, option.state.value)
        shown = self.model.shown_rows.get(row)
        if shown is None:
            shown = self.model.shown_at(row)
            if shown is None:
                self._ordinary(painter, option, index)
                return
        column = index.column()
        x, y, width, height = option.rect.getRect()
        margin = self._margin
        room = width - 2 * margin
        texts = self._texts[column]
        if self._rooms[column] != room:  # the column was resized: centring and eliding change
            texts.clear()
            self._rooms[column] = room
        text = str(row + 1) if column == 0 else shown[0][column]
        made = texts.get(text)
        if made is None:
            if not text:
                return  # nothing to write
            if len(texts) > _KEPT:
                texts.clear()
            made = texts[text] = self._place(text, room, CENTRED[column])
        if shown[1] is not None:
            color = shown[1]
        if self._pen is not color:
            if self._pen is None:
                painter.setFont(self._font)
            painter.setPen(color)
            self._pen = color
        line_height, ascent = self._line
        left = x + margin + made[0]
        top = y + (height - line_height) // 2
        st = made[2]
        if st is None:
            if made[3]:  # seen before: laid out once from now on
                st = made[2] = QStaticText(made[1])
                st.setTextFormat(_PLAIN)
            else:
                made[3] = True
                painter.drawText(QPointF(left, top + ascent), made[1])
                return
        painter.drawStaticText(QPointF(left, top), st)

    def _place(self, text: str, room: int, centred: bool) -> list:
        """[offset from the left of the room, the text as drawn (elided), its QStaticText, seen before]:
        where the style's QTextLayout puts it."""
        fm = self._metrics
        width = fm.horizontalAdvance(text)  # the width QTextLayout centres by (QStaticText's size may differ)
        if width > room:
            text = fm.elidedText(text, _ELIDE, room)
            width = fm.horizontalAdvance(text) if centred else 0.0
        return [(room - width) / 2 if centred else 0.0, text, None, False]
