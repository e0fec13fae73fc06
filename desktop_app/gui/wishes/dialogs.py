"""Wish forms: post a wish, claim it for a member or a partner unit, and keep the partner units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import WishInput
from desktop_app.gui.residents.pickers import member_picker, resident_picker
from desktop_app.gui.visits.dialogs import own_grid
from desktop_app.gui.widgets.dialog import SavingDialog, create_or_update
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Money, Put, Text, grid
from desktop_app.gui.widgets.forms import DateEdit, combo, select
from desktop_app.gui.widgets.layouts import fill, form_layout, wrapped
from desktop_app.gui.widgets.register import RegisterDialog
from desktop_app.gui.widgets.table import CENTER, Column
from desktop_app.services import wishes
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid, ResidentPick
from desktop_app.views.changes import Change, changes


class WishDialog(SavingDialog):
    changes_made = changes(Change.WISHES)

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], detail=None,
                 today: date | None = None):
        super().__init__(parent, "修改微心愿" if detail else "发布微心愿")
        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else WishInput(posted_on=self.today)
        self._ids = (d.resident_id, d.household_id)
        self.wisher = resident_picker(db)
        if d.wisher_name:
            self.wisher.set_chosen(None, d.wisher_name)
        self.wisher.picked.connect(self._picked)
        self.fields = FieldForm(self, d, (
            Put("wisher", "心愿人", self.wisher),
            grid(grids=grids, attr="grid"),
            Line("content", "心愿内容", "如 一台收音机、上门理发、孩子的课外辅导书"),
            Line("background", "心愿人情况", "心愿人情况，如 独居老人、腿脚不便（会印在心愿卡上）"),
            Money("estimated_fen", "预计价值（元）", attr="value"),
            Day("posted_on", "发布日期", attr="posted"),
            Text("notes", "备注", lines=2),
        ))
        if detail is None and (own := own_grid(db, "wishes.write")):
            select(self.grid, own)
        self.finish_layout(self.fields)
        self.setMinimumWidth(500)
        self._wishes = wishes
        self.first_field = self.wisher

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is not None:
            self._ids = (pick.resident_id, pick.household_id)
            select(self.grid, pick.grid_id)
            if not self.background.text() and pick.tags:
                self.background.setText("、".join(pick.tags))

    def current_input(self) -> WishInput:
        chosen = self.wisher.chosen()
        if chosen is not None:
            resident_id, household_id, name = chosen.resident_id, chosen.household_id, chosen.name
        elif self.detail and self.wisher.text() == self.detail.wisher_name:
            (resident_id, household_id), name = self._ids, self.detail.wisher_name
        else:
            resident_id, household_id, name = None, None, self.wisher.text()
        return self.fields.build(WishInput, resident_id=resident_id, household_id=household_id, wisher_name=name)

    def prepare(self):
        inp = self.current_input()
        flow.check_wish(inp, self.today)
        db, today, wishes, read_at = self.db, self.today, self._wishes, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: wishes.post_wish(db, inp, today),
                                lambda wid: wishes.update_wish(db, wid, inp, today, expected_version=read_at))


class ClaimDialog(SavingDialog):
    """Who takes the wish on: a member (search by name) or a partner unit (from the list)."""

    changes_made = changes(Change.WISHES)

    def __init__(self, parent: QWidget | None, db: Database, wish, units: Sequence[Any], today: date | None = None):
        super().__init__(parent, f"认领心愿 {wish.wish_no}", "认领")
        self.db, self.wish, self.today = db, wish, today or date.today()
        self.by_member = QRadioButton("党员")
        self.by_unit = QRadioButton("共建单位")
        self.by_member.setChecked(True)
        self.member = member_picker(db)
        self.unit = combo([(u.name, u.id) for u in units])
        self.by_unit.setEnabled(bool(units))
        self.claimed_on = DateEdit(self.today)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如 联系电话、计划何时送去")
        for b in (self.by_member, self.by_unit):
            b.toggled.connect(lambda *_: self._update())
        kind = fill(QHBoxLayout(), self.by_member, self.by_unit, 1)
        summary = wrapped(f"<b>{wish.wisher_name}</b>：{wish.content}")
        form = form_layout(("认领方", kind), ("认领党员", self.member), ("共建单位", self.unit),
                           ("认领日期", self.claimed_on), ("说明", self.note))
        self.finish_layout(summary, form)
        self.setMinimumWidth(460)
        self._update()
        self.first_field = self.member

    def _update(self) -> None:
        self.member.setEnabled(self.by_member.isChecked())
        self.unit.setEnabled(self.by_unit.isChecked())

    def prepare(self):
        member_id = unit_id = None
        if self.by_member.isChecked():
            m = self.member.chosen()
            if m is None:
                raise ValidationError("认领人", "请输入党员姓名并从结果中选择")
            member_id = m.id
        else:
            unit_id = self.unit.currentData()
            if not unit_id:
                raise ValidationError("认领人", "请选择共建单位")
        db, wid, on, note, today = self.db, self.wish.id, self.claimed_on.value(), self.note.text(), self.today
        return lambda: wishes.claim_wish(db, wid, on, member_id=member_id, unit_id=unit_id, note=note, today=today)


class PartnerUnitDialog(SavingDialog):
    changes_made = changes(Change.WISHES)

    def __init__(self, parent: QWidget | None, db: Database, unit=None):
        super().__init__(parent, "修改共建单位" if unit else "新增共建单位")
        self.db, self.unit = db, unit
        self.fields = FieldForm(self, unit, (
            Line("name", "单位名称"),
            Line("contact_person", "联系人", attr="contact"),
            Line("phone", "联系电话"),
            Line("notes", "备注"),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(400)

    def prepare(self):
        db, uid, read_at = self.db, self.unit.id if self.unit else None, self.unit.version if self.unit else None
        values = tuple(self.fields.values().values())
        flow.required(values[0], "单位名称")
        return lambda: wishes.save_unit(db, uid, *values, expected_version=read_at)


UNIT_COLUMNS = (
    Column("单位名称", lambda u: u.name, width=150),
    Column("联系人", lambda u: u.contact_person, width=70),
    Column("联系电话", lambda u: u.phone, width=110),
    Column("认领", lambda u: str(u.claims) if u.claims else "", CENTER, 44, sort_key=lambda u: u.claims),
    Column("备注", lambda u: u.notes),
)


class UnitsDialog(RegisterDialog):
    """共建单位: list, add, edit, delete (each through its own saving dialog or a confirmed call)."""

    columns, stretch, writes, add_text, edit_text, remove_text = (
        UNIT_COLUMNS, 4, changes(Change.WISHES), "新增…", "修改…", "删除所选")
    empty = "还没有认领心愿的单位。点“新增…”登记，认领心愿时就能选它。"

    def __init__(self, parent: QWidget | None, db: Database):
        super().__init__(parent, db, "共建单位", 560, 340)

    def load(self, db):
        return wishes.list_units(db)

    def form(self) -> PartnerUnitDialog:
        return PartnerUnitDialog(self, self.db)

    def edit_form(self, row) -> PartnerUnitDialog:
        return PartnerUnitDialog(self, self.db, row)

    def added(self, saved) -> str:
        return f"已新增：{saved.name}"

    def edited(self, saved) -> str:
        return f"已保存：{saved.name}"

    def removal(self, row):
        return ("删除共建单位", f"确定删除“{row.name}”吗？已有的认领记录保留单位名称。",
                lambda db: wishes.delete_unit(db, row.id))
