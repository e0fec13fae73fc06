"""Month balances: a closed month's totals, kept so yearly figures need not read every entry.

A closed month (结账) takes no more entries, so its totals per account,
direction and category cannot change while it stays closed. `close_month`
builds them in its own transaction, as do the history import and the demo
for the months they close (`build_closed_in`); `rebuild_balances` builds every closed
month afresh (after an upgrade, an import of history, a merge, or simply to be
sure). A row is trusted only while the ClosedMonth row it was built from is
live at the same version, so a reopened month falls back to its entries until
it is closed and built again.

Reads (`activity`) take the rows of the built months wholly inside a period
and the entries of every other day of it, and give exactly what summing the
entries gives (tests/integration/test_ledger_month_balances.py compares them
over random postings, closings and reopenings).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import Date, and_, bindparam, case, delete, extract, func, insert, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.ledger import INCOME
from desktop_app.services import auth
from desktop_app.services.ledger.books import in_book, signed_sum
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import Account, ClosedMonth, LedgerEntry, LedgerMonthBalance

_B = LedgerMonthBalance
_E = LedgerEntry


class Total(NamedTuple):
    """Money moved in a period for one account, direction and category (and month of the year, if asked)."""

    account_id: str
    direction: str
    category: str
    month: int | None  # 1-12 when asked by month, else None
    amount_fen: int
    entries: int
    reversals: int

    @property
    def signed_fen(self) -> int:
        return self.amount_fen if self.direction == INCOME else -self.amount_fen


# ---------------------------------------------------------------- building

def build_month_in(s: Session, closed: ClosedMonth, *, replace: bool = True) -> int:
    """Write the month's rows from its entries (inside the caller's transaction); returns the rows written."""
    s.flush()  # the ClosedMonth row's id and version are stamped on flush
    book, month = closed.org_id, closed.month
    if replace:
        s.execute(delete(_B).where(in_book(_B.org_id, book), _B.month == month))
    sums = s.execute(
        select(_E.account_id, _E.direction, _E.category, func.sum(_E.amount_fen), func.count(), func.count(_E.reversal_of))
        .where(in_book(_E.org_id, book), _E.entry_date >= month, _E.entry_date <= rules.month_end(month),
               _E.deleted.is_(False))
        .group_by(_E.account_id, _E.direction, _E.category)
    ).all()
    now = utcnow()
    stamp = {"org_id": book, "month": month, "closed_month_id": closed.id, "closed_version": closed.version,
             "built_at": now}
    rows = [{**stamp, "id": new_id(), "account_id": acc, "direction": d, "category": c, "amount_fen": int(v or 0),
             "entries": int(n), "reversals": int(r)} for acc, d, c, v, n, r in sums]
    # Every account gets a row, idle ones a zero: a built month is known by its rows.
    busy = {r["account_id"] for r in rows}
    for acc in s.scalars(select(Account.id).where(in_book(Account.org_id, book))):
        if acc not in busy:
            rows.append({**stamp, "id": new_id(), "account_id": acc, "direction": INCOME, "category": "",
                         "amount_fen": 0, "entries": 0, "reversals": 0})
    if rows:
        s.execute(insert(_B), rows)
    return len(rows)


def build_closed_in(s: Session, book: str | None, months: Sequence[date]) -> int:
    """Build the rows of these live closed months of the book (closed in the caller's transaction, e.g. by
    a history import or the demo); returns the months built."""
    closed = list(s.scalars(select(ClosedMonth).where(
        in_book(ClosedMonth.org_id, book), ClosedMonth.month.in_(list(months)), ClosedMonth.deleted.is_(False))))
    for cm in closed:
        build_month_in(s, cm)
    return len(closed)


def rebuild_in(s: Session) -> int:
    """Drop every month balance of the database and build each live closed month again; returns the months."""
    s.execute(delete(_B))
    closed = list(s.scalars(select(ClosedMonth).where(ClosedMonth.deleted.is_(False))
                            .order_by(ClosedMonth.org_id, ClosedMonth.month)))
    for cm in closed:
        build_month_in(s, cm, replace=False)
    return len(closed)


def rebuild_balances(db: Database) -> int:
    """重建月度余额: every closed month of every book in the database, from its entries; returns the months built.

    Safe at any time: the figures read afterwards are the same, only faster.
    """
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        before = s.scalar(select(func.count(func.distinct(_B.month))).select_from(_B)) or 0
        months = rebuild_in(s)
        audit.record(s, "rebuild", "ledger_month_balance", "", f"重建经费台账月度余额：已结账 {months} 个月",
                     before={"months": int(before)}, after={"months": months})
        uow.commit()
    return months


# ---------------------------------------------------------------- reading

def built_months(s: Session, book: str | None) -> set[date]:
    """The months of the books whose rows may be read: built from a closed month still live and unchanged."""
    live = {
        (cid, ver): m for cid, ver, m in s.execute(
            select(ClosedMonth.id, ClosedMonth.version, ClosedMonth.month)
            .where(in_book(ClosedMonth.org_id, book), ClosedMonth.deleted.is_(False)))
    }
    if not live:
        return set()
    built = s.execute(
        select(_B.month, _B.closed_month_id, _B.closed_version).where(in_book(_B.org_id, book)).distinct()
    )
    return {m for m, cid, ver in built if live.get((cid, ver)) == m}


def split_period(built: set[date], first: date | None, last: date) -> tuple[list[date], list[tuple[date | None, date]]]:
    """The built months wholly inside [first, last] (first None: from the beginning), and the day ranges left."""
    months = sorted(m for m in built if (first is None or m >= first) and rules.month_end(m) <= last)
    ranges: list[tuple[date | None, date]] = []
    cur = first
    for m in months:
        if cur is None or cur < m:
            ranges.append((cur, m - timedelta(days=1)))
        cur = rules.month_end(m) + timedelta(days=1)
    if cur is None or cur <= last:
        ranges.append((cur, last))
    return months, ranges


def _in_ranges(col, ranges: Sequence[tuple[date | None, date]]):
    return or_(*(col <= b if a is None else and_(col >= a, col <= b) for a, b in ranges))


def activity(
    s: Session,
    book: str | None,
    first: date | None,
    last: date,
    *,
    account_ids: Sequence[str] | None = None,
    by_month: bool = False,
    built: set[date] | None = None,
) -> list[Total]:
    """Totals of [first, last] by account, direction and category (and month): month rows, then entries.

    `account_ids` narrows to those accounts (and lets SQLite answer the entries
    from the covering index by account); `by_month` splits by month of the year
    (for a period inside one year); `built`: built_months(s, book) when the caller has it.
    """
    months, ranges = split_period(built_months(s, book) if built is None else built, first, last)
    out: list[Total] = []
    if months:
        cols = [_B.account_id, _B.direction, _B.category] + ([_B.month] if by_month else [])
        q = select(*cols, func.sum(_B.amount_fen), func.sum(_B.entries), func.sum(_B.reversals)).where(
            in_book(_B.org_id, book), _B.month.in_(months))
        if account_ids is not None:
            q = q.where(_B.account_id.in_(list(account_ids)))
        for r in s.execute(q.group_by(*cols)):
            out.append(Total(r[0], r[1], r[2], r[3].month if by_month else None,
                             int(r[-3] or 0), int(r[-2] or 0), int(r[-1] or 0)))
    if ranges:
        month = extract("month", _E.entry_date).label("m")
        cols = [_E.account_id, _E.direction, _E.category] + ([month] if by_month else [])
        q = select(*cols, func.sum(_E.amount_fen), func.count(), func.count(_E.reversal_of)).where(
            _in_ranges(_E.entry_date, ranges), _E.deleted.is_(False))
        # By account ids (not org_id) where given, so SQLite answers from ix_ledger_entry_account_date alone.
        q = q.where(_E.account_id.in_(list(account_ids)) if account_ids is not None else in_book(_E.org_id, book))
        for r in s.execute(q.group_by(*cols)):
            out.append(Total(r[0], r[1], r[2], int(r[3]) if by_month else None,
                             int(r[-3] or 0), int(r[-2] or 0), int(r[-1] or 0)))
    return out


def signed_totals(s: Session, book: str | None, account_ids: Sequence[str], before: date,
                  built: set[date] | None = None) -> dict[str, int]:
    """Each account's balance at the end of the day before `before` (its opening balance on `before`)."""
    out: dict[str, int] = {}
    for t in activity(s, book, None, before - timedelta(days=1), account_ids=account_ids, built=built):
        out[t.account_id] = out.get(t.account_id, 0) + t.signed_fen
    return out


_SIGNED = case((_B.direction == INCOME, _B.amount_fen), else_=-_B.amount_fen)
# One account's month rows before a day whose closed month is still live at the same version, summed per
# month; built once, as the 收支明细账 asks it every time it opens.
_OPENING_MONTHS = (
    select(_B.month, func.sum(_SIGNED))
    .join(ClosedMonth, and_(ClosedMonth.id == _B.closed_month_id, ClosedMonth.version == _B.closed_version,
                            ClosedMonth.month == _B.month, ClosedMonth.deleted.is_(False)))
    .where(_B.account_id == bindparam("account_id"), _B.month < bindparam("on", type_=Date))
    .group_by(_B.month)
)


def opening_balance(s: Session, account_id: str, on: date) -> int:
    """One account's balance at the end of the day before `on`, as signed_totals gives it, in two reads.

    The account's month rows whose closed month is still live at the same version,
    summed per month in one query (a month built before the account existed has
    no row for it and is read from its entries, which gives the same figure);
    then the account's entries of every other day before `on`.
    """
    conn = s.connection()
    by_month = dict(conn.execute(_OPENING_MONTHS, {"account_id": account_id, "on": on}).all())
    months, ranges = split_period(set(by_month), None, on - timedelta(days=1))
    total = sum(int(by_month[m] or 0) for m in months)
    if ranges:
        total += int(conn.execute(select(signed_sum()).where(
            _E.account_id == account_id, _in_ranges(_E.entry_date, ranges), _E.deleted.is_(False))).scalar() or 0)
    return total
