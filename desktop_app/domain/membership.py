"""A member's standing on a given day, read from the dated facts rather than today's row.

Figures about the past (a meeting's 应到 and quorum, last year's counts) must
not move when today's data changes: a 转正 this year must not rewrite last
year's quorum, a death this month must not shrink last year's roster. So every
such figure asks these functions "what was true on that day?", from the dates
the roster keeps (入党日期, 转正日期) and the status history.

The 党章 (article 7) gives a 预备党员 a probation of one year from the day the
branch admits them; the 转正 takes effect on the day the probation ends. A
预备党员 has no vote (article 7), nor has a member whose 党籍 is suspended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import required_text
from desktop_app.domain.memberlife import Move, Sanction, org_on, vote_barred
from desktop_app.domain.members import (
    FULL, GONE_STATUSES, LOST, NORMAL, PROBATIONARY, SUSPENDED, add_years,
)

# Reasons a member is excused from 应到 (the list is a suggestion; any short reason is kept).
EXEMPT_REASONS = ("长期外出", "病重", "年老体弱", "行动不便", "出国（境）", "失联", "其他")
LOST_REASON = "失联"
REASON_MAX = 40


def category_on(category: str, joined: date | None, confirmed: date | None, day: date) -> str | None:
    """正式党员 or 预备党员 on `day`; None when the member had not yet joined.

    A member who is 正式 today was 预备 before the 转正日期 (or, with none on
    record, before the end of the one-year probation). A member who is 预备
    today was 预备 on every earlier day since joining.
    """
    if joined is not None and day < joined:
        return None
    if category == PROBATIONARY:
        return PROBATIONARY
    start = confirmed if confirmed is not None else (add_years(joined, 1) if joined is not None else None)
    if start is not None and day < start:
        return PROBATIONARY
    return FULL


def status_on(current: str, changes: Iterable[tuple[date, str]], day: date) -> str:
    """The roster status on `day` from the dated changes (changed_on, status).

    The latest change on or before `day` wins. Before the first recorded change
    the member was 正常. With no history at all, today's status is all we know.
    """
    ordered = sorted(changes, key=lambda c: c[0])
    if not ordered:
        return current
    found = NORMAL
    for on, status in ordered:
        if on > day:
            break
        found = status
    return found


def party_status_of(status: str) -> str:
    """党籍 正常 or 停止党籍, as the quorum rule wants it."""
    return SUSPENDED if status == SUSPENDED else NORMAL


def on_roster(status: str) -> bool:
    """Whether a member with this status is still counted (转出 and 去世 have left)."""
    return status not in GONE_STATUSES


@dataclass(frozen=True)
class Standing:
    """What a member was on one day: category (None = not yet a member), status, whether under
    留党察看 (no vote), and the branch or 党小组 they sat in."""

    category: str | None
    status: str
    barred: bool = False
    org_id: str | None = None

    @property
    def member(self) -> bool:
        return self.category is not None and on_roster(self.status)

    @property
    def party_status(self) -> str:
        """党籍 as the vote sees it: 停止党籍, or under 留党察看 (no vote either), counts as suspended."""
        return SUSPENDED if self.barred else party_status_of(self.status)


def standing_on(category: str, joined: date | None, confirmed: date | None, current: str,
                changes: Iterable[tuple[date, str]], day: date, arrived: date | None = None,
                sanctions: Iterable[Sanction] = (), org_id: str | None = None,
                moves: Iterable[Move] = ()) -> Standing:
    """A member's standing on `day`. `arrived` is the date of a 转入 here, when later than joining;
    `org_id` today's organisation, `moves` the dated moves between branches."""
    cat = category_on(category, joined, confirmed, day)
    if arrived is not None and day < arrived:
        cat = None
    return Standing(cat, status_on(current, changes, day), vote_barred(sanctions, day), org_on(org_id, moves, day))


# ---------------------------------------------------------------- 应到 exemptions

@dataclass(frozen=True)
class Exemption:
    start: date
    end: date | None
    reason: str


def check_exemption(start: date | None, end: date | None, reason: str) -> Exemption:
    """Validate an exemption from 应到: a start date, an end not before it, a short stated reason."""
    if start is None:
        raise ValidationError("开始日期", "请填写免于应到的开始日期")
    if end is not None and end < start:
        raise ValidationError("结束日期", "结束日期不能早于开始日期")
    reason = required_text(reason, "原因", REASON_MAX, "请写明免于应到的原因（如长期外出、病重）", "原因不超过 {limit} 个字")
    return Exemption(start, end, reason)


def exemption_on(exemptions: Sequence[Exemption], day: date) -> str:
    """The reason a member is excused from 应到 on `day` ("" when not excused); the latest start wins."""
    live = [e for e in exemptions if e.start <= day and (e.end is None or e.end >= day)]
    if not live:
        return ""
    return max(live, key=lambda e: e.start).reason


def excused_reason(status: str, exemptions: Sequence[Exemption], day: date) -> str:
    """Why a member on a meeting's list is not counted in 应到 that day ("" = counted).

    A stated exemption comes first; a 失联 member is excused as 失联, since
    nobody can call them to the meeting (the sheet still lists them).
    """
    return exemption_on(exemptions, day) or (LOST_REASON if status == LOST else "")
