"""微实事 / 项目清单: projects with their owner, deadline, budget and cost, milestones and residents concerned.

The view filter gives the two lists the center is asked for: what is overdue
and what was completed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtWidgets import QInputDialog

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.gui.ops import run_op
from desktop_app.gui.projects import costs as cost_ui
from desktop_app.gui.projects.dialogs import ConcernedDialog, MilestoneDialog, ProjectDialog, ProjectStatusDialog
from desktop_app.gui.residents.dialogs import ListEditDialog
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.record_list import (
    DELETE, SEPARATOR, Act, Choice, Loaded, RecordListPage, Removal, Search, Table, bullets, selected, state_html,
    why_chosen,
)
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, MUTED, Column, date_text
from desktop_app.services import projects as svc
from desktop_app.services import residents as resident_service
from desktop_app.services.projects import ProjectDetail, ProjectFilter, ProjectRow
from desktop_app.views.projects import MilestoneRow
from desktop_app.views.changes import Change, changes

VIEWS = (("全部项目", "all"), ("进行中", "open"), ("已逾期", "overdue"), ("已完成", "done"), ("已终止", "stopped"))


_d = date_text


def _yuan(fen: int) -> str:
    return format_yuan(fen) if fen else ""


# Within 1366 pixels beside the details pane (状态 and 进度 were past the table's edge); 状态 next to the name,
# in view at 1024 too. 已记账 beside 实际支出 took its room from the columns wider than their widest cell.
COLUMNS = (
    Column("编号", lambda r: r.project_no, CENTER, 78),
    Column("项目名称", lambda r: r.name, width=140),
    Column("状态", lambda r: r.status + ("·逾期" if r.overdue else ""), CENTER, 80),
    Column("类别", lambda r: r.category, CENTER, 68),
    Column("网格", lambda r: r.grid_name, width=84),
    Column("项目经理", lambda r: r.owner_name, width=60),
    Column("预算（元）", lambda r: _yuan(r.budget_fen), CENTER, 72, sort_key=lambda r: r.budget_fen),
    Column("实际支出", lambda r: _yuan(r.actual_cost_fen), CENTER, 72, sort_key=lambda r: r.actual_cost_fen),
    cost_ui.BOOKED,  # what the 经费台账 holds for it, beside what was typed
    Column("完成期限", lambda r: _d(r.deadline), CENTER, 76),
    Column("进度", lambda r: f"{r.milestones_done}/{r.milestones_total}" if r.milestones_total else "", CENTER, 42),
)


def _color(r: ProjectRow):
    if r.overdue:
        return ALERT
    return {flow.PROJECT_DONE: DONE, flow.PROJECT_STOPPED: MUTED}.get(r.status)


def details_html(p: ProjectDetail) -> str:
    e = escape
    lines = [
        f"<h3>{e(p.name)}</h3>",
        f"<p>{e(p.project_no)}　{e(p.category)}　{e(p.grid_name)}<br>项目经理：{e(p.owner_name)}</p>",
        (f"<p>状态：{state_html(p.status, p.overdue)}{('<br>' + e(p.status_note)) if p.status_note else ''}<br>"
         f"开始：{_d(p.start_date) or '未定'}　期限：{_d(p.deadline)}"
         f"{('<br>完成：' + _d(p.completed_on)) if p.completed_on else ''}</p>"),
        cost_ui.money_html(p),
    ]
    if p.description:
        lines.append(f"<p>{e(p.description)}</p>")
    if p.milestones:
        items = "".join(
            f"<li>{'✔' if m.done_on else ('<span style=color:#c8161e>!</span>' if m.overdue else '○')} {e(m.title)}"
            f"　{_d(m.done_on) if m.done_on else '计划 ' + _d(m.due_date)}</li>" for m in p.milestones)
        lines.append(f"<p>项目节点：</p><ul>{items}</ul>")
    lines.append(bullets("涉及居民", [c.name + (f"：{c.note}" if c.note else "") for c in p.concerned]))
    lines.append(bullets("来自走访", [f"{_d(v.visit_date)} {v.visitee}：{v.content}（{v.follow_state}）"
                                      for v in p.visits]))
    return "".join(lines)


def _pending_milestone(d: ProjectDetail | None) -> bool:
    return d is not None and any(m.done_on is None for m in d.milestones)


class ProjectsPage(cost_ui.CostActions, RecordListPage):
    heading = "微实事 · 项目清单"
    export_kind = "projects"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.PROJECTS, Change.VISITS, Change.ORGS, Change.SERVICE_LISTS, Change.LEDGER)
    writes = changes(Change.PROJECTS)
    tables = (Table(COLUMNS, _color, give_way=("类别", "项目经理", "网格", "实际支出"), stretch=1, details_width=280,
                    empty="新建项目：Ctrl+N；也可在“走访”中把群众反映的问题转为项目。"),)
    filters = (Search("搜索：项目名称、编号、项目经理"), Choice("view", VIEWS),
               Choice("category", all_label="全部类别", fill="categories"), Choice("grid", all_label="全部网格"))
    actions = (
        Act("add", "新建项目", "new_project", "Ctrl+N", name="new"),
        Act("edit", "修改", "edit_project", when=selected, name="edit", writes=True),
        Act("follow-up", "状态", "change_status", when=selected, name="status", writes=True),
        Act("milestone", "添加节点", "add_milestone", when=selected, name="milestone", writes=True),
        Act("fulfil", "节点完成", "milestone_done", when=_pending_milestone, name="done", writes=True,
            why=why_chosen(lambda p: "" if _pending_milestone(p) else "没有未完成的节点：可先“添加节点”")),
        Act("edit", "修改节点", "edit_milestone", when=lambda d: d is not None and bool(d.milestones), name="milestones",
            writes=True,
            why=why_chosen(lambda p: "项目还没有节点：可先“添加节点”")),
        Act("delete", "删除节点", "delete_milestone", when=lambda d: d is not None and bool(d.milestones),
            name="drop_milestone", writes=True, why=why_chosen(lambda p: "项目还没有节点")),
        Act("person-add", "涉及居民", "add_resident", when=selected, name="resident", writes=True),
        *cost_ui.ACTIONS,
        DELETE,
        SEPARATOR,
        Act("tags", "项目类别", "edit_categories", name="lists", writes="settings.write"),
    )
    activate = "edit_project"
    removal = Removal("删除项目", lambda d: f"确定删除项目 {d.project_no}“{d.name}”吗？\n来自走访的记录保留，只是不再关联此项目。",
                      svc.delete_project)

    def current_filter(self, f=None) -> ProjectFilter:
        f = f or self.filter_values()
        return ProjectFilter(
            text=f.text, category=f.category, grid_id=f.grid, open_only=f.view == "open",
            overdue_only=f.view == "overdue",
            status={"done": flow.PROJECT_DONE, "stopped": flow.PROJECT_STOPPED}.get(f.view),
        )

    def load(self, db, f):
        flt, today = self.current_filter(f), self.today
        rows = svc.list_projects(db, flt, today)
        if flt.status == flow.PROJECT_DONE:
            rows.sort(key=lambda r: (r.completed_on or date.min, r.project_no), reverse=True)
        return Loaded(rows, overdue=len(svc.overdue_projects(db, today)), grids=resident_service.grids(db),
                      categories=resident_service.get_list(db, flow.PROJECT_CATEGORY))

    def fetch_detail(self, db, row):
        return svc.get_project(db, row.id, self.today)

    details = staticmethod(details_html)

    def on_loaded(self, loaded: Loaded) -> None:
        budget = sum(r.budget_fen for r in loaded.rows)
        spent = sum(r.actual_cost_fen for r in loaded.rows)
        booked = sum(r.booked_fen for r in loaded.rows)
        self.set_counts(f"列出 {len(loaded.rows)} 个，预算 {format_yuan(budget)} 元，已支出 {format_yuan(spent)} 元"
                        f"，台账已记 {format_yuan(booked)} 元",
                        f"逾期 {loaded.overdue} 个" if loaded.overdue else "")

    @property
    def categories(self):
        return self.loaded_value("categories", flow.DEFAULT_LISTS[flow.PROJECT_CATEGORY])

    # --- actions -----------------------------------------------------------
    def new_project(self) -> None:
        db, grid = self.ctx.db, self.choice("grid").currentData()
        run_op(self, lambda job: svc.default_owner(db, grid), lambda owner: self.run_dialog(
            ProjectDialog(self, db, self.grids, self.categories, default_owner=owner,
                          preset=flow.ProjectInput(grid_id=grid, owner_name=owner), today=self.today),
            lambda p: f"已新建项目 {p.project_no}“{p.name}”。"))

    def edit_project(self) -> None:
        d = self.detail
        if d is not None:
            self.run_dialog(ProjectDialog(self, self.ctx.db, self.grids, self.categories, d, today=self.today),
                            "已保存修改。")

    def change_status(self) -> None:
        d = self.detail
        if d is None:
            return

        def said(p: ProjectDetail) -> str:
            closed = sum(1 for v in p.visits if v.follow_state == flow.SOLVED) if p.status == flow.PROJECT_DONE else 0
            extra = f"，相关的 {closed} 条走访已办结" if closed else ""
            return f"项目“{d.name}”：{p.status}{extra}。"

        self.run_dialog(ProjectStatusDialog(self, self.ctx.db, d, self.today), said)

    def add_milestone(self) -> None:
        d = self.detail
        if d is not None:
            self.run_dialog(MilestoneDialog(self, self.ctx.db, d.id, today=self.today), "已添加项目节点。", keep=d.id)

    def _pick_milestone(self, title: str, prompt: str, milestones: list) -> MilestoneRow | None:
        if len(milestones) == 1:
            return milestones[0]
        labels = [f"{m.title}（{('完成 ' + _d(m.done_on)) if m.done_on else '计划 ' + (_d(m.due_date) or '未定')}）"
                  for m in milestones]
        choice, ok = QInputDialog.getItem(self, title, prompt, labels, 0, False)
        return milestones[labels.index(choice)] if ok and choice in labels else None

    def milestone_done(self) -> None:
        """The step and its day: today is offered, a step done last week is written on its own day."""
        d = self.detail
        pending = [m for m in d.milestones if m.done_on is None] if d is not None else []
        m = self._pick_milestone("节点完成", "哪个节点完成了？", pending) if pending else None
        if m is None:
            return
        dlg = MilestoneDialog(self, self.ctx.db, d.id, replace(m, done_on=self.today), self.today,
                              title=f"节点完成：{m.title}")
        dlg.first_field = dlg.done_on
        self.run_dialog(dlg, f"节点“{m.title}”已完成。", keep=d.id)

    def edit_milestone(self) -> None:
        """Correct a step: its title, its dates, or a 完成日期 entered by mistake (cleared, it is open again)."""
        d = self.detail
        m = self._pick_milestone("修改节点", "修改哪个节点？", list(d.milestones)) if d is not None and d.milestones else None
        if m is not None:
            self.run_dialog(MilestoneDialog(self, self.ctx.db, d.id, m, self.today), "已保存项目节点。", keep=d.id)

    def delete_milestone(self) -> None:
        """A step added by mistake or no longer planned: asked first, naming it; the project stays selected."""
        d = self.detail
        m = self._pick_milestone("删除节点", "删除哪个节点？", list(d.milestones)) if d is not None and d.milestones else None
        if m is None or not common.ask(self, "删除节点", f"确定删除项目“{d.name}”的节点“{m.title}”吗？"):
            return
        db, today = self.ctx.db, self.today
        self.keep(d.id)
        self.write(lambda: svc.delete_milestone(db, m.id, today), f"已删除节点“{m.title}”。")

    def add_resident(self) -> None:
        d = self.detail
        if d is not None:
            self.run_dialog(ConcernedDialog(self, self.ctx.db, d.id, self.today), "已添加涉及居民。", keep=d.id)

    def edit_categories(self) -> None:
        self.run_dialog(ListEditDialog(self, self.ctx.db, flow.PROJECT_CATEGORY, self.categories))
