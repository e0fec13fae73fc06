"""按周期批量计划: the meetings a holder still owes over a range of periods, on a day rule.

Pure: given one holder's rule for a kind, the months asked for, a day rule
and the meetings already there, propose only what is missing. A period that
already meets its cadence (held or planned) gets nothing; a day already past
is never proposed; a day on a weekend moves to the Monday after, and the
proposal says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from desktop_app.domain import cadence
from desktop_app.domain import meetings as m
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.meetings import KindRule, Period, PeriodUnit

WEEKDAYS = "一二三四五六日"
LAST = -1  # 每月最后一个星期X: nth in a DayRule; "最后-5" (or "L-5", "-1-5") on the command line, 最后一个 in the window
_LAST_WORDS = ("最后", "l", "last", "-1")
_SECOND_PASS_DAYS = 14  # a kind needed twice a month: the second one two weeks after the first


@dataclass(frozen=True)
class DayRule:
    """每月 N 日 (day), or 每月第 N 个星期X (nth 1-5 / -1 for the last, weekday 0 = Monday)."""

    day: int | None = 15
    nth: int | None = None
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.nth is None:
            if self.day is None or not 1 <= self.day <= 31:
                raise ValidationError("会议日", "每月几日应为 1 到 31")
        else:
            if self.nth not in (1, 2, 3, 4, 5, LAST):
                raise ValidationError("会议日", "第几个星期应为 1 到 5，或最后一个")
            if self.weekday is None or not 0 <= self.weekday <= 6:
                raise ValidationError("会议日", "星期应为 一 到 日")

    @property
    def label(self) -> str:
        if self.nth is None:
            return f"每月 {self.day} 日"
        which = "最后一个" if self.nth == LAST else f"第{'一二三四五'[self.nth - 1]}个"
        return f"每月{which}星期{WEEKDAYS[self.weekday]}"

    def in_month(self, year: int, month: int) -> date | None:
        """The rule's day in that month (每月 31 日 is a short month's last day); None if the month has no such day."""
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
        if self.nth is None:
            return first.replace(day=min(self.day, last.day))
        if self.nth == LAST:
            return last - timedelta(days=(last.weekday() - self.weekday) % 7)
        d = first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))
        return d if d.month == month else None


def parse_day_rule(text: str) -> DayRule:
    """'15' (每月 15 日) or '3-2' (每月第 3 个星期二; '最后-5', 'L-5' or '-1-5' the last Friday): the command
    line's --day. A word for the last one: "--day -1-5" reads to the shell's argument parser as an option."""
    t = (text or "").strip()
    try:
        if t.isdigit():
            return DayRule(day=int(t))
        nth, _, wd = t.rpartition("-")
        return DayRule(day=None, nth=LAST if nth.lower() in _LAST_WORDS else int(nth), weekday=int(wd) - 1)
    except ValueError:
        raise ValidationError("会议日", f"“{text}”应为 1-31 的日子，或 第几个-星期几（如 3-2 为第三个星期二，"
                              "最后-5 为最后一个星期五）") from None


def weekday_moved(d: date) -> tuple[date, str]:
    """A Saturday or Sunday goes to the Monday after; the note says from which day."""
    if d.weekday() < 5:
        return d, ""
    monday = d + timedelta(days=7 - d.weekday())
    return monday, f"原定 {d:%m-%d} 为星期{WEEKDAYS[d.weekday()]}，顺延至星期一"


class Existing(NamedTuple):
    """A meeting already entered for the holder and kind: its day and status (planned/held/cancelled)."""

    day: date
    status: str


@dataclass(frozen=True)
class Proposal:
    """One meeting to plan: of `kind`, for `period`, on `day`."""

    kind: str
    period: Period
    day: date
    note: str = ""  # the weekend shift, a cancelled meeting in the period


def _periods(rule: KindRule, first: date, last: date) -> list[Period]:
    if cadence.is_review(rule):  # a year's 组织生活会 may be held up to March after: its window is April to March
        return [Period(y, PeriodUnit.YEAR, 1) for y in range(cadence.review_year(first), cadence.review_year(last) + 1)]
    return m.periods_between(first, last, rule.unit)


def _months(rule: KindRule, period: Period) -> list[tuple[int, int]]:
    if cadence.is_review(rule):
        return [(period.year + (mo <= cadence.REVIEW_LAST_MONTH), mo)
                for mo in [*range(cadence.REVIEW_LAST_MONTH + 1, 13), *range(1, cadence.REVIEW_LAST_MONTH + 1)]]
    return [(period.year, mo) for mo in range(period.start.month, period.end.month + 1)]


def _candidates(kind_rule: KindRule, period: Period, rule: DayRule) -> list[tuple[date, str]]:
    out: list[tuple[date, str]] = []
    steps = (0, _SECOND_PASS_DAYS) if kind_rule.times > 1 else (0,)  # once a period: only the rule's own days
    for year, month in _months(kind_rule, period):
        d = rule.in_month(year, month)
        if d is None:
            continue
        for day in (d + timedelta(days=k) for k in steps):
            moved, note = weekday_moved(day)
            if cadence.counts_in(kind_rule, period, moved) and all(moved != c for c, _ in out):
                out.append((moved, note))
    return sorted(out)


def propose(rule: KindRule, first: date, last: date, day_rule: DayRule, existing: Sequence[Existing],
            today: date, since: date | None = None) -> list[Proposal]:
    """What a holder still needs of `rule`'s kind in the periods overlapping [first, last].

    Held and planned meetings count for their period (a review kind's by its
    review year); cancelled ones do not, and the proposal says a period had one.
    Days before `today` or outside [first, last] are not proposed: a period whose
    days are all past gets nothing here (it is the grid's 逾期 to deal with).
    """
    if not rule.tracked or rule.unit == PeriodUnit.NONE:
        return []
    out: list[Proposal] = []
    for p in _periods(rule, first, last):
        if not cadence.tracked(p, since):
            continue
        inside = [e for e in existing if cadence.counts_in(rule, p, e.day)]
        have = sum(1 for e in inside if e.status in (m.PLANNED, m.HELD))
        missing = rule.times - have
        if missing <= 0:
            continue
        cancelled = sum(1 for e in inside if e.status == m.CANCELLED)
        taken = {e.day for e in inside if e.status in (m.PLANNED, m.HELD)}
        for day, note in _candidates(rule, p, day_rule):
            if missing <= 0:
                break
            if day < today or day < first or day > last or day in taken or (since and day < since):
                continue
            notes = [n for n in (note, f"本期有 {cancelled} 次已取消" if cancelled else "") if n]
            out.append(Proposal(rule.kind, p, day, "；".join(notes)))
            missing -= 1
    return out


DEFAULT_TITLES: dict[PeriodUnit, str] = {
    PeriodUnit.MONTH: "{月}月{类型}",
    PeriodUnit.QUARTER: "{季度}{类型}",
    PeriodUnit.HALF: "{年}年{半年}{类型}",
    PeriodUnit.YEAR: "{年}年度{类型}",
}
TITLE_FIELDS = ("年", "月", "季度", "半年", "类型")


def title_for(pattern: str, kind: str, period: Period, day: date) -> str:
    """Fill a title pattern: {年} (the period's) {月} {季度} (第一季度) {半年} (上半年) {类型}."""
    values = {
        "年": str(period.year), "月": str(day.month),  # a review's year is the one it looks back on
        "季度": f"第{'一二三四'[(day.month - 1) // 3]}季度",
        "半年": "上半年" if day.month <= 6 else "下半年", "类型": kind,
    }
    try:
        text = (pattern or "").format(**values)
    except (KeyError, IndexError, ValueError):
        raise ValidationError("会议主题", f"“{pattern}”中可用的占位有 {'、'.join('{' + f + '}' for f in TITLE_FIELDS)}") from None
    return m.check_title(text, kind)


def month_range(first: str, last: str) -> tuple[date, date]:
    """'2027-01', '2027-12' → the first day of the one and the last day of the other."""
    def parse(text: str) -> tuple[int, int]:
        try:
            y, mo = (int(x) for x in text.strip().split("-"))
            date(y, mo, 1)
            return y, mo
        except ValueError:
            raise ValidationError("月份", f"“{text}”应写作 YYYY-MM") from None
    y1, m1 = parse(first)
    y2, m2 = parse(last)
    start = date(y1, m1, 1)
    end = date(y2 + (m2 == 12), m2 % 12 + 1, 1) - timedelta(days=1)
    if end < start:
        raise ValidationError("月份", "结束月份不能早于开始月份")
    return start, end
