"""What every PDF form shares: page setup, CJK styles, header and footer, long tables, safe output.

One renderer class per form (pretix's shape): it registers the font, builds a
stylesheet, builds the story and returns bytes. Subclasses set `title` and
`pagesize` and implement `build_story()`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus.flowables import _listWrapOn

from desktop_app import APP_NAME
from desktop_app.domain.clock import chinese_date
from desktop_app.files import write_atomically
from desktop_app.reports import linebreak
from desktop_app.reports.fonts import FontInfo, register_cjk_font, text_runs

# Chinese line-start and line-end rules (标点禁则) in every CJK-wrapped paragraph, without
# the punctuation hanging past a cell's border that reportlab's own rule allows.
linebreak.install()

A4_PORTRAIT: tuple[float, float] = A4
A4_LANDSCAPE: tuple[float, float] = landscape(A4)

MARGIN = 15 * mm
HEADER_SPACE = 20 * mm  # page edge to the top of the body frame
FOOTER_SPACE = 16 * mm  # page edge to the bottom of the body frame

# STYLE.md: one 10,000-row Table takes 9 s to lay out, 40-row tables 2.65 s.
CHUNK_ROWS = 40

# Body rows (or list items) a heading needs under it on its page; fewer and it moves to the next page.
KEEP_ROWS = 3

CELL_FONT_SIZE = 9
CELL_LEADING = 11
CELL_PAD_X = 3
CELL_PAD_Y = 2
GRID_COLOR = colors.black
HEADER_FILL = colors.HexColor("#E6E6E6")


def iso_date(d: date | None) -> str:
    """1985-03-02 in table cells: compact and sortable by eye; blank when unknown."""
    return d.isoformat() if d else ""


def rich(text: str, font: FontInfo) -> str:
    """Paragraph markup for plain text: escaped, with runs the CJK font lacks put in its Latin companion."""
    parts = []
    for name, run in text_runs(text, font):
        run = escape(run).replace("\n", "<br/>")
        parts.append(run if name == font.name else f'<font face="{name}">{run}</font>')
    return "".join(parts)


def text_width(text: str, font: FontInfo, size: float) -> float:
    return sum(stringWidth(run, name, size) for name, run in text_runs(text, font))


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: FontInfo, size: float, align: str = "LEFT") -> None:
    """canvas.drawString that switches fonts mid-string where needed; align LEFT / CENTER / RIGHT at x."""
    if align == "RIGHT":
        x -= text_width(text, font, size)
    elif align == "CENTER":
        x -= text_width(text, font, size) / 2
    # One text object, so the PDF keeps the runs as one line for search and copy.
    obj = canvas.beginText(x, y)
    for name, run in text_runs(text, font):
        obj.setFont(name, size)
        obj.textOut(run)
    canvas.drawText(obj)


def build_stylesheet(font_name: str) -> StyleSheet1:
    """CJK paragraph styles; wordWrap="CJK" lets lines break between any two characters."""
    sheet = StyleSheet1()
    base = ParagraphStyle(
        "Normal", fontName=font_name, fontSize=10, leading=14, wordWrap="CJK", alignment=TA_LEFT
    )
    sheet.add(base)
    sheet.add(ParagraphStyle("Title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4))
    sheet.add(ParagraphStyle("Subtitle", parent=base, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=8))
    sheet.add(ParagraphStyle("Heading", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4))
    sheet.add(ParagraphStyle("Small", parent=base, fontSize=8, leading=10))
    for name, align in (("Cell", TA_LEFT), ("CellCenter", TA_CENTER), ("CellRight", TA_RIGHT)):
        sheet.add(ParagraphStyle(name, parent=base, fontSize=CELL_FONT_SIZE, leading=CELL_LEADING, alignment=align))
    return sheet


# ---------------------------------------------------------------- long tables


@dataclass(frozen=True)
class Column:
    """One table column: `width` is relative; widths are scaled to fill the frame."""

    title: str
    width: float
    align: str = "LEFT"  # LEFT | CENTER | RIGHT


_ALIGN_STYLE = {"LEFT": "Cell", "CENTER": "CellCenter", "RIGHT": "CellRight"}


# How a plain-string cell must be drawn: by the CJK font, by its Latin companion, or either (empty).
_CJK, _LATIN, _ANY = 0, 1, 2


def _latin_commands(kinds: list[list[int]], first_row: int, latin_name: str) -> list[tuple]:
    """FONT commands for the cells drawn in the Latin font, one per vertical run in a column."""
    commands: list[tuple] = []
    if not kinds:
        return commands
    for col in range(len(kinds[0])):
        start: int | None = None
        has_latin = False
        for row, row_kinds in enumerate([*kinds, [_CJK] * len(kinds[0])]):  # sentinel closes the last run
            kind = row_kinds[col]
            if kind == _CJK:
                if start is not None and has_latin:
                    commands.append(("FONTNAME", (col, first_row + start), (col, first_row + row - 1), latin_name))
                start, has_latin = None, False
                continue
            if start is None:
                start = row
            has_latin = has_latin or kind == _LATIN
    return commands


class _TableChunk(Flowable):
    """A run of rows that shows the header row only where a reader needs it.

    The first chunk after a heading always has it; a later chunk has it only when
    it starts at the top of a page, so chunking leaves no stray headers mid-page.
    Rows that spill onto the next page come back as a new chunk, which is then at
    the top of that page and so gets the header too (the effect of repeatRows=1).
    """

    def __init__(
        self,
        header: list[Any],
        body: list[list[Any]],
        kinds: list[list[int]],
        col_widths: list[float],
        commands: list[tuple],
        header_commands: list[tuple],
        latin_name: str,
        force_header: bool,
    ) -> None:
        super().__init__()
        self._header = header
        self._body = body
        self._kinds = kinds
        self._col_widths = col_widths
        self._commands = commands
        self._header_commands = header_commands
        self._latin_name = latin_name
        self._force_header = force_header
        self._tables: dict[bool, Table] = {}
        self._current: Table | None = None

    def _want_header(self) -> bool:
        if self._force_header:
            return True
        frame = getattr(self, "_frame", None)  # set by the Frame while it places us
        return frame is None or bool(getattr(frame, "_atTop", True))

    def _table(self, with_header: bool) -> Table:
        table = self._tables.get(with_header)
        if table is None:
            first = 1 if with_header else 0
            style = self._commands + _latin_commands(self._kinds, first, self._latin_name)
            if with_header:
                table = Table(
                    [self._header, *self._body],
                    colWidths=self._col_widths,
                    repeatRows=1,
                    style=style + self._header_commands,
                )
            else:
                table = Table(self._body, colWidths=self._col_widths, style=style)
            self._tables[with_header] = table
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._current = self._table(self._want_header())
        self.width, self.height = self._current.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        assert self._current is not None, "drawOn before wrap"
        self._current.drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        with_header = self._want_header()
        parts = self._table(with_header).split(availWidth, availHeight)
        if len(parts) < 2:
            return parts  # [] = nothing fits here: the frame moves us to the next page
        first = parts[0]
        placed = len(first._cellvalues) - (1 if with_header else 0)
        rest = _TableChunk(
            self._header, self._body[placed:], self._kinds[placed:], self._col_widths,
            self._commands, self._header_commands, self._latin_name, force_header=True,
        )
        return [first, rest]

    def cut(self, at: int) -> tuple[_TableChunk, _TableChunk]:
        """The rows before `at` and the rows from it, as two chunks that still read as one table."""
        def part(rows: slice, force_header: bool) -> _TableChunk:
            return _TableChunk(self._header, self._body[rows], self._kinds[rows], self._col_widths,
                               self._commands, self._header_commands, self._latin_name, force_header)

        return part(slice(None, at), self._force_header), part(slice(at, None), False)

    def lead(self, rows: int) -> Table:
        """The header and the first `rows` rows as a table of their own: the height a heading needs under it."""
        return Table([self._header, *self._body[:rows]], colWidths=self._col_widths,
                     style=self._commands + self._header_commands)


class _Top(Flowable):
    """Stands for the start of a flowable when measuring (a table's first rows, a paragraph's first lines);
    never drawn. `height_of(whole, height)` is the start's height given the whole one's."""

    def __init__(self, whole: Flowable, height_of: Callable[[Any, float], float]) -> None:
        super().__init__()
        self._whole, self._height_of = whole, height_of

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self._whole.wrap(availWidth, availHeight)
        return width, self._height_of(self._whole, height)


def _table_top(table: Table, rows: int) -> _Top:
    def height_of(t: Table, height: float) -> float:
        heights = getattr(t, "_rowHeights", None)
        return sum(heights[:rows]) if heights else height

    return _Top(table, height_of)


def _paragraph_top(para: Paragraph, lines: int) -> _Top:
    return _Top(para, lambda p, height: min(height, lines * p.style.leading))


class _KeepWithStart(KeepTogether):
    """A heading with what it heads, the heading moving to the next page unless the start fits under it.

    Unlike KeepTogether over the whole, only the start must fit (a table's header and first
    rows, a list's first items): a long table still splits across pages, header repeated.
    """

    def __init__(self, heads: list[Flowable], body: list[Flowable], start: list[Flowable]) -> None:
        super().__init__([*heads, *body])
        self._heads, self._body, self._start = heads, body, start
        self._measured = [*heads, *start]

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        dims: list[tuple[float, float]] = []
        width, self._H = _listWrapOn(self._measured, aW, self.canv, dims=dims)
        self._H0 = dims[0][1] if dims else 0
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # KeepTogether's way to be asked to split: split() then decides


def _start_of(body: Sequence[Flowable], rows: int) -> list[Flowable]:
    """What must fit under a heading: a table's header and first `rows` rows, else the first `rows` flowables."""
    first = body[0]
    if isinstance(first, _TableChunk):
        return [first.lead(rows)]
    if isinstance(first, Table):
        repeat = first.repeatRows
        header = repeat if isinstance(repeat, int) else len(repeat)
        return [_table_top(first, header + rows)]
    # a kept-together block measures as its content (its own wrap asks for the whole page)
    return [g for f in body[:rows] for g in (f._content if isinstance(f, KeepTogether) else [f])]


def keep_with_start(heads: Flowable | Sequence[Flowable], body: Sequence[Flowable],
                    rows: int = KEEP_ROWS, lines: int | None = None) -> list[Flowable]:
    """`heads` (a heading, a caption, a name line) followed by `body`, never left alone at a page's foot.

    The heads go to the next page unless they fit together with the body's start: a table's header
    and first `rows` rows, or a list's first `rows` flowables. The body itself still splits freely.
    With `lines`, a body opening with a paragraph needs only that paragraph's first `lines` lines under
    the heads: running text (minutes, a report's prose) splits under its heading instead of leaving a
    page's gap above a long first paragraph.
    """
    heads = [heads] if isinstance(heads, Flowable) else list(heads)
    # No heads: nothing to keep, and a split led by a table too tall to place whole is reportlab's LayoutError.
    if not heads or not body:
        return [*heads, *body]
    if lines is not None and isinstance(body[0], Paragraph):
        return [_KeepWithStart(heads, list(body), [_paragraph_top(body[0], lines)])]
    return [_KeepWithStart(heads, list(body), _start_of(body, rows))]


def keep_with_end(story: Sequence[Flowable], tail: Flowable, rows: int = KEEP_ROWS) -> list[Flowable]:
    """`story` followed by `tail` (a sign-off, a closing line), the tail never alone at the top of a page.

    The tail takes the story's last `rows` table rows (or paragraphs, or else its last flowable) with it to the next page
    when it does not fit under them; those rows then open that page under the table's header. A
    table kept with its heading (keep_with_start) keeps its heading too.
    """
    tails = list(tail._content) if isinstance(tail, KeepTogether) else [tail]  # one level: headings measure it
    if not story:
        return [tail]
    *before, last = story
    if isinstance(last, _KeepWithStart):
        if len(last._body) > 1:  # what the heading keeps (its body's start) stays as it was measured
            return [*before, _KeepWithStart(last._heads, [last._body[0], *keep_with_end(last._body[1:], tail, rows)],
                                            last._start)]
        body = keep_with_end(last._body, tail, rows)
        return [*before, _KeepWithStart(last._heads, body, _start_of(body, rows))]
    if isinstance(last, _TableChunk) and len(last._body) > rows:
        last, end = last.cut(len(last._body) - rows)
        return [*before, last, KeepTogether([end, *tails])]
    # running text (a minutes' lines) gives its last `rows` paragraphs; anything else its last flowable
    lines = list(story[-rows:])
    if len(lines) > 1 and all(isinstance(f, (Paragraph, Spacer)) for f in lines):
        return [*story[:-len(lines)], KeepTogether([*lines, *tails])]
    return [*before, KeepTogether([last, *tails])]


def chunked_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    styles: StyleSheet1,
    font: FontInfo,
    available_width: float,
    chunk_rows: int = CHUNK_ROWS,
) -> list[Flowable]:
    """A long table as a list of ~40-row tables that read as one, header on every page.

    Cells are plain strings (fast) when one font can draw them and they fit;
    otherwise a CJK-wrapping Paragraph, so nothing spills over the grid.
    """
    total = sum(c.width for c in columns)
    widths = [available_width * c.width / total for c in columns]
    room = [w - 2 * CELL_PAD_X - 0.5 for w in widths]
    cell_styles = [styles[_ALIGN_STYLE[c.align]] for c in columns]

    def cell(text: str, i: int) -> tuple[Any, int]:
        runs = text_runs(text, font)
        if not runs:
            return "", _ANY
        if len(runs) == 1 and "\n" not in text:
            name, run = runs[0]
            if stringWidth(run, name, CELL_FONT_SIZE) <= room[i]:
                return text, (_CJK if name == font.name else _LATIN)
        return Paragraph(rich(text, font), cell_styles[i]), _ANY

    header = [cell(c.title, i)[0] for i, c in enumerate(columns)]
    body: list[list[Any]] = []
    kinds: list[list[int]] = []
    for row in rows:
        cells = [cell(str(v), i) for i, v in enumerate(row)]
        body.append([c for c, _ in cells])
        kinds.append([k for _, k in cells])

    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font.name, CELL_FONT_SIZE, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y + 1),
    ]
    commands += [("ALIGN", (i, 0), (i, -1), c.align) for i, c in enumerate(columns)]
    header_commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ]
    if not body:
        return [Table([header], colWidths=widths, style=commands + header_commands)]
    return [
        _TableChunk(
            header, body[start:start + chunk_rows], kinds[start:start + chunk_rows], widths,
            commands, header_commands, font.latin_name, force_header=start == 0,
        )
        for start in range(0, len(body), chunk_rows)
    ]


# ---------------------------------------------------------------- page furniture


class NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say "共 Y 页".

    `page_number_drawer(canvas, page, total)` draws the page number on each page.
    """

    def __init__(self, *args: Any, page_number_drawer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self._page_number_drawer = page_number_drawer

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._page_number_drawer(self, number, total)
            super().showPage()
        super().save()


def form_table(rows: Sequence[Sequence[str]], widths: Sequence[float], styles, font: FontInfo,
               label_cols: Sequence[int] = (0,), min_heights: dict[int, float] | None = None) -> Table:
    """A bordered form: label cells shaded, value cells wrapping Chinese text.

    An empty string after a value cell means "this value spans over here too".
    `min_heights` gives rows room to write in by hand; a longer text still grows the row.
    """
    pad = 4
    body: list[list] = []
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), font.name, CELL_FONT_SIZE, CELL_LEADING),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    heights: list[float | None] = []
    for r, row in enumerate(rows):
        cells: list = []
        tallest = 0.0
        c = 0
        while c < len(row):
            text = row[c]
            is_label = c in label_cols
            end = c
            if not is_label:  # a value spans the blank cells after it
                while end + 1 < len(row) and row[end + 1] == "":
                    end += 1
            style = styles["CellCenter"] if is_label else styles["Cell"]
            para = Paragraph(rich(text, font), style) if text else ""
            if para:
                width = sum(widths[c:end + 1]) - 6
                tallest = max(tallest, para.wrap(width, 10_000)[1])
            cells.append(para)
            cells.extend([""] * (end - c))
            if end > c:
                commands.append(("SPAN", (c, r), (end, r)))
            if is_label:
                commands.append(("BACKGROUND", (c, r), (c, r), HEADER_FILL))
            c = end + 1
        body.append(cells)
        wanted = (min_heights or {}).get(r)
        if wanted and tallest + 2 * pad < wanted:
            heights.append(wanted)
            commands += [("VALIGN", (c, r), (c, r), "TOP") for c in range(len(row)) if c not in label_cols]
        else:
            heights.append(None)
    return Table(body, colWidths=list(widths), rowHeights=heights, style=commands)


class ReportRenderer:
    """Base of every PDF form. Subclasses set `title`, `pagesize` and write `build_story`."""

    title: str = ""
    pagesize: tuple[float, float] = A4_PORTRAIT
    margin: float = MARGIN
    margin_from_settings: bool = True  # False where a reader finds printed parts at the fixed MARGIN

    def __init__(
        self,
        center_name: str,
        *,
        printed_on: date | None = None,
        font_path: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """`font_path` None means the one in Settings; `progress(page)` is called as each
        page starts and may raise to cancel (a background job's cancel button)."""
        self.center_name = center_name
        self.printed_on = printed_on or date.today()
        self._font_path = font_path
        self._progress = progress
        self.font: FontInfo | None = None
        self.styles: StyleSheet1 | None = None

    # -- the steps, in order

    def register_fonts(self) -> FontInfo:
        path = self._font_path
        if path is None:
            from desktop_app.settings import Settings  # read lazily: a report may run without settings

            path = Settings.load().pdf_font_path
        return register_cjk_font(path or None)

    def apply_page_settings(self) -> None:
        """The paper and side margins chosen in 设置 (A4, 15 mm unless changed); a landscape form stays landscape."""
        from desktop_app.settings import Settings

        chosen = Settings.load()
        width, height = chosen.page_mm(landscape=self.pagesize[0] > self.pagesize[1])
        self.pagesize = (width * mm, height * mm)
        if self.margin_from_settings:
            self.margin = chosen.margin() * mm

    def build_stylesheet(self, font_name: str) -> StyleSheet1:
        return build_stylesheet(font_name)

    def build_story(self) -> list[Flowable]:
        raise NotImplementedError

    # -- building blocks of a story (after the font and styles are set)

    def para(self, text: str, style: str = "Normal") -> Paragraph:
        assert self.styles is not None and self.font is not None
        return Paragraph(rich(text, self.font), self.styles[style])

    def heading(self, subtitle: str = "") -> list[Flowable]:
        """The form's title under the center's name, and a subtitle line when there is one."""
        out: list[Flowable] = [self.para(f"{self.center_name}{self.title}", "Title")]
        if subtitle:
            out.append(self.para(subtitle, "Subtitle"))
        return out

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        return chunked_table(columns, rows, self.styles, self.font, self.frame_width)

    def headed(self, head: str | Flowable | Sequence[Flowable], body: Sequence[Flowable],
               rows: int = KEEP_ROWS) -> list[Flowable]:
        """A heading (text in the Heading style, or flowables) kept with the start of `body`; see keep_with_start."""
        return keep_with_start(self.para(head, "Heading") if isinstance(head, str) else head, body, rows)

    def form(self, rows: Sequence[Sequence[str]], widths: Sequence[float], label_cols: Sequence[int] = (0, 2),
             min_heights: dict[int, float] | None = None) -> Table:
        assert self.styles is not None and self.font is not None
        return form_table(rows, widths, self.styles, self.font, label_cols=label_cols, min_heights=min_heights)

    def pair_widths(self, label: float) -> list[float]:
        """The columns of a form with two label/value pairs a row: each label `label` of the frame's width,
        each value the rest of its half."""
        w = self.frame_width
        return [w * label, w * (0.5 - label), w * label, w * (0.5 - label)]

    def one_per_page(self, records: Sequence[Any], one: Callable[[Any], list[Flowable]], empty: str) -> list[Flowable]:
        """Each record's flowables (`one(record)`) on a page of its own; `empty` when there is none."""
        story: list[Flowable] = []
        for i, record in enumerate(records):
            if i:
                story.append(PageBreak())
            story.extend(one(record))
        return story or [self.para(empty)]

    # -- geometry helpers for subclasses

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - HEADER_SPACE - FOOTER_SPACE

    # -- page decoration

    def draw_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header (center name, form title) and the footer's printed date, on every page."""
        assert self.font is not None
        if self._progress is not None:
            self._progress(doc.page)
        width, height = self.pagesize
        canvas.saveState()
        y = height - HEADER_SPACE + 5 * mm
        draw_text(canvas, self.margin, y, self.center_name, self.font, 9)
        draw_text(canvas, width - self.margin, y, self.title, self.font, 9, "RIGHT")
        canvas.setLineWidth(0.5)
        canvas.line(self.margin, y - 2 * mm, width - self.margin, y - 2 * mm)
        y = FOOTER_SPACE - 8 * mm
        canvas.line(self.margin, y + 4 * mm, width - self.margin, y + 4 * mm)
        draw_text(canvas, self.margin, y, f"打印日期：{chinese_date(self.printed_on)}", self.font, 9)
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        assert self.font is not None
        canvas.saveState()
        text = f"第 {page} 页 / 共 {total} 页"
        draw_text(canvas, self.pagesize[0] - self.margin, FOOTER_SPACE - 8 * mm, text, self.font, 9, "RIGHT")
        canvas.restoreState()

    # -- output

    def render(self) -> bytes:
        """The whole PDF in memory; nothing touches the disk."""
        self.apply_page_settings()
        self.font = self.register_fonts()
        self.styles = self.build_stylesheet(self.font.name)
        story = self.build_story()
        buffer = BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=HEADER_SPACE,
            bottomMargin=FOOTER_SPACE,
            title=self.title,
            author=self.center_name,
            creator=APP_NAME,
            lang="zh-CN",
            initialFontName=self.font.name,  # else every PDF references an unused Helvetica
            pageCompression=1,
        )
        frame = Frame(
            self.margin, FOOTER_SPACE, self.frame_width, self.frame_height,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.draw_page)])
        doc.build(story, canvasmaker=functools.partial(NumberedCanvas, page_number_drawer=self.draw_page_number))
        return buffer.getvalue()

    def render_to(self, out: Path | None = None) -> bytes:
        """Render; if `out` is given, replace it only once the PDF is complete."""
        data = self.render()
        if out is not None:
            write_atomically(Path(out), data, private=False)
        return data


class RecordsReport(ReportRenderer):
    """A form over a list of read-model records (`self.records`): registers, one record a page, cards."""

    def __init__(self, center_name: str, records: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(center_name, **kwargs)
        self.records = list(records)


class ModelReport(ReportRenderer):
    """A form made from one read model that names its center (`self.model`): a sheet, a register, a ledger."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(model.center_name, **kwargs)
        self.model = model


def records_renderer(cls: type[RecordsReport], doc: str) -> Callable[..., bytes]:
    """The render function of a records form: `render(records, out=None, printed_on=None, *, center_name=None,
    font_path=None, progress=None)` returns the PDF bytes (and writes `out`); the center's name defaults to
    the first record's."""
    def render(records: Sequence[Any], out: Path | None = None, printed_on: date | None = None, *,
               center_name: str | None = None, font_path: str | None = None,
               progress: Callable[[int], None] | None = None) -> bytes:
        name = center_name if center_name is not None else (records[0].center_name if records else "")
        return cls(name, records, printed_on=printed_on, font_path=font_path, progress=progress).render_to(out)

    render.__doc__ = doc
    return render


def model_renderer(cls: Callable[..., ReportRenderer], doc: str) -> Callable[..., bytes]:
    """The render function of a form made from one read model that names its center:
    `render(model, out=None, printed_on=None, *, font_path=None, progress=None, **options)`; `options` are
    the form's own keyword arguments (the sign-in sheet's show_phones, min_blank_rows)."""
    def render(model: Any, out: Path | None = None, printed_on: date | None = None, *,
               font_path: str | None = None, progress: Callable[[int], None] | None = None, **options: Any) -> bytes:
        return cls(model, printed_on=printed_on, font_path=font_path, progress=progress, **options).render_to(out)

    render.__doc__ = doc
    return render
