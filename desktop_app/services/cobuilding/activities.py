"""Activities with the units and people in them: 四进, 文艺演出, 政策宣讲, 义诊, 志愿服务 …

An activity names its organisers (branches and partner units), who served and
for how long, how many residents it served, its cost and its photos. The
register of a year adds up the hours per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import attachments, auth
from desktop_app.services.cobuilding.common import (
    activity_rows, copy_changed, cost_rows, live, org_names, tombstone, year_span,
)
from desktop_app.services.records import keep_files, record_version, settle, stored_file, unchanged_since, writes
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.site import center_name, center_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_cobuilding import (
    Activity, ActivityOrg, ActivityPerson, ActivityPhoto, ActivityUnit, PartnerUnit, ReportingMember,
)
from desktop_app.views.cobuilding import (
    ActivityDetail, ActivityPersonRow, ActivityRegister, ActivityRow, ActivitySigninLine, ActivitySigninSheet,
    PhotoRow, VolunteerHours,
)

MAX_PHOTO_BYTES = 20 * 1024 * 1024


def list_activities(db: Database, year: int | None = None, text: str = "", kind: str | None = None,
                    unit_id: str | None = None) -> list[ActivityRow]:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return activity_rows(s, year, text=text, kind=kind, unit_id=unit_id)


def _live(s: Session, activity_id: str) -> Activity:
    return live(s, Activity, activity_id, "该活动不存在或已删除")


# what the activity form saves with the activity (photos and costs are kept on their own)
_LISTS = (ActivityOrg.activity_id, ActivityUnit.activity_id, ActivityPerson.activity_id)


def _detail(s: Session, a: Activity) -> ActivityDetail:
    row = activity_rows(s, None, ids=[a.id])[0]
    names = org_names(s)
    orgs = tuple((o, names.get(o, "")) for o in s.scalars(select(ActivityOrg.org_id).where(
        ActivityOrg.activity_id == a.id, ActivityOrg.deleted.is_(False))))
    units = tuple(s.execute(select(ActivityUnit.unit_id, ActivityUnit.unit_name).where(
        ActivityUnit.activity_id == a.id, ActivityUnit.deleted.is_(False)).order_by(ActivityUnit.unit_name)).tuples())
    people = tuple(ActivityPersonRow(p.kind, p.name, p.hours_tenths, p.member_id, p.reporting_member_id)
                   for p in s.scalars(select(ActivityPerson).where(
                       ActivityPerson.activity_id == a.id, ActivityPerson.deleted.is_(False))
                       .order_by(ActivityPerson.kind, ActivityPerson.name)))
    photos = tuple(PhotoRow.of(p) for p in s.scalars(
        select(ActivityPhoto).where(ActivityPhoto.activity_id == a.id, ActivityPhoto.deleted.is_(False))
        .order_by(ActivityPhoto.created_at)))
    return ActivityDetail(row, a.content, orgs, units, people, photos, tuple(cost_rows(s, [a.id])),
                          record_version(s, a, _LISTS))


def get_activity(db: Database, activity_id: str) -> ActivityDetail:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _detail(s, _live(s, activity_id))


def _check_links(s: Session, clean: rules.ActivityInput) -> dict[str, str]:
    """Every organiser and person named must exist; returns unit id -> name."""
    for oid in clean.org_ids:
        live(s, Organization, oid, "所选党组织不存在或已删除", "组织支部")
    units: dict[str, str] = {}
    for uid in clean.unit_ids:
        u = live(s, PartnerUnit, uid, "所选共建单位不存在或已删除", "共建单位")
        units[uid] = u.name
    for p in clean.people:
        m = s.get(Member, p.member_id) if p.member_id else None
        if p.member_id and (m is None or m.deleted):
            raise ValidationError("参与人员", f"党员 {p.name} 不存在或已删除")
        if p.reporting_member_id:
            live(s, ReportingMember, p.reporting_member_id, f"报到党员 {p.name} 不在报到名册中", "参与人员")
    return units


def _replace_links(s: Session, a: Activity, clean: rules.ActivityInput, units: dict[str, str]) -> None:
    """Tombstone the old organisers and people that are gone, add the new ones; unchanged rows stay."""
    old_orgs = {r.org_id: r for r in s.scalars(select(ActivityOrg).where(
        ActivityOrg.activity_id == a.id, ActivityOrg.deleted.is_(False)))}
    for oid, r in old_orgs.items():
        if oid not in clean.org_ids:
            r.deleted = True
    for oid in clean.org_ids:
        if oid not in old_orgs:
            s.add(ActivityOrg(activity_id=a.id, org_id=oid))
    old_units = {r.unit_id: r for r in s.scalars(select(ActivityUnit).where(
        ActivityUnit.activity_id == a.id, ActivityUnit.deleted.is_(False)))}
    for uid, r in old_units.items():
        if uid not in units:
            r.deleted = True
    for uid, name in units.items():
        if uid not in old_units:
            s.add(ActivityUnit(activity_id=a.id, unit_id=uid, unit_name=name))

    def key(kind, name, mid, rid):
        return (kind, mid or rid or name)
    old_people = {key(p.kind, p.name, p.member_id, p.reporting_member_id): p for p in s.scalars(
        select(ActivityPerson).where(ActivityPerson.activity_id == a.id, ActivityPerson.deleted.is_(False)))}
    wanted = {key(p.kind, p.name, p.member_id, p.reporting_member_id): p for p in clean.people}
    for k, row in old_people.items():
        if k not in wanted:
            row.deleted = True
        elif row.hours_tenths != wanted[k].hours_tenths or row.name != wanted[k].name:
            row.hours_tenths, row.name = wanted[k].hours_tenths, wanted[k].name
    for k, p in wanted.items():
        if k not in old_people:
            s.add(ActivityPerson(activity_id=a.id, kind=p.kind, name=p.name, hours_tenths=p.hours_tenths,
                                 member_id=p.member_id, reporting_member_id=p.reporting_member_id))


@writes("cobuilding.write")
def record_activity(uow: UnitOfWork, inp: rules.ActivityInput, today: date | None = None) -> ActivityDetail:
    """Record an activity with its organisers and people, in one transaction."""
    clean = rules.check_activity(inp, today or date.today())
    s = uow.session
    units = _check_links(s, clean)
    a = Activity(activity_date=clean.activity_date, kind=clean.kind, title=clean.title, place=clean.place,
                 residents_served=clean.residents_served, cost_fen=clean.cost_fen, content=clean.content)
    s.add(a)
    s.flush()
    _replace_links(s, a, clean, units)
    return settle(uow, lambda s: _detail(s, a))


@writes("cobuilding.write")
def update_activity(uow: UnitOfWork, activity_id: str, inp: rules.ActivityInput,
                    today: date | None = None, expected_version: int | None = None) -> ActivityDetail:
    """`expected_version`: the detail's version the form was read at; an activity or its lists changed since is refused."""
    clean = rules.check_activity(inp, today or date.today())
    s = uow.session
    a = _live(s, activity_id)
    unchanged_since(s, a, expected_version, f"活动 {a.title}", _LISTS)
    units = _check_links(s, clean)
    copy_changed(a, clean, ("activity_date", "kind", "title", "place", "residents_served", "cost_fen",
                            "content"))
    _replace_links(s, a, clean, units)
    return settle(uow, lambda s: _detail(s, a))


@writes("cobuilding.write")
def delete_activity(uow: UnitOfWork, activity_id: str) -> None:
    """Tombstone an activity and its links; photo files stay until the photos are removed."""
    s = uow.session
    a = _live(s, activity_id)
    for model in (ActivityOrg, ActivityUnit, ActivityPerson, ActivityPhoto):
        for r in s.scalars(select(model).where(model.activity_id == a.id, model.deleted.is_(False))):
            r.deleted = True
    a.deleted = True


def add_photo(db: Database, activity_id: str, source: str | Path) -> PhotoRow:
    """Copy a photo into the data folder and keep it with the activity (both or neither)."""
    return add_photos(db, activity_id, [source])[0]


def add_photos(db: Database, activity_id: str, sources: Sequence[str | Path]) -> list[PhotoRow]:
    """Keep several photos with the activity as one act: every file is checked first (a refusal names
    the file and why), then all are copied and recorded, or none is and no copy stays behind."""
    auth.require(db, "cobuilding.write")
    # a photo by its content, as a 微心愿's: a renamed program or document is no photo
    sources = attachments.check_images(attachments.check_sources(sources, MAX_PHOTO_BYTES))
    with db.session() as s:
        a = _live(s, activity_id)
        folder = f"activities/{a.activity_date.year}"
    rows = keep_files(db, sources, folder, lambda s, file: ActivityPhoto(
        activity_id=_live(s, activity_id).id, **file), MAX_PHOTO_BYTES)
    return [PhotoRow.of(row) for row in rows]


def remove_photo(db: Database, photo_id: str) -> None:
    """Take a photo off its activity, as a 微心愿's: a tombstone (so the removal travels), audited, needing
    cobuilding.write; the file stays in the data folder."""
    tombstone(db, ActivityPhoto, photo_id, "该照片不存在或已删除")


def photo_path(db: Database, photo_id: str) -> Path:
    auth.require(db, "cobuilding.read")
    return stored_file(db, ActivityPhoto, photo_id, "照片")


def volunteer_hours(db: Database, year: int) -> list[VolunteerHours]:
    """Hours per person over the year's activities, most hours first."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _volunteer_hours(s, year)


def _volunteer_hours(s: Session, year: int) -> list[VolunteerHours]:
    start, end = year_span(year)
    acc: dict[tuple, list] = defaultdict(lambda: ["", "", 0, 0])
    for kind, name, mid, rid, hours in s.execute(
            select(ActivityPerson.kind, ActivityPerson.name, ActivityPerson.member_id,
                   ActivityPerson.reporting_member_id, ActivityPerson.hours_tenths)
            .join(Activity, Activity.id == ActivityPerson.activity_id)
            .where(ActivityPerson.deleted.is_(False), Activity.deleted.is_(False),
                   Activity.activity_date.between(start, end))):
        k = (kind, mid or rid or name)
        a = acc[k]
        a[0], a[1] = kind, name
        a[2] += 1
        a[3] += hours
    rows = [VolunteerHours(k, n, c, h) for k, n, c, h in acc.values()]
    return sorted(rows, key=lambda r: (-r.hours_tenths, r.kind, r.name))


def activity_register(db: Database, year: int) -> ActivityRegister:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        rows = activity_rows(s, year)
        by_kind: dict[str, list[int]] = {}
        for r in rows:
            k = by_kind.setdefault(r.kind, [0, 0])
            k[0] += 1
            k[1] += r.residents_served
        order = [k for k in rules.ACTIVITY_KINDS if k in by_kind] + sorted(set(by_kind) - set(rules.ACTIVITY_KINDS))
        return ActivityRegister(year, tuple(sorted(rows, key=lambda r: (r.activity_date, r.title))),
                                tuple((k, by_kind[k][0], by_kind[k][1]) for k in order),
                                tuple(_volunteer_hours(s, year)))


def print_activity_register(db: Database, year: int, out: Path, *, today: date | None = None,
                            progress: Callable[[int], None] | None = None) -> int:
    """活动登记册 of `year`, with totals by kind and hours per person. Returns the activities listed."""
    from desktop_app.reports.cobuilding import (
        render_activity_register,  # reportlab loads only when printing
    )

    register = activity_register(db, year)
    render_activity_register(center_of(db), register, out, today or date.today(), progress=progress)
    return len(register.rows)


def activity_signin_sheet(db: Database, activity_id: str) -> ActivitySigninSheet:
    """The 签到表 of an activity: its particulars and the participants it lists, 党员, 报到党员, 志愿者 in
    that order (as the form groups them), each with where they come from."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        a = _live(s, activity_id)
        row = activity_rows(s, None, ids=[a.id])[0]
        orgs = OrgTree(s)
        people = list(s.execute(
            select(ActivityPerson.kind, ActivityPerson.name, Member.org_id, ReportingMember.employer)
            .outerjoin(Member, Member.id == ActivityPerson.member_id)
            .outerjoin(ReportingMember, ReportingMember.id == ActivityPerson.reporting_member_id)
            .where(ActivityPerson.activity_id == a.id, ActivityPerson.deleted.is_(False))
            .order_by(ActivityPerson.name)))
        order = {k: i for i, k in enumerate(rules.PERSON_KINDS)}
        people.sort(key=lambda p: order.get(p.kind, len(order)))  # stable: by name within a kind
        lines = tuple(ActivitySigninLine(p.name, p.kind, _branch(orgs, p.org_id) if p.org_id else (p.employer or ""))
                      for p in people)
        return ActivitySigninSheet(center_name(s), row.kind, row.title, row.activity_date, row.place,
                                   row.organisers, lines)


def _branch(orgs: OrgTree, org_id: str) -> str:
    """A member's branch (a 党小组 alone, 第二党小组, does not say which)."""
    branch = orgs.branch_of(org_id)
    return branch.name if branch is not None else ""


def print_activity_signin_sheet(db: Database, activity_id: str, out: Path | None = None, *,
                                printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """签到表 of an activity as PDF bytes (also written to `out` when given): the meeting sheet's look,
    the listed participants and blank rows for those who come unlisted."""
    from desktop_app.reports.activity_signin import render_activity_signin  # reportlab loads only when printing

    return render_activity_signin(activity_signin_sheet(db, activity_id), out, printed_on=printed_on,
                                  font_path=font_path)


def find_activity(db: Database, ref: str) -> str:
    """The id of the one live activity `ref` names: its id, or words of its name (or place), optionally after
    its date (2026-05-04 义诊). Refused, with the candidates, when none or several match."""
    auth.require(db, "cobuilding.read")
    text = " ".join(str(ref or "").split())
    if not text:
        raise ValidationError("活动", "请给出活动名称（可加日期，如 2026-05-04 义诊）")
    with db.session() as s:
        a = s.get(Activity, text)
        if a is not None and not a.deleted:
            return a.id
        first, _, rest = text.partition(" ")
        try:
            day = date.fromisoformat(first)
        except ValueError:
            day, rest = None, text
        rows = [r for r in activity_rows(s, day.year if day else None, text=rest)
                if day is None or r.activity_date == day]
    if len(rows) == 1:
        return rows[0].id
    if not rows:
        raise ValidationError("活动", f"找不到活动“{text}”")
    shown = "；".join(f"{r.activity_date.isoformat()} {r.title}" for r in rows[:8])
    raise ValidationError("活动", f"“{text}”对应 {len(rows)} 次活动，请加上日期或写全名称：{shown}"
                                  + ("……" if len(rows) > 8 else ""))
