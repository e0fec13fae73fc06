"""经费台账 rules: entries, voucher numbers, reversals (红字冲销), closed months, budget warnings.

An auditor trusts a ledger whose posted entries never change: a mistake is
corrected by a reversing entry of the opposite sign that names the entry it
cancels, and a month, once closed (结账), takes no more entries. Amounts are
integer fen; a reversal carries the negative of the original amount in the
same direction, so the pair sums to zero in every total.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.text import check_text
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.money import format_yuan

INCOME = "收入"
EXPENSE = "支出"
DIRECTIONS = (INCOME, EXPENSE)

DUES_KIND = "dues"  # Account.kind of the 党费 account: paid dues post there

# The four funds every center keeps; a center adds others as data.
DEFAULT_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("服务群众专项经费", ""),
    ("党建工作经费", ""),
    ("党组织活动经费", ""),
    ("党费", DUES_KIND),
)

CARRIED_FORWARD = "上年结转"
DUES_COLLECTED = "党费收缴"
DUES_REMITTED = "上缴党费"
# Suggestions only: the category is free text a center can extend.
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    INCOME: ("上级拨款", CARRIED_FORWARD, DUES_COLLECTED, "利息收入", "其他收入"),
    EXPENSE: ("活动", "慰问", "办公", "设施改造", "培训", "宣传", "资料订阅", DUES_REMITTED, "其他支出"),
}

# Budget warnings: from WARN_PERCENT of the budget on, spending is "nearing" it.
WARN_PERCENT = 80
OK, NEAR, REACHED, OVER = "正常", "接近预算", "已达预算", "超出预算"

MAX_ENTRY_FEN = 100_000_000 * 100  # 1亿元: a larger single entry is surely a typing slip

_VOUCHER = re.compile(r"^(\d{4})-(\d{1,6})$")

_NAME_LIMITS = {"类别": 20, "收付款方": 60, "经办人": 20, "录入人": 20, "账户名称": 40}


# ---------------------------------------------------------------- months

def month_of(d: date) -> date:
    return date(d.year, d.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def prev_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# ---------------------------------------------------------------- entries

def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValidationError("收支", "应为“收入”或“支出”")
    return direction


def check_amount(fen: int) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("amount must be int fen (money is never a float)")
    if fen <= 0:
        raise ValidationError("金额", "金额应大于 0（更正已记的账请用红字冲销）")
    if fen > MAX_ENTRY_FEN:
        raise ValidationError("金额", f"单笔金额不能超过 {format_yuan(MAX_ENTRY_FEN)} 元，请核对")
    return fen


def clean_text(value: str, field: str, required: bool = False) -> str:
    # Whitespace only: NFKC would turn the Chinese "，" into ",".
    text = re.sub(r"\s+", " ", check_text(value or "", field)).strip()
    if required and not text:
        raise ValidationError(field, "请填写")
    limit = _NAME_LIMITS.get(field)
    if limit and len(text) > limit:
        raise ValidationError(field, f"不能超过 {limit} 个字")
    return text


def check_account_name(name: str) -> str:
    return clean_text(name, "账户名称", required=True)


# ---------------------------------------------------------------- voucher numbers

def format_voucher(year: int, seq: int) -> str:
    return f"{year}-{seq:04d}"


def parse_voucher(text: str) -> tuple[int, int] | None:
    m = _VOUCHER.match(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def next_voucher(year: int, taken: Collection[str]) -> str:
    """One past the highest number used in `year` (gaps left by hand-typed numbers are not refilled)."""
    seqs = [p[1] for p in map(parse_voucher, taken) if p and p[0] == year]
    return format_voucher(year, max(seqs, default=0) + 1)


def normalize_voucher(text: str, entry_date: date) -> str:
    """A typed voucher number in its one spelling: "7" or "2024-7" → "2024-0007".

    Numbering runs per year, so the number must carry the entry's year.
    """
    s = unicodedata.normalize("NFKC", text or "").strip().replace("－", "-").replace(" ", "")
    for prefix in ("记字第", "记-", "记"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    s = s.removesuffix("号")
    if s.isdigit() and len(s) <= 6:
        s = f"{entry_date.year}-{s}"
    parsed = parse_voucher(s)
    if parsed is None or parsed[1] == 0:
        raise ValidationError("凭证号", f"“{text}”应写成 年份-序号，如 {format_voucher(entry_date.year, 12)}")
    year, seq = parsed
    if year != entry_date.year:
        raise ValidationError("凭证号", f"凭证号按年编号，{entry_date.year}年的账应以“{entry_date.year}-”开头")
    return format_voucher(year, seq)


# ---------------------------------------------------------------- closed months

def check_open(d: date, closed: Collection[date], what: str = "录入或更改") -> None:
    """Refuse any change dated inside a closed month."""
    if month_of(d) in closed:
        raise Conflict(f"{month_label(month_of(d))}已结账，不能再{what}该月的账目；请在未结账的月份记账更正")


def check_close(month: date, closed: Collection[date], first_entry_month: date | None, today: date) -> None:
    """A month closes once it has ended (or on its last day), after every earlier month with entries."""
    month = month_of(month)
    if month in closed:
        raise Conflict(f"{month_label(month)}已经结账")
    if month_end(month) > today:
        raise ValidationError("结账月份", f"{month_label(month)}尚未结束，月末最后一天起才能结账")
    if first_entry_month is not None:
        m = first_entry_month
        while m < month:
            if m not in closed:
                raise Conflict(f"请先结账{month_label(m)}：结账须按月份顺序进行")
            m = next_month(m)


# ---------------------------------------------------------------- reversals

@dataclass(frozen=True)
class ReversalFacts:
    """What the reversal rules need to know about the entry to reverse."""

    voucher_no: str
    entry_date: date
    amount_fen: int
    is_reversal: bool  # this entry itself reverses another
    reversed_by: str | None  # voucher number of an existing reversal of it


def check_reversal(original: ReversalFacts, on: date, closed: Collection[date], reason: str) -> str:
    """Validate a 红字冲销 of `original` dated `on`; return the cleaned reason."""
    if original.is_reversal:
        raise Conflict(f"凭证 {original.voucher_no} 本身是红字冲销，不能再冲销；如需恢复，请重新记一笔")
    if original.reversed_by:
        raise Conflict(f"凭证 {original.voucher_no} 已被凭证 {original.reversed_by} 冲销")
    if on < original.entry_date:
        raise ValidationError("冲销日期", "冲销日期不能早于原凭证日期")
    check_open(on, closed, "录入")
    reason = clean_text(reason, "冲销原因")
    if not reason:
        raise ValidationError("冲销原因", "请写明冲销原因，便于审计")
    return reason


def reversal_memo(voucher_no: str, reason: str) -> str:
    return f"红字冲销 {voucher_no}：{reason}"


def signed(direction: str, amount_fen: int) -> int:
    """The entry's effect on its account's balance."""
    return amount_fen if direction == INCOME else -amount_fen


# ---------------------------------------------------------------- budgets

@dataclass(frozen=True)
class BudgetState:
    level: str  # OK / NEAR / REACHED / OVER
    percent: int | None  # spent as a whole percentage of the budget (floor); None without a budget

    @property
    def warn(self) -> bool:
        return self.level != OK


def budget_state(budget_fen: int, spent_fen: int, warn_percent: int = WARN_PERCENT) -> BudgetState:
    """How far spending has come against a budget, in whole integers (no float)."""
    if budget_fen <= 0:
        return BudgetState(OVER if spent_fen > 0 else OK, None)
    percent = spent_fen * 100 // budget_fen
    if spent_fen > budget_fen:
        level = OVER
    elif spent_fen == budget_fen:
        level = REACHED
    elif spent_fen * 100 >= budget_fen * warn_percent:
        level = NEAR
    else:
        level = OK
    return BudgetState(level, percent)


def budget_message(account: str, category: str, year: int, budget_fen: int, spent_fen: int) -> str:
    state = budget_state(budget_fen, spent_fen)
    what = f"{account}{'·' + category if category else ''}{year}年预算"
    if state.level == OK:
        return ""
    if budget_fen <= 0:
        return f"{what}为 0，已支出 {format_yuan(spent_fen)} 元"
    left = budget_fen - spent_fen
    if state.level == OVER:
        return f"{what} {format_yuan(budget_fen)} 元，已支出 {format_yuan(spent_fen)} 元，超出 {format_yuan(-left)} 元"
    if state.level == REACHED:
        return f"{what} {format_yuan(budget_fen)} 元已全部用完"
    return f"{what}已用 {state.percent}%，剩余 {format_yuan(left)} 元"
