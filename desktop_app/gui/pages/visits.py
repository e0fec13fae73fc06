"""走访: log what was heard on a round, follow each problem to a close, print the record and the monthly summary.

Ctrl+N opens the visit dialog with today's date and the companions of the
last visit; type the resident's initials or door number, Enter, the problem,
Ctrl+Enter. 办理 (Ctrl+D) moves the selected visit's follow-up.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.gui.bus import bus
from desktop_app.gui.dialogs import common
from desktop_app.gui.dialogs import service_dialogs as dlgs
from desktop_app.gui.dialogs.service_dialogs import Col, ListPanel
from desktop_app.gui.ops import run_op
from desktop_app.services import auth
from desktop_app.gui.pages import AppContext, Page
from desktop_app.services import residents as resident_service
from desktop_app.services import visits as visit_service
from desktop_app.services.visits import VisitDetail, VisitFilter, VisitRow

OVERDUE = "overdue"
OPEN = "open"

STATE_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("全部状态", None), ("未办结", OPEN), ("逾期", OVERDUE), *[(s, s) for s in flow.FOLLOW_STATES],
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("全部时间", "all"), ("本月", "month"), ("近三个月", "quarter"), ("今年", "year"),
)


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


def _state_text(r: VisitRow) -> str:
    if r.follow_state in flow.OPEN_STATES and r.due_date:
        return f"{r.follow_state}{'·逾期' if r.overdue else ''}（{r.due_date:%m-%d}）"
    return r.follow_state


# The grid, form and handler are in the details pane and the filters: the table keeps room for the problem.
COLUMNS = (
    Col("日期", lambda r: _d(r.visit_date), True, 84),
    Col("走访对象", lambda r: r.visitee, False, 64),
    Col("住址 / 地点", lambda r: r.address, False, 150),
    Col("走访人", lambda r: r.visitors, False, 100),
    Col("类别", lambda r: r.category, True, 64),
    Col("反映问题", lambda r: r.content if r.raised_issue else "（未反映问题）", False, 200),
    Col("办理状态", _state_text, True, 124),
)


def _color(r: VisitRow):
    if r.overdue:
        return dlgs.ALERT
    if r.follow_state == flow.SOLVED:
        return dlgs.DONE
    if r.follow_state == flow.NO_ACTION:
        return dlgs.MUTED
    return None


def period_bounds(key: str, today: date) -> tuple[date | None, date | None]:
    if key == "month":
        return today.replace(day=1), today
    if key == "quarter":
        return today - timedelta(days=91), today
    if key == "year":
        return date(today.year, 1, 1), today
    return None, None


def details_html(v: VisitDetail) -> str:
    e = escape
    state = f"<b style='color:#c8161e'>{e(v.follow_state)}（已逾期）</b>" if v.overdue else f"<b>{e(v.follow_state)}</b>"
    lines = [
        f"<h3>{e(v.visitee_name or v.place or '走访')}</h3>",
        f"<p>{e(v.visit_date.isoformat())} {e(v.form)}　{e(v.grid_name)}<br>{e(v.address)}</p>",
        f"<p>走访人：{e('、'.join(v.visitor_names))}</p>",
    ]
    if v.raised_issue:
        lines.append(f"<p>问题类别：{e(v.category)}<br>反映问题：{e(v.content)}</p>")
        lines.append(f"<p>办理状态：{state}<br>责任人：{e(v.handler or '未指定')}　期限：{_d(v.due_date)}</p>")
    else:
        lines.append(f"<p>{e(v.content or flow.NOTHING_RAISED)}</p>")
    if v.resolved_on:
        lines.append(f"<p>办结：{e(v.resolved_by)} {_d(v.resolved_on)}<br>{e(v.resolution)}</p>")
    if v.project_name:
        lines.append(f"<p>已转为微实事项目：{e(v.project_name)}</p>")
    steps = "".join(f"<li>{_d(h.on_date)} {e(h.to_state)} {e(h.by)}{('：' + e(h.note)) if h.note and h.note != '登记' else ''}</li>"
                    for h in v.history)
    lines.append(f"<p>办理经过：</p><ul>{steps}</ul>")
    return "".join(lines)


class VisitsPage(Page):
    title = "走访"
    icon = "visits"
    watches = ("visits", "residents", "members", "projects", "orgs", "service_lists")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.grids: list[resident_service.Grid] = []
        self.categories: tuple[str, ...] = flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY]
        self.detail: VisitDetail | None = None
        self._keep: str | None = None

        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(dlgs.heading("走访与民情恳谈"))
        top.addStretch(1)
        top.addWidget(self.counts)

        tb, action = dlgs.toolbar(self)
        self.act_log = action("add", "登记走访", self.log_visit, "Ctrl+N")
        self.act_follow = action("follow-up", "办理", self.follow_up, "Ctrl+D")
        self.act_edit = action("edit", "修改", self.edit_visit)
        self.act_project = action("to-project", "转为项目", self.to_project)
        self.act_delete = action("delete", "删除", self.delete_visit)
        tb.addSeparator()
        self.act_print = action("print", "打印走访记录表", self.print_register)
        self.act_print_one = action("print", "打印本条", self.print_selected)
        self.act_summary = action("stats", "服务月报", self.print_summary)
        self.act_lists = action("tags", "问题类别", self.edit_categories)

        self.search = dlgs.search_box("搜索：对象、问题、走访人（可用拼音首字母）")
        self.state = dlgs.combo(STATE_FILTERS)
        self.period = dlgs.combo(PERIODS)
        self.grid = QComboBox()
        self.grid.addItem("全部网格", None)
        self.category = QComboBox()
        self.category.addItem("全部类别", None)
        self.search.textChanged.connect(dlgs.debounced(self, self.refresh))
        for box in (self.state, self.period, self.grid, self.category):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for box in (self.state, self.period, self.grid, self.category):
            filters.addWidget(box)

        self.panel = ListPanel(COLUMNS, _color, stretch=5, details_width=250)
        self.panel.current_changed.connect(self._current)
        self.panel.activated.connect(lambda _r: self.follow_up())
        self.message = QLabel()
        self.message.setObjectName("statusMessage")

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

    # --- loading -----------------------------------------------------------
    def current_filter(self) -> VisitFilter:
        state = self.state.currentData()
        start, end = period_bounds(self.period.currentData(), self.today)
        return VisitFilter(
            text=self.search.text(), grid_id=self.grid.currentData(), category=self.category.currentData(),
            state=state if state not in (OPEN, OVERDUE) else None, open_only=state == OPEN,
            overdue_only=state == OVERDUE, date_from=start, date_to=end,
        )

    def refresh(self) -> None:
        super().refresh()
        db, flt, today = self.ctx.db, self.current_filter(), self.today

        def load(job):
            return (visit_service.list_visits(db, flt, today), len(visit_service.overdue(db, today)),
                    resident_service.grids(db), resident_service.get_list(db, flow.ISSUE_CATEGORY))

        keep = self._keep or (self.panel.selected().id if self.panel.selected() else None)
        self._keep = None
        run_op(self, load, lambda result: self._loaded(result, keep))

    def _loaded(self, result, keep: str | None) -> None:
        rows, overdue, grids, categories = result
        self.grids, self.categories = grids, categories
        dlgs.refill(self.grid, "全部网格", [(g.name, g.id) for g in grids])
        dlgs.refill(self.category, "全部类别", [(c, c) for c in categories])
        self.panel.set_rows(rows, keep)
        open_count = sum(1 for r in rows if r.follow_state in flow.OPEN_STATES)
        text = f"共 {len(rows)} 条，未办结 {open_count} 条"
        self.counts.setText(text + (f"　<span style='color:#c8161e'>全部逾期 {overdue} 条</span>" if overdue else ""))
        self._update_actions()

    def _current(self, row: VisitRow | None) -> None:
        self.detail = None
        self._update_actions()
        if row is None:
            self.panel.details.setText("登记走访：Ctrl+N。<br>选中一条记录后可办理（Ctrl+D）、修改或转为项目。")
            return
        db, today = self.ctx.db, self.today
        run_op(self, lambda job: visit_service.get_visit(db, row.id, today), self._show_detail)

    def _show_detail(self, detail: VisitDetail) -> None:
        current = self.panel.selected()
        if current is None or current.id != detail.id:
            return
        self.detail = detail
        self.panel.details.setText(details_html(detail))
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.panel.selected()
        d = self.detail if self.detail and row and self.detail.id == row.id else None
        for act in (self.act_edit, self.act_delete, self.act_print_one):
            act.setEnabled(d is not None)
        self.act_follow.setEnabled(d is not None and bool(flow.FOLLOW_TRANSITIONS.get(d.follow_state)))
        self.act_project.setEnabled(
            d is not None and d.follow_state in flow.OPEN_STATES and not d.project_id
            and auth.can(self.ctx.db, "projects.write")
        )

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # --- actions -----------------------------------------------------------
    def log_visit(self) -> None:
        db = self.ctx.db
        run_op(self, lambda job: visit_service.last_visitors(db), self._open_log_dialog)

    def _open_log_dialog(self, last: tuple[list, str]) -> None:
        visitors, others = last
        dlg = dlgs.VisitDialog(self, self.ctx.db, self.grids, self.categories, visitors, others, today=self.today)
        dlg.logged.connect(self._logged)
        dlg.exec()
        if dlg.count:
            self.show_message(f"已登记 {dlg.count} 条走访。")

    def _logged(self, detail: VisitDetail) -> None:
        self._keep = detail.id
        bus.changed.emit("visits")

    def edit_visit(self) -> None:
        d = self.detail
        if d is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: visit_service.members_by_id(db, d.member_ids), lambda members: self._edit(d, members))

    def _edit(self, d: VisitDetail, members) -> None:
        dlg = dlgs.VisitDialog(self, self.ctx.db, self.grids, self.categories, detail=d, members=members,
                               today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._keep = d.id
            self.show_message("已保存修改。")
            bus.changed.emit("visits")

    def follow_up(self) -> None:
        d = self.detail
        if d is None or not flow.FOLLOW_TRANSITIONS.get(d.follow_state):
            return
        default_by = d.handler or "、".join(d.visitor_names[:1])
        dlg = dlgs.FollowUpDialog(self, self.ctx.db, d, default_by, self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._keep = d.id
            self.show_message(f"“{d.visitee_name or d.place}”反映的问题：{dlg.saved.follow_state}。")
            bus.changed.emit("visits")

    def to_project(self) -> None:
        d = self.detail
        if d is None:
            return
        from desktop_app.services import projects

        db = self.ctx.db
        run_op(self, lambda job: (projects.default_owner(db, d.grid_id),
                                  resident_service.get_list(db, flow.PROJECT_CATEGORY)),
               lambda result: self._to_project(d, *result))

    def _to_project(self, d: VisitDetail, owner: str, categories) -> None:
        db, today = self.ctx.db, self.today
        preset = flow.ProjectInput(name=f"{d.address or d.visitee_name}{d.category}问题处理"[:60], grid_id=d.grid_id,
                                   owner_name=owner or d.handler, description=d.content,
                                   deadline=max(d.due_date or today, today + timedelta(days=30)))
        dlg = dlgs.ProjectDialog(self, db, self.grids, categories, title="转为微实事项目", preset=preset,
                                 save=lambda inp: visit_service.to_project(db, d.id, inp, today), today=today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._keep = d.id
            self.show_message(f"已转为项目“{dlg.saved.name}”（{dlg.saved.project_no}），可在“微实事”中跟进。")
            bus.changed.emit("visits")
            bus.changed.emit("projects")

    def delete_visit(self) -> None:
        d = self.detail
        if d is None or not common.ask(self, "删除走访记录",
                                       f"确定删除 {d.visit_date.isoformat()} 对“{d.visitee_name or d.place}”的走访记录吗？"):
            return
        db = self.ctx.db

        def done(_r) -> None:
            self.show_message("已删除。")
            bus.changed.emit("visits")

        run_op(self, lambda job: visit_service.delete_visit(db, d.id), done)

    def edit_categories(self) -> None:
        dlg = dlgs.ListEditDialog(self, self.ctx.db, flow.ISSUE_CATEGORY, self.categories)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            bus.changed.emit("service_lists")

    # --- printing ----------------------------------------------------------
    def print_register(self) -> None:
        rows = sorted(self.panel.model.rows, key=lambda r: r.visit_date)
        path = dlgs.ask_save_path(self, f"打印走访记录表（当前列出的 {len(rows)} 条）",
                                  f"走访记录表{self.today:%Y%m%d}.pdf")
        if path is None:
            return
        from desktop_app.reports.visit import Scope, render_visit_register

        start, end = period_bounds(self.period.currentData(), self.today)
        scope = Scope(start, end, self.grid.currentText() if self.grid.currentData() else "")
        center, today = self.ctx.site.org_name, self.today
        run_op(self, lambda job: render_visit_register(center, rows, path, scope, today,
                                                       progress=lambda p: job.report(p, 0)),
               lambda _d: self.show_message(f"已保存走访记录表：{path}"), label="正在生成走访记录表…")

    def print_selected(self) -> None:
        ids = [r.id for r in self.panel.selected_rows()]
        if not ids:
            return
        path = dlgs.ask_save_path(self, "打印走访记录", f"走访记录{self.today:%Y%m%d}.pdf")
        if path is None:
            return
        from desktop_app.reports.visit import visit_pdf

        db, today = self.ctx.db, self.today
        run_op(self, lambda job: visit_pdf(db, path, visit_ids=ids, today=today),
               lambda n: self.show_message(f"已保存 {n} 份走访记录：{path}"), label="正在生成…")

    def print_summary(self) -> None:
        month = dlgs.ask_month(self, self.today)
        if month is None:
            return
        year, m = month
        path = dlgs.ask_save_path(self, "服务群众工作月报", f"服务群众工作月报{year}年{m}月.pdf")
        if path is None:
            return
        from desktop_app.reports.service_summary import service_summary_pdf

        db, grid, today = self.ctx.db, self.grid.currentData(), self.today
        run_op(self, lambda job: service_summary_pdf(db, path, year, m, grid, today),
               lambda _s: self.show_message(f"已保存 {year}年{m}月服务群众工作月报：{path}"), label="正在生成月报…")
