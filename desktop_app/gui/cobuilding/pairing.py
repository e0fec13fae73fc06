"""双进双认: office party organisations paired with the community, the posts they take (认岗位),
the households they adopt (认亲戚) and their visits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import CobuildingDialog, CobuildingPage, d, is_a, years
from desktop_app.gui.residents.pickers import resident_picker
from desktop_app.gui.widgets.forms import DateEdit, combo, named_combo, text_area
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.gui.widgets.required import required
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table
from desktop_app.gui.widgets.table import CENTER, MUTED, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import PairingDetail

COLUMNS = (
    Column("结对单位", lambda r: r.unit_name, width=170),
    Column("单位党组织", lambda r: r.party_org, width=170),
    Column("结对日期", lambda r: d(r.paired_on), CENTER, 84),
    Column("认岗位", lambda r: str(r.posts or ""), CENTER, 60, sort_key=lambda r: r.posts),
    Column("认亲戚（户）", lambda r: str(r.households or ""), CENTER, 80, sort_key=lambda r: r.households),
    Column("本年走访", lambda r: str(r.visits or ""), CENTER, 64, sort_key=lambda r: r.visits),
    Column("结束", lambda r: d(r.ended_on), CENTER, 84),
)


class PairDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, today: date):
        super().__init__(parent, db, "新建双进双认结对", "结对", today)
        self.unit = named_combo(units, None, "（选择共建单位）")
        self.on = DateEdit(today)
        self.notes = text_area(2, "结对协议要点")
        self.finish_layout(form_layout(("共建单位", self.unit), ("结对日期", self.on), ("备注", self.notes)))
        self.setMinimumWidth(420)

    def prepare(self):
        uid = required(self.unit.currentData(), "共建单位", rules.PICK_UNIT)
        db, on, notes, today = self.db, self.on.value(), self.notes.toPlainText(), self.today
        return lambda: cb.pair_unit(db, uid, on, notes, today)


class TakeOnDialog(CobuildingDialog):
    """认岗位 (a post by name) or 认亲戚 (a household found by its resident)."""

    def __init__(self, parent: QWidget | None, db: Database, pairing: PairingDetail, kind: str, today: date):
        super().__init__(parent, db, f"{kind}：{pairing.row.unit_name}", today=today)
        self.pairing, self.kind = pairing, kind
        self.name = QLineEdit()
        self.name.setPlaceholderText("岗位名称，如 政策宣传岗、助老服务岗")
        self.household = resident_picker(db, "结对住户：户主姓名或门牌，回车确认")
        self.since = DateEdit(today)
        self.finish_layout(form_layout(
            ("岗位", self.name) if kind == rules.TAKE_POST else ("住户", self.household), ("开始日期", self.since)))
        self.setMinimumWidth(420)
        self.first_field = self.name if kind == rules.TAKE_POST else self.household

    def prepare(self):
        db, pid, kind, on, today = self.db, self.pairing.id, self.kind, self.since.value(), self.today
        if kind == rules.TAKE_POST:
            name = self.name.text()
            rules.check_pairing_item(kind, name, None, on, self.pairing.row.paired_on, today)
            return lambda: cb.take_on(db, pid, kind, name, since=on, today=today)
        household = required(getattr(self.household.chosen(), "household_id", None), "住户", "请从列表中选择住户")
        return lambda: cb.take_on(db, pid, kind, household_id=household, since=on, today=today)


class PairingVisitDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, pairing: PairingDetail, today: date):
        super().__init__(parent, db, f"记录走访：{pairing.row.unit_name}", today=today)
        current = [i for i in pairing.items if i.ended_on is None]
        self.item = combo([(f"{i.kind}：{i.name}", i.id) for i in
                           sorted(current, key=lambda i: i.kind != rules.ADOPT)])
        self.on = DateEdit(today)
        self.visitors = QLineEdit()
        self.visitors.setPlaceholderText("谁去的，如 李科长、王干事")
        self.content = text_area(3, "做了什么、了解到什么")
        self.finish_layout(form_layout(("结对对象", self.item), ("日期", self.on), ("走访人", self.visitors),
                                       ("内容", self.content)))
        self.setMinimumWidth(440)
        self.first_field = self.visitors

    def prepare(self):
        item = required(self.item.currentData(), "结对对象", "这个结对还没有认岗位或认亲戚")
        db, on, who, what, today = self.db, self.on.value(), self.visitors.text(), self.content.toPlainText(), self.today
        return lambda: cb.log_pairing_visit(db, item, on, who, what, today)


def pairing_html(p: PairingDetail) -> str:
    e, r = escape, p.row
    lines = [f"<h3>{e(r.unit_name)}</h3>",
             f"<p>{e(r.party_org or '—')}<br>结对：{d(r.paired_on)}{'　结束：' + d(r.ended_on) if r.ended_on else ''}</p>"]
    for it in p.items:
        visits = "".join(f"<li>{d(v.visit_date)} {e(v.visitors)}：{e(v.content)}</li>" for v in it.visits)
        lines.append(f"<p><b>{e(it.kind)}</b>：{e(it.name)}（{d(it.since)} 起{'，' + d(it.ended_on) + ' 止' if it.ended_on else ''}）"
                     f"</p>{'<ul>' + visits + '</ul>' if visits else ''}")
    if p.notes:
        lines.append(f"<p>{e(p.notes)}</p>")
    return "".join(lines)


_open = is_a(PairingDetail, lambda x: x.row.ended_on is None)


class PairingPage(CobuildingPage):
    heading = "双进双认（认岗位、认亲戚）"
    export_kind = "pairing"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.RESIDENTS)
    tables = (Table(COLUMNS, lambda r: MUTED if r.ended_on else None, give_way=("单位党组织",), stretch=1, details_width=340,
                    empty="新建结对：Ctrl+N。选中结对单位，可“认岗位”、“认亲戚”并“记录走访”。"),)
    filters = (Search("搜索：结对单位、单位党组织"), Choice("year", years))
    actions = (
        Act("add", "新建结对", "pair", "Ctrl+N", name="pair"),
        Act("claim", "认岗位", "take_post", when=_open, name="post", writes=True),
        Act("household", "认亲戚", "adopt", when=_open, name="adopt", writes=True),
        Act("visits", "记录走访", "visit", when=_open, name="visit", writes=True),
        SEPARATOR,
        Act("undo", "结束结对", "end", when=_open, name="end", writes=True),
    )

    def load(self, db, f):
        year = f.year or self.today.year
        rows = [r for r in cb.list_pairings(db, year) if all(t in r.unit_name + r.party_org for t in f.text.split())]
        return Loaded(rows, year=year, units=cb.list_units(db, year=year))

    def fetch_detail(self, db, row):
        return cb.get_pairing(db, row.id, self.loaded_year)

    details = staticmethod(pairing_html)

    def on_loaded(self, loaded) -> None:
        rows = [r for r in loaded.rows if r.ended_on is None]
        self.counts.setText(f"结对 {len(rows)} 个，认岗位 {sum(r.posts for r in rows)} 个，认亲戚 "
                            f"{sum(r.households for r in rows)} 户，{loaded.year}年走访 {sum(r.visits for r in loaded.rows)} 次")

    def pair(self) -> None:
        self.run_dialog(PairDialog(self, self.ctx.db, self.listed("units"), self.today), lambda p: f"{p.row.unit_name} 已与社区结对。")

    def take_post(self) -> None:
        if _open(self.detail):
            self.run_dialog(TakeOnDialog(self, self.ctx.db, self.detail, rules.TAKE_POST, self.today), "已认岗位。")

    def adopt(self) -> None:
        if _open(self.detail):
            self.run_dialog(TakeOnDialog(self, self.ctx.db, self.detail, rules.ADOPT, self.today), "已认亲戚。")

    def visit(self) -> None:
        if _open(self.detail):
            self.run_dialog(PairingVisitDialog(self, self.ctx.db, self.detail, self.today), "已记录走访。")

    def end(self) -> None:
        p = self.detail
        if not _open(p):
            return
        db, today = self.ctx.db, self.today
        self.ask_date_note("结束结对", f"{p.row.unit_name} 与社区的结对结束，认的岗位和亲戚同时结束。", "结束日期", None,
                           lambda on, note: cb.end_pairing(db, p.id, on, today), "结对已结束。")
