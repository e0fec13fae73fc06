"""慰问: who was visited on which occasion, with what, and the 签领 sheet they sign on receipt.

Recipients may be members (困难党员, 老党员) or residents (生活困难群众, 独居老人);
their names and addresses are copied so a signed sheet stays true.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import copy_changed, live, unit_name, year_span
from desktop_app.services.records import record_version, settle, unchanged_since, writes
from desktop_app.services.site import center_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Member, Resident
from desktop_app.store.models_cobuilding import CareRecipient, CareVisit, PartnerUnit
from desktop_app.views.cobuilding import CareDetail, CareRow, RecipientRow


def _rows(s: Session, visits: list[CareVisit]) -> list[CareRow]:
    totals: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    if visits:
        for cid, n, fen in s.execute(
                select(CareRecipient.care_id, func.count(), func.coalesce(func.sum(CareRecipient.amount_fen), 0))
                .where(CareRecipient.care_id.in_([v.id for v in visits]), CareRecipient.deleted.is_(False))
                .group_by(CareRecipient.care_id)):
            totals[cid] = (int(n), int(fen))
    units = dict(s.execute(select(PartnerUnit.id, PartnerUnit.name)).all())
    return [CareRow(v.id, v.care_date, v.occasion, v.title, units.get(v.unit_id or "", ""), v.givers,
                    *totals[v.id]) for v in visits]


def list_care(db: Database, year: int | None = None, text: str = "") -> list[CareRow]:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        q = select(CareVisit).where(CareVisit.deleted.is_(False))
        if year:
            q = q.where(CareVisit.care_date.between(*year_span(year)))
        for term in text.split():
            q = q.where(CareVisit.title.contains(term) | CareVisit.givers.contains(term)
                        | CareVisit.id.in_(select(CareRecipient.care_id).where(CareRecipient.name.contains(term))))
        return _rows(s, list(s.scalars(q.order_by(CareVisit.care_date.desc(), CareVisit.title))))


def _live(s: Session, care_id: str) -> CareVisit:
    return live(s, CareVisit, care_id, "该慰问记录不存在或已删除")


def _detail(s: Session, v: CareVisit) -> CareDetail:
    people = tuple(RecipientRow(r.name, r.category, r.items, r.amount_fen, r.address, r.member_id, r.resident_id)
                   for r in s.scalars(select(CareRecipient).where(
                       CareRecipient.care_id == v.id, CareRecipient.deleted.is_(False))
                       .order_by(CareRecipient.created_at, CareRecipient.name)))
    return CareDetail(_rows(s, [v])[0], v.unit_id, v.notes, people, record_version(s, v, CareRecipient.care_id))


def get_care(db: Database, care_id: str) -> CareDetail:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _detail(s, _live(s, care_id))


def care_candidates(db: Database, today: date | None = None) -> list[RecipientRow]:
    """Who a 慰问 usually goes to: 困难党员 and members of 80 and over, then residents tagged as in need."""
    auth.require(db, "cobuilding.read")
    today = today or date.today()
    out: list[RecipientRow] = []
    with db.session() as s:
        for mid, name, hardship, born, address in s.execute(
                select(Member.id, Member.name, Member.is_hardship, Member.birth_date, Member.address)
                .where(Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES)).order_by(Member.seq)):
            old = born is not None and (today.year - born.year) >= 80
            if hardship or old:
                out.append(RecipientRow(name, "困难党员" if hardship else "老党员", address=address or "", member_id=mid))
        for rid, name, tags, b, u, r in s.execute(
                select(Resident.id, Resident.name, Resident.tags, Household.building, Household.unit, Household.room)
                .outerjoin(Household, Household.id == Resident.household_id)
                .where(Resident.deleted.is_(False)).order_by(Resident.name)):
            tag = next((t for t in ("独居老人", "低保户", "困难群众", "残疾人") if t in (tags or "")), None)
            if tag:
                category = {"低保户": "生活困难群众", "困难群众": "生活困难群众"}.get(tag, tag)
                out.append(RecipientRow(name, category, address=f"{b or ''}{u or ''}{r or ''}", resident_id=rid))
    return out


def _write(s: Session, v: CareVisit, clean: rules.CareInput) -> None:
    if clean.unit_id:
        live(s, PartnerUnit, clean.unit_id, "所选共建单位不存在或已删除", "慰问单位")
    copy_changed(v, clean, ("care_date", "occasion", "title", "unit_id", "givers", "notes"))
    s.flush()
    old = list(s.scalars(select(CareRecipient).where(CareRecipient.care_id == v.id, CareRecipient.deleted.is_(False))))
    for r in old:
        r.deleted = True  # a recipient list is replaced whole: the printed sheet lists it in order
    for p in clean.recipients:
        s.add(CareRecipient(care_id=v.id, member_id=p.member_id, resident_id=p.resident_id, name=p.name,
                            category=p.category, address=p.address, items=p.items, amount_fen=p.amount_fen))
    s.flush()


@writes("cobuilding.write")
def record_care(uow: UnitOfWork, inp: rules.CareInput, today: date | None = None) -> CareDetail:
    clean = rules.check_care(inp, today or date.today())
    v = CareVisit(care_date=clean.care_date, occasion=clean.occasion, title=clean.title)
    uow.session.add(v)
    _write(uow.session, v, clean)
    return settle(uow, lambda s: _detail(uow.session, v))


@writes("cobuilding.write")
def update_care(uow: UnitOfWork, care_id: str, inp: rules.CareInput, today: date | None = None,
                expected_version: int | None = None) -> CareDetail:
    """`expected_version`: the detail's version the form was read at; a visit or its list changed since is refused."""
    clean = rules.check_care(inp, today or date.today())
    v = _live(uow.session, care_id)
    unchanged_since(uow.session, v, expected_version, f"慰问 {v.title}", CareRecipient.care_id)
    _write(uow.session, v, clean)
    return settle(uow, lambda s: _detail(uow.session, v))


@writes("cobuilding.write")
def delete_care(uow: UnitOfWork, care_id: str) -> None:
    v = _live(uow.session, care_id)
    for r in uow.session.scalars(select(CareRecipient).where(CareRecipient.care_id == v.id)):
        r.deleted = True
    v.deleted = True


def print_care_sheet(db: Database, care_id: str, out: Path, *, today: date | None = None) -> int:
    """慰问签领表: one line per person with what they receive and room to sign. Returns the lines."""
    from desktop_app.reports.cobuilding import render_care_sheet

    detail = get_care(db, care_id)
    with db.session() as s:
        center = center_name(s)
        by_unit = unit_name(s, detail.unit_id)
    render_care_sheet(center, detail, by_unit, out, today or date.today())
    return len(detail.recipients)
