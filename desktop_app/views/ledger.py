"""Read models of the 经费台账: what the ledger services return and the ledger reports render.

Plain frozen dataclasses over integer fen, so the GUI, the command line, the
PDF reports and the XLSX writer can share them without reaching the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from desktop_app.domain import ledger as rules
from desktop_app.domain.ledger import EXPENSE, INCOME
from desktop_app.domain.money import amount_in_capitals


@dataclass(frozen=True)
class AccountInfo:
    id: str
    name: str
    kind: str
    sort_order: int
    active: bool
    note: str
    version: int = 0  # as read: the 修改账户 form's save is refused over a later change

    @property
    def is_dues(self) -> bool:
        return self.kind == rules.DUES_KIND


@dataclass(frozen=True)
class EntryRow:
    id: str
    voucher_no: str
    entry_date: date
    account_id: str
    account_name: str
    direction: str
    amount_fen: int
    category: str
    counterparty: str
    handler: str
    entered_by: str
    memo: str
    reversal_of: str | None = None
    reversal_of_voucher: str = ""
    reversed_by: str | None = None
    reversed_by_voucher: str = ""
    project_id: str | None = None
    meeting_id: str | None = None
    activity_id: str | None = None
    attachments: int = 0
    created_at: datetime | None = None
    updated_by_site: str = ""
    month_closed: bool = False
    is_dues: bool = False  # a 党费收缴 posted by the dues service

    @property
    def signed_fen(self) -> int:
        return rules.signed(self.direction, self.amount_fen)

    @property
    def income_fen(self) -> int:
        return self.amount_fen if self.direction == INCOME else 0

    @property
    def expense_fen(self) -> int:
        return self.amount_fen if self.direction == EXPENSE else 0

    @property
    def is_reversal(self) -> bool:
        return self.reversal_of is not None

    @property
    def can_reverse(self) -> bool:
        return not self.is_reversal and self.reversed_by is None

    @property
    def summary(self) -> str:
        return summary_text(self.category, self.memo, self.is_reversal)


def summary_text(category: str, memo: str, is_reversal: bool) -> str:
    """摘要 as the books print it: the category, then the memo (a 红字冲销: its memo, which names the original)."""
    if category and memo and not is_reversal:
        return f"{category}：{memo}"
    return memo or category


@dataclass(frozen=True)
class PostResult:
    entry: EntryRow
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountBalance:
    account_id: str
    name: str
    kind: str
    active: bool
    income_fen: int  # everything received up to the date
    expense_fen: int
    balance_fen: int


@dataclass(frozen=True)
class BudgetLine:
    account_id: str
    account_name: str
    year: int
    category: str  # "" = the account as a whole
    budget_fen: int | None  # None: spending with no budget line
    spent_fen: int
    note: str = ""
    budget_id: str | None = None
    version: int = 0  # the budget line's, as read (0: no budget line): a form saving it passes it back

    @property
    def state(self) -> rules.BudgetState:
        if self.budget_fen is None:
            return rules.BudgetState("无预算", None)
        return rules.budget_state(self.budget_fen, self.spent_fen)

    @property
    def remaining_fen(self) -> int | None:
        return None if self.budget_fen is None else self.budget_fen - self.spent_fen

    @property
    def message(self) -> str:
        if self.budget_fen is None:
            return f"{self.account_name}·{self.category}未列预算，已支出" if self.spent_fen else ""
        return rules.budget_message(self.account_name, self.category, self.year, self.budget_fen, self.spent_fen)


@dataclass(frozen=True)
class StatementLine:
    account_id: str
    account_name: str
    opening_fen: int
    income_fen: int
    expense_fen: int

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.income_fen - self.expense_fen


@dataclass(frozen=True)
class CategoryTotal:
    account_id: str
    account_name: str
    direction: str
    category: str
    amount_fen: int


@dataclass(frozen=True)
class MonthStatement:
    month: date
    closed: bool
    lines: tuple[StatementLine, ...]
    categories: tuple[CategoryTotal, ...]
    entry_count: int

    @property
    def total(self) -> StatementLine:
        return total_line(self.lines)


@dataclass(frozen=True)
class MonthTotal:
    month: date
    income_fen: int
    expense_fen: int
    closed: bool


@dataclass(frozen=True)
class AnnualSummary:
    year: int
    center_name: str
    lines: tuple[StatementLine, ...]
    categories: tuple[CategoryTotal, ...]
    months: tuple[MonthTotal, ...]
    budgets: tuple[BudgetLine, ...]
    entry_count: int
    reversal_count: int

    @property
    def total(self) -> StatementLine:
        return total_line(self.lines)


class LedgerLine(NamedTuple):
    """One entry as the 收支明细账 prints it, with the account's balance after it.

    A tuple rather than an EntryRow: a year of a busy account is thousands of
    lines, and the book needs only what it prints (a 红字冲销's negative amount
    stays in its entry's column, so each column adds up as printed).
    """

    entry_date: date
    voucher_no: str
    summary: str  # 摘要 (summary_text)
    counterparty: str
    income_fen: int
    expense_fen: int
    is_reversal: bool
    balance_fen: int  # the account's balance after this line
    reversed_by_voucher: str = ""  # the 红字冲销 that cancels this entry, if any


@dataclass(frozen=True)
class AccountLedger:
    """收支明细账 of one account for a period, with running balance (the report's data)."""

    center_name: str
    account_id: str
    account_name: str
    date_from: date
    date_to: date
    opening_fen: int
    lines: tuple[LedgerLine, ...]
    closed_months: tuple[date, ...] = ()

    @property
    def income_fen(self) -> int:
        return sum(x.income_fen for x in self.lines)

    @property
    def expense_fen(self) -> int:
        return sum(x.expense_fen for x in self.lines)

    @property
    def closing_fen(self) -> int:
        return self.lines[-1].balance_fen if self.lines else self.opening_fen

    def running(self) -> list[tuple[LedgerLine, int]]:
        return [(x, x.balance_fen) for x in self.lines]


@dataclass(frozen=True)
class VoucherData:
    center_name: str
    entry: EntryRow
    attachment_names: tuple[str, ...] = ()

    @property
    def capitals(self) -> str:
        return amount_in_capitals(self.entry.amount_fen)


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    entry_id: str
    file_name: str
    path: Path
    size: int
    sha256: str
    note: str


def total_line(lines: Sequence[StatementLine]) -> StatementLine:
    return StatementLine(
        "", "合计",
        sum(x.opening_fen for x in lines), sum(x.income_fen for x in lines), sum(x.expense_fen for x in lines),
    )


__all__ = [
    "AccountBalance", "AccountInfo", "AccountLedger", "AnnualSummary", "AttachmentInfo", "BudgetLine",
    "CategoryTotal", "EntryRow", "LedgerLine", "MonthStatement", "MonthTotal", "PostResult", "StatementLine",
    "VoucherData", "summary_text", "total_line",
]
