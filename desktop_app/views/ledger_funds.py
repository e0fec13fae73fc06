"""The year's books with 党费 apart: the one rule by which the 工作台 and the 年度收支 PDF count 经费.

党费 is kept apart from 党组织工作经费: its payments are the 党费收缴 figure already, so adding the
党费 account into 经费 would show the same money twice. 经费 are every account but the 党费 one
(domain.ledger.DUES_KIND); the 党费 account is shown beside them, never inside their 合计.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.views.ledger import AnnualSummary, StatementLine, total_line


@dataclass(frozen=True)
class YearFunds:
    summary: AnnualSummary
    dues_account_ids: frozenset[str]

    @property
    def center_name(self) -> str:
        return self.summary.center_name

    @property
    def year(self) -> int:
        return self.summary.year

    def is_dues(self, account_id: str | None) -> bool:
        return account_id in self.dues_account_ids

    @property
    def funds(self) -> tuple[StatementLine, ...]:
        """Every account but 党费, in the books' order."""
        return tuple(x for x in self.summary.lines if not self.is_dues(x.account_id))

    @property
    def dues(self) -> tuple[StatementLine, ...]:
        return tuple(x for x in self.summary.lines if self.is_dues(x.account_id))

    @property
    def funds_total(self) -> StatementLine:
        """合计（不含党费）: what the 工作台's 经费收入 / 经费支出 show."""
        return total_line(self.funds)

    @property
    def dues_total(self) -> StatementLine:
        return total_line(self.dues)


__all__ = ["YearFunds"]
