"""Household and resident forms, and the editor of the reference lists (tags, problem kinds …)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.dialog import SavingDialog, create_or_update
from desktop_app.gui.widgets.fields import CheckGroup, Choice, Day, FieldForm, Line, Put, Row, Text, grid
from desktop_app.gui.widgets.forms import select
from desktop_app.gui.widgets.picker import SearchPicker
from desktop_app.services import residents as resident_service
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid, HouseholdInput, ResidentInput
from desktop_app.views.changes import Change, changes


class HouseholdDialog(SavingDialog):
    changes_made = changes(Change.RESIDENTS)

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid],
                 detail: resident_service.HouseholdDetail | None = None, default_grid: str | None = None):
        super().__init__(parent, "修改住户" if detail else "新增住户")
        self.db, self.detail = db, detail
        d = detail.to_input() if detail else HouseholdInput(grid_id=default_grid)
        self.fields = FieldForm(self, d, (
            grid(grids=grids, attr="grid"),
            Row("楼栋 / 单元 / 室", Line("building", placeholder="如 梅园新村3栋"), Line("unit", placeholder="如 2单元"),
                Line("room", placeholder="如 302室")),
            Line("address", "地址", "留空则按楼栋单元室生成"),
            Line("head_name", "户主", attr="head"),
            Line("phone", "联系电话"),
            Text("notes", "备注", lines=2),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(460)
        self.first_field = self.building

    def current_input(self) -> HouseholdInput:
        return self.fields.build(HouseholdInput)

    def prepare(self):
        inp, db, read_at = self.current_input(), self.db, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: resident_service.create_household(db, inp),
                                lambda hid: resident_service.update_household(db, hid, inp, expected_version=read_at))


class TagChecks(CheckGroup):
    """The tag list as check boxes (four a row), plus any tags the record carries beyond it."""

    def __init__(self, tags: Sequence[str], checked: Sequence[str] = (), parent: QWidget | None = None):
        super().__init__(tags, checked, per_row=4, keep_others=True, parent=parent)

    def tags(self) -> tuple[str, ...]:
        return tuple(self.chosen())


class ResidentDialog(SavingDialog):
    changes_made = changes(Change.RESIDENTS)

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], tags: Sequence[str],
                 detail: resident_service.ResidentDetail | None = None,
                 household: resident_service.HouseholdRow | None = None, default_grid: str | None = None):
        super().__init__(parent, "修改居民" if detail else "新增居民")
        self.db, self.detail = db, detail
        d = detail.to_input() if detail else ResidentInput(
            household_id=household.id if household else None,
            grid_id=household.grid_id if household else default_grid)

        def search(text: str):
            return [(f"{h.label}（{h.head_name or '户主未填'}，{h.grid_name}）", h)
                    for h in resident_service.search_households(db, text)[:12]]

        self.household = SearchPicker(search, "楼栋单元室或户主姓名，如 3栋2单元302", lambda h: h.label)
        label = detail.address if detail else (household.label if household else "")
        if d.household_id:
            self.household.set_chosen(d.household_id, label)
        self.fields = FieldForm(self, d, (
            Line("name", "姓名"),
            Row("性别", Choice("gender", items=[("（未填）", ""), ("男", "男"), ("女", "女")]), "出生日期",
                Day("birth_date", optional=True, attr="birth")),
            Line("id_number", "公民身份号码", "可不填；填写后自动得出性别和出生日期"),
            Line("phone", "联系电话"),
            Put("household", "住户", self.household),
            grid(grids=grids, attr="grid"),
            Put("tag_checks", "标签", TagChecks(tags, d.tags)),
            Text("notes", "备注", lines=2),
        ))
        self.household.picked.connect(lambda h: select(self.grid, h.grid_id) if h is not None else None)
        self.finish_layout(self.fields)
        self.setMinimumWidth(520)
        self.first_field = self.name

    def _household_id(self) -> str | None:
        chosen = self.household.chosen()
        if isinstance(chosen, str):
            return chosen
        if chosen is not None:
            return chosen.id
        if self.household.text():
            raise ValidationError("住户", "请从下拉结果中选择住户，或清空此栏")
        return None

    def current_input(self) -> ResidentInput:
        return self.fields.build(ResidentInput, household_id=self._household_id(), tags=self.tag_checks.tags())

    def prepare(self):
        inp, db, read_at = self.current_input(), self.db, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: resident_service.create_resident(db, inp),
                                lambda rid: resident_service.update_resident(db, rid, inp, expected_version=read_at))


class ListEditDialog(SavingDialog):
    """Edit one of the service lists: one entry per line, in the order shown."""

    changes_made = changes(Change.SERVICE_LISTS)

    def __init__(self, parent: QWidget | None, db: Database, kind: str, names: Sequence[str]):
        super().__init__(parent, f"设置{flow.LIST_LABELS[kind]}")
        self.db, self.kind = db, kind
        self.edit = QPlainTextEdit("\n".join(names))
        hint = QLabel("每行一项，按显示顺序排列。删去的项目不影响已有记录。")
        hint.setWordWrap(True)
        self.finish_layout(hint, self.edit)
        self.resize(360, 420)

    def names(self) -> list[str]:
        return self.edit.toPlainText().splitlines()

    def prepare(self):
        names = flow.check_list(self.kind, self.names())
        db, kind = self.db, self.kind
        return lambda: resident_service.set_list(db, kind, names)
