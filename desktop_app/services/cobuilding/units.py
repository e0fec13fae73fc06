"""共建单位 register: the units, and what each did with the community in a year.

The units are the same rows 微心愿 claims name (services.wishes keeps its own
short form for claims); here they gain kind, party organisation, address, date
joined and what they offer.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import extract, func, select

from desktop_app.domain import cobuilding as rules
from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import activity_rows, live, reporting_rows, year_span
from desktop_app.services.records import assign, in_force, settle, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.wishes import refuse_open_claims
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import (
    Activity, ActivityUnit, Inquiry, JointTopic, Pairing, PairingItem, PairingVisit, PartnerUnit, ReportingMember,
    ServiceLog, UnitReport, UnitReportItem,
)
from desktop_app.store.models_meetings import Meeting
from desktop_app.store.models_service import Wish, WishClaim
from desktop_app.views.cobuilding import UnitRow, UnitYear


def _row(u: PartnerUnit, activities: int = 0, reporting: int = 0, claims: int = 0) -> UnitRow:
    return UnitRow(u.id, u.name, u.kind, u.party_org, u.contact_person, u.phone, u.address, u.joined_on,
                   u.offers, u.notes, activities, reporting, claims, u.version)


def list_units(db: Database, text: str = "", kind: str | None = None, year: int | None = None) -> list[UnitRow]:
    """Live units by name, with this year's activities, serving reporting members and wish claims."""
    auth.require(db, "cobuilding.read")
    year = year or date.today().year
    start, end = year_span(year)
    with db.session() as s:
        q = select(PartnerUnit).where(PartnerUnit.deleted.is_(False))
        if kind:
            q = q.where(PartnerUnit.kind == kind)
        for term in text.split():
            q = q.where(PartnerUnit.name.contains(term) | PartnerUnit.party_org.contains(term)
                        | PartnerUnit.contact_person.contains(term))
        acts = dict(s.execute(
            select(ActivityUnit.unit_id, func.count(func.distinct(ActivityUnit.activity_id)))
            .join(Activity, Activity.id == ActivityUnit.activity_id)
            .where(ActivityUnit.deleted.is_(False), Activity.deleted.is_(False),
                   Activity.activity_date.between(start, end))
            .group_by(ActivityUnit.unit_id)).all())
        reporting = dict(s.execute(
            select(ReportingMember.unit_id, func.count())
            .where(ReportingMember.deleted.is_(False), ReportingMember.left_on.is_(None),
                   ReportingMember.unit_id.is_not(None))
            .group_by(ReportingMember.unit_id)).all())
        claims = dict(s.execute(
            select(WishClaim.unit_id, func.count())
            .where(WishClaim.deleted.is_(False), WishClaim.unit_id.is_not(None),
                   WishClaim.status != flow.CLAIM_WITHDRAWN)
            .group_by(WishClaim.unit_id)).all())
        return [_row(u, acts.get(u.id, 0), reporting.get(u.id, 0), claims.get(u.id, 0))
                for u in s.scalars(q.order_by(PartnerUnit.name))]


def unit_kinds_in_use(db: Database) -> dict[str, int]:
    """Live units per kind (kinds in list order; units with no kind as 未分类)."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        c = Counter(k or "未分类" for k in s.scalars(select(PartnerUnit.kind).where(PartnerUnit.deleted.is_(False))))
    order = list(rules.UNIT_KINDS) + ["未分类"]
    return {k: c[k] for k in order if c[k]}


@writes("cobuilding.write")
def save_unit(uow: UnitOfWork, unit_id: str | None, inp: rules.UnitInput, today: date | None = None,
              expected_version: int | None = None) -> UnitRow:
    """Register (unit_id None) or update a partner unit; names are unique among live units.
    `expected_version`: the version the form was read at; a unit changed since is refused."""
    clean = rules.check_unit(inp, today or date.today())
    s = uow.session
    other = s.scalar(select(PartnerUnit.id).where(PartnerUnit.name == clean.name, PartnerUnit.deleted.is_(False)))
    if other and other != unit_id:
        raise ValidationError("单位名称", f"“{clean.name}”已经登记过")
    if unit_id:
        u = live(s, PartnerUnit, unit_id, "该共建单位不存在或已删除")
        unchanged_since(s, u, expected_version, f"共建单位 {u.name}")
    else:
        u = PartnerUnit(name=clean.name)
        s.add(u)
    values = {
        "name": clean.name, "kind": clean.kind, "party_org": clean.party_org,
        "contact_person": clean.contact_person, "phone": clean.phone, "address": clean.address,
        "joined_on": clean.joined_on, "offers": rules.join_offers(clean.offers), "notes": clean.notes,
    }
    assign(u, values)
    return settle(uow, lambda s: _row(u))


@writes("cobuilding.write")
def delete_unit(uow: UnitOfWork, unit_id: str) -> None:
    """Tombstone a unit with no open wish claim and no serving reporting member; its past stays named."""
    s = uow.session
    u = live(s, PartnerUnit, unit_id, "该共建单位不存在或已删除")
    refuse_open_claims(s, u)
    serving = s.scalar(select(func.count()).select_from(ReportingMember).where(
        ReportingMember.unit_id == u.id, ReportingMember.deleted.is_(False), ReportingMember.left_on.is_(None)))
    if serving:
        raise Conflict(f"“{u.name}”还有 {serving} 名在册的报到党员，请先办理他们的离开后再删除")
    u.deleted = True


def unit_year(db: Database, unit_id: str, year: int) -> UnitYear:
    """A unit's page: its activities, its reporting members and their services, its wishes, in `year`."""
    auth.require(db, "cobuilding.read")
    start, end = year_span(year)
    with db.session() as s:
        u = live(s, PartnerUnit, unit_id, "该共建单位不存在或已删除")
        act_ids = list(s.scalars(select(ActivityUnit.activity_id).where(
            ActivityUnit.unit_id == u.id, ActivityUnit.deleted.is_(False))))
        activities = activity_rows(s, year, ids=act_ids) if act_ids else []
        people = reporting_rows(s, year, unit_id=u.id)
        ids = [p.id for p in people]
        count, hours = (0, 0)
        if ids:
            count, hours = s.execute(
                select(func.count(), func.coalesce(func.sum(ServiceLog.hours_tenths), 0))
                .where(ServiceLog.reporting_member_id.in_(ids), ServiceLog.deleted.is_(False),
                       ServiceLog.service_date.between(start, end))).one()
        wishes = [f"{w.wish_no} {w.content}（{w.state}）" for w in s.scalars(
            select(Wish).join(WishClaim, WishClaim.wish_id == Wish.id)
            .where(WishClaim.unit_id == u.id, WishClaim.deleted.is_(False), Wish.deleted.is_(False),
                   WishClaim.status != flow.CLAIM_WITHDRAWN, extract("year", WishClaim.claimed_on) == year)
            .order_by(Wish.wish_no))]
        pairing = []
        for kind, name, n in s.execute(
                select(PairingItem.kind, PairingItem.name, func.count(PairingVisit.id))
                .join(Pairing, Pairing.id == PairingItem.pairing_id)
                .outerjoin(PairingVisit, (PairingVisit.item_id == PairingItem.id) & PairingVisit.deleted.is_(False)
                           & PairingVisit.visit_date.between(start, end))
                .where(Pairing.unit_id == u.id, Pairing.deleted.is_(False), PairingItem.deleted.is_(False),
                       *in_force(PairingItem.since, PairingItem.ended_on, start, end))
                .group_by(PairingItem.id).order_by(PairingItem.kind.desc(), PairingItem.name)):
            pairing.append(f"{kind}：{name}" + (f"（走访 {n} 次）" if n else ""))
        topics = [f"{on.isoformat()} {t.topic}（{'已办结' if t.done_on else '办理中'}）" for t, on in s.execute(
            select(JointTopic, Meeting.meeting_date).join(Meeting, Meeting.id == JointTopic.meeting_id)
            .where(JointTopic.unit_id == u.id, JointTopic.deleted.is_(False), JointTopic.topic != "",
                   Meeting.deleted.is_(False), Meeting.meeting_date.between(start, end))
            .order_by(Meeting.meeting_date)).tuples()]
        row = _row(u, len(activities), sum(1 for p in people if p.left_on is None), len(wishes))
        return UnitYear(row, year, tuple(activities), tuple(people), int(count), int(hours), tuple(wishes),
                        tuple(pairing), tuple(topics), tuple(_reported(s, u.id, start, end)),
                        tuple(f"{i.inquiry_date.isoformat()} {i.topic}：{i.answer or '—'}（{i.state}）"
                              for i in s.scalars(select(Inquiry).where(
                                  Inquiry.unit_id == u.id, Inquiry.deleted.is_(False),
                                  Inquiry.inquiry_date.between(start, end)).order_by(Inquiry.inquiry_date))))


def _reported(s, unit_id: str, start: date, end: date) -> list[str]:
    """单位报到 lines of a unit's year: the 报到, then each 认领, service and 评价 that falls in it."""
    out: list[str] = []
    for r in s.scalars(select(UnitReport).where(
            UnitReport.unit_id == unit_id, UnitReport.deleted.is_(False),
            *in_force(UnitReport.reported_on, UnitReport.ended_on, start, end)).order_by(UnitReport.reported_on)):
        out.append(f"{r.reported_on.isoformat()} 报到" + (f"，{r.ended_on.isoformat()} 结束" if r.ended_on else "")
                   + (f"；承诺：{r.promise}" if r.promise else ""))
        for i in s.scalars(select(UnitReportItem).where(
                UnitReportItem.report_id == r.id, UnitReportItem.deleted.is_(False), UnitReportItem.item_date <= end)
                .order_by(UnitReportItem.item_date)):
            if i.kind == rules.REVIEW and i.year == start.year:
                out.append(f"{i.year}年评价：{i.title}" + (f"（{i.notes}）" if i.notes else ""))
            elif i.kind == rules.SERVICE and i.item_date >= start:
                out.append(f"{i.item_date.isoformat()} 服务：{i.title}，{i.people} 人，{rules.hours_text(i.hours_tenths)} 小时")
            elif i.kind == rules.CLAIM and (i.ended_on is None or i.ended_on >= start):
                out.append(f"{i.item_date.isoformat()} 认领：{i.title}" + (f"（{i.ended_on.isoformat()} 结束）"
                                                                           if i.ended_on else ""))
    return out
