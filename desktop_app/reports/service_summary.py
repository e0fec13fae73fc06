"""服务群众工作月报: per grid, what residents raised in the month and what was done about it.

Page one: the counts per grid (visits, problems raised / solved / still open,
wishes, projects, mediation). Then, per grid, the problems raised in the month
with how each was handled, so the numbers can be checked line by line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.reports.base import (
    A4_LANDSCAPE, Column, ReportRenderer, chunked_table, iso_date, rich,
)
from desktop_app.views.service import GridStats, ServiceSummary
from desktop_app.views.visits import VisitRow

# 各网格情况: after the grid, each column with the figure of GridStats it shows.
FIGURES: tuple[tuple[Column, Callable[[GridStats], int | str]], ...] = (
    (Column("走访", 34, "CENTER"), lambda g: g.visits),
    (Column("反映问题", 44, "CENTER"), lambda g: g.raised),
    (Column("本期解决", 44, "CENTER"), lambda g: g.solved),
    (Column("无需处理", 44, "CENTER"), lambda g: g.no_action),
    (Column("办结率", 40, "CENTER"), lambda g: g.solve_rate),
    (Column("期末未办结", 56, "CENTER"), lambda g: g.open_at_end),
    (Column("其中逾期", 44, "CENTER"), lambda g: g.overdue_at_end),
    (Column("心愿发布", 44, "CENTER"), lambda g: g.wishes_posted),
    (Column("心愿认领", 44, "CENTER"), lambda g: g.wishes_claimed),
    (Column("心愿实现", 44, "CENTER"), lambda g: g.wishes_fulfilled),
    (Column("项目启动", 44, "CENTER"), lambda g: g.projects_started),
    (Column("项目完成", 44, "CENTER"), lambda g: g.projects_completed),
    (Column("项目逾期", 44, "CENTER"), lambda g: g.projects_overdue),
    (Column("调解受理", 44, "CENTER"), lambda g: g.cases_received),
    (Column("调解结案", 44, "CENTER"), lambda g: g.cases_closed),
)
COUNT_COLUMNS: tuple[Column, ...] = (Column("网格", 100), *(column for column, _ in FIGURES))
# 办结率 counts the month's own problems, 本期解决 every problem closed in the month (some raised
# earlier), so 本期解决 may exceed 反映问题: said under the table, as a reader takes them for one figure.
FIGURES_NOTE = ("注：反映问题＝本期走访中群众反映、需跟进的问题；办结率＝其中到期末已办结（已解决或无需处理）的比例；"
                "本期解决、无需处理＝本期内办结的问题，含前期反映的，故可多于本期反映问题；"
                "期末未办结＝到期末仍在办的全部问题，含前期反映的。")


def count_row(g: GridStats) -> list[str]:
    return [g.label, *(str(figure(g)) for _, figure in FIGURES)]


def _handled(r: VisitRow) -> str:
    if r.follow_state in flow.CLOSED_STATES:
        return f"{r.resolved_by} {iso_date(r.resolved_on)}：{r.resolution}"
    return "、".join(p for p in (f"责任人 {r.handler}" if r.handler else "",
                                 f"期限 {iso_date(r.due_date)}" if r.due_date else "",
                                 "已逾期" if r.overdue else "") if p)


# A grid's problems: after 序号, each column with its cell of a visit.
ITEM_CELLS: tuple[tuple[Column, Callable[[VisitRow], str]], ...] = (
    (Column("日期", 58, "CENTER"), lambda r: iso_date(r.visit_date)),
    (Column("对象", 52), lambda r: r.visitee),
    (Column("住址 / 地点", 110), lambda r: r.address),
    (Column("类别", 46, "CENTER"), lambda r: r.category),
    (Column("反映问题", 200), lambda r: r.content),
    (Column("状态", 46, "CENTER"), lambda r: r.follow_state),
    (Column("办理情况", 210), _handled),
)
ITEM_COLUMNS: tuple[Column, ...] = (Column("序号", 26, "CENTER"), *(column for column, _ in ITEM_CELLS))


def item_row(seq: int, r: VisitRow) -> list[str]:
    return [str(seq), *(cell(r) for _, cell in ITEM_CELLS)]


def headline(total: GridStats) -> str:
    parts = [f"走访 {total.visits} 次", f"群众反映问题 {total.raised} 件",
             f"其中到期末已办结 {total.raised_closed} 件" + (f"（办结率 {total.solve_rate}）" if total.raised else ""),
             f"本期解决 {total.solved} 件（含前期反映的）"]
    if total.open_at_end:
        parts.append(f"期末尚有 {total.open_at_end} 件在办（逾期 {total.overdue_at_end} 件）")
    parts.append(f"实现微心愿 {total.wishes_fulfilled} 个（约 {format_yuan(total.wish_value_fen)} 元）")
    parts.append(f"完成微实事项目 {total.projects_completed} 个")
    if total.cases_received or total.cases_closed:
        parts.append(f"受理矛盾纠纷 {total.cases_received} 件、结案 {total.cases_closed} 件（调解成功 {total.cases_success} 件）")
    return "；".join(parts) + "。"


class ServiceSummaryReport(ReportRenderer):
    title = "服务群众工作月报"
    pagesize = A4_LANDSCAPE

    def __init__(self, center_name: str, summary: ServiceSummary, items: dict[str, Sequence[VisitRow]],
                 **kwargs) -> None:
        """`items`: grid label (as in summary.rows) -> problems raised in the period, in date order."""
        super().__init__(center_name, **kwargs)
        self.summary, self.items = summary, items

    def build_story(self) -> list[Flowable]:
        assert self.styles is not None and self.font is not None
        st, font = self.styles, self.font
        sm = self.summary
        story: list[Flowable] = [
            self.para(f"{self.center_name}{sm.period.label}{self.title}", "Title"),
            self.para(f"统计期间：{iso_date(sm.period.start)} 至 {iso_date(sm.period.end)}", "Subtitle"),
            self.para(headline(sm.total)),
        ]
        rows = [count_row(g) for g in sm.rows]
        if len(sm.rows) != 1:
            rows.append(count_row(sm.total))
        story += self.headed("各网格情况", self.table(COUNT_COLUMNS, rows))
        story.append(self.para(FIGURES_NOTE, "Small"))
        heading = st["Heading"]
        for g in sm.rows:
            items = list(self.items.get(g.label, ()))
            if not items:
                continue
            cats = sm.by_category.get(g.label, {})
            by_cat = "，".join(f"{c} {n} 件" for c, n in cats.items())
            title = Paragraph(rich(f"{g.label}：群众反映问题及办理情况（{len(items)} 件{'：' + by_cat if by_cat else ''}）",
                                   font), heading)
            story += self.headed(title, chunked_table(ITEM_COLUMNS, [item_row(i, r) for i, r in enumerate(items, start=1)],
                                                      st, font, self.frame_width))
        from desktop_app.reports.signoff import signed_off

        return signed_off(self, story, self.center_name, self.printed_on)  # the 月报 goes to the street


def render_service_summary(center_name: str, summary: ServiceSummary, items: dict[str, Sequence[VisitRow]],
                           out: Path | None = None, printed_on: date | None = None, *,
                           font_path: str | None = None, progress: Callable[[int], None] | None = None) -> bytes:
    return ServiceSummaryReport(center_name, summary, items, printed_on=printed_on, font_path=font_path,
                                progress=progress).render_to(out)
