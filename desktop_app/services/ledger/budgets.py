"""Budgets (预算) of an account or one of its spending categories, against actual spending."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ledger import EXPENSE
from desktop_app.services import auth
from desktop_app.services.ledger.books import chosen_book, in_book, live_account
from desktop_app.services.ledger.month_balances import activity
from desktop_app.services.records import settle, tombstone, unchanged_since, upsert
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database, take_write_lock
from desktop_app.store.models_ledger import Account, Budget, LedgerEntry
from desktop_app.views.ledger import BudgetLine


def budget_spent(s: Session, account_id: str, year: int, category: str = "") -> int:
    q = select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
        LedgerEntry.account_id == account_id,
        LedgerEntry.direction == EXPENSE,
        LedgerEntry.entry_date >= date(year, 1, 1),
        LedgerEntry.entry_date <= date(year, 12, 31),
        LedgerEntry.deleted.is_(False),
    )
    if category:
        q = q.where(LedgerEntry.category == category)
    return int(s.scalar(q) or 0)


def budget_warnings(s: Session, acc: Account, year: int, category: str) -> list[str]:
    out = []
    budgets = s.execute(
        select(Budget.category, Budget.amount_fen).where(
            Budget.account_id == acc.id, Budget.year == year, Budget.deleted.is_(False),
            Budget.category.in_(["", category]),
        ).order_by(Budget.category)
    ).all()
    for cat, amount in budgets:
        spent = budget_spent(s, acc.id, year, cat)
        msg = rules.budget_message(acc.name, cat, year, amount, spent)
        if msg:
            out.append(msg)
    return out


def set_budget(
    db: Database, account_id: str, year: int, amount_fen: int, category: str = "", note: str = "", *,
    expected_version: int | None = None,
) -> BudgetLine:
    """Set (or change) a year's budget for an account as a whole or one spending category.

    `expected_version`: the version of this budget line the form was read at (0: the form showed
    spending with no budget); a budget set, changed or removed since is refused (None: not checked)."""
    auth.require(db, "ledger.write")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise TypeError("amount must be int fen")
    if amount_fen < 0:
        raise ValidationError("预算金额", "不能为负数")
    if not 2000 <= year <= 2100:
        raise ValidationError("年度", "年份不合理")
    category = rules.clean_text(category, "类别")
    with UnitOfWork(db) as uow:
        s = uow.session
        acc = live_account(s, account_id)
        if expected_version is not None:
            _unchanged_since_read(s, acc, year, category, expected_version)
        row = upsert(s, Budget, {"account_id": acc.id, "year": year, "category": category},
                     {"amount_fen": amount_fen, "note": (note or "").strip()})
        return settle(uow, lambda s: BudgetLine(acc.id, acc.name, year, category, amount_fen,
                                                budget_spent(s, acc.id, year, category), row.note, row.id,
                                                row.version))


def carry_budgets(db: Database, from_year: int, to_year: int) -> list[BudgetLine]:
    """沿用上年预算: `from_year`'s budget lines set for `to_year` at the same amounts and notes, where
    `to_year` has no line of that account and category yet (one set already is kept); lines of accounts
    stopped since are left behind. Returns the lines set; nothing to carry is said, not done silently."""
    auth.require(db, "ledger.write")
    if not 2000 <= to_year <= 2100:
        raise ValidationError("年度", "年份不合理")
    with UnitOfWork(db) as uow:
        s = uow.session
        book = chosen_book(s, None)
        take_write_lock(s)  # a line set meanwhile is seen here, not overwritten
        live = {a.id: a for a in s.scalars(select(Account).where(
            in_book(Account.org_id, book), Account.deleted.is_(False), Account.active.is_(True)))}

        def lines(year: int) -> list[Budget]:
            return list(s.scalars(select(Budget).where(
                Budget.year == year, Budget.deleted.is_(False), Budget.account_id.in_(list(live)))))

        have = {(b.account_id, b.category) for b in lines(to_year)}
        source = [b for b in lines(from_year) if (b.account_id, b.category) not in have]
        if not source:
            raise ValidationError("预算", f"{from_year}年没有可沿用的预算" if not lines(from_year) else
                                  f"{to_year}年的预算已全部设置，没有需要沿用的")
        rows = [upsert(s, Budget, {"account_id": b.account_id, "year": to_year, "category": b.category},
                       {"amount_fen": b.amount_fen, "note": b.note}) for b in source]
        return settle(uow, lambda s: [BudgetLine(r.account_id, live[r.account_id].name, to_year, r.category,
                                                 r.amount_fen, budget_spent(s, r.account_id, to_year, r.category),
                                                 r.note, r.id, r.version) for r in rows])


def _unchanged_since_read(s: Session, acc: Account, year: int, category: str, expected_version: int) -> None:
    take_write_lock(s)  # before reading the line: a budget set meanwhile is seen here or waits for this save
    row = s.scalar(select(Budget).filter_by(account_id=acc.id, year=year, category=category))
    if row is not None and (expected_version or not row.deleted):  # a form read with no budget: none may be live
        unchanged_since(s, row, expected_version, f"{year}年预算 {acc.name}{'·' + category if category else ''}")


def remove_budget(db: Database, budget_id: str) -> None:
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        tombstone(uow.session, Budget, budget_id, "该预算不存在")
        uow.commit()


def budget_lines(s: Session, book: str | None, year: int,
                 spending: dict[tuple[str, str], int] | None = None) -> list[BudgetLine]:
    """Budget lines of the year; `spending`: (account, category) → expense, when the caller has summed it."""
    accounts = {
        a.id: a
        for a in s.scalars(select(Account).where(in_book(Account.org_id, book), Account.deleted.is_(False)))
    }
    if spending is None:
        spending = defaultdict(int)
        for t in activity(s, book, date(year, 1, 1), date(year, 12, 31)):
            if t.direction == EXPENSE:
                spending[(t.account_id, t.category)] += t.amount_fen
    spent: dict[tuple[str, str], int] = defaultdict(int)
    for (acc_id, cat), v in spending.items():
        spent[(acc_id, cat)] += v
        if cat:
            spent[(acc_id, "")] += v
    budgets = s.scalars(
        select(Budget).where(Budget.year == year, Budget.deleted.is_(False), Budget.account_id.in_(list(accounts)))
    ).all()
    out: list[BudgetLine] = []
    budgeted_accounts = {b.account_id for b in budgets}
    have = {(b.account_id, b.category) for b in budgets}
    for b in budgets:
        out.append(BudgetLine(b.account_id, accounts[b.account_id].name, year, b.category, b.amount_fen,
                              spent.get((b.account_id, b.category), 0), b.note, b.id, b.version))
    # Spending in a budgeted account that no category line covers: the auditor's first question.
    for (acc_id, cat), v in spent.items():
        if cat and acc_id in budgeted_accounts and (acc_id, cat) not in have and v:
            cat_lines = any(k[0] == acc_id and k[1] for k in have)
            if cat_lines:
                out.append(BudgetLine(acc_id, accounts[acc_id].name, year, cat, None, v))
    order = {a.id: (a.sort_order, a.name) for a in accounts.values()}
    out.sort(key=lambda x: (order[x.account_id], x.category != "", x.budget_fen is None, x.category))
    return out


def budget_report(db: Database, year: int, *, book: str | None = None) -> list[BudgetLine]:
    """Budget against actual spending per account (category "") and per category, with levels."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        return budget_lines(s, chosen_book(s, book), year)
