"""经费台账: accounts, budgets, entries, reversals, month closing, balances, statements, attachments.

A posted entry is never edited or deleted; there is no function here that
could. A mistake is corrected by `reverse_entry` (红字冲销): a new entry of the
negative amount that points to the one it cancels. A closed month (结账)
takes no more entries, reversals or attachments. Every write is one
UnitOfWork; every row carries the writing site (updated_by_site) and the
entry its 经办人 and 录入人, so each change is attributable.

The books belong to the site's own organisation (`org_id`), so a street
office's merged copy keeps each community's voucher numbers apart.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Integer, case, cast, extract, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.ledger import EXPENSE, INCOME
from desktop_app.domain.money import amount_in_capitals, format_yuan
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.settings import data_dir
from desktop_app.store.db import Database
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_ledger import (
    Account, Budget, ClosedMonth, DuesRecord, LedgerAttachment, LedgerEntry,
)

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
# Pages load in background threads; two first loads must not both seed the default accounts.
_seed_lock = threading.Lock()
ATTACHMENTS = "attachments"


# ---------------------------------------------------------------- value types

@dataclass(frozen=True)
class AccountInfo:
    id: str
    name: str
    kind: str
    sort_order: int
    active: bool
    note: str

    @property
    def is_dues(self) -> bool:
        return self.kind == rules.DUES_KIND


@dataclass(frozen=True)
class EntryInput:
    """What a user enters for one entry; amounts in fen. A blank voucher_no takes the next free one."""

    entry_date: date
    account_id: str
    direction: str
    amount_fen: int
    category: str = ""
    counterparty: str = ""  # 收款方 / 付款方
    handler: str = ""  # 经办人
    entered_by: str = ""  # 录入人
    memo: str = ""  # 摘要
    voucher_no: str = ""
    project_id: str | None = None
    meeting_id: str | None = None
    activity_id: str | None = None


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
        """摘要 as the books print it: the category, then the memo."""
        parts = [p for p in (self.category, self.memo) if p]
        return "：".join(parts) if len(parts) == 2 and not self.is_reversal else (self.memo or self.category)


@dataclass(frozen=True)
class PostResult:
    entry: EntryRow
    warnings: tuple[str, ...] = ()


@dataclass
class EntryFilter:
    account_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    direction: str | None = None
    category: str | None = None
    text: str = ""  # voucher number, memo, counterparty, handler
    hide_reversed: bool = False  # leave out reversed entries and their reversals


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
        return _total_line(self.lines)


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
        return _total_line(self.lines)


@dataclass(frozen=True)
class AccountLedger:
    """收支明细账 of one account for a period, with running balance (the report's data)."""

    center_name: str
    account_id: str
    account_name: str
    date_from: date
    date_to: date
    opening_fen: int
    entries: tuple[EntryRow, ...]
    closed_months: tuple[date, ...] = ()

    @property
    def income_fen(self) -> int:
        return sum(e.income_fen for e in self.entries)

    @property
    def expense_fen(self) -> int:
        return sum(e.expense_fen for e in self.entries)

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.income_fen - self.expense_fen

    def running(self) -> list[tuple[EntryRow, int]]:
        out, bal = [], self.opening_fen
        for e in self.entries:
            bal += e.signed_fen
            out.append((e, bal))
        return out


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


def _total_line(lines: Sequence[StatementLine]) -> StatementLine:
    return StatementLine(
        "", "合计",
        sum(x.opening_fen for x in lines), sum(x.income_fen for x in lines), sum(x.expense_fen for x in lines),
    )


# ---------------------------------------------------------------- books and accounts

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


def _in_book(col, book: str | None):
    return col.is_(None) if book is None else col == book


def center_name(db: Database) -> str:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return s.scalar(select(Site.org_name).limit(1)) or ""


def _account_info(a: Account) -> AccountInfo:
    return AccountInfo(a.id, a.name, a.kind, a.sort_order, a.active, a.note)


def _seed_accounts(s: Session, book: str | None) -> None:
    for i, (name, kind) in enumerate(rules.DEFAULT_ACCOUNTS, start=1):
        s.add(Account(org_id=book, name=name, kind=kind, sort_order=i))


def ensure_accounts(db: Database) -> None:
    """Seed the four default accounts the first time the ledger is used."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        book = book_org_id(s)
        if s.scalar(select(Account.id).where(_in_book(Account.org_id, book)).limit(1)):
            return
    with _seed_lock, UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        if s.scalar(select(Account.id).where(_in_book(Account.org_id, book)).limit(1)) is None:
            _seed_accounts(s, book)
            uow.commit()


def ensure_accounts_in(s: Session, book: str | None) -> None:
    if s.scalar(select(Account.id).where(_in_book(Account.org_id, book)).limit(1)) is None:
        _seed_accounts(s, book)
        s.flush()


def list_accounts(db: Database, include_inactive: bool = True) -> list[AccountInfo]:
    auth.require(db, "ledger.read")
    ensure_accounts(db)
    with db.session() as s:
        q = select(Account).where(_in_book(Account.org_id, book_org_id(s)), Account.deleted.is_(False))
        if not include_inactive:
            q = q.where(Account.active.is_(True))
        return [_account_info(a) for a in s.scalars(q.order_by(Account.sort_order, Account.name))]


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
            _in_book(Account.org_id, book), Account.name == name, Account.deleted.is_(False)
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
        last = s.scalar(select(func.max(Account.sort_order)).where(_in_book(Account.org_id, book))) or 0
        acc = Account(org_id=book, name=name, note=(note or "").strip(), sort_order=last + 1)
        s.add(acc)
        uow.commit()
        return _account_info(acc)


def _live_account(s: Session, account_id: str) -> Account:
    acc = s.get(Account, account_id)
    if acc is None or acc.deleted:
        raise NotFound("该账户不存在")
    return acc


def rename_account(db: Database, account_id: str, name: str, note: str | None = None) -> AccountInfo:
    """Renaming keeps every entry: they point to the account, not to its name."""
    auth.require(db, "ledger.write")
    name = rules.check_account_name(name)
    with UnitOfWork(db) as uow:
        s = uow.session
        acc = _live_account(s, account_id)
        _check_account_name_free(s, acc.org_id, name, except_id=acc.id)
        acc.name = name
        if note is not None:
            acc.note = note.strip()
        uow.commit()
        return _account_info(acc)


def set_account_active(db: Database, account_id: str, active: bool, today: date | None = None) -> AccountInfo:
    """Stop using an account (hidden from new entries); only when its balance is zero."""
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        acc = _live_account(s, account_id)
        if not active:
            if acc.kind == rules.DUES_KIND:
                raise Conflict("党费账户收缴党费时要用，不能停用")
            bal = _balance(s, acc.id, today or date.today() + timedelta(days=36500))
            if bal:
                raise Conflict(f"“{acc.name}”还有余额 {format_yuan(bal)} 元，不能停用")
        acc.active = active
        uow.commit()
        return _account_info(acc)


def dues_account_id(s: Session, book: str | None) -> str:
    ensure_accounts_in(s, book)
    acc_id = s.scalar(
        select(Account.id)
        .where(_in_book(Account.org_id, book), Account.kind == rules.DUES_KIND, Account.deleted.is_(False))
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


# ---------------------------------------------------------------- closed months

def _closed(s: Session, book: str | None) -> set[date]:
    return set(
        s.scalars(select(ClosedMonth.month).where(_in_book(ClosedMonth.org_id, book), ClosedMonth.deleted.is_(False)))
    )


def closed_months(db: Database) -> list[date]:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return sorted(_closed(s, book_org_id(s)))


def closed_set_in(s: Session, book: str | None) -> set[date]:
    return _closed(s, book)


def close_month(db: Database, month: date, closed_by: str = "", note: str = "", today: date | None = None) -> date:
    """结账: after this nothing dated in `month` can be entered, reversed or attached."""
    auth.require(db, "ledger.write")
    today = today or date.today()
    month = rules.month_of(month)
    closed_by = rules.clean_text(closed_by, "经办人")
    with UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        closed = _closed(s, book)
        first = s.scalar(
            select(func.min(LedgerEntry.entry_date)).where(_in_book(LedgerEntry.org_id, book))
        )
        rules.check_close(month, closed, rules.month_of(first) if first else None, today)
        s.add(ClosedMonth(org_id=book, month=month, closed_by=closed_by, note=(note or "").strip()))
        uow.commit()
    return month


def next_month_to_close(db: Database, today: date | None = None) -> date | None:
    """The earliest month that can be closed now (None when every ended month is closed)."""
    auth.require(db, "ledger.read")
    today = today or date.today()
    with db.session() as s:
        book = book_org_id(s)
        closed = _closed(s, book)
        first = s.scalar(select(func.min(LedgerEntry.entry_date)).where(_in_book(LedgerEntry.org_id, book)))
    m = rules.month_of(first) if first else None
    if m is None:
        return None
    while m in closed:
        m = rules.next_month(m)
    return m if rules.month_end(m) <= today else None


# ---------------------------------------------------------------- voucher numbers

def _max_seq(s: Session, book: str | None, year: int) -> int:
    prefix = f"{year}-"
    seq = s.scalar(
        select(func.max(cast(func.substr(LedgerEntry.voucher_no, len(prefix) + 1), Integer))).where(
            _in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no.like(f"{prefix}%")
        )
    )
    return int(seq or 0)


def suggest_voucher_no(db: Database, year: int) -> str:
    """The next number of the year's sequence (numbering runs per year and never repeats)."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        return rules.format_voucher(year, _max_seq(s, book_org_id(s), year) + 1)


# ---------------------------------------------------------------- reading entries

_ROW_COLUMNS = (
    LedgerEntry.id, LedgerEntry.voucher_no, LedgerEntry.entry_date, LedgerEntry.account_id, Account.name,
    LedgerEntry.direction, LedgerEntry.amount_fen, LedgerEntry.category, LedgerEntry.counterparty,
    LedgerEntry.handler, LedgerEntry.entered_by, LedgerEntry.memo, LedgerEntry.reversal_of,
    LedgerEntry.project_id, LedgerEntry.meeting_id, LedgerEntry.activity_id, LedgerEntry.created_at,
    LedgerEntry.updated_by_site,
)


def _entry_query():
    # Plain columns, not ORM objects: a year of a busy ledger is thousands of rows.
    return select(*_ROW_COLUMNS).join(Account, Account.id == LedgerEntry.account_id)


@dataclass
class _Links:
    """What an entry row shows about other rows: its reversal, its original, attachments, dues.

    Read in separate small queries rather than joined per row: reversals and
    attachments are few, and with ANALYZE statistics SQLite would scan the
    mostly-NULL reversal_of column for every row of a join.
    """

    reversed_by: dict[str, tuple[str, str]]  # original id → (reversal id, its voucher number)
    original_voucher: dict[str, str]  # reversal id → the voucher number it reverses
    attachments: dict[str, int]
    dues: set[str]


def _links(s: Session, ids: Sequence[str] | None = None) -> _Links:
    orig = aliased(LedgerEntry, name="orig")
    q = (
        select(LedgerEntry.reversal_of, LedgerEntry.id, LedgerEntry.voucher_no, orig.voucher_no)
        .join(orig, orig.id == LedgerEntry.reversal_of)
        .where(LedgerEntry.reversal_of.is_not(None))
    )
    att = (
        select(LedgerAttachment.entry_id, func.count())
        .where(LedgerAttachment.deleted.is_(False))
        .group_by(LedgerAttachment.entry_id)
    )
    dues = select(DuesRecord.ledger_entry_id).where(DuesRecord.ledger_entry_id.is_not(None)).distinct()
    if ids is not None:
        q = q.where(or_(LedgerEntry.id.in_(ids), LedgerEntry.reversal_of.in_(ids)))
        att = att.where(LedgerAttachment.entry_id.in_(ids))
        dues = dues.where(DuesRecord.ledger_entry_id.in_(ids))
    links = _Links({}, {}, {}, set())
    for orig_id, rev_id, rev_voucher, orig_voucher in s.execute(q):
        links.reversed_by[orig_id] = (rev_id, rev_voucher)
        links.original_voucher[rev_id] = orig_voucher
    links.attachments = {k: int(v) for k, v in s.execute(att)}
    links.dues = set(s.scalars(dues))
    return links


def _row(r, closed: set[date], links: _Links) -> EntryRow:
    (eid, voucher, entry_date, account_id, account_name, direction, amount, category, counterparty, handler,
     entered_by, memo, reversal_of, project_id, meeting_id, activity_id, created_at, site) = r
    rev_id, rev_voucher = links.reversed_by.get(eid, (None, ""))
    return EntryRow(
        id=eid, voucher_no=voucher, entry_date=entry_date, account_id=account_id,
        account_name=account_name, direction=direction, amount_fen=amount, category=category,
        counterparty=counterparty, handler=handler, entered_by=entered_by, memo=memo,
        reversal_of=reversal_of, reversal_of_voucher=links.original_voucher.get(eid, ""),
        reversed_by=rev_id, reversed_by_voucher=rev_voucher,
        project_id=project_id, meeting_id=meeting_id, activity_id=activity_id,
        attachments=links.attachments.get(eid, 0), created_at=created_at, updated_by_site=site,
        month_closed=rules.month_of(entry_date) in closed, is_dues=eid in links.dues,
    )


def _rows(s: Session, q, closed: set[date], ids: Sequence[str] | None = None) -> list[EntryRow]:
    found = s.connection().execute(q).all()  # Core rows: the ORM's per-row loading is the slow part
    links = _links(s, ids if ids is not None else ([r[0] for r in found] if len(found) <= 200 else None))
    return [_row(r, closed, links) for r in found]


def _get_row(s: Session, entry_id: str) -> EntryRow:
    rows = _rows(s, _entry_query().where(LedgerEntry.id == entry_id), set(), [entry_id])
    if not rows:
        raise NotFound("该凭证不存在")
    org_id = s.scalar(select(LedgerEntry.org_id).where(LedgerEntry.id == entry_id))
    closed = _closed(s, org_id)
    row = rows[0]
    return replace(row, month_closed=rules.month_of(row.entry_date) in closed)


def get_entry(db: Database, entry_id: str) -> EntryRow:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return _get_row(s, entry_id)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entry_conditions(flt: EntryFilter, book: str | None) -> list:
    c = [_in_book(LedgerEntry.org_id, book), LedgerEntry.deleted.is_(False)]
    if flt.account_id:
        c.append(LedgerEntry.account_id == flt.account_id)
    if flt.date_from:
        c.append(LedgerEntry.entry_date >= flt.date_from)
    if flt.date_to:
        c.append(LedgerEntry.entry_date <= flt.date_to)
    if flt.direction:
        c.append(LedgerEntry.direction == flt.direction)
    if flt.category:
        c.append(LedgerEntry.category == flt.category)
    for term in (flt.text or "").split():
        t = _like(term)
        c.append(or_(
            LedgerEntry.voucher_no.like(t, escape="\\"), LedgerEntry.memo.like(t, escape="\\"),
            LedgerEntry.counterparty.like(t, escape="\\"), LedgerEntry.handler.like(t, escape="\\"),
            LedgerEntry.category.like(t, escape="\\"),
        ))
    if flt.hide_reversed:
        rev = aliased(LedgerEntry, name="rev")
        c.append(LedgerEntry.reversal_of.is_(None))
        c.append(LedgerEntry.id.not_in(select(rev.reversal_of).where(rev.reversal_of.is_not(None))))
    return c


def list_entries(db: Database, flt: EntryFilter | None = None, limit: int | None = None) -> list[EntryRow]:
    """Entries matching `flt`, by date then voucher number (filtered in SQL)."""
    auth.require(db, "ledger.read")
    flt = flt or EntryFilter()
    with db.session() as s:
        book = book_org_id(s)
        closed = _closed(s, book)
        q = _entry_query().where(*_entry_conditions(flt, book)).order_by(
            LedgerEntry.entry_date, LedgerEntry.voucher_no
        )
        if limit:
            q = q.limit(limit)
        return _rows(s, q, closed)


# ---------------------------------------------------------------- posting

def _budget_spent(s: Session, account_id: str, year: int, category: str = "") -> int:
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


def _budget_warnings(s: Session, acc: Account, year: int, category: str) -> list[str]:
    out = []
    budgets = s.execute(
        select(Budget.category, Budget.amount_fen).where(
            Budget.account_id == acc.id, Budget.year == year, Budget.deleted.is_(False),
            Budget.category.in_(["", category]),
        ).order_by(Budget.category)
    ).all()
    for cat, amount in budgets:
        spent = _budget_spent(s, acc.id, year, cat)
        msg = rules.budget_message(acc.name, cat, year, amount, spent)
        if msg:
            out.append(msg)
    return out


def post_in(s: Session, inp: EntryInput, *, reversal_of: str | None = None, allow_negative: bool = False) -> LedgerEntry:
    """Post one entry inside the caller's transaction (the dues service posts through this)."""
    book = book_org_id(s)
    rules.check_direction(inp.direction)
    if allow_negative:
        if isinstance(inp.amount_fen, bool) or not isinstance(inp.amount_fen, int):
            raise TypeError("amount must be int fen")
        rules.check_amount(abs(inp.amount_fen))
    else:
        rules.check_amount(inp.amount_fen)
    if not isinstance(inp.entry_date, date):
        raise ValidationError("日期", "请填写日期")
    acc = s.get(Account, inp.account_id) if inp.account_id else None
    if acc is None or acc.deleted or acc.org_id != book:
        raise ValidationError("账户", "请选择账户")
    if not acc.active and reversal_of is None:
        raise ValidationError("账户", f"“{acc.name}”已停用，不能再记账")
    rules.check_open(inp.entry_date, _closed(s, book), "录入")
    category = rules.clean_text(inp.category, "类别")
    if inp.voucher_no.strip():
        voucher = rules.normalize_voucher(inp.voucher_no, inp.entry_date)
        taken = s.scalar(
            select(LedgerEntry.entry_date).where(_in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == voucher)
        )
        if taken is not None:
            raise ValidationError("凭证号", f"{voucher} 已被 {taken.isoformat()} 的凭证使用")
    else:
        voucher = rules.format_voucher(inp.entry_date.year, _max_seq(s, book, inp.entry_date.year) + 1)
    entry = LedgerEntry(
        org_id=book,
        account_id=acc.id,
        entry_date=inp.entry_date,
        direction=inp.direction,
        amount_fen=inp.amount_fen,
        category=category,
        voucher_no=voucher,
        counterparty=rules.clean_text(inp.counterparty, "收付款方"),
        handler=rules.clean_text(inp.handler, "经办人"),
        entered_by=rules.clean_text(inp.entered_by, "录入人"),
        memo=(inp.memo or "").strip(),
        reversal_of=reversal_of,
        project_id=inp.project_id or None,
        meeting_id=inp.meeting_id or None,
        activity_id=inp.activity_id or None,
    )
    s.add(entry)
    try:
        s.flush()
    except IntegrityError:
        raise Conflict(f"凭证号 {voucher} 刚被占用，请重试") from None
    return entry


def post_entry(db: Database, inp: EntryInput) -> PostResult:
    """Post an income or expense; returns the entry and any budget warnings it raises."""
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        entry = post_in(s, inp)
        warnings: list[str] = []
        if entry.direction == EXPENSE:
            warnings = _budget_warnings(s, s.get(Account, entry.account_id), entry.entry_date.year, entry.category)
        uow.commit()
        return PostResult(_get_row(s, entry.id), tuple(warnings))


def reverse_in(
    s: Session,
    entry_id: str,
    reason: str,
    on: date,
    handler: str = "",
    entered_by: str = "",
    *,
    for_dues: bool = False,
) -> LedgerEntry:
    """红字冲销 inside the caller's transaction."""
    orig = s.get(LedgerEntry, entry_id)
    if orig is None or orig.deleted:
        raise NotFound("要冲销的凭证不存在")
    book = orig.org_id
    reversed_by = s.scalar(select(LedgerEntry.voucher_no).where(LedgerEntry.reversal_of == orig.id))
    facts = rules.ReversalFacts(
        voucher_no=orig.voucher_no, entry_date=orig.entry_date, amount_fen=orig.amount_fen,
        is_reversal=orig.reversal_of is not None, reversed_by=reversed_by,
    )
    reason = rules.check_reversal(facts, on, _closed(s, book), reason)
    if not for_dues and s.scalar(select(DuesRecord.id).where(DuesRecord.ledger_entry_id == orig.id).limit(1)):
        raise Conflict(f"凭证 {orig.voucher_no} 是党费收缴，请在“党费”页面撤销交纳登记（会自动冲销这笔账）")
    return post_in(
        s,
        EntryInput(
            entry_date=on, account_id=orig.account_id, direction=orig.direction, amount_fen=-orig.amount_fen,
            category=orig.category, counterparty=orig.counterparty, handler=handler or orig.handler,
            entered_by=entered_by, memo=rules.reversal_memo(orig.voucher_no, reason),
            project_id=orig.project_id, meeting_id=orig.meeting_id, activity_id=orig.activity_id,
        ),
        reversal_of=orig.id,
        allow_negative=True,
    )


def reverse_entry(
    db: Database,
    entry_id: str,
    reason: str,
    on: date | None = None,
    handler: str = "",
    entered_by: str = "",
) -> PostResult:
    """Correct a posted entry with a 红字冲销 dated `on` (default today) that points to it.

    The original stays as it was; the pair nets to zero in every balance and
    total. To replace a wrong entry, reverse it and post the right one.
    """
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        rev = reverse_in(s, entry_id, reason, on or date.today(), handler, entered_by)
        uow.commit()
        return PostResult(_get_row(s, rev.id))


# ---------------------------------------------------------------- balances

def _signed_sum():
    return func.coalesce(
        func.sum(case((LedgerEntry.direction == INCOME, LedgerEntry.amount_fen), else_=-LedgerEntry.amount_fen)), 0
    )


def _balance(s: Session, account_id: str, on: date) -> int:
    return int(
        s.scalar(
            select(_signed_sum()).where(
                LedgerEntry.account_id == account_id, LedgerEntry.entry_date <= on, LedgerEntry.deleted.is_(False)
            )
        )
        or 0
    )


def balance(db: Database, account_id: str, on: date | None = None) -> int:
    """An account's balance in fen at the end of day `on` (default today)."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        _live_account(s, account_id)
        return _balance(s, account_id, on or date.today())


def balances(db: Database, on: date | None = None) -> list[AccountBalance]:
    """Every account's income, expense and balance up to and including `on`."""
    auth.require(db, "ledger.read")
    on = on or date.today()
    ensure_accounts(db)
    with db.session() as s:
        book = book_org_id(s)
        accounts = _accounts_in_order(s, book)
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


# ---------------------------------------------------------------- budgets

def set_budget(
    db: Database, account_id: str, year: int, amount_fen: int, category: str = "", note: str = ""
) -> BudgetLine:
    """Set (or change) a year's budget for an account as a whole or one spending category."""
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
        acc = _live_account(s, account_id)
        row = s.scalar(
            select(Budget).where(Budget.account_id == acc.id, Budget.year == year, Budget.category == category)
        )
        if row is None:
            row = Budget(account_id=acc.id, year=year, category=category)
            s.add(row)
        row.amount_fen = amount_fen
        row.note = (note or "").strip()
        row.deleted = False
        s.flush()
        line = BudgetLine(acc.id, acc.name, year, category, amount_fen, _budget_spent(s, acc.id, year, category), row.note, row.id)
        uow.commit()
        return line


def remove_budget(db: Database, budget_id: str) -> None:
    auth.require(db, "ledger.write")
    with UnitOfWork(db) as uow:
        row = uow.session.get(Budget, budget_id)
        if row is None or row.deleted:
            raise NotFound("该预算不存在")
        row.deleted = True
        uow.commit()


def _budget_lines(s: Session, book: str | None, year: int) -> list[BudgetLine]:
    accounts = {
        a.id: a
        for a in s.scalars(select(Account).where(_in_book(Account.org_id, book), Account.deleted.is_(False)))
    }
    spent: dict[tuple[str, str], int] = defaultdict(int)
    for acc_id, cat, v in s.execute(
        select(LedgerEntry.account_id, LedgerEntry.category, func.sum(LedgerEntry.amount_fen))
        .where(
            _in_book(LedgerEntry.org_id, book), LedgerEntry.direction == EXPENSE,
            LedgerEntry.entry_date >= date(year, 1, 1), LedgerEntry.entry_date <= date(year, 12, 31),
            LedgerEntry.deleted.is_(False),
        )
        .group_by(LedgerEntry.account_id, LedgerEntry.category)
    ):
        spent[(acc_id, cat)] += int(v or 0)
        if cat:
            spent[(acc_id, "")] += int(v or 0)
    budgets = s.scalars(
        select(Budget).where(Budget.year == year, Budget.deleted.is_(False), Budget.account_id.in_(list(accounts)))
    ).all()
    out: list[BudgetLine] = []
    budgeted_accounts = {b.account_id for b in budgets}
    have = {(b.account_id, b.category) for b in budgets}
    for b in budgets:
        out.append(BudgetLine(b.account_id, accounts[b.account_id].name, year, b.category, b.amount_fen,
                              spent.get((b.account_id, b.category), 0), b.note, b.id))
    # Spending in a budgeted account that no category line covers: the auditor's first question.
    for (acc_id, cat), v in spent.items():
        if cat and acc_id in budgeted_accounts and (acc_id, cat) not in have and v:
            cat_lines = any(k[0] == acc_id and k[1] for k in have)
            if cat_lines:
                out.append(BudgetLine(acc_id, accounts[acc_id].name, year, cat, None, v))
    order = {a.id: (a.sort_order, a.name) for a in accounts.values()}
    out.sort(key=lambda x: (order[x.account_id], x.category != "", x.budget_fen is None, x.category))
    return out


def budget_report(db: Database, year: int) -> list[BudgetLine]:
    """Budget against actual spending per account (category "") and per category, with levels."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        return _budget_lines(s, book_org_id(s), year)


# ---------------------------------------------------------------- statements

def _accounts_in_order(s: Session, book: str | None) -> list[Account]:
    return list(
        s.scalars(
            select(Account)
            .where(_in_book(Account.org_id, book), Account.deleted.is_(False))
            .order_by(Account.sort_order, Account.name)
        )
    )


def _openings(s: Session, account_ids: Sequence[str], before: date) -> dict[str, int]:
    # By account ids (not org_id) so SQLite answers from ix_ledger_entry_account_date alone.
    return {
        acc: int(v or 0)
        for acc, v in s.execute(
            select(LedgerEntry.account_id, _signed_sum())
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
            _in_book(LedgerEntry.org_id, book), LedgerEntry.entry_date >= first, LedgerEntry.entry_date <= last,
            LedgerEntry.deleted.is_(False),
        )
        .group_by(*cols)
    ).all()


def _statement(s: Session, book: str | None, first: date, last: date, by_month: bool = False):
    accounts = _accounts_in_order(s, book)
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


def monthly_statement(db: Database, year: int, month: int) -> MonthStatement:
    """A month's opening balance, income, expense and closing balance per account, and category totals."""
    auth.require(db, "ledger.read")
    first = date(year, month, 1)
    last = rules.month_end(first)
    ensure_accounts(db)
    with db.session() as s:
        book = book_org_id(s)
        lines, cats, _, count = _statement(s, book, first, last)
        return MonthStatement(first, first in _closed(s, book), lines, cats, count)


def yearly_statement(db: Database, year: int) -> AnnualSummary:
    """The year's summary: per account 上年结转, income, expense, balance; categories; months; budgets."""
    auth.require(db, "ledger.read")
    first, last = date(year, 1, 1), date(year, 12, 31)
    ensure_accounts(db)
    with db.session() as s:
        book = book_org_id(s)
        lines, cats, months, count = _statement(s, book, first, last, by_month=True)
        closed = _closed(s, book)
        month_rows = tuple(
            MonthTotal(date(year, m, 1), months[m][0], months[m][1], date(year, m, 1) in closed) for m in range(1, 13)
        )
        reversals = s.scalar(
            select(func.count()).select_from(LedgerEntry).where(
                _in_book(LedgerEntry.org_id, book), LedgerEntry.reversal_of.is_not(None),
                LedgerEntry.entry_date >= first, LedgerEntry.entry_date <= last,
            )
        ) or 0
        name = s.scalar(select(Site.org_name).limit(1)) or ""
        return AnnualSummary(
            year, name, lines, cats, month_rows, tuple(_budget_lines(s, book, year)), count, int(reversals)
        )


def account_ledger(db: Database, account_id: str, date_from: date, date_to: date) -> AccountLedger:
    """收支明细账 data: opening balance at `date_from`, every entry to `date_to`, in order."""
    auth.require(db, "ledger.read")
    if date_to < date_from:
        raise ValidationError("截止日期", "截止日期不能早于起始日期")
    with db.session() as s:
        acc = _live_account(s, account_id)
        closed = _closed(s, acc.org_id)
        opening = _balance(s, acc.id, date_from - timedelta(days=1))
        q = _entry_query().where(
            LedgerEntry.account_id == acc.id, LedgerEntry.entry_date >= date_from, LedgerEntry.entry_date <= date_to,
            LedgerEntry.deleted.is_(False),
        ).order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)
        entries = tuple(_rows(s, q, closed))
        name = s.scalar(select(Site.org_name).limit(1)) or ""
        return AccountLedger(name, acc.id, acc.name, date_from, date_to, opening, entries, tuple(sorted(closed)))


def entry_ids(
    db: Database,
    voucher_nos: Sequence[str] = (),
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[str]:
    """Entry ids by voucher number ("2024-7" works), or of a period, in voucher order (for printing)."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        book = book_org_id(s)
        if voucher_nos:
            out = []
            for text in voucher_nos:
                text = text.strip()
                year_part = text.split("-", 1)[0]
                year = int(year_part) if year_part.isdigit() and len(year_part) == 4 else date.today().year
                number = rules.normalize_voucher(text, date(year, 1, 1))
                found = s.scalar(
                    select(LedgerEntry.id).where(_in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == number)
                )
                if found is None:
                    raise ValidationError("凭证号", f"没有凭证 {number}")
                out.append(found)
            return out
        q = select(LedgerEntry.id).where(_in_book(LedgerEntry.org_id, book))
        if date_from:
            q = q.where(LedgerEntry.entry_date >= date_from)
        if date_to:
            q = q.where(LedgerEntry.entry_date <= date_to)
        return list(s.scalars(q.order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)))


def vouchers(db: Database, entry_ids: Sequence[str]) -> list[VoucherData]:
    """Data for printing 记账凭证, in the order given."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        name = s.scalar(select(Site.org_name).limit(1)) or ""
        out = []
        for entry_id in entry_ids:
            row = _get_row(s, entry_id)
            files = tuple(
                s.scalars(
                    select(LedgerAttachment.file_name)
                    .where(LedgerAttachment.entry_id == entry_id, LedgerAttachment.deleted.is_(False))
                    .order_by(LedgerAttachment.created_at)
                )
            )
            out.append(VoucherData(name, row, files))
        return out


# ---------------------------------------------------------------- attachments

def attachments_dir() -> Path:
    path = data_dir() / ATTACHMENTS
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe_name(name: str) -> str:
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .") or "附件"
    return stem[-80:]


def _attachment_info(a: LedgerAttachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.entry_id, a.file_name, attachments_dir() / a.stored_path, a.size, a.sha256, a.note)


def add_attachment(db: Database, entry_id: str, source: Path | str, note: str = "") -> AttachmentInfo:
    """Copy a scanned receipt into the data folder and link it to the entry."""
    auth.require(db, "ledger.write")
    source = Path(source)
    if not source.is_file():
        raise ValidationError("附件", f"找不到文件 {source}")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("附件", f"文件超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，请压缩或分页扫描后再附")
    with UnitOfWork(db) as uow:
        s = uow.session
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise NotFound("该凭证不存在")
        rules.check_open(entry.entry_date, _closed(s, entry.org_id), "为")
        n = s.scalar(select(func.count()).select_from(LedgerAttachment).where(LedgerAttachment.entry_id == entry.id)) or 0
        rel = Path(str(entry.entry_date.year)) / f"{entry.voucher_no}-{n + 1}-{_safe_name(source.name)}"
        target = attachments_dir() / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(prefix=".att-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        att = LedgerAttachment(
            entry_id=entry.id, file_name=source.name[:200], stored_path=rel.as_posix(),
            sha256=digest.hexdigest(), size=size, note=(note or "").strip(),
        )
        s.add(att)
        try:
            uow.commit()
        except BaseException:
            target.unlink(missing_ok=True)  # nothing half-written: no file without its row
            raise
        return _attachment_info(att)


def list_attachments(db: Database, entry_id: str) -> list[AttachmentInfo]:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return [
            _attachment_info(a)
            for a in s.scalars(
                select(LedgerAttachment)
                .where(LedgerAttachment.entry_id == entry_id, LedgerAttachment.deleted.is_(False))
                .order_by(LedgerAttachment.created_at)
            )
        ]


def entry_count(db: Database) -> int:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(LedgerEntry).where(
            _in_book(LedgerEntry.org_id, book_org_id(s)))) or 0)


__all__ = [
    "AccountBalance", "AccountInfo", "AccountLedger", "AnnualSummary", "AttachmentInfo", "BudgetLine",
    "CategoryTotal", "EntryFilter", "EntryInput", "EntryRow", "MonthStatement", "MonthTotal", "PostResult",
    "StatementLine", "VoucherData", "account_ledger", "add_account", "add_attachment", "attachments_dir",
    "balance", "balances", "budget_report", "categories", "center_name", "close_month", "closed_months",
    "ensure_accounts", "entry_count", "get_entry", "list_accounts", "list_attachments", "list_entries",
    "monthly_statement", "next_month_to_close", "post_entry", "remove_budget", "rename_account",
    "reverse_entry", "set_account_active", "set_budget", "suggest_voucher_no", "vouchers", "yearly_statement",
]
