"""发展党员: the pipeline of every branch or one, each person's file with what is owed next,
registering an applicant, recording the next step, printing the 纪实表 and the year's register."""

from __future__ import annotations

from datetime import date
from html import escape

from desktop_app.domain import development as rules
from desktop_app.domain import pinyin
from desktop_app.domain.clock import closing_year
from desktop_app.gui.development.dialogs import WRITES, ApplicantDialog, StepDialog
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, RecordListPage, Search, Table, selected
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, MUTED, Column, date_text
from desktop_app.services import development
from desktop_app.services import orgs as org_service
from desktop_app.views.changes import Change, changes
from desktop_app.views.development import ApplicantDetail, ApplicantRow


_d = date_text


COLUMNS = (
    Column("姓名", lambda r: r.name, width=70),
    Column("党支部", lambda r: r.branch_name, width=120),
    Column("阶段", lambda r: r.stage, CENTER, 90),
    Column("进入本阶段", lambda r: _d(r.stage_since), CENTER, 88),  # the day the 阶段 beside it began
    Column("申请入党", lambda r: _d(r.applied_on), CENTER, 88),
    Column("培养联系人", lambda r: r.contacts, width=110),
    Column("下一期限", lambda r: _d(r.next_due), CENTER, 88, sort_key=lambda r: r.next_due or date.max),
    Column("逾期", lambda r: str(r.overdue) if r.overdue else "", CENTER, 44),
)


def _color(r: ApplicantRow):
    if r.overdue:
        return ALERT
    if r.stage == rules.FULL:
        return DONE
    return MUTED if r.stage in (rules.CANCELLED, rules.STOPPED) else None


def details_html(d: ApplicantDetail) -> str:
    e, r = escape, d.row
    out = [f"<h3>{e(r.name)}　<small>{e(r.stage)}</small></h3>",
           f"<p>{e(r.branch_name)}<br>递交申请书：{_d(r.applied_on)}<br>培养联系人：{e(r.contacts or '—')}"
           + (f"<br>入党介绍人：{e(d.sponsors)}" if d.sponsors else "")
           + "<br>公民身份号码：" + (e(d.id_number) if d.id_number else (
               "—" if d.member_id else  # said before 上级党委审批 refuses for want of it
               "<span style='color:#c8161e'>未填（列入党员名册前须补全：点“修改信息”）</span>"))
           + (f"<br>预备期满：<b>{_d(d.probation_end)}</b>" if d.probation_end else "") + "</p>"]
    if d.reminders:
        items = "".join(f"<li style='color:{'#c8161e' if x.overdue else '#333'}'>{_d(x.due)} {e(x.text)}</li>"
                        for x in d.reminders)
        out.append(f"<p><b>待办</b></p><ul>{items}</ul>")
    steps = []
    for s in d.steps:
        vote = f"（赞成 {s.votes_for}，反对 {s.votes_against or 0}，弃权 {s.votes_abstain or 0}）" \
            if s.votes_for is not None else ""
        missing = f"<br><span style='color:#c8161e'>缺：{e('、'.join(s.missing))}</span>" if s.missing else ""
        steps.append(f"<li>{_d(s.done_on)} <b>{e(s.step)}</b> {e(s.body)} {e(s.document_no)}{vote}{missing}</li>")
    out.append(f"<p><b>纪实</b></p><ul>{''.join(steps)}</ul>")
    return "".join(out)


def _stages(_page) -> list[tuple[str, str]]:
    return [(s, s) for s in rules.STAGES]


def _can_advance(d: ApplicantDetail | None) -> bool:
    return d is not None and bool(d.next_steps)


def _can_withdraw(d: ApplicantDetail | None) -> bool:
    # 上级党委审批 put the person on the roster: undone there, not here (the service says so too)
    return d is not None and len(d.steps) > 1 and d.steps[-1].step != rules.APPROVE


def _why_not_withdraw(d: ApplicantDetail | None) -> str:
    if d is None:
        return "请先在列表中选中一人"
    if len(d.steps) <= 1:
        return "只有递交入党申请书一项，没有可撤销的步骤"
    return "上级党委审批已将此人列入党员名册，请在党员名册中处理"


class DevelopmentPage(RecordListPage):
    export_kind = "applicants"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.DEVELOPMENT, Change.ORGS, Change.MEMBERS)
    writes = WRITES
    tables = (Table(COLUMNS, _color, stretch=1, details_width=330, empty="登记入党申请人：Ctrl+N。",
                    give_way=("培养联系人", "申请入党")),)
    filters = (Search("搜索：姓名、拼音首字母（zs）、手机号"), Choice("branch", all_label="全部党支部"),
               Choice("stage", _stages, "正在培养的"))
    actions = (
        Act("add", "登记入党申请人", "add_applicant", "Ctrl+N", name="add"),
        Act("edit", "登记下一步", "advance", "Ctrl+E", when=_can_advance, name="advance", writes=True),
        Act("edit", "修改信息", "edit_applicant", when=selected, name="edit", writes=True),
        Act("undo", "撤销最后一步", "withdraw_step", when=_can_withdraw, name="withdraw", why=_why_not_withdraw, writes=True),
        SEPARATOR,
        Act("print", "打印纪实表", "print_record", when=selected, name="record"),
        Act("print", "打印登记簿", "print_register", name="register"),
    )
    activate = "advance"

    def load(self, db, f):
        rows = development.pipeline(db, f.branch, f.stage, today=self.today)
        for term in (f.text or "").split():  # each word: the name, its pinyin or initials, or part of the phone
            rows = [r for r in rows if pinyin.matches(term, r.name) or (term.isdigit() and term in r.mobile)]
        branches = [(n.shown, n.id) for n in org_service.list_tree(db) if n.kind == "branch"]
        return Loaded(rows, branches=branches)

    def fetch_detail(self, db, row):
        return development.get(db, row.id, self.today)

    details = staticmethod(details_html)

    def on_loaded(self, loaded: Loaded) -> None:
        self.fill_choice("branch", loaded.branches)
        late = sum(1 for r in loaded.rows if r.overdue)
        by_stage: dict[str, int] = {}
        for r in loaded.rows:
            by_stage[r.stage] = by_stage.get(r.stage, 0) + 1
        self.counts.setText("，".join(f"{k} {v}" for k, v in by_stage.items()) + (f"　有逾期事项 {late} 人" if late else ""))

    def add_applicant(self) -> None:
        self.run_dialog(ApplicantDialog(self, self.ctx.db, self.loaded_value("branches", []), self.filter_values().branch,
                                        self.today), lambda d: f"已登记入党申请人 {d.row.name}。")

    def edit_applicant(self) -> None:
        d = self.detail
        if d is not None:
            self.run_dialog(ApplicantDialog(self, self.ctx.db, self.loaded_value("branches", []), d.row.org_id,
                                            self.today, applicant=d),
                            lambda got: f"已修改 {got.row.name} 的信息。", keep=d.row.id)

    def advance(self) -> None:
        d = self.detail
        if _can_advance(d):
            self.run_dialog(StepDialog(self, self.ctx.db, d, self.today),
                            lambda got: f"{got.row.name}：已登记，现为{got.row.stage}。", keep=d.row.id)

    def withdraw_step(self) -> None:
        d = self.detail
        if not _can_withdraw(d):
            return
        last = d.steps[-1]
        if not common.ask(self, "撤销最后一步", f"撤销 {d.row.name} 的“{last.step}”（{_d(last.done_on)}）？\n"
                          "（只用于登记错误；撤销后回到原来的阶段，并记入操作记录）"):
            return
        db, aid, sid, today = self.ctx.db, d.row.id, last.id, self.today
        self.keep(aid)
        self.write(lambda: development.withdraw_step(db, aid, sid, today=today),
                   lambda got: f"{got.row.name}：已撤销“{last.step}”，现为{got.row.stage}。")

    def print_record(self) -> None:
        d = self.detail
        if d is None:
            return
        db, aid, today = self.ctx.db, d.row.id, self.today
        self.print_pdf(f"打印{d.row.name}的纪实表", f"发展党员纪实表_{d.row.name}.pdf",
                       lambda path, job: development.print_record(db, aid, path, today=today),
                       lambda path, _r: f"已保存纪实表：{path}")

    def print_register(self) -> None:
        # in January the year just ended, as `dangqun report development`: the new one's is a page of nothing yet
        db, year, branch, today = self.ctx.db, closing_year(self.today), self.filter_values().branch, self.today
        self.print_pdf(f"打印{year}年发展党员工作登记簿", f"发展党员工作登记簿_{year}.pdf",
                       lambda path, job: development.print_register(db, year, path, branch, today=today),
                       lambda path, _r: f"已保存登记簿：{path}")
