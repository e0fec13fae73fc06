"""五好党支部 assessment rules: points, the score of a measured indicator, results, ranks.

Pure rules, no storage. Points are kept in tenths (an indicator worth 2.5
points is 25), so totals add up exactly. A computed indicator is measured as
"achieved out of required" and scores in proportion, full marks once the
share reaches `full_at`; nothing required means nothing to lose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop_app.domain.errors import ValidationError

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

MAX_POINTS_TENTHS = 1000  # one indicator at most 100 points
TOTAL_LIMIT_TENTHS = 10000

_POINTS = re.compile(r"^\d{1,4}(\.\d)?$")


def points(tenths: int | None) -> str:
    """2.5 for 25, 3 for 30: how a score is written."""
    if tenths is None:
        return "—"
    sign = "-" if tenths < 0 else ""
    whole, part = divmod(abs(int(tenths)), 10)
    return f"{sign}{whole}.{part}" if part else f"{sign}{whole}"


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
    title = (title or "").strip()
    if not title:
        raise ValidationError("称号", "请填写称号")
    if len(title) > 40:
        raise ValidationError("称号", "不能超过 40 个字")
    return title


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
