"""Planned meetings follow the roster: a member who leaves a branch leaves its planned 应到 lists.

A meeting's expected attendees are stored when it is planned (Attendance rows,
lifecycle.plan). When a member later leaves the branch (转出, 去世, 出党, moved
into the 双报到 register, moved to another branch or 党小组) the writer that
changes the member calls `follow_member` in its own unit of work: every meeting
still planned and dated today or later drops them where plan() would no longer
list them, and one whose kind lists all members of the holder (plan's rule)
gains them when they arrive. Held and cancelled meetings, and planned ones
already past (the secretary records what happened), keep their lists.
Guests and members added by hand from outside the holder are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services.meetings._common import EXPECTED_STATUSES, _attendance_rows
from desktop_app.services.meetings.lifecycle import _excused
from desktop_app.services.orgtree import OrgTree
from desktop_app.store import audit
from desktop_app.store.models import Member
from desktop_app.store.models_cobuilding import ReportingMember
from desktop_app.store.models_meetings import Attendance, Meeting


@dataclass(frozen=True)
class Standing:
    """Where a member sits for plan()'s default lists: their organisation, and whether they are expected at all."""

    org_id: str | None
    expected: bool


def standing_of(s: Session, m: Member) -> Standing:
    """The member as plan() sees them now (live, a status that attends, not in the 双报到 register)."""
    s.flush()
    registered = s.scalar(select(ReportingMember.id).where(
        ReportingMember.member_id == m.id, ReportingMember.deleted.is_(False)).limit(1)) is not None
    return Standing(m.org_id, not m.deleted and m.status in EXPECTED_STATUSES and not registered)


def _covers(orgs: OrgTree, holder_id: str, org_id: str | None) -> bool:
    """Whether a meeting held by `holder_id` lists members of `org_id` by default (lifecycle._member_org_ids)."""
    if not org_id:
        return False
    holder = orgs.get(holder_id)
    if holder is None:
        return False
    if holder.id == org_id:
        return True
    if holder.kind == OrgKind.GROUP:
        return False
    o = orgs.get(org_id)
    while o is not None and o.parent_id:
        if o.parent_id == holder.id:
            return True
        o = orgs.get(o.parent_id)
    return False


def _holders_of(orgs: OrgTree, org_id: str) -> list[str]:
    """The organisations whose meetings list members of `org_id` by default: itself and its non-group ancestors."""
    out = [org_id]
    o = orgs.get(org_id)
    while o is not None and o.parent_id:
        o = orgs.get(o.parent_id)
        if o is not None and o.kind != OrgKind.GROUP:
            out.append(o.id)
    return out


def _planned(today: date):
    return (Meeting.deleted.is_(False), Meeting.status == rules.PLANNED, Meeting.meeting_date >= today)


def follow_member(s: Session, m: Member, before: Standing, today: date) -> tuple[list[str], list[str]]:
    """Bring planned meetings dated `today` or later in line with `m`'s change from `before`.

    Returns the numbers of the meetings the member left and joined; the member's
    audit trail gets one entry naming them (the Attendance rows are audited too).
    """
    after = standing_of(s, m)
    if after == before:
        return [], []
    orgs = OrgTree(s)
    left: list[str] = []
    for a, meeting in s.execute(
        select(Attendance, Meeting).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.member_id == m.id, Attendance.deleted.is_(False), Attendance.is_guest.is_(False),
               *_planned(today))
        .order_by(Meeting.meeting_date, Meeting.number)
    ).all():
        invited = rules.default_rule(meeting.kind).attendees == "invited"
        was = before.expected and (invited or _covers(orgs, meeting.org_id, before.org_id))
        now = after.expected and (invited or _covers(orgs, meeting.org_id, after.org_id))
        if was and not now:
            a.deleted = True
            left.append(meeting.number)
    joined: list[str] = []
    if after.expected and after.org_id:
        for meeting in s.scalars(
            select(Meeting).where(Meeting.org_id.in_(_holders_of(orgs, after.org_id)), *_planned(today))
            .order_by(Meeting.meeting_date, Meeting.number)
        ).all():
            if rules.default_rule(meeting.kind).attendees != "members":
                continue
            if before.expected and _covers(orgs, meeting.org_id, before.org_id):
                continue  # listed before (or taken off by hand): the move does not change that
            rows = _attendance_rows(s, meeting.id)
            if any(r.member_id == m.id for r in rows):
                continue
            _append_member(s, meeting, m.id, rows)
            joined.append(meeting.number)
    if left or joined:
        parts = [f"离开 {'、'.join(left)}" if left else "", f"加入 {'、'.join(joined)}" if joined else ""]
        audit.record(s, audit.UPDATE, Member.__tablename__, m.id,
                     f"计划中会议的应到名单随之更新：{'；'.join(p for p in parts if p)}", label=m.name)
    return left, joined


def _append_member(s: Session, meeting: Meeting, member_id: str, rows: list[Attendance]) -> None:
    """The member last among the expected, before the guests (as a sign-in sheet lists them)."""
    place = max((r.sort_order for r in rows if not r.is_guest), default=0) + 1
    for r in rows:
        if r.is_guest and r.sort_order >= place:
            r.sort_order += 1
    excused = _excused(s, [member_id], meeting.meeting_date)
    s.add(Attendance(meeting_id=meeting.id, member_id=member_id, sort_order=place,
                     excused_reason=excused.get(member_id, "")))
