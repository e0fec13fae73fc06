"""The roster table's cell painter: plain cells drawn from cached laid-out text, not through the style.

A keystroke repaints about 300 cells. Through the default delegate each one asks
the model for every role, goes through the style sheet's item rules and lays its
text out again (QTextLayout) on every paint. Most cells are plain — not selected,
not the focused cell — and for those this delegate draws a QStaticText made once
per text (keyed by the text, so a changed member simply shows another one, and a
new search finds most of its texts made: the same branch, 男, 本科, 正式党员...)
at the very pixel the style would put it. Selected, focused and still-loading cells go through the
ordinary path, so the highlight, the focus frame and the colours stay the style's.
"""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from desktop_app.gui.roster.models import CENTRED, RosterModel

_PLAIN = Qt.TextFormat.PlainText
_ELIDE = Qt.TextElideMode.ElideRight
# plain ints: flag arithmetic on enums costs more than the rest of a cell
_SPECIAL = (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus).value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_NORMAL, _INACTIVE, _DISABLED = QPalette.ColorGroup.Normal, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled
_TEXT = QPalette.ColorRole.Text
_KEPT = 20_000  # laid-out texts kept (a screenful is ~400 cells, many of them alike: 男, 正式党员, a branch)


class RosterDelegate(QStyledItemDelegate):
    """Draws plain roster cells from cached QStaticText; anything else the usual way."""

    def __init__(self, view: QTableView, model: RosterModel):
        super().__init__(view)
        self.view = view
        self.model = model
        # (text, room, centred) -> (QStaticText, offset from the left of the room, height): keyed by the text,
        # not the member, so a new search's rows find most of theirs made (the same branch, 男, 本科, 正常...)
        # and a member whose data changed simply shows other texts.
        self._texts: dict[tuple[str, int, bool], tuple[QStaticText, float, int]] = {}
        self._margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        self._font = view.font()
        self._metrics = QFontMetricsF(self._font)
        view.installEventFilter(self)  # a new font: the laid-out texts belong to the old one

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FontChange and watched is self.view:
            self._font = self.view.font()
            self._metrics = QFontMetricsF(self._font)
            self._texts.clear()
        return False

    def _static(self, text: str, room: int, centred: bool) -> tuple[QStaticText, float, int]:
        """The laid-out text and its offset from the left of the room, as the style's QTextLayout places it."""
        fm = self._metrics
        width = fm.horizontalAdvance(text)  # the width QTextLayout centres by (QStaticText's size may differ)
        if width > room:
            text = fm.elidedText(text, _ELIDE, room)
            width = fm.horizontalAdvance(text)
        st = QStaticText(text)
        st.setTextFormat(_PLAIN)
        return st, (room - width) / 2 if centred else 0.0, ceil(fm.height()) if text else 0  # as QTextLine.height()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row, column = index.row(), index.column()
        state = option.state.value
        shown = self.model.shown_at(row) if not state & _SPECIAL else None
        if shown is None:
            super().paint(painter, option, index)
            return
        font = self._font
        rect = option.rect
        room = rect.width() - 2 * self._margin
        key = (str(row + 1) if column == 0 else shown[0][column], room, CENTRED[column])
        made = self._texts.get(key)
        if made is None:
            if len(self._texts) > _KEPT:
                self._texts.clear()
            made = self._texts[key] = self._static(*key)
        st, dx, height = made
        if not height:
            return  # nothing to write
        color = shown[1]
        if color is None:
            group = (_NORMAL if state & _ACTIVE else _INACTIVE) if state & _ENABLED else _DISABLED
            color = option.palette.color(group, _TEXT)
        painter.setPen(color)
        painter.setFont(font)
        painter.drawStaticText(QPointF(rect.x() + self._margin + dx, rect.y() + (rect.height() - height) // 2), st)
