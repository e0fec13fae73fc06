"""Read models over the books: balances, the month's statement, the year's summary, an account's ledger."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import EXPENSE, INCOME
from desktop_app.services import auth
from desktop_app.services.ledger.books import (
    accounts_in_order,
    balance_at,
    chosen_book,
    closed_set_in,
    ensure_accounts,
    live_account,
)
from desktop_app.services.ledger.budgets import budget_lines
from desktop_app.services.ledger.entries import ledger_lines
from desktop_app.services.ledger.month_balances import activity, built_months, opening_balance, signed_totals
from desktop_app.services.site import center_name
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_ledger import LedgerEntry
from desktop_app.views.ledger import (
    AccountBalance,
    AccountLedger,
    AnnualSummary,
    CategoryTotal,
    MonthStatement,
    MonthTotal,
    StatementLine,
)
from desktop_app.views.ledger_funds import MonthFunds, YearFunds


def balance(db: Database, account_id: str, on: date | None = None) -> int:
    """An account's balance in fen at the end of day `on` (default today)."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        live_account(s, account_id)
        return balance_at(s, account_id, on or date.today())


def balances(db: Database, on: date | None = None, *, book: str | None = None) -> list[AccountBalance]:
    """Every account's income, expense and balance up to and including `on` (`book`: a community's, at a street)."""
    auth.require(db, "ledger.read")
    on = on or date.today()
    ensure_accounts(db)
    with db.session() as s:
        book = chosen_book(s, book)
        accounts = accounts_in_order(s, book)
        sums = {
            (acc, d): int(v or 0)
            for acc, d, v in s.execute(
                select(LedgerEntry.account_id, LedgerEntry.direction, func.sum(LedgerEntry.amount_fen))
                .where(LedgerEntry.account_id.in_([a.id for a in accounts]), LedgerEntry.entry_date <= on,
                       LedgerEntry.deleted.is_(False))
                .group_by(LedgerEntry.account_id, LedgerEntry.direction)
            )
        }
        out = []
        for a in accounts:
            inc, exp = sums.get((a.id, INCOME), 0), sums.get((a.id, EXPENSE), 0)
            out.append(AccountBalance(a.id, a.name, a.kind, a.active, inc, exp, inc - exp))
        return out


def _statement(s: Session, book: str | None, first: date, last: date, by_month: bool = False):
    # Closed months come from their month balances, the other days from their entries (month_balances).
    accounts = accounts_in_order(s, book)
    names = {a.id: a.name for a in accounts}
    built = built_months(s, book)
    openings = signed_totals(s, book, [a.id for a in accounts], first, built)
    inc: dict[str, int] = defaultdict(int)
    exp: dict[str, int] = defaultdict(int)
    cats: dict[tuple[str, str, str], int] = defaultdict(int)
    months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    count = reversals = 0
    for t in activity(s, book, first, last, by_month=by_month, built=built):
        count += t.entries
        reversals += t.reversals
        (inc if t.direction == INCOME else exp)[t.account_id] += t.amount_fen
        cats[(t.account_id, t.direction, t.category)] += t.amount_fen
        if by_month:
            months[t.month][0 if t.direction == INCOME else 1] += t.amount_fen
    lines = tuple(StatementLine(a.id, a.name, openings.get(a.id, 0), inc[a.id], exp[a.id]) for a in accounts)
    order = {a.id: i for i, a in enumerate(accounts)}
    cat_rows = tuple(
        CategoryTotal(acc, names.get(acc, ""), d, c, v)
        for (acc, d, c), v in sorted(cats.items(), key=lambda kv: (order.get(kv[0][0], 999), kv[0][1] != INCOME, kv[0][2]))
        if v
    )
    return lines, cat_rows, months, count, reversals


def monthly_statement(db: Database, year: int, month: int, *, book: str | None = None) -> MonthStatement:
    """A month's opening balance, income, expense and closing balance per account, and category totals."""
    auth.require(db, "ledger.read")
    first = date(year, month, 1)
    last = rules.month_end(first)
    ensure_accounts(db)
    with db.session() as s:
        book = chosen_book(s, book)
        lines, cats, _, count, _ = _statement(s, book, first, last)
        return MonthStatement(first, first in closed_set_in(s, book), lines, cats, count)


def yearly_statement(db: Database, year: int, *, book: str | None = None) -> AnnualSummary:
    """The year's summary: per account 上年结转, income, expense, balance; categories; months; budgets."""
    auth.require(db, "ledger.read")
    first, last = date(year, 1, 1), date(year, 12, 31)
    ensure_accounts(db)
    community = book
    with db.session() as s:
        book = chosen_book(s, book)
        lines, cats, months, count, reversals = _statement(s, book, first, last, by_month=True)
        spending = {(c.account_id, c.category): c.amount_fen for c in cats if c.direction == EXPENSE}
        closed = closed_set_in(s, book)
        month_rows = tuple(
            MonthTotal(date(year, m, 1), months[m][0], months[m][1], date(year, m, 1) in closed) for m in range(1, 13)
        )
        name = center_name(s) if community is None else s.get(Organization, community).name
        return AnnualSummary(
            year, name, lines, cats, month_rows, tuple(budget_lines(s, book, year, spending)), count, reversals
        )


def _dues_accounts(db: Database, book: str | None) -> frozenset[str]:
    with db.session() as s:
        return frozenset(a.id for a in accounts_in_order(s, chosen_book(s, book)) if a.kind == rules.DUES_KIND)


def yearly_funds(db: Database, year: int, *, book: str | None = None) -> YearFunds:
    """The year's summary with the 党费 account apart (views.ledger_funds): 经费 as the 工作台 and the PDF count them."""
    return YearFunds(yearly_statement(db, year, book=book), _dues_accounts(db, book))


def monthly_funds(db: Database, year: int, month: int, *, book: str | None = None) -> MonthFunds:
    """The month's statement with the 党费 account apart, split as yearly_funds splits the year (the 经费台账's 月报)."""
    return MonthFunds(monthly_statement(db, year, month, book=book), _dues_accounts(db, book))


def account_ledger(db: Database, account_id: str, date_from: date, date_to: date) -> AccountLedger:
    """收支明细账 data: opening balance at `date_from`, every entry to `date_to`, in order."""
    auth.require(db, "ledger.read")
    if date_to < date_from:
        raise ValidationError("截止日期", "截止日期不能早于起始日期")
    with db.session() as s:
        acc = live_account(s, account_id)
        closed = closed_set_in(s, acc.org_id)
        # The month balances of the closed months before `date_from`, entries only for the other days.
        opening = opening_balance(s, acc.id, date_from)
        lines = tuple(ledger_lines(s, acc, date_from, date_to, opening))
        name = center_name(s)
        return AccountLedger(name, acc.id, acc.name, date_from, date_to, opening, lines, tuple(sorted(closed)))
