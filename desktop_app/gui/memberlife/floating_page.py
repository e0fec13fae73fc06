"""流动与失联: the 流出 and 流入 registers with the 活动证, 失联党员 with their searches and decisions,
and dated moves between branches."""

from __future__ import annotations

from html import escape

from desktop_app.domain import memberlife as rules
from desktop_app.gui.memberlife.dialogs import (
    WRITES, FloatingDialog, LostDecisionDialog, MoveDialog, SearchDialog,
)
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, RecordListPage, Table
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, MUTED, Column, date_text
from desktop_app.services import memberlife as life
from desktop_app.services import orgs as org_service
from desktop_app.views.changes import Change, changes
from desktop_app.views.memberlife import FloatingRow, LostRow, MoveRow

_d = date_text


def _floating_columns(out: bool) -> tuple[Column, ...]:
    return (
        Column("姓名", lambda r: r.name, width=70),
        Column("所在党支部" if out else "参加活动的党支部", lambda r: r.branch_name, width=120),
        Column("活动证编号", lambda r: r.card_no, width=100),
        Column("外出日期" if out else "流入日期", lambda r: _d(r.start_date), CENTER, 88),
        Column("外出流向" if out else "来自", lambda r: r.place, width=150),
        Column("参加活动的党组织" if out else "组织关系所在", lambda r: r.other_org, width=140),
        Column("联系方式", lambda r: r.contact, width=100),
        Column("返回/离开", lambda r: _d(r.end_date), CENTER, 88),
    )


LOST_COLUMNS = (
    Column("姓名", lambda r: r.name, width=70),
    Column("党支部", lambda r: r.branch_name, width=120),
    Column("状态", lambda r: r.status, CENTER, 70),
    Column("失联日期", lambda r: _d(r.lost_since), CENTER, 88),
    Column("失联月数", lambda r: "" if r.months_lost is None else str(r.months_lost), CENTER, 64,
           sort_key=lambda r: r.months_lost or 0),
    Column("查找次数", lambda r: str(r.searches), CENTER, 64, sort_key=lambda r: r.searches),
    Column("最近查找", lambda r: _d(r.last_search), CENTER, 88),
    Column("下一步", lambda r: r.next_step, width=120),
)
MOVE_COLUMNS = (
    Column("调动日期", lambda r: _d(r.moved_on), CENTER, 88),
    Column("姓名", lambda r: r.member_name, width=70),
    Column("调出", lambda r: r.from_name, width=140),
    Column("调入", lambda r: r.to_name, width=140),
    Column("备注", lambda r: r.note, width=160),
)


def _floating_color(r: FloatingRow):
    return MUTED if r.end_date else None


def _lost_color(r: LostRow):
    return ALERT if r.next_step.startswith("可") else (DONE if r.last_decision == rules.FOUND else None)


def _active_floating(d) -> bool:
    return isinstance(d, FloatingRow) and d.end_date is None


def _is(kind):
    return lambda d: isinstance(d, kind)


def _lost(d) -> bool:
    return isinstance(d, tuple)  # a 失联党员 with the searches fetched for the details


class FloatingPage(RecordListPage):
    heading = "流动与失联 · 含组织调动"
    export_kind = "flowing"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.MEMBERS, Change.ORGS)
    writes = WRITES
    tables = (
        Table(_floating_columns(True), _floating_color, stretch=4, details_width=240, label="流出党员",
              empty="本社区党员外出：活动证、流向、在何处参加组织生活、联系方式。",
              give_way=("活动证编号", "参加活动的党组织", "联系方式")),
        Table(_floating_columns(False), _floating_color, stretch=4, details_width=240, label="流入党员",
              empty="外地党员在本社区党支部参加组织生活（组织关系不在本社区，不计入名册）。",
              give_way=("活动证编号", "组织关系所在", "联系方式")),
        Table(LOST_COLUMNS, _lost_color, give_way=("查找次数", "最近查找"), stretch=7, details_width=240, label="失联党员",
              empty="失联党员的查找记录（谁、何时、用什么方式）和处理决定。"),
        Table(MOVE_COLUMNS, give_way=("备注",), stretch=4, details_width=240, label="组织调动",
              empty="党员在党支部、党小组之间的调动：调动日期以前的统计按原党支部计算。"),
    )
    filters = (Choice("active", [("只看在外（未返回）", True)], "全部登记"),)
    actions = (
        Act("add", "登记流出…", "add_out", "Ctrl+N", name="out"),
        Act("add", "登记流入…", "add_in", name="in", writes=True),
        Act("undo", "返回/离开", "end", when=_active_floating, name="end", writes=True, why="选中一条尚未结束的流动登记"),
        SEPARATOR,
        Act("search", "查找记录…", "add_search", when=_lost, name="search", writes=True),
        Act("edit", "处理决定…", "decide", when=_lost, name="decide", writes=True),
        SEPARATOR,
        Act("move", "调动党支部…", "move_between", name="move", writes=True),
        Act("delete", "撤销所选", "withdraw", when=_is((FloatingRow, MoveRow)), name="withdraw", writes=True),
    )

    def load(self, db, f):
        rows = life.floating(db, active_only=bool(f.active))
        return Loaded([r for r in rows if r.direction == rules.FLOW_OUT],
                      [r for r in rows if r.direction == rules.FLOW_IN],
                      life.lost_members(db, self.today), life.moves(db), orgs=org_service.list_tree(db))

    def on_loaded(self, loaded: Loaded) -> None:
        out, came, lost, moved = loaded.tables
        self.counts.setText(f"流出 {sum(1 for r in out if r.active)} 人在外　流入 {sum(1 for r in came if r.active)} 人　"
                            f"失联 {len(lost)} 人　调动 {len(moved)} 次")

    @property
    def orgs(self):
        return self.loaded.orgs if self.loaded else []

    def fetch_detail(self, db, row):
        if isinstance(row, LostRow):
            return row, life.searches(db, row.member_id)
        return row

    def detail_html(self, d) -> str:
        e = escape
        if isinstance(d, tuple):
            r, tries = d
            items = "".join(
                f"<li>{_d(t.tried_on)} "
                + (f"<b>决定：{e(t.decision)}</b> {e(t.tried_by)} {e(t.result)}" if t.decision
                   else f"{e(t.tried_by)}（{e(t.method)}）：{e(t.result or '—')}") + "</li>" for t in tries)
            return (f"<h3>{e(r.name)}（{e(r.status)}）</h3><p>{e(r.branch_name)}<br>失联日期：{_d(r.lost_since) or '—'}"
                    f"</p><p>下一步：<b>{e(r.next_step)}</b></p><p>查找和决定：</p><ul>{items or '<li>尚无</li>'}</ul>")
        if isinstance(d, FloatingRow):
            out = d.direction == rules.FLOW_OUT
            return (f"<h3>{e(d.name)} {e(d.direction)}</h3><p>活动证：{e(d.card_no or '—')}<br>"
                    f"{'外出' if out else '流入'}日期：{_d(d.start_date)}<br>{'流向' if out else '来自'}：{e(d.place)}<br>"
                    f"{'参加活动的党组织' if out else '组织关系所在'}：{e(d.other_org or '—')}<br>"
                    f"{'所在党支部' if out else '参加活动的党支部'}：{e(d.branch_name)}<br>联系方式：{e(d.contact or '—')}</p>"
                    + (f"<p>{'返回' if out else '离开'}：{_d(d.end_date)}</p>" if d.end_date else ""))
        if isinstance(d, MoveRow):
            return (f"<h3>{e(d.member_name)}</h3><p>{_d(d.moved_on)}：{e(d.from_name or '—')} → {e(d.to_name)}</p>"
                    + (f"<p>{e(d.note)}</p>" if d.note else ""))
        return ""

    @property
    def lost_row(self) -> LostRow | None:
        d = self.detail
        return d[0] if isinstance(d, tuple) else None

    # --- actions -----------------------------------------------------------
    def add_out(self) -> None:
        self.run_dialog(FloatingDialog(self, self.ctx.db, rules.FLOW_OUT, self.orgs, self.today),
                        lambda r: f"已登记流出：{r.name}。")

    def add_out_for(self, member_id: str, name: str) -> None:
        """登记流出 for one member: where the roster's 状态变更 to 流动 sends the user (the 活动证 is filed here)."""
        self.run_dialog(FloatingDialog(self, self.ctx.db, rules.FLOW_OUT, self.orgs, self.today, (member_id, name)),
                        lambda r: f"已登记流出：{r.name}。")

    def add_in(self) -> None:
        self.run_dialog(FloatingDialog(self, self.ctx.db, rules.FLOW_IN, self.orgs, self.today),
                        lambda r: f"已登记流入：{r.name}。")

    def end(self) -> None:
        d = self.detail
        if not _active_floating(d):
            return
        db, today = self.ctx.db, self.today
        label = "返回日期" if d.direction == rules.FLOW_OUT else "离开日期"
        self.ask_date_note(label[:2], f"{d.name}（{d.direction}，{_d(d.start_date)}起）", label, None,
                           lambda on, _note: life.end_floating(db, d.id, on, today), f"已登记{label[:2]}。", "确认",
                           keep=d.id)

    def add_search(self) -> None:
        r = self.lost_row
        if r is not None:
            self.run_dialog(SearchDialog(self, self.ctx.db, (r.member_id, r.name), self.today), "已登记查找记录。",
                            keep=r.id)

    def decide(self) -> None:
        r = self.lost_row
        if r is None:
            return
        default = {"可停止党籍": rules.SUSPEND, "可按自行脱党除名": rules.REMOVE_AS_LAPSED}.get(r.next_step,
                                                                                       rules.KEEP_LOOKING)
        self.run_dialog(LostDecisionDialog(self, self.ctx.db, (r.member_id, r.name), self.today, default),
                        lambda s: f"已登记决定：{r.name} {s.decision}。", keep=r.id)

    def move_between(self) -> None:
        self.run_dialog(MoveDialog(self, self.ctx.db, self.orgs, today=self.today),
                        lambda m: f"已调动：{m.member_name} {m.from_name} → {m.to_name}。")

    def withdraw(self) -> None:
        d, db = self.detail, self.ctx.db
        if isinstance(d, FloatingRow):
            if common.ask(self, "撤销登记", f"撤销{d.name}的这条{d.direction}登记？（只用于登记错误）"):
                self.write(lambda: life.withdraw_floating(db, d.id), "已撤销。")
        elif isinstance(d, MoveRow):
            if common.ask(self, "撤销调动", f"撤销{d.member_name}的这次调动？该党员回到{d.from_name}。"):
                self.write(lambda: life.withdraw_move(db, d.id), "已撤销调动。")
