"""Read models over the books: balances, the month's statement, the year's summary, an account's ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import extract, func, select
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
    in_book,
    live_account,
    signed_sum,
    site_name,
)
from desktop_app.services.ledger.budgets import budget_lines
from desktop_app.services.ledger.entries import entry_query, entry_rows
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


def _openings(s: Session, account_ids: Sequence[str], before: date) -> dict[str, int]:
    # By account ids (not org_id) so SQLite answers from ix_ledger_entry_account_date alone.
    return {
        acc: int(v or 0)
        for acc, v in s.execute(
            select(LedgerEntry.account_id, signed_sum())
            .where(LedgerEntry.account_id.in_(list(account_ids)), LedgerEntry.entry_date < before,
                   LedgerEntry.deleted.is_(False))
            .group_by(LedgerEntry.account_id)
        )
    }


def _period_sums(s: Session, book: str | None, first: date, last: date, by_month: bool = False):
    cols = [LedgerEntry.account_id, LedgerEntry.direction, LedgerEntry.category]
    if by_month:
        cols.append(extract("month", LedgerEntry.entry_date).label("m"))
    return s.execute(
        select(*cols, func.sum(LedgerEntry.amount_fen), func.count())
        .where(
            in_book(LedgerEntry.org_id, book), LedgerEntry.entry_date >= first, LedgerEntry.entry_date <= last,
            LedgerEntry.deleted.is_(False),
        )
        .group_by(*cols)
    ).all()


def _statement(s: Session, book: str | None, first: date, last: date, by_month: bool = False):
    accounts = accounts_in_order(s, book)
    names = {a.id: a.name for a in accounts}
    openings = _openings(s, [a.id for a in accounts], first)
    inc: dict[str, int] = defaultdict(int)
    exp: dict[str, int] = defaultdict(int)
    cats: dict[tuple[str, str, str], int] = defaultdict(int)
    months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    count = 0
    for row in _period_sums(s, book, first, last, by_month):
        acc, direction, cat = row[0], row[1], row[2]
        amount, n = int(row[-2] or 0), int(row[-1])
        count += n
        (inc if direction == INCOME else exp)[acc] += amount
        cats[(acc, direction, cat)] += amount
        if by_month:
            months[int(row[3])][0 if direction == INCOME else 1] += amount
    lines = tuple(StatementLine(a.id, a.name, openings.get(a.id, 0), inc[a.id], exp[a.id]) for a in accounts)
    order = {a.id: i for i, a in enumerate(accounts)}
    cat_rows = tuple(
        CategoryTotal(acc, names.get(acc, ""), d, c, v)
        for (acc, d, c), v in sorted(cats.items(), key=lambda kv: (order.get(kv[0][0], 999), kv[0][1] != INCOME, kv[0][2]))
        if v
    )
    return lines, cat_rows, months, count


def monthly_statement(db: Database, year: int, month: int, *, book: str | None = None) -> MonthStatement:
    """A month's opening balance, income, expense and closing balance per account, and category totals."""
    auth.require(db, "ledger.read")
    first = date(year, month, 1)
    last = rules.month_end(first)
    ensure_accounts(db)
    with db.session() as s:
        book = chosen_book(s, book)
        lines, cats, _, count = _statement(s, book, first, last)
        return MonthStatement(first, first in closed_set_in(s, book), lines, cats, count)


def yearly_statement(db: Database, year: int, *, book: str | None = None) -> AnnualSummary:
    """The year's summary: per account 上年结转, income, expense, balance; categories; months; budgets."""
    auth.require(db, "ledger.read")
    first, last = date(year, 1, 1), date(year, 12, 31)
    ensure_accounts(db)
    community = book
    with db.session() as s:
        book = chosen_book(s, book)
        lines, cats, months, count = _statement(s, book, first, last, by_month=True)
        closed = closed_set_in(s, book)
        month_rows = tuple(
            MonthTotal(date(year, m, 1), months[m][0], months[m][1], date(year, m, 1) in closed) for m in range(1, 13)
        )
        reversals = s.scalar(
            select(func.count()).select_from(LedgerEntry).where(
                in_book(LedgerEntry.org_id, book), LedgerEntry.reversal_of.is_not(None),
                LedgerEntry.entry_date >= first, LedgerEntry.entry_date <= last,
            )
        ) or 0
        name = site_name(s) if community is None else s.get(Organization, community).name
        return AnnualSummary(
            year, name, lines, cats, month_rows, tuple(budget_lines(s, book, year)), count, int(reversals)
        )


def account_ledger(db: Database, account_id: str, date_from: date, date_to: date) -> AccountLedger:
    """收支明细账 data: opening balance at `date_from`, every entry to `date_to`, in order."""
    auth.require(db, "ledger.read")
    if date_to < date_from:
        raise ValidationError("截止日期", "截止日期不能早于起始日期")
    with db.session() as s:
        acc = live_account(s, account_id)
        closed = closed_set_in(s, acc.org_id)
        opening = balance_at(s, acc.id, date_from - timedelta(days=1))
        q = entry_query().where(
            LedgerEntry.account_id == acc.id, LedgerEntry.entry_date >= date_from, LedgerEntry.entry_date <= date_to,
            LedgerEntry.deleted.is_(False),
        ).order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)
        entries = tuple(entry_rows(s, q, closed))
        name = site_name(s)
        return AccountLedger(name, acc.id, acc.name, date_from, date_to, opening, entries, tuple(sorted(closed)))
