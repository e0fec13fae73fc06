"""Members' dues bases (党费基数): category and income from a month on, and the due they give."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services.dues.facts import live_member
from desktop_app.services.dues.rates import (
    ensure_rate_rules,
    rate_rules_in,
    seed_rate_rules_in,
)
from desktop_app.services.records import settle, tombstone, upsert, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import DuesBase
from desktop_app.views.dues import DuesBaseInfo


def _base_info(b: DuesBase, table: list[RateRule]) -> DuesBaseInfo:
    try:
        calc = rules.monthly_due(table, b.category, b.effective_from, b.income_fen, b.fixed_due_fen)
        due, basis = calc.due_fen, calc.basis
    except ValidationError as exc:
        due, basis = 0, exc.message
    return DuesBaseInfo(
        b.id, b.member_id, b.effective_from, b.category, b.income_fen, b.fixed_due_fen, b.quarterly_consent,
        b.note, due, basis,
    )


@writes("dues.write")
def set_base(
    uow: UnitOfWork,
    member_id: str,
    effective_from: date,
    category: str,
    income_fen: int = 0,
    fixed_due_fen: int | None = None,
    quarterly_consent: bool = False,
    note: str = "",
) -> DuesBaseInfo:
    """Enter a member's dues base from a month on (yearly, or whenever income or category changes).

    `income_fen` is the monthly income after tax (在职) or the basic pension
    (离退休). `fixed_due_fen` is a farmer's chosen amount, or a reduction or
    exemption approved by the party committee (then `note` must say so).
    """
    category = rules.check_category(category)
    for value in (income_fen, fixed_due_fen):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError("amounts are int fen")
    if category in rules.INCOME_CATEGORIES:
        if income_fen <= 0:
            label = "月收入（税后）" if category == rules.EMPLOYED else "月基本离退休费"
            raise ValidationError(label, "请填写，按月计算党费")
    else:
        income_fen = 0
    note = (note or "").strip()
    month = rules.month_of(effective_from)
    s = uow.session
    live_member(s, member_id)
    seed_rate_rules_in(s)
    table = rate_rules_in(s)
    calc = rules.monthly_due(table, category, month, income_fen, fixed_due_fen)
    if calc.overridden and not note:
        raise ValidationError("备注", "少交或免交党费须经党委批准，请在备注中写明批准情况")
    row = upsert(s, DuesBase, {"member_id": member_id, "effective_from": month}, {
        "category": category, "income_fen": income_fen, "fixed_due_fen": fixed_due_fen,
        "quarterly_consent": bool(quarterly_consent), "note": note})
    return settle(uow, lambda _s: _base_info(row, table))


@writes("dues.write")
def remove_base(uow: UnitOfWork, base_id: str) -> None:
    """Withdraw a base entered by mistake; months already paid keep what was recorded."""
    tombstone(uow.session, DuesBase, base_id, "该党费基数不存在")


def bases(db: Database, member_id: str) -> list[DuesBaseInfo]:
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    with db.session() as s:
        table = rate_rules_in(s)
        return [
            _base_info(b, table)
            for b in s.scalars(
                select(DuesBase)
                .where(DuesBase.member_id == member_id, DuesBase.deleted.is_(False))
                .order_by(DuesBase.effective_from)
            )
        ]
