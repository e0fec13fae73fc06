"""走访记录表: the register of visits for a period (A4 landscape), and one visit as a filed form.

Read models in (VisitRow / VisitDetail / Scope from views.visits), PDF out.
services.visits.print_visit_register / print_visit_forms fetch them and call
these, so the GUI and the CLI print the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop_app.domain import service_flow as flow
from desktop_app.reports.base import (
    A4_LANDSCAPE, A4_PORTRAIT, Column, RecordsReport, chinese_date, form_table, iso_date,
)
from desktop_app.views.visits import Scope, VisitDetail, VisitRow

def _handling(row: VisitRow) -> str:
    if not row.raised_issue:
        return "未反映需跟进的问题"
    if row.follow_state in flow.CLOSED_STATES:
        when = f"{row.resolved_on.month}月{row.resolved_on.day}日" if row.resolved_on else ""
        return f"{row.follow_state}（{row.resolved_by} {when}）：{row.resolution}"
    text = row.follow_state
    if row.handler:
        text += f"，责任人 {row.handler}"
    if row.overdue:
        text += "，已逾期"
    return text


# After 序号, each column of the register with its cell of a visit.
REGISTER_CELLS: tuple[tuple[Column, Callable[[VisitRow], str]], ...] = (
    (Column("日期", 58, "CENTER"), lambda row: iso_date(row.visit_date)),
    (Column("形式", 42, "CENTER"), lambda row: row.form),
    (Column("走访对象", 52), lambda row: row.visitee),
    (Column("住址 / 地点", 98), lambda row: row.address),
    (Column("走访人", 70), lambda row: row.visitors),
    (Column("类别", 42, "CENTER"), lambda row: row.category),
    (Column("反映问题", 160), lambda row: row.content),
    (Column("办理情况", 150), _handling),
    (Column("办结期限", 58, "CENTER"), lambda row: iso_date(row.due_date) if row.raised_issue else ""),
)
REGISTER_COLUMNS: tuple[Column, ...] = (Column("序号", 26, "CENTER"), *(column for column, _ in REGISTER_CELLS))


def register_row(seq: int, row: VisitRow) -> list[str]:
    return [str(seq), *(cell(row) for _, cell in REGISTER_CELLS)]


def register_summary(rows: Sequence[VisitRow]) -> str:
    raised = [r for r in rows if r.raised_issue]
    solved = sum(1 for r in raised if r.follow_state == flow.SOLVED)
    open_ = sum(1 for r in raised if r.follow_state in flow.OPEN_STATES)
    overdue = sum(1 for r in raised if r.overdue)
    text = f"共走访 {len(rows)} 次，反映问题 {len(raised)} 件，已解决 {solved} 件，办理中 {open_} 件"
    return text + (f"（逾期 {overdue} 件）" if overdue else "")


class VisitRegisterReport(RecordsReport):
    title = "走访记录表"
    pagesize = A4_LANDSCAPE

    def __init__(self, center_name: str, rows: Sequence[VisitRow], scope: Scope = Scope(), **kwargs) -> None:
        super().__init__(center_name, rows, **kwargs)
        self.scope = scope

    def build_story(self) -> list[Flowable]:
        # A register printed from a narrowed list says so, and how many it holds, before anyone files it.
        narrowed = self.scope.filter_text()
        story = self.heading(f"{narrowed}，共 {len(self.records)} 条" if narrowed else self.scope.text())
        story.append(self.para(register_summary(self.records), "Subtitle"))
        if not self.records:
            story.append(self.para("此期间没有走访记录。"))
            return story
        story.extend(self.table(REGISTER_COLUMNS, [register_row(i, r) for i, r in enumerate(self.records, start=1)]))
        from desktop_app.reports.signoff import signed_off

        return signed_off(self, story, self.center_name, self.printed_on)  # the register is handed upward


class VisitFormReport(RecordsReport):
    """One visit per page, as a form to file or to have the visited resident sign."""

    title = "走访记录表"
    pagesize = A4_PORTRAIT

    def _one(self, v: VisitDetail) -> list[Flowable]:
        widths = self.pair_widths(0.15)
        closed = v.follow_state in flow.CLOSED_STATES
        history = "\n".join(
            f"{h.on_date.isoformat()} {h.to_state}{('（' + h.by + '）') if h.by else ''}{('：' + h.note) if h.note and h.note != '登记' else ''}"
            for h in v.history
        )
        rows = [
            ["走访日期", chinese_date(v.visit_date), "走访形式", v.form],
            ["走访对象", v.visitee_name or "", "所属网格", v.grid_name],
            ["住址 / 地点", v.address or v.place, "", ""],
            ["走访人", "、".join(v.visitor_names), "", ""],
            ["问题类别", v.category or "（无）", "办结期限", chinese_date(v.due_date) if v.due_date else ""],
            ["反映问题", v.content or "走访中未反映需要跟进的问题", "", ""],
            ["办理状态", v.follow_state, "责任人", v.handler],
            ["办理情况", v.resolution if closed else "", "", ""],
            ["办理人", v.resolved_by if closed else "", "办结日期",
             chinese_date(v.resolved_on) if closed and v.resolved_on else ""],
            ["办理经过", history, "", ""],
            ["备注", v.notes, "", ""],
        ]
        heights = {5: 42 * mm, 7: 30 * mm, 9: 28 * mm}
        return [
            *self.heading(),
            Spacer(1, 4 * mm),
            self.form(rows, widths, min_heights=heights),
            Spacer(1, 10 * mm),
            self.para("被走访人（签字）：＿＿＿＿＿＿＿＿　　走访人（签字）：＿＿＿＿＿＿＿＿　　"
                      "记录人：" + (v.recorder or "＿＿＿＿＿＿")),
        ]

    def build_story(self) -> list[Flowable]:
        return self.one_per_page(self.records, self._one, "没有要打印的走访记录。")


def render_visit_register(center_name: str, rows: Sequence[VisitRow], out: Path | None = None,
                          scope: Scope = Scope(), printed_on: date | None = None, *,
                          font_path: str | None = None, progress: Callable[[int], None] | None = None) -> bytes:
    report = VisitRegisterReport(center_name, rows, scope, printed_on=printed_on, font_path=font_path,
                                 progress=progress)
    return report.render_to(out)


def render_visit_forms(center_name: str, visits: Sequence[VisitDetail], out: Path | None = None,
                       printed_on: date | None = None, *, font_path: str | None = None,
                       progress: Callable[[int], None] | None = None) -> bytes:
    report = VisitFormReport(center_name, visits, printed_on=printed_on, font_path=font_path, progress=progress)
    return report.render_to(out)


__all__ = [
    "REGISTER_COLUMNS", "Scope", "VisitFormReport", "VisitRegisterReport", "form_table", "register_row",
    "register_summary", "render_visit_forms", "render_visit_register",
]
