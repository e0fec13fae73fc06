"""The 工作台's four charts, painted with QPainter.

QtCharts comes only with PySide6-Addons (a second, much larger wheel set to pin
and ship); four plain bar and line charts do not need it, and painting them
here keeps the bundle as it is and the look the same as the PDF's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#c8161e", "#e0892b", "#2f6fb5", "#2e7d32", "#7b4fa0", "#8a8f98", "#00838f", "#b0803a")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str = ""


class Chart(QWidget):
    """A small chart: stacked or grouped bars over categories, horizontal bars, or a line."""

    def __init__(self, title: str, kind: str = "bars", parent: QWidget | None = None):
        super().__init__(parent)
        self.title, self.kind = title, kind  # kind: stack / bars / hbars / line
        self.labels: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.unit = ""
        self.top: float | None = None  # fixed scale top (100 for a percentage)
        self.setMinimumSize(260, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 230)

    def set_data(self, labels: Sequence[str], series: Sequence[Series], unit: str = "",
                 top: float | None = None) -> None:
        self.labels = tuple(labels)
        self.series = tuple(Series(s.name, s.values, s.color or PALETTE[i % len(PALETTE)])
                            for i, s in enumerate(series))
        self.unit, self.top = unit, top
        self.update()

    def _scale_top(self) -> float:
        if self.top is not None:
            return self.top
        if self.kind == "stack":
            sums = [sum((s.values[i] or 0) for s in self.series) for i in range(len(self.labels))]
            high = max(sums, default=0)
        else:
            high = max((v or 0 for s in self.series for v in s.values), default=0)
        # meetings and problems are counted: a gridline at 37.5 of them reads wrong
        return _nice(high, whole=self.kind in ("stack", "hbars"))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QColor("#dcdfe4"))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        p.setFont(small)
        legend_h = self._legend(p) if len(self.series) > 1 else 0
        area = QRectF(40, 28 + legend_h, self.width() - 52, self.height() - 50 - legend_h)
        if not self.labels or not any(v for s in self.series for v in s.values if v):
            p.setPen(QColor("#8a8f98"))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        if self.kind == "hbars":
            self._hbars(p, QRectF(area.left() + 40, area.top(), area.width() - 40, area.height() + 14))
        else:
            self._axes(p, area)
            (self._line if self.kind == "line" else self._bars)(p, area)

    def _legend(self, p: QPainter) -> int:
        x, y = 8.0, 24.0
        for s in self.series:
            w = p.fontMetrics().horizontalAdvance(s.name) + 22
            if x + w > self.width() - 8:
                x, y = 8.0, y + 15
            p.fillRect(QRectF(x, y + 3, 10, 8), QColor(s.color))
            p.setPen(QColor("#444444"))
            p.drawText(QPointF(x + 13, y + 11), s.name)
            x += w
        return int(y - 24 + 18)

    def _axes(self, p: QPainter, area: QRectF) -> None:
        top = self._scale_top()
        p.setPen(QPen(QColor("#e6e8eb")))
        for i in range(GRIDLINES + 1):
            y = area.bottom() - area.height() * i / GRIDLINES
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(QColor("#8a8f98"))
            p.drawText(QRectF(0, y - 7, area.left() - 4, 14), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       _short(top * i / GRIDLINES) + (self.unit if i == GRIDLINES and self.unit == "%" else ""))
            p.setPen(QPen(QColor("#e6e8eb")))
        n = len(self.labels)
        step = area.width() / n
        p.setPen(QColor("#555555"))
        every = 1 if step > 34 else 2
        for i, label in enumerate(self.labels):
            if i % every == 0:
                p.drawText(QRectF(area.left() + i * step - 10, area.bottom() + 2, step + 20, 14),
                           Qt.AlignmentFlag.AlignHCenter, _fit(p, label, step * every + 10))

    def _bars(self, p: QPainter, area: QRectF) -> None:
        top = self._scale_top() or 1
        step = area.width() / len(self.labels)
        for i in range(len(self.labels)):
            x0 = area.left() + i * step + step * 0.15
            width = step * 0.7
            if self.kind == "stack":
                y = area.bottom()
                for s in self.series:
                    h = area.height() * (s.values[i] or 0) / top
                    p.fillRect(QRectF(x0, y - h, width, h), QColor(s.color))
                    y -= h
            else:
                w = width / len(self.series)
                for j, s in enumerate(self.series):
                    h = area.height() * (s.values[i] or 0) / top
                    p.fillRect(QRectF(x0 + j * w, area.bottom() - h, w - 1, h), QColor(s.color))

    def _line(self, p: QPainter, area: QRectF) -> None:
        top = self._scale_top() or 1
        step = area.width() / len(self.labels)
        for s in self.series:
            p.setPen(QPen(QColor(s.color), 2))
            last = None
            for i, v in enumerate(s.values):
                if v is None:
                    last = None
                    continue
                pt = QPointF(area.left() + (i + 0.5) * step, area.bottom() - area.height() * v / top)
                if last is not None:
                    p.drawLine(last, pt)
                p.drawEllipse(pt, 2.5, 2.5)
                p.drawText(QRectF(pt.x() - 18, pt.y() - 16, 36, 12), Qt.AlignmentFlag.AlignCenter, _short(v))
                last = pt

    def _hbars(self, p: QPainter, area: QRectF) -> None:
        s = self.series[0]
        n = len(self.labels)
        high = max((v or 0 for v in s.values), default=0) or 1
        row = min(18.0, area.height() / n)
        for i, (label, v) in enumerate(zip(self.labels, s.values)):
            y = area.top() + i * row
            p.setPen(QColor("#555555"))
            p.drawText(QRectF(4, y, area.left() - 8, row), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       _fit(p, label, area.left() - 10))
            w = (area.width() - 36) * (v or 0) / high
            p.fillRect(QRectF(area.left(), y + 2, w, row - 4), QColor(s.color))
            p.drawText(QRectF(area.left() + w + 4, y, 40, row), Qt.AlignmentFlag.AlignVCenter, _short(v or 0))


GRIDLINES = 4  # the scale's steps up the axis (paintEvent)


def _nice(high: float, whole: bool = False) -> float:
    """A round scale top at or above `high` (1, 2, 2.5 or 5 times a power of ten); `whole`: for counts, a
    top whose every gridline is a whole number (40 for 37 meetings, not 50 with a line at 37.5)."""
    if high <= 0:
        return GRIDLINES if whole else 1
    if whole:
        quarter = high / GRIDLINES
        mag = 10 ** math.floor(math.log10(quarter)) if quarter >= 1 else 1
        return GRIDLINES * next(b * mag for b in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
                                if b * mag >= quarter and float(b * mag).is_integer())
    mag = 10 ** math.floor(math.log10(high))
    return next(base * mag for base in (1, 2, 2.5, 5, 10) if base * mag >= high)


def _short(v: float) -> str:
    if v >= 10000:
        return f"{v / 10000:.1f}万"
    return f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}"


def _fit(p: QPainter, text: str, width: float) -> str:
    fm = p.fontMetrics()
    return text if fm.horizontalAdvance(text) <= width else fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
