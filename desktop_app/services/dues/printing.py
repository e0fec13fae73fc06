"""Fetch and print the 党费收缴登记表 and the 党费收据: the GUI and the command line call this, not the report.

Printing writes nothing, so it is not audited (as the other printed forms); the receipt's number is derived
from its payment's 记账凭证, so a receipt printed again is the same receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_yuan
from desktop_app.services import auth
from desktop_app.services.dues.facts import live_member
from desktop_app.services.dues.grid import registry_grids
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.site import center_name
from desktop_app.store.db import Database
from desktop_app.store.models import Member
from desktop_app.store.models_ledger import DuesRecord, LedgerEntry
from desktop_app.views.dues import DuesReceipt, ReceiptLine


def print_dues_registry(
    db: Database,
    year: int,
    out: Path,
    branch: str | None = None,
    *,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> str:
    """The 党费收缴登记表 of every 党支部 (or `branch`: id, code or name) for `year`; a summary line."""
    # reportlab loads when printing, not at start-up
    from desktop_app.reports.dues import render_dues_registry

    auth.require(db, "dues.read")
    grids = registry_grids(db, year, branch, today)
    with db.session() as s:
        name = center_name(s)
    render_dues_registry(grids, out, center_name=name, progress=progress)
    return (f"{year}年 {len(grids)} 个党支部，党员 {sum(len(g.rows) for g in grids)} 名，"
            f"已收缴 {format_yuan(sum(g.paid_fen for g in grids))} 元")


def dues_receipts(
    db: Database,
    record_ids: Sequence[str] = (),
    *,
    member_id: str | None = None,
    months: Sequence[date] = (),
    entry_id: str | None = None,
    printed_on: date | None = None,
) -> list[DuesReceipt]:
    """The 党费收据 of the payments that paid these dues records (or `member_id`'s `months`, or every member's
    payment on the 党费收缴 entry `entry_id`: what 登记交纳 has just recorded).

    A receipt is one member's whole payment: a month picked from a payment for a quarter brings the other two
    with it, and months of different payments make one receipt each (in the order they were paid).
    """
    auth.require(db, "dues.read")
    reveal = auth.can(db, "members.reveal")
    printed_on = printed_on or date.today()
    with db.session() as s:
        picked = _picked_records(s, record_ids, member_id, months, entry_id)
        payments = list(dict.fromkeys((r.member_id, r.ledger_entry_id, r.paid_on) for r in picked))
        if not payments:
            raise ValidationError("交纳月份", "请选中已交纳的月份")
        tree = OrgTree(s)
        center = center_name(s)
        out = [_receipt(s, tree, center, reveal, printed_on, *p) for p in payments]
    return sorted(out, key=lambda r: (r.paid_on, r.number))


def _picked_records(
    s: Session, record_ids: Sequence[str], member_id: str | None, months: Sequence[date], entry_id: str | None
) -> list[DuesRecord]:
    live = (DuesRecord.deleted.is_(False), DuesRecord.paid_fen > 0)
    if record_ids:
        return list(s.scalars(select(DuesRecord).where(DuesRecord.id.in_(list(record_ids)), *live)))
    if entry_id is not None:
        return list(s.scalars(select(DuesRecord).where(DuesRecord.ledger_entry_id == entry_id, *live)))
    if member_id is None or not months:
        raise ValidationError("交纳月份", "请指定要打印收据的交纳记录，或党员和月份")
    m = live_member(s, member_id)
    wanted = sorted({rules.month_of(x) for x in months})
    got = {r.month: r for r in s.scalars(select(DuesRecord).where(
        DuesRecord.member_id == m.id, DuesRecord.month.in_(wanted), *live))}
    missing = [x for x in wanted if x not in got]
    if missing:
        raise ValidationError("交纳月份", f"{m.name}{rules.months_label(missing)}没有交纳记录，无法打印收据")
    return [got[x] for x in wanted]


def _receipt(
    s: Session, tree: OrgTree, center: str, reveal: bool, printed_on: date,
    member_id: str, entry_id: str | None, paid_on: date | None,
) -> DuesReceipt:
    live = (DuesRecord.deleted.is_(False), DuesRecord.paid_fen > 0)
    # A payment is the months its 党费收缴 entry carried for this member (one without an entry: its day's).
    where = ((DuesRecord.ledger_entry_id == entry_id,) if entry_id is not None
             else (DuesRecord.ledger_entry_id.is_(None), DuesRecord.paid_on == paid_on))
    records = list(s.scalars(select(DuesRecord).where(DuesRecord.member_id == member_id, *where, *live)
                             .order_by(DuesRecord.month)))
    member = s.get(Member, member_id)
    assert member is not None and records
    voucher, part, parts = "", 1, 1
    if entry_id is not None:
        entry = s.get(LedgerEntry, entry_id)
        voucher = entry.voucher_no if entry is not None else ""
        # Members collected together share the entry: each has a part of it, in a fixed order.
        payers = sorted(set(s.scalars(select(DuesRecord.member_id).where(DuesRecord.ledger_entry_id == entry_id,
                                                                          *live))))
        part, parts = payers.index(member_id) + 1, len(payers)
    org_id = records[-1].org_id or member.org_id
    branch = tree.branch_of(org_id) or tree.get(org_id)
    number = rules.receipt_number(voucher, branch.code if branch else "", part, parts)
    id_number = member.id_number if reveal else idcard.mask(member.id_number or "")
    first = records[0]
    return DuesReceipt(
        number=number, center_name=center, branch_name=branch.name if branch else "", member_name=member.name,
        id_number=id_number or "", lines=tuple(ReceiptLine(r.month, r.due_fen, r.paid_fen) for r in records),
        paid_on=first.paid_on or printed_on, collected_by=first.collected_by, voucher_no=voucher,
        printed_on=printed_on,
    )


def print_dues_receipt(
    db: Database,
    record_ids: Sequence[str] = (),
    out: Path | None = None,
    *,
    member_id: str | None = None,
    months: Sequence[date] = (),
    entry_id: str | None = None,
    printed_on: date | None = None,
    font_path: str | None = None,
) -> bytes:
    """党费收据 (存根 and 收据 on one A4 sheet each) of the payments of `record_ids`, of `member_id`'s `months` or
    on the entry `entry_id` (see dues_receipts); PDF bytes, also written to `out` when given."""
    from desktop_app.reports.dues import render_dues_receipts

    receipts = dues_receipts(db, record_ids, member_id=member_id, months=months, entry_id=entry_id,
                             printed_on=printed_on)
    return render_dues_receipts(receipts, out, printed_on, font_path=font_path)
