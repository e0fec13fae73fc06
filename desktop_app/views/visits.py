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
    # the rest of the list's filter, so a filtered printout says it is not the whole register
    keyword: str = ""
    category: str = ""
    state: str = ""  # 待处理, or the list's 未办结 / 逾期 / 反映问题 / 已办结
    form: str = ""
    visitor: str = ""

    def period(self) -> str:
        if self.date_from and self.date_to:
            return f"{chinese_date(self.date_from)} 至 {chinese_date(self.date_to)}"
        if self.date_from:
            return f"{chinese_date(self.date_from)} 起"
        if self.date_to:
            return f"截至 {chinese_date(self.date_to)}"
        return ""

    def text(self) -> str:
        return "　".join(p for p in (self.period(), self.grid_name) if p)

    def filter_text(self) -> str:
        """筛选：网格 第一网格、日期 …、关键词“漏水” — "" when the list was not narrowed at all."""
        parts = [f"{label} {value}" for label, value in (
            ("网格", self.grid_name), ("日期", self.period()), ("类别", self.category), ("状态", self.state),
            ("形式", self.form), ("走访人", self.visitor)) if value]
        if self.keyword.strip():
            parts.append(f"关键词“{self.keyword.strip()}”")
        return "筛选：" + "、".join(parts) if parts else ""
