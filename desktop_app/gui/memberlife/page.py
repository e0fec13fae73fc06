"""出党与处分: the registers of 出党 (除名, 退党, 开除党籍, 自行脱党, 去世, 转出), 党纪处分 and 不合格党员处置,
and the members who meet 党章 article 9's six months; record, withdraw, restore rights after 留党察看."""

from __future__ import annotations

from html import escape

from desktop_app.domain import members as member_rules
from desktop_app.domain import memberlife as rules
from desktop_app.gui.memberlife.dialogs import WRITES, DisciplineDialog, DisposalDialog, ExitDialog
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.dialog import LineDialog
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, RecordListPage, Table, recent_years
from desktop_app.gui.widgets.table import ALERT, CENTER, MUTED, Column, date_text
from desktop_app.services import memberlife as life
from desktop_app.views.changes import Change, changes
from desktop_app.views.memberlife import DisciplineRow, DisposalRow, ExitRow, LapseRow

_d = date_text
_NAME = Column("姓名", lambda r: r.member_name, width=70)


def _decision(by_width: int = 110, number_width: int = 136) -> tuple[Column, Column]:
    """The party organisation's decision behind an exit, a discipline or a disposal: 决定机关 and 文号
    (wide enough for a whole 梅组转〔2026〕27号: the number is what a record is found by on paper)."""
    return (Column("决定机关", lambda r: r.decided_by, width=by_width),
            Column("文号", lambda r: r.document_no, width=number_width))


EXIT_COLUMNS = (
    Column("日期", lambda r: _d(r.exit_date), CENTER, 88),
    _NAME,
    Column("党支部", lambda r: r.branch_name, width=120),
    Column("方式", lambda r: r.kind, CENTER, 70),
    *_decision(),
    Column("原因", lambda r: r.reason, width=200),
)
DISCIPLINE_COLUMNS = (
    Column("决定日期", lambda r: _d(r.decided_on), CENTER, 88),
    _NAME,
    Column("处分", lambda r: r.kind, CENTER, 90),
    Column("察看期至", lambda r: _d(r.ends_on), CENTER, 88),
    Column("恢复权利", lambda r: _d(r.lifted_on), CENTER, 88),
    *_decision(),
    Column("表决权", lambda r: "无（察看中）" if r.running else "", CENTER, 80),
)
DISPOSAL_COLUMNS = (
    Column("年度", lambda r: str(r.year), CENTER, 50),
    _NAME,
    Column("处置", lambda r: r.measure, CENTER, 70),
    Column("决定日期", lambda r: _d(r.decided_on), CENTER, 88),
    Column("改正期限", lambda r: _d(r.deadline), CENTER, 88),
    Column("结果", lambda r: r.outcome or ("逾期未登记" if r.overdue else ""), width=110),
    *_decision(100),
)
LAPSE_COLUMNS = (
    Column("姓名", lambda r: r.name, width=70),
    Column("党支部", lambda r: r.branch_name, width=120),
    Column("最近参加组织生活", lambda r: _d(r.last_life) or "无记录", CENTER, 120),
    Column("党费交至", lambda r: f"{r.dues_paid_to:%Y-%m}" if r.dues_paid_to else "无记录", CENTER, 80),
    Column("情形", lambda r: "；".join(r.grounds), width=260),
)


_years = recent_years(count=6)


def _is(kind):
    return lambda d: isinstance(d, kind)


def _running_probation(d) -> bool:
    return isinstance(d, DisciplineRow) and d.kind == rules.PROBATION and d.lifted_on is None


def _withdrawable(d) -> bool:
    if isinstance(d, ExitRow):
        return not d.from_roster  # a 去世 or 转出 entered on the roster is corrected there
    return isinstance(d, DisciplineRow) or (isinstance(d, DisposalRow) and d.measure != rules.DISPOSAL_REMOVE)


class MemberLifePage(RecordListPage):
    export_kind = "exits"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.MEMBERS, Change.MEETINGS, Change.DUES)
    writes = WRITES
    tables = (
        Table(EXIT_COLUMNS, give_way=("文号", "决定机关"), stretch=6, details_width=260, label="出党和离开",
              empty="除名、退党、开除党籍、自行脱党、去世和转出，各有日期、决定机关和文号。"),
        Table(DISCIPLINE_COLUMNS, lambda r: ALERT if r.running else None, stretch=2, details_width=260,
              label="党纪处分", empty="留党察看期间没有表决权：会议法定人数和支部大会表决都按此计算。",
              give_way=("文号", "决定机关")),
        Table(DISPOSAL_COLUMNS, lambda r: ALERT if r.overdue else None, stretch=5, details_width=260,
              label="不合格党员处置", empty="民主评议为不合格党员的处置：限期改正、劝退、除名。",
              give_way=("文号", "决定机关")),
        Table(LAPSE_COLUMNS, lambda r: MUTED if not r.grounds else None, stretch=4, details_width=260,
              label="自行脱党预警", empty="党章第九条：无正当理由连续六个月不参加组织生活或不交纳党费。",
              give_way=("党支部",)),
    )
    filters = (Choice("year", _years, "全部年份"),)
    actions = (
        Act("member-delete", "登记出党…", "add_exit", "Ctrl+N", name="exit"),
        Act("warning", "党纪处分…", "add_discipline", name="discipline", writes=True),
        Act("evaluations", "不合格党员处置…", "add_disposal", name="disposal", writes=True),
        SEPARATOR,
        Act("undo", "恢复党员权利", "lift", when=_running_probation, name="lift", writes=True,
            why="选中一条尚未期满登记的留党察看"),
        Act("edit", "登记处置结果", "outcome", when=_is(DisposalRow), name="outcome", writes=True),
        Act("member-delete", "按自行脱党除名…", "lapse_exit", when=_is(LapseRow), name="lapse", writes=True),
        Act("delete", "撤销所选记录", "withdraw", when=_withdrawable, name="withdraw", writes=True,
            why=lambda d: "在党员名册中登记的去世或转出，请在名册中更正" if isinstance(d, ExitRow) else ""),
    )

    def load(self, db, f):
        return Loaded(life.exits(db, year=f.year), life.disciplines(db, today=self.today),
                      life.disposals(db, year=f.year, today=self.today), life.lapse_candidates(db, self.today))

    def on_loaded(self, loaded: Loaded) -> None:
        ex, disc, disp, lapse = loaded.tables
        running = sum(1 for d in disc if d.running)
        self.counts.setText(f"出党和离开 {len(ex)} 人　处分 {len(disc)} 条（留党察看中 {running} 人）　"
                            f"处置 {len(disp)} 条　预警 {len(lapse)} 人")

    def detail_html(self, d) -> str:
        e = escape
        if isinstance(d, ExitRow):
            return (f"<h3>{e(d.member_name)} {e(d.kind)}</h3><p>{_d(d.exit_date)}　{e(d.branch_name)}</p>"
                    f"<p>决定机关：{e(d.decided_by or '—')}<br>文号：{e(d.document_no or '—')}</p>"
                    f"<p>{e(d.reason)}</p>" + (f"<p>{e(d.note)}</p>" if d.note else ""))
        if isinstance(d, DisciplineRow):
            term = f"<br>察看期至：{_d(d.ends_on)}" if d.ends_on else ""
            lifted = f"<br>恢复党员权利：{_d(d.lifted_on)}" if d.lifted_on else ""
            vote = "<p><b style='color:#c8161e'>留党察看中：没有表决权、选举权和被选举权</b></p>" if d.running else ""
            return (f"<h3>{e(d.member_name)} {e(d.kind)}</h3><p>决定：{_d(d.decided_on)} {e(d.decided_by)} "
                    f"{e(d.document_no)}{term}{lifted}</p>{vote}<p>{e(d.reason)}</p>")
        if isinstance(d, DisposalRow):
            return (f"<h3>{e(d.member_name)} {e(d.measure)}</h3><p>{d.year}年度民主评议　决定：{_d(d.decided_on)} "
                    f"{e(d.decided_by)} {e(d.document_no)}</p>"
                    + (f"<p>改正期限：{_d(d.deadline)}</p>" if d.deadline else "")
                    + f"<p>结果：{e(d.outcome or ('期限已过，尚未登记结果' if d.overdue else '—'))}</p>")
        if isinstance(d, LapseRow):
            items = "".join(f"<li>{e(g)}</li>" for g in d.grounds)
            return (f"<h3>{e(d.name)}</h3><p>{e(d.branch_name)}</p><ul>{items}</ul>"
                    "<p>有正当理由（长期外出、病重等）的，请在名册中登记“免于应到”；确无正当理由的，"
                    "经支部大会决定并报上级批准，按自行脱党除名。</p>")
        return ""

    # --- actions -----------------------------------------------------------
    def add_exit(self) -> None:
        self.run_dialog(ExitDialog(self, self.ctx.db, today=self.today), lambda r: f"已登记：{r.member_name} {r.kind}。")

    def add_discipline(self) -> None:
        self.run_dialog(DisciplineDialog(self, self.ctx.db, today=self.today),
                        lambda r: f"已登记：{r.member_name} {r.kind}。")

    def add_disposal(self) -> None:
        self.run_dialog(DisposalDialog(self, self.ctx.db, today=self.today),
                        lambda r: f"已登记：{r.member_name} {r.measure}。")

    def lapse_exit(self) -> None:
        d = self.detail
        if isinstance(d, LapseRow):
            self.run_dialog(ExitDialog(self, self.ctx.db, (d.member_id, d.name), self.today, member_rules.LAPSED),
                            lambda r: f"已登记：{r.member_name} 按自行脱党除名。")

    def lift(self) -> None:
        d = self.detail
        if not _running_probation(d):
            return
        db, today = self.ctx.db, self.today
        self.ask_date_note("恢复党员权利", f"{d.member_name}：留党察看（{_d(d.decided_on)} 至 {_d(d.ends_on)}）",
                           "恢复日期", None, lambda on, _note: life.lift_probation(db, d.id, on, today), "已恢复党员权利。",
                           "确认", on=d.ends_on if d.ends_on and d.ends_on <= today else None, keep=d.id)

    def outcome(self) -> None:
        d = self.detail
        if not isinstance(d, DisposalRow):
            return
        db, today = self.ctx.db, self.today
        self.run_dialog(LineDialog(self, "处置结果", f"{d.member_name} {d.measure}的结果（如 已改正、仍无转变、本人退党）：",
                                   lambda text: life.set_disposal_outcome(db, d.id, text, today), text=d.outcome,
                                   changes=self.writes), "已登记处置结果。")

    def withdraw(self) -> None:
        d = self.detail
        if not _withdrawable(d):
            return
        name = getattr(d, "member_name", "")
        if not common.ask(self, "撤销记录", f"撤销{name}的这条记录？\n（只用于登记错误；撤销后恢复原来的状态，并记入操作记录）"):
            return
        db = self.ctx.db
        if isinstance(d, ExitRow):
            fn = lambda: life.withdraw_exit(db, d.id)  # noqa: E731
        elif isinstance(d, DisciplineRow):
            fn = lambda: life.withdraw_discipline(db, d.id)  # noqa: E731
        else:
            fn = lambda: life.withdraw_disposal(db, d.id)  # noqa: E731
        self.write(fn, "已撤销。")
