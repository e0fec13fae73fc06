"""双报到 register: 在职党员 reporting to the community, the posts they take, and their dated services.

A reporting member's 组织关系 stays with the employer, so they are kept here,
apart from the community's roster; a register entry moved over from the roster
(member_id set) takes that member out of the roster's counts, 应到, quorum and 党费.
Once a year the community sends each employer's party organisation a feedback form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import (
    activity_rows, copy_changed, end_row, live, org_names, reporting_rows, tombstone, year_span,
)
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.records import settle, unchanged_since, writes
from desktop_app.services.site import center_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_cobuilding import (
    Activity, ActivityPerson, PartnerUnit, PostClaim, ReportingMember, ReportingPost, ServiceLog,
)
from desktop_app.views.cobuilding import (
    FeedbackForm, FeedbackPerson, PostClaimRow, PostRow, ReportingDetail, ReportingRow, ServiceRow,
)


def _live(s: Session, rid: str) -> ReportingMember:
    return live(s, ReportingMember, rid, "该报到党员不在名册中或已删除")


def list_reporting(db: Database, year: int | None = None, text: str = "", unit_id: str | None = None,
                   serving_only: bool = False) -> list[ReportingRow]:
    """The register by employer and name, with `year`'s services (this year when None)."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return reporting_rows(s, year or date.today().year, unit_id=unit_id, text=text, serving_only=serving_only)


def registration_of(db: Database, member_id: str, year: int | None = None) -> ReportingRow | None:
    """A roster member's entry in the 双报到 register (None: not registered); the member form shows it read-only."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        r = s.scalar(select(ReportingMember).where(ReportingMember.member_id == member_id,
                                                   ReportingMember.deleted.is_(False)))
        return None if r is None else _detail(s, r, year or date.today().year).row


def _services(s: Session, rid: str, year: int) -> tuple[ServiceRow, ...]:
    start, end = year_span(year)
    posts = dict(s.execute(select(ReportingPost.id, ReportingPost.name)).all())
    return tuple(ServiceRow(x.id, x.service_date, x.content, posts.get(x.post_id or "", ""), x.hours_tenths, x.points)
                 for x in s.scalars(select(ServiceLog).where(
                     ServiceLog.reporting_member_id == rid, ServiceLog.deleted.is_(False),
                     ServiceLog.service_date.between(start, end)).order_by(ServiceLog.service_date.desc())))


def _detail(s: Session, r: ReportingMember, year: int) -> ReportingDetail:
    row = reporting_rows(s, year, ids=[r.id])[0]
    claims = tuple(PostClaimRow(c.id, c.post_id, name, c.claimed_on, c.ended_on) for c, name in s.execute(
        select(PostClaim, ReportingPost.name).join(ReportingPost, ReportingPost.id == PostClaim.post_id)
        .where(PostClaim.reporting_member_id == r.id, PostClaim.deleted.is_(False))
        .order_by(PostClaim.claimed_on.desc())).tuples())
    act_ids = list(s.scalars(select(ActivityPerson.activity_id).where(
        ActivityPerson.reporting_member_id == r.id, ActivityPerson.deleted.is_(False))))
    acts = tuple(activity_rows(s, year, ids=act_ids)) if act_ids else ()
    return ReportingDetail(row, r.skills, r.notes, _services(s, r.id, year), claims, acts, r.version)


def get_reporting(db: Database, rid: str, year: int | None = None) -> ReportingDetail:
    """A reporting member's page: posts, the year's services and activities."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _detail(s, _live(s, rid), year or date.today().year)


def _check_refs(s: Session, clean: rules.ReportingInput) -> None:
    if clean.unit_id:
        live(s, PartnerUnit, clean.unit_id, "所选共建单位不存在或已删除", "共建单位")
    if clean.org_id:
        live(s, Organization, clean.org_id, "所选党组织不存在或已删除", "报到支部")


_FIELDS = ("name", "gender", "employer", "employer_org", "unit_id", "job", "reported_on", "org_id", "skills", "notes")


@writes("cobuilding.write")
def register_reporting(uow: UnitOfWork, inp: rules.ReportingInput, today: date | None = None) -> ReportingDetail:
    """A 在职党员 reports to the community (the roster is not touched)."""
    today = today or date.today()
    clean = rules.check_reporting(inp, today)
    s = uow.session
    _check_refs(s, clean)
    same = s.scalar(select(ReportingMember.id).where(
        ReportingMember.name == clean.name, ReportingMember.employer == clean.employer,
        ReportingMember.deleted.is_(False), ReportingMember.left_on.is_(None)))
    if same:
        raise ValidationError("姓名", f"{clean.employer}的{clean.name}已在报到名册中")
    r = ReportingMember(mobile=clean.mobile, **{k: getattr(clean, k) for k in _FIELDS})
    s.add(r)
    return settle(uow, lambda s: _detail(s, r, today.year))


@writes("cobuilding.write")
def update_reporting(uow: UnitOfWork, rid: str, inp: rules.ReportingInput, today: date | None = None,
                     expected_version: int | None = None) -> ReportingDetail:
    """Save edits; an empty phone keeps the one on file (the form only ever shows it masked).
    `expected_version`: the version the form was read at; a registration changed since is refused."""
    today = today or date.today()
    clean = rules.check_reporting(inp, today)
    s = uow.session
    r = _live(s, rid)
    unchanged_since(s, r, expected_version, f"报到党员 {r.name}")
    _check_refs(s, clean)
    copy_changed(r, clean, _FIELDS + (("mobile",) if clean.mobile else ()))
    return settle(uow, lambda s: _detail(s, r, today.year))


@writes("cobuilding.write")
def end_reporting(uow: UnitOfWork, rid: str, on: date | None, reason: str = "",
                  today: date | None = None) -> ReportingDetail:
    """The member stops serving here (moved, changed job): posts held end the same day."""
    today = today or date.today()
    s = uow.session
    r = _live(s, rid)
    if on is None:
        raise ValidationError("离开日期", "不能为空")
    if on > today:
        raise ValidationError("离开日期", "不能晚于今天")
    if r.reported_on and on < r.reported_on:
        raise ValidationError("离开日期", "不能早于报到日期")
    r.left_on = on
    if reason.strip():
        r.notes = "；".join(p for p in (r.notes, f"{on.isoformat()} 离开：{reason.strip()[:200]}") if p)
    for c in s.scalars(select(PostClaim).where(PostClaim.reporting_member_id == r.id,
                                               PostClaim.deleted.is_(False), PostClaim.ended_on.is_(None))):
        c.ended_on = on
    return settle(uow, lambda s: _detail(s, r, today.year))


@writes("cobuilding.write")
def log_service(uow: UnitOfWork, rid: str, inp: rules.ServiceInput, today: date | None = None) -> ServiceRow:
    """A dated service with hours and 积分 (a point an hour unless given)."""
    today = today or date.today()
    s = uow.session
    r = _live(s, rid)
    clean = rules.check_service(inp, today, r.reported_on)
    if r.left_on and clean.service_date > r.left_on:
        raise ValidationError("服务日期", f"{r.name} 已于 {r.left_on.isoformat()} 离开")
    post_name = ""
    if clean.post_id:
        p = live(s, ReportingPost, clean.post_id, "所选岗位不存在或已删除", "岗位")
        post_name = p.name
    x = ServiceLog(reporting_member_id=r.id, service_date=clean.service_date, post_id=clean.post_id,
                   content=clean.content, hours_tenths=clean.hours_tenths, points=clean.points or 0)
    s.add(x)
    return settle(uow, lambda s: ServiceRow(x.id, x.service_date, x.content, post_name, x.hours_tenths, x.points))


def delete_service(db: Database, service_id: str) -> None:
    tombstone(db, ServiceLog, service_id, "该服务记录不存在或已删除")


# ---------------------------------------------------------------- posts


def list_posts(db: Database) -> list[PostRow]:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        names = org_names(s)
        holders: dict[str, list[str]] = defaultdict(list)
        for pid, who in s.execute(
                select(PostClaim.post_id, ReportingMember.name)
                .join(ReportingMember, ReportingMember.id == PostClaim.reporting_member_id)
                .where(PostClaim.deleted.is_(False), PostClaim.ended_on.is_(None), ReportingMember.deleted.is_(False))
                .order_by(ReportingMember.name)):
            holders[pid].append(who)
        return [PostRow(p.id, p.name, p.org_id, names.get(p.org_id or "", ""), p.duties, p.places,
                        tuple(holders[p.id]), p.version)
                for p in s.scalars(select(ReportingPost).where(ReportingPost.deleted.is_(False))
                                   .order_by(ReportingPost.name))]


@writes("cobuilding.write")
def save_post(uow: UnitOfWork, post_id: str | None, name: str, duties: str = "", places: int = 1,
              org_id: str | None = None, expected_version: int | None = None) -> str:
    """Create or edit a post the community offers (认领岗位); returns its id.
    `expected_version`: the version the form was read at; a post changed since is refused."""
    name, duties, places = rules.check_post(name, duties, places)
    s = uow.session
    if post_id:
        p = live(s, ReportingPost, post_id, "该岗位不存在或已删除")
        unchanged_since(s, p, expected_version, f"岗位 {p.name}")
    else:
        p = ReportingPost(name=name)
        s.add(p)
    p.name, p.duties, p.places, p.org_id = name, duties, places, org_id or None
    return settle(uow, lambda s: p.id)


@writes("cobuilding.write")
def claim_post(uow: UnitOfWork, post_id: str, rid: str, on: date, today: date | None = None) -> None:
    """认领岗位: the member takes the post, if it still has room."""
    today = today or date.today()
    s = uow.session
    r = _live(s, rid)
    p = live(s, ReportingPost, post_id, "该岗位不存在或已删除")
    if on > today:
        raise ValidationError("认领日期", "不能晚于今天")
    if r.left_on:
        raise Conflict(f"{r.name} 已离开，不能再认领岗位")
    held = list(s.scalars(select(PostClaim.reporting_member_id).where(
        PostClaim.post_id == p.id, PostClaim.deleted.is_(False), PostClaim.ended_on.is_(None))))
    if r.id in held:
        raise Conflict(f"{r.name} 已认领“{p.name}”")
    if len(held) >= p.places:
        raise Conflict(f"“{p.name}”只需 {p.places} 人，已经认领满了")
    s.add(PostClaim(post_id=p.id, reporting_member_id=r.id, claimed_on=on))


def end_claim(db: Database, claim_id: str, on: date | None, today: date | None = None) -> None:
    auth.require(db, "cobuilding.write")
    end_row(db, PostClaim, claim_id, on, "该认领不存在或已结束", "claimed_on", "认领日期", today)


# ---------------------------------------------------------------- feedback to employers


def feedback_forms(db: Database, year: int, employer: str | None = None) -> list[FeedbackForm]:
    """One form per employer (and its party organisation) for the members who served in `year`."""
    auth.require(db, "cobuilding.read")
    start, end = year_span(year)
    with db.session() as s:
        rows = [r for r in reporting_rows(s, year) if r.reported_on is None or r.reported_on <= end]
        rows = [r for r in rows if r.left_on is None or r.left_on >= start]
        if employer:
            rows = [r for r in rows if r.employer == employer]
        acts: dict[str, int] = dict(s.execute(
            select(ActivityPerson.reporting_member_id, func.count())
            .join(Activity, Activity.id == ActivityPerson.activity_id)
            .where(ActivityPerson.reporting_member_id.in_([r.id for r in rows]), ActivityPerson.deleted.is_(False),
                   Activity.deleted.is_(False), Activity.activity_date.between(start, end))
            .group_by(ActivityPerson.reporting_member_id)).all()) if rows else {}
        groups: dict[tuple[str, str], list[FeedbackPerson]] = defaultdict(list)
        for r in rows:
            groups[(r.employer, r.employer_org)].append(FeedbackPerson(
                r.name, r.job, r.reported_on, r.posts, r.services, r.hours_tenths, r.points, acts.get(r.id, 0),
                tuple(reversed(_services(s, r.id, year)))))
        return [FeedbackForm(year, emp, org, tuple(people)) for (emp, org), people in sorted(groups.items())]


def print_feedback_forms(db: Database, year: int, out: Path, employer: str | None = None, *,
                         today: date | None = None, progress: Callable[[int], None] | None = None) -> int:
    """在职党员到社区报到服务情况反馈表, one page per employer. Returns the forms printed."""
    from desktop_app.reports.cobuilding import render_feedback_forms

    forms = feedback_forms(db, year, employer)
    render_feedback_forms(center_of(db), forms, out, today or date.today(), progress=progress)
    return len(forms)


def print_reporting_register(db: Database, year: int, out: Path, *, today: date | None = None,
                             progress: Callable[[int], None] | None = None) -> int:
    """双报到名册 with each member's services, hours and 积分 in `year`. Returns the members listed."""
    from desktop_app.reports.cobuilding import render_reporting_register

    rows = list_reporting(db, year)
    render_reporting_register(center_of(db), year, rows, out, today or date.today(), progress=progress)
    return len(rows)


def _branch_id(s: Session, org_id: str | None) -> str | None:
    """The 党支部 a member of `org_id` reports to: 报到支部 is a branch (a 党小组 alone does not say whose,
    and the register's form offers branches only, so a saved correction would drop it)."""
    branch = OrgTree(s).branch_of(org_id) if org_id else None
    return branch.id if branch is not None else org_id


def move_from_roster(db: Database, member_id: str, today: date | None = None) -> ReportingDetail:
    """A roster member found to be a 在职党员 whose 组织关系 stays with the employer moves into the register.

    The member row stays (history keeps its name) but leaves the roster's counts, 应到 and 党费;
    the migration did the same for everyone with a reporting employer when the register began.
    """
    from desktop_app.services.meetings import planned

    auth.require(db, "cobuilding.write")
    auth.require(db, "members.write")
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        m = live(s, Member, member_id, "该党员不存在或已删除")
        with planned.following(s, m, today):  # out of 应到 of the branch's planned meetings too
            if s.scalar(select(ReportingMember.id).where(ReportingMember.member_id == m.id,
                                                         ReportingMember.deleted.is_(False))):
                raise Conflict(f"{m.name} 已在报到名册中")
            employer = m.reporting_employer or m.job
            if not employer:
                raise ValidationError("工作单位", f"{m.name} 没有填写报到单位，请先在名册中填写")
            unit = s.scalar(select(PartnerUnit.id).where(PartnerUnit.name == employer, PartnerUnit.deleted.is_(False)))
            r = ReportingMember(name=m.name, gender=m.gender or "", mobile=m.mobile or "", employer=employer[:120],
                                unit_id=unit, job=(m.reporting_post or "")[:60], reported_on=m.reporting_date or today,
                                org_id=_branch_id(s, m.org_id), member_id=m.id, skills=m.reporting_services or "")
            s.add(r)
        return settle(uow, lambda s: _detail(s, r, today.year))
