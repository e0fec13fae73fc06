"""年度党建工作台账 PDF: cover, contents with page numbers, figures, charts, then each module's lists.

The charts are drawn with reportlab's own graphics from the same read model the
工作台 page paints, so paper and screen show the same numbers. Every chapter is a
bookmark in the PDF outline; the contents page gets its page numbers from a
second layout pass (reportlab's multiBuild).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from desktop_app import APP_NAME
from desktop_app.reports.base import (
    CELL_FONT_SIZE, CELL_PAD_X, FOOTER_SPACE, HEADER_SPACE, Column, ModelReport, chinese_date, keep_with_start, model_renderer,
    text_width,
)
from desktop_app.views.overview import MONTHS, FolderSection

PALETTE = ("#c8161e", "#e0892b", "#2f6fb5", "#2e7d32", "#7b4fa0", "#8a8f98", "#00838f", "#b0803a")
CHAPTER_NUMBERS = "一二三四五六七八九十"


def _unbroken(text: str, whole: bool = False) -> bool:
    """A date, an amount, a number or a code: broken across lines it reads wrong (2026-11 / -14, 35,000. / 00);
    so does a name in a `whole` column, one with no space in it (第一网格党支 / 部, 已解 / 决, 入党积极分 / 子)."""
    if not text or any(c.isspace() for c in text):
        return False
    return whole or text.isascii()


def fitted_widths(weights: Sequence[float], rows: Sequence[Sequence[object]], available: float,
                  measure: Callable[[str], float], whole: Sequence[bool] = ()) -> list[float]:
    """Column widths in points filling `available`, in proportion to `weights`, except that a column
    holding dates, amounts or codes, or names where `whole` says so, is at least as wide as its widest one
    (each line of a cell on its own); the others give up the room. Where even that does not fit, the
    proportions stand."""
    total = sum(weights)
    share = [available * w / total for w in weights]
    need = [0.0] * len(weights)
    for row in rows:
        for i, value in enumerate(row[: len(weights)]):
            for line in str(value).split("\n"):
                if _unbroken(line, i < len(whole) and whole[i]):
                    need[i] = max(need[i], measure(line) + 2 * CELL_PAD_X + 1)
    widths = list(share)
    fixed: set[int] = set()
    for _ in range(len(weights)):  # a column shrunk below its own need becomes fixed too
        grow = {i for i in range(len(weights)) if i not in fixed and need[i] > widths[i]}
        if not grow:
            break
        fixed |= grow
        rest = available - sum(need[i] for i in fixed)
        free = [i for i in range(len(weights)) if i not in fixed]
        if rest <= 0 or not free:
            return share
        free_total = sum(share[i] for i in free)
        widths = [need[i] if i in fixed else share[i] * rest / free_total for i in range(len(weights))]
    return widths


def _num(i: int) -> str:
    if i <= 10:
        return CHAPTER_NUMBERS[i - 1]
    return "十" + CHAPTER_NUMBERS[i - 11] if i < 20 else str(i)


class _FolderDoc(BaseDocTemplate):
    """Headings report themselves to the contents and to the PDF outline as they are placed.

    Pages go straight to the file (a deferring canvas would point every bookmark at
    page 1); "共 Y 页" takes Y from the previous layout pass, which multiBuild always runs.
    """

    pages_seen = 0
    total_pages = 0

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab hook, at the start of every pass
        if self.pages_seen:
            self.total_pages = self.pages_seen

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab hook
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


class AnnualFolderReport(ModelReport):
    title = "年度党建工作台账"

    def __init__(self, model, *, photo_progress: Callable[[int, int], None] | None = None, **kwargs) -> None:
        """`photo_progress(done, total)`: the 活动照片 being prepared, before the first page is drawn."""
        super().__init__(model, **kwargs)
        self._photo_progress = photo_progress

    # ---------------------------------------------------------------- pieces

    def _heading(self, text: str, level: int = 0) -> Paragraph:
        style = self.styles["Heading"] if level else self.styles["Chapter"]
        p = Paragraph(text, style)
        p.outline_level = level
        return p

    def build_stylesheet(self, font_name: str):
        sheet = super().build_stylesheet(font_name)
        base = sheet["Normal"]
        sheet.add(ParagraphStyle("Chapter", parent=base, fontSize=15, leading=20, spaceBefore=4, spaceAfter=8))
        sheet.add(ParagraphStyle("Cover", parent=base, fontSize=30, leading=40, alignment=1))
        sheet.add(ParagraphStyle("CoverSub", parent=base, fontSize=16, leading=24, alignment=1))
        sheet.add(ParagraphStyle("Toc0", parent=base, fontSize=11, leading=18, leftIndent=10))
        sheet.add(ParagraphStyle("Toc1", parent=base, fontSize=10, leading=15, leftIndent=28))
        return sheet

    def _cover(self) -> list:
        f = self.model
        return [
            Spacer(1, 60 * mm),
            Paragraph(f"{f.year}年度", self.styles["CoverSub"]),
            Spacer(1, 6 * mm),
            Paragraph("党建工作台账", self.styles["Cover"]),
            Spacer(1, 30 * mm),
            Paragraph(f.center_name, self.styles["CoverSub"]),
            Spacer(1, 8 * mm),
            Paragraph(f"统计截至 {chinese_date(f.board.as_of)}", self.styles["Subtitle"]),
            Paragraph(f"编印日期 {chinese_date(self.printed_on)}", self.styles["Subtitle"]),
            PageBreak(),
        ]

    def _contents(self) -> list:
        toc = TableOfContents()
        toc.levelStyles = [self.styles["Toc0"], self.styles["Toc1"]]
        toc.dotsMinLevel = 0
        return [Paragraph("目　录", self.styles["Title"]), Spacer(1, 6 * mm), toc, PageBreak()]

    def _table(self, columns, rows) -> list:
        if not columns:
            return []  # a chapter with no list: its summary says why
        if not rows:
            return [Paragraph("（本年无记录）", self.styles["Normal"])]
        widths = fitted_widths([c.width for c in columns], rows, self.frame_width,
                               lambda text: text_width(text, self.font, CELL_FONT_SIZE), [c.whole for c in columns])
        return self.table([Column(c.title, w, c.align) for c, w in zip(columns, widths)], [list(r) for r in rows])

    def _figures(self, n: int) -> list:
        b = self.model.board
        rows = [(f.group, f.label, f.text + (" 元" if f.unit == "元" else ""),
                 (f.last_text + (" 元" if f.unit == "元" else "")) if f.last_year is not None else "—",
                 (f.change or "—").replace("−", "-")) for f in b.figures]  # the Latin font has no U+2212
        cols = [Column("类别", 60), Column("项目", 100), Column(f"{b.year}年", 80, "RIGHT"),
                Column(f"{b.year - 1}年", 80, "RIGHT"), Column("增减", 70, "RIGHT")]
        heads = [self._heading(f"{_num(n)}、年度主要数据"),
                 Paragraph(f"统计范围：{b.scope}；{b.year}年统计至 {b.as_of.isoformat()}，上年为全年数。",
                           self.styles["Normal"]), Spacer(1, 3 * mm)]
        out = keep_with_start(heads, self.table(cols, [list(r) for r in rows]))
        if b.left_out:
            out.append(Paragraph("未列入：" + "、".join(b.left_out), self.styles["Small"]))
        return out

    def _charts(self, n: int) -> list:
        c = self.model.board.charts
        w = self.frame_width
        out = [PageBreak(), self._heading(f"{_num(n)}、图表")]
        # A chart never leaves its heading at the foot of the page before.
        out += keep_with_start(self._heading("会议召开情况（按月、按类型）", 1), [self._meetings_chart(w, c.meetings_by_month)])
        out += keep_with_start(self._heading("会议出勤率（按月）", 1), [self._attendance_chart(w, c.attendance_by_month)])
        out += keep_with_start(self._heading("群众反映问题（按类别）", 1), [self._problems_chart(w, c.problems_by_category)])
        out += keep_with_start(self._heading("经费：预算与支出", 1), [self._spending_chart(w, c.spending)])
        return out

    def _drawing(self, w: float, h: float, empty: bool) -> Drawing:
        d = Drawing(w, h)
        if empty:
            d.add(String(w / 2, h / 2, "暂无数据", fontName=self.font.name, fontSize=10, textAnchor="middle"))
        return d

    def _chart(self, d: Drawing, chart, box: tuple[float, float, float, float], data, categories):
        """Put `chart` into `d` at `box` (x, y, width, height) with its data, category names and the axis font."""
        chart.x, chart.y, chart.width, chart.height = box
        chart.data = data
        chart.categoryAxis.categoryNames = categories
        for axis in (chart.categoryAxis, chart.valueAxis):
            axis.labels.fontName = self.font.name
            axis.labels.fontSize = 7
        d.add(chart)
        return chart

    def _legend(self, d: Drawing, x: float, y: float, pairs, rows: int = 2) -> None:
        """The legend's top left at (x, y), `rows` entries to a column: it must end above the plot."""
        lg = Legend()
        lg.x, lg.y = x, y
        lg.fontName, lg.fontSize = self.font.name, 7
        lg.alignment = "right"
        lg.columnMaximum = rows
        lg.dx = lg.dy = 6
        lg.deltax = 60
        lg.colorNamePairs = pairs
        d.add(lg)

    def _meetings_chart(self, w: float, series) -> Drawing:
        d = self._drawing(w, 62 * mm, not series)
        if not series:
            return d
        ch = self._chart(d, VerticalBarChart(), (30, 14, w - 40, 62 * mm - 48), [list(v) for _, v in series],
                         list(MONTHS))
        ch.categoryAxis.style = "stacked"
        ch.valueAxis.valueMin = 0
        for i in range(len(series)):
            ch.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
            ch.bars[i].strokeColor = None
        self._legend(d, 30, 62 * mm - 6, [(colors.HexColor(PALETTE[i % len(PALETTE)]), k)
                                          for i, (k, _) in enumerate(series)])
        return d

    def _attendance_chart(self, w: float, values) -> Drawing:
        known = [v for v in values if v is not None]
        d = self._drawing(w, 50 * mm, not known)
        if not known:
            return d
        ch = self._chart(d, HorizontalLineChart(), (30, 14, w - 40, 50 * mm - 24),
                         [[v if v is not None else None for v in values]], list(MONTHS))
        ch.valueAxis.valueMin, ch.valueAxis.valueMax, ch.valueAxis.valueStep = 0, 100, 25
        ch.lines[0].strokeColor = colors.HexColor("#2f6fb5")
        ch.lines[0].strokeWidth = 1.5
        ch.lineLabelFormat = lambda v: "" if v is None else f"{v:.0f}%"  # a month without meetings has no point
        ch.lineLabels.fontName, ch.lineLabels.fontSize = self.font.name, 6
        return d

    def _problems_chart(self, w: float, pairs) -> Drawing:
        top = list(pairs[:10])
        h = max(30 * mm, (len(top) * 6 + 14) * mm / 1.6)
        d = self._drawing(w, h, not top)
        if not top:
            return d
        ch = self._chart(d, HorizontalBarChart(), (70, 10, w - 100, h - 20), [[v for _, v in reversed(top)]],
                         [k for k, _ in reversed(top)])
        ch.valueAxis.valueMin = 0
        ch.bars[0].fillColor = colors.HexColor("#c8161e")
        ch.barLabelFormat = "%d"
        ch.barLabels.fontName, ch.barLabels.fontSize = self.font.name, 7
        ch.barLabels.boxAnchor = "w"
        ch.barLabels.dx = 3
        return d

    def _spending_chart(self, w: float, rows) -> Drawing:
        d = self._drawing(w, 60 * mm, not rows)
        if not rows:
            return d
        ch = self._chart(d, VerticalBarChart(), (50, 14, w - 60, 60 * mm - 40),
                         [[b / 100 for _, b, _ in rows], [s / 100 for _, _, s in rows]], [a for a, _, _ in rows])
        ch.valueAxis.valueMin = 0
        ch.valueAxis.labelTextFormat = lambda v: f"{v / 10000:g}万" if v >= 10000 else f"{v:g}"
        ch.bars[0].fillColor, ch.bars[1].fillColor = colors.HexColor("#8a8f98"), colors.HexColor("#c8161e")
        # One row: two rows reached down into the plot, where the tallest bar ends.
        self._legend(d, 50, 60 * mm - 6, [(colors.HexColor("#8a8f98"), "预算（元）"),
                                          (colors.HexColor("#c8161e"), "支出（元）")], rows=1)
        return d

    def _section(self, n: int, sec: FolderSection) -> list:
        heads = [self._heading(f"{_num(n)}、{sec.title}")]
        if sec.summary:
            heads += [Paragraph(sec.summary, self.styles["Normal"]), Spacer(1, 3 * mm)]
        return [PageBreak(), *keep_with_start(heads, self._table(sec.columns, sec.rows))]

    def build_story(self) -> list:
        story = self._cover() + self._contents()
        story += self._figures(1)
        story += self._charts(2)
        for i, sec in enumerate(self.model.sections, start=3):
            story += self._section(i, sec)
        if self.model.left_out:
            story += [Spacer(1, 6 * mm), Paragraph("说明：以下内容未列入本台账——" + "、".join(self.model.left_out),
                                                   self.styles["Small"])]
        if self.model.photos is not None:  # after the lists: the evidence an inspector leafs through last
            from desktop_app.reports.annual_photos import photo_chapter

            n = len(self.model.sections) + 3
            story += [PageBreak(), *photo_chapter(self, f"{_num(n)}、活动照片", self.model.photos, self._heading,
                                                       self._photo_progress)]
        return story

    def draw_page(self, canvas, doc) -> None:
        doc.pages_seen = doc.page
        if doc.page == 1:  # the cover carries no header
            if self._progress is not None:
                self._progress(doc.page)
            return
        super().draw_page(canvas, doc)
        self.draw_page_number(canvas, doc.page, doc.total_pages or doc.page)

    def render(self) -> bytes:
        """As the base renders, but in two passes so the contents know each chapter's page."""
        self.apply_page_settings()
        self.font = self.register_fonts()
        self.styles = self.build_stylesheet(self.font.name)
        buffer = BytesIO()
        doc = _FolderDoc(
            buffer, pagesize=self.pagesize, leftMargin=self.margin, rightMargin=self.margin,
            topMargin=HEADER_SPACE, bottomMargin=FOOTER_SPACE, title=f"{self.model.year}年度党建工作台账",
            author=self.center_name, creator=APP_NAME, lang="zh-CN", initialFontName=self.font.name,
            pageCompression=1,
        )
        frame = Frame(self.margin, FOOTER_SPACE, self.frame_width, self.frame_height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.draw_page)])
        doc.multiBuild(self.build_story())
        return buffer.getvalue()


render_annual_folder = model_renderer(
    AnnualFolderReport, "The year's 党建工作台账 as PDF bytes; also written atomically to `out` when given.")
