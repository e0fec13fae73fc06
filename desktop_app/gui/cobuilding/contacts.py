"""楼门书记 / 党员联系户 and the 兼职委员 of the 大工委 / 大党委: who keeps in touch with whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtWidgets import QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import CobuildingDialog, CobuildingPage, d, is_a
from desktop_app.gui.residents.pickers import member_picker, resident_picker
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Listed, Named, Put, grid
from desktop_app.gui.widgets.forms import select
from desktop_app.gui.widgets.record_list import SEPARATOR, Act, Choice, Loaded, Search, Table
from desktop_app.gui.widgets.required import picked
from desktop_app.gui.widgets.table import CENTER, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import residents as resident_service
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import ContactRow, SeatRow

CONTACT_COLUMNS = (
    Column("网格", lambda r: r.grid_name, width=120),
    Column("党员", lambda r: r.member_name, CENTER, 70),
    Column("联系电话", lambda r: r.mobile_masked, CENTER, 100),
    Column("类别", lambda r: r.role, CENTER, 70),
    Column("楼栋", lambda r: r.building, width=140),
    Column("联系户", lambda r: r.household_label, width=180),
    Column("开始", lambda r: d(r.since), CENTER, 84),
)
SEAT_COLUMNS = (
    Column("层级", lambda r: r.level, CENTER, 60),
    Column("姓名", lambda r: r.name, CENTER, 70),
    Column("所在单位", lambda r: r.unit_name, width=180),
    Column("职务", lambda r: r.post, width=100),
    Column("联系电话", lambda r: r.phone, CENTER, 100),
    Column("任期", lambda r: f"{d(r.term_start)} — {d(r.term_end)}", CENTER, 180),
)


class ContactDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence, today: date | None = None):
        super().__init__(parent, db, "登记楼门书记 / 联系户", today=today)
        self.fields = FieldForm(self, rules.ContactInput(since=self.today), (
            Put("member", "党员", member_picker(db)),
            Listed("role", "类别", names=rules.CONTACT_ROLES),
            grid(grids=grids, attr="grid", label="网格"),
            Line("building", "楼栋", "楼门书记负责的楼栋或单元，如 梅园新村3栋"),
            Put("household", "联系户", resident_picker(db, "联系户：户主姓名或门牌，回车确认")),
            Day("since", "开始日期"),
        ))
        self.household.picked.connect(lambda p: p is not None and select(self.grid, p.grid_id))
        self.finish_layout(self.fields)
        self.setMinimumWidth(460)
        self.first_field = self.member

    def prepare(self):
        inp = rules.check_contact(self.fields.build(rules.ContactInput, member_id=picked(self.member).id,
                                                    household_id=getattr(self.household.chosen(), "household_id", None)),
                                  self.today)
        db, today = self.db, self.today
        return lambda: cb.save_contact(db, None, inp, today)


class SeatDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, seat: SeatRow | None = None,
                 today: date | None = None):
        super().__init__(parent, db, "修改兼职委员" if seat else "登记兼职委员", today=today)
        self.seat = seat
        self.fields = FieldForm(self, seat or rules.SeatInput(term_start=self.today), (  # a new seat: 大党委 兼职委员
            Listed("level", "层级", names=rules.COMMITTEE_LEVELS),
            Line("name", "姓名"),
            Named("unit_id", "所在单位", things=units, none_label="（不是共建单位）", attr="unit"),
            Line("post", "职务"),
            Line("phone", "联系电话"),
            Day("term_start", "任期开始", attr="start"),
            Day("term_end", "任期结束", optional=True, attr="end"),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(420)
        self.first_field = self.name

    def prepare(self):
        inp = rules.check_seat(self.fields.build(rules.SeatInput), self.today)
        db, sid, today = self.db, self.seat.id if self.seat else None, self.today
        read_at = self.seat.version if self.seat else None
        return lambda: cb.save_seat(db, sid, inp, today, expected_version=read_at)


_contact = is_a(ContactRow)


_seat = is_a(SeatRow)


class ContactsPage(CobuildingPage):
    heading = "联系户与兼职委员 · 含楼门书记"
    export_kind = "contacts"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.MEMBERS, Change.RESIDENTS, Change.ORGS)
    tables = (Table(CONTACT_COLUMNS, give_way=("楼栋", "开始"), stretch=5, details_width=260, label="楼门书记和联系户",
                    empty="登记楼门书记或党员联系户：Ctrl+N。"),
              Table(SEAT_COLUMNS, give_way=("任期",), stretch=2, details_width=260, label="兼职委员",
                    empty="街道大工委和社区大党委的兼职委员。"))
    filters = (Search("搜索：党员（可用拼音首字母）、楼栋、门牌"), Choice("grid", all_label="全部网格"))
    actions = (
        Act("add", "登记联系", "add_contact", "Ctrl+N", name="add"),
        Act("undo", "结束联系", "end_contact", when=_contact, name="end", writes=True),
        SEPARATOR,
        Act("person-add", "登记兼职委员", "add_seat", name="add_seat", writes=True),
        Act("edit", "修改委员", "edit_seat", when=_seat, name="edit_seat", writes=True),
        Act("delete", "删除委员", "delete_seat", when=_seat, name="delete_seat", writes=True),
        SEPARATOR,
        Act("print", "打印联系表", "print_sheet", name="sheet"),
    )
    activate = "edit_seat"

    def load(self, db, f):
        return Loaded(cb.list_contacts(db, f.grid, f.text), cb.list_seats(db, today=self.today),
                      grids=resident_service.grids(db), units=cb.list_units(db))

    def detail_html(self, x) -> str:
        e = escape
        if _seat(x):
            return (f"<h3>{e(x.name)}</h3><p>{e(x.level)} {e(x.post)}<br>{e(x.unit_name)}<br>{e(x.phone)}<br>"
                    f"任期：{d(x.term_start)} — {d(x.term_end) or '未定'}</p>")
        return (f"<h3>{e(x.member_name)}</h3><p>{e(x.role)}　{e(x.grid_name)}<br>{e(x.building or x.household_label)}"
                f"<br>电话：{e(x.mobile_masked or '—')}<br>开始：{d(x.since) or '—'}</p>")

    def on_loaded(self, loaded) -> None:
        self.fill_choice("grid", [(g.name, g.id) for g in loaded.grids])
        contacts = loaded.tables[0]
        self.counts.setText(f"楼门书记 {sum(1 for c in contacts if c.role == '楼门书记')} 人，联系户 "
                            f"{sum(1 for c in contacts if c.role == '联系户')} 户，兼职委员 {len(loaded.tables[1])} 人")

    def add_contact(self) -> None:
        self.run_dialog(ContactDialog(self, self.ctx.db, self.grids, self.today),
                        lambda c: f"已登记：{c.member_name} {c.role} {c.building or c.household_label}。")

    def end_contact(self) -> None:
        c = self.detail
        if not _contact(c):
            return
        db = self.ctx.db
        self.ask_date_note("结束联系", f"{c.member_name}：{c.role} {c.building or c.household_label}", "结束日期", None,
                           lambda on, note: cb.end_contact(db, c.id, on), "已结束联系。")

    def add_seat(self) -> None:
        self.run_dialog(SeatDialog(self, self.ctx.db, self.listed("units"), today=self.today),
                        lambda s: f"已登记兼职委员 {s.name}。")

    def edit_seat(self) -> None:
        if _seat(self.detail):
            self.run_dialog(SeatDialog(self, self.ctx.db, self.listed("units"), self.detail, self.today), "已保存修改。")

    def delete_seat(self) -> None:
        self.delete_detail("删除兼职委员", lambda s: f"确定删除 {s.name}（{s.unit_name}）的委员记录吗？", cb.delete_seat,
                           when=_seat)

    def print_sheet(self) -> None:
        db, grid, today = self.ctx.db, self.filter_values().grid, self.today
        self.print_pdf("打印联系表", f"联系表{today:%Y%m%d}.pdf",
                       lambda path, job: cb.print_contact_sheet(db, path, grid, today=today),
                       lambda path, n: f"已保存联系表（{n} 条）：{path}")
