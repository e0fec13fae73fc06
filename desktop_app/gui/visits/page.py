"""走访: log what was heard on a round, follow each problem to a close, print the record and the monthly summary.

Ctrl+N opens the visit dialog with today's date and the companions of the
last visit; type the resident's initials or door number, Enter, the problem,
Ctrl+Enter. 办理 (Ctrl+D) moves the selected visit's follow-up.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from desktop_app.domain import service_flow as flow
from desktop_app.gui.ops import run_op
from desktop_app.gui.projects.dialogs import ProjectDialog
from desktop_app.gui.residents.dialogs import ListEditDialog
from desktop_app.gui.visits.dialogs import FollowUpDialog, VisitDialog
from desktop_app.gui.widgets import forms
from desktop_app.gui.widgets.record_list import (
    DELETE, SEPARATOR, Act, Choice, Loaded, RecordListPage, Removal, Search, Table, selected, state_html,
)
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, MUTED, Column, date_text
from desktop_app.services import auth, projects, service_stats
from desktop_app.services import cobuilding as cb
from desktop_app.services import residents as resident_service
from desktop_app.services import visits as visit_service
from desktop_app.services.visits import VisitDetail, VisitFilter, VisitRow
from desktop_app.views.changes import Change, changes

OVERDUE = "overdue"
OPEN = "open"
RAISED, CLOSED = "raised", "closed"  # what the 工作台's 反映问题 and 办结 count (办结: by the period's end)

STATE_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("全部状态", None), ("未办结", OPEN), ("逾期", OVERDUE), ("反映问题", RAISED), ("已办结", CLOSED),
    *[(s, s) for s in flow.FOLLOW_STATES],
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("全部时间", "all"), ("本月", "month"), ("近三个月", "quarter"), ("今年", "year"),
)


_d = date_text


def _state_text(r: VisitRow) -> str:
    if r.follow_state in flow.OPEN_STATES and r.due_date:
        return f"{r.follow_state}{'·逾期' if r.overdue else ''}（{r.due_date:%m-%d}）"
    return r.follow_state


# The grid, form and handler are in the details pane and the filters: the table keeps room for the problem.
COLUMNS = (
    Column("日期", lambda r: _d(r.visit_date), CENTER, 84, sort_key=lambda r: r.visit_date),
    Column("走访对象", lambda r: r.visitee, width=64),
    Column("住址 / 地点", lambda r: r.address, width=150),
    Column("走访人", lambda r: r.visitors, width=100),
    Column("类别", lambda r: r.category, CENTER, 64),
    Column("反映问题", lambda r: r.content if r.raised_issue else "（未反映问题）", width=200),
    Column("办理状态", _state_text, CENTER, 144),  # 「处理中·逾期（12-31）」 whole: the deadline is what matters
)


def _color(r: VisitRow):
    if r.overdue:
        return ALERT
    if r.follow_state == flow.SOLVED:
        return DONE
    if r.follow_state == flow.NO_ACTION:
        return MUTED
    return None


def period_bounds(key: str, today: date) -> tuple[date | None, date | None]:
    if key == "month":
        return today.replace(day=1), today
    if key == "quarter":
        return today - timedelta(days=91), today
    if key == "year":
        return date(today.year, 1, 1), today
    if key.isdigit():  # a given year, as the 工作台 opens it
        return date(int(key), 1, 1), date(int(key), 12, 31)
    return None, None


def details_html(v: VisitDetail) -> str:
    e = escape
    lines = [
        f"<h3>{e(v.visitee_name or v.place or '走访')}</h3>",
        f"<p>{e(v.visit_date.isoformat())} {e(v.form)}　{e(v.grid_name)}<br>{e(v.address)}</p>",
        f"<p>走访人：{e('、'.join(v.visitor_names))}</p>",
    ]
    if v.raised_issue:
        lines.append(f"<p>问题类别：{e(v.category)}<br>反映问题：{e(v.content)}</p>")
        lines.append(f"<p>办理状态：{state_html(v.follow_state, v.overdue)}<br>"
                     f"责任人：{e(v.handler or '未指定')}　期限：{_d(v.due_date)}</p>")
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


def removal_question(d: VisitDetail) -> str:
    """An open problem deleted with its visit leaves 未办结, 逾期 and the 月报 unseen: say so before."""
    asked = f"确定删除 {d.visit_date.isoformat()} 对“{d.visitee_name or d.place}”的走访记录吗？"
    if d.raised_issue and d.follow_state in flow.OPEN_STATES:
        asked += (f"\n\n这条走访反映的问题还没有办结（{d.follow_state}）。删除后它不再出现在未办结和逾期提醒中，"
                  f"也不计入服务月报。问题已解决或不需处理的，请改用“办理”记下结果。")
    return asked


class VisitsPage(RecordListPage):
    heading = "走访与民情恳谈"
    export_kind = "visits"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.VISITS, Change.RESIDENTS, Change.MEMBERS, Change.PROJECTS, Change.ORGS,
                      Change.SERVICE_LISTS)
    writes = changes(Change.VISITS)
    tables = (Table(COLUMNS, _color, give_way=("走访人", "住址 / 地点", "类别"), stretch=5, details_width=250,
                    empty="登记走访：Ctrl+N。<br>选中一条记录后可“办理”（Ctrl+D）或“修改”。<br>群众反映的问题可“转为项目”，需求可“转入需求清单”。"),)
    filters = (Search("搜索：对象、问题、走访人（可用拼音首字母）"), Choice("state", STATE_FILTERS),
               Choice("period", PERIODS), Choice("grid", all_label="全部网格"), Choice("category", all_label="全部类别", fill="categories"))
    actions = (
        Act("add", "登记走访", "log_visit", "Ctrl+N", name="log"),
        Act("follow-up", "办理", "follow_up", "Ctrl+D", when="can_follow", name="follow", writes=True),
        Act("edit", "修改", "edit_visit", when=selected, name="edit", writes=True),
        Act("to-project", "转为项目", "to_project", when="can_make_project", name="project", writes="projects.write"),
        Act("to-project", "转入需求清单", "to_need", when="can_make_need", name="need", writes="cobuilding.write"),
        DELETE,
        SEPARATOR,
        Act("print", "打印走访记录表", "print_register", name="print"),
        Act("print", "打印本条", "print_selected", when=selected, name="print_one"),
        Act("stats", "服务月报", "print_summary", name="summary"),
        Act("tags", "问题类别", "edit_categories", name="lists", writes="settings.write"),
    )
    activate = "follow_up"
    removal = Removal("删除走访记录", lambda d: removal_question(d), visit_service.delete_visit)

    def current_filter(self, f=None) -> VisitFilter:
        f = f or self.filter_values()
        start, end = period_bounds(f.period, self.today)
        return VisitFilter(
            text=f.text, grid_id=f.grid, category=f.category,
            state=f.state if f.state not in (OPEN, OVERDUE, RAISED, CLOSED) else None, open_only=f.state == OPEN,
            overdue_only=f.state == OVERDUE, raised_only=f.state == RAISED, closed_only=f.state == CLOSED,
            date_from=start, date_to=end,
        )

    def apply_filter(self, year: int | None = None, **values) -> dict:
        """`year` picks 今年 or that year's own period."""
        if year is not None:
            box = self.choice("period")
            values["period"] = "year" if year == self.today.year else str(year)
            if box.findData(values["period"]) < 0:
                box.addItem(f"{year}年", str(year))
        return super().apply_filter(**values)

    def load(self, db, f):
        today = self.today
        return Loaded(visit_service.list_visits(db, self.current_filter(f), today),
                      overdue=len(visit_service.overdue(db, today)), grids=resident_service.grids(db),
                      categories=resident_service.get_list(db, flow.ISSUE_CATEGORY),
                      can_project=auth.can(db, "projects.write"), can_need=auth.can(db, "cobuilding.write"))

    def fetch_detail(self, db, row):
        return visit_service.get_visit(db, row.id, self.today)

    details = staticmethod(details_html)

    def on_loaded(self, loaded: Loaded) -> None:
        open_count = sum(1 for r in loaded.rows if r.follow_state in flow.OPEN_STATES)
        self.set_counts(f"共 {len(loaded.rows)} 条，未办结 {open_count} 条",
                        f"全部逾期 {loaded.overdue} 条" if loaded.overdue else "")

    @property
    def categories(self):
        return self.loaded_value("categories", flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY])

    def can_follow(self, d: VisitDetail | None) -> bool:
        return d is not None and bool(flow.FOLLOW_TRANSITIONS.get(d.follow_state))

    def can_make_project(self, d: VisitDetail | None) -> bool:
        return (d is not None and d.follow_state in flow.OPEN_STATES and not d.project_id
                and bool(self.loaded and self.loaded.can_project))

    def can_make_need(self, d: VisitDetail | None) -> bool:
        return d is not None and d.raised_issue and bool(self.loaded and self.loaded.can_need)

    # --- actions -----------------------------------------------------------
    def log_visit(self) -> None:
        db = self.ctx.db
        run_op(self, lambda job: visit_service.last_visitors(db), self._open_log_dialog)

    def _open_log_dialog(self, last) -> None:
        visitors, others = last
        dlg = VisitDialog(self, self.ctx.db, self.grids, self.categories, visitors, others, today=self.today)
        self.run_dialog(dlg)
        if dlg.count:
            self.show_message(f"已登记 {dlg.count} 条走访。")

    def edit_visit(self) -> None:
        d = self.detail
        if d is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: visit_service.members_by_id(db, d.member_ids), lambda members: self.run_dialog(
            VisitDialog(self, db, self.grids, self.categories, detail=d, members=members, today=self.today),
            "已保存修改。"))

    def follow_up(self) -> None:
        d = self.detail
        if not self.can_follow(d):
            return
        default_by = d.handler or "、".join(d.visitor_names[:1])
        self.run_dialog(FollowUpDialog(self, self.ctx.db, d, default_by, self.today),
                        lambda v: f"“{d.visitee_name or d.place}”反映的问题：{v.follow_state}。")

    def to_project(self) -> None:
        d = self.detail
        if d is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: (projects.default_owner(db, d.grid_id),
                                  resident_service.get_list(db, flow.PROJECT_CATEGORY)),
               lambda result: self._to_project(d, *result))

    def _to_project(self, d: VisitDetail, owner: str, categories) -> None:
        db, today = self.ctx.db, self.today
        preset = flow.ProjectInput(name=f"{d.address or d.visitee_name}{d.category}问题处理"[:60], grid_id=d.grid_id,
                                   owner_name=owner or d.handler, description=d.content,
                                   deadline=max(d.due_date or today, today + timedelta(days=30)))
        dlg = ProjectDialog(self, db, self.grids, categories, title="转为微实事项目", preset=preset,
                            save=lambda inp: visit_service.to_project(db, d.id, inp, today), today=today,
                            changes=changes(Change.VISITS, Change.PROJECTS))
        self.run_dialog(dlg, lambda p: f"已转为项目“{p.name}”（{p.project_no}），可在“微实事”中跟进。", keep=d.id)

    def to_need(self) -> None:
        """A resident's need raised on this visit goes onto 三单's 需求清单, to be matched with a unit's 资源
        there; the service refuses a visit already on the list."""
        d = self.detail
        if not self.can_make_need(d):
            return
        db, today = self.ctx.db, self.today
        self.write(lambda: cb.need_from_visit(db, d.id, today),
                   lambda x: f"已转入需求清单：{x.title}。可在“三单”中对接资源、立项。",
                   changes(Change.VISITS, Change.COBUILDING))

    def edit_categories(self) -> None:
        self.run_dialog(ListEditDialog(self, self.ctx.db, flow.ISSUE_CATEGORY, self.categories))

    # --- printing ----------------------------------------------------------
    def print_register(self) -> None:
        db, flt, today = self.ctx.db, self.current_filter(), self.today
        self.print_pdf(f"打印走访记录表（当前列出的 {len(self.panel.model.rows)} 条）", f"走访记录表{today:%Y%m%d}.pdf",
                       lambda path, job: visit_service.print_visit_register(
                           db, path, flt, today=today, progress=lambda p: job.report(p, 0)),
                       lambda path, _n: f"已保存走访记录表：{path}", "正在生成走访记录表…")

    def print_selected(self) -> None:
        ids = [r.id for r in self.panel.selected_rows()]
        if not ids:
            return
        db, today = self.ctx.db, self.today
        self.print_pdf("打印走访记录", f"走访记录{today:%Y%m%d}.pdf",
                       lambda path, job: visit_service.print_visit_forms(db, path, ids, today=today),
                       lambda path, n: f"已保存 {n} 份走访记录：{path}")

    def print_summary(self) -> None:
        month = forms.ask_month(self, "服务群众工作月报", self.today)
        if month is None:
            return
        year, m = month
        db, grid, today = self.ctx.db, self.choice("grid").currentData(), self.today
        self.print_pdf("服务群众工作月报", f"服务群众工作月报{year}年{m}月.pdf",
                       lambda path, job: service_stats.print_service_summary(db, path, year, m, grid, today=today),
                       lambda path, _s: f"已保存 {year}年{m}月服务群众工作月报：{path}", "正在生成月报…")
