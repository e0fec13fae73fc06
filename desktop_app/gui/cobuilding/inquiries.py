"""问需服务: record asking a resident or a unit what they need, follow it up onto the 需求清单, or settle it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtWidgets import QHBoxLayout, QRadioButton, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import EDIT, CobuildingDialog, CobuildingPage, d, is_a, years
from desktop_app.gui.residents.pickers import resident_picker
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.forms import DateEdit, combo, text_area
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Listed, Named, Put, Text, grid
from desktop_app.gui.widgets.layouts import fill, form_layout, wrapped
from desktop_app.gui.widgets.record_list import DELETE, SEPARATOR, Act, Choice, Loaded, Removal, Search, Table
from desktop_app.gui.widgets.table import ALERT, CENTER, DONE, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services import residents as resident_service
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import InquiryRow

# Together within the ~860 pixels a 1366 screen leaves beside the details pane, so 跟进 is not cut off;
# 反映的需求 stretches into whatever more there is.
COLUMNS = (
    Column("日期", lambda r: d(r.inquiry_date), CENTER, 84),
    Column("方式", lambda r: r.channel, CENTER, 64),
    Column("对象", lambda r: r.asked_name, width=110),
    Column("类别", lambda r: r.party_kind, CENTER, 44),
    Column("问需内容", lambda r: r.topic, width=110),
    Column("反映的需求", lambda r: r.answer, width=160),
    Column("状态", lambda r: r.state, CENTER, 64),
    Column("跟进", lambda r: r.need_title or r.follow_up, width=200),
)


def _color(r: InquiryRow):
    if r.state == rules.INQUIRY_OPEN:
        return ALERT
    return DONE if r.state == rules.INQUIRY_DONE else None


class InquiryDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, grids: Sequence,
                 row: InquiryRow | None = None, today: date | None = None):
        super().__init__(parent, db, "修改问需记录" if row else "登记问需服务", today=today)
        self.row = row
        v = row.to_input() if row else rules.InquiryInput(self.today)
        self.resident_kind = QRadioButton("居民")
        self.unit_kind = QRadioButton("共建单位")
        (self.unit_kind if v.party_kind == rules.ASK_UNIT else self.resident_kind).setChecked(True)
        self.fields = FieldForm(self, v, (
            Day("inquiry_date", "问需日期", attr="on"),
            Listed("channel", "方式", names=rules.INQUIRY_CHANNELS),
            Put("", "问需对象", fill(QHBoxLayout(), self.resident_kind, self.unit_kind, 1)),
            Put("resident", "查找居民", resident_picker(db)),
            Named("unit_id", "共建单位", things=units, none_label="（选择共建单位）", attr="unit"),
            Line("asked_name", "对象姓名/名称", "居民姓名（可从上面查找），或单位名称", attr="name"),
            grid(grids=grids, attr="grid", label="网格"),
            Line("asked_by", "问需人"),
            Line("topic", "问需内容", "如 居家养老、停车难、共建需求"),
            Text("answer", "反映的需求", placeholder="对方反映的需求、意见，用对方的话记下"),
        ))
        self.resident.picked.connect(lambda p: self.name.setText(p.name) if p is not None else None)
        self.unit.currentIndexChanged.connect(self._unit_named)
        self.resident_kind.toggled.connect(self._kind)
        self._resident_id = v.resident_id
        self.finish_layout(self.fields)
        self._kind()
        self.setMinimumWidth(520)
        self.first_field = self.topic if row else self.resident

    def _kind(self) -> None:
        resident = self.resident_kind.isChecked()
        self.resident.setEnabled(resident)
        self.unit.setEnabled(not resident)

    def _unit_named(self) -> None:
        if self.unit_kind.isChecked() and self.unit.currentData():
            self.name.setText(self.unit.currentText())

    def prepare(self):
        unit = self.unit_kind.isChecked()
        pick = self.resident.chosen()
        resident_id = pick.resident_id if pick is not None else self._resident_id
        inp = rules.check_inquiry(self.fields.build(
            rules.InquiryInput, party_kind=rules.ASK_UNIT if unit else rules.ASK_RESIDENT,
            resident_id=None if unit else resident_id), self.today)
        db, rid, today = self.db, self.row.id if self.row else None, self.today
        read_at = self.row.version if self.row else None
        return lambda: cb.save_inquiry(db, rid, inp, today, expected_version=read_at)


class CloseInquiryDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, row: InquiryRow, today: date):
        super().__init__(parent, db, f"办结问需：{row.asked_name}", "办结", today)
        self.row = row
        self.outcome = combo([("已办结（做了什么写在下面）", rules.INQUIRY_DONE), ("无需求", rules.INQUIRY_NONE)])
        self.on = DateEdit(today)
        self.follow_up = text_area(3, "办理情况、答复")
        summary = wrapped(f"{d(row.inquiry_date)} {row.topic}：{row.answer}")
        self.finish_layout(summary, form_layout(("结果", self.outcome), ("办结日期", self.on),
                                                ("办理情况", self.follow_up)))
        self.setMinimumWidth(440)
        self.first_field = self.follow_up

    def prepare(self):
        r = self.row
        outcome, text, on = rules.check_inquiry_close(r.state, self.outcome.currentData(),
                                                      self.follow_up.toPlainText(), self.on.value(),
                                                      r.inquiry_date, self.today)
        db, today = self.db, self.today
        return lambda: cb.close_inquiry(db, r.id, outcome, text, on, today)


def inquiry_html(r: InquiryRow) -> str:
    e = escape
    lines = [f"<h3>{e(r.asked_name)}（{e(r.party_kind)}）</h3>",
             f"<p>{d(r.inquiry_date)}　{e(r.channel)}　问需人：{e(r.asked_by or '—')}<br>"
             f"网格：{e(r.grid_name or '—')}　<b>{e(r.state)}</b></p>",
             f"<p>问需内容：{e(r.topic)}</p>", f"<p>反映的需求：{e(r.answer or '—')}</p>"]
    if r.need_title:
        lines.append(f"<p>已转入需求清单：{e(r.need_title)}</p>")
    if r.follow_up:
        lines.append(f"<p>办理情况（{d(r.done_on)}）：{e(r.follow_up)}</p>")
    return "".join(lines)


_open = is_a(InquiryRow, lambda x: x.state == rules.INQUIRY_OPEN)


_closable = is_a(InquiryRow, lambda x: x.state in (rules.INQUIRY_OPEN, rules.INQUIRY_TO_NEED))


class InquiriesPage(CobuildingPage):
    export_kind = "inquiries"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.RESIDENTS)
    tables = (Table(COLUMNS, _color, give_way=("跟进", "方式", "类别"), stretch=5, details_width=300,
                    empty="登记向居民、共建单位问需的情况：Ctrl+N。反映的需求可“转入需求清单”，或直接“办结”。"),)
    filters = (Search("搜索：对象、问需内容、需求、办理情况"),
               Choice("state", [(s, s) for s in rules.INQUIRY_STATES], "全部状态"),
               Choice("year", years, "全部年份"))
    actions = (
        Act("add", "登记问需", "add_inquiry", "Ctrl+N", name="add"),
        EDIT,
        DELETE,
        SEPARATOR,
        Act("to-project", "转入需求清单", "to_need", when=_open, name="to_need", writes=True),
        Act("close-case", "办结", "close_inquiry", when=_closable, name="close", writes=True),
    )
    activate = "edit_selected"
    removal = Removal("删除", lambda r: f"确定删除对“{r.asked_name}”的问需记录吗？已转入需求清单的需求保留。",
                      cb.delete_inquiry)

    def load(self, db, f):
        return Loaded(cb.list_inquiries(db, f.year, f.state, f.text), units=cb.list_units(db),
                      grids=resident_service.grids(db))

    details = staticmethod(inquiry_html)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        # every state, so the parts add up to the total (已办结 and 无需求 were left out)
        by_state = "，".join(f"{state} {sum(1 for r in rows if r.state == state)}" for state in rules.INQUIRY_STATES)
        self.counts.setText(f"问需 {len(rows)} 次：{by_state}")

    def form(self, row: InquiryRow | None = None) -> InquiryDialog:
        return InquiryDialog(self, self.ctx.db, self.listed("units"), self.grids, row, self.today)

    def add_inquiry(self) -> None:
        self.run_dialog(self.form(), lambda r: f"已登记问需：{r.asked_name}。")

    def to_need(self) -> None:
        r = self.detail
        # asked first: the inquiry stays 已转需求 even if the need is later deleted
        if _open(r) and common.ask(self, "转入需求清单", f"把“{r.answer or r.topic}”转入需求清单吗？\n"
                                   "转入后在“三单”页对接资源；这条问需记为“已转需求”，不能再改回待办理。"):
            db, today = self.ctx.db, self.today
            self.keep(r.id)
            self.write(lambda: cb.inquiry_to_need(db, r.id, today), lambda x: f"已转入需求清单：{x.need_title}。")

    def close_inquiry(self) -> None:
        r = self.detail
        if _closable(r):
            self.run_dialog(CloseInquiryDialog(self, self.ctx.db, r, self.today), lambda x: f"问需已处理：{x.state}。")
