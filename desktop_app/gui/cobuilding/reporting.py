"""双报到: the register of 在职党员 reporting to the community, their posts and service hours,
and the yearly feedback forms to each employer's party organisation."""

from __future__ import annotations

from html import escape

from desktop_app.gui.cobuilding.common import CobuildingPage, d, hours, is_a, years
from desktop_app.gui.cobuilding.reporting_dialogs import (
    ClaimDialog, MoveFromRosterDialog, PostDialog, ReportingDialog, ServiceDialog,
)
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table, bullets
from desktop_app.gui.widgets.table import CENTER, MUTED, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs as org_service
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import PostRow, ReportingDetail

COLUMNS = (
    Column("姓名", lambda r: r.name, CENTER, 64),
    Column("工作单位", lambda r: r.employer, width=130),
    Column("单位党组织", lambda r: r.employer_org, width=120),
    Column("职务", lambda r: r.job, width=80),
    Column("报到日期", lambda r: d(r.reported_on), CENTER, 84),
    Column("报到支部", lambda r: r.org_name, width=100),
    Column("认领岗位", lambda r: r.posts, width=100),
    Column("服务次数", lambda r: str(r.services or ""), CENTER, 60, sort_key=lambda r: r.services),
    Column("时长", lambda r: hours(r.hours_tenths), CENTER, 50, sort_key=lambda r: r.hours_tenths),
    Column("积分", lambda r: str(r.points or ""), CENTER, 44, sort_key=lambda r: r.points),
)
POST_COLUMNS = (
    Column("岗位", lambda p: p.name, width=160),
    Column("所属支部", lambda p: p.org_name or "社区", width=120),
    Column("需要人数", lambda p: str(p.places), CENTER, 64),
    Column("已认领", lambda p: "、".join(p.holders), width=200),
    Column("职责", lambda p: p.duties, width=240),
)


def person_html(p: ReportingDetail, year: int) -> str:
    e, r = escape, p.row
    lines = [
        f"<h3>{e(r.name)}{'（已离开 ' + d(r.left_on) + '）' if r.left_on else ''}</h3>",
        f"<p>{e(r.employer)}　{e(r.job)}<br>单位党组织：{e(r.employer_org or '—')}<br>"
        f"报到：{d(r.reported_on)}　{e(r.org_name)}<br>电话：{e(r.mobile_masked or '—')}"
        f"{'<br>由党员名册移入' if r.from_roster else ''}</p>",
        f"<p><b>{year}年</b>：服务 {r.services} 次，{hours(r.hours_tenths) or '0'} 小时，{r.points} 积分；"
        f"参加活动 {len(p.activities)} 次</p>",
    ]
    lines.append(bullets("认领岗位", [f"{c.post_name}：{d(c.claimed_on)} 起{'，' + d(c.ended_on) + ' 止' if c.ended_on else ''}"
                                      for c in p.claims]))
    lines.append(bullets("服务记录", [f"{d(x.service_date)} {x.content}{'（' + x.post_name + '）' if x.post_name else ''}："
                                      f"{hours(x.hours_tenths)} 小时，{x.points} 分" for x in p.services]))
    lines.append(bullets("参加活动", [f"{d(a.activity_date)} {a.title}" for a in p.activities]))
    if p.skills:
        lines.append(f"<p>特长和服务：{e(p.skills)}</p>")
    if p.notes:
        lines.append(f"<p>备注：{e(p.notes)}</p>")
    return "".join(lines)


def post_html(p: PostRow) -> str:
    e = escape
    return (f"<h3>{e(p.name)}</h3><p>{e(p.org_name or '社区')}　需要 {p.places} 人</p>"
            f"<p>已认领：{e('、'.join(p.holders) or '无')}</p><p>{e(p.duties)}</p>")


_person = is_a(ReportingDetail)


_serving = is_a(ReportingDetail, lambda x: x.row.left_on is None)


class ReportingPage(CobuildingPage):
    heading = "双报到 · 在职党员到社区报到"
    export_kind = "dual_reports"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.ORGS, Change.MEMBERS)
    tables = (Table(COLUMNS, lambda r: MUTED if r.left_on else None, stretch=1, details_width=320, label="报到党员",
                    empty="登记报到：Ctrl+N。选中一人，这里显示本年的服务、岗位和活动。",
                    give_way=("单位党组织", "职务", "报到支部", "工作单位")),
              Table(POST_COLUMNS, stretch=4, details_width=320, label="认领岗位", empty="社区提供给报到党员认领的岗位。",
                    give_way=("职责",)))
    filters = (Search("搜索：姓名（可用拼音首字母）、工作单位、单位党组织"), Choice("year", years))
    actions = (
        Act("add", "登记报到", "add_person", "Ctrl+N", name="add"),
        Act("edit", "修改", "edit_person", when=_person, name="edit", writes=True),
        Act("hours", "记录服务", "log_service", "Ctrl+E", when=_serving, name="service", writes=True),
        Act("claim", "认领岗位", "claim_post", when=_serving, name="claim", writes=True),
        Act("undo", "离开", "end_person", when=_serving, name="end", writes=True),
        SEPARATOR,
        Act("add", "新增岗位", "add_post", name="add_post", writes=True),
        Act("import", "从名册移入", "move_from_roster", name="move", writes=True),
        SEPARATOR,
        Act("print", "打印报到名册", "print_register", name="register"),
        Act("print", "打印反馈表", "print_feedback", name="feedback"),
    )
    activate = "edit_person"

    def load(self, db, f):
        year = f.year or self.today.year
        organisers = [o for o in org_service.list_tree(db) if o.kind in ("community", "branch")]
        return Loaded(cb.list_reporting(db, year, f.text), cb.list_posts(db), year=year, orgs=organisers,
                      units=cb.list_units(db, year=year))

    def fetch_detail(self, db, row):
        if isinstance(row, PostRow):
            return row
        return cb.get_reporting(db, row.id, self.loaded_year)

    def detail_html(self, detail) -> str:
        return post_html(detail) if isinstance(detail, PostRow) else person_html(detail, self.loaded_year)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        serving = [r for r in rows if r.left_on is None]
        self.counts.setText(f"在册 {len(serving)} 名，{loaded.year}年服务 {sum(r.services for r in rows)} 次、"
                            f"{hours(sum(r.hours_tenths for r in rows)) or '0'} 小时")

    # --- actions ------------------------------------------------------------
    def _dialog(self, detail: ReportingDetail | None = None) -> ReportingDialog:
        return ReportingDialog(self, self.ctx.db, self.listed("units"), self.listed("orgs"), detail, self.today)

    def add_person(self) -> None:
        self.run_dialog(self._dialog(), lambda p: f"已登记 {p.row.name} 报到。")

    def edit_person(self) -> None:
        if isinstance(self.detail, PostRow):
            self.run_dialog(PostDialog(self, self.ctx.db, self.listed("orgs"), self.detail), "已保存岗位。",
                            keep=self.detail.id)
        elif _person(self.detail):
            self.run_dialog(self._dialog(self.detail), "已保存修改。")

    def log_service(self) -> None:
        if _serving(self.detail):
            p = self.detail.row
            posts = self.loaded.tables[1] if self.loaded else []
            self.run_dialog(ServiceDialog(self, self.ctx.db, p, posts, self.today, self.loaded_year),
                            lambda x: f"已记录 {p.name} {hours(x.hours_tenths)} 小时服务。", keep=p.id)

    def claim_post(self) -> None:
        if _serving(self.detail):
            p = self.detail.row
            posts = self.loaded.tables[1] if self.loaded else []
            self.run_dialog(ClaimDialog(self, self.ctx.db, p, posts, self.today), f"{p.name} 已认领岗位。", keep=p.id)

    def end_person(self) -> None:
        if not _serving(self.detail):
            return
        p, db, today = self.detail.row, self.ctx.db, self.today
        self.ask_date_note("离开报到社区", f"{p.name}（{p.employer}）不再到本社区报到服务，认领的岗位同时结束。", "离开日期",
                           "原因", lambda on, note: cb.end_reporting(db, p.id, on, note, today), f"{p.name} 已离开。",
                           placeholder="如 调往外区工作", keep=p.id)

    def add_post(self) -> None:
        self.run_dialog(PostDialog(self, self.ctx.db, self.listed("orgs")), "已新增岗位。")

    def move_from_roster(self) -> None:
        self.run_dialog(MoveFromRosterDialog(self, self.ctx.db, self.today),
                        lambda p: f"{p.row.name} 已移入报到名册，不再计入本社区党员人数和党费。")

    def print_register(self) -> None:
        self.print_year("打印在职党员报到名册", "双报到名册", cb.print_reporting_register,
                        lambda year, path, n: f"已保存报到名册（{n} 人）：{path}")

    def print_feedback(self) -> None:
        db, year, today = self.ctx.db, self.loaded_year, self.today
        employer = self.detail.row.employer if _person(self.detail) else None
        if employer and not common.ask(self, "打印反馈表", f"只打印“{employer}”的反馈表吗？选“否”打印全部单位。"):
            employer = None
        self.print_pdf("打印报到服务情况反馈表", f"报到服务反馈表{year}{employer or ''}.pdf",
                       lambda path, job: cb.print_feedback_forms(db, year, path, employer, today=today),
                       lambda path, n: f"已保存 {n} 份反馈表：{path}")
