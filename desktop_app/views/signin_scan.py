"""The sign-in sheet as a machine reads it back: its geometry, its QR payload, and what a scan yields.

The printed sheet (reports.signin) and the scan reader (desktop_app.scan) are siblings that
may not import each other; both take the table's geometry and the QR payload from here so
they cannot drift apart. All lengths are millimetres in table coordinates: x to the right
from the table's left edge, y downwards from the table's top edge.

The readings and proposals are what the scan service returns to the GUI and the CLI.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from collections.abc import Sequence

# -- geometry (the renderer draws exactly this)

TABLE_WIDTH_MM = 180.0  # the A4 body frame with 15 mm margins; the page's own width rides in its QR code
HEADER_ROW_MM = 8.0
ROW_MM = 8.0
SHEET_HEAD_MM = 34.0  # the meeting's header block above the table
QR_MM = 22.0
QR_TOP_GAP_MM = 2.0  # the body frame's top edge to the QR code's top edge
MARK_MM = 4.0  # solid registration squares beside the table's four corners
MARK_GAP_MM = 2.0  # between a mark and the table's side edge

COLUMNS_PLAIN = (("序号", 12), ("姓名", 28), ("所在党小组", 30), ("签到", 40), ("请假（原因）", 40), ("备注", 30))
COLUMNS_PHONES = (("序号", 10), ("姓名", 24), ("所在党小组", 26), ("联系电话", 27), ("签到", 36),
                  ("请假（原因）", 32), ("备注", 25))
NAME, SIGN, LEAVE = "姓名", "签到", "请假（原因）"


def columns(show_phones: bool, table_width: float = TABLE_WIDTH_MM) -> list[tuple[str, float, float]]:
    """(title, left, right) of each column in mm."""
    spec = COLUMNS_PHONES if show_phones else COLUMNS_PLAIN
    total = sum(w for _, w in spec)
    out, x = [], 0.0
    for title, w in spec:
        width = table_width * w / total
        out.append((title, x, x + width))
        x += width
    return out


def column(show_phones: bool, title: str, table_width: float = TABLE_WIDTH_MM) -> tuple[float, float]:
    for t, left, right in columns(show_phones, table_width):
        if t == title:
            return left, right
    raise KeyError(title)


def table_height(rows: int) -> float:
    return HEADER_ROW_MM + rows * ROW_MM


def mark_centres(rows: int, table_width: float = TABLE_WIDTH_MM) -> list[tuple[float, float]]:
    """Centres of the four marks: top-left, top-right, bottom-right, bottom-left."""
    h = table_height(rows)
    left = -MARK_GAP_MM - MARK_MM / 2
    right = table_width + MARK_GAP_MM + MARK_MM / 2
    top, bottom = MARK_MM / 2, h - MARK_MM / 2
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def qr_corners(table_width: float = TABLE_WIDTH_MM) -> list[tuple[float, float]]:
    """The QR code's corners (top-left, top-right, bottom-right, bottom-left): flush right, above the table."""
    top = -(SHEET_HEAD_MM - QR_TOP_GAP_MM)
    x0, x1 = table_width - QR_MM, table_width
    return [(x0, top), (x1, top), (x1, top + QR_MM), (x0, top + QR_MM)]


# -- what the QR code carries

PAYLOAD_TAG = "DQS1"


def names_hash(names: Sequence[str]) -> str:
    """A short fingerprint of the names printed on one page: a sheet printed before the list changed is caught."""
    return f"{zlib.crc32(chr(10).join(names).encode('utf-8')) & 0xFFFFFF:06x}"


@dataclass(frozen=True)
class SheetCode:
    """One printed page: which meeting, which page, which rows (1-based serials) and in which layout."""

    number: str
    page: int
    pages: int
    first: int  # serial number (序号) of the page's first row
    rows: int  # table rows on the page, the blank ones included
    show_phones: bool
    names: str  # names_hash of the named rows on the page
    width: float = TABLE_WIDTH_MM  # the table's width in mm (paper and margins may be set otherwise)

    def text(self) -> str:
        return "|".join((PAYLOAD_TAG, self.number, f"{self.page}/{self.pages}", str(self.first), str(self.rows),
                         "P" if self.show_phones else "N", self.names, f"{self.width:.1f}"))

    @classmethod
    def parse(cls, text: str) -> SheetCode | None:
        """The code of a page, or None for any other QR code (a sheet printed before codes carried pages)."""
        parts = text.strip().split("|")
        if len(parts) != 8 or parts[0] != PAYLOAD_TAG:
            return None
        try:
            page, pages = (int(p) for p in parts[2].split("/"))
            first, rows, width = int(parts[3]), int(parts[4]), float(parts[7])
        except ValueError:
            return None
        if not (1 <= page <= pages and first >= 1 and 1 <= rows <= 80 and parts[5] in ("P", "N")
                and 100 <= width <= 400):
            return None
        return cls(parts[1], page, pages, first, rows, parts[5] == "P", parts[6], width)


# -- what a scan yields

SIGNED, BLANK, LEAVE_MARK, UNSURE = "签到", "未签", "请假", "不确定"


@dataclass(frozen=True)
class CellReading:
    """How much ink a cell holds and how the reader judged it."""

    ink: float  # share of the cell's inner area that is ink, 0..1
    marked: bool
    confidence: float  # 0..1: how far the ink is from the threshold


@dataclass(frozen=True)
class RowReading:
    serial: int  # 序号 as printed (blank rows continue the count)
    name_cell: CellReading
    sign: CellReading
    leave: CellReading
    image: bytes = b""  # the row from 姓名 to 请假 as scanned, flattened (PNG): what a person checks a doubt against


@dataclass(frozen=True)
class PageReading:
    """One page of a scan: its code and every table row in printed order."""

    index: int  # 1-based page (or image) of the scanned file
    code: SheetCode
    rows: tuple[RowReading, ...]
    seconds: float = 0.0


@dataclass(frozen=True)
class UnreadablePage:
    index: int
    reason: str


@dataclass(frozen=True)
class ScanReading:
    pages: tuple[PageReading, ...]
    unreadable: tuple[UnreadablePage, ...]


# -- the proposal the service makes of a reading

@dataclass(frozen=True)
class ProposedLine:
    attendance_id: str
    name: str
    state: str  # 签到 / 未签 / 请假 / 不确定
    proposed_status: str  # 出席 / 缺席 / 请假, the best guess even when unsure
    confidence: float
    serial: int
    is_guest: bool = False
    printed_leave: str = ""  # a leave asked for before the meeting, printed on the sheet
    excused: str = ""  # 免于应到 that day (长期外出, 病重 …): not signing is expected, proposed as 请假
    image: bytes = b""  # the scanned row (RowReading.image)

    @property
    def unsure(self) -> bool:
        return self.state == UNSURE


@dataclass(frozen=True)
class UnnamedRow:
    """A blank row someone signed (a walk-in): its 序号 and the row as scanned (RowReading.image), so a person
    can read the name off the picture instead of hunting for the paper."""

    serial: int
    image: bytes = b""


@dataclass(frozen=True)
class SheetProposal:
    """One scanned page matched to its meeting."""

    meeting_id: str
    number: str
    title: str
    page: int
    pages: int
    scan_page: int
    lines: tuple[ProposedLine, ...]
    unnamed_signatures: int
    unnamed_rows: tuple[UnnamedRow, ...] = ()  # the blank rows signed, in printed order

    @property
    def unnamed_serials(self) -> tuple[int, ...]:
        """序号 of the blank rows signed: where on the paper to look for the names."""
        return tuple(r.serial for r in self.unnamed_rows)


@dataclass(frozen=True)
class RefusedPage:
    scan_page: int
    reason: str


@dataclass(frozen=True)
class ScanProposal:
    source: str  # the scanned file's path, attached to each meeting on apply
    sheets: tuple[SheetProposal, ...]
    refused: tuple[RefusedPage, ...]

    @property
    def meeting_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.meeting_id for s in self.sheets))

    def lines_of(self, meeting_id: str) -> list[ProposedLine]:
        return [line for s in self.sheets if s.meeting_id == meeting_id for line in s.lines]

    def unnamed_of(self, meeting_id: str) -> int:
        return sum(s.unnamed_signatures for s in self.sheets if s.meeting_id == meeting_id)

    def unnamed_serials_of(self, meeting_id: str) -> tuple[int, ...]:
        return tuple(r.serial for r in self.unnamed_rows_of(meeting_id))

    def unnamed_rows_of(self, meeting_id: str) -> tuple[UnnamedRow, ...]:
        return tuple(r for s in self.sheets if s.meeting_id == meeting_id for r in s.unnamed_rows)

    def pages_of(self, meeting_id: str) -> tuple[int, tuple[int, ...]]:
        """(pages the meeting's sheet was printed on, those of them not in the scan): a page left out
        of the scan leaves its people unread, which the confirming person must be told."""
        mine = [s for s in self.sheets if s.meeting_id == meeting_id]
        pages = max((s.pages for s in mine), default=0)
        have = {s.page for s in mine}
        return pages, tuple(p for p in range(1, pages + 1) if p not in have)
