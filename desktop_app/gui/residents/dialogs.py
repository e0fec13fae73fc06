"""Household and resident forms, and the editor of the reference lists (tags, problem kinds …)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.dialog import SavingDialog, create_or_update
from desktop_app.gui.widgets.forms import DateEdit, combo, grid_combo, select, text_area
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
        self.grid = grid_combo(grids, d.grid_id)
        self.building = QLineEdit(d.building)
        self.building.setPlaceholderText("如 梅园新村3栋")
        self.unit = QLineEdit(d.unit)
        self.unit.setPlaceholderText("如 2单元")
        self.room = QLineEdit(d.room)
        self.room.setPlaceholderText("如 302室")
        self.address = QLineEdit(d.address)
        self.address.setPlaceholderText("留空则按楼栋单元室生成")
        self.head = QLineEdit(d.head_name)
        self.phone = QLineEdit(d.phone)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        flat = QHBoxLayout()
        for w in (self.building, self.unit, self.room):
            flat.addWidget(w)
        form = QFormLayout()
        form.addRow("所属网格", self.grid)
        form.addRow("楼栋 / 单元 / 室", flat)
        form.addRow("地址", self.address)
        form.addRow("户主", self.head)
        form.addRow("联系电话", self.phone)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(460)
        self.first_field = self.building

    def current_input(self) -> HouseholdInput:
        return HouseholdInput(
            grid_id=self.grid.currentData(), building=self.building.text(), unit=self.unit.text(),
            room=self.room.text(), address=self.address.text(), head_name=self.head.text(),
            phone=self.phone.text(), notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp, db = self.current_input(), self.db
        return create_or_update(self.detail, lambda: resident_service.create_household(db, inp),
                                lambda hid: resident_service.update_household(db, hid, inp))


class TagChecks(QWidget):
    """The tag list as check boxes (four a row), plus any tags the record carries beyond it."""

    def __init__(self, tags: Sequence[str], checked: Sequence[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        names = list(tags) + [t for t in checked if t not in tags]
        self.boxes: list[QCheckBox] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, name in enumerate(names):
            box = QCheckBox(name)
            box.setChecked(name in checked)
            self.boxes.append(box)
            grid.addWidget(box, i // 4, i % 4)

    def tags(self) -> tuple[str, ...]:
        return tuple(b.text() for b in self.boxes if b.isChecked())


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
        self.name = QLineEdit(d.name)
        self.gender = combo([("（未填）", ""), ("男", "男"), ("女", "女")], d.gender)
        self.id_number = QLineEdit(d.id_number)
        self.id_number.setPlaceholderText("可不填；填写后自动得出性别和出生日期")
        self.birth = DateEdit(d.birth_date, optional=True)
        self.phone = QLineEdit(d.phone)

        def search(text: str):
            return [(f"{h.label}（{h.head_name or '户主未填'}，{h.grid_name}）", h)
                    for h in resident_service.search_households(db, text)[:12]]

        self.household = SearchPicker(search, "楼栋单元室或户主姓名，如 3栋2单元302", lambda h: h.label)
        label = detail.address if detail else (household.label if household else "")
        if d.household_id:
            self.household.set_chosen(d.household_id, label)
        self.grid = grid_combo(grids, d.grid_id)
        self.household.picked.connect(lambda h: select(self.grid, h.grid_id) if h is not None else None)
        self.tag_checks = TagChecks(tags, d.tags)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        form = QFormLayout()
        form.addRow("姓名", self.name)
        row = QHBoxLayout()
        row.addWidget(self.gender)
        row.addWidget(QLabel("出生日期"))
        row.addWidget(self.birth)
        form.addRow("性别", row)
        form.addRow("公民身份号码", self.id_number)
        form.addRow("联系电话", self.phone)
        form.addRow("住户", self.household)
        form.addRow("所属网格", self.grid)
        form.addRow("标签", self.tag_checks)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
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
        return ResidentInput(
            name=self.name.text(), household_id=self._household_id(), grid_id=self.grid.currentData(),
            id_number=self.id_number.text(), gender=self.gender.currentData(), birth_date=self.birth.value(),
            phone=self.phone.text(), tags=self.tag_checks.tags(), notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp, db = self.current_input(), self.db
        return create_or_update(self.detail, lambda: resident_service.create_resident(db, inp),
                                lambda rid: resident_service.update_resident(db, rid, inp))


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
