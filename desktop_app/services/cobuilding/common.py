"""Queries the 共驻共建 modules share: a year's activity rows and register rows, built in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain import idcard, pinyin
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.service_flow import check_day
from desktop_app.services import records
from desktop_app.services.records import assign, chunked, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Organization
from desktop_app.store.models_cobuilding import (
    Activity, ActivityOrg, ActivityPerson, ActivityPhoto, ActivityUnit, CostLink, ListItem, PartnerUnit, PostClaim,
    ReportingMember, ReportingPost, ServiceLog,
)
from desktop_app.store.models_ledger import LedgerEntry
from desktop_app.views.cobuilding import ActivityRow, CostRow, ReportingRow

ACTIVITY_LABEL, PROJECT_LABEL = "共建活动", "项目清单"


def copy_changed(row, source, keys) -> None:
    """records.assign with the values of `keys` taken from `source` (a checked input)."""
    assign(row, {k: getattr(source, k) for k in keys})


def live(s: Session, model, row_id: str | None, message: str, field: str | None = None):
    """The live row of `model` with this id; else NotFound(message), or a ValidationError of `field`
    when the id came from a form (a unit or member picked that has since been removed)."""
    row = s.get(model, row_id) if row_id else None
    if row is None or row.deleted:
        raise NotFound(message) if field is None else ValidationError(field, message)
    return row


@writes("cobuilding.write")
def end_row(uow: UnitOfWork, model, row_id: str, on: date | None, message: str, since: str, since_label: str,
            today: date | None = None) -> None:
    """End a dated row (a contact kept, a post claimed) on `on`: once, between its start and today."""
    row = live(uow.session, model, row_id, message)
    if row.ended_on is not None:
        raise NotFound(message)
    row.ended_on = check_day(on, "结束日期", today or date.today(), getattr(row, since), since_label)


@writes("cobuilding.write")
def tombstone(uow: UnitOfWork, model, row_id: str, message: str) -> None:
    """Delete a row the way synced rows are deleted (deleted = True), in its own unit of work."""
    records.tombstone(uow.session, model, row_id, message)


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def only(rows: list, ids: Sequence[str] | None) -> list:
    """The rows whose id is in `ids` (all of them when None), in their order."""
    if ids is None:
        return rows
    wanted = set(ids)
    return [r for r in rows if r.id in wanted]


def activity_totals(s: Session, *in_year) -> tuple[int, int, int, int, int]:
    """(activities, 四进 among them, residents served, hours in tenths, partner units taking part) of the
    live activities that meet the conditions `in_year` (a year, and at the street one community's)."""
    acts, four, served = s.execute(select(
        func.count(), func.coalesce(func.sum(case((Activity.kind.in_(rules.FOUR_INTO), 1), else_=0)), 0),
        func.coalesce(func.sum(Activity.residents_served), 0)).where(*in_year)).one()
    hours = s.scalar(select(func.coalesce(func.sum(ActivityPerson.hours_tenths), 0))
                     .join(Activity, Activity.id == ActivityPerson.activity_id)
                     .where(ActivityPerson.deleted.is_(False), *in_year)) or 0
    units = s.scalar(select(func.count(func.distinct(ActivityUnit.unit_id)))
                     .join(Activity, Activity.id == ActivityUnit.activity_id)
                     .where(ActivityUnit.deleted.is_(False), *in_year)) or 0
    return int(acts), int(four), int(served), int(hours), int(units)


def reporting_totals(s: Session, start: date, end: date, *where) -> tuple[int, int, int, int]:
    """(双报到 members serving at some time from `start` to `end`, their services in that span, the services'
    hours in tenths, their points) of the live reporting members meeting `where` (at the street: one community's)."""
    members = s.scalar(select(func.count()).select_from(ReportingMember).where(
        ReportingMember.deleted.is_(False), *where,
        (ReportingMember.reported_on.is_(None)) | (ReportingMember.reported_on <= end),
        (ReportingMember.left_on.is_(None)) | (ReportingMember.left_on >= start))) or 0
    services, hours, points = s.execute(select(
        func.count(), func.coalesce(func.sum(ServiceLog.hours_tenths), 0), func.coalesce(func.sum(ServiceLog.points), 0))
        .join(ReportingMember, ReportingMember.id == ServiceLog.reporting_member_id)
        .where(ServiceLog.deleted.is_(False), ReportingMember.deleted.is_(False), *where,
               ServiceLog.service_date.between(start, end))).one()
    return int(members), int(services), int(hours), int(points)


def org_names(s: Session) -> dict[str, str]:
    return dict(s.execute(select(Organization.id, Organization.name)).all())


def activity_rows(s: Session, year: int | None, ids: Sequence[str] | None = None, text: str = "",
                  kind: str | None = None, unit_id: str | None = None) -> list[ActivityRow]:
    """Live activities (of `year`, or all when None), newest first, with organisers and totals."""
    q = select(Activity).where(Activity.deleted.is_(False))
    if year:
        start, end = year_span(year)
        q = q.where(Activity.activity_date.between(start, end))
    if kind:
        q = q.where(Activity.kind == kind)
    for term in text.split():
        q = q.where(Activity.title.contains(term) | Activity.place.contains(term) | Activity.content.contains(term))
    if unit_id:
        q = q.where(Activity.id.in_(select(ActivityUnit.activity_id).where(
            ActivityUnit.unit_id == unit_id, ActivityUnit.deleted.is_(False))))
    acts = list(s.scalars(q.order_by(Activity.activity_date.desc(), Activity.title)))
    acts = only(acts, ids)
    if not acts:
        return []
    names = org_names(s)
    organisers: dict[str, list[str]] = defaultdict(list)
    people: dict[str, tuple[int, int]] = {}
    photos: dict[str, int] = {}
    for chunk in chunked([a.id for a in acts]):
        for aid, oid in s.execute(select(ActivityOrg.activity_id, ActivityOrg.org_id).where(
                ActivityOrg.activity_id.in_(chunk), ActivityOrg.deleted.is_(False))):
            organisers[aid].append(names.get(oid, ""))
        for aid, uname in s.execute(select(ActivityUnit.activity_id, ActivityUnit.unit_name).where(
                ActivityUnit.activity_id.in_(chunk), ActivityUnit.deleted.is_(False)).order_by(ActivityUnit.unit_name)):
            organisers[aid].append(uname)
        for aid, n, h in s.execute(select(ActivityPerson.activity_id, func.count(),
                                          func.coalesce(func.sum(ActivityPerson.hours_tenths), 0))
                                   .where(ActivityPerson.activity_id.in_(chunk), ActivityPerson.deleted.is_(False))
                                   .group_by(ActivityPerson.activity_id)):
            people[aid] = (int(n), int(h))
        photos.update(s.execute(select(ActivityPhoto.activity_id, func.count()).where(
            ActivityPhoto.activity_id.in_(chunk), ActivityPhoto.deleted.is_(False)).group_by(ActivityPhoto.activity_id)
        ).all())
    linked = linked_totals(s, [a.id for a in acts])
    return [ActivityRow(a.id, a.activity_date, a.kind, a.title, a.place, "、".join(p for p in organisers[a.id] if p),
                        a.residents_served, people.get(a.id, (0, 0))[0], people.get(a.id, (0, 0))[1], a.cost_fen,
                        photos.get(a.id, 0), linked.get(a.id, 0))
            for a in acts]


def search_terms(text: str) -> tuple[list[str], list[str]]:
    """A search box's words: those the database matches as a part of a field, and those in Latin letters,
    which may also be a name's pinyin (zhangwei) or initials (zw). These registers keep no pinyin of the
    names (a few thousand rows at most), so the Latin words are matched over the rows read."""
    words = text.split()
    latin = [w for w in words if w.isascii() and w.isalpha()]
    return [w for w in words if w not in latin], latin


def latin_match(term: str, name: str, *others: str) -> bool:
    """`term` (Latin letters) finds `name` by its pinyin or initials, or is a part of the name or of `others`
    in any case (an employer written ABC公司)."""
    low = term.lower()
    return pinyin.matches(term, name) or any(low in (o or "").lower() for o in others)


def reporting_rows(s: Session, year: int, unit_id: str | None = None, text: str = "", org_id: str | None = None,
                   serving_only: bool = False, ids: Sequence[str] | None = None) -> list[ReportingRow]:
    """The 双报到 register (live entries) by employer and name, with the year's services and posts held now."""
    q = select(ReportingMember).where(ReportingMember.deleted.is_(False))
    if unit_id:
        q = q.where(ReportingMember.unit_id == unit_id)
    if org_id:
        q = q.where(ReportingMember.org_id == org_id)
    if serving_only:
        q = q.where(ReportingMember.left_on.is_(None))
    words, latin = search_terms(text)
    for term in words:
        q = q.where(ReportingMember.name.contains(term) | ReportingMember.employer.contains(term)
                    | ReportingMember.employer_org.contains(term))
    people = [p for p in s.scalars(q.order_by(ReportingMember.employer, ReportingMember.name))
              if all(latin_match(t, p.name, p.employer, p.employer_org) for t in latin)]
    people = only(people, ids)
    if not people:
        return []
    names = org_names(s)
    start, end = year_span(year)
    totals: dict[str, tuple[int, int, int]] = {}
    posts: dict[str, list[str]] = defaultdict(list)
    for chunk in chunked([p.id for p in people]):
        for rid, n, h, pts in s.execute(
                select(ServiceLog.reporting_member_id, func.count(), func.coalesce(func.sum(ServiceLog.hours_tenths), 0),
                       func.coalesce(func.sum(ServiceLog.points), 0))
                .where(ServiceLog.reporting_member_id.in_(chunk), ServiceLog.deleted.is_(False),
                       ServiceLog.service_date.between(start, end))
                .group_by(ServiceLog.reporting_member_id)):
            totals[rid] = (int(n), int(h), int(pts))
        for rid, pname in s.execute(
                select(PostClaim.reporting_member_id, ReportingPost.name)
                .join(ReportingPost, ReportingPost.id == PostClaim.post_id)
                .where(PostClaim.reporting_member_id.in_(chunk), PostClaim.deleted.is_(False),
                       PostClaim.ended_on.is_(None), ReportingPost.deleted.is_(False))
                .order_by(ReportingPost.name)):
            posts[rid].append(pname)
    return [ReportingRow(
        p.id, p.name, p.gender, idcard.mask_phone(p.mobile), p.employer, p.employer_org, p.unit_id, p.job,
        p.reported_on, p.org_id, names.get(p.org_id or "", ""), "、".join(posts[p.id]),
        *totals.get(p.id, (0, 0, 0)), p.left_on, p.member_id is not None) for p in people]


def unit_name(s: Session, unit_id: str | None) -> str:
    if not unit_id:
        return ""
    u = s.get(PartnerUnit, unit_id)
    return u.name if u is not None else ""


# ---------------------------------------------------------------- costs (费用关联), read side


def _reversed_ids(s: Session, entry_ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for chunk in chunked(entry_ids):
        out.update(s.scalars(select(LedgerEntry.reversal_of).where(LedgerEntry.reversal_of.in_(chunk))))
    return out


def cost_rows(s: Session, activity_ids: Sequence[str] = (), item_ids: Sequence[str] = ()) -> list[CostRow]:
    """Live links of these activities and items, by voucher date."""
    links: list[CostLink] = []
    for col, ids in ((CostLink.activity_id, activity_ids), (CostLink.item_id, item_ids)):
        for chunk in chunked(ids):
            links += s.scalars(select(CostLink).where(col.in_(chunk), CostLink.deleted.is_(False)))
    if not links:
        return []
    gone = _reversed_ids(s, [c.entry_id for c in links])
    titles = dict(s.execute(select(Activity.id, Activity.title).where(
        Activity.id.in_([c.activity_id for c in links if c.activity_id]))).all())
    titles.update(s.execute(select(ListItem.id, ListItem.title).where(
        ListItem.id.in_([c.item_id for c in links if c.item_id]))).all())
    rows = [CostRow(c.id, c.entry_id, c.voucher_no, c.entry_date, c.amount_fen, c.entry_id in gone,
                    f"{ACTIVITY_LABEL if c.activity_id else PROJECT_LABEL}：{titles.get(c.activity_id or c.item_id, '')}",
                    c.activity_id, c.item_id) for c in links]
    return sorted(rows, key=lambda r: (r.entry_date, r.voucher_no))


def linked_totals(s: Session, activity_ids: Sequence[str] = (), item_ids: Sequence[str] = ()) -> dict[str, int]:
    """Linked voucher amounts per activity or item, reversed vouchers left out."""
    out: dict[str, int] = defaultdict(int)
    for r in cost_rows(s, activity_ids, item_ids):
        if not r.reversed:
            out[r.activity_id or r.item_id or ""] += r.amount_fen
    return dict(out)


