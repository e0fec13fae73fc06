"""The dues rate table (党费标准) as dated data: seeding the 2008 table, reading it, adding a new rule."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_ledger import DuesRateRule

_seed_lock = threading.Lock()  # two background loads must not both seed the rate table


def _rule_from_row(r: DuesRateRule) -> RateRule:
    return RateRule(
        r.category, r.effective_from, r.over_fen, r.upto_fen, r.rate_bp, r.fixed_fen, r.min_fen, r.max_fen, r.note
    )


def rate_rules_in(s: Session) -> list[RateRule]:
    return [_rule_from_row(r) for r in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False)))]


# Seeded lines get the same id in every database, so a street's copy and a
# community's copy of the 2008 table merge as one table, not two.
_RULE_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4e1f-9c3d-2a8b7e6f5d41")


def _default_rule_id(r: RateRule) -> str:
    return str(uuid.uuid5(_RULE_NAMESPACE, f"{r.category}|{r.effective_from.isoformat()}|{r.over_fen}"))


def seed_rate_rules_in(s: Session) -> None:
    if s.scalar(select(DuesRateRule.id).limit(1)) is None:
        for r in rules.DEFAULT_RULES:
            s.add(DuesRateRule(
                id=_default_rule_id(r),
                category=r.category, effective_from=r.effective_from, over_fen=r.over_fen, upto_fen=r.upto_fen,
                rate_bp=r.rate_bp, fixed_fen=r.fixed_fen, min_fen=r.min_fen, max_fen=r.max_fen,
                note="中组部《关于中国共产党党费收缴、使用和管理的规定》",
            ))
        s.flush()


def ensure_rate_rules(db: Database) -> None:
    """Seed the 2008 table the first time dues are used."""
    auth.require(db, "dues.read")
    with db.session() as s:
        if s.scalar(select(DuesRateRule.id).limit(1)):
            return
    with _seed_lock, UnitOfWork(db) as uow:
        seed_rate_rules_in(uow.session)
        uow.commit()


def rate_rules(db: Database) -> list[RateRule]:
    """Every line of the table, by category, newest effective date first, then bracket."""
    auth.require(db, "dues.read")
    ensure_rate_rules(db)
    with db.session() as s:
        out = rate_rules_in(s)
    order = {c: i for i, c in enumerate(rules.CATEGORIES)}
    return sorted(out, key=lambda r: (order[r.category], -r.effective_from.toordinal(), r.over_fen or -1))


def set_rate_rules(db: Database, new: Sequence[RateRule]) -> list[RateRule]:
    """Add the lines of a new rule (or replace those of the same category and effective date).

    Each category and effective date must form a whole table (check_table);
    months before the date keep the old rates, and recorded dues keep the
    rate they were computed with.
    """
    auth.require(db, "settings.write")
    new = [r if r.effective_from.day == 1 else RateRule(**{**r.__dict__, "effective_from": rules.month_of(r.effective_from)})
           for r in new]
    rules.check_table(new)
    keys = {(r.category, r.effective_from) for r in new}
    with UnitOfWork(db) as uow:
        s = uow.session
        seed_rate_rules_in(s)
        for row in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False))):
            if (row.category, row.effective_from) in keys:
                row.deleted = True
        for r in new:
            s.add(DuesRateRule(
                category=r.category, effective_from=r.effective_from, over_fen=r.over_fen, upto_fen=r.upto_fen,
                rate_bp=r.rate_bp, fixed_fen=r.fixed_fen, min_fen=r.min_fen, max_fen=r.max_fen, note=r.note,
            ))
        uow.commit()
    return rate_rules(db)
