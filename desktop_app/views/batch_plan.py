"""按周期批量计划: what is asked for, and the meetings proposed (read models, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain.batch_plan import DayRule


@dataclass(frozen=True)
class BatchPlanRequest:
    """Branches (or a community: its branches), months first..last, the kinds and a day rule each."""

    org_ids: tuple[str, ...]
    first: date
    last: date
    kinds: tuple[str, ...] = ()  # empty: every kind the branches must hold
    days: dict[str, DayRule] = field(default_factory=dict)  # per kind; missing: default_day
    default_day: DayRule = DayRule(15)
    place: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # per kind; missing: the kind's usual pattern


@dataclass(frozen=True)
class BatchPlanRow:
    org_id: str
    org_name: str
    kind: str
    period_label: str
    day: date
    title: str
    place: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """One period's meeting of a holder: a row chosen in the preview is found again by this."""
        return (self.org_id, self.kind, self.period_label)


@dataclass(frozen=True)
class BatchPlanResult:
    planned: tuple[BatchPlanRow, ...]
    skipped: tuple[BatchPlanRow, ...]  # planned by someone else meanwhile, or no longer owed
    meeting_ids: tuple[str, ...] = ()
