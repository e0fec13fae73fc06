"""五好党支部 assessment rules: points, the score of a measured indicator, results, ranks.

Pure rules, no storage. Points are kept in tenths (an indicator worth 2.5
points is 25), so totals add up exactly. A computed indicator is measured as
"achieved out of required" and scores in proportion, full marks once the
share reaches `full_at`; nothing required means nothing to lose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain import development as dev
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import required_text

CATEGORY = "category"
ITEM = "item"
INDICATOR = "indicator"
LEVELS = (CATEGORY, ITEM, INDICATOR)
LEVEL_LABELS = {CATEGORY: "一级指标", ITEM: "二级指标", INDICATOR: "考评指标"}

MANUAL = "manual"

EXCELLENT = "五好党支部"
PASSED = "达标"
FAILED = "未达标"
RESULTS = (EXCELLENT, PASSED, FAILED)

TITLES = ("红旗党支部", "示范点", "五星级党支部", "先进基层党组织")
# A year with a scheme and no branch to rate: at a street before any community's data came up by sync,
# or a community before its branches were set up. Said wherever the ranking would be empty.
NO_BRANCHES = "尚无党支部可考评：社区先在“党组织”页建立党支部；街道的党支部随各社区的数据同步上来（“数据同步”页）"

MAX_POINTS_TENTHS = 1000  # one indicator at most 100 points
TOTAL_LIMIT_TENTHS = 10000

_POINTS = re.compile(r"^\d{1,4}(\.\d)?$")


def points(tenths: int | None) -> str:
    """2.5 for 25, 3 for 30: how a score is written."""
    return score_text(tenths).removesuffix(".0")


def score_text(tenths: int | None) -> str:
    """A score in a table or printed column: always one decimal (81.0 beside 81.3), as points keep tenths;
    `points` writes it for typing and in sentences."""
    if tenths is None:
        return "—"
    sign = "-" if tenths < 0 else ""
    whole, part = divmod(abs(int(tenths)), 10)
    return f"{sign}{whole}.{part}"


def parse_points(text: str | float | int, field: str = "分值") -> int:
    """'2.5' → 25; at most one decimal, never negative."""
    raw = str(text).strip()
    if isinstance(text, float):
        raw = f"{text:.1f}".rstrip("0").rstrip(".")
    if not raw:
        raise ValidationError(field, "请填写分值")
    if not _POINTS.match(raw):
        raise ValidationError(field, f"“{raw}”应为不小于 0 的数，最多一位小数")
    whole, _, part = raw.partition(".")
    return int(whole) * 10 + int(part or 0)


def check_max(tenths: int, field: str = "满分") -> int:
    if tenths <= 0:
        raise ValidationError(field, "应大于 0")
    if tenths > MAX_POINTS_TENTHS:
        raise ValidationError(field, f"不能超过 {points(MAX_POINTS_TENTHS)} 分")
    return tenths


def check_manual_score(tenths: int, max_tenths: int) -> int:
    if tenths < 0:
        raise ValidationError("得分", "不能为负数")
    if tenths > max_tenths:
        raise ValidationError("得分", f"不能超过本项满分 {points(max_tenths)} 分")
    return tenths


def check_thresholds(excellent: int, passed: int, total: int) -> tuple[int, int]:
    """五好 and 达标 lines: 0 < 达标 <= 五好 <= the scheme's total."""
    if passed <= 0:
        raise ValidationError("达标分数线", "应大于 0")
    if excellent < passed:
        raise ValidationError("五好分数线", "不能低于达标分数线")
    if total and excellent > total:
        raise ValidationError("五好分数线", f"不能高于方案总分 {points(total)} 分")
    return excellent, passed


def check_year(year: int) -> int:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("年度", f"{year} 不是有效的年度")
    return int(year)


def check_title_text(title: str) -> str:
    return required_text(title, "称号", 40, "请填写称号")


def ratio_score(max_tenths: int, achieved: float, required: float, full_at: float = 1.0) -> int:
    """Points for achieving `achieved` of `required`: in proportion, full once the share reaches `full_at`."""
    if required <= 0:
        return max_tenths
    share = max(0.0, achieved / required)
    if full_at > 0:
        share = share / full_at
    return min(max_tenths, int(max_tenths * min(share, 1.0) + 0.5))


def share_text(achieved: float, required: float) -> str:
    if required <= 0:
        return "无应达要求"
    return f"{achieved:g}/{required:g}（{achieved * 100 / required:.1f}%）"


def count_text(what: str, unit: str, achieved: float, required: float) -> str:
    """A count against a requirement as a worker says it: 讲党课 4 次（要求 1 次，达标）.

    A share would print doing more than asked as 400.0%; a count is read as met or not (the rule's hint
    says how many are still owed).
    """
    done = f"{what} {achieved:g} {unit}"
    if required <= 0:
        return f"{done}（无应达要求）"
    return f"{done}（要求 {required:g} {unit}{'，达标' if achieved >= required else ''}）"


def result_of(total: int, excellent: int, passed: int) -> str:
    if total >= excellent:
        return EXCELLENT
    if total >= passed:
        return PASSED
    return FAILED


def ranks(totals: Mapping[str, int]) -> dict[str, int]:
    """Competition ranking: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    out: dict[str, int] = {}
    prev, rank = None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != prev:
            rank, prev = i, total
        out[key] = rank
    return out


@dataclass(frozen=True)
class Lost:
    """An indicator and the points it loses, for the 'weakest indicators' list."""

    key: str
    lost: int
    max_tenths: int


def weakest(lines: Iterable[Lost], n: int = 5) -> list[Lost]:
    """The indicators losing most points (at least some), largest loss first, ties by share lost."""
    losing = [x for x in lines if x.lost > 0]
    losing.sort(key=lambda x: (-x.lost, -(x.lost / x.max_tenths if x.max_tenths else 0), x.key))
    return losing[:n]


def parse_params(text: str) -> dict:
    """A computed rule's parameters, kept as a JSON object in the scheme."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationError("参数", "应为 JSON 对象，例如 {\"full_at\": 0.9}") from None
    if not isinstance(value, dict):
        raise ValidationError("参数", "应为 JSON 对象，例如 {\"full_at\": 0.9}")
    return value


def number_param(params: Mapping, key: str, default: float) -> float:
    value = params.get(key, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValidationError("参数", f"{key} 应为数字") from None
    if value < 0:
        raise ValidationError("参数", f"{key} 不能为负数")
    return value


def whole_param(params: Mapping, key: str, default: int) -> int:
    """A count parameter (months, times): a whole number not below zero."""
    value = number_param(params, key, default)
    if value != int(value):
        raise ValidationError("参数", f"{key} 应为整数")
    return int(value)


@dataclass(frozen=True)
class Shape:
    categories: int
    items: int
    indicators: int
    total_tenths: int

    def label(self) -> str:
        return f"{self.categories} 类 {self.items} 项 {self.indicators} 条，满分 {points(self.total_tenths)} 分"


def shape_of(nodes: Iterable[tuple[str, int]]) -> Shape:
    """Counts of a scheme from (level, max_tenths) of its nodes."""
    counts = {CATEGORY: 0, ITEM: 0, INDICATOR: 0}
    total = 0
    for level, max_tenths in nodes:
        counts[level] = counts.get(level, 0) + 1
        if level == INDICATOR:
            total += max_tenths
    return Shape(counts[CATEGORY], counts[ITEM], counts[INDICATOR], total)


# ---------------------------------------------------------------- 发展党员 steps on time


@dataclass(frozen=True)
class StepCheck:
    """One time limit of one applicant that fell in the assessed period: met (ok) or not."""

    step: str
    on: date  # the day the step was done, or the deadline it missed
    ok: bool
    text: str


def development_checks(history: Sequence[dev.Done], first: date, cutoff: date,
                       steps: Collection[str] = ()) -> list[StepCheck]:
    """The time limits of domain.development.TIME_RULES an applicant met or missed between `first` and `cutoff`.

    A deadline (谈话 within a month, 审批 within three months, 转正's 支部大会 within the month after the
    probation ends)
    counts in the period where the step was done, or where it passed undone. A periodic
    duty (思想汇报 each quarter, 培养考察 each half year) counts once per period owed
    while the applicant is in the rule's stages. Lower limits (“not before”) are refused
    when a step is recorded, so they are never missed and not counted. `steps` keeps
    only the named steps (all when empty).
    """
    history = sorted(history, key=lambda d: d.on)
    out: list[StepCheck] = []

    def add(step: str, on: date, ok: bool, text: str) -> None:
        if first <= on <= cutoff and (not steps or step in steps):
            out.append(StepCheck(step, on, ok, text))

    def first_of(*names: str) -> dev.Done | None:
        return next((d for d in history if d.step in names), None)

    ended = first_of(dev.STOP, dev.CANCEL)
    for rule in dev.TIME_RULES:
        start = next((d.on for d in reversed(history) if d.step == rule.after), None)
        if start is None:
            continue
        if rule.every_months:
            _periodic(rule, start, history, cutoff, add)
        elif rule.max_months or rule.max_days:
            due = dev.add_months(start, rule.max_months) + timedelta(days=rule.max_days)
            done = first_of(rule.step)
            if done is not None:
                late = (done.on - due).days
                add(rule.step, done.on, late <= 0,
                    f"{rule.step}：{done.on}" + ("，按时" if late <= 0 else f"，超过时限 {late} 天（应在 {due} 前）"))
            elif due < cutoff and (ended is None or ended.on > due):
                add(rule.step, due, False, f"{rule.step}：逾期未办（应在 {due} 前，{rule.text}）")
        elif rule.step == dev.CONFIRM:
            end = dev.probation_end(history)
            decided = first_of(dev.CONFIRM, dev.CANCEL)
            if end is None:
                continue
            # the step records the day the 支部大会 met, on or after the end: on time within the month after
            due = dev.add_months(end, dev.CONFIRM_MEETING_MONTHS)
            if decided is not None:
                late = (decided.on - end).days
                add(rule.step, decided.on, decided.on <= due, f"{decided.step}：{decided.on}"
                    + (f"，预备期 {end} 期满后按时讨论" if decided.on <= due
                       else f"，预备期 {end} 已满 {late} 天后才讨论（应在 {due} 前）"))
            elif due < cutoff and (ended is None or ended.on > due):
                add(rule.step, due, False, f"转正：预备期 {end} 已满，{due} 前尚未讨论转正、延长预备期或取消资格")
    return sorted(out, key=lambda c: c.on)


def _periodic(rule: dev.TimeRule, start: date, history: Sequence[dev.Done], cutoff: date, add) -> None:
    """Walk the periods of a duty owed every `rule.every_months` while the applicant is in `rule.stages`."""
    stage, left = dev.APPLICANT, None
    for d in history:  # the day the applicant left the rule's stages (became 正式党员, was stopped …)
        to = dev.step_kind(d.step).to_stage if d.step in dev.STEPS else None
        if to is not None:
            if stage in rule.stages and to not in rule.stages and d.on >= start:
                left = d.on
                break
            stage = to
    done = sorted(d.on for d in history if d.step == rule.step and d.on > start)
    last = start
    while True:  # each period starts at the last report (or at the missed deadline)
        due = dev.add_months(last, rule.every_months)
        if due >= cutoff or (left is not None and left <= due):
            return
        nxt = next((t for t in done if last < t <= due), None)
        if nxt is not None:
            add(rule.step, nxt, True, f"{rule.step}：{nxt}，按时")
            last = nxt
        else:
            add(rule.step, due, False, f"{rule.step}：{last} 起 {rule.every_months} 个月内未办（应在 {due} 前）")
            last = due
