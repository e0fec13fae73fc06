"""The books every ledger use case opens: whose books, which months are closed, balances, seeding.

Kept apart so posting, queries, accounts and budgets share one definition of
"this site's books" (`org_id` of the site's own organisation) and of a balance.
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.cobuilding import closed_message
from desktop_app.domain.errors import Conflict, NotFound
from desktop_app.domain.ledger import INCOME
from desktop_app.services import auth
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import scope
from desktop_app.store.db import Database
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_ledger import Account, ClosedMonth, LedgerEntry
from desktop_app.views.ledger import AccountInfo

# Pages load in background threads; two first loads must not both seed the default accounts.
_seed_lock = threading.Lock()


def book_org_id(s: Session) -> str | None:
    """The organisation whose books these are: the site's own (community or street)."""
    code = s.scalar(select(Site.org_code).limit(1))
    if code is None:
        return None
    return s.scalar(
        select(Organization.id)
        .where(Organization.code == code, Organization.deleted.is_(False))
        .order_by(Organization.created_at)
        .limit(1)
    )


def chosen_book(s: Session, book: str | None) -> str | None:
    """The site's own books (`book` None), or, read at a street office, one community's by its org id."""
    if book is None:
        return book_org_id(s)
    org = s.get(Organization, book)
    if org is None or org.deleted or org.kind != "community":
        raise NotFound("没有这个社区的经费台账")
    return book


def books(db: Database) -> list[tuple[str | None, str]]:
    """Whose books this database holds: its own (None) first, then each community's that came in a package."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        own = book_org_id(s)
        keeps_own = not _own_book_refused(s, own)
        rows = s.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_(select(Account.org_id).where(Account.deleted.is_(False))),
                Organization.kind == "community", Organization.deleted.is_(False))
            .order_by(Organization.sort_order, Organization.name)
        ).all()
        # an account confined to one community reads its community's books, not the district's empty ones
        return [(None, center_name(s))] * keeps_own + [(oid, name) for oid, name in rows if oid != own]


def _own_book_refused(s: Session, own: str | None) -> str:
    """Why the session's account may not keep the database's own books: "" when it may."""
    root = scope.root_of(s)
    if not root or (own is not None and own in scope.scope_of(s, root).ids):
        return ""  # (a confined account does not find the district's organisation at all: own is None)
    names = scope.confined_to(s)
    mine = names[0] if names else ""
    return (f"本账户只管“{mine}”：本级（{center_name(s)}）的账由管理员记，"
            "各社区的账由社区自己记、随数据包报来，这里只能查看")


def own_book_refusal(db: Database) -> str:
    """Why the signed-in account may not post to, close or budget the books this database keeps ("": it may).

    The writes themselves are refused whole by store.scope; this is the reason the page shows beforehand.
    """
    auth.require(db, "ledger.read")
    with db.session() as s:
        return _own_book_refused(s, book_org_id(s))


def in_book(col, book: str | None):
    return col.is_(None) if book is None else col == book


def account_info(a: Account) -> AccountInfo:
    return AccountInfo(a.id, a.name, a.kind, a.sort_order, a.active, a.note, a.version)


def _seed_accounts(s: Session, book: str | None) -> None:
    for i, (name, kind) in enumerate(rules.DEFAULT_ACCOUNTS, start=1):
        s.add(Account(org_id=book, name=name, kind=kind, sort_order=i))


def ensure_accounts(db: Database) -> None:
    """Seed the four default accounts the first time the ledger is used."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        book = book_org_id(s)
        if s.scalar(select(Account.id).where(in_book(Account.org_id, book)).limit(1)):
            return
    with _seed_lock, UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        if (root := scope.root_of(s)) and book not in scope.scope_of(s, root).ids:
            return  # an account confined to one street reads these books as empty; the administrator's first use seeds them
        if s.scalar(select(Account.id).where(in_book(Account.org_id, book)).limit(1)) is None:
            _seed_accounts(s, book)
            uow.commit()


def ensure_accounts_in(s: Session, book: str | None) -> None:
    if s.scalar(select(Account.id).where(in_book(Account.org_id, book)).limit(1)) is None:
        _seed_accounts(s, book)
        s.flush()


def live_account(s: Session, account_id: str) -> Account:
    acc = s.get(Account, account_id)
    if acc is None or acc.deleted:
        raise NotFound("该账户不存在")
    return acc


def accounts_in_order(s: Session, book: str | None) -> list[Account]:
    return list(
        s.scalars(
            select(Account)
            .where(in_book(Account.org_id, book), Account.deleted.is_(False))
            .order_by(Account.sort_order, Account.name)
        )
    )


def closed_set_in(s: Session, book: str | None) -> set[date]:
    """The closed months (结账) of the books."""
    return set(
        s.scalars(select(ClosedMonth.month).where(in_book(ClosedMonth.org_id, book), ClosedMonth.deleted.is_(False)))
    )


def check_costs_open(s: Session, *days: date) -> None:
    """Refuse to post a cost or change what a voucher paid for (a 微实事, an activity, a 项目清单 item)
    when one of these voucher dates lies in a closed month of this site's books."""
    closed = closed_set_in(s, book_org_id(s))
    for on in days:
        if rules.month_of(on) in closed:
            raise Conflict(closed_message(rules.month_of(on)))


def signed_sum():
    return func.coalesce(
        func.sum(case((LedgerEntry.direction == INCOME, LedgerEntry.amount_fen), else_=-LedgerEntry.amount_fen)), 0
    )


def balance_at(s: Session, account_id: str, on: date) -> int:
    return int(
        s.scalar(
            select(signed_sum()).where(
                LedgerEntry.account_id == account_id, LedgerEntry.entry_date <= on, LedgerEntry.deleted.is_(False)
            )
        )
        or 0
    )
