"""Mediation forms: receive a dispute with its parties, record each session, close with the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
from desktop_app.gui.widgets.dialog import SavingDialog, create_or_update
from desktop_app.gui.widgets.fields import Choice, Day, FieldForm, Line, Listed, Put, Row, Text, grid
from desktop_app.gui.widgets.forms import select
from desktop_app.gui.widgets.layouts import hint
from desktop_app.gui.widgets.picker import SearchPicker
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import mediation
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid, ResidentPick
from desktop_app.views.changes import Change, changes


def _typed(field: str):
    """An editable party column: the typed text replaces that field of the (frozen) PartyInput."""
    return lambda p, value: replace(p, **{field: str(value)})


PARTY_COLUMNS = (
    Column("姓名", lambda p: p.name, width=100, edit=_typed("name")),
    Column("身份", lambda p: p.role, width=90, edit=_typed("role"), choices=[(r, r) for r in flow.PARTY_ROLES]),
    Column("联系电话", lambda p: p.phone, width=120, edit=_typed("phone")),
    Column("住址", lambda p: p.address, width=200, edit=_typed("address")),
)
PARTY_ROLE = 1


class CaseDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], kinds: Sequence[str],
                 detail=None, today: date | None = None):
        super().__init__(parent, "修改调解案件" if detail else "受理矛盾纠纷")
        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else CaseInput(received_on=self.today)
        self.party_model = ColumnModel(PARTY_COLUMNS, parent=self)
        self.parties = table_view(self.party_model, multi=False, editable=True, stretch=3)
        self.parties.setMinimumHeight(120)
        for p in d.parties or (PartyInput(role=flow.PARTY_ROLES[0]), PartyInput(role=flow.PARTY_ROLES[1])):
            self.add_party(p)
        # each match comes with its phone (or None: not this account's to see), read by the search off the GUI thread
        self.party_picker = SearchPicker(
            lambda text: [(p.label, (p, phone)) for p, phone in mediation.party_picks(db, text)],
            "从居民中添加当事人：姓名、拼音首字母或电话", lambda found: f"{found[0].name}（{found[0].address or found[0].grid_name}）")
        self.party_picker.picked.connect(self._picked)
        add = QPushButton("空白行")
        add.clicked.connect(lambda: self.add_party(PartyInput(role=flow.PARTY_ROLES[2])))
        remove = QPushButton("删除所选")
        remove.clicked.connect(self._remove_party)
        party_tools = QHBoxLayout()
        party_tools.addWidget(self.party_picker, 1)
        party_tools.addWidget(add)
        party_tools.addWidget(remove)
        # said when a picked resident's phone was left out: this account may not see residents' whole phones
        self.phone_note = hint("")
        self.phone_note.setWordWrap(True)
        self.phone_note.hide()
        self.fields = FieldForm(self, d, (
            Row("纠纷类型", Listed("kind", names=kinds), "受理日期", Day("received_on", attr="received"),
                "来源", Listed("source", names=flow.CASE_SOURCES)),
            Row("调解员", Line("mediator", stretch=1), "所属网格", grid(grids=grids, attr="grid", stretch=1)),
            Put("parties", "当事人", self.parties),
            Put("", "", party_tools),
            Put("", "", self.phone_note),
            Text("summary", "简要情况", lines=4, placeholder="纠纷的起因、经过和双方诉求"),
            Text("notes", "备注", lines=2),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(640)

    def add_party(self, p: PartyInput) -> None:
        self.party_model.append(p)  # its role is a combo box by itself (the column's choices)

    def _picked(self, found: tuple[ResidentPick, str | None] | None) -> None:
        if found is None:
            return
        rows = self.party_model.rows
        # the case keeps the whole number; an account that may not see it types it, never the masked digits
        pick, phone = found
        if phone is None:
            self.phone_note.setText(f"{pick.name}的联系电话未带入：本账号无权查看居民完整电话，请按当事人提供的号码填写")
        self.phone_note.setVisible(phone is None)
        # fill the first blank row, else add one
        blank = next((i for i, p in enumerate(rows) if not p.name.strip()), None)
        if blank is not None:
            rows[blank] = replace(rows[blank], name=pick.name, address=pick.address, resident_id=pick.resident_id,
                                  phone=phone or rows[blank].phone)
            self.party_model.row_changed(blank)
        else:
            self.add_party(PartyInput(pick.name, flow.PARTY_ROLES[2], pick.resident_id, phone or "", pick.address))
        if self.grid.currentData() is None:
            select(self.grid, pick.grid_id)
        self.party_picker.clear()

    def _remove_party(self) -> None:
        self.party_model.remove(self.parties.currentIndex().row())

    def field_values(self) -> list:
        """The 当事人 table counts as a field: closing after typing a party asks first."""
        return [*super().field_values(), self.party_inputs()]

    def party_inputs(self) -> tuple[PartyInput, ...]:
        return tuple(self.party_model.rows)

    def current_input(self) -> CaseInput:
        return self.fields.build(CaseInput, parties=self.party_inputs())

    def _checkable(self, inp: CaseInput) -> CaseInput:
        """What the form checks before saving: a phone still showing a mask it was read with (an account that
        may not see whole phones) is the service's to put back to the stored number, not a typing error here."""
        shown = {p.phone for p in self.detail.parties if "*" in p.phone} if self.detail else set()
        return replace(inp, parties=tuple(replace(p, phone="") if p.phone.strip() in shown else p
                                          for p in inp.parties))

    def prepare(self):
        inp = self.current_input()
        flow.check_case(self._checkable(inp), self.today)
        db, today, read_at = self.db, self.today, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: mediation.create_case(db, inp, today),
                                lambda cid: mediation.update_case(db, cid, inp, today, expected_version=read_at))


class SessionDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    def __init__(self, parent: QWidget | None, db: Database, case, session=None, today: date | None = None):
        super().__init__(parent, f"调解记录：{case.case_no}")
        self.db, self.case, self.session, self.today = db, case, session, today or date.today()
        self.fields = FieldForm(self, session or SessionInput(self.today, "社区调解室", case.mediator), (
            Day("session_date", "调解日期", attr="on"),
            Line("place", "地点"),
            Line("mediators", "调解人员"),
            Text("notes", "调解经过", lines=6, placeholder="调解经过：双方陈述、调解员意见、达成的共识"),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(520)
        self.first_field = self.notes

    def prepare(self):
        inp = flow.check_session(self.fields.build(SessionInput), self.case.received_on, self.today)
        db, today = self.db, self.today
        if self.session:
            sid, read_at = self.session.id, self.session.version
            return lambda: mediation.update_session(db, sid, inp, today, expected_version=read_at)
        cid = self.case.id
        return lambda: mediation.add_session(db, cid, inp, today)


class OutcomeDialog(SavingDialog):
    changes_made = changes(Change.MEDIATION)

    def __init__(self, parent: QWidget | None, db: Database, case, today: date | None = None):
        super().__init__(parent, f"结案：{case.case_no}", "结案")
        self.db, self.case, self.today = db, case, today or date.today()
        self.fields = FieldForm(self, None, (
            Choice("outcome", "调解结果", items=[(o, o) for o in flow.OUTCOMES]),
            Day("closed_on", "结案日期", default=self.today),
            Text("agreement", "协议内容", lines=5, placeholder="达成的协议内容（调解成功时必填）"),
            Line("transferred_to", "转交单位", "如 街道司法所、派出所、人民法院"),
        ))
        self.outcome.currentIndexChanged.connect(lambda _i: self._update())
        self.finish_layout(self.fields)
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
