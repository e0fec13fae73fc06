"""共建单位 register: register and edit units; a unit's page shows what it did with the community this year."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import EDIT, CobuildingDialog, CobuildingPage, d, hours, year_of, years
from desktop_app.gui.widgets.fields import Checks, Day, FieldForm, Line, Listed, Text
from desktop_app.gui.widgets.record_list import (
    DELETE, SEPARATOR, Act, Choice, Loaded, Removal, Search, Table, bullets, selected,
)
from desktop_app.gui.widgets.table import CENTER, MUTED, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import UnitRow, UnitYear

COLUMNS = (
    Column("单位名称", lambda r: r.name, width=160),
    Column("类别", lambda r: r.kind, CENTER, 80),
    Column("单位党组织", lambda r: r.party_org, width=120),
    Column("联系人", lambda r: r.contact_person, CENTER, 64),
    Column("联系电话", lambda r: r.phone, CENTER, 100),
    Column("可提供", lambda r: r.offers, width=96),
    Column("加入", lambda r: d(r.joined_on), CENTER, 84),
    Column("本年活动", lambda r: str(r.activities or ""), CENTER, 64, sort_key=lambda r: r.activities),
    Column("报到党员", lambda r: str(r.reporting or ""), CENTER, 64, sort_key=lambda r: r.reporting),
)


WRITES = changes(Change.COBUILDING, Change.WISHES)  # wish claims name the same units


class UnitDialog(CobuildingDialog):
    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, unit: UnitRow | None = None,
                 today: date | None = None):
        super().__init__(parent, db, "修改共建单位" if unit else "登记共建单位", today=today)
        self.unit = unit
        self.fields = FieldForm(self, unit.to_input() if unit else rules.UnitInput(joined_on=self.today), (
            Line("name", "单位名称"),
            Listed("kind", "单位类别", names=rules.UNIT_KINDS, default=rules.UNIT_KINDS[1]),
            Line("party_org", "单位党组织", "如 区人民医院党委"),
            Line("contact_person", "联系人", attr="contact"),
            Line("phone", "联系电话"),
            Line("address", "地址"),
            Day("joined_on", "加入日期", optional=True, attr="joined"),
            Checks("offers", "可提供资源", options=rules.OFFERS),
            Text("notes", "备注", lines=2),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(480)
        self.first_field = self.name

    def current_input(self) -> rules.UnitInput:
        return self.fields.build(rules.UnitInput)

    def prepare(self):
        inp = rules.check_unit(self.current_input(), self.today)
        db, uid, today = self.db, self.unit.id if self.unit else None, self.today
        read_at = self.unit.version if self.unit else None
        return lambda: cb.save_unit(db, uid, inp, today, expected_version=read_at)


def unit_html(p: UnitYear) -> str:
    e, u = escape, p.unit
    lines = [
        f"<h3>{e(u.name)}</h3>",
        f"<p>{e(u.kind or '未分类')}　{e(u.party_org)}<br>联系人：{e(u.contact_person or '—')} {e(u.phone)}<br>"
        f"地址：{e(u.address or '—')}<br>加入：{d(u.joined_on) or '—'}　可提供：{e(u.offers or '—')}</p>",
        f"<p><b>{p.year}年</b>：参与活动 {len(p.activities)} 次，服务居民 "
        f"{sum(a.residents_served for a in p.activities)} 人次；报到党员 {len(p.reporting)} 名，"
        f"服务 {p.service_count} 次 {hours(p.service_hours_tenths) or '0'} 小时；微心愿 {len(p.wishes)} 个</p>",
    ]
    lines.append(bullets("活动", [f"{d(a.activity_date)} {a.kind}：{a.title}（服务 {a.residents_served} 人次）"
                                  for a in p.activities]))
    lines.append(bullets("报到党员", [f"{r.name} {r.job}：{r.services} 次，{hours(r.hours_tenths) or '0'} 小时"
                                      f"{'（已离开）' if r.left_on else ''}" for r in p.reporting]))
    for label, items in (("单位报到", p.reported), ("微心愿", p.wishes), ("联席会议议题", p.topics),
                         ("双进双认", p.pairing), ("问需服务", p.inquiries)):
        lines.append(bullets(label, items))
    if u.notes:
        lines.append(f"<p>备注：{e(u.notes)}</p>")
    return "".join(lines)


class UnitsPage(CobuildingPage):
    export_kind = "units"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = WRITES
    writes = WRITES
    tables = (Table(COLUMNS, lambda r: MUTED if not r.activities else None, stretch=0, details_width=320,
                    empty="登记共建单位：Ctrl+N。选中一个单位，这里显示它本年和社区一起做了什么。",
                    give_way=("单位党组织", "可提供", "类别")),)
    filters = (Search("搜索：单位名称、党组织、联系人"),
               Choice("kind", [(k, k) for k in rules.UNIT_KINDS], "全部类别"),
               Choice("year", years))
    actions = (
        Act("add", "登记单位", "add_unit", "Ctrl+N", name="add"),
        EDIT,
        DELETE,
        SEPARATOR,
        Act("print", "打印名册", "print_register", name="register"),
        Act("print", "打印本单位情况", "print_unit", when=selected, name="unit_page"),
        Act("print", "打印年度汇总", "print_summary", name="summary"),
        Act("print", "街道汇总", "print_street", name="street"),
    )
    activate = "edit_selected"
    removal = Removal("删除共建单位", lambda p: f"确定删除“{p.unit.name}”吗？已有的活动和认领记录保留单位名称。",
                      cb.delete_unit, record_id=lambda p: p.unit.id)

    def load(self, db, f):
        year = f.year or self.today.year
        return Loaded(cb.list_units(db, f.text, f.kind, year), year=year)

    def fetch_detail(self, db, row):  # off the GUI thread: the year comes from the last load, not a widget
        return cb.unit_year(db, row.id, self.loaded_year)

    details = staticmethod(unit_html)

    def on_loaded(self, loaded) -> None:
        active = sum(1 for r in loaded.rows if r.activities)
        self.counts.setText(f"列出 {len(loaded.rows)} 个单位，本年参与活动 {active} 个")

    def form(self, detail: UnitYear | None = None) -> UnitDialog:
        return UnitDialog(self, self.ctx.db, detail.unit if detail else None, self.today)

    def add_unit(self) -> None:
        self.run_dialog(self.form(), lambda u: f"已登记 {u.name}。")

    def print_register(self) -> None:
        self.print_year("打印共建单位名册", "共建单位名册", cb.print_unit_register,
                        lambda year, path, n: f"已保存共建单位名册（{n} 个单位）：{path}", year_of(self))

    def print_unit(self) -> None:
        p = self.detail
        if p is None:
            return
        db, year, today = self.ctx.db, p.year, self.today
        self.print_pdf("打印本单位年度共建情况", f"{p.unit.name}{year}年共建情况.pdf",
                       lambda path, job: cb.print_unit_page(db, p.unit.id, year, path, today=today),
                       lambda path, name: f"已保存 {name} 的年度共建情况：{path}")

    def print_street(self) -> None:
        self.print_year("打印共驻共建街道汇总表", "共驻共建街道汇总", cb.print_street_summary,
                        lambda year, path, n: f"已保存{year}年街道汇总（{n} 个社区）：{path}", year_of(self))

    def print_summary(self) -> None:
        self.print_year("打印共驻共建年度汇总", "共驻共建年度汇总", cb.print_summary,
                        lambda year, path, figs: f"已保存{year}年度汇总：{figs.activities} 次活动：{path}", year_of(self))
