"""民主测评 of a branch: the 测评票 handed to each member present, and the 结果统计表 of the counted ballots.

Both from views.evaluations.BranchTally. A ballot is 不记名: one set per copy, each starting on a new
page, its table's header repeated on every page of a long branch.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from desktop_app.domain import evaluation_votes as votes
from desktop_app.domain import meetings as rules
from desktop_app.domain.clock import chinese_date
from desktop_app.reports.base import A4_PORTRAIT, Column, ModelReport, draw_text, model_renderer, rich, text_width

INSTRUCTIONS = ("填写说明：请在相应栏内划“", "”，每名党员只选一项，多选或不选的该项作废；本票不记名。")


class TickedLine(Flowable):
    """One line of text with a tick (√) drawn between `before` and `after`: neither the shipped CJK font nor
    its Latin companion has the glyph, and a viewer without ZapfDingbats shows that font's tick as a box."""

    def __init__(self, before: str, after: str, font, size: float = 10) -> None:
        super().__init__()
        self.before, self.after, self.font, self.size = before, after, font, size

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        whole = text_width(self.before + self.after, self.font, self.size) + self.size * 0.8
        self.size = min(self.size, self.size * avail_width / whole)  # a narrow page: smaller, still one line
        self.width = avail_width
        return avail_width, self.size * 1.5

    def draw(self) -> None:
        c, size = self.canv, self.size
        y = size * 0.35
        draw_text(c, 0, y, self.before, self.font, size)
        x = text_width(self.before, self.font, size) + size * 0.1
        c.saveState()
        c.setLineWidth(size * 0.09)
        path = c.beginPath()
        path.moveTo(x, y + size * 0.35)
        path.lineTo(x + size * 0.22, y + size * 0.05)
        path.lineTo(x + size * 0.6, y + size * 0.78)
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()
        draw_text(c, x + size * 0.7, y, self.after, self.font, size)
BALLOT_COLUMNS: tuple[Column, ...] = (
    Column("序号", 12, "CENTER"), Column("姓名", 34, "CENTER"),
    *(Column(g, 22, "CENTER") for g in rules.GRADES),
)
TALLY_COLUMNS: tuple[Column, ...] = (
    Column("序号", 9, "CENTER"), Column("姓名", 16, "CENTER"),
    *(Column(label, w, "CENTER") for (_f, _g, label), w in zip(votes.VOTE_FIELDS, (15, 13, 19, 16))),
    Column("优秀票占比", 19, "CENTER"), Column("不合格票占比", 22, "CENTER"),
    Column("评议等次", 15, "CENTER"), Column("说明", 28),
)


def _title(model) -> str:
    return f"{model.branch_name} {model.year}年度民主评议党员测评票"


class BallotReport(ModelReport):
    title = "民主评议党员测评票"
    pagesize = A4_PORTRAIT

    def __init__(self, model, *, copies: int = 1, **kwargs) -> None:
        super().__init__(model, **kwargs)
        self.copies = copies

    def _one(self) -> list[Flowable]:
        m = self.model
        lines = [[str(r.no), r.row.name, "", "", "", ""] for r in m.rows]
        assert self.styles is not None and self.font is not None
        before, after = INSTRUCTIONS
        told = TickedLine(before, after, self.font)
        return [self.para(_title(m), "Title"), told, Spacer(1, 2 * mm),
                *(self.table(BALLOT_COLUMNS, lines) if lines else [self.para("本支部没有需要评议的党员。")])]

    def draw_page_number(self, canvas, page: int, total: int) -> None:
        # Counted within one ballot: numbers running across the copies would tell the ballots apart.
        per = max(total // max(self.copies, 1), 1)  # every copy is the same story, so the same length
        super().draw_page_number(canvas, (page - 1) % per + 1, per)

    def build_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for i in range(self.copies):
            if i:
                story.append(PageBreak())  # each ballot on pages of its own: handed out and folded apart
            story.extend(self._one())
        return story


class TallyReport(ModelReport):
    title = "民主测评结果统计表"
    pagesize = A4_PORTRAIT

    def build_story(self) -> list[Flowable]:
        m = self.model
        b = m.ballot
        if b is None:
            counted = "尚未登记发出和收回的测评票张数。"
        else:
            counted = f"发出测评票 {b.issued} 张，收回 {b.returned} 张" + (
                f"；测评日期：{chinese_date(b.held_on)}" if b.held_on else "") + "。"
        returned = m.returned
        lines = [[str(r.no), r.row.name, *(str(c) for c in r.tally.counts()),
                  votes.percent(r.tally.excellent, returned) or "—", votes.percent(r.tally.unqualified, returned) or "—",
                  r.row.grade or "未评议", r.note()] for r in m.rows]
        story: list[Flowable] = [
            self.para(f"{m.branch_name} {m.year}年度民主评议党员测评结果统计表", "Title"),
            self.para(counted),
            Spacer(1, 2 * mm),
            *(self.table(TALLY_COLUMNS, lines) if lines else [self.para("本支部没有需要评议的党员。")]),
            Spacer(1, 1.5 * mm),
            self.para("占比按收回票数计算。评议等次由支部党员大会确定，测评结果供参考；“说明”只列出与测评多数不同的等次。",
                      "Small"),
            self._signatures(),
        ]
        return story

    def _signatures(self) -> Flowable:
        """计票人 and 监票人, each on a solid line to sign."""
        assert self.styles is not None and self.font is not None
        style, font = self.styles["Normal"], self.font
        label_w = 22 * mm
        value_w = (self.frame_width - 2 * label_w) / 2
        cells = [Paragraph(rich("计票人：", font), style), "", Paragraph(rich("监票人：", font), style), ""]
        table = Table([cells], colWidths=[label_w, value_w, label_w, value_w], rowHeights=[10 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("RIGHTPADDING", (1, 0), (1, 0), 12),
            ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
            ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
        ]))
        return KeepTogether([Spacer(1, 8 * mm), table])


render_ballots_model = model_renderer(BallotReport, "The 民主测评票 as PDF bytes (and `out`).")
render_tally = model_renderer(TallyReport, "The 民主测评结果统计表 as PDF bytes (and `out`).")


def render_ballots(model, copies: int, out=None, *, font_path: str | None = None) -> bytes:
    """`copies` 测评票 of the branch in one PDF."""
    return render_ballots_model(model, out, font_path=font_path, copies=copies)
