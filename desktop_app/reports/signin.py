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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak, Paragraph, Spacer, Table

from desktop_app.domain.idcard import mask_phone
from desktop_app.reports.base import (
    A4_PORTRAIT, CELL_FONT_SIZE, GRID_COLOR, HEADER_FILL, HEADER_SPACE, MARGIN, ReportRenderer, chinese_date,
    draw_text, rich, text_width,
)
from desktop_app.reports.fonts import FontInfo, text_runs
from desktop_app.views import signin_scan as layout
from desktop_app.views.meetings import SigninLine, SigninSheet  # noqa: F401 - the model this renders

SHEET_HEAD = layout.SHEET_HEAD_MM * mm  # the meeting's header block under the page header
ROW_HEIGHT = layout.ROW_MM * mm  # room for a signature
HEADER_ROW_HEIGHT = layout.HEADER_ROW_MM * mm
QR_SIZE = layout.QR_MM * mm
MIN_BLANK_ROWS = 4
GAP = "\u00a0" * 5  # Paragraph collapses ordinary and ideographic spaces; no-break spaces stay
TALLY_HEIGHT = 2 * ROW_HEIGHT  # 实到 / 请假 / 缺席 fill-in line under the last table


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


def qr_matrix(value: str) -> list[list[bool]]:
    """The QR code of `value` as rows of dark modules (no quiet zone; the page margin is one)."""
    import qrcode  # a few ms per code; reportlab's own encoder is several times slower
    from qrcode.constants import ERROR_CORRECT_M

    # Every page has its own code now; choosing the mask by trying all eight costs ~6x the encoding,
    # and any mask reads as well on clean print.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(value)
    code.make(fit=True)
    return code.get_matrix()


class _QrForm:
    """The QR code drawn once per document as a form XObject and placed on every page."""

    def __init__(self, value: str, size: float):
        self.value, self.size = value, size
        self.name = ""

    def place(self, canvas: Canvas, x: float, y: float) -> None:
        if not self.name:
            self.name = f"qr{abs(hash((self.value, id(canvas)))):x}"
            rows = qr_matrix(self.value)
            cell = self.size / len(rows)
            canvas.beginForm(self.name)
            path = canvas.beginPath()
            for r, row in enumerate(rows):
                top = self.size - (r + 1) * cell
                c = 0
                while c < len(row):  # one rectangle per run of dark modules
                    if row[c]:
                        start = c
                        while c < len(row) and row[c]:
                            c += 1
                        path.rect(start * cell, top, (c - start) * cell, cell)
                    else:
                        c += 1
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawPath(path, stroke=0, fill=1)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(self.name)
        canvas.restoreState()


class _MarkedTable(Table):
    """A page's table with the registration squares beside its four corners."""

    def draw(self) -> None:
        super().draw()
        canvas, size, gap = self.canv, layout.MARK_MM * mm, layout.MARK_GAP_MM * mm
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for x in (-gap - size, self._width + gap):
            for y in (0, self._height - size):
                canvas.rect(x, y, size, size, stroke=0, fill=1)
        canvas.restoreState()


class SigninReport(ReportRenderer):
    title = "签到表"
    pagesize = A4_PORTRAIT
    margin_from_settings = False  # the scan reader finds the table at the fixed MARGIN

    def __init__(
        self,
        sheet: SigninSheet,
        *,
        show_phones: bool = False,
        min_blank_rows: int = MIN_BLANK_ROWS,
        printed_on: date | None = None,
        font_path: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(sheet.center_name, printed_on=printed_on, font_path=font_path, progress=progress)
        self.sheet = sheet
        self.show_phones = show_phones
        self.min_blank_rows = max(0, min_blank_rows)
        self._codes: list[layout.SheetCode] = []  # one per page, known once the story is laid out
        self._qr: dict[int, _QrForm] = {}

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
        super().draw_page(canvas, doc)
        assert self.font is not None
        font, sheet = self.font, self.sheet
        width, height = self.pagesize
        top = height - HEADER_SPACE  # the body frame's top before the sheet header takes its part
        canvas.saveState()
        qr_x = width - MARGIN - QR_SIZE
        qr_y = top - layout.QR_TOP_GAP_MM * mm - QR_SIZE
        page = canvas.getPageNumber()
        if page <= len(self._codes):
            form = self._qr.setdefault(page, _QrForm(self._codes[page - 1].text(), QR_SIZE))
            form.place(canvas, qr_x, qr_y)
        draw_text(canvas, width - MARGIN, qr_y - 3.2 * mm, f"编号 {sheet.number}", font, 7, "RIGHT")
        room = qr_x - MARGIN - 4 * mm
        draw_text(canvas, MARGIN + room / 2, top - 9 * mm,
                  _clip(heading(sheet.org_name, sheet.kind), font, 15, room), font, 15, "CENTER")
        lines = [f"会议主题：{sheet.title}", f"会议时间：{when(sheet.meeting_date, sheet.start_time, sheet.end_time)}"]
        third = [f"会议地点：{sheet.place}" if sheet.place else "会议地点：", f"主持人：{sheet.host}"]
        if sheet.lecturer:
            third.append(f"授课人：{sheet.lecturer}")
        expected = sum(1 for line in sheet.lines if "列席" not in line.notes and not line.excused_reason)
        third.append(f"应到：{expected} 人")
        lines.append("　".join(third))
        y = top - 16 * mm
        for text in lines:
            draw_text(canvas, MARGIN, y, _clip(text, font, 10, room), font, 10)
            y -= 5.5 * mm
        canvas.restoreState()

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

    def _rows(self) -> list[list[str]]:
        out = []
        for i, line in enumerate(self.sheet.lines, start=1):
            leave = f"请假：{line.leave_reason}" if line.leave_reason else ""
            row = [str(i), line.name, line.group]
            if self.show_phones:
                row.append(mask_phone(line.mobile))
            row += ["", leave, line.notes]
            out.append(row)
        return out

    def _page_table(self, header: list[str], rows: Sequence[Sequence[str]]) -> Table:
        assert self.font is not None
        cols = self.columns()
        widths = [w for _, w in cols]
        data: list[list[object]] = [list(header)]
        commands: list[tuple] = [
            ("FONT", (0, 0), (-1, -1), self.font.name, CELL_FONT_SIZE),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
        latin = self.font.latin_name
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, text in enumerate(row):
                cell, is_latin = self._cell(text, widths[c])
                if is_latin:
                    commands.append(("FONTNAME", (c, r), (c, r), latin))
                cells.append(cell)
            data.append(cells)
        heights = [HEADER_ROW_HEIGHT] + [ROW_HEIGHT] * len(rows)
        return _MarkedTable(data, colWidths=widths, rowHeights=heights, style=commands)

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None
        header = [t for t, _ in self.columns()]
        rows = self._rows()
        per_page = self.rows_per_page
        last_page_room = per_page - int(TALLY_HEIGHT // ROW_HEIGHT)
        # Whole pages, then as many blank rows as fill the last one (at least min_blank_rows).
        needed = len(rows) + self.min_blank_rows
        pages = max(1, -(-max(needed - last_page_room, 0) // per_page) + 1)
        total = (pages - 1) * per_page + last_page_room
        blank = [""] * len(header)
        rows += [blank] * (total - len(rows))
        story: list[Flowable] = []
        names = [line.name for line in self.sheet.lines]
        self._codes = []
        for p in range(pages):
            chunk = rows[p * per_page:(p + 1) * per_page]
            self._codes.append(layout.SheetCode(
                self.sheet.number, p + 1, pages, p * per_page + 1, len(chunk), self.show_phones,
                layout.names_hash(names[p * per_page:(p + 1) * per_page]), self._width_mm))
            story.append(self._page_table(header, chunk))
            if p < pages - 1:
                story.append(PageBreak())
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(
            rich(GAP.join(("实到＿＿＿＿人", "请假＿＿＿＿人", "缺席＿＿＿＿人", "列席＿＿＿＿人",
                           "记录人（签字）＿＿＿＿＿＿")), self.font), self.styles["Normal"]))
        return story


def render_signin(
    sheet: SigninSheet,
    out: Path | None = None,
    *,
    show_phones: bool = False,
    min_blank_rows: int = MIN_BLANK_ROWS,
    printed_on: date | None = None,
    font_path: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The sign-in sheet PDF as bytes; also written to `out` (atomically) when given."""
    report = SigninReport(sheet, show_phones=show_phones, min_blank_rows=min_blank_rows,
                          printed_on=printed_on, font_path=font_path, progress=progress)
    return report.render_to(out)
