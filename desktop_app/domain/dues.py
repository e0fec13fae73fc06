"""党费 rules: the rate table (as data, with effective dates), monthly dues, arrears, payments.

The table follows 《关于中国共产党党费收缴、使用和管理的规定》 (中组部, 2008):

- 在职: monthly income after tax ≤3000 元 0.5%; above 3000 up to and including
  5000 1%; above 5000 up to and including 10000 1.5%; above 10000 2%.
  The bracket's rate applies to the whole income (not progressively).
- 离退休: basic pension ≤5000 元 0.5%; above 5000 1%.
- 农民: 0.2 to 1 元 a month (the member's choice within the range).
- 学生, 下岗失业, 低保: 0.2 元 a month.

Rates live in data (`RateRule` rows stored in the database and seeded from
DEFAULT_RULES), so a change of rules is a new set of rows with a later
effective date, not a release. Amounts are integer fen; a rate is in basis
points (万分之: 50 = 0.5%).

Rounding: a percentage due is rounded half up to the fen (四舍五入到分):
0.5% of 1234.57 元 = 6.17285 元 → 6.17 元; 0.5% of 1.00 元 = 0.005 元 → 0.01 元.

Months are `date(year, month, 1)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import parse_voucher
from desktop_app.domain.money import amount_in_capitals, format_yuan

EMPLOYED = "在职"
RETIRED = "离退休"
FARMER = "农民"
STUDENT = "学生"
UNEMPLOYED = "下岗失业"
SUBSISTENCE = "低保"
CATEGORIES: tuple[str, ...] = (EMPLOYED, RETIRED, FARMER, STUDENT, UNEMPLOYED, SUBSISTENCE)
# Categories whose dues depend on an income the center records.
INCOME_CATEGORIES: frozenset[str] = frozenset({EMPLOYED, RETIRED})

BASIS_POINTS = 10_000  # rate_bp / 10000 = the rate
BACK_PAYMENT_LIMIT_MONTHS = 6  # paying a month more than this late is flagged
LAPSE_MONTHS = 6  # 党章: six months without dues and without good reason → 自行脱党 risk

RULES_2008 = date(2008, 4, 1)


@dataclass(frozen=True)
class RateRule:
    """One line of the rate table.

    Income brackets read as the rules are written: `over_fen` is exclusive
    ("3000元以上"), `upto_fen` inclusive ("至5000元（含5000元）"); None means
    open. A line charges either `rate_bp` of the income, a `fixed_fen`
    amount, or an amount of the member's choice between `min_fen` and `max_fen`.
    """

    category: str
    effective_from: date
    over_fen: int | None = None
    upto_fen: int | None = None
    rate_bp: int | None = None
    fixed_fen: int | None = None
    min_fen: int | None = None
    max_fen: int | None = None
    note: str = ""

    def covers(self, income_fen: int) -> bool:
        if self.over_fen is not None and income_fen <= self.over_fen:
            return False
        return self.upto_fen is None or income_fen <= self.upto_fen

    @property
    def kind(self) -> str:
        if self.rate_bp is not None:
            return "rate"
        if self.fixed_fen is not None:
            return "fixed"
        return "range"

    def bracket_text(self) -> str:
        lo = f"{format_yuan(self.over_fen, grouping=False)}元以上" if self.over_fen is not None else ""
        if self.upto_fen is None:
            return lo or "不论收入"
        hi = f"{format_yuan(self.upto_fen, grouping=False)}元（含）"
        return f"{lo}至{hi}" if lo else f"{hi}以下"

    def charge_text(self) -> str:
        if self.rate_bp is not None:
            return rate_text(self.rate_bp)
        if self.fixed_fen is not None:
            return f"每月{format_yuan(self.fixed_fen)}元"
        return f"每月{format_yuan(self.min_fen or 0)}至{format_yuan(self.max_fen or 0)}元"

    def describe(self) -> str:
        if self.category in INCOME_CATEGORIES:
            return f"{self.category}：月收入{self.bracket_text()}，{self.charge_text()}"
        return f"{self.category}：{self.charge_text()}"


def rate_text(rate_bp: int) -> str:
    """50 → "0.5%", 100 → "1%", 150 → "1.5%"."""
    whole, rest = divmod(rate_bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


def _yuan(text: str) -> int:
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


DEFAULT_RULES: tuple[RateRule, ...] = (
    RateRule(EMPLOYED, RULES_2008, None, _yuan("3000"), rate_bp=50),
    RateRule(EMPLOYED, RULES_2008, _yuan("3000"), _yuan("5000"), rate_bp=100),
    RateRule(EMPLOYED, RULES_2008, _yuan("5000"), _yuan("10000"), rate_bp=150),
    RateRule(EMPLOYED, RULES_2008, _yuan("10000"), None, rate_bp=200),
    RateRule(RETIRED, RULES_2008, None, _yuan("5000"), rate_bp=50),
    RateRule(RETIRED, RULES_2008, _yuan("5000"), None, rate_bp=100),
    RateRule(FARMER, RULES_2008, min_fen=20, max_fen=100),
    RateRule(STUDENT, RULES_2008, fixed_fen=20),
    RateRule(UNEMPLOYED, RULES_2008, fixed_fen=20),
    RateRule(SUBSISTENCE, RULES_2008, fixed_fen=20),
)

DEFAULT_NOTE = "中组部《关于中国共产党党费收缴、使用和管理的规定》"
# Seeded lines get the same id in every database, so a street's copy and a
# community's copy of the 2008 table are one table, not two, and either end can
# tell a seeded line nobody changed.
_RULE_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4e1f-9c3d-2a8b7e6f5d41")


def default_rule_id(r: RateRule) -> str:
    return str(uuid.uuid5(_RULE_NAMESPACE, f"{r.category}|{r.effective_from.isoformat()}|{r.over_fen}"))


def default_lines() -> dict[str, RateRule]:
    """The seeded table by line id, each line as every program seeds it (note included)."""
    return {default_rule_id(r): RateRule(**{**r.__dict__, "note": DEFAULT_NOTE}) for r in DEFAULT_RULES}


# ---------------------------------------------------------------- months

def month_of(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month (negative if reversed)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def month_range(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included."""
    first, last = month_of(first), month_of(last)
    return [add_months(first, i) for i in range(months_between(first, last) + 1)]


def quarter_months(d: date) -> list[date]:
    start = (d.month - 1) // 3 * 3 + 1
    return [date(d.year, start + i, 1) for i in range(3)]


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def months_label(months: Sequence[date]) -> str:
    """[2024-01, 2024-02, 2024-03] → "2024年1-3月"; gaps are listed."""
    if not months:
        return ""
    ms = sorted(set(months))
    runs: list[tuple[date, date]] = []
    for m in ms:
        if runs and months_between(runs[-1][1], m) == 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    parts, year = [], None
    for a, b in runs:
        prefix = f"{a.year}年" if a.year != year else ""
        if a == b:
            parts.append(f"{prefix}{a.month}月")
        elif a.year == b.year:
            parts.append(f"{prefix}{a.month}-{b.month}月")
        else:
            parts.append(f"{prefix}{a.month}月至{b.year}年{b.month}月")
        year = b.year
    return "、".join(parts)


# ---------------------------------------------------------------- the table

def check_category(category: str) -> str:
    category = (category or "").strip()
    if category not in CATEGORIES:
        raise ValidationError("人员类别", f"应为{'、'.join(CATEGORIES)}之一")
    return category


def check_table(rules: Iterable[RateRule]) -> None:
    """Each category's lines of one effective date must cover every income exactly once."""
    groups: dict[tuple[str, date], list[RateRule]] = {}
    for r in rules:
        check_category(r.category)
        kinds = [r.rate_bp is not None, r.fixed_fen is not None, r.min_fen is not None or r.max_fen is not None]
        if sum(kinds) != 1:
            raise ValidationError("党费标准", f"{r.category}：每一档只能是比例、固定金额或金额范围之一")
        if r.rate_bp is not None and not 0 <= r.rate_bp <= BASIS_POINTS:
            raise ValidationError("党费标准", f"{r.category}：比例应在 0 到 100% 之间")
        for value in (r.fixed_fen, r.min_fen, r.max_fen, r.over_fen, r.upto_fen):
            if value is not None and value < 0:
                raise ValidationError("党费标准", f"{r.category}：金额不能为负数")
        if kinds[2] and (r.min_fen is None or r.max_fen is None or r.min_fen > r.max_fen):
            raise ValidationError("党费标准", f"{r.category}：金额范围应写明最低和最高，且最低不高于最高")
        if r.effective_from.day != 1:
            raise ValidationError("生效日期", "党费标准按月生效，生效日期应为某月1日")
        groups.setdefault((r.category, r.effective_from), []).append(r)
    for (category, since), lines in groups.items():
        broken = table_break(lines)
        if broken is not None:
            i, why = broken
            raise ValidationError("党费标准", f"{category}（{since.isoformat()}起）“{lines[i].bracket_text()}”一档：{why}")


def table_break(lines: Sequence[RateRule]) -> tuple[int, str] | None:
    """Where one category's lines of one date stop covering every income exactly once.

    (the index in `lines` of the line at fault, why), or None: the 党费比例 dialog names
    that row as the worker typed it, the service the bracket.
    """
    if not lines:
        return None
    order = sorted(range(len(lines)), key=lambda i: -1 if lines[i].over_fen is None else lines[i].over_fen)
    if lines[order[0]].over_fen is not None:
        return order[0], "最低一档应从 0 元起"
    for i, j in zip(order, order[1:]):
        a, b = lines[i], lines[j]
        if a.upto_fen is None:
            return j, "各档收入区间应首尾相接、不重叠：已有一档不设上限"
        if b.over_fen != a.upto_fen:
            upto = format_yuan(a.upto_fen, grouping=False)
            return j, f"各档收入区间应首尾相接、不重叠：上一档至{upto}元（含），这一档应从{upto}元以上起"
    if lines[order[-1]].upto_fen is not None:
        return order[-1], "最高一档应不设上限"
    return None


def rules_in_force(rules: Iterable[RateRule], category: str, month: date) -> list[RateRule]:
    """The category's lines of the latest effective date on or before `month`."""
    month = month_of(month)
    candidates = [r for r in rules if r.category == category and r.effective_from <= month]
    if not candidates:
        return []
    latest = max(r.effective_from for r in candidates)
    return [r for r in candidates if r.effective_from == latest]


def percent_of(income_fen: int, rate_bp: int) -> int:
    """income × rate, rounded half up to the fen (integers only)."""
    if income_fen < 0:
        raise ValidationError("月收入", "收入不能为负数")
    q, r = divmod(income_fen * rate_bp, BASIS_POINTS)
    return q + (1 if 2 * r >= BASIS_POINTS else 0)


@dataclass(frozen=True)
class DueCalc:
    """A month's dues and how they were reached (printed on the 登记表 and shown in forms)."""

    due_fen: int
    category: str
    income_fen: int
    rate_bp: int | None  # None for fixed or chosen amounts
    rule: RateRule | None
    overridden: bool = False  # an approved reduction or exemption (少交、免交)

    @property
    def basis(self) -> str:
        if self.overridden:
            return "经批准少交" if self.due_fen else "经批准免交"
        if self.rate_bp is not None:
            return f"{format_yuan(self.income_fen)}×{rate_text(self.rate_bp)}"
        if self.rule is not None and self.rule.kind == "range":
            return f"自定（{self.rule.charge_text().removeprefix('每月')}）"
        return "定额"


def monthly_due(
    rules: Iterable[RateRule],
    category: str,
    month: date,
    income_fen: int = 0,
    chosen_fen: int | None = None,
) -> DueCalc:
    """The dues a member of `category` owes for `month`.

    `chosen_fen` is the farmer's amount within the allowed range (the range's
    minimum when not given); for every other category it is an approved
    reduction or exemption (少交/免交, 0 = exempt) and replaces the computed due.
    """
    category = check_category(category)
    if isinstance(income_fen, bool) or not isinstance(income_fen, int):
        raise TypeError("income must be int fen")
    if income_fen < 0:
        raise ValidationError("月收入", "收入不能为负数")
    lines = rules_in_force(rules, category, month)
    if not lines:
        raise ValidationError("党费标准", f"{month_label(month)}没有适用于“{category}”的党费标准")
    rule = next((r for r in lines if r.covers(income_fen)), None)
    if rule is None:
        raise ValidationError("党费标准", f"“{category}”的党费标准没有覆盖月收入 {format_yuan(income_fen)} 元")
    if rule.kind == "range":
        lo, hi = rule.min_fen or 0, rule.max_fen or 0
        amount = lo if chosen_fen is None else chosen_fen
        if not lo <= amount <= hi:
            raise ValidationError(
                "月交党费", f"{category}每月交纳 {format_yuan(lo)} 至 {format_yuan(hi)} 元，{format_yuan(amount)} 元不在范围内"
            )
        return DueCalc(amount, category, income_fen, None, rule)
    if chosen_fen is not None:
        if chosen_fen < 0:
            raise ValidationError("月交党费", "金额不能为负数")
        return DueCalc(chosen_fen, category, income_fen, None, rule, overridden=True)
    if rule.kind == "fixed":
        return DueCalc(rule.fixed_fen or 0, category, income_fen, None, rule)
    assert rule.rate_bp is not None
    return DueCalc(percent_of(income_fen, rule.rate_bp), category, income_fen, rule.rate_bp, rule)


# ---------------------------------------------------------------- payments and arrears

def is_late_back_payment(month: date, paid_on: date) -> bool:
    """补交 beyond 6 months: the month lies more than six calendar months before the payment."""
    return months_between(month, paid_on) > BACK_PAYMENT_LIMIT_MONTHS


def check_payment(months: Sequence[date], paid_on: date, quarterly_consent: bool) -> list[str]:
    """Validate the months one payment covers; return warnings (late back-payments).

    Dues are paid monthly. Paying ahead (a month after the payment's month) is
    按季度交纳 and needs the branch's consent, and reaches no further than the
    end of the payment's quarter. Paying for past months is 补交: allowed, but
    beyond six months it is flagged.
    """
    if not months:
        raise ValidationError("交纳月份", "请选择要交纳的月份")
    ms = [month_of(m) for m in months]
    if len(set(ms)) != len(ms):
        raise ValidationError("交纳月份", "同一月份不能重复交纳")
    paid_month = month_of(paid_on)
    ahead = [m for m in ms if m > paid_month]
    if ahead:
        if not quarterly_consent:
            raise ValidationError(
                "交纳月份", f"{months_label(ahead)}尚未到期：党费按月交纳，经党支部同意才可按季度交纳"
            )
        last = quarter_months(paid_on)[-1]
        beyond = [m for m in ahead if m > last]
        if beyond:
            raise ValidationError("交纳月份", f"按季度交纳最多交到本季度末（{month_label(last)}），不能预交{months_label(beyond)}")
    late = sorted(m for m in ms if is_late_back_payment(m, paid_on))
    if late:
        return [f"补交{months_label(late)}党费，已超过6个月，请按规定说明原因并报告党支部"]
    return []


def split_payment(dues: Sequence[int], total_fen: int | None) -> list[int]:
    """Spread one payment over its months: each month gets its due, any extra goes to the last.

    Paying less than the months' dues is only possible for a single month (少交
    remains owed); a multi-month payment must clear every month it names.
    """
    if not dues:
        return []
    need = sum(dues)
    if total_fen is None:
        return list(dues)
    if total_fen < 0:
        raise ValidationError("实交金额", "金额不能为负数")
    if len(dues) == 1:
        return [total_fen]
    if total_fen < need:
        raise ValidationError(
            "实交金额", f"所选 {len(dues)} 个月应交 {format_yuan(need)} 元，实交 {format_yuan(total_fen)} 元不足"
        )
    return [*dues[:-1], dues[-1] + total_fen - need]


def longest_unpaid_run(unpaid: Iterable[date]) -> int:
    """Longest run of consecutive unpaid months."""
    best = run = 0
    prev: date | None = None
    for m in sorted(set(unpaid)):
        run = run + 1 if prev is not None and months_between(prev, m) == 1 else 1
        best = max(best, run)
        prev = m
    return best


def trailing_unpaid_run(unpaid: Iterable[date], last_month: date) -> int:
    """Consecutive unpaid months ending at `last_month` (how long the member has not paid)."""
    owed = set(unpaid)
    n, m = 0, month_of(last_month)
    while m in owed:
        n += 1
        m = add_months(m, -1)
    return n


# ---------------------------------------------------------------- the receipt

def receipt_amount_words(fen: int) -> str:
    """A receipt's total in 大写 as receipts write it: 12000 → 人民币壹佰贰拾元整, 5 → 人民币伍分."""
    if fen < 0:  # a receipt is for money received; a reversal is never printed as one
        raise ValueError("a receipt's amount is never negative")
    return "人民币" + amount_in_capitals(fen)


def receipt_number(voucher_no: str, branch_code: str, part: int = 1, parts: int = 1) -> str:
    """The 党费收据's number, derived from its payment so a reprint carries the same one.

    The payment's 记账凭证 number (2026-0007) with the branch's code between year and sequence:
    2026-ZB01-0007. One entry may carry several members collected together; each member's receipt
    is `part` of `parts` and gets /1, /2 … after it, so every receipt of the entry has its own number.
    """
    parsed = parse_voucher(voucher_no)
    code = (branch_code or "").strip()
    if parsed is None:  # a hand-typed number kept as it was typed
        head = "-".join(x for x in ((voucher_no or "").strip() or "无凭证", code) if x)
    else:
        year, seq = parsed
        head = "-".join(x for x in (str(year), code, f"{seq:04d}") if x)
    return f"{head}/{part}" if parts > 1 else head
