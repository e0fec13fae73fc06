"""Mediation forms: receive a dispute with its parties, record each session, close with the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
from desktop_app.gui.residents.pickers import resident_picker
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import (
    DateEdit,
    combo,
    grid_combo,
    list_combo,
    select,
    text_area,
)
from desktop_app.services import mediation
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid, ResidentPick
from desktop_app.views.changes import Change, changes


class CaseDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    PARTY_HEADERS = ("姓名", "身份", "联系电话", "住址")

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], kinds: Sequence[str],
                 detail=None, today: date | None = None):
        super().__init__(parent, "修改调解案件" if detail else "受理矛盾纠纷")
        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else CaseInput(received_on=self.today)
        self.kind = list_combo(kinds, d.kind)
        self.received = DateEdit(d.received_on)
        self.source = list_combo(flow.CASE_SOURCES, d.source)
        self.mediator = QLineEdit(d.mediator)
        self.grid = grid_combo(grids, d.grid_id)
        self.summary = text_area(4, "纠纷的起因、经过和双方诉求")
        self.summary.setPlainText(d.summary)
        self.parties = QTableWidget(0, len(self.PARTY_HEADERS))
        self.parties.setHorizontalHeaderLabels(list(self.PARTY_HEADERS))
        self.parties.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.parties.verticalHeader().hide()
        self.parties.setMinimumHeight(120)
        self._resident_ids: list[str | None] = []
        for p in d.parties or (PartyInput(role=flow.PARTY_ROLES[0]), PartyInput(role=flow.PARTY_ROLES[1])):
            self.add_party(p)
        self.party_picker = resident_picker(db, "从居民中添加当事人：姓名或拼音首字母")
        self.party_picker.picked.connect(self._picked)
        add = QPushButton("空白行")
        add.clicked.connect(lambda: self.add_party(PartyInput(role=flow.PARTY_ROLES[2])))
        remove = QPushButton("删除所选")
        remove.clicked.connect(self._remove_party)
        party_tools = QHBoxLayout()
        party_tools.addWidget(self.party_picker, 1)
        party_tools.addWidget(add)
        party_tools.addWidget(remove)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(QLabel("受理日期"))
        top.addWidget(self.received)
        top.addWidget(QLabel("来源"))
        top.addWidget(self.source)
        who = QHBoxLayout()
        who.addWidget(self.mediator, 1)
        who.addWidget(QLabel("所属网格"))
        who.addWidget(self.grid, 1)
        form = QFormLayout()
        form.addRow("纠纷类型", top)
        form.addRow("调解员", who)
        form.addRow("当事人", self.parties)
        form.addRow("", party_tools)
        form.addRow("简要情况", self.summary)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(640)

    def add_party(self, p: PartyInput) -> None:
        row = self.parties.rowCount()
        self.parties.insertRow(row)
        for col, text in enumerate((p.name, p.role, p.phone, p.address)):
            if col == 1:
                box = list_combo(flow.PARTY_ROLES, p.role)
                self.parties.setCellWidget(row, col, box)
            else:
                self.parties.setItem(row, col, QTableWidgetItem(text))
        self._resident_ids.append(p.resident_id)

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is None:
            return
        # fill the first blank row, else add one
        for row in range(self.parties.rowCount()):
            item = self.parties.item(row, 0)
            if item is None or not item.text().strip():
                self.parties.setItem(row, 0, QTableWidgetItem(pick.name))
                self.parties.setItem(row, 3, QTableWidgetItem(pick.address))
                self._resident_ids[row] = pick.resident_id
                break
        else:
            self.add_party(PartyInput(pick.name, flow.PARTY_ROLES[2], pick.resident_id, "", pick.address))
        if self.grid.currentData() is None:
            select(self.grid, pick.grid_id)
        self.party_picker.clear()

    def _remove_party(self) -> None:
        row = self.parties.currentRow()
        if row >= 0:
            self.parties.removeRow(row)
            del self._resident_ids[row]

    def _cell(self, row: int, col: int) -> str:
        item = self.parties.item(row, col)
        return item.text() if item else ""

    def party_inputs(self) -> tuple[PartyInput, ...]:
        out = []
        for row in range(self.parties.rowCount()):
            name, phone, address = (self._cell(row, col) for col in (0, 2, 3))
            role = self.parties.cellWidget(row, 1).currentData()
            out.append(PartyInput(name, role, self._resident_ids[row], phone, address))
        return tuple(out)

    def current_input(self) -> CaseInput:
        return CaseInput(
            kind=self.kind.currentData() or "", summary=self.summary.toPlainText(),
            received_on=self.received.value(), source=self.source.currentData() or "",
            mediator=self.mediator.text(), grid_id=self.grid.currentData(), parties=self.party_inputs(),
            notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp = self.current_input()
        flow.check_case(inp, self.today)
        db, today = self.db, self.today
        if self.detail:
            cid = self.detail.id
            return lambda: mediation.update_case(db, cid, inp, today)
        return lambda: mediation.create_case(db, inp, today)


class SessionDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    def __init__(self, parent: QWidget | None, db: Database, case, session=None, today: date | None = None):
        super().__init__(parent, f"调解记录：{case.case_no}")
        self.db, self.case, self.session, self.today = db, case, session, today or date.today()
        self.on = DateEdit(session.session_date if session else self.today)
        self.place = QLineEdit(session.place if session else "社区调解室")
        self.mediators = QLineEdit(session.mediators if session else case.mediator)
        self.notes = text_area(6, "调解经过：双方陈述、调解员意见、达成的共识")
        if session:
            self.notes.setPlainText(session.notes)
        form = QFormLayout()
        form.addRow("调解日期", self.on)
        form.addRow("地点", self.place)
        form.addRow("调解人员", self.mediators)
        form.addRow("调解经过", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(520)
        self.first_field = self.notes

    def prepare(self):
        inp = flow.check_session(SessionInput(self.on.value(), self.place.text(), self.mediators.text(),
                                              self.notes.toPlainText()), self.case.received_on, self.today)
        db, today = self.db, self.today
        if self.session:
            sid = self.session.id
            return lambda: mediation.update_session(db, sid, inp, today)
        cid = self.case.id
        return lambda: mediation.add_session(db, cid, inp, today)


class OutcomeDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    def __init__(self, parent: QWidget | None, db: Database, case, today: date | None = None):
        super().__init__(parent, f"结案：{case.case_no}", "结案")
        self.db, self.case, self.today = db, case, today or date.today()
        self.outcome = combo([(o, o) for o in flow.OUTCOMES])
        self.closed_on = DateEdit(self.today)
        self.agreement = text_area(5, "达成的协议内容（调解成功时必填）")
        self.transferred_to = QLineEdit()
        self.transferred_to.setPlaceholderText("如 街道司法所、派出所、人民法院")
        self.outcome.currentIndexChanged.connect(lambda _i: self._update())
        form = QFormLayout()
        form.addRow("调解结果", self.outcome)
        form.addRow("结案日期", self.closed_on)
        form.addRow("协议内容", self.agreement)
        form.addRow("转交单位", self.transferred_to)
        self.finish_layout(form)
        self.setMinimumWidth(480)
        self._update()

    def _update(self) -> None:
        outcome = self.outcome.currentData()
        self.agreement.setEnabled(outcome != flow.MEDIATION_TRANSFERRED)
        self.transferred_to.setEnabled(outcome == flow.MEDIATION_TRANSFERRED)

    def prepare(self):
        outcome, on = self.outcome.currentData(), self.closed_on.value()
        agreement, to = self.agreement.toPlainText(), self.transferred_to.text()
        last = max((s.session_date for s in self.case.sessions), default=None)
        flow.check_outcome(self.case.state, outcome, on, self.case.received_on, last, self.today, agreement, to)
        db, cid, today = self.db, self.case.id, self.today
        return lambda: mediation.close_case(db, cid, outcome, on, agreement, to, today)
