"""Read models of 矛盾纠纷调处: the case list, a case's detail, and what the filed record prints.

Services build them (services.mediation), reports render them (reports.mediation)
and the pages show them, so each needs them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import CaseInput
from desktop_app.views.records import input_part


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_no: str
    kind: str
    parties: str  # 张三 与 李四
    grid_name: str
    received_on: date
    mediator: str
    sessions: int
    state: str
    closed_on: date | None
    summary: str


@dataclass(frozen=True)
class PartyRow:
    id: str
    name: str
    role: str
    resident_id: str | None
    phone: str
    address: str


@dataclass(frozen=True)
class SessionRow:
    id: str
    session_date: date
    place: str
    mediators: str
    notes: str
    version: int = 0  # as read: the session form's save is refused over a later change


@dataclass(frozen=True)
class CaseDetail(CaseInput):
    id: str = ""
    case_no: str = ""
    state: str = flow.MEDIATING
    grid_name: str = ""
    closed_on: date | None = None
    agreement: str = ""
    transferred_to: str = ""
    party_rows: tuple[PartyRow, ...] = ()
    sessions: tuple[SessionRow, ...] = ()  # oldest first
    version: int = 0

    def to_input(self) -> CaseInput:
        return input_part(self, CaseInput)
