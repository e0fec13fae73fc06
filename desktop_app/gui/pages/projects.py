"""微实事 / 项目清单: projects with their owner, deadline, budget and cost, milestones and residents concerned.

The view filter gives the two lists the center is asked for: what is overdue
and what was completed.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.money import format_yuan
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common
from desktop_app.gui.dialogs import service_dialogs as dlgs
from desktop_app.gui.dialogs.service_dialogs import Col, ListPanel
from desktop_app.gui.ops import run_op
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import projects as svc
from desktop_app.services import residents as resident_service
from desktop_app.services.projects import ProjectDetail, ProjectFilter, ProjectRow

VIEWS = (("全部项目", "all"), ("进行中", "open"), ("已逾期", "overdue"), ("已完成", "done"), ("已终止", "stopped"))


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


def _yuan(fen: int) -> str:
    return format_yuan(fen) if fen else ""


COLUMNS = (
    Col("编号", lambda r: r.project_no, True, 92),
    Col("项目名称", lambda r: r.name, False, 220),
    Col("类别", lambda r: r.category, True, 76),
    Col("网格", lambda r: r.grid_name, False, 110),
    Col("项目经理", lambda r: r.owner_name, False, 76),
    Col("预算（元）", lambda r: _yuan(r.budget_fen), True, 88),
    Col("实际支出", lambda r: _yuan(r.actual_cost_fen), True, 88),
    Col("完成期限", lambda r: _d(r.deadline), True, 88),
    Col("状态", lambda r: r.status + ("·逾期" if r.overdue else ""), True, 80),
    Col("进度", lambda r: f"{r.milestones_done}/{r.milestones_total}" if r.milestones_total else "", True, 50),
)


def _color(r: ProjectRow):
    if r.overdue:
        return dlgs.ALERT
    return {flow.PROJECT_DONE: dlgs.DONE, flow.PROJECT_STOPPED: dlgs.MUTED}.get(r.status)


def details_html(p: ProjectDetail) -> str:
    e = escape
    state = f"<b style='color:#c8161e'>{e(p.status)}（已逾期）</b>" if p.overdue else f"<b>{e(p.status)}</b>"
    lines = [
        f"<h3>{e(p.name)}</h3>",
        f"<p>{e(p.project_no)}　{e(p.category)}　{e(p.grid_name)}<br>项目经理：{e(p.owner_name)}</p>",
        f"<p>状态：{state}{('<br>' + e(p.status_note)) if p.status_note else ''}<br>"
        f"开始：{_d(p.start_date) or '未定'}　期限：{_d(p.deadline)}"
        f"{('<br>完成：' + _d(p.completed_on)) if p.completed_on else ''}</p>",
        f"<p>预算：{format_yuan(p.budget_fen)} 元<br>实际支出：{format_yuan(p.actual_cost_fen)} 元</p>",
    ]
    if p.description:
        lines.append(f"<p>{e(p.description)}</p>")
    if p.milestones:
        items = "".join(
            f"<li>{'✔' if m.done_on else ('<span style=color:#c8161e>!</span>' if m.overdue else '○')} {e(m.title)}"
            f"　{_d(m.done_on) if m.done_on else '计划 ' + _d(m.due_date)}</li>" for m in p.milestones)
        lines.append(f"<p>项目节点：</p><ul>{items}</ul>")
    if p.concerned:
        items = "".join(f"<li>{e(c.name)}{('：' + e(c.note)) if c.note else ''}</li>" for c in p.concerned)
        lines.append(f"<p>涉及居民：</p><ul>{items}</ul>")
    if p.visits:
        items = "".join(f"<li>{_d(v.visit_date)} {e(v.visitee)}：{e(v.content)}（{e(v.follow_state)}）</li>"
                        for v in p.visits)
        lines.append(f"<p>来自走访：</p><ul>{items}</ul>")
    return "".join(lines)


class ProjectsPage(Page):
    title = "微实事"
    icon = "projects"
    watches = ("projects", "visits", "orgs", "service_lists")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.grids: list[resident_service.Grid] = []
        self.categories: tuple[str, ...] = flow.DEFAULT_LISTS[flow.PROJECT_CATEGORY]
        self.detail: ProjectDetail | None = None
        self._keep: str | None = None
        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(dlgs.heading("微实事 · 项目清单"))
        top.addStretch(1)
        top.addWidget(self.counts)

        tb, action = dlgs.toolbar(self)
        self.act_new = action("add", "新建项目", self.new_project, "Ctrl+N")
        self.act_edit = action("edit", "修改", self.edit_project)
        self.act_status = action("follow-up", "状态", self.change_status)
        self.act_milestone = action("milestone", "添加节点", self.add_milestone)
        self.act_done = action("fulfil", "节点完成", self.milestone_done)
        self.act_resident = action("person-add", "涉及居民", self.add_resident)
        self.act_delete = action("delete", "删除", self.delete_project)
        tb.addSeparator()
        self.act_lists = action("tags", "项目类别", self.edit_categories)

        self.search = dlgs.search_box("搜索：项目名称、编号、项目经理")
        self.view = dlgs.combo(VIEWS)
        self.category = QComboBox()
        self.category.addItem("全部类别", None)
        self.grid = QComboBox()
        self.grid.addItem("全部网格", None)
        self.search.textChanged.connect(dlgs.debounced(self, self.refresh))
        for box in (self.view, self.category, self.grid):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for box in (self.view, self.category, self.grid):
            filters.addWidget(box)

        self.panel = ListPanel(COLUMNS, _color, stretch=1, details_width=280)
        self.panel.current_changed.connect(self._current)
        self.panel.activated.connect(lambda _r: self.edit_project())
        self.message = QLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(tb)
        lay.addLayout(filters)
        lay.addWidget(self.panel, 1)
        lay.addWidget(self.message)
        self._update_actions()

    @property
    def today(self) -> date:
        return self._today or date.today()

    def current_filter(self) -> ProjectFilter:
        view = self.view.currentData()
        return ProjectFilter(
            text=self.search.text(), category=self.category.currentData(), grid_id=self.grid.currentData(),
            open_only=view == "open", overdue_only=view == "overdue",
            status={"done": flow.PROJECT_DONE, "stopped": flow.PROJECT_STOPPED}.get(view),
        )

    def refresh(self) -> None:
        super().refresh()
        db, flt, today = self.ctx.db, self.current_filter(), self.today

        def load(job):
            rows = svc.list_projects(db, flt, today)
            if flt.status == flow.PROJECT_DONE:
                rows.sort(key=lambda r: (r.completed_on or date.min, r.project_no), reverse=True)
            return (rows, len(svc.overdue_projects(db, today)), resident_service.grids(db),
                    resident_service.get_list(db, flow.PROJECT_CATEGORY))

        keep = self._keep or (self.panel.selected().id if self.panel.selected() else None)
        self._keep = None
        run_op(self, load, lambda result: self._loaded(result, keep))

    def _loaded(self, result, keep) -> None:
        rows, overdue, grids, categories = result
        self.grids, self.categories = grids, categories
        dlgs.refill(self.grid, "全部网格", [(g.name, g.id) for g in grids])
        dlgs.refill(self.category, "全部类别", [(c, c) for c in categories])
        self.panel.set_rows(rows, keep)
        budget = sum(r.budget_fen for r in rows)
        spent = sum(r.actual_cost_fen for r in rows)
        text = f"列出 {len(rows)} 个，预算 {format_yuan(budget)} 元，已支出 {format_yuan(spent)} 元"
        self.counts.setText(text + (f"　<span style='color:#c8161e'>逾期 {overdue} 个</span>" if overdue else ""))
        self._update_actions()

    def _current(self, row: ProjectRow | None) -> None:
        self.detail = None
        self._update_actions()
        if row is None:
            self.panel.details.setText("新建项目：Ctrl+N；也可在“走访”中把群众反映的问题转为项目。")
            return
        db, today = self.ctx.db, self.today
        run_op(self, lambda job: svc.get_project(db, row.id, today), self._show_detail)

    def _show_detail(self, detail: ProjectDetail) -> None:
        current = self.panel.selected()
        if current is None or current.id != detail.id:
            return
        self.detail = detail
        self.panel.details.setText(details_html(detail))
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.panel.selected()
        d = self.detail if self.detail and row and self.detail.id == row.id else None
        for act in (self.act_edit, self.act_status, self.act_milestone, self.act_resident, self.act_delete):
            act.setEnabled(d is not None)
        self.act_done.setEnabled(d is not None and any(m.done_on is None for m in d.milestones))

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _changed(self, project_id: str | None, text: str) -> None:
        self._keep = project_id
        self.show_message(text)
        bus.changed.emit("projects")

    # --- actions -----------------------------------------------------------
    def new_project(self) -> None:
        db, grid = self.ctx.db, self.grid.currentData()
        run_op(self, lambda job: svc.default_owner(db, grid), self._open_new)

    def _open_new(self, owner: str) -> None:
        dlg = dlgs.ProjectDialog(self, self.ctx.db, self.grids, self.categories, default_owner=owner,
                                 preset=flow.ProjectInput(grid_id=self.grid.currentData(), owner_name=owner),
                                 today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(dlg.saved.id, f"已新建项目 {dlg.saved.project_no}“{dlg.saved.name}”。")

    def edit_project(self) -> None:
        d = self.detail
        if d is None:
            return
        dlg = dlgs.ProjectDialog(self, self.ctx.db, self.grids, self.categories, d, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, "已保存修改。")

    def change_status(self) -> None:
        d = self.detail
        if d is None:
            return
        dlg = dlgs.ProjectStatusDialog(self, self.ctx.db, d, self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            closed = sum(1 for v in dlg.saved.visits if v.follow_state == flow.SOLVED) if dlg.saved.status == flow.PROJECT_DONE else 0
            extra = f"，相关的 {closed} 条走访已办结" if closed else ""
            self._changed(d.id, f"项目“{d.name}”：{dlg.saved.status}{extra}。")
            if closed:
                bus.changed.emit("visits")

    def add_milestone(self) -> None:
        d = self.detail
        if d is None:
            return
        dlg = dlgs.MilestoneDialog(self, self.ctx.db, d.id, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, "已添加项目节点。")

    def milestone_done(self) -> None:
        d = self.detail
        if d is None:
            return
        pending = [m for m in d.milestones if m.done_on is None]
        if not pending:
            return
        labels = [f"{m.title}（计划 {_d(m.due_date) or '未定'}）" for m in pending]
        choice, ok = QInputDialog.getItem(self, "节点完成", "哪个节点完成了？（今天完成）", labels, 0, False)
        if not ok or choice not in labels:
            return
        m = pending[labels.index(choice)]
        db, today = self.ctx.db, self.today
        inp = flow.MilestoneInput(m.title, m.due_date, today, m.note)
        run_op(self, lambda job: svc.update_milestone(db, m.id, inp, today),
               lambda _r: self._changed(d.id, f"节点“{m.title}”已完成。"))

    def add_resident(self) -> None:
        d = self.detail
        if d is None:
            return
        dlg = dlgs.ConcernedDialog(self, self.ctx.db, d.id, self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._changed(d.id, "已添加涉及居民。")

    def delete_project(self) -> None:
        d = self.detail
        if d is None or not common.ask(self, "删除项目", f"确定删除项目 {d.project_no}“{d.name}”吗？\n"
                                                       "来自走访的记录保留，只是不再关联此项目。"):
            return
        db = self.ctx.db
        run_op(self, lambda job: svc.delete_project(db, d.id), lambda _r: self._changed(None, "已删除。"))

    def edit_categories(self) -> None:
        dlg = dlgs.ListEditDialog(self, self.ctx.db, flow.PROJECT_CATEGORY, self.categories)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            bus.changed.emit("service_lists")
