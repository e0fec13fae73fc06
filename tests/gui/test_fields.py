"""The declarative form builder: a field table fills widgets from an input, lays them out and reads them back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.fields import (
    Checks,
    Choice,
    Day,
    FieldForm,
    Flag,
    Line,
    Listed,
    Money,
    Month,
    Put,
    Row,
    Text,
    grid,
    show,
)
from desktop_app.gui.widgets.forms import DateEdit


@dataclass(frozen=True)
class Grid:
    id: str
    name: str


@dataclass(frozen=True)
class Thing:
    name: str = ""
    kind: str = ""
    level: int | None = None
    grid_id: str | None = None
    budget_fen: int = 0
    cost_fen: int = 0
    start: date | None = None
    due: date | None = None
    offers: list[str] = field(default_factory=list)
    urgent: bool = False
    notes: str = ""
    owner_id: str | None = None


GRIDS = [Grid("g1", "一网格"), Grid("g2", "二网格")]


def rows(extra: QWidget):
    return (
        Line("name", "名称", "如 路灯修复"),
        Listed("kind", "类别", names=("修缮", "环境")),
        Choice("level", "级别", items=(("一般", 1), ("紧急", 2))),
        grid(grids=GRIDS, attr="grid"),
        Row("预算（元）", Money("budget_fen", attr="budget"), "实际支出", Money("cost_fen", what="实际支出")),
        Row("开始日期", Day("start", optional=True), "期限", Day("due", default=date(2024, 7, 1)), end_stretch=True),
        Checks("offers", "可提供", options=("场地", "资金", "人员")),
        Flag("urgent", "", text="加急"),
        Text("notes", "备注", lines=2, placeholder="可不填"),
        Put("extra", "另附", extra),
        show("当前状态", "进行中"),
    )


def make(qtbot, source):
    owner = SavingDialog(None, "表单")
    qtbot.addWidget(owner)
    extra = QLineEdit("另附的")
    form = FieldForm(owner, source, rows(extra))
    owner.finish_layout(form)
    return owner, form, extra


def test_a_blank_form_reads_back_its_defaults(qtbot):
    owner, form, extra = make(qtbot, None)
    assert isinstance(owner.name, QLineEdit) and owner.name.placeholderText() == "如 路灯修复"
    assert isinstance(owner.kind, QComboBox) and isinstance(owner.notes, QPlainTextEdit)
    assert isinstance(owner.start, DateEdit) and owner.extra is extra and form.get("budget") is owner.budget
    assert form.rowCount() == 11
    assert form.build(Thing) == Thing(kind="修缮", level=1, due=date(2024, 7, 1))
    label = form.itemAt(10, form.ItemRole.FieldRole).widget()
    assert isinstance(label, QLabel) and label.text() == "进行中"


def test_a_form_shows_its_source_and_reads_what_was_typed(qtbot):
    src = Thing(name="路灯", kind="老类别", level=2, grid_id="g2", budget_fen=120050, cost_fen=0,
                start=date(2024, 6, 3), due=date(2024, 6, 30), offers=["资金"], urgent=True, notes="第一行")
    owner, form, _extra = make(qtbot, src)
    assert owner.kind.currentText() == "老类别"  # the record's own word stays offered
    assert owner.budget.text() == "1200.50" and owner.cost_fen.text() == ""
    assert form.build(Thing) == src
    owner.name.setText("路灯修复")
    owner.cost_fen.setText("35.5")
    owner.offers.boxes["场地"].setChecked(True)
    assert isinstance(owner.urgent, QCheckBox)
    owner.urgent.setChecked(False)
    owner.start.set_value(None)
    got = form.build(Thing, owner_id="m1")
    assert (got.name, got.cost_fen, got.offers, got.urgent, got.start, got.owner_id) == (
        "路灯修复", 3550, ["场地", "资金"], False, None, "m1")
    assert list(form.values()) == ["name", "kind", "level", "grid_id", "budget_fen", "cost_fen", "start", "due",
                                   "offers", "urgent", "notes"]


def test_a_wrong_amount_is_refused_naming_the_field_without_its_unit(qtbot):
    owner, form, _extra = make(qtbot, None)
    owner.budget.setText("一千")
    with pytest.raises(ValidationError) as err:
        form.values()
    assert "预算" in str(err.value) and "（元）" not in str(err.value)
    owner.budget.setText("")
    owner.cost_fen.setText("abc")
    with pytest.raises(ValidationError, match="实际支出"):
        form.values()


def test_the_discard_guard_sees_the_fields_a_table_made(qtbot):
    owner, _form, _extra = make(qtbot, None)
    owner.show()
    qtbot.waitUntil(lambda: owner._typed is not None)
    assert not owner.is_modified()
    owner.offers.boxes["人员"].setChecked(True)
    assert owner.is_modified()


def test_the_wish_form_reads_the_same_input_it_was_given(qtbot):
    from desktop_app.domain.service_flow import WishInput
    from desktop_app.gui.wishes.dialogs import PartnerUnitDialog, WishDialog

    src = WishInput(wisher_name="王阿姨", grid_id="g2", content="一台收音机", background="独居老人",
                    estimated_fen=12050, posted_on=date(2024, 6, 3), notes="周末送")

    class Detail:
        id, wisher_name = "w1", "王阿姨"

        def to_input(self):
            return src

    dlg = WishDialog(None, None, GRIDS, Detail(), today=date(2024, 6, 10))
    qtbot.addWidget(dlg)
    assert dlg.grid.currentText() == "二网格" and dlg.value.text() == "120.50"
    assert dlg.current_input() == src
    dlg.value.setText("一百")
    with pytest.raises(ValidationError, match="预计价值"):
        dlg.current_input()

    unit = PartnerUnitDialog(None, None)
    qtbot.addWidget(unit)
    unit.name.setText("区医院")
    unit.contact.setText("李")
    assert unit.fields.values() == {"name": "区医院", "contact_person": "李", "phone": "", "notes": ""}


def test_the_project_forms_read_the_same_input_they_were_given(qtbot):
    from desktop_app.domain.service_flow import MilestoneInput, ProjectInput
    from desktop_app.gui.projects.dialogs import MilestoneDialog, ProjectDialog, ProjectStatusDialog

    src = ProjectInput(name="路灯修复", category="修缮", grid_id=None, owner_name="张书记", owner_member_id="m1",
                       description="3栋门口", budget_fen=500000, actual_cost_fen=120000,
                       start_date=date(2024, 6, 1), deadline=date(2024, 7, 1), notes="")

    class Detail:
        id, name, owner_member_id, status, actual_cost_fen, start_date = "p1", "路灯修复", "m1", "进行中", 120000, None
        version = 3  # what a save names as read, so a later change elsewhere is refused

        def to_input(self):
            return src

    dlg = ProjectDialog(None, None, GRIDS, ["修缮", "环境"], Detail(), today=date(2024, 6, 10))
    qtbot.addWidget(dlg)
    assert dlg.grid.currentText() == "全社区" and dlg.budget.text() == "5000.00" and dlg.cost.text() == "1200.00"
    assert dlg.current_input() == src
    dlg.cost.setText("x")
    with pytest.raises(ValidationError, match="实际支出"):
        dlg.current_input()
    blank = ProjectDialog(None, None, GRIDS, ["修缮"], default_owner="李", today=date(2024, 6, 10))
    qtbot.addWidget(blank)
    assert blank.current_input() == ProjectInput(category="修缮", owner_name="李", deadline=date(2024, 7, 10))

    ms = MilestoneDialog(None, None, "p1", MilestoneInput("采购", date(2024, 6, 5), None, "先问价"))
    qtbot.addWidget(ms)
    assert ms.fields.build(MilestoneInput) == MilestoneInput("采购", date(2024, 6, 5), None, "先问价")
    assert ms.title_edit.placeholderText() == "如 采购材料、施工、验收"

    status = ProjectStatusDialog(None, None, Detail(), today=date(2024, 6, 10))
    qtbot.addWidget(status)
    assert status.on.value() == date(2024, 6, 10) and status.cost.text() == "1200.00"
    assert status.note.placeholderText() == "完成情况 / 终止或重新启动的原因"


def test_the_mediation_session_and_outcome_forms_keep_their_defaults(qtbot):
    from desktop_app.domain import service_flow as flow
    from desktop_app.domain.service_flow import SessionInput
    from desktop_app.gui.mediation.dialogs import OutcomeDialog, SessionDialog

    class Case:
        id, case_no, mediator, received_on, state, sessions = "c1", "TJ-1", "老周", date(2024, 6, 1), "", ()

    new = SessionDialog(None, None, Case(), today=date(2024, 6, 10))
    qtbot.addWidget(new)
    assert new.fields.build(SessionInput) == SessionInput(date(2024, 6, 10), "社区调解室", "老周", "")
    old = SessionDialog(None, None, Case(), SessionInput(date(2024, 6, 3), "", "小李", "谈妥"), today=date(2024, 6, 10))
    qtbot.addWidget(old)
    assert old.fields.build(SessionInput) == SessionInput(date(2024, 6, 3), "", "小李", "谈妥")
    assert old.on is old.fields.get("on")

    out = OutcomeDialog(None, None, Case(), today=date(2024, 6, 10))
    qtbot.addWidget(out)
    assert out.closed_on.value() == date(2024, 6, 10) and out.outcome.currentData() == flow.OUTCOMES[0]
    flow_index = out.outcome.findData(flow.MEDIATION_TRANSFERRED)
    out.outcome.setCurrentIndex(flow_index)
    assert out.transferred_to.isEnabled() and not out.agreement.isEnabled()


def test_the_household_and_resident_forms_read_the_same_input_they_were_given(qtbot):
    from desktop_app.gui.residents.dialogs import HouseholdDialog, ResidentDialog
    from desktop_app.services.residents import HouseholdInput, ResidentInput

    house = HouseholdInput("g1", "梅园新村3栋", "2单元", "302室", "", "王强", "139", "独居")
    resident = ResidentInput("王阿姨", None, "g2", "", "女", date(1950, 3, 1), "139", ("独居老人", "旧标签"), "")

    class Detail:
        id, address = "x1", ""

        def __init__(self, inp):
            self.inp = inp

        def to_input(self):
            return self.inp

    hd = HouseholdDialog(None, None, GRIDS, Detail(house))
    qtbot.addWidget(hd)
    assert hd.current_input() == house and hd.head.text() == "王强" and hd.room.placeholderText() == "如 302室"
    rd = ResidentDialog(None, None, GRIDS, ["独居老人", "低保户"], Detail(resident))
    qtbot.addWidget(rd)
    assert list(rd.tag_checks.boxes) == ["独居老人", "低保户", "旧标签"]  # a tag dropped from the list stays
    assert rd.current_input() == resident
    rd.tag_checks.boxes["旧标签"].setChecked(False)
    rd.tag_checks.boxes["低保户"].setChecked(True)
    assert rd.current_input().tags == ("独居老人", "低保户")


def test_a_month_field_shows_the_month_and_reads_its_first_day(qtbot):
    """党费交至 is a month: the transfer letter showed it as a day (2026-11-01) beside 2026年11月 elsewhere."""
    owner = SavingDialog(None, "介绍信")
    qtbot.addWidget(owner)
    form = FieldForm(owner, Thing(due=date(2026, 11, 1)), (Month("due", "党费交至", optional=True),
                                                           Month("start", "起", optional=True)))
    assert owner.due.text() == "2026年11月" and owner.start.text() == "未填"
    owner.due.set_value(date(2026, 12, 15))
    assert form.values() == {"due": date(2026, 12, 1), "start": None}


@pytest.mark.parametrize("optional", [True, False])
def test_a_date_is_typed_digit_by_digit_into_an_empty_or_filled_date_field(qtbot, optional):
    """A worker types 20261215 into a date field: an optional one still showing 未填 took the digits as text
    after 未填 (“未填0261215”) and stayed empty, so the 测评日期 and every other optional date needed the calendar."""
    edit = DateEdit(date(2025, 3, 1) if not optional else None, optional=optional)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(DateEdit.Section.YearSection)
    qtbot.keyClicks(edit, "20261215")
    assert edit.value() == date(2026, 12, 15) and edit.text() == "2026-12-15"


@pytest.mark.parametrize("optional", [True, False])
@pytest.mark.parametrize("typed", ["2026-12-15", "2026/12/15", "2026.12.15", "2026。12。15", "2026-12-5", "2026-1-05"])
def test_a_date_typed_with_separators_as_in_excel_gives_that_date(qtbot, optional, typed):
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    """Excel users type 2026-12-15: Qt moved on after 2026 and again at the dash, so 12 went into the day."""
    edit = DateEdit(date(2025, 3, 1) if not optional else None, optional=optional)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(DateEdit.Section.YearSection)
    parts = typed.split("。")
    for i, part in enumerate(parts):  # QTest types only Latin-1: a Chinese input method's full stop is sent as text
        qtbot.keyClicks(edit, part)
        if i + 1 < len(parts):
            QApplication.sendEvent(edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, "。"))
    want = {"2026-12-5": date(2026, 12, 5), "2026-1-05": date(2026, 1, 5)}.get(typed, date(2026, 12, 15))
    assert edit.value() == want


def test_the_ledger_month_field_takes_a_typed_separator(qtbot):
    from desktop_app.gui.ledger.forms import date_edit

    edit = date_edit(date(2025, 3, 1), month_only=True)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(DateEdit.Section.YearSection)
    qtbot.keyClicks(edit, "2026-11")
    assert (edit.date().year(), edit.date().month()) == (2026, 11)
