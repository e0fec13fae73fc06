"""Read models of 走访 / 民情恳谈: what the visit list, the visit form and the printed register show.

Services build them (services.visits), reports render them (reports.visit) and
the pages show them, so each needs them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain import service_flow as flow
from desktop_app.domain.clock import chinese_date
from desktop_app.domain.service_flow import VisitInput
from desktop_app.views.records import input_part


@dataclass(frozen=True)
class VisitRow:
    id: str
    visit_date: date
    form: str
    grid_id: str | None
    grid_name: str
    visitee: str  # name, or the place when no one in particular
    address: str
    visitors: str  # 张三、李四、网格员王五
    category: str
    content: str
    raised_issue: bool
    follow_state: str
    handler: str
    due_date: date | None
    resolved_by: str
    resolved_on: date | None
    resolution: str
    overdue: bool
    project_id: str | None


@dataclass(frozen=True)
class FollowUpRow:
    from_state: str
    to_state: str
    on_date: date
    by: str
    note: str


@dataclass(frozen=True)
class VisitDetail(VisitInput):
    id: str = ""
    follow_state: str = flow.PENDING
    resolved_by: str = ""
    resolved_on: date | None = None
    resolution: str = ""
    project_id: str | None = None
    project_name: str = ""
    grid_name: str = ""
    address: str = ""
    visitor_names: tuple[str, ...] = ()  # members first, then the others
    overdue: bool = False
    history: tuple[FollowUpRow, ...] = ()  # oldest first
    version: int = 0
    updated_at: datetime | None = None

    def to_input(self) -> VisitInput:
        return input_part(self, VisitInput)


@dataclass(frozen=True)
class MemberChoice:
    id: str
    name: str
    org_name: str

    @property
    def label(self) -> str:
        return f"{self.name}（{self.org_name}）" if self.org_name else self.name


@dataclass(frozen=True)
class Scope:
    """What a printed list covers, for its subtitle."""

    date_from: date | None = None
    date_to: date | None = None
    grid_name: str = ""

    def text(self) -> str:
        parts = []
        if self.date_from and self.date_to:
            parts.append(f"{chinese_date(self.date_from)} 至 {chinese_date(self.date_to)}")
        elif self.date_from:
            parts.append(f"{chinese_date(self.date_from)} 起")
        elif self.date_to:
            parts.append(f"截至 {chinese_date(self.date_to)}")
        if self.grid_name:
            parts.append(self.grid_name)
        return "　".join(parts)
