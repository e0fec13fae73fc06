"""党费收缴登记表: per branch and year, members × 12 months, A4 landscape; and the 党费收据 of a payment.

Plain data in (views.dues.DuesGrid, one per branch), PDF out. A month cell
shows the amount paid; "*" marks a back-payment beyond six months, "#" a month
paid short, "欠" an unpaid past month, "免" an approved exemption. The marks
are single narrow characters so twelve months fit across the page.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from desktop_app.domain.dues import month_label
from desktop_app.domain.money import amount_in_capitals, format_yuan
from desktop_app.reports.base import (
    A4_LANDSCAPE,
    CELL_FONT_SIZE,
    CELL_PAD_X,
    Column,
    RecordsReport,
    chinese_date,
    chunked_table,
    records_renderer,
    rich,
)
from desktop_app.reports.fonts import FontInfo, text_runs
from desktop_app.reports.ledger import signature_row
from desktop_app.views.dues import (
    EXEMPT,
    LATE_MARK,
    OWED,
    SHORT_MARK,
    UNPAID_MARKS,
    DuesGrid,
    DuesReceipt,
    GridRow,
    month_text,
)

# Points on A4 landscape (757 pt of frame). A month fits "99.99*" and "120.00" on
# one line in the widest font we may pick (WenQuanYi Zen Hei).
COLUMNS: tuple[Column, ...] = (
    Column("序号", 22, "CENTER"),
    Column("姓名", 44),
    Column("类别", 34, "CENTER"),
    Column("月基数", 50, "RIGHT"),
    Column("比例", 28, "CENTER"),
    Column("月应交", 40, "RIGHT"),
    *(Column(f"{m}月", 37, "RIGHT") for m in range(1, 13)),
    Column("已交合计", 52, "RIGHT"),
    Column("欠交", 43, "RIGHT"),
)
# Monthly totals need more room than a member's month: their own table under the grid.
MONTH_TOTAL_COLUMNS: tuple[Column, ...] = (
    Column("", 60, "CENTER"), *(Column(f"{m}月", 50, "RIGHT") for m in range(1, 13)), Column("全年", 60, "RIGHT"),
)


# The community's totals after the branches' sheets (a whole community printed at once).
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("序号", 30, "CENTER"), Column("党支部", 220), Column("党员（名）", 60, "RIGHT"),
    Column("已登记基数（名）", 80, "RIGHT"), Column("全年已收缴", 100, "RIGHT"), Column("欠交", 100, "RIGHT"),
)


def summary_rows(grids) -> list[list[str]]:
    rows = [[str(n), g.org_name, str(len(g.rows)), str(sum(1 for r in g.rows if r.has_base)),
             format_yuan(g.paid_fen), format_yuan(g.owed_fen) if g.owed_fen else ""]
            for n, g in enumerate(grids, start=1)]
    owed = sum(g.owed_fen for g in grids)
    rows.append(["", "合计", str(sum(len(g.rows) for g in grids)),
                 str(sum(1 for g in grids for r in g.rows if r.has_base)),
                 format_yuan(sum(g.paid_fen for g in grids)), format_yuan(owed) if owed else ""])
    return rows


def fitted_columns(rows: list[list[str]], font: FontInfo, frame_width: float) -> tuple[Column, ...]:
    """COLUMNS with room for this branch's widest cells: a 序号 past 99 or a 合计 in the thousands would
    otherwise break over two lines. The room is taken from columns whose cells leave some (a 姓名 of three
    characters, a 比例), never below their own widest cell, and the page width stays the same."""
    scale = frame_width / sum(c.width for c in COLUMNS)  # chunked_table stretches the widths to the frame

    def need(text: str) -> float:
        drawn = sum(stringWidth(run, name, CELL_FONT_SIZE) for name, run in text_runs(text, font))
        return (drawn + 2 * CELL_PAD_X + 1) / scale if drawn else 0

    needs = []
    for i, c in enumerate(COLUMNS):
        body = max((need(r[i]) for r in rows), default=0)
        title = need(c.title)
        needs.append(max(body, title if title <= c.width else 0))  # a title that wraps already may still wrap
    short = [max(0.0, n - c.width) for n, c in zip(needs, COLUMNS)]
    spare = [max(0.0, c.width - n) for n, c in zip(needs, COLUMNS)]
    wanted, free = sum(short), sum(spare)
    if not wanted or not free:
        return COLUMNS
    given = min(wanted, free)
    return tuple(
        Column(c.title, c.width + s * given / wanted - f * given / free, c.align)
        for c, s, f in zip(COLUMNS, short, spare)
    )


def grid_row(seq: int, r: GridRow) -> list[str]:
    if r.has_base:
        base = format_yuan(r.income_fen) if r.income_fen else "—"
        rate, due = r.rate_label, format_yuan(r.monthly_due_fen)
    else:
        base, rate, due = "未登记", "", ""
    owed = r.owed_fen
    return [
        str(seq), r.name, r.category, base, rate, due,
        *(month_text(c) for c in r.cells),
        format_yuan(r.paid_fen), format_yuan(owed) if owed else "",
    ]


def total_row(grid: DuesGrid) -> list[str]:
    return [
        "", "合计", "", "", "", "", *([""] * 12),
        format_yuan(grid.paid_fen), format_yuan(grid.owed_fen) if grid.owed_fen else "",
    ]


def month_total_row(grid: DuesGrid) -> list[str]:
    return ["实收", *(format_yuan(grid.month_paid(m)) for m in range(1, 13)), format_yuan(grid.paid_fen)]


class DuesRegistryReport(RecordsReport):
    title = "党费收缴登记表"
    pagesize = A4_LANDSCAPE

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        styles, font = self.styles, self.font
        story: list[Flowable] = []
        if not self.records:
            return [self.para("没有要打印的党支部。")]
        for i, g in enumerate(self.records):
            if i:
                story.append(PageBreak())
            counted = sum(1 for r in g.rows if r.has_base)
            story += [
                self.para(f"{g.year}年度党费收缴登记表", "Title"),
                Paragraph(
                    rich(f"党组织：{g.org_name}　　党员 {len(g.rows)} 名（已登记基数 {counted} 名）　　金额单位：元", font),
                    styles["Subtitle"],
                ),
            ]
            rows = [grid_row(n, r) for n, r in enumerate(g.rows, start=1)] + [total_row(g)]
            columns = fitted_columns(rows, font, self.frame_width)
            story.extend(chunked_table(columns, rows, styles, font, self.frame_width, chunk_rows=30))
            story.append(Spacer(1, 2 * mm))
            closing: list[Flowable] = [
                *self.table(MONTH_TOTAL_COLUMNS, [month_total_row(g)]),
                Spacer(1, 2 * mm),
                Paragraph(rich(f"全年已收缴 {format_yuan(g.paid_fen)} 元（大写：{amount_in_capitals(g.paid_fen)}）", font),
                          styles["Normal"]),
                Paragraph(rich(
                    f"注：月份栏为实交金额；“{LATE_MARK}”为补交超过6个月，“{SHORT_MARK}”为少交，"
                    f"“{UNPAID_MARKS[OWED]}”为已到期未交，“{UNPAID_MARKS[EXEMPT]}”为经批准免交"
                    f"（统计至{chinese_date(g.today)}）。党费按月交纳，党支部不得代交。",
                    font), styles["Small"]),
                Spacer(1, 6 * mm),
                signature_row(self, ("收缴人", "党支部书记", "填表日期")),
            ]
            story.append(KeepTogether(closing))  # never a page with only the signatures
        if len(self.records) > 1:
            story += self.summary_story()
        return story

    def summary_story(self) -> list[Flowable]:
        """One page of every branch's totals and the community's, after the branches' own sheets."""
        assert self.styles is not None and self.font is not None
        grids = self.records
        paid = sum(g.paid_fen for g in grids)
        years = sorted({g.year for g in grids})
        year = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
        return [
            PageBreak(),
            self.para(f"{year}年度党费收缴汇总表", "Title"),
            Paragraph(rich(f"党组织：{self.center_name}　　党支部 {len(grids)} 个　　金额单位：元", self.font),
                      self.styles["Subtitle"]),
            *self.table(SUMMARY_COLUMNS, summary_rows(grids)),
            Spacer(1, 2 * mm),
            Paragraph(rich(f"全年已收缴 {format_yuan(paid)} 元（大写：{amount_in_capitals(paid)}）", self.font),
                      self.styles["Normal"]),
            Paragraph(rich(f"注：按党费所属月份统计（统计至{chinese_date(max(g.today for g in grids))}）；"
                           "党费账户按交纳日期入账，预交和跨年补交使两者相差。", self.font), self.styles["Small"]),
            Spacer(1, 6 * mm),
            signature_row(self, ("制表人", "党委书记", "填表日期")),
        ]


render_dues_registry = records_renderer(
    DuesRegistryReport, "The 党费收缴登记表 for one or more branches (one section each), as PDF bytes.")


# ---------------------------------------------------------------- 党费收据

RECEIPT_MONTHS_PER_ROW = 3  # a year's twelve months in four rows, so a half page holds a whole year
RECEIPT_LABEL = 0.15  # every label column's share of the width, so the first column line runs straight down the form


def receipt_month_rows(r: DuesReceipt) -> list[list[str]]:
    """The months paid, three to a row: month, amount paid (and what was due where it differs)."""
    cells = []
    for x in r.lines:
        paid = f"{format_yuan(x.paid_fen)} 元"
        cells += [month_label(x.month), paid if x.paid_fen == x.due_fen else f"{paid}（应交 {format_yuan(x.due_fen)}）"]
    per_row = 2 * RECEIPT_MONTHS_PER_ROW
    cells += [""] * (-len(cells) % per_row)
    return [cells[i:i + per_row] for i in range(0, len(cells), per_row)]


class DuesReceiptReport(RecordsReport):
    """One payment a page: the 存根 the branch keeps above the cut line, the 收据 the member takes below."""

    title = "党费收据"

    def _half(self, r: DuesReceipt, part: str, kept_by: str, closing: tuple[str, ...]) -> list[Flowable]:
        w = self.frame_width
        pair = self.pair_widths(RECEIPT_LABEL)
        month_widths = [w * RECEIPT_LABEL, w * (1 / RECEIPT_MONTHS_PER_ROW - RECEIPT_LABEL)] * RECEIPT_MONTHS_PER_ROW
        return [
            self.para(f"党费收据（{part}）", "Title"),
            self.para(f"（{kept_by}）　No. {r.number}", "Subtitle"),
            self.form([
                ["交纳人", r.member_name, "公民身份号码", r.id_number or "—"],
                ["所在党支部", r.branch_name or "—", "交纳日期", chinese_date(r.paid_on)],
                ["交纳月份", f"{r.months_text}，共 {len(r.lines)} 个月", "", ""],
            ], pair),
            self.form(receipt_month_rows(r), month_widths, label_cols=range(0, 2 * RECEIPT_MONTHS_PER_ROW, 2)),
            self.form([
                ["合计（小写）", f"¥{format_yuan(r.total_fen)} 元", "收款人", r.collected_by],
                ["合计（大写）", r.total_words, "", ""],
            ], pair),
            Spacer(1, 3 * mm),
            # The closing words spread across the line, the last at the right edge.
            Table([[*(self.para(x) for x in closing[:-1]), self._right(closing[-1])]], colWidths=[w * 0.7 / (len(closing) - 1)] * (len(closing) - 1) + [w * 0.3],
                  style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
        ]

    def _right(self, text: str) -> Paragraph:
        assert self.styles is not None and self.font is not None
        return Paragraph(rich(text, self.font), ParagraphStyle("right", parent=self.styles["Normal"], alignment=TA_RIGHT))

    def _cut(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        style = ParagraphStyle("cut", parent=self.styles["Small"], alignment=TA_CENTER)
        line = Paragraph(rich("－ " * 18 + "沿此线剪开" + " －" * 18, self.font), style)
        return [Spacer(1, 4 * mm), line, Spacer(1, 4 * mm)]

    def _padded(self, flowables: list[Flowable], height: float) -> list[Flowable]:
        """The half at the top of its `height`, so the cut line falls in the same place on every sheet."""
        used = sum(f.wrap(self.frame_width, self.frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                   for f in flowables)
        return flowables + ([Spacer(1, height - used)] if used < height else [])

    def _one(self, r: DuesReceipt) -> list[Flowable]:
        stub = self._half(r, "存根", "党支部留存", (f"记账凭证：{r.voucher_no or '—'}", "交纳人签名：＿＿＿＿＿＿",
                                              f"打印日期：{chinese_date(r.printed_on)}"))
        given = self._half(r, "收据", "交党员本人", (f"收款单位（盖章）：{r.center_name}{r.branch_name}",
                                               chinese_date(r.paid_on)))
        cut = self._cut()
        # Each half takes half the page, less the cut line's share.
        half = (self.frame_height - sum(f.wrap(self.frame_width, self.frame_height)[1] for f in cut)) / 2
        return [*self._padded(stub, half), *cut, *given]

    def build_story(self) -> list[Flowable]:
        return self.one_per_page(self.records, self._one, "没有要打印的收据。")


render_dues_receipts = records_renderer(
    DuesReceiptReport, "党费收据, one payment a page (存根 above the cut line, 收据 below), as PDF bytes.")
