"""三会一课落实情况表: one row per branch and kind, a column per month, the rate; A4 landscape."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop_app.reports.base import A4_LANDSCAPE, Column, ModelReport, model_renderer
from desktop_app.views.cadence import MARKS_LEGEND

COLUMNS: tuple[Column, ...] = (
    Column("党支部", 40),
    Column("会议类型", 24),
    Column("频次", 14, "CENTER"),
    *(Column(f"{m}月", 10, "CENTER") for m in range(1, 13)),
    Column("落实率", 13, "CENTER"),
)


class ComplianceReport(ModelReport):
    title = "三会一课落实情况表"
    pagesize = A4_LANDSCAPE

    def build_story(self) -> list[Flowable]:
        s = self.model
        story: list[Flowable] = [
            self.para(f"{s.center_name}{s.year}年度三会一课落实情况表", "Title"),
            self.para(f"统计截至 {s.today.year}年{s.today.month}月{s.today.day}日", "Small"),
            Spacer(1, 2 * mm),
        ]
        rows = []
        last = ""
        for line in s.lines:
            rows.append([line.branch if line.branch != last else "", line.kind, line.cadence, *line.months,
                         line.rate])
            last = line.branch
        story.extend(self.table(COLUMNS, rows))
        story.append(Spacer(1, 2 * mm))
        if s.secretary_lecture:
            text = "；".join(f"{b}：{'已讲' if done else '未讲'}" for b, done in s.secretary_lecture)
            story.append(self.para(f"书记讲党课（每年至少一次）：{text}", "Small"))
        for note in s.notes:
            story.append(self.para(note, "Small"))
        story.append(self.para(MARKS_LEGEND, "Small"))
        return story


render_compliance = model_renderer(ComplianceReport, "The 三会一课落实情况表 as PDF bytes (and `out`).")
