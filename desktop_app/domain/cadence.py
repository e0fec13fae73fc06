"""Which meetings each branch owes, and when a year's annual reviews count.

The street's cadence (domain/meetings.DEFAULT_KINDS) says how often; the branch
decides whether a kind applies at all. The 党章 (article 31) sets up a 支部委员会
only where a branch has seven or more 正式党员, so a smaller branch owes no 支委会;
a branch without 党小组 holds no 党小组会. A branch is asked for meetings only
from the day the center began tracking it.

组织生活会 and 民主评议党员 look back on a year and are usually held in its
first quarter after: one held by 31 March of Y+1 counts for Y.
Every branch's 书记 gives at least one 党课 a year (讲党课).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from desktop_app.domain import meetings as m
from desktop_app.domain.meetings import CellStatus, KindRule, Period, PeriodUnit

COMMITTEE_MIN_FULL_MEMBERS = 7  # 党章 art. 31: 正式党员七人以上的党支部设立支部委员会
REVIEW_KINDS = (m.ORG_LIFE, m.EVALUATION)
REVIEW_LAST_MONTH = 3  # held by the end of March of the next year
SECRETARY_ROLE = "书记"


def has_committee(setting: bool | None, seats: int, full_members: int) -> bool:
    """Whether a branch has (or must have) a committee: set by hand, else registered seats or 7+ 正式党员."""
    if setting is not None:
        return setting
    return seats > 0 or full_members >= COMMITTEE_MIN_FULL_MEMBERS


def branch_rule(rule: KindRule, committee: bool, groups: bool) -> KindRule:
    """The street's rule for a kind as it applies to one branch."""
    if rule.kind == m.COMMITTEE and not committee:
        return replace(rule, required=False)
    if rule.kind == m.GROUP_MEETING and not groups:
        return replace(rule, required=False)
    return rule


def is_review(rule: KindRule) -> bool:
    return rule.kind in REVIEW_KINDS and rule.unit == PeriodUnit.YEAR


def review_year(d: date) -> int:
    """The year an annual review held on `d` is about: January–March look back on the year before."""
    return d.year - 1 if d.month <= REVIEW_LAST_MONTH else d.year


def review_deadline(year: int) -> date:
    return date(year + 1, REVIEW_LAST_MONTH, 31)


def counts_in(rule: KindRule, period: Period, d: date) -> bool:
    """Whether a meeting of `rule`'s kind held on `d` counts for `period`."""
    if is_review(rule):
        return review_year(d) == period.year
    return period.contains(d)


def last_day(rule: KindRule, period: Period) -> date:
    """The last day a period's meeting may be held before it is overdue."""
    return review_deadline(period.year) if is_review(rule) else period.end


def tracked(period: Period, since: date | None) -> bool:
    """A period is asked for only if it ends on or after the day tracking began."""
    return since is None or period.end >= since


def cell_status(rule: KindRule, period: Period, today: date, held: int, planned: int = 0,
                held_without_quorum: int = 0, since: date | None = None) -> CellStatus:
    """meetings.cell_status, with the branch's tracking start and the review kinds' grace to 31 March."""
    if not tracked(period, since):
        # Not asked for before the start, but a meeting recorded then (the earlier months entered
        # afterwards) still shows as held.
        held_ok = rule.tracked and held - held_without_quorum >= rule.times
        return CellStatus.HELD if held_ok else CellStatus.NOT_REQUIRED
    if is_review(rule) and period.end < today <= review_deadline(period.year):
        today = period.end  # still due until the deadline, not overdue
    return m.cell_status(rule, period, today, held, planned, held_without_quorum)


def secretary_lectured(lecturers: Iterable[str], secretaries: Iterable[str]) -> bool:
    """Whether one of a year's 党课 was given by a person who was the branch's 书记 that year."""
    names = {s.strip() for s in secretaries if s and s.strip()}
    return any(lecturer and lecturer.strip() in names for lecturer in lecturers)
