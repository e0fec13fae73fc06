"""双进双认: an office's party organisation pairs with the community, takes posts (认岗位), adopts
households (认亲戚) and visits them; the year's visits show on the pairing and the unit's page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import live, year_span
from desktop_app.services.residents import household_label
from desktop_app.services.records import in_force, settle, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Household
from desktop_app.store.models_cobuilding import Pairing, PairingItem, PairingVisit, PartnerUnit
from desktop_app.views.cobuilding import PairingDetail, PairingItemRow, PairingRow, PairingVisitRow


def _rows(s: Session, pairings: list[Pairing], year: int) -> list[PairingRow]:
    if not pairings:
        return []
    ids = [p.id for p in pairings]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for pid, kind, n in s.execute(select(PairingItem.pairing_id, PairingItem.kind, func.count())
                                  .where(PairingItem.pairing_id.in_(ids), PairingItem.deleted.is_(False),
                                         PairingItem.ended_on.is_(None))
                                  .group_by(PairingItem.pairing_id, PairingItem.kind)):
        counts[(pid, kind)] = int(n)
    visits = dict(s.execute(select(PairingItem.pairing_id, func.count())
                            .join(PairingVisit, PairingVisit.item_id == PairingItem.id)
                            .where(PairingItem.pairing_id.in_(ids), PairingVisit.deleted.is_(False),
                                   PairingVisit.visit_date.between(*year_span(year)))
                            .group_by(PairingItem.pairing_id)).all())
    return [PairingRow(p.id, p.unit_id, p.unit_name, p.party_org, p.paired_on, p.ended_on,
                       counts[(p.id, rules.TAKE_POST)], counts[(p.id, rules.ADOPT)], int(visits.get(p.id, 0)))
            for p in pairings]


def list_pairings(db: Database, year: int | None = None, unit_id: str | None = None) -> list[PairingRow]:
    auth.require(db, "cobuilding.read")
    year = year or date.today().year
    with db.session() as s:
        q = select(Pairing).where(Pairing.deleted.is_(False))
        if unit_id:
            q = q.where(Pairing.unit_id == unit_id)
        return _rows(s, list(s.scalars(q.order_by(Pairing.ended_on.is_not(None), Pairing.unit_name))), year)


def _live(s: Session, model, row_id: str, what: str):
    return live(s, model, row_id, f"该{what}不存在或已删除")


def _detail(s: Session, p: Pairing, year: int) -> PairingDetail:
    start, end = year_span(year)
    items = []
    for it in s.scalars(select(PairingItem).where(PairingItem.pairing_id == p.id, PairingItem.deleted.is_(False))
                        .order_by(PairingItem.kind.desc(), PairingItem.since, PairingItem.name)):
        visits = tuple(PairingVisitRow(v.id, v.visit_date, v.visitors, v.content) for v in s.scalars(
            select(PairingVisit).where(PairingVisit.item_id == it.id, PairingVisit.deleted.is_(False),
                                       PairingVisit.visit_date.between(start, end))
            .order_by(PairingVisit.visit_date.desc())))
        items.append(PairingItemRow(it.id, it.kind, it.name, it.household_id, it.since, it.ended_on, visits))
    return PairingDetail(_rows(s, [p], year)[0], p.notes, tuple(items))


def get_pairing(db: Database, pairing_id: str, year: int | None = None) -> PairingDetail:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _detail(s, _live(s, Pairing, pairing_id, "结对"), year or date.today().year)


@writes("cobuilding.write")
def pair_unit(uow: UnitOfWork, unit_id: str, paired_on: date, notes: str = "", today: date | None = None) -> PairingDetail:
    """双进双认: the unit's party organisation pairs with the community (one pairing in force per unit)."""
    today = today or date.today()
    if paired_on is None or paired_on > today:
        raise ValidationError("结对日期", "不能为空，也不能晚于今天")
    s = uow.session
    u = live(s, PartnerUnit, unit_id, "请选择共建单位", "共建单位")
    if s.scalar(select(Pairing.id).where(Pairing.unit_id == u.id, Pairing.deleted.is_(False),
                                         Pairing.ended_on.is_(None))):
        raise Conflict(f"“{u.name}”已经和社区结对")
    p = Pairing(unit_id=u.id, unit_name=u.name, party_org=u.party_org, paired_on=paired_on, notes=notes.strip())
    s.add(p)
    return settle(uow, lambda s: _detail(s, p, today.year))


@writes("cobuilding.write")
def end_pairing(uow: UnitOfWork, pairing_id: str, on: date | None, today: date | None = None) -> PairingDetail:
    """The pairing ends; the posts and households it held end the same day."""
    today = today or date.today()
    s = uow.session
    p = _live(s, Pairing, pairing_id, "结对")
    if on is None or on > today or on < p.paired_on:
        raise ValidationError("结束日期", "应在结对日期和今天之间")
    p.ended_on = on
    for it in s.scalars(select(PairingItem).where(PairingItem.pairing_id == p.id, PairingItem.deleted.is_(False),
                                                  PairingItem.ended_on.is_(None))):
        it.ended_on = on
    return settle(uow, lambda s: _detail(s, p, today.year))


@writes("cobuilding.write")
def take_on(uow: UnitOfWork, pairing_id: str, kind: str, name: str = "", household_id: str | None = None,
            since: date | None = None, today: date | None = None) -> PairingDetail:
    """认岗位 (a post by name) or 认亲戚 (a household, named as its address)."""
    today = today or date.today()
    s = uow.session
    p = _live(s, Pairing, pairing_id, "结对")
    if p.ended_on:
        raise Conflict(f"“{p.unit_name}”的结对已结束")
    if kind == rules.ADOPT and household_id:
        h = _live(s, Household, household_id, "住户")
        name = name or f"{h.head_name or ''} {household_label(h.building, h.unit, h.room, h.address)}".strip()
        if s.scalar(select(PairingItem.id).where(PairingItem.household_id == h.id, PairingItem.deleted.is_(False),
                                                 PairingItem.ended_on.is_(None))):
            raise Conflict("这户已经有结对单位了")
    kind, name, household_id, on = rules.check_pairing_item(kind, name, household_id, since, p.paired_on, today)
    s.add(PairingItem(pairing_id=p.id, kind=kind, name=name, household_id=household_id, since=on))
    return settle(uow, lambda s: _detail(s, p, today.year))


@writes("cobuilding.write")
def log_pairing_visit(uow: UnitOfWork, item_id: str, on: date | None, visitors: str, content: str,
                      today: date | None = None) -> PairingDetail:
    """A visit to an adopted household (or a day's work on a post)."""
    today = today or date.today()
    s = uow.session
    it = _live(s, PairingItem, item_id, "结对项目")
    day, visitors, content = rules.check_pairing_visit(on, visitors, content, it.since, today)
    if it.ended_on and day > it.ended_on:
        raise ValidationError("走访日期", f"结对已于 {it.ended_on.isoformat()} 结束")
    s.add(PairingVisit(item_id=it.id, visit_date=day, visitors=visitors, content=content))
    return settle(uow, lambda s: _detail(s, _live(s, Pairing, it.pairing_id, "结对"), today.year))


def pairing_figures(s: Session, year: int) -> tuple[int, int, int, int]:
    """(pairings in force, 认岗位, 认亲戚 households, visits in `year`) for the year's figures."""
    start, end = year_span(year)
    pairings = s.scalar(select(func.count()).select_from(Pairing).where(
        Pairing.deleted.is_(False), *in_force(Pairing.paired_on, Pairing.ended_on, start, end))) or 0
    kinds = dict(s.execute(select(PairingItem.kind, func.count()).where(
        PairingItem.deleted.is_(False), *in_force(PairingItem.since, PairingItem.ended_on, start, end))
        .group_by(PairingItem.kind)).all())
    visits = s.scalar(select(func.count()).select_from(PairingVisit).where(
        PairingVisit.deleted.is_(False), PairingVisit.visit_date.between(start, end))) or 0
    return int(pairings), int(kinds.get(rules.TAKE_POST, 0)), int(kinds.get(rules.ADOPT, 0)), int(visits)
