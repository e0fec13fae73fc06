"""民主评议党员结果汇总表: counts per branch, then each branch's members and grades. A4 portrait."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from desktop_app.domain import meetings as rules
from desktop_app.reports.base import A4_PORTRAIT, Column, ModelReport, model_renderer, rich
from desktop_app.views.evaluations import EvaluationRow

NOT_YET = "未评议"

COUNT_COLUMNS: tuple[Column, ...] = (
    Column("党支部", 60),
    Column("参评人数", 16, "CENTER"),
    *(Column(g, 14, "CENTER") for g in rules.GRADES),
    Column(NOT_YET, 14, "CENTER"),
    Column("优秀率", 16, "CENTER"),
)
# 二、党员评议等次: after 序号, each column with its cell of a member's row.
MEMBER_CELLS: tuple[tuple[Column, Callable[[EvaluationRow], str]], ...] = (
    (Column("姓名", 24), lambda r: r.name),
    (Column("所在党小组", 26), lambda r: r.group_name),
    (Column("人员类别", 18, "CENTER"), lambda r: r.category),
    (Column("评议等次", 18, "CENTER"), lambda r: r.grade or NOT_YET),
    (Column("备注", 64), lambda r: r.notes),
)
MEMBER_COLUMNS: tuple[Column, ...] = (Column("序号", 10, "CENTER"), *(column for column, _ in MEMBER_CELLS))


def _share(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


class EvaluationReport(ModelReport):
    title = "民主评议党员结果汇总表"
    pagesize = A4_PORTRAIT

    def _count_row(self, name: str, counts: dict[str, int]) -> list[str]:
        rated = sum(counts[g] for g in rules.GRADES)
        return [name, str(rated), *(str(counts[g]) for g in rules.GRADES), str(counts[NOT_YET]),
                _share(counts[rules.EXCELLENT], rated)]

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        styles, font, s = self.styles, self.font, self.model
        story: list[Flowable] = [
            self.para(f"{s.center_name}{s.year}年度民主评议党员结果汇总表", "Title"),
        ]
        rows = [self._count_row(b.branch_name, b.counts()) for b in s.branches]
        rows.append(self._count_row("合计", s.totals()))
        story += self.headed("一、各党支部评议结果", self.table(COUNT_COLUMNS, rows))
        if not s.branches:
            story.append(self.para("二、党员评议等次", "Heading"))
        for n, b in enumerate(s.branches):
            counts = b.counts()
            lines = [[str(i), *(cell(r) for _, cell in MEMBER_CELLS)] for i, r in enumerate(b.rows, start=1)]
            # the part's heading goes with its first branch, so neither stands alone at a page's foot
            heads = [self.para("二、党员评议等次", "Heading")] if n == 0 else []
            heads.append(self.para(f"{b.branch_name}（{len(b.rows)} 名）", "Heading"))
            story += self.headed(heads, self.table(MEMBER_COLUMNS, lines))
            if counts[rules.UNQUALIFIED] or counts[rules.BASICALLY_QUALIFIED]:
                story.append(Spacer(1, 1.5 * mm))
                story.append(Paragraph(rich(
                    f"评为基本合格 {counts[rules.BASICALLY_QUALIFIED]} 名、不合格 {counts[rules.UNQUALIFIED]} 名，"
                    "应按规定进行组织处置或帮助教育。", font), styles["Small"]))
        from desktop_app.reports.signoff import signed_off

        return signed_off(self, story, self.center_name)  # solid lines; the date is written when it is signed


render_evaluation = model_renderer(EvaluationReport, "The 民主评议党员结果汇总表 as PDF bytes (and `out`).")
