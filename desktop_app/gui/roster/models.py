"""The roster's lazy table model: ordered member ids, rows fetched a page at a time off the GUI thread.

The model keeps only the ordered ids of the members that match (filtered and
sorted in SQL, matched by roster.search_hits, which looks each id up when read) and fetches the rows it is asked to draw,
200 at a time, in the background; so 100,000 members cost one list of ids, not
100,000 objects or widgets. No QSortFilterProxyModel: calling Python data() for
every row to filter or sort is what makes big tables crawl. It stays apart
from the kit's ColumnModel for that reason: that one holds every row.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop_app.domain import members as rules
from desktop_app.gui.ops import run_op
from desktop_app.services import roster
from desktop_app.services.database import Database
from desktop_app.views.roster import MemberRow

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # rows fetched per query when the view needs them
FIRST_ROWS = 60  # rows a search brings with its ids when the table's height is unknown (hidden); else a screenful
CACHED_PAGES = 50  # pages kept; older ones are dropped (and fetched again if shown)
_SHOWN_KEPT = 2 * CACHED_PAGES * PAGE_SIZE  # rows' texts kept across searches

# The kit's role for a row's id (gui.widgets.table.ID_ROLE; a test holds them equal), without importing the
# kit's table module (4 ms of the roster's start) for one number.
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_GONE = QColor("#9aa0a6")
_ALERT = QColor("#c8161e")


def _marks(r: MemberRow) -> str:
    return "、".join(m for m, on in (("在职报到", r.is_reporting), ("困难党员", r.is_hardship)) if on)


def _num(n: int | None) -> str:
    return "" if n is None else str(n)


# header, sort key (roster.SORT_KEYS), text of a row, centred, width
COLUMNS: tuple[tuple[str, str, Callable[[MemberRow], str], bool, int], ...] = (
    ("序号", "seq", lambda r: _num(r.seq or None), True, 50),
    ("姓名", "name", lambda r: r.name, False, 72),
    ("性别", "gender", lambda r: r.gender, True, 40),
    ("年龄", "age", lambda r: _num(r.age), True, 44),
    ("所在党组织", "org", lambda r: r.org_name, False, 200),  # 梅园社区 · 第一网格党支部 · 第一党小组 at a street
    ("人员类别", "category", lambda r: r.category, True, 70),
    ("入党日期", "joined_date", lambda r: rules.format_date(r.joined_date), True, 86),
    ("党龄", "party_age", lambda r: _num(r.party_age), True, 44),
    ("学历", "education", lambda r: r.education, True, 76),
    ("公民身份号码", "id_number", lambda r: r.id_masked, True, 140),
    ("手机号码", "mobile", lambda r: r.mobile_masked, True, 100),
    ("状态", "status", lambda r: r.status, True, 56),
    ("标记", "is_reporting", _marks, False, 110),
)
_GETTERS = tuple(c[2] for c in COLUMNS)
_ALIGNS = tuple(_CENTER if c[3] else _LEFT for c in COLUMNS)
CENTRED = tuple(c[3] for c in COLUMNS)
_NAME_COLUMN = 1
_ROLES = frozenset({_DISPLAY, _ALIGN, ID_ROLE, _FOREGROUND, _TOOLTIP})  # the view asks for seven per cell
_LOADING = ("",) * _NAME_COLUMN + ("…",) + ("",) * (len(COLUMNS) - _NAME_COLUMN - 1)


def _shown(r: MemberRow) -> tuple[tuple[str, ...], QColor | None, str | None, str | None]:
    """What a row shows, worked out once: cell texts, colour, and the tooltips of the first and last column."""
    color = _GONE if r.status in rules.GONE_STATUSES else _ALERT if r.status in (rules.LOST, rules.SUSPENDED) else None
    return (tuple(get(r) for get in _GETTERS), color, f"名册编号 {r.seq}" if r.seq else None, _marks(r) or None)


class RosterModel(QAbstractTableModel):
    """Ordered member ids; rows are fetched a page at a time off the GUI thread when drawn."""

    page_loaded = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.today = date.today()
        self._ids: Sequence[str] = []
        self._pages: OrderedDict[int, dict[str, MemberRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        # id -> (row, _shown(row)): a repaint asks data() ~2,000 times; texts made once per row read, not per
        # paint, and kept across searches: a narrower search shows rows the wider one read (the same objects,
        # roster.rows keeps them while the file is unchanged), a row read again is another object
        self._shown: dict[str, tuple[MemberRow, tuple]] = {}
        # row number -> what it shows, for the rows painted since the ids or the pages last changed
        self.shown_rows: dict[int, tuple] = {}
        self._count = 0  # len(self._ids), asked for per painted cell
        self._first_rows = PAGE_SIZE  # how many rows of page 0 a search brought (the rest are fetched if shown)

    # --- loading -----------------------------------------------------------
    def set_ids(self, ids: Sequence[str], first_rows: list[MemberRow], today: date, asked: int = FIRST_ROWS) -> None:
        """A new result: the ids in display order and the rows of its first `asked` (a screenful).

        Told to the view as rows removed or added at the end and the rest changed, not as a reset: a
        reset makes the view and both headers start over, a third more work than the repaint itself.
        Rows keep their places, so the caller clears the selection (a reset did): see RosterPage.
        """
        old, new = self._count, len(ids)

        def take() -> None:
            self._generation += 1
            self.today = today
            self._ids = ids
            self._count = new
            self._pages.clear()
            self._pending.clear()
            self.shown_rows.clear()
            if len(self._shown) > _SHOWN_KEPT:
                self._shown.clear()
            self._first_rows = max(len(first_rows), min(new, asked))
            if ids:
                self._pages[0] = {r.id: r for r in first_rows}

        if new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            take()
            self.endRemoveRows()
        elif new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            take()
            self.endInsertRows()
        else:
            take()
        if min(old, new):
            self.dataChanged.emit(self.index(0, 0), self.index(min(old, new) - 1, len(COLUMNS) - 1))

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation, db, today = self._generation, self.db, self.today
        ids = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        run_op(
            None,
            lambda job: roster.rows(db, ids, today=today),
            lambda rows: self._arrived(generation, page, rows),
            lambda exc: self._fetch_failed(generation, page, exc),
        )

    def _arrived(self, generation: int, page: int, rows: list[MemberRow]) -> None:
        if generation != self._generation:
            return  # rows of an older result: the ids have changed since
        self._pending.discard(page)
        if page == 0:
            self._first_rows = PAGE_SIZE
        self._pages[page] = {r.id: r for r in rows}
        self.shown_rows.clear()  # rows read again show what they hold now
        while len(self._pages) > CACHED_PAGES:
            for gone in self._pages.popitem(last=False)[1]:
                self._shown.pop(gone, None)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_loaded.emit(page)

    def _fetch_failed(self, generation: int, page: int, exc: BaseException) -> None:
        log.warning("roster rows could not be read: %s", exc)
        if generation == self._generation:
            self._pending.discard(page)

    # --- access ------------------------------------------------------------
    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < self._count else None

    def row_at(self, row: int) -> MemberRow | None:
        """The cached row (None while it is being fetched, which then starts)."""
        if not 0 <= row < self._count:
            return None
        page = row // PAGE_SIZE
        cached = self._pages.get(page)
        if cached is None or (page == 0 and row >= self._first_rows):
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return cached.get(self._ids[row])  # None: deleted since the search ran

    def find(self, member_id: str | None) -> int:
        if not member_id:
            return -1
        try:
            return self._ids.index(member_id)
        except ValueError:
            return -1

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    # --- Qt ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def shown_at(self, row: int) -> tuple | None:
        """What row shows (texts, colour, tooltips), made once per fetched row; None while it is fetched."""
        got = self.shown_rows.get(row)
        if got is not None:
            return got
        r = self.row_at(row)
        if r is None:
            return None
        kept = self._shown.get(r.id)
        if kept is None or kept[0] is not r:
            kept = self._shown[r.id] = (r, _shown(r))
        got = self.shown_rows[row] = kept[1]
        return got

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if role not in _ROLES:
            return None  # most of what the view asks (font, background, check state...): answered first
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < self._count:
            return None
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return str(row + 1)  # 序号 counts the rows shown, without gaps (the stored one: tooltip)
            shown = self.shown_at(row)
            return (shown[0] if shown is not None else _LOADING)[column]
        if role == _ALIGN:
            return _ALIGNS[column]
        if role == ID_ROLE:
            return self._ids[row]
        if role == _FOREGROUND:
            shown = self.shown_at(row)
            return shown[1] if shown is not None else None
        if column == 0 or column == len(COLUMNS) - 1:  # tooltips
            shown = self.shown_at(row)
            return None if shown is None else shown[2] if column == 0 else shown[3]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if int(role) == _DISPLAY:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section][0]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    # No flags() here: QAbstractTableModel's own (enabled, selectable, no children) is what a row needs, and the
    # view asks it of every cell it paints, where a Python override costs a call into Python each time.


