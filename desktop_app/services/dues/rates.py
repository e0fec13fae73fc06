"""The dues rate table (党费标准) as dated data: seeding the 2008 table, reading it, adding a new rule.

The rates are national rules: once a community is enrolled with a street, the street's
table is the one (sync.ownership refuses any other line from a community).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain import dues as rules
from desktop_app.domain.dues import RateRule
from desktop_app.domain.errors import Conflict
from desktop_app.domain.sync_rules import COMMUNITY
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Site
from desktop_app.store.models_ledger import DuesRateRule
from desktop_app.store.models_sync import SyncIdentity

_seed_lock = threading.Lock()  # two background loads must not both seed the rate table


def _rule_from_row(r: DuesRateRule) -> RateRule:
    return RateRule(
        r.category, r.effective_from, r.over_fen, r.upto_fen, r.rate_bp, r.fixed_fen, r.min_fen, r.max_fen, r.note
    )


def rate_rules_in(s: Session) -> list[RateRule]:
    return [_rule_from_row(r) for r in s.scalars(select(DuesRateRule).where(DuesRateRule.deleted.is_(False)))]


STREET_SETS_RATES = "本社区已加入街道数据同步，党费比例由街道统一设置；如需调整请联系街道"


def _line_values(r: RateRule) -> dict:
    return {k: getattr(r, k) for k in ("category", "effective_from", "over_fen", "upto_fen", "rate_bp",
                                       "fixed_fen", "min_fen", "max_fen", "note")}


def seed_rate_rules_in(s: Session) -> None:
    """The 2008 table, under the ids every program gives it (domain.dues.default_rule_id), into an empty table."""
    if s.scalar(select(DuesRateRule.id).limit(1)) is None:
        for rid, r in rules.default_lines().items():
            s.add(DuesRateRule(id=rid, **_line_values(r)))
        s.flush()


def _seed_rate_rules(db: Database) -> None:
    """Seed the table now if it is empty (the caller checked the permission)."""
    with db.session() as s:
        if s.scalar(select(DuesRateRule.id).limit(1)):
            return
    try:
        with _seed_lock, UnitOfWork(db) as uow:
            seed_rate_rules_in(uow.session)
            uow.commit()
    except IntegrityError:  # another process (a server's second operator) seeded the same ids first
        pass


def street_sets_rates_in(s: Session) -> bool:
    """A community enrolled with a street: the rates are the street's (national rules, one table for all)."""
    row = s.get(SyncIdentity, 1)
    return row is not None and row.role == COMMUNITY and row.state == "enrolled"


def rates_locked(db: Database) -> str | None:
    """Why this database may not change the rate table (shown where it would be edited), or None."""
    auth.require(db, "dues.read")
    with db.session() as s:
        return STREET_SETS_RATES if street_sets_rates_in(s) else None


def take_street_rates_in(s: Session) -> int:
    """On enrolment: the lines this community set itself give way to the seeded table the street began with.

    They would be refused at the street (which takes no rate line but the seeded ones from a
    community), and the community could send nothing more. Its own new lines are tombstoned (a
    tombstone sets no rate, and the street takes it as such); seeded lines it changed are seeded
    again. Lines the street sent stay (a community enrolling again). Recorded dues keep their
    amounts. Returns how many lines changed.
    """
    me = s.scalar(select(Site.id).limit(1))
    seeded = rules.default_lines()
    changed = 0
    for row in s.scalars(select(DuesRateRule).where(DuesRateRule.updated_by_site == me)):
        line = seeded.get(row.id)
        want = {**_line_values(line), "deleted": False} if line is not None else {"deleted": True}
        if any(getattr(row, k) != v for k, v in want.items()):
            for k, v in want.items():
                setattr(row, k, v)
            changed += 1
    seed_rate_rules_in(s)  # (a community that never used dues)
    s.flush()
    return changed


def ensure_rate_rules(db: Database) -> None:
    """Seed the 2008 table the first time dues are used."""
    auth.require(db, "dues.read")
    _seed_rate_rules(db)


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
    with db.session() as s:  # first, so an enrolled community is not told about a table it may not set anyway
        if street_sets_rates_in(s):
            raise Conflict(STREET_SETS_RATES)
    new = [r if r.effective_from.day == 1 else RateRule(**{**r.__dict__, "effective_from": rules.month_of(r.effective_from)})
           for r in new]
    rules.check_table(new)
    keys = {(r.category, r.effective_from) for r in new}
    with UnitOfWork(db) as uow:
        s = uow.session
        if street_sets_rates_in(s):  # enrolled meanwhile
            raise Conflict(STREET_SETS_RATES)
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
