"""签到表: the sign-in sheet printed before a meeting, A4 portrait.

Every page carries the meeting's header (branch, kind, topic, time, place,
host), its number and a QR code of the number, the page and its rows, so a
signed page that comes back alone (or through a scanner) can still be entered
against its meeting. Four small solid squares beside the table's corners let
the scan reader straighten a photo; the geometry both share lives in
views.signin_scan. Rows have room for a
signature; the last page is filled with blank rows for walk-ins. Phones are
masked here, so a caller cannot forget to.

Pages are laid out by count, not by measuring: every row has the same height,
so each page is one Table of known size (fast for hundreds of sheets).

Several meetings' sheets print as one PDF (render_signin_sheets): each sheet
starts on a new page and keeps its own header, codes and page numbers (第 1 页 /
共 2 页 of that sheet), so a batch prints, and scans back, as the sheets would
one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.tables import CellStyle

from desktop_app.domain.idcard import mask_phone
from desktop_app.reports.base import (
    A4_PORTRAIT, CELL_FONT_SIZE, GRID_COLOR, HEADER_FILL, HEADER_SPACE, MARGIN, ReportRenderer, chinese_date, model_renderer,
    rich, text_width,
)
from desktop_app.reports.fonts import FontInfo, text_runs
from desktop_app.reports.signin_qr import qr_rows
from desktop_app.views import signin_scan as layout
from desktop_app.views.meetings import SigninLine, SigninSheet  # noqa: F401 - the model this renders

if TYPE_CHECKING:
    from pathlib import Path

SHEET_HEAD = layout.SHEET_HEAD_MM * mm  # the meeting's header block under the page header
ROW_HEIGHT = layout.ROW_MM * mm  # room for a signature
HEADER_ROW_HEIGHT = layout.HEADER_ROW_MM * mm
QR_SIZE = layout.QR_MM * mm
MIN_BLANK_ROWS = 4
GAP = "\u00a0" * 5  # Paragraph collapses ordinary and ideographic spaces; no-break spaces stay
TALLY_HEIGHT = 2 * ROW_HEIGHT  # 实到 / 请假 / 缺席 fill-in line under the last table
_DARK_RUN = re.compile("1+")
# (font, text, column width) -> drawn in the Latin font; only texts that fit one line in one font
_PLAIN_CELLS: dict[tuple, bool] = {}
_RECTS: dict[tuple[int, int, int], str] = {}  # (start, row, end) of a run -> its operator; codes share most
NOTHING = ()  # a blank cell: an empty list of flowables draws nothing, where "" draws an empty text object


def _hm(t: time | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""


def when(d: date, start: time | None, end: time | None) -> str:
    text = chinese_date(d)
    if start and end:
        return f"{text} {_hm(start)}—{_hm(end)}"
    return f"{text} {_hm(start)}".strip()


def heading(org_name: str, kind: str, form: str = "签到表") -> str:
    """第一网格党支部党员大会签到表, not 第一网格党支部支部党员大会签到表."""
    if kind.startswith("支部") and org_name.endswith("支部"):
        kind = kind[2:]
    return f"{org_name}{kind}{form}"


def _clip(text: str, font: FontInfo, size: float, width: float) -> str:
    """Shorten text with … so it fits `width` (a header line must not run into the QR code)."""
    if text_width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def qr_path(value: str) -> tuple[int, str]:
    """The QR code of `value` as PDF path operators in module units: (modules per side, operators).

    One rectangle per run of dark modules, whole numbers only, filled at once. Written as one
    literal string: reportlab's path object formats every coordinate as a float in Python,
    which cost more than everything else on the page.
    """
    rows = qr_rows(value)
    n = len(rows)
    ops = []
    for r, row in enumerate(rows):
        y = n - 1 - r
        for run in _DARK_RUN.finditer(row):
            key = (run.start(), y, run.end())
            op = _RECTS.get(key)
            if op is None:
                op = f"{key[0]} {y} {key[2] - key[0]} 1 re"
                if len(_RECTS) < 100_000:
                    _RECTS[key] = op
            ops.append(op)
    ops.append("f")
    return n, "\n".join(ops)


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code of `value`, `size` points square, its lower left corner at (x, y)."""
    n, path = qr_path(value)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / n, size / n)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(path)
    canvas.restoreState()


class _MarkedTable(Table):
    """A page's table with the registration squares beside its four corners.

    Its one-line cells (`texts`: row, column, text, look) are drawn here, all in one text object, where
    reportlab's Table would make a text object per cell (its font, fill, origin and BT/ET each time):
    at the very positions Table._drawCell gives a one-line string cell (same arithmetic, same
    formatting), so the page prints the same. Wrapping cells (Paragraphs) stay with the Table.
    """

    def __init__(self, *args: object, texts: Sequence[tuple[int, int, str, CellStyle]] = (), marks: bool = True,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._texts = texts
        self._marks = marks

    def draw(self) -> None:
        super().draw()
        canvas, size, gap = self.canv, layout.MARK_MM * mm, layout.MARK_GAP_MM * mm
        if self._texts:
            text = canvas.beginText()
            text.setFillColorRGB(0, 0, 0)
            look_now = None
            rows, cols, widths, heights = self._rowpositions, self._colpositions, self._colWidths, self._rowHeights
            for r, c, value, look in self._texts:
                if look.fontname != (look_now.fontname if look_now else None):
                    text.setFont(look.fontname, look.fontsize, look.leading)
                look_now = look
                # Table._drawCell's valign MIDDLE, one line
                y = rows[r + 1] + (look.bottomPadding + heights[r] - look.topPadding + look.leading) / 2.0 \
                    - look.fontsize
                if look.alignment == "CENTER":  # drawCentredString's origin
                    x = cols[c] + (widths[c] + look.leftPadding - look.rightPadding) * 0.5
                    x -= 0.5 * stringWidth(value, look.fontname, look.fontsize)
                else:
                    x = cols[c] + look.leftPadding
                text.setTextOrigin(x, y)
                text.textOut(value)
            canvas.drawText(text)
        if not self._marks:
            return
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for x in (-gap - size, self._width + gap):
            for y in (0, self._height - size):
                canvas.rect(x, y, size, size, stroke=0, fill=1)
        canvas.restoreState()


class SigninReport(ReportRenderer):
    """A meeting's sheet. A form of the same look for another gathering (a 共建活动) subclasses it and says
    its own lines (heading, head_lines, third_line, columns, _rows, TALLY); `coded = False` leaves out the
    QR code, 编号 and corner marks, which only a meeting's scan import reads."""

    title = "签到表"
    pagesize = A4_PORTRAIT
    margin_from_settings = False  # the scan reader finds the table at the fixed MARGIN
    coded = True
    TALLY = ("实到＿＿＿＿人", "请假＿＿＿＿人", "缺席＿＿＿＿人", "列席＿＿＿＿人", "记录人（签字）＿＿＿＿＿＿")

    def __init__(
        self,
        sheet: SigninSheet | Sequence[SigninSheet],
        *,
        show_phones: bool = False,
        min_blank_rows: int = MIN_BLANK_ROWS,
        printed_on: date | None = None,
        font_path: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """One sheet, or several printed one after the other in one PDF (each from a new page)."""
        self.sheets: list[SigninSheet] = list(sheet) if isinstance(sheet, (list, tuple)) else [sheet]
        if not self.sheets:
            raise ValueError("no sign-in sheet to print")
        self.sheet = self.sheets[0]  # the one being laid out or drawn
        super().__init__(self.sheet.center_name, printed_on=printed_on, font_path=font_path, progress=progress)
        self.show_phones = show_phones
        self.min_blank_rows = max(0, min_blank_rows)
        # Per page: the index of its sheet and its code; known once the story is laid out.
        self._pages: list[tuple[int, layout.SheetCode]] = []
        self._heads: dict[int, str] = {}  # per sheet, the form that holds the meeting's lines
        self._looks: dict[tuple[bool, bool], CellStyle] | None = None

    @property
    def page_count(self) -> int:
        """Pages of the whole PDF (after build_story)."""
        return len(self._pages)

    # -- geometry: the meeting's header block sits between the page header and the table

    @property
    def frame_height(self) -> float:
        return super().frame_height - SHEET_HEAD

    @property
    def rows_per_page(self) -> int:
        return int((self.frame_height - HEADER_ROW_HEIGHT) // ROW_HEIGHT)

    def columns(self) -> list[tuple[str, float]]:
        return [(t, (right - left) * mm) for t, left, right in layout.columns(self.show_phones, self._width_mm)]

    @property
    def _width_mm(self) -> float:
        return round(self.frame_width / mm, 1)  # the QR code carries it to the scan reader

    # -- page furniture

    def draw_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        top = height - HEADER_SPACE  # the body frame's top before the sheet header takes its part
        qr_x = width - MARGIN - QR_SIZE
        qr_y = top - layout.QR_TOP_GAP_MM * mm - QR_SIZE
        page = canvas.getPageNumber()
        index, code = self._pages[page - 1] if page <= len(self._pages) else (0, None)
        head = self._heads.get(index)
        if head is None:
            # All but the QR code and the page number is the same on every page of a sheet (the
            # report's header and footer, the meeting's lines): laid out once, as a form its pages show.
            self.sheet = self.sheets[index]
            self.center_name = self.sheet.center_name
            head = self._heads[index] = f"signinhead{id(canvas):x}s{index}"
            canvas.beginForm(head)
            super().draw_page(canvas, doc)
            canvas.saveState()
            for x, y, runs, size in self._sheet_head(qr_x, qr_y, top):
                obj = canvas.beginText(x, y)  # as draw_text does
                for name, run in runs:
                    obj.setFont(name, size)
                    obj.textOut(run)
                canvas.drawText(obj)
            canvas.restoreState()
            canvas.endForm()
        elif self._progress is not None:
            self._progress(doc.page)  # what the base's draw_page does for each page besides drawing
        canvas.doForm(head)
        if code is not None and self.coded:
            draw_qr(canvas, code.text(), qr_x, qr_y, QR_SIZE)

    def draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        """第 X 页 / 共 Y 页 of the page's own sheet: in a batch each sheet counts its own pages."""
        if page <= len(self._pages):
            code = self._pages[page - 1][1]
            page, total = code.page, code.pages
        super().draw_page_number(canvas, page, total)

    def heading(self, sheet: SigninSheet) -> str:
        return heading(sheet.org_name, sheet.kind)

    def head_lines(self, sheet: SigninSheet) -> list[str]:
        """The two lines under the heading."""
        # 主持人 and 授课人 follow the time, whose line has room to spare, so that the place's line,
        # the shortest of the three, is left to the place and 应到: a usual room name prints whole.
        people = f"　主持人：{sheet.host}" + (f"　授课人：{sheet.lecturer}" if sheet.lecturer else "")
        return [f"会议主题：{sheet.title}",
                f"会议时间：{when(sheet.meeting_date, sheet.start_time, sheet.end_time)}{people}"]

    def third_line(self, sheet: SigninSheet) -> tuple[str, int]:
        """The third line (its value shortened to leave room for 应到) and how many are expected."""
        expected = sum(1 for line in sheet.lines if "列席" not in line.notes and not line.excused_reason)
        return f"会议地点：{sheet.place}", expected

    def _sheet_head(self, qr_x: float, qr_y: float, top: float) -> list[tuple[float, float, list, float]]:
        """The meeting's lines beside the QR code, the same on every page: (x, y, font runs, size) each."""
        assert self.font is not None
        font, sheet = self.font, self.sheet
        width = self.pagesize[0]
        out = []
        if not self.coded:  # no code: the lines have the page's width
            qr_x = width - MARGIN + 4 * mm

        def put(x: float, y: float, text: str, size: float, align: str = "LEFT") -> None:
            if align == "RIGHT":
                x -= text_width(text, font, size)
            elif align == "CENTER":
                x -= text_width(text, font, size) / 2
            out.append((x, y, text_runs(text, font), size))

        room = qr_x - MARGIN - 4 * mm
        put(MARGIN + room / 2, top - 9 * mm, _clip(self.heading(sheet), font, 15, room), 15, "CENTER")
        y = top - 16 * mm
        for text in self.head_lines(sheet):
            put(MARGIN, y, _clip(text, font, 10, room), 10)
            y -= 5.5 * mm
        if self.coded:
            # The third line shares its baseline with the 编号 under the QR code, and stops short of it.
            number = f"编号 {sheet.number}"
            put(width - MARGIN, qr_y - 3.2 * mm, number, 7, "RIGHT")
            room = min(room, width - MARGIN - text_width(number, font, 7) - MARGIN - 3 * mm)
        # 应到 always shows: a long place gives way to it, not the other way round.
        place, expected = self.third_line(sheet)
        tail = f"　应到：{expected} 人"
        label = place[:place.index("：") + 1] if "：" in place else ""
        place = _clip(place, font, 10, max(room - text_width(tail, font, 10), text_width(f"{label}…", font, 10)))
        put(MARGIN, y, _clip(place + tail, font, 10, room), 10)
        return out

    # -- the table

    def _cell(self, text: str, width: float, styles_name: str = "Cell") -> tuple[object, bool]:
        """A plain string (fast) where one font draws it and it fits, else a wrapping Paragraph.

        Returns the cell and whether it must be drawn in the Latin companion font.
        """
        assert self.font is not None and self.styles is not None
        runs = text_runs(text, self.font)
        if not runs:
            return "", False
        if len(runs) == 1:
            name, run = runs[0]
            if stringWidth(run, name, CELL_FONT_SIZE) <= width - 2 * 3 - 0.5:
                return text, name != self.font.name
        return Paragraph(rich(text, self.font), self.styles["Small"]), False

    def _plain_cell(self, text: str, width: float) -> tuple[object, bool]:
        """_cell, remembering which texts fit as plain strings: a branch's names, groups and
        numbers come back on every sheet it prints (a Paragraph is made afresh each time)."""
        font = self.font
        assert font is not None
        key = (font.name, font.path, font.subfont_index, font.latin_name, text, width)
        is_latin = _PLAIN_CELLS.get(key)
        if is_latin is not None:
            return text, is_latin
        found = self._cell(text, width)
        if isinstance(found[0], str):
            if len(_PLAIN_CELLS) >= 50_000:
                _PLAIN_CELLS.clear()
            _PLAIN_CELLS[key] = found[1]
        return found

    def _rows(self, sheet: SigninSheet) -> list[list[str]]:
        out = []
        for i, line in enumerate(sheet.lines, start=1):
            leave = f"请假：{line.leave_reason}" if line.leave_reason else ""
            row = [str(i), line.name, line.group]
            if self.show_phones:
                row.append(mask_phone(line.mobile))
            row += ["", leave, line.notes]
            out.append(row)
        return out

    def _cell_styles(self) -> dict[tuple[bool, bool], CellStyle]:
        """The four looks a cell can have, (centred, Latin font): shared by every cell that has it.

        What style commands over every cell would set one cell at a time (font,
        middle alignment, padding), set once: the table only reads them.
        """
        assert self.font is not None
        if self._looks is None:
            self._looks = {}
            for centred in (False, True):
                for latin in (False, True):
                    look = CellStyle("signin")
                    look.fontname = self.font.latin_name if latin else self.font.name
                    look.fontsize, look.leading = CELL_FONT_SIZE, CELL_FONT_SIZE * 1.2
                    look.valign = "MIDDLE"
                    look.alignment = "CENTER" if centred else "LEFT"
                    look.leftPadding = look.rightPadding = 3
                    look.topPadding = look.bottomPadding = 1
                    self._looks[(centred, latin)] = look
        return self._looks

    def _page_table(self, header: list[str], rows: Sequence[Sequence[str]]) -> Table:
        cols = self.columns()
        widths = [w for _, w in cols]
        looks = self._cell_styles()
        head_look = looks[(True, False)]
        texts = [(0, c, title, head_look) for c, title in enumerate(header)]  # drawn by the table, one object
        data: list[list[object]] = [[NOTHING] * len(header)]
        styles = [[head_look] * len(header)]
        commands: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ]
        for r, row in enumerate(rows, start=1):
            cells, row_styles = [], []
            for c, text in enumerate(row):
                if not text:  # most cells: the signature column and the blank rows
                    cells.append(NOTHING)
                    row_styles.append(looks[(c == 0, False)])
                    continue
                cell, is_latin = self._plain_cell(text, widths[c])
                look = looks[(c == 0, is_latin)]
                if isinstance(cell, str):
                    if cell:
                        texts.append((r, c, cell, look))
                    cell = NOTHING
                cells.append(cell)
                row_styles.append(look)
            data.append(cells)
            styles.append(row_styles)
        heights = [HEADER_ROW_HEIGHT] + [ROW_HEIGHT] * len(rows)
        return _MarkedTable(data, colWidths=widths, rowHeights=heights, style=commands, cellStyles=styles,
                            texts=texts, marks=self.coded)

    def build_story(self) -> list[Flowable]:
        self._pages = []
        story: list[Flowable] = []
        for index, sheet in enumerate(self.sheets):
            if index:
                story.append(PageBreak())
            story += self._sheet_story(index, sheet)
        return story

    def _sheet_story(self, index: int, sheet: SigninSheet) -> list[Flowable]:
        assert self.styles is not None
        header = [t for t, _ in self.columns()]
        rows = self._rows(sheet)
        per_page = self.rows_per_page
        last_page_room = per_page - int(TALLY_HEIGHT // ROW_HEIGHT)
        # Whole pages, then as many blank rows as fill the last one (at least min_blank_rows).
        needed = len(rows) + self.min_blank_rows
        pages = max(1, -(-max(needed - last_page_room, 0) // per_page) + 1)
        total = (pages - 1) * per_page + last_page_room
        blank = [""] * len(header)
        rows += [blank] * (total - len(rows))
        story: list[Flowable] = []
        names = [line.name for line in sheet.lines]
        for p in range(pages):
            chunk = rows[p * per_page:(p + 1) * per_page]
            self._pages.append((index, layout.SheetCode(
                sheet.number, p + 1, pages, p * per_page + 1, len(chunk), self.show_phones,
                layout.names_hash(names[p * per_page:(p + 1) * per_page]), self._width_mm)))
            story.append(self._page_table(header, chunk))
            if p < pages - 1:
                story.append(PageBreak())
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(
            rich(GAP.join(self.TALLY), self.font), self.styles["Normal"]))
        return story


render_signin = model_renderer(
    SigninReport, "The sign-in sheet PDF as bytes; also written to `out` (atomically) when given. "
    "Options: show_phones (masked mobiles in a column), min_blank_rows (rows left for walk-ins).")


def render_signin_sheets(sheets: Sequence[SigninSheet], out: Path | None = None, printed_on: date | None = None, *,
                         font_path: str | None = None, progress: Callable[[int, int], None] | None = None,
                         **options: object) -> bytes:
    """Several sign-in sheets as one PDF, each from a new page, in the order given; also written to `out`.

    `progress(page, pages)` is called as each page starts (it may raise to cancel); `options` as render_signin's.
    """
    report: SigninReport | None = None

    def each_page(page: int) -> None:
        assert progress is not None and report is not None
        progress(page, report.page_count)

    report = SigninReport(sheets, printed_on=printed_on, font_path=font_path,
                          progress=each_page if progress is not None else None, **options)  # type: ignore[arg-type]
    return report.render_to(out)
