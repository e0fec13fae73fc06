"""Accounts (账户) of the books: the four defaults, new ones, renaming, stopping, the 党费 account, categories."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.services import auth
from desktop_app.services.ledger.books import (
    account_info,
    balance_at,
    book_org_id,
    chosen_book,
    ensure_accounts,
    ensure_accounts_in,
    in_book,
    live_account,
)
from desktop_app.services.records import unchanged_since
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import Account, LedgerEntry
from desktop_app.views.ledger import AccountInfo


def list_accounts(db: Database, include_inactive: bool = True, *, book: str | None = None) -> list[AccountInfo]:
    """The accounts of this site's books, or of a community's (`book`, at a street office)."""
    auth.require(db, "ledger.read")
    ensure_accounts(db)
    with db.session() as s:
        q = select(Account).where(in_book(Account.org_id, chosen_book(s, book)), Account.deleted.is_(False))
        if not include_inactive:
            q = q.where(Account.active.is_(True))
        return [account_info(a) for a in s.scalars(q.order_by(Account.sort_order, Account.name))]


def find_account(db: Database, text: str) -> AccountInfo:
    """An account by id, exact name, or a part of its name that fits only one (for the CLI)."""
    auth.require(db, "ledger.read")
    wanted = (text or "").strip()
    accounts = list_accounts(db)
    for match in (
        [a for a in accounts if a.id == wanted or a.name == wanted],
        [a for a in accounts if wanted and wanted in a.name],
    ):
        if len(match) == 1:
            return match[0]
        if len(match) > 1:
            raise ValidationError("账户", f"“{wanted}”对应多个账户：{'、'.join(a.name for a in match)}，请写全名")
    raise ValidationError("账户", f"没有账户“{wanted}”；现有账户：{'、'.join(a.name for a in accounts)}")


def _check_account_name_free(s: Session, book: str | None, name: str, except_id: str | None = None) -> None:
    other = s.scalar(
        select(Account.id).where(
            in_book(Account.org_id, book), Account.name == name, Account.deleted.is_(False)
        )
    )
    if other and other != except_id:
        raise ValidationError("账户名称", f"已有名为“{name}”的账户")


def add_account(db: Database, name: str, note: str = "") -> AccountInfo:
    auth.require(db, "ledger.write")
    name = rules.check_account_name(name)
    with UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        ensure_accounts_in(s, book)
        _check_account_name_free(s, book, name)
        last = s.scalar(select(func.max(Account.sort_order)).where(in_book(Account.org_id, book))) or 0
        acc = Account(org_id=book, name=name, note=(note or "").strip(), sort_order=last + 1)
        s.add(acc)
        uow.commit()
        return account_info(acc)


def rename_account(db: Database, account_id: str, name: str, note: str | None = None, *,
                   expected_version: int | None = None) -> AccountInfo:
    """Renaming keeps every entry: they point to the account, not to its name.

    `expected_version`: the account's version the form was read at; a change since is refused."""
    auth.require(db, "ledger.write")
    name = rules.check_account_name(name)
    with UnitOfWork(db) as uow:
        s = uow.session
        acc = live_account(s, account_id)
        unchanged_since(s, acc, expected_version, f"账户 {acc.name}")
        _check_account_name_free(s, acc.org_id, name, except_id=acc.id)
        acc.name = name
        if note is not None:
            acc.note = note.strip()
        uow.commit()
        return account_info(acc)


def set_account_active(db: Database, account_id: str, active: bool, today: date | None = None) -> AccountInfo:
    """Stop using an account (hidden from new entries); only when its balance is zero."""
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        acc = live_account(s, account_id)
        if not active:
            if acc.kind == rules.DUES_KIND:
                raise Conflict("党费账户收缴党费时要用，不能停用")
            bal = balance_at(s, acc.id, today or date.today() + timedelta(days=36500))
            if bal:
                raise Conflict(f"“{acc.name}”还有余额 {format_yuan(bal)} 元，不能停用")
        acc.active = active
        uow.commit()
        return account_info(acc)


def dues_account_id(s: Session, book: str | None) -> str:
    ensure_accounts_in(s, book)
    acc_id = s.scalar(
        select(Account.id)
        .where(in_book(Account.org_id, book), Account.kind == rules.DUES_KIND, Account.deleted.is_(False))
        .order_by(Account.sort_order)
        .limit(1)
    )
    if acc_id is None:
        acc = Account(org_id=book, name="党费", kind=rules.DUES_KIND, sort_order=99)
        s.add(acc)
        s.flush()
        acc_id = acc.id
    return acc_id


def categories(db: Database, direction: str) -> list[str]:
    """Suggested categories: the usual ones, then any the center has used."""
    auth.require(db, "ledger.read")
    rules.check_direction(direction)
    with db.session() as s:
        used = s.scalars(
            select(LedgerEntry.category)
            .where(LedgerEntry.direction == direction, LedgerEntry.category != "")
            .group_by(LedgerEntry.category)
            .order_by(func.count().desc())
        ).all()
    out = list(rules.DEFAULT_CATEGORIES[direction])
    out += [c for c in used if c not in out]
    return out
