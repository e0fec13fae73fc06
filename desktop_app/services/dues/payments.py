"""Dues payments: recorded per member and month, posted to the 党费 account in the same transaction.

A payment records one DuesRecord per month paid and posts one 党费收缴 income
entry (several members collected together make one entry, as a branch's
collection sheet does). Undoing a payment reverses that entry (红字冲销) and
re-posts whatever else it carried, so the ledger and the dues always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain import ledger as ledger_rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.services import auth
from desktop_app.services import ledger as ledger_service
from desktop_app.services.dues.facts import facts_of, live_member
from desktop_app.services.dues.rates import rate_rules_in, seed_rate_rules_in
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.books import ClosedBooks
from desktop_app.store.db import Database
from desktop_app.store.models import Member
from desktop_app.store.models_ledger import DuesBase, DuesRecord, LedgerEntry
from desktop_app.views.dues import PaymentResult


@dataclass(frozen=True)
class PaymentInput:
    member_id: str
    months: tuple[date, ...]
    amount_fen: int | None = None  # None: exactly the months' dues
    quarterly_consent: bool | None = None  # None: the member's standing consent (on the base)


def _book_and_account(s: Session) -> tuple[str | None, str]:
    book = ledger_service.book_org_id(s)
    return book, ledger_service.dues_account_id(s, book)


def _check_open(books: ClosedBooks, org_id: str | None, paid_on: date | None, name: str, what: str) -> None:
    """党费 paid (booked) in a month closed (结账) in the books it falls in stays as it is: the street refuses
    any change. Judged by the day the money came in, not the month paid for: a 补交 of a closed month is
    money of an open one (sync.ownership.DATED)."""
    if paid_on is None:
        return
    month = rules.month_of(paid_on)
    if keeper := books.keeper(org_id, month):
        label = rules.month_label(month)
        raise Conflict(f"{keeper}已结账{label}：{name}{label}交纳的党费记在已结账的账上，{what}")


def _prepare(
    s: Session, p: PaymentInput, paid_on: date, table: list[RateRule]
) -> tuple[Member, list[tuple[date, rules.DueCalc, DuesBase]], list[int], bool, list[str]]:
    m = live_member(s, p.member_id)
    f = facts_of(s, [m])[0]
    months = sorted(rules.month_of(x) for x in p.months)
    items = []
    for month in months:
        rec = f.records.get(month)
        if rec is not None and rec.paid_fen > 0:
            raise ValidationError("交纳月份", f"{m.name}{rules.month_label(month)}的党费已于{rec.paid_on}交纳")
        base = f.base_for(month)
        if base is None:
            raise ValidationError("党费基数", f"{m.name}还没有{rules.month_label(month)}适用的党费基数，请先登记")
        items.append((month, rules.monthly_due(table, base.category, month, base.income_fen, base.fixed_due_fen), base))
    consent = p.quarterly_consent
    if consent is None:
        base_now = f.base_for(rules.month_of(paid_on)) or (items[-1][2] if items else None)
        consent = bool(base_now.quarterly_consent) if base_now is not None else False
    warnings = [f"{m.name}：{w}" for w in rules.check_payment(months, paid_on, consent)]
    amounts = rules.split_payment([c.due_fen for _, c, _ in items], p.amount_fen)
    return m, items, amounts, consent, warnings


@writes("dues.write")
def record_payments(
    uow: UnitOfWork,
    payments: Sequence[PaymentInput],
    paid_on: date,
    collected_by: str,
    entered_by: str = "",
    note: str = "",
    voucher_no: str = "",
) -> PaymentResult:
    """Record dues paid by one or more members on `paid_on`, and post their total as one 党费收缴 entry.

    All or nothing: a refused month anywhere leaves everything unrecorded.
    """
    if not payments:
        raise ValidationError("交纳人", "请选择交纳党费的党员")
    collected_by = ledger_rules.clean_text(collected_by, "经办人")
    if not collected_by:
        raise ValidationError("收缴人", "请填写收缴人")
    if paid_on > date.today():
        raise ValidationError("交纳日期", "交纳日期不能晚于今天")
    ids = [p.member_id for p in payments]
    if len(set(ids)) != len(ids):
        raise ValidationError("交纳人", "同一党员在一次登记中只能出现一次，请把月份合在一起")
    s = uow.session
    seed_rate_rules_in(s)
    table = rate_rules_in(s)
    book, account_id = _book_and_account(s)
    # a 交纳日期 in a closed month is refused by the voucher's posting (the community's books), as before
    prepared = [_prepare(s, p, paid_on, table) for p in payments]
    total = sum(sum(amounts) for _, _, amounts, _, _ in prepared)
    if total <= 0:
        raise ValidationError("实交金额", "实交金额应大于 0（免交的月份无需登记）")
    all_months = sorted({month for _, items, _, _, _ in prepared for month, _, _ in items})
    if len(prepared) == 1:
        member = prepared[0][0]
        memo = f"{member.name}交纳{rules.months_label(all_months)}党费"
        counterparty = member.name
    else:
        memo = f"收缴{rules.months_label(all_months)}党费，{len(prepared)}人"
        counterparty = "党员交纳"
    if note.strip():
        memo += f"（{note.strip()}）"
    entry = ledger_service.post_in(s, ledger_service.EntryInput(
        entry_date=paid_on, account_id=account_id, direction=ledger_rules.INCOME, amount_fen=total,
        category=ledger_rules.DUES_COLLECTED, counterparty=counterparty, handler=collected_by,
        entered_by=entered_by, memo=memo, voucher_no=voucher_no,
    ))
    count = 0
    warnings: list[str] = []
    for member, items, amounts, consent, warns in prepared:
        warnings += warns
        for (month, calc, _base), amount in zip(items, amounts):
            rec = s.scalar(select(DuesRecord).where(DuesRecord.member_id == member.id, DuesRecord.month == month))
            if rec is None:
                rec = DuesRecord(member_id=member.id, month=month)
                s.add(rec)
            rec.org_id = member.org_id
            rec.category = calc.category
            rec.base_fen = calc.income_fen
            rec.rate_bp = calc.rate_bp
            rec.due_fen = calc.due_fen
            rec.paid_fen = amount
            rec.paid_on = paid_on
            rec.collected_by = collected_by
            rec.quarterly_consent = consent and month > rules.month_of(paid_on)
            rec.ledger_entry_id = entry.id
            rec.note = note.strip()
            rec.deleted = False
            count += 1
    s.flush()
    return PaymentResult(entry.voucher_no, entry.id, total, count, tuple(warnings))


def record_payment(
    db: Database,
    member_id: str,
    months: Sequence[date],
    paid_on: date,
    collected_by: str,
    amount_fen: int | None = None,
    quarterly_consent: bool | None = None,
    note: str = "",
    entered_by: str = "",
) -> PaymentResult:
    """One member's payment for one or more months (see record_payments)."""
    auth.require(db, "dues.write")
    return record_payments(
        db, [PaymentInput(member_id, tuple(months), amount_fen, quarterly_consent)], paid_on, collected_by,
        entered_by=entered_by, note=note,
    )


@writes("dues.write")
def cancel_payment(
    uow: UnitOfWork,
    member_id: str,
    month: date,
    reason: str,
    on: date | None = None,
    entered_by: str = "",
) -> PaymentResult:
    """Undo a recorded payment (every month it covered for this member).

    The 党费收缴 entry is reversed (红字冲销, dated `on`); other members'
    payments it carried are posted again as a new entry, so nothing else changes.
    """
    on = on or date.today()
    month = rules.month_of(month)
    s = uow.session
    m = live_member(s, member_id)
    rec = s.scalar(select(DuesRecord).where(DuesRecord.member_id == m.id, DuesRecord.month == month))
    if rec is None or rec.paid_fen <= 0:
        raise NotFound(f"{m.name}{rules.month_label(month)}没有交纳记录")
    if rec.ledger_entry_id is None:
        raise Conflict("这条交纳记录没有对应的账目，无法撤销")
    entry = s.get(LedgerEntry, rec.ledger_entry_id)
    assert entry is not None
    on_entry = list(s.scalars(select(DuesRecord).where(DuesRecord.ledger_entry_id == entry.id)))
    mine = [r for r in on_entry if r.member_id == m.id]
    others = [r for r in on_entry if r.member_id != m.id]
    books = ClosedBooks(s)
    for r in mine:
        _check_open(books, r.org_id, r.paid_on, m.name, "不能撤销这次交纳")
    names = dict(s.execute(select(Member.id, Member.name).where(Member.id.in_({r.member_id for r in others}))).all())
    for r in others:  # they are posted again on a new voucher: their records change too
        _check_open(books, r.org_id, r.paid_on, names.get(r.member_id, ""),
                    f"这张凭证也收着这笔党费，撤销{m.name}的交纳会改动它，不能撤销")
    reversal = ledger_service.reverse_in(
        s, entry.id, f"撤销{m.name}{rules.months_label([r.month for r in mine])}党费交纳：{reason}",
        on, entered_by=entered_by, for_dues=True,
    )
    new_entry = None
    if others:
        total = sum(r.paid_fen for r in others)
        new_entry = ledger_service.post_in(s, ledger_service.EntryInput(
            entry_date=on, account_id=entry.account_id, direction=entry.direction, amount_fen=total,
            category=entry.category, counterparty=entry.counterparty, handler=entry.handler,
            entered_by=entered_by,
            memo=f"{entry.memo}（{entry.voucher_no} 冲销后重新入账，不含{m.name}）",
        ))
        for r in others:
            r.ledger_entry_id = new_entry.id
    for r in mine:
        r.paid_fen = 0
        r.paid_on = None
        r.collected_by = ""
        r.quarterly_consent = False
        r.ledger_entry_id = None
        r.note = f"已撤销（{on.isoformat()}）：{reason}".strip()
    s.flush()
    return PaymentResult(
        reversal.voucher_no, reversal.id, reversal.amount_fen, len(mine),
        (f"其他党员的交纳已重新入账：凭证 {new_entry.voucher_no}",) if new_entry else (),
    )
