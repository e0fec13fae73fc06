"""A community's way out of 党费 changed in months closed on its books: put each record back as the street holds it.

The street refuses a package whole when it changes a 党费 record booked in a month closed there
(sync.ownership.check_closed). The community's own program refuses such changes (services.dues), but a
program from before that fix made some, and they travel in every package until put back.

What the street holds is the record as it was when the last package the street confirmed was made
(`confirmed_until`): the audit trail has every change made since, with the values before it, so the
record is rolled back through them. A change that left no trail entry (written behind the program)
cannot be rolled back: it is listed, not touched. Where a change had taken money out of the books
(撤销交纳 reverses the voucher in an open month), putting the record back books that money again,
today, so the 党费 records and the 经费台账 still agree. All or nothing, one transaction; the trail
keeps each record's before and after (the automatic entries) and the new voucher.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import dues as dues_rules
from desktop_app.domain import ledger as ledger_rules
from desktop_app.domain.errors import Conflict
from desktop_app.domain.sync_rules import COMMUNITY, UPSTREAM
from desktop_app.services import auth
from desktop_app.services import ledger as ledger_service
from desktop_app.services.sync.status import upper as upper_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.books import Books
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_ledger import ClosedMonth, DuesRecord
from desktop_app.store.models_sync import SyncExport, SyncIdentity, SyncRowState
from desktop_app.sync import outgoing
from desktop_app.views.closed_dues import ClosedDues, ClosedDuesPlan, ClosedDuesResult

__all__ = ["closed_dues", "restore_closed_dues"]

_STAMPS = frozenset({"id", "created_at", "updated_at", "updated_by_site", "version"})
CONTENT: tuple[str, ...] = tuple(c.name for c in DuesRecord.__table__.columns if c.name not in _STAMPS)
_DATES = frozenset(c.name for c in DuesRecord.__table__.columns if c.type.python_type is date)


def closed_dues(db: Database) -> ClosedDuesPlan:
    """The 党费 records the next package would carry that the street refuses for a closed month (a preview)."""
    auth.require(db, "dues.read")
    upper = upper_name(db)
    with db.session() as s:
        found = _find(s)
        unconfirmed = _unconfirmed(s, [f[0].record_id for f in found]) if found else 0
    return _plan(found, upper, unconfirmed)


def restore_closed_dues(db: Database, expected: tuple[str, ...] | list[str], on: date | None = None,
                        entered_by: str = "") -> ClosedDuesResult:
    """Put back every restorable record of the preview (`expected`: its ids) as the street holds it.

    Refused, nothing written, if what is found now is not what the worker saw (another change since).
    Permission: whoever may take back a payment (dues.write) and send packages (sync.export).
    """
    auth.require(db, "dues.write")
    auth.require(db, "sync.export")
    upper = upper_name(db)
    on = on or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        found = [f for f in _find(s) if f[0].restorable]
        if sorted(f[0].record_id for f in found) != sorted(expected):
            raise Conflict("已结账月份的党费在预览之后又有变化，请重新查看后再恢复")
        if not found:
            raise Conflict("没有可以恢复的已结账月份的党费")
        rebook = sum(_live_fen(street) - _live_fen(now) for _, now, street in found)
        names = []
        for item, _now, street in found:
            rec = s.get(DuesRecord, item.record_id)
            for name in CONTENT:
                if getattr(rec, name) != street[name]:
                    setattr(rec, name, street[name])
            names.append(f"{item.member_name}{item.month_text}")
        s.flush()
        voucher = ""
        if rebook:
            book = ledger_service.book_org_id(s)
            entry = ledger_service.post_in(s, ledger_service.EntryInput(
                entry_date=on, account_id=ledger_service.dues_account_id(s, book), direction=ledger_rules.INCOME,
                amount_fen=rebook, category=ledger_rules.DUES_COLLECTED, counterparty="党员交纳",
                handler=entered_by or "", entered_by=entered_by,
                memo=f"恢复已结账月份的党费交纳，重新入账：{'、'.join(names)[:200]}（改动落在已结账的月份，{upper}按原记录）",
            ), allow_negative=rebook < 0)
            voucher = entry.voucher_no
        uow.commit()
    return ClosedDuesResult(len(found), rebook, voucher)


def _live_fen(v: dict) -> int:
    return 0 if v["deleted"] else int(v["paid_fen"] or 0)


def _plan(found: list[tuple[ClosedDues, dict, dict | None]], upper: str, unconfirmed: int) -> ClosedDuesPlan:
    rebook = sum(_live_fen(street) - _live_fen(now) for item, now, street in found if street is not None)
    return ClosedDuesPlan(tuple(f[0] for f in found), upper, rebook, unconfirmed)


def _unconfirmed(s: Session, record_ids: list[str]) -> int:
    """Packages sent up after the newest one the street confirmed and before these records were first changed
    since: the street may have merged them (its 下发包 would say), and so hold a newer state than the one found.
    (Packages sent after the change are the refused ones.)"""
    confirmed = outgoing.confirmed_until(s)
    if confirmed is None:
        return 0
    first = s.scalar(select(func.min(AuditEntry.at)).where(
        AuditEntry.table_name == DuesRecord.__tablename__, AuditEntry.row_id.in_(record_ids), AuditEntry.at >= confirmed))
    q = select(func.count()).select_from(SyncExport).where(SyncExport.kind == UPSTREAM, SyncExport.until > confirmed)
    return int(s.scalar(q.where(SyncExport.until < first) if first is not None else q) or 0)


def _find(s: Session) -> list[tuple[ClosedDues, dict, dict | None]]:
    """(record, its values now, its values as the street holds them or None) for each stuck record."""
    site = s.scalar(select(Site).limit(1))
    ident = s.get(SyncIdentity, 1)
    if ident is None or not ident.street_site_id:
        return []
    if site is not None and site.level != COMMUNITY:
        return []
    confirmed = outgoing.confirmed_until(s)
    if confirmed is None:
        return []  # the street holds nothing of ours yet: nothing it could refuse as a change
    # A month counts once it was closed before the record's change: a change made while the month was still
    # open reaches the street with (or before) the closing, and the street takes both.
    closed = {(org, month): made for org, month, made in s.execute(
        select(ClosedMonth.org_id, ClosedMonth.month, ClosedMonth.created_at)
        .where(ClosedMonth.deleted.is_(False))).tuples()}
    if not closed:
        return []
    books = Books(s)
    street = ident.street_site_id
    taken = {rid: v for rid, v in s.execute(
        select(SyncRowState.row_id, SyncRowState.version)
        .where(SyncRowState.peer_site == street, SyncRowState.table_name == DuesRecord.__tablename__,
               SyncRowState.agreed_at >= confirmed)).tuples()}
    out = []
    # Changed after the package the street confirmed was made (its snapshot held every row stamped before).
    for rec in s.scalars(select(DuesRecord).where(DuesRecord.updated_at >= confirmed,
                                                  DuesRecord.created_at < confirmed)
                         .order_by(DuesRecord.month, DuesRecord.member_id)):
        if taken.get(rec.id) == rec.version:
            continue  # as the street sent it down since: the street's own state
        now = {n: getattr(rec, n) for n in CONTENT}
        there = _as_at(s, rec.id, confirmed, now)
        if there == now:
            continue  # changed and changed back: the street takes it as it is
        hit = _closed_month(books, closed, now, rec.updated_at) or (
            _closed_month(books, closed, there, rec.updated_at) if there else None)
        if hit is None:
            continue
        book, month = hit
        out.append((_item(s, rec, now, there, book, month), now, there))
    return out


def _closed_month(books: Books, closed: dict, v: dict, changed: datetime) -> tuple[str | None, date] | None:
    """The (book, month) a record's money is booked in, if that month was closed before `changed`
    (as sync.ownership.check_closed judges a row: by the day the money came in, on a voucher)."""
    if v["ledger_entry_id"] is None or v["paid_on"] is None:
        return None
    key = (books.of(v["org_id"]), dues_rules.month_of(v["paid_on"]))
    made = closed.get(key)
    return key if made is not None and made <= changed else None


def _as_at(s: Session, record_id: str, when: datetime, now: dict) -> dict | None:
    """The record's values at `when`, rolled back from `now` through the trail; None when the trail
    does not explain it (a change behind the program, or the record new since)."""
    entries = s.execute(
        select(AuditEntry.action, AuditEntry.before_json)
        .where(AuditEntry.table_name == DuesRecord.__tablename__, AuditEntry.row_id == record_id,
               AuditEntry.at >= when)
        .order_by(AuditEntry.at.desc())
    ).all()
    if not entries:
        return None
    values = dict(now)
    for action, before_json in entries:
        if action == audit.INSERT:
            return None
        before = json.loads(before_json) if before_json else {}
        for name, value in before.items():
            if name in values:
                values[name] = _decoded(name, value)
        if action == audit.DELETE:
            values["deleted"] = False
        elif action == audit.RESTORE:
            values["deleted"] = True
    return values


def _decoded(name: str, value: Any) -> Any:
    if name in _DATES and isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _item(s: Session, rec: DuesRecord, now: dict, there: dict | None, book: str | None, month: date) -> ClosedDues:
    who = s.scalar(select(Member.name).where(Member.id == rec.member_id)) or rec.member_id
    org = s.scalar(select(Organization.name).where(Organization.id == rec.org_id)) if rec.org_id else ""
    keeper = s.scalar(select(Organization.name).where(Organization.id == book)) if book else "本单位"
    closed = f"{keeper}已结账{dues_rules.month_label(month)}"
    there = there or {}
    return ClosedDues(
        record_id=rec.id, member_name=who, org_name=org or keeper, month=rec.month, closed=closed,
        now_fen=int(now["paid_fen"] or 0), now_on=now["paid_on"], now_deleted=bool(now["deleted"]),
        street_fen=int(there.get("paid_fen") or 0), street_on=there.get("paid_on"),
        street_deleted=bool(there.get("deleted")), restorable=bool(there),
    )
