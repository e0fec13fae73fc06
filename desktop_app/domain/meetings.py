"""三会一课 rules: meeting kinds and their cadence, periods, due and overdue, quorum, attendance.

Pure: no SQL, no Qt. The cadence of each kind is data (DEFAULT_KINDS); a center
overrides it in the database, so a change in the street's rules is an edit,
not a release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from desktop_app.domain.errors import ValidationError, known
from desktop_app.domain.labels import LabelledEnum, labels

# ---------------------------------------------------------------- kinds and cadence

BRANCH_CONGRESS = "支部党员大会"
COMMITTEE = "支委会"
GROUP_MEETING = "党小组会"
PARTY_LECTURE = "党课"
THEME_DAY = "主题党日"
ORG_LIFE = "组织生活会"
EVALUATION = "民主评议党员"
JOINT = "联席会议"


class PeriodUnit(LabelledEnum):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF = "half", "每半年"
    YEAR = "year", "每年"
    NONE = "none", "不定期"  # no fixed cadence: held as needed, never due


PERIOD_LABELS: dict[PeriodUnit, str] = labels(PeriodUnit)

_MONTHS_PER: dict[PeriodUnit, int] = {
    PeriodUnit.MONTH: 1, PeriodUnit.QUARTER: 3, PeriodUnit.HALF: 6, PeriodUnit.YEAR: 12,
}


class Holder(LabelledEnum):
    """Which organisation holds a kind of meeting (org kinds of domain.orgs)."""

    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"
    COMMUNITY = "community", "社区党委"


HOLDER_LABELS: dict[Holder, str] = labels(Holder)


@dataclass(frozen=True)
class KindRule:
    """One kind of meeting: how often, held by whom, whether inspections count it."""

    kind: str
    unit: PeriodUnit
    times: int = 1  # meetings needed per period
    holder: Holder = Holder.BRANCH
    required: bool = True
    attendees: str = "members"  # members | committee | invited: who is expected by default

    @property
    def cadence_label(self) -> str:
        if self.unit == PeriodUnit.NONE:
            return PERIOD_LABELS[self.unit]
        return PERIOD_LABELS[self.unit] + (f" {self.times} 次" if self.times != 1 else "")

    @property
    def tracked(self) -> bool:
        """Due and overdue apply: a required kind with a fixed cadence."""
        return self.required and self.unit != PeriodUnit.NONE and self.times > 0


# The street's usual rules; a center changes them in its settings (stored per community).
DEFAULT_KINDS: tuple[KindRule, ...] = (
    KindRule(BRANCH_CONGRESS, PeriodUnit.QUARTER),
    KindRule(COMMITTEE, PeriodUnit.MONTH, attendees="committee"),
    KindRule(GROUP_MEETING, PeriodUnit.MONTH, holder=Holder.GROUP),
    KindRule(PARTY_LECTURE, PeriodUnit.QUARTER),
    KindRule(THEME_DAY, PeriodUnit.MONTH),
    KindRule(ORG_LIFE, PeriodUnit.YEAR),
    KindRule(EVALUATION, PeriodUnit.YEAR),
    KindRule(JOINT, PeriodUnit.NONE, holder=Holder.COMMUNITY, required=False, attendees="invited"),
)
KINDS: tuple[str, ...] = tuple(r.kind for r in DEFAULT_KINDS)
_DEFAULTS = {r.kind: r for r in DEFAULT_KINDS}


def default_rule(kind: str) -> KindRule:
    return known(_DEFAULTS, kind, "会议类型", f"未知的会议类型“{kind}”，应为 {'、'.join(KINDS)} 之一")


def check_kind(kind: str) -> str:
    kind = (kind or "").strip()
    default_rule(kind)
    return kind


def make_rule(kind: str, unit: str, times: int = 1, required: bool = True) -> KindRule:
    """A center's own cadence for a kind, validated; holder and attendees stay as the kind's."""
    base = default_rule(kind)
    try:
        unit_ = PeriodUnit(unit)
    except ValueError:
        raise ValidationError("召开周期", f"“{unit}”应为 month、quarter、half、year 或 none") from None
    if isinstance(times, bool) or not isinstance(times, int) or not 0 <= times <= 31:
        raise ValidationError("每期次数", "应为 0 到 31 之间的整数")
    if unit_ != PeriodUnit.NONE and times == 0:
        raise ValidationError("每期次数", "有固定周期的会议每期至少 1 次")
    return replace(base, unit=unit_, times=times if unit_ != PeriodUnit.NONE else max(times, 1),
                   required=bool(required))


def unit_from_label(text: str) -> PeriodUnit:
    for unit, label in PERIOD_LABELS.items():
        if text in (label, unit.value):
            return unit
    raise ValidationError("召开周期", f"未知的周期“{text}”")


# ---------------------------------------------------------------- periods

_CN_NUM = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: month 1-12, quarter 1-4, half 1-2 or the year (index 1)."""

    year: int
    unit: PeriodUnit
    index: int

    def __post_init__(self) -> None:
        if self.unit == PeriodUnit.NONE:
            raise ValueError("a period needs a unit")
        if not 1 <= self.index <= 12 // _MONTHS_PER[self.unit]:
            raise ValueError(f"{self.unit} index {self.index} out of range")

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS_PER[self.unit] + 1, 1)

    @property
    def end(self) -> date:
        """The last day in the period."""
        month = self.index * _MONTHS_PER[self.unit]
        nxt = date(self.year + 1, 1, 1) if month == 12 else date(self.year, month + 1, 1)
        return nxt - timedelta(days=1)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def _names(self) -> tuple[str, str]:
        """How the period is named inside its year: after 2024年 in its label, and as a column heading."""
        if self.unit == PeriodUnit.MONTH:
            return f"{self.index}月", f"{self.index}月"
        if self.unit == PeriodUnit.QUARTER:
            return f"第{_CN_NUM[self.index - 1]}季度", f"{_CN_NUM[self.index - 1]}季度"
        if self.unit == PeriodUnit.HALF:
            half = "上半年" if self.index == 1 else "下半年"
            return half, half
        return "", "全年"

    @property
    def label(self) -> str:
        """2024年3月, 2024年第一季度, 2024年上半年, 2024年."""
        return f"{self.year}年{self._names()[0]}"

    @property
    def short_label(self) -> str:
        """Column heading inside one year: 3月, 一季度, 上半年, 全年."""
        return self._names()[1]

    def next(self) -> "Period":
        last = 12 // _MONTHS_PER[self.unit]
        return Period(self.year + 1, self.unit, 1) if self.index == last else Period(self.year, self.unit, self.index + 1)

    def previous(self) -> "Period":
        last = 12 // _MONTHS_PER[self.unit]
        return Period(self.year - 1, self.unit, last) if self.index == 1 else Period(self.year, self.unit, self.index - 1)


def period_of(d: date, unit: PeriodUnit | str) -> Period:
    unit = PeriodUnit(unit)
    return Period(d.year, unit, (d.month - 1) // _MONTHS_PER[unit] + 1)


def periods_in_year(year: int, unit: PeriodUnit | str) -> list[Period]:
    unit = PeriodUnit(unit)
    return [Period(year, unit, i) for i in range(1, 12 // _MONTHS_PER[unit] + 1)]


def periods_between(first: date, last: date, unit: PeriodUnit | str) -> list[Period]:
    """Every period that overlaps [first, last], oldest first."""
    out: list[Period] = []
    if last < first:
        return out
    p, end = period_of(first, unit), period_of(last, unit)
    while p <= end:
        out.append(p)
        p = p.next()
    return out


# ---------------------------------------------------------------- due and overdue

class CellStatus(LabelledEnum):
    HELD = "held", "已召开"  # held as often as required
    NO_QUORUM = "no_quorum", "未达法定人数"  # held, but a meeting that needs a quorum lacked it
    PLANNED = "planned", "已计划"  # not yet held, a meeting is planned in the period
    DUE = "due", "待召开"  # the period is running and the meeting is still owed
    OVERDUE = "overdue", "逾期未开"  # the period is over and the meeting was not held
    FUTURE = "future", "未到期"  # the period has not started
    NOT_REQUIRED = "not_required", "不要求"  # kind not tracked (no cadence, or switched off)


CELL_LABELS: dict[CellStatus, str] = labels(CellStatus)


def cell_status(
    rule: KindRule,
    period: Period,
    today: date,
    held: int,
    planned: int = 0,
    held_without_quorum: int = 0,
) -> CellStatus:
    """Where one organisation stands on one kind in one period.

    `held` counts held meetings in the period (with or without quorum),
    `held_without_quorum` those of them flagged for lacking it; a meeting
    without quorum does not make up the period's count. `planned` counts
    planned meetings still to be held.
    """
    if not rule.tracked:
        return CellStatus.NOT_REQUIRED
    valid = held - held_without_quorum
    if valid >= rule.times:
        return CellStatus.HELD
    if held_without_quorum and held >= rule.times:
        return CellStatus.NO_QUORUM
    if period.start > today:
        return CellStatus.PLANNED if planned else CellStatus.FUTURE
    if period.end < today:
        return CellStatus.OVERDUE
    return CellStatus.PLANNED if valid + planned >= rule.times else CellStatus.DUE


# ---------------------------------------------------------------- attendance and quorum

PRESENT = "出席"
LEAVE = "请假"
ABSENT = "缺席"
GUEST = "列席"
UNRECORDED = ""  # expected, not yet recorded
EXCUSED = "免"  # counting only: on the list but excused from 应到 and did not come
ATTENDANCE_STATUSES: tuple[str, ...] = (PRESENT, LEAVE, ABSENT, GUEST)

PLANNED = "planned"
HELD = "held"
CANCELLED = "cancelled"
MEETING_STATUSES: tuple[str, ...] = (PLANNED, HELD, CANCELLED)
MEETING_STATUS_LABELS: dict[str, str] = {PLANNED: "计划中", HELD: "已召开", CANCELLED: "已取消"}

COMMITTEE_ROLES: tuple[str, ...] = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "委员")


def signin_place(group_order: int | None, seq: int | None, name: str) -> tuple:
    """Where a member stands on a sign-in sheet: the holder's own members first, then each 党小组's in the
    groups' order (`group_order`: None for a member sitting directly in the holder); by roster number.

    A freshly planned meeting lists its 应到 in this order; the demo's meetings do too."""
    return (0, 0, seq or 0, name) if group_order is None else (1, group_order, seq or 0, name)


def check_attendance_status(status: str) -> str:
    text = (status or "").strip()
    aliases = {"到": PRESENT, "出勤": PRESENT, "到会": PRESENT, "假": LEAVE, "缺": ABSENT, "未到": ABSENT}
    text = aliases.get(text, text)
    if text not in ATTENDANCE_STATUSES:
        raise ValidationError("出勤情况", f"“{status}”应为 出席、请假、缺席 或 列席")
    return text


@dataclass(frozen=True)
class AttendanceCounts:
    expected: int  # 应到: everyone expected, guests (列席) not counted
    present: int  # 实到
    leave: int
    absent: int  # 缺席, and expected people not yet recorded
    guests: int

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.present, self.expected)


def count_attendance(statuses: Iterable[str]) -> AttendanceCounts:
    expected = present = leave = absent = guests = 0
    for st in statuses:
        if st == GUEST:
            guests += 1
            continue
        if st == EXCUSED:
            continue  # 免于应到: listed on the sheet with the reason, not counted
        expected += 1
        if st == PRESENT:
            present += 1
        elif st == LEAVE:
            leave += 1
        else:
            absent += 1
    return AttendanceCounts(expected, present, leave, absent, guests)


def attendance_rate(present: int, expected: int) -> float | None:
    """Share of the expected who came, 0..1; None when nobody was expected."""
    if expected <= 0:
        return None
    return present / expected


def format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class Quorum:
    """Whether a meeting had its quorum. `met` is None where no rule applies or it cannot be told."""

    applies: bool
    met: bool | None
    base: int = 0  # 应到 with a vote / committee size
    present: int = 0
    note: str = ""

    @property
    def needed(self) -> int:
        """Smallest number present that is more than half."""
        return self.base // 2 + 1

    @property
    def lacking(self) -> bool:
        return self.applies and self.met is False


def _more_than_half(present: int, base: int) -> bool:
    return base > 0 and present * 2 > base


def _majority(base: int, present: int, counted: str, met_without_base: bool | None, without_base: str) -> Quorum:
    """More than half of `base` present; `counted` names who make up the base in the note."""
    if base <= 0:
        return Quorum(True, met_without_base, 0, 0, without_base)
    met = _more_than_half(present, base)
    note = (
        f"{counted} {base} 人，到会 {present} 人，"
        + ("超过半数" if met else f"未超过半数（至少需 {base // 2 + 1} 人）")
    )
    return Quorum(True, met, base, present, note)


def congress_quorum(voters: int, voters_present: int) -> Quorum:
    """支部党员大会: more than half of the members with a vote (正式党员) present."""
    return _majority(voters, voters_present, "有表决权的应到", False, "没有有表决权的正式党员，不能召开支部党员大会")


def committee_quorum(committee: int, committee_present: int) -> Quorum:
    """支委会: more than half of the branch committee present."""
    return _majority(committee, committee_present, "支委", None, "未登记支部委员会成员，无法判断是否达到法定人数")


def has_vote(category: str, party_status: str = "正常") -> bool:
    """预备党员 have no vote; nor has a member whose party membership is suspended."""
    return category == "正式党员" and party_status != "停止党籍"


@dataclass(frozen=True)
class QuorumAttendee:
    status: str
    category: str = "正式党员"
    party_status: str = "正常"
    on_committee: bool = False
    is_guest: bool = False
    excused: bool = False  # 免于应到 that day (长期外出, 病重 …): not counted unless they came


def quorum_for(kind: str, attendees: Sequence[QuorumAttendee], committee_size: int | None = None) -> Quorum:
    """The quorum rule of `kind` applied to a meeting's attendance.

    For a 支委会 `committee_size` is the committee on the meeting's day (from
    the committee register); attendees flagged on_committee count as present.
    """
    if kind == BRANCH_CONGRESS:
        # Those excused (外出半年以上, 长期生病 …) are left out of 应到会人数 unless they came.
        voters = [a for a in attendees if not a.is_guest and has_vote(a.category, a.party_status)
                  and not (a.excused and a.status != PRESENT)]
        return congress_quorum(len(voters), sum(1 for a in voters if a.status == PRESENT))
    if kind == COMMITTEE:
        size = committee_size if committee_size is not None else sum(1 for a in attendees if a.on_committee)
        present = sum(1 for a in attendees if a.on_committee and a.status == PRESENT)
        return committee_quorum(size, present)
    return Quorum(False, None)


# ---------------------------------------------------------------- follow-up

def consecutive_absences(statuses_newest_first: Iterable[str], count_leave: bool = False) -> int:
    """How many of a member's latest required meetings in a row they missed.

    Only 缺席 (absent without leave) counts by default, and unrecorded counts as
    absent; 请假 is an excused absence that ends the run unless count_leave.
    """
    missed = {ABSENT, UNRECORDED} | ({LEAVE} if count_leave else set())
    n = 0
    for st in statuses_newest_first:
        if st in missed:
            n += 1
        else:
            break
    return n


def months_before(d: date, months: int) -> date:
    """The same day `months` earlier (clamped to the month's end): the start of a look-back window."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


LOST_CONTACT_MONTHS = 6


def lost_contact(last_life: date | None, last_dues: date | None, today: date,
                 months: int = LOST_CONTACT_MONTHS, dues_known: bool = True) -> bool:
    """No organisation life and (where dues are known) no dues for `months`: a 失联 risk."""
    since = months_before(today, months)
    no_life = last_life is None or last_life < since
    if not dues_known:
        return no_life
    return no_life and (last_dues is None or last_dues < since)


# ---------------------------------------------------------------- 民主评议

EXCELLENT = "优秀"
QUALIFIED = "合格"
BASICALLY_QUALIFIED = "基本合格"
UNQUALIFIED = "不合格"
GRADES: tuple[str, ...] = (EXCELLENT, QUALIFIED, BASICALLY_QUALIFIED, UNQUALIFIED)


def check_grade(grade: str) -> str:
    text = (grade or "").strip()
    if text not in GRADES:
        raise ValidationError("评议等次", f"“{grade}”应为 优秀、合格、基本合格 或 不合格")
    return text


# ---------------------------------------------------------------- checks on a meeting record

TITLE_MAX = 100
TEXT_MAX = 60


def check_title(title: str, kind: str) -> str:
    """A topic; a blank one becomes the kind's name, as secretaries write it."""
    text = " ".join((title or "").split())
    if len(text) > TITLE_MAX:
        raise ValidationError("会议主题", f"不能超过 {TITLE_MAX} 个字")
    return text or kind


def check_short(field: str, value: str, limit: int = TEXT_MAX) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise ValidationError(field, f"不能超过 {limit} 个字")
    return text
