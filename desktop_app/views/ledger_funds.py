"""The books with 党费 apart: the one rule by which the 工作台, the 年度收支 PDF and the 经费台账's 月报 count 经费.

党费 is kept apart from 党组织工作经费: its payments are the 党费收缴 figure already, so adding the
党费 account into 经费 would show the same money twice. 经费 are every account but the 党费 one
(domain.ledger.DUES_KIND); the 党费 account is shown beside them, never inside their 合计.
A year (YearFunds) and a month (MonthFunds) are split alike (FundsSplit).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from desktop_app.views.ledger import AnnualSummary, MonthStatement, StatementLine, total_line

FUNDS_TOTAL = "合计（不含党费）"
GRAND_TOTAL = "总计（含党费）"


class FundsSplit:
    """Statement lines of every account, split into 经费 and 党费 by the 党费 accounts' ids."""

    dues_account_ids: frozenset[str]
    books: ClassVar[str]  # the field holding the statement (a year's, a month's) whose lines are split

    @property
    def lines(self) -> tuple[StatementLine, ...]:
        return getattr(self, self.books).lines

    def is_dues(self, account_id: str | None) -> bool:
        return account_id in self.dues_account_ids

    @property
    def funds(self) -> tuple[StatementLine, ...]:
        """Every account but 党费, in the books' order."""
        return tuple(x for x in self.lines if not self.is_dues(x.account_id))

    @property
    def dues(self) -> tuple[StatementLine, ...]:
        return tuple(x for x in self.lines if self.is_dues(x.account_id))

    @property
    def funds_total(self) -> StatementLine:
        """合计（不含党费）: what the 工作台's 经费收入 / 经费支出 show."""
        return total_line(self.funds)

    @property
    def dues_total(self) -> StatementLine:
        return total_line(self.dues)

    @property
    def total(self) -> StatementLine:
        """总计（含党费）: every account."""
        return total_line(self.lines)

    @property
    def rows(self) -> tuple[StatementLine, ...]:
        """The accounts as the books show them: 经费, 合计（不含党费）, then 党费 and 总计（含党费） when kept."""
        rows = [*self.funds, replace(self.funds_total, account_name=FUNDS_TOTAL)]
        if self.dues:
            rows += [*self.dues, replace(self.total, account_name=GRAND_TOTAL)]
        return tuple(rows)


@dataclass(frozen=True)
class YearFunds(FundsSplit):
    summary: AnnualSummary
    dues_account_ids: frozenset[str]
    books: ClassVar[str] = "summary"

    @property
    def center_name(self) -> str:
        return self.summary.center_name

    @property
    def year(self) -> int:
        return self.summary.year


@dataclass(frozen=True)
class MonthFunds(FundsSplit):
    """The 经费台账's 月报: a month's statement split as the year's is."""

    statement: MonthStatement
    dues_account_ids: frozenset[str]
    books: ClassVar[str] = "statement"


__all__ = ["FUNDS_TOTAL", "GRAND_TOTAL", "FundsSplit", "MonthFunds", "YearFunds"]
