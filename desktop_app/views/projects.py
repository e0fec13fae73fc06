"""Read models of 微实事 projects: the project list and a project's detail with its milestones,
residents concerned and the visits it came from.

Services build them (services.projects) and the pages show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import ProjectInput
from desktop_app.views.cobuilding import CostRow
from desktop_app.views.records import input_part


@dataclass(frozen=True)
class ProjectRow:
    id: str
    project_no: str
    name: str
    category: str
    grid_id: str | None
    grid_name: str
    owner_name: str
    budget_fen: int
    actual_cost_fen: int
    start_date: date | None
    deadline: date | None
    completed_on: date | None
    status: str
    overdue: bool
    milestones_done: int
    milestones_total: int
    booked_fen: int = 0  # 已记账: the project's live vouchers in the 经费台账 (实际支出 is typed, may differ)


@dataclass(frozen=True)
class MilestoneRow:
    id: str
    title: str
    due_date: date | None
    done_on: date | None
    note: str
    overdue: bool
    version: int = 0  # as read: the milestone form's save is refused over a later change


@dataclass(frozen=True)
class ConcernedRow:
    id: str
    resident_id: str | None
    household_id: str | None
    name: str
    note: str


@dataclass(frozen=True)
class LinkedVisit:
    id: str
    visit_date: date
    visitee: str
    content: str
    follow_state: str


@dataclass(frozen=True)
class ProjectDetail(ProjectInput):
    id: str = ""
    project_no: str = ""
    status: str = flow.PROJECT_PLANNED
    status_note: str = ""
    completed_on: date | None = None
    grid_name: str = ""
    overdue: bool = False
    milestones: tuple[MilestoneRow, ...] = ()
    concerned: tuple[ConcernedRow, ...] = ()
    visits: tuple[LinkedVisit, ...] = ()
    costs: tuple[CostRow, ...] = ()  # its vouchers in the 经费台账, reversed ones marked
    booked_fen: int = 0
    version: int = 0
    updated_at: datetime | None = None

    def to_input(self) -> ProjectInput:
        return input_part(self, ProjectInput)
