"""按周期批量计划: the meetings a holder still owes over a range of periods, on a day rule.

Pure: given one holder's rule for a kind, the months asked for, a day rule
and the meetings already there, propose only what is missing. A period that
already meets its cadence (held or planned) gets nothing; a day already past
is never proposed; a day on a weekend moves to the Monday after, and the
proposal says so.

照去年 (`like_year`): from one holder's meetings of a year, the day rule they
kept, the place and the title pattern, so that the next year is planned in
the same rhythm; what shows no rhythm falls back to the cadence defaults.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
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


def month_of(rule: KindRule, period: Period, d: date) -> int:
    """Which month of its period `d` is in: 1 to 3 in a quarter, 1 to 6 in a half; a year's, the month itself."""
    return d.month if rule.unit == PeriodUnit.YEAR else d.month - period.start.month + 1


def propose(rule: KindRule, first: date, last: date, day_rule: DayRule, existing: Sequence[Existing],
            today: date, since: date | None = None, month: int | None = None) -> list[Proposal]:
    """What a holder still needs of `rule`'s kind in the periods overlapping [first, last].

    Held and planned meetings count for their period (a review kind's by its
    review year); cancelled ones do not, and the proposal says a period had one.
    Days before `today` or outside [first, last] are not proposed: a period whose
    days are all past gets nothing here (it is the grid's 逾期 to deal with).
    `month` (`month_of`, 照去年): that month of a period first, the others if its day is past.
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
        days = _candidates(rule, p, day_rule)
        if month is not None:
            days.sort(key=lambda c: month_of(rule, p, c[0]) != month)  # stable: by date within each part
        for day, note in days:
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


# ---------------------------------------------------------------- 照去年


class PastMeeting(NamedTuple):
    """A meeting of the source year, as `like_year` learns from it."""

    day: date
    status: str = m.HELD
    title: str = ""
    place: str = ""
    lecturer: str = ""


@dataclass(frozen=True)
class YearHabit:
    """How a holder kept one kind in `year`: a day rule (None: none to see, the cadence default applies),
    a title pattern ("" : the usual one), the place and 授课人 used most, and why, in words."""

    kind: str
    year: int
    count: int  # meetings of the year that were learned from
    day_rule: DayRule | None
    month: int | None = None  # which month of a quarter, half or year (`month_of`); None: the first free
    title: str = ""
    place: str = ""
    lecturer: str = ""
    why: str = ""
    notes: tuple[str, ...] = ()

    @property
    def said(self) -> str:
        """The day rule (or why none) and the notes: what the form's widgets do not show."""
        return "；".join([self.why, *self.notes])

    @property
    def words(self) -> str:
        """照2026年：每月第二个星期五；地点：二楼会议室 …, as the dialog and the command line say it."""
        parts = [self.why]
        if self.place:
            parts.append(f"地点：{self.place}")
        if self.lecturer:
            parts.append(f"授课人：{self.lecturer}")
        return "；".join([*parts, *self.notes])


_CN = "一二三四五六"
_UNIT_WORD = {PeriodUnit.MONTH: "月", PeriodUnit.QUARTER: "季度", PeriodUnit.HALF: "半年", PeriodUnit.YEAR: "年"}


def _period_of(rule: KindRule, d: date) -> Period:
    if cadence.is_review(rule):
        return Period(cadence.review_year(d), PeriodUnit.YEAR, 1)
    return m.period_of(d, rule.unit)


def _rules_of(d: date) -> list[tuple[DayRule, int]]:
    """Every day rule `d` keeps, with its weight when counts tie: a weekday rule before a day of the month,
    and the fifth weekday read as the last one. A Monday also keeps the weekend days a rule moved to it."""
    out = [(DayRule(day=None, nth=(d.day - 1) // 7 + 1, weekday=d.weekday()), 3 if d.day <= 28 else 0),
           (DayRule(day=d.day), 1)]
    if (d + timedelta(days=7)).month != d.month:
        out.append((DayRule(day=None, nth=LAST, weekday=d.weekday()), 2))
    if d.weekday() == 0:
        out += [(DayRule(day=(d - timedelta(days=k)).day), 1) for k in (1, 2) if d.day > k]
    return out


def title_pattern(title: str, period: Period, day: date) -> str:
    """A title of `period` made a pattern for `title_for`: its year, month, quarter, half become placeholders."""
    t = (title or "").strip().replace("{", "{{").replace("}", "}}")
    t = t.replace(str(period.year), "{年}")
    t = re.sub(rf"(?<!\d){day.month}月", "{月}月", t)
    t = t.replace(f"第{'一二三四'[(day.month - 1) // 3]}季度", "{季度}")
    return t.replace("上半年" if day.month <= 6 else "下半年", "{半年}")


def _most(values: Sequence[str]) -> tuple[str, int]:
    """The most used non-empty value and how often (the latest on a tie; values come oldest first)."""
    counts = Counter(v for v in values if v)
    if not counts:
        return "", 0
    order = {v: i for i, v in enumerate(values)}
    best = max(counts, key=lambda v: (counts[v], order[v]))
    return best, counts[best]


def like_year(rule: KindRule, year: int, meetings: Sequence[PastMeeting]) -> YearHabit:
    """照去年: the habit one holder kept of `rule`'s kind in `year` (a review kind's: the year it looked back on).

    Held and planned meetings count, cancelled ones do not. A period with more
    meetings than the cadence asks gives only its first ones (and a note says
    next year plans the cadence's number). Fewer meetings than half the year's
    cadence (a branch founded in the year) or no rule kept by most of them: no
    day rule, the cadence default applies, and `why` says so.
    """
    kept = sorted((x for x in meetings if x.status in (m.PLANNED, m.HELD) and _period_of(rule, x.day).year == year),
                  key=lambda x: x.day)
    per_period: dict[Period, list[PastMeeting]] = defaultdict(list)
    for x in kept:
        per_period[_period_of(rule, x.day)].append(x)
    times = max(rule.times, 1)
    used = [x for xs in per_period.values() for x in xs[:times]]
    notes: list[str] = []
    crowded = sum(1 for xs in per_period.values() if len(xs) > times)
    unit = _UNIT_WORD.get(rule.unit, "期")
    if crowded:
        notes.append(f"{year}年有 {crowded} 个{unit}开了不止 {times} 次，每{unit}只计划 {times} 次")
    expected = (1 if cadence.is_review(rule) or rule.unit == PeriodUnit.NONE
                else len(m.periods_in_year(year, rule.unit))) * times
    day_rule: DayRule | None = None
    month: int | None = None
    if not used:
        why = f"{year}年未召开，按周期默认"
    elif len(used) * 2 < expected:
        why = f"{year}年仅召开 {len(used)} 次，看不出固定日期，按周期默认"
    else:
        # a kind held twice a period: its first meeting keeps the rule, the planner puts the next two weeks on
        firsts = [xs[0] for xs in per_period.values()]
        votes: Counter[DayRule] = Counter()
        weight: dict[DayRule, int] = {}
        for x in firsts:
            for r, w in _rules_of(x.day):
                votes[r] += 1
                weight[r] = w
        best = max(votes, key=lambda r: (votes[r], weight[r]))
        if votes[best] * 2 > len(firsts):
            day_rule = best
            why = f"照{year}年：{best.label}"
            if rule.unit != PeriodUnit.MONTH:
                month, n = Counter(month_of(rule, _period_of(rule, x.day), x.day) for x in firsts).most_common(1)[0]
                if n * 2 > len(firsts):
                    where = f"每年 {month} 月" if rule.unit == PeriodUnit.YEAR else f"每{unit}第{_CN[month - 1]}个月"
                    why = f"照{year}年：{best.label.replace('每月', where, 1)}"
                else:
                    month = None
        else:
            why = f"去年（{year}年）无固定日期，按周期默认"
    # a title left empty was saved as the kind's name: that is no pattern
    patterns = [title_pattern(x.title, _period_of(rule, x.day), x.day) for x in used
                if x.title.strip() != rule.kind]
    title, n = _most(patterns)
    if title and n * 2 <= len(used):
        title = ""  # every meeting its own subject: the usual pattern, not one month's subject all year
    lecturer = _most([x.lecturer for x in used])[0] if rule.kind == m.PARTY_LECTURE else ""
    return YearHabit(rule.kind, year, len(used), day_rule, month, title, _most([x.place for x in used])[0], lecturer,
                     why, tuple(notes))
