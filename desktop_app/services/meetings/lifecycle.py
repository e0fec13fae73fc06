"""A meeting's life: plan, edit, attendees and guests, cancel, reopen, hold, delete.

A meeting's expected attendees are Attendance rows with an empty status
until attendance is recorded; guests (列席) are rows with is_guest set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain import membership as membership_rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.orgs import KIND_LABELS, OrgKind
from desktop_app.services import auth, orgtree
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import (
    EXPECTED_STATUSES, _attendance_rows, _chunks, _committee_ids, _live_meeting, _site_code, _today,
)
from desktop_app.services.orgtree import OrgNode, OrgTree
from desktop_app.services.meetings.queries import _detail, _fresh_detail
from desktop_app.services.records import assign, chosen, settle, unchanged_since, writes
from desktop_app.services.membership import StandingBook, exemptions_of, moved_through
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_cobuilding import registered_member_ids
from desktop_app.store.models_meetings import Attendance, Meeting, MeetingAttachment
from desktop_app.views.meetings import ExpectedPerson, Guest, MeetingDetail, MeetingInput

_HOLDER_KINDS: dict[rules.Holder, tuple[str, ...]] = {
    rules.Holder.BRANCH: (OrgKind.BRANCH,),
    rules.Holder.GROUP: (OrgKind.GROUP, OrgKind.BRANCH),
    rules.Holder.COMMUNITY: (OrgKind.COMMUNITY, OrgKind.BRANCH, OrgKind.STREET),
}


def check_holder(orgs: OrgTree, org_id: str | None, kind: str) -> OrgNode:
    if not org_id:
        raise ValidationError("党组织", "请选择召开会议的党组织")
    org = orgs.get(org_id)
    if org is None:
        raise ValidationError("党组织", "所选党组织不存在或已删除")
    allowed = _HOLDER_KINDS[rules.default_rule(kind).holder]
    if org.kind not in allowed:
        where = "、".join(KIND_LABELS[OrgKind(k)] for k in allowed)
        raise ValidationError("党组织", f"{kind}应由{where}召开，“{org.name}”是{KIND_LABELS[OrgKind(org.kind)]}")
    return org


def check_meeting(inp: MeetingInput) -> MeetingInput:
    kind = rules.check_kind(inp.kind)
    if inp.meeting_date is None:
        raise ValidationError("会议日期", "不能为空")
    if not 2000 <= inp.meeting_date.year <= 2100:
        raise ValidationError("会议日期", f"{inp.meeting_date:%Y-%m-%d} 不合理")
    if inp.start_time and inp.end_time and inp.end_time <= inp.start_time:
        raise ValidationError("结束时间", "应晚于开始时间")
    lecturer = rules.check_short("授课人", inp.lecturer, 40)
    return MeetingInput(
        org_id=inp.org_id,
        kind=kind,
        title=rules.check_title(inp.title, kind),
        meeting_date=inp.meeting_date,
        start_time=inp.start_time,
        end_time=inp.end_time,
        place=rules.check_short("会议地点", inp.place, 60),
        host=rules.check_short("主持人", inp.host, 40),
        recorder=rules.check_short("记录人", inp.recorder, 40),
        lecturer=lecturer,
        minutes=(inp.minutes or "").strip(),
        notes=(inp.notes or "").strip(),
    )


def _member_org_ids(s: Session, org: OrgNode) -> list[str]:
    """Organisations whose members belong to a meeting of `org` (a branch covers its groups)."""
    return orgtree.subtree_ids(s, org.id) if org.kind != OrgKind.GROUP else [org.id]


def _roster_members(s: Session, org_ids: Sequence[str], on: date | None = None) -> list[tuple]:
    """(id, name, org_id, category, seq) of the members expected at meetings of these orgs.

    With `on`, as on that day: a meeting entered afterwards lists who was a member
    then (not those who joined later; those who died or left since still listed).
    """
    out: list[tuple] = []
    for chunk in _chunks(list(org_ids)):
        q = (select(Member.id, Member.name, Member.org_id, Member.category, Member.seq)
             .where(Member.org_id.in_(chunk), Member.deleted.is_(False),
                    Member.id.not_in(registered_member_ids())))
        if on is None:
            q = q.where(Member.status.in_(EXPECTED_STATUSES))
        out += s.execute(q).all()
    if on is None:
        return out
    # Who sat here on that day: today's members and those who moved in or out since (branch as of `on`).
    seen = {r[0] for r in out}
    moved = sorted(moved_through(s, org_ids) - seen)
    for chunk in _chunks(moved):
        out += s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.seq)
                         .where(Member.id.in_(chunk), Member.deleted.is_(False),
                                Member.id.not_in(registered_member_ids()))).all()
    book = StandingBook(s, [r[0] for r in out])
    wanted = set(org_ids)
    keep = []
    for r in out:
        then = book.on(r[0], on)
        if then is not None and then.category is not None and then.status in EXPECTED_STATUSES \
                and then.org_id in wanted:
            keep.append((r[0], r[1], then.org_id, r[3], r[4]))
    return keep


def _excused(s: Session, member_ids: Sequence[str], on: date) -> dict[str, str]:
    """Why each of these members is excused from 应到 on `on` (stated exemption, or 失联 that day)."""
    book = StandingBook(s, member_ids)
    granted = exemptions_of(s, member_ids)
    out = {}
    for mid in member_ids:
        then = book.on(mid, on)
        reason = membership_rules.excused_reason(then.status if then else "", granted.get(mid, ()), on)
        if reason:
            out[mid] = reason
    return out


def _default_attendees(s: Session, orgs: OrgTree, org: OrgNode, kind: str, on: date) -> list[str]:
    """Member ids a meeting expects by default, in sign-in order (group, then roster number)."""
    who = rules.default_rule(kind).attendees
    if who == "invited":
        return []
    if who == "committee":
        return _committee_ids(s, orgs.branch_of(org.id).id if orgs.branch_of(org.id) else None, on)
    members = _roster_members(s, _member_org_ids(s, org), on)
    return [r[0] for r in sorted(members, key=lambda r: signin_order(orgs, r[2], r[4], r[1]))]


def signin_order(orgs: OrgTree, org_id: str | None, seq: int, name: str) -> tuple:
    """Where a member sitting in `org_id` stands on a sign-in sheet (the rule is domain's `signin_place`)."""
    group = orgs.get(org_id) if org_id else None
    return rules.signin_place((group.sort_order or 0) if group is not None and group.kind == OrgKind.GROUP else None,
                              seq, name)


def next_number(s: Session, year: int) -> str:
    """<site code>-<year>-<4-digit serial>: unique in this database, never reused after a delete."""
    prefix = f"{_site_code(s) or 'HY'}-{year}-"
    taken = s.scalars(select(Meeting.number).where(Meeting.number.like(f"{prefix}%"))).all()
    serials = [int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:04d}"


def _add_attendees(s: Session, meeting: Meeting, member_ids: Sequence[str], guests: Sequence[Guest],
                   start_order: int = 0) -> int:
    order = start_order
    seen: set[str] = set()
    excused = _excused(s, list(dict.fromkeys(member_ids)), meeting.meeting_date)
    for mid in member_ids:
        if mid in seen:
            continue
        seen.add(mid)
        order += 1
        s.add(Attendance(meeting_id=meeting.id, member_id=mid, sort_order=order,
                         excused_reason=excused.get(mid, "")))
    for g in guests:
        order += 1
        s.add(_guest_row(s, meeting, g, order))
    return order - start_order


def _guest_row(s: Session, meeting: Meeting, g: Guest, order: int, status: str = rules.GUEST) -> Attendance:
    if g.member_id:
        m = chosen(s, Member, g.member_id, "列席人员", "党员")
        return Attendance(meeting_id=meeting.id, member_id=m.id, is_guest=True, status=status,
                          guest_unit=rules.check_short("列席人员单位", g.unit, 60), sort_order=order)
    name = rules.check_short("列席人员", g.name, 40)
    if not name:
        raise ValidationError("列席人员", "姓名不能为空")
    return Attendance(meeting_id=meeting.id, guest_name=name, is_guest=True, status=status,
                      guest_unit=rules.check_short("列席人员单位", g.unit, 60), sort_order=order)


def _check_members_exist(s: Session, member_ids: Sequence[str]) -> None:
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(member_ids))):
        found |= set(s.scalars(select(Member.id).where(Member.id.in_(chunk), Member.deleted.is_(False))))
    missing = [m for m in member_ids if m not in found]
    if missing:
        raise ValidationError("应到人员", f"有 {len(set(missing))} 名所选党员不存在或已删除")


def default_attendees(db: Database, org_id: str, kind: str, on: date | None = None) -> list[ExpectedPerson]:
    """Who a new meeting of `kind` held by `org_id` expects: the branch's (or group's) members,
    the committee for a 支委会, nobody for a 联席会议."""
    auth.require(db, "meetings.read")
    on = _today(on)
    with db.session() as s:
        orgs = OrgTree(s)
        org = check_holder(orgs, org_id, rules.check_kind(kind))
        ids = _default_attendees(s, orgs, org, kind, on)
        return _people(s, orgs, ids, on)


def branch_people(db: Database, org_id: str, on: date | None = None) -> list[ExpectedPerson]:
    """Every member of an organisation and its groups who may attend, in sign-in order."""
    auth.require(db, "meetings.read")
    on = _today(on)
    with db.session() as s:
        orgs = OrgTree(s)
        org = orgs.get(org_id)
        if org is None:
            raise NotFound("该党组织不存在或已删除")
        branch = orgs.branch_of(org.id) or org
        ids = _default_attendees(s, orgs, branch, rules.BRANCH_CONGRESS, on)
        return _people(s, orgs, ids, on)


def _people(s: Session, orgs: OrgTree, ids: Sequence[str], on: date) -> list[ExpectedPerson]:
    rows: dict[str, tuple] = {}
    for chunk in _chunks(list(ids)):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category)
                           .where(Member.id.in_(chunk))):
            rows[r[0]] = r
    committees: dict[str, set[str]] = {}
    out = []
    for mid in ids:
        r = rows.get(mid)
        if r is None:
            continue
        branch = orgs.branch_of(r[2])
        if branch is not None and branch.id not in committees:
            committees[branch.id] = set(_committee_ids(s, branch.id, on))
        on_committee = branch is not None and mid in committees[branch.id]
        out.append(ExpectedPerson(mid, r[1], orgs.group_name(r[2]), r[3], on_committee))
    return out


@writes("meetings.write")
def plan(
    uow: UnitOfWork,
    inp: MeetingInput,
    attendee_ids: Sequence[str] | None = None,
    guests: Sequence[Guest] = (),
    today: date | None = None,
) -> MeetingDetail:
    """Plan a meeting. attendee_ids None means the kind's default (the branch's members).

    A meeting already past may be planned too: secretaries enter last week's
    meeting this way and then record its attendance.
    """
    clean = check_meeting(inp)
    today = _today(today)
    s = uow.session
    orgs = OrgTree(s)
    org = check_holder(orgs, clean.org_id, clean.kind)
    if attendee_ids is None:
        attendee_ids = _default_attendees(s, orgs, org, clean.kind, clean.meeting_date)
    else:
        _check_members_exist(s, attendee_ids)
    m = Meeting(number=next_number(s, clean.meeting_date.year), status=rules.PLANNED,
                **{k: getattr(clean, k) for k in _INPUT_FIELDS})
    s.add(m)
    s.flush()
    _add_attendees(s, m, attendee_ids, guests)
    return settle(uow, _detail, m, orgs)


_INPUT_FIELDS = ("org_id", "kind", "title", "meeting_date", "start_time", "end_time", "place", "host",
                 "recorder", "lecturer", "minutes", "notes")


@writes("meetings.write")
def update(uow: UnitOfWork, meeting_id: str, inp: MeetingInput, attendee_ids: Sequence[str] | None = None,
           guests: Sequence[Guest] | None = None, today: date | None = None,
           expected_version: int | None = None) -> MeetingDetail:
    """Save edited fields, and the expected attendees and guests when given (None keeps them).

    A meeting moved to another organisation or kind before any attendance is
    recorded gets that one's default attendees unless attendee_ids says otherwise;
    once attendance is recorded it cannot move. `expected_version`: the detail's
    version the form was read at; a meeting, or its list or attendance, changed since is refused.
    """
    clean = check_meeting(inp)
    s = uow.session
    orgs = OrgTree(s)
    m = _live_meeting(s, meeting_id)
    unchanged_since(s, m, expected_version, f"会议 {m.number}", Attendance.meeting_id)
    today = _today(today)
    if m.status == rules.HELD and clean.meeting_date > today:  # a mistyped date: held, in the future
        raise ValidationError("会议日期", f"会议已召开，日期不能晚于今天：{clean.meeting_date:%Y-%m-%d} 还没到")
    org = check_holder(orgs, clean.org_id, clean.kind)
    moved = (clean.org_id, clean.kind) != (m.org_id, m.kind)
    if moved:
        rows = _attendance_rows(s, m.id)
        if any(a.status and not a.is_guest for a in rows):
            raise Conflict("已登记出勤的会议不能更换党组织或会议类型，请先清空出勤记录或新建会议")
    assign(m, {k: getattr(clean, k) for k in _INPUT_FIELDS})
    if moved and attendee_ids is None:
        attendee_ids = _default_attendees(s, orgs, org, clean.kind, clean.meeting_date)
    if attendee_ids is not None or guests is not None:
        if attendee_ids is None:
            attendee_ids = [a.member_id for a in _attendance_rows(s, m.id) if not a.is_guest and a.member_id]
        _set_attendees(s, m, attendee_ids, guests)
    return settle(uow, _detail, m, orgs)


def _set_attendees(s: Session, m: Meeting, member_ids: Sequence[str], guests: Sequence[Guest] | None) -> None:
    _check_members_exist(s, member_ids)
    rows = _attendance_rows(s, m.id)
    wanted = list(dict.fromkeys(member_ids))
    keep = {a.member_id: a for a in rows if not a.is_guest and a.member_id in set(wanted)}
    for a in rows:
        if a.is_guest and guests is None:
            continue
        if a.is_guest or a.member_id not in keep:
            a.deleted = True
    order = 0
    excused = _excused(s, [mid for mid in wanted if mid not in keep], m.meeting_date)
    for mid in wanted:
        order += 1
        a = keep.get(mid)
        if a is None:
            s.add(Attendance(meeting_id=m.id, member_id=mid, sort_order=order, excused_reason=excused.get(mid, "")))
        elif a.sort_order != order:
            a.sort_order = order
    if guests is None:
        for a in rows:
            if a.is_guest:
                order += 1
                if a.sort_order != order:
                    a.sort_order = order
    else:
        old = {(a.member_id, a.guest_name): a for a in rows if a.is_guest}
        for g in guests:
            order += 1
            row = _guest_row(s, m, g, order)
            prev = old.get((row.member_id, row.guest_name))
            if prev is not None:
                # The same guest again: keep the row (and what was recorded for them).
                prev.deleted = False
                prev.guest_unit, prev.sort_order = row.guest_unit, order
                continue
            s.add(row)


@writes("meetings.write")
def set_attendees(uow: UnitOfWork, meeting_id: str, member_ids: Sequence[str],
                  guests: Sequence[Guest] | None = None) -> MeetingDetail:
    """Make `member_ids` the expected attendees (in that order); guests None keeps the guests."""
    s = uow.session
    m = _live_meeting(s, meeting_id)
    _set_attendees(s, m, member_ids, guests)
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def add_guest(uow: UnitOfWork, meeting_id: str, guest: Guest) -> MeetingDetail:
    s = uow.session
    m = _live_meeting(s, meeting_id)
    rows = _attendance_rows(s, m.id)
    if guest.member_id and any(a.member_id == guest.member_id for a in rows):
        raise ValidationError("列席人员", "该党员已在本次会议名单中")
    s.add(_guest_row(s, m, guest, max((a.sort_order for a in rows), default=0) + 1))
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def cancel(uow: UnitOfWork, meeting_id: str, reason: str = "") -> MeetingDetail:
    s = uow.session
    m = _live_meeting(s, meeting_id)
    if m.status == rules.HELD:
        raise Conflict("会议已召开，不能取消；如登记有误，请先改回“计划中”")
    if m.status == rules.CANCELLED:
        raise Conflict("会议已经取消")
    m.status = rules.CANCELLED
    m.cancel_reason = (reason or "").strip()
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def reopen(uow: UnitOfWork, meeting_id: str) -> MeetingDetail:
    """Back to 计划中: undo a cancellation, or a meeting marked held by mistake (attendance is kept)."""
    s = uow.session
    m = _live_meeting(s, meeting_id)
    if m.status != rules.PLANNED:
        m.status = rules.PLANNED
        m.cancel_reason = ""
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def delete(uow: UnitOfWork, meeting_id: str) -> None:
    """Tombstone a meeting with its attendance and attachment records (files stay in the data folder)."""
    s = uow.session
    m = _live_meeting(s, meeting_id)
    m.deleted = True
    for a in _attendance_rows(s, m.id):
        a.deleted = True
    for f in s.scalars(select(MeetingAttachment).where(
            MeetingAttachment.meeting_id == m.id, MeetingAttachment.deleted.is_(False))):
        f.deleted = True


def _check_can_hold(m: Meeting, today: date) -> None:
    if m.status == rules.CANCELLED:
        raise Conflict("会议已取消，不能登记出勤；如会议实际召开了，请先改回“计划中”")
    if m.meeting_date > today:
        raise ValidationError("会议日期", f"{m.meeting_date:%Y-%m-%d} 还没到，不能登记为已召开")


@writes("meetings.write")
def hold(uow: UnitOfWork, meeting_id: str, minutes: str | None = None, today: date | None = None) -> MeetingDetail:
    """Mark a meeting held (attendance as recorded so far; unrecorded attendees count as absent)."""
    today = _today(today)
    s = uow.session
    m = _live_meeting(s, meeting_id)
    _check_can_hold(m, today)
    m.status = rules.HELD
    if minutes is not None:
        assign(m, {"minutes": minutes.strip()})  # unchanged minutes: no new version
    return settle(uow, _fresh_detail, m)
