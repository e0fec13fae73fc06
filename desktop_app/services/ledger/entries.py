"""Reading entries: one row, a filtered list, ids by voucher number, voucher data, the count.

Rows come back as EntryRow read models with what they show about other rows
(the reversal, the original, attachments, whether the dues service posted it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Date, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import auth
from desktop_app.services.ledger.books import (
    book_org_id,
    chosen_book,
    closed_set_in,
    in_book,
)
from desktop_app.services.site import center_name
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import (
    Account,
    DuesRecord,
    LedgerAttachment,
    LedgerEntry,
)
from desktop_app.views.ledger import EntryRow, LedgerLine, VoucherData


@dataclass
class EntryFilter:
    account_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    direction: str | None = None
    category: str | None = None
    text: str = ""  # voucher number, memo, counterparty, handler
    hide_reversed: bool = False  # leave out reversed entries and their reversals


_ROW_COLUMNS = (
    LedgerEntry.id, LedgerEntry.voucher_no, LedgerEntry.entry_date, LedgerEntry.account_id, Account.name,
    LedgerEntry.direction, LedgerEntry.amount_fen, LedgerEntry.category, LedgerEntry.counterparty,
    LedgerEntry.handler, LedgerEntry.entered_by, LedgerEntry.memo, LedgerEntry.reversal_of,
    LedgerEntry.project_id, LedgerEntry.meeting_id, LedgerEntry.activity_id, LedgerEntry.created_at,
    LedgerEntry.updated_by_site,
)


def entry_query():
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
    """Links of the rows `ids`, or of all rows."""
    orig = aliased(LedgerEntry, name="orig")
    # "> ''" rather than IS NOT NULL: SQLite reads that range from the unique index on reversal_of
    # (the few reversals) where IS NOT NULL scans the whole table.
    q = (
        select(LedgerEntry.reversal_of, LedgerEntry.id, LedgerEntry.voucher_no, orig.voucher_no)
        .join(orig, orig.id == LedgerEntry.reversal_of)
        .where(LedgerEntry.reversal_of > "")
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


_new = object.__new__


def _make_row(values: dict) -> EntryRow:
    """EntryRow(**values), every field given, without the frozen dataclass's __init__.

    That __init__ sets each of the 24 fields through object.__setattr__ (about
    8 µs a row); a year's entry list has thousands of rows. The result is the
    same object (tests/unit/test_ledger_rows.py compares them).
    """
    row = _new(EntryRow)
    row.__dict__.update(values)
    return row


def _row(r, closed: set[date], links: _Links) -> EntryRow:
    (eid, voucher, entry_date, account_id, account_name, direction, amount, category, counterparty, handler,
     entered_by, memo, reversal_of, project_id, meeting_id, activity_id, created_at, site) = r
    rev_id, rev_voucher = links.reversed_by.get(eid, (None, ""))
    return _make_row(dict(
        id=eid, voucher_no=voucher, entry_date=entry_date, account_id=account_id,
        account_name=account_name, direction=direction, amount_fen=amount, category=category,
        counterparty=counterparty, handler=handler, entered_by=entered_by, memo=memo,
        reversal_of=reversal_of, reversal_of_voucher=links.original_voucher.get(eid, ""),
        reversed_by=rev_id, reversed_by_voucher=rev_voucher,
        project_id=project_id, meeting_id=meeting_id, activity_id=activity_id,
        attachments=links.attachments.get(eid, 0), created_at=created_at, updated_by_site=site,
        month_closed=rules.month_of(entry_date) in closed, is_dues=eid in links.dues,
    ))


def entry_rows(s: Session, q, closed: set[date], ids: Sequence[str] | None = None) -> list[EntryRow]:
    found = s.connection().execute(q).all()  # Core rows: the ORM's per-row loading is the slow part
    links = _links(s, ids if ids is not None else ([r[0] for r in found] if len(found) <= 200 else None))
    return [_row(r, closed, links) for r in found]


_E = LedgerEntry
_IS_INCOME = _E.direction == rules.INCOME
_PERIOD = (_E.account_id == bindparam("account_id"), _E.entry_date >= bindparam("date_from", type_=Date),
           _E.entry_date <= bindparam("date_to", type_=Date), _E.deleted.is_(False))
# The printed columns in print order, 摘要 and the income/expense split computed by the database (the same
# as summary_text and EntryRow). Built once: constructing it is a fair share of a small account's book.
_LINES = (
    select(_E.entry_date, _E.voucher_no,
           case((and_(_E.category != "", _E.memo != "", _E.reversal_of.is_(None)), _E.category + "：" + _E.memo),
                (_E.memo != "", _E.memo), else_=_E.category),
           _E.counterparty, case((_IS_INCOME, _E.amount_fen), else_=0), case((_IS_INCOME, 0), else_=_E.amount_fen),
           _E.reversal_of)
    .where(*_PERIOD).order_by(_E.entry_date, _E.voucher_no)
)
_ORIG = aliased(LedgerEntry, name="orig")
# The few reversals of a period's entries: original voucher number -> the reversal's
# ("> ''" rather than IS NOT NULL: SQLite reads that range from the unique index on reversal_of).
_REVERSED_BY = (
    select(_ORIG.voucher_no, _E.voucher_no).join(_ORIG, _ORIG.id == _E.reversal_of)
    .where(_E.reversal_of > "", _ORIG.account_id == bindparam("account_id"),
           _ORIG.entry_date >= bindparam("date_from", type_=Date), _ORIG.entry_date <= bindparam("date_to", type_=Date))
)


def ledger_lines(s: Session, acc: Account, date_from: date, date_to: date, opening_fen: int) -> list[LedgerLine]:
    """An account's entries of a period as the 收支明细账 prints them, by date and voucher number, each
    with the balance after it (from `opening_fen`).

    A year of a busy account is thousands of lines, so the database does the
    per-line work (_LINES; tests/integration/test_ledger_month_balances.py
    compares the lines with the entry list). Python only adds up the running
    balance. No ORM object, no EntryRow, none of the links the book does not print.
    """
    params = {"account_id": acc.id, "date_from": date_from, "date_to": date_to}
    conn = s.connection()
    reversed_by = dict(conn.execute(_REVERSED_BY, params).all())
    result = conn.execute(_LINES, params)
    # The driver's rows as they come, not SQLAlchemy's: its per-row processing cost as much as the
    # query, and only the date needs it, once a day (the rows come by date); an SQLite date is text,
    # a PostgreSQL one already a date (no processor). Taken one by one rather than all at once: tens
    # of thousands of result rows alive together make the garbage collector walk the whole heap again
    # and again (a quarter slower at 50,000 lines).
    to_date = _E.entry_date.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
    new, by = tuple.__new__, reversed_by.get if reversed_by else None  # most periods reverse nothing
    out = []
    balance = opening_fen
    raw_day = day = None
    try:
        for stored, voucher, summary, counterparty, income, expense, reversal_of in result.cursor:
            if stored != raw_day:
                raw_day, day = stored, (to_date(stored) if to_date else stored)
            balance += income - expense
            out.append(new(LedgerLine, (day, voucher, summary, counterparty, income, expense,
                                        reversal_of is not None, balance, by(voucher, "") if by else "")))
    finally:
        result.close()
    return out


def get_row(s: Session, entry_id: str) -> EntryRow:
    rows = entry_rows(s, entry_query().where(LedgerEntry.id == entry_id), set(), [entry_id])
    if not rows:
        raise NotFound("该凭证不存在")
    org_id = s.scalar(select(LedgerEntry.org_id).where(LedgerEntry.id == entry_id))
    closed = closed_set_in(s, org_id)
    row = rows[0]
    return replace(row, month_closed=rules.month_of(row.entry_date) in closed)


def get_entry(db: Database, entry_id: str) -> EntryRow:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return get_row(s, entry_id)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entry_conditions(flt: EntryFilter, book: str | None) -> list:
    c = [in_book(LedgerEntry.org_id, book), LedgerEntry.deleted.is_(False)]
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


def list_entries(db: Database, flt: EntryFilter | None = None, limit: int | None = None, *,
                 book: str | None = None) -> list[EntryRow]:
    """Entries matching `flt`, by date then voucher number (filtered in SQL); `book`: a community's, at a street."""
    auth.require(db, "ledger.read")
    flt = flt or EntryFilter()
    with db.session() as s:
        book = chosen_book(s, book)
        closed = closed_set_in(s, book)
        q = entry_query().where(*_entry_conditions(flt, book)).order_by(
            LedgerEntry.entry_date, LedgerEntry.voucher_no
        )
        if limit:
            q = q.limit(limit)
        return entry_rows(s, q, closed)


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
                    select(LedgerEntry.id).where(in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == number)
                )
                if found is None:
                    raise ValidationError("凭证号", f"没有凭证 {number}")
                out.append(found)
            return out
        q = select(LedgerEntry.id).where(in_book(LedgerEntry.org_id, book))
        if date_from:
            q = q.where(LedgerEntry.entry_date >= date_from)
        if date_to:
            q = q.where(LedgerEntry.entry_date <= date_to)
        return list(s.scalars(q.order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)))


def vouchers(db: Database, entry_ids: Sequence[str]) -> list[VoucherData]:
    """Data for printing 记账凭证, in the order given."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        name = center_name(s)
        out = []
        for entry_id in entry_ids:
            row = get_row(s, entry_id)
            files = tuple(
                s.scalars(
                    select(LedgerAttachment.file_name)
                    .where(LedgerAttachment.entry_id == entry_id, LedgerAttachment.deleted.is_(False))
                    .order_by(LedgerAttachment.created_at)
                )
            )
            out.append(VoucherData(name, row, files))
        return out


def entry_count(db: Database) -> int:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(LedgerEntry).where(
            in_book(LedgerEntry.org_id, book_org_id(s)))) or 0)
