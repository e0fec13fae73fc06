"""按周期批量计划: what is asked for, and the meetings proposed (read models, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop_app.domain import meetings as rules
from desktop_app.domain.batch_plan import DayRule, YearHabit

# Why a kind none of the chosen branches holds is not planned; and what "holding" it is, counted over several
_NONE_HOLD = {rules.COMMITTEE: "本支部未设支委会", rules.GROUP_MEETING: "本支部未设党小组"}
_HOLD_WORD = {rules.COMMITTEE: ("设支委会", "均未设支委会"), rules.GROUP_MEETING: ("设党小组", "均未设党小组")}


def holding_words(kind: str, held: int, total: int) -> str:
    """How many of the `total` chosen branches hold `kind` (services.meetings.plan_batch.kind_holders), in
    words: "" for one branch that holds it, why not for none, "N 个党支部中 M 个设…" over several."""
    some, none = _HOLD_WORD.get(kind, ("需召开", "均无需召开"))
    if total <= 1:
        return "" if held else _NONE_HOLD.get(kind, "本支部无需召开")
    return f"{total} 个党支部中 {held} 个{some}" if held else f"所选 {total} 个党支部{none}"


@dataclass(frozen=True)
class BatchPlanRequest:
    """Branches (or a community: its branches), months first..last, the kinds and a day rule each.

    `like_year` (照去年): each holder's day rule, title, place and 授课人 of that
    year come before the defaults here; `days`, `titles` and `places` given for a
    kind still come first (the secretary changed what the year suggested)."""

    org_ids: tuple[str, ...]
    first: date
    last: date
    kinds: tuple[str, ...] = ()  # empty: every kind the branches must hold
    days: dict[str, DayRule] = field(default_factory=dict)  # per kind; missing: default_day
    default_day: DayRule = DayRule(15)
    place: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # per kind; missing: the kind's usual pattern
    places: dict[str, str] = field(default_factory=dict)  # per kind; missing or empty: `place`
    like_year: int | None = None


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
    lecturer: str = ""  # 党课's 授课人, as the year it was planned like had it

    @property
    def key(self) -> tuple[str, str, str]:
        """One period's meeting of a holder: a row chosen in the preview is found again by this."""
        return (self.org_id, self.kind, self.period_label)


@dataclass(frozen=True)
class BatchPlanResult:
    planned: tuple[BatchPlanRow, ...]
    skipped: tuple[BatchPlanRow, ...]  # planned by someone else meanwhile, or no longer owed
    meeting_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class HabitRow:
    """One holder's habit of one kind in a year (services.meetings.plan_batch.like_year_habits)."""

    org_id: str
    org_name: str
    habit: YearHabit
