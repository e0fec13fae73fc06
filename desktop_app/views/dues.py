"""Read models of 党费: month states, the branch's yearly grid, arrears, bases, payment results.

What the dues services return and the 党费收缴登记表 report renders; plain
frozen dataclasses over integer fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain import dues as rules
from desktop_app.domain.money import format_yuan

PAID, PARTIAL, OWED, CURRENT, FUTURE, EXEMPT, NONE = "paid", "partial", "owed", "current", "future", "exempt", "none"
STATE_LABELS = {
    PAID: "已交", PARTIAL: "少交", OWED: "欠交", CURRENT: "本月未交", FUTURE: "", EXEMPT: "免交", NONE: "",
}
# The marks of a month's cell, one legend for the 党费 page and the printed 党费收缴登记表: after the amount
# paid, LATE_MARK for a back-payment beyond six months and SHORT_MARK for a month paid short; a month with
# nothing paid shows its UNPAID_MARKS entry (欠 past and unpaid, 免 exempted), or nothing.
LATE_MARK, SHORT_MARK = "*", "#"
UNPAID_MARKS = {OWED: "欠", EXEMPT: "免"}


def month_text(c: "MonthCell") -> str:
    """A month's cell as the legend says: the amount paid with its marks (少交 and 补交 can both hold),
    the unpaid mark, or nothing."""
    if c.state in (PAID, PARTIAL):
        return (format_yuan(c.paid_fen) + (SHORT_MARK if c.state == PARTIAL else "")
                + (LATE_MARK if c.late else ""))
    return UNPAID_MARKS.get(c.state, "")


@dataclass(frozen=True)
class DuesBaseInfo:
    id: str
    member_id: str
    effective_from: date
    category: str
    income_fen: int
    fixed_due_fen: int | None
    quarterly_consent: bool
    note: str
    due_fen: int  # the monthly due this base gives in its first month
    basis: str


@dataclass(frozen=True)
class MonthCell:
    month: date
    state: str  # PAID / PARTIAL / OWED / CURRENT / FUTURE / EXEMPT / NONE
    due_fen: int = 0
    paid_fen: int = 0
    paid_on: date | None = None
    collected_by: str = ""
    late: bool = False  # paid more than six months after the month (补交超过6个月)
    record_id: str | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GridRow:
    member_id: str
    seq: int
    name: str
    category: str  # dues category in force for the latest month of the year shown ("" without a base)
    income_fen: int
    monthly_due_fen: int
    basis: str
    cells: tuple[MonthCell, ...]  # 12 months
    quarterly_consent: bool = False
    rate_label: str = ""  # "1%", "定额", "自定", "免交", "少交"
    base_from: date | None = None  # the month the base shown took effect (None without a base)

    @property
    def paid_fen(self) -> int:
        return sum(c.paid_fen for c in self.cells)

    @property
    def owed_fen(self) -> int:
        return sum(c.due_fen - c.paid_fen for c in self.cells if c.state in (OWED, PARTIAL))

    @property
    def has_base(self) -> bool:
        return bool(self.category)


@dataclass(frozen=True)
class DuesGrid:
    """党费收缴登记表 data: one branch, one year, members × 12 months."""

    center_name: str
    org_id: str
    org_name: str
    year: int
    today: date
    rows: tuple[GridRow, ...]

    def month_paid(self, m: int) -> int:
        return sum(r.cells[m - 1].paid_fen for r in self.rows)

    @property
    def paid_fen(self) -> int:
        return sum(r.paid_fen for r in self.rows)

    @property
    def owed_fen(self) -> int:
        return sum(r.owed_fen for r in self.rows)


@dataclass(frozen=True)
class ArrearsRow:
    member_id: str
    name: str
    org_id: str | None
    org_name: str
    months: tuple[date, ...]  # past months not (fully) paid
    owed_fen: int
    trailing_months: int  # consecutive unpaid months up to last month
    last_paid: date | None
    status: str

    @property
    def lapse_risk(self) -> bool:
        """党章第三十八条: six months in a row without dues (and without good reason)."""
        return self.trailing_months >= rules.LAPSE_MONTHS

    @property
    def months_text(self) -> str:
        return rules.months_label(self.months)


@dataclass(frozen=True)
class NoBaseRow:
    member_id: str
    name: str
    org_name: str


@dataclass(frozen=True)
class PaymentResult:
    voucher_no: str
    entry_id: str | None
    total_fen: int
    records: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceiptLine:
    month: date
    due_fen: int
    paid_fen: int


@dataclass(frozen=True)
class DuesReceipt:
    """党费收据: one member's one payment (every month it covered), as the 存根 and the 收据 print it."""

    number: str
    center_name: str
    branch_name: str
    member_name: str
    id_number: str  # masked unless the reader may see it whole
    lines: tuple[ReceiptLine, ...]
    paid_on: date
    collected_by: str
    voucher_no: str
    printed_on: date

    @property
    def total_fen(self) -> int:
        return sum(x.paid_fen for x in self.lines)

    @property
    def months(self) -> tuple[date, ...]:
        return tuple(x.month for x in self.lines)

    @property
    def months_text(self) -> str:
        return rules.months_label(self.months)

    @property
    def total_words(self) -> str:
        return rules.receipt_amount_words(self.total_fen)


__all__ = [
    "CURRENT", "EXEMPT", "FUTURE", "LATE_MARK", "NONE", "OWED", "PAID", "PARTIAL", "SHORT_MARK", "STATE_LABELS",
    "UNPAID_MARKS", "ArrearsRow", "DuesBaseInfo", "DuesGrid", "DuesReceipt", "GridRow", "MonthCell", "NoBaseRow", "PaymentResult",
    "ReceiptLine",
]
