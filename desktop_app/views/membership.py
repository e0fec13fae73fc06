"""Read models of membership as of a date: 应到 exemptions and the counts of a given day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.views.records import MemberRecord


@dataclass(frozen=True)
class ExemptionRow(MemberRecord):
    start_date: date
    end_date: date | None
    reason: str
    note: str = ""


@dataclass(frozen=True)
class MembershipCounts:
    """Members on the roster on `day` (those who had left by then only when asked), as they were then."""

    day: date
    total: int
    full: int
    probationary: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_branch: dict[str, int] = field(default_factory=dict)
    gone: int = 0  # 转出 / 去世 by that day (counted in total only with include_gone)
