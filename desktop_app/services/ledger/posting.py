"""Posting and closing: entries, 红字冲销 (reversals), voucher numbers, month closing (结账).

A posted entry is never edited or deleted; there is no function here that
could. A mistake is corrected by `reverse_entry` (红字冲销): a new entry of the
negative amount that points to the one it cancels. A closed month (结账)
takes no more entries, reversals or attachments; only a closing no package has
carried yet can be taken back (`reopen_unsent_in`, for an import taken back). Every write is one
UnitOfWork; every row carries the writing site (updated_by_site) and the
entry its 经办人 and 录入人, so each change is attributable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, cast, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain import ledger as rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.ledger import EXPENSE
from desktop_app.domain.text import check_text
from desktop_app.services import auth
from desktop_app.services.ledger.books import book_org_id, chosen_book, closed_set_in, in_book
from desktop_app.services.ledger.budgets import budget_warnings
from desktop_app.services.ledger.entries import get_row
from desktop_app.services.ledger.month_balances import build_month_in
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import (
    Account,
    ClosedMonth,
    DuesRecord,
    LedgerEntry,
    LedgerMonthBalance,
)
from desktop_app.views.ledger import PostResult


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


def closed_months(db: Database, *, book: str | None = None) -> list[date]:
    auth.require(db, "ledger.read")
    with db.session() as s:
        return sorted(closed_set_in(s, chosen_book(s, book)))


def close_month(db: Database, month: date, closed_by: str = "", note: str = "", today: date | None = None) -> date:
    """结账: after this nothing dated in `month` can be entered, reversed or attached; its month balances are kept."""
    auth.require(db, "ledger.write")
    today = today or date.today()
    month = rules.month_of(month)
    closed_by = rules.clean_text(closed_by, "经办人")
    with UnitOfWork(db) as uow:
        s = uow.session
        book = book_org_id(s)
        closed = closed_set_in(s, book)
        first = s.scalar(
            select(func.min(LedgerEntry.entry_date)).where(in_book(LedgerEntry.org_id, book))
        )
        rules.check_close(month, closed, rules.month_of(first) if first else None, today)
        closed_row = ClosedMonth(org_id=book, month=month, closed_by=closed_by, note=(note or "").strip())
        s.add(closed_row)
        build_month_in(s, closed_row)  # its month balances: the year's figures read these, not its entries
        uow.commit()
    return month


def reopening_refusal(s: Session, closed_ids: list[str]) -> str:
    """Why these closings cannot be taken back by `reopen_unsent_in` ("" when they can), naming the month."""
    from desktop_app.domain.sync_rules import UPSTREAM
    from desktop_app.store.models_sync import SyncExport

    rows = sorted(s.scalars(select(ClosedMonth).where(ClosedMonth.id.in_(closed_ids))), key=lambda r: r.month)
    changed = [r for r in rows if r.deleted or r.version != 1]
    if changed or len(rows) != len(set(closed_ids)):
        return f"{rules.month_label(changed[0].month) if changed else '导入时结账的月份'}的结账此后有变动，不能撤销结账"
    if not rows:
        return ""
    later = s.scalar(select(ClosedMonth.month).where(
        in_book(ClosedMonth.org_id, rows[0].org_id), ClosedMonth.deleted.is_(False),
        ClosedMonth.month > rows[-1].month, ClosedMonth.id.not_in([r.id for r in rows]))
        .order_by(ClosedMonth.month).limit(1))
    if later is not None:
        return f"{rules.month_label(later)}此后已结账，结账须按月份顺序，{rules.month_label(rows[-1].month)}不能撤销结账"
    sent = s.scalar(select(SyncExport.created_at).where(
        SyncExport.kind == UPSTREAM, SyncExport.until >= min(r.created_at for r in rows)).order_by(SyncExport.seq).limit(1))
    if sent is not None:
        return (f"{rules.month_label(rows[0].month)}的结账已随 {sent:%Y-%m-%d} 的数据包报送街道，"
                "街道的账上这些月份已结账，不能撤销结账")
    return ""


def reopen_unsent_in(s: Session, closed_ids: list[str]) -> list[ClosedMonth]:
    """Take back closings that never left this site (inside the caller's transaction); returns them, detached.

    A closing is for good once it is known elsewhere: the street's merge refuses a
    package that reopens a month (closed_month is append-only there). One that no
    package has carried yet is known only here, so it goes as if never made: its
    row and its month balances are removed, and the month can be closed again later
    (a tombstone would hold the month's unique key). Refused (Conflict, naming the
    month) as `reopening_refusal` says: changed since, a later month closed since,
    or a package made since.
    """
    why = reopening_refusal(s, closed_ids)
    if why:
        raise Conflict(why)
    rows = list(s.scalars(select(ClosedMonth).where(ClosedMonth.id.in_(closed_ids))))
    ids = [r.id for r in rows]
    s.execute(delete(LedgerMonthBalance).where(LedgerMonthBalance.closed_month_id.in_(ids)))
    for r in rows:
        s.expunge(r)  # read as they were; the rows themselves go below the session
    s.execute(delete(ClosedMonth).where(ClosedMonth.id.in_(ids)))
    return sorted(rows, key=lambda r: r.month)


def next_month_to_close(db: Database, today: date | None = None, *, book: str | None = None) -> date | None:
    """The earliest month that can be closed now (None when every ended month is closed)."""
    auth.require(db, "ledger.read")
    today = today or date.today()
    with db.session() as s:
        book = chosen_book(s, book)
        closed = closed_set_in(s, book)
        first = s.scalar(select(func.min(LedgerEntry.entry_date)).where(in_book(LedgerEntry.org_id, book)))
    m = rules.month_of(first) if first else None
    if m is None:
        return None
    while m in closed:
        m = rules.next_month(m)
    return m if rules.month_end(m) <= today else None


# ---------------------------------------------------------------- voucher numbers

def max_seq(s: Session, book: str | None, year: int) -> int:
    prefix = f"{year}-"
    seq = s.scalar(
        select(func.max(cast(func.substr(LedgerEntry.voucher_no, len(prefix) + 1), Integer))).where(
            in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no.like(f"{prefix}%")
        )
    )
    return int(seq or 0)


def suggest_voucher_no(db: Database, year: int) -> str:
    """The next number of the year's sequence (numbering runs per year and never repeats)."""
    auth.require(db, "ledger.read")
    with db.session() as s:
        return rules.format_voucher(year, max_seq(s, book_org_id(s), year) + 1)


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
    rules.check_open(inp.entry_date, closed_set_in(s, book), "录入")
    category = rules.clean_text(inp.category, "类别")
    if inp.voucher_no.strip():
        voucher = rules.normalize_voucher(inp.voucher_no, inp.entry_date)
        taken = s.scalar(
            select(LedgerEntry.entry_date).where(in_book(LedgerEntry.org_id, book), LedgerEntry.voucher_no == voucher)
        )
        if taken is not None:
            raise ValidationError("凭证号", f"{voucher} 已被 {taken.isoformat()} 的凭证使用")
    else:
        voucher = rules.format_voucher(inp.entry_date.year, max_seq(s, book, inp.entry_date.year) + 1)
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
        memo=check_text(inp.memo or "", "摘要").strip(),
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
            warnings = budget_warnings(s, s.get(Account, entry.account_id), entry.entry_date.year, entry.category)
        uow.commit()
        return PostResult(get_row(s, entry.id), tuple(warnings))


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
    reason = rules.check_reversal(facts, on, closed_set_in(s, book), reason)
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
        return PostResult(get_row(s, rev.id))
