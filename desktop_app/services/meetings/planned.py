"""Planned meetings follow the roster: a member who leaves a branch leaves its planned 应到 lists.

A meeting's expected attendees are stored when it is planned (Attendance rows,
lifecycle.plan). When a member later leaves the branch (转出, 去世, 出党, moved
into the 双报到 register, moved to another branch or 党小组) the writer that
changes the member wraps the change in `with following(...)` in its own unit of
work (the roster import calls `follow_member` itself): every meeting
still planned and dated today or later drops them where plan() would no longer
list them, and one whose kind lists all members of the holder (plan's rule)
gains them when they arrive. Held and cancelled meetings, and planned ones
already past (the secretary records what happened), keep their lists.
Guests and members added by hand from outside the holder are left alone.
An arriving member takes the place a freshly planned meeting would give them
(lifecycle.signin_order), which is the order the sign-in sheet prints.

Databases written before this followed the roster still hold stale lists:
`repair_planned_attendance` brings them in line once (`repair_once`, run by the
window after log-in, by the first person who may edit meetings; the command line
offers it as `meetings repair-planned`). It is not a migration: it needs the
organisation tree, the members' standings and plan()'s order, code that keeps
changing, and a migration must stay frozen; it also needs an actor for the audit
trail, which a migration has not. The flag that it ran is a row of access_setting
(services.planned_repair asks for it without loading this package).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import EXPECTED_STATUSES, _attendance_rows, _chunks, _today
from desktop_app.services.meetings.lifecycle import _default_attendees, _excused, signin_order
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.planned_repair import REPAIRED_KEY
from desktop_app.services.records import writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.models import Member
from desktop_app.store.models_access import AccessSetting
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
            _place_member(s, meeting, m.id, rows, _signin_keys(s, orgs, [m.id, *(r.member_id for r in rows)]))
            joined.append(meeting.number)
    if left or joined:
        parts = [f"离开 {'、'.join(left)}" if left else "", f"加入 {'、'.join(joined)}" if joined else ""]
        audit.record(s, audit.UPDATE, Member.__tablename__, m.id,
                     f"计划中会议的应到名单随之更新：{'；'.join(p for p in parts if p)}", label=m.name)
    return left, joined


@contextmanager
def following(s: Session, m: Member, today: date) -> Iterator[None]:
    """Run the block that changes `m`, then bring planned meetings in line (follow_member).

    The standing is taken on entry; a block that raises leaves the lists alone,
    as its unit of work is rolled back anyway.
    """
    before = standing_of(s, m)
    yield
    follow_member(s, m, before, today)


def _signin_keys(s: Session, orgs: OrgTree, member_ids: Iterable[str | None]) -> dict[str, tuple]:
    """Each member's place in sign-in order (deleted members too: their rows may still be listed)."""
    out: dict[str, tuple] = {}
    for chunk in _chunks(sorted({mid for mid in member_ids if mid})):
        for mid, org_id, seq, name in s.execute(
                select(Member.id, Member.org_id, Member.seq, Member.name).where(Member.id.in_(chunk))):
            out[mid] = signin_order(orgs, org_id, seq, name)
    return out


def _place_member(s: Session, meeting: Meeting, member_id: str, rows: list[Attendance],
                  keys: dict[str, tuple]) -> Attendance:
    """Add the member where a freshly planned meeting lists them: before the first listed member who comes
    after them in sign-in order (a list reordered by hand keeps its order), else last before the guests.

    Rows are read in (sort_order, created_at) order, so the new row, the newest, shares the number of the
    row it follows and nothing else is written; only where that number is shared past it (two arrivals at
    one place) do the rows after it move down one. `rows` (the meeting's live rows in that order) gets
    the new row in its place, so calls may follow.
    """
    key = keys[member_id]
    at = next((i for i, r in enumerate(rows) if not r.is_guest and r.member_id in keys and keys[r.member_id] > key),
              None)
    if at is None:  # after the last member
        at = max((i + 1 for i, r in enumerate(rows) if not r.is_guest), default=0)
    before, after = (rows[at - 1] if at else None), (rows[at] if at < len(rows) else None)
    if before is None:
        place = after.sort_order - 1 if after is not None else 1
    else:
        place = before.sort_order
        if after is not None and after.sort_order == place:
            for r in rows[at:]:
                r.sort_order += 1
    excused = _excused(s, [member_id], meeting.meeting_date)
    row = Attendance(meeting_id=meeting.id, member_id=member_id, sort_order=place,
                     excused_reason=excused.get(member_id, ""))
    s.add(row)
    rows.insert(at, row)
    return row


# ---------------------------------------------------------------- repair of lists made before they followed

@dataclass(frozen=True)
class _Facts:
    org_id: str | None
    expected: bool  # live, a status that attends, not in the 双报到 register (standing_of)
    changed_at: datetime  # the member's last write: a list older than it may not know of the change
    name: str


def _at(moment: datetime | None) -> datetime:
    return moment or datetime.min  # a row from before the timestamps were kept: as old as can be


def _facts(s: Session, member_ids: Iterable[str]) -> dict[str, _Facts]:
    ids = sorted(set(member_ids))
    registered: set[str] = set()
    out: dict[str, _Facts] = {}
    for chunk in _chunks(ids):
        registered.update(s.scalars(select(ReportingMember.member_id).where(
            ReportingMember.member_id.in_(chunk), ReportingMember.deleted.is_(False))))
        for mid, org_id, status, deleted, changed, name in s.execute(
                select(Member.id, Member.org_id, Member.status, Member.deleted, Member.updated_at, Member.name)
                .where(Member.id.in_(chunk))):
            out[mid] = _Facts(org_id, not deleted and status in EXPECTED_STATUSES and mid not in registered,
                              _at(changed), name)
    return out


def _repair_meeting(s: Session, orgs: OrgTree, meeting: Meeting) -> tuple[list[str], list[str]]:
    """Names taken off and added to one planned meeting's 应到 (see repair_planned_attendance)."""
    holder = orgs.get(meeting.org_id)
    if holder is None:
        return [], []
    who = rules.default_rule(meeting.kind).attendees
    every = list(s.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                           .order_by(Attendance.sort_order, Attendance.created_at)))
    rows = [r for r in every if not r.deleted]
    # The list's last word on a member: when it was made, or when someone took them off it.
    made = _at(meeting.created_at)
    last_word = {r.member_id: max(_at(r.updated_at), made)
                 for r in every if r.deleted and r.member_id and not r.is_guest}
    wanted = _default_attendees(s, orgs, holder, meeting.kind, meeting.meeting_date) if who == "members" else []
    facts = _facts(s, [*(r.member_id for r in rows if r.member_id), *wanted])
    removed: list[str] = []
    for r in rows:
        f = facts.get(r.member_id or "")
        if r.is_guest or f is None or r.status or r.reason:
            continue  # guests, and a recorded sign-in or leave, are what happened: never touched
        # Out of the party's roll (or the register's): plan() never lists them. Out of the holder: only
        # when the member changed after the row was written; an earlier outsider was added by hand.
        if not f.expected or (who != "invited" and not _covers(orgs, holder.id, f.org_id)
                              and f.changed_at > _at(r.created_at)):
            r.deleted = True
            removed.append(f.name)
    rows = [r for r in rows if not r.deleted]
    listed = {r.member_id for r in rows}
    # Expected and in the holder now, as the removals above judge (plan() reads the dated history, which
    # may disagree): so one run never takes a member off and puts them back. Not changed since the list
    # was made or since they were taken off: left off on purpose.
    arrivals = [mid for mid in wanted if mid not in listed and facts[mid].expected
                and _covers(orgs, holder.id, facts[mid].org_id) and facts[mid].changed_at > last_word.get(mid, made)]
    if arrivals:
        keys = _signin_keys(s, orgs, [*arrivals, *listed])
        for mid in arrivals:
            _place_member(s, meeting, mid, rows, keys)
    return removed, [facts[mid].name for mid in arrivals]


@writes("meetings.write")
def repair_planned_attendance(uow: UnitOfWork, today: date | None = None) -> int:
    """Bring the 应到 of every meeting still planned from `today` on in line with the roster, as
    follow_member would have kept it: take off members who left the party's roll, the holder or
    joined the 双报到 register since the row was written; add, in sign-in order, members a meeting
    listing all members lacks who arrived (or changed) after the list was made or they were taken
    off it. Held, cancelled and past meetings, guests and rows with a sign-in or leave stay as they
    are. One audit entry names what changed. Returns the number of rows taken off and added.
    """
    return _repair(uow.session, _today(today))


def _repair(s: Session, today: date) -> int:
    orgs = OrgTree(s)
    changed: list[str] = []
    count = 0
    for meeting in s.scalars(select(Meeting).where(*_planned(today))
                             .order_by(Meeting.meeting_date, Meeting.number)).all():
        removed, added = _repair_meeting(s, orgs, meeting)
        if removed or added:
            count += len(removed) + len(added)
            parts = [f"移出 {'、'.join(removed)}" if removed else "", f"加入 {'、'.join(added)}" if added else ""]
            changed.append(f"{meeting.number} {'，'.join(p for p in parts if p)}")
    if changed:
        audit.record(s, audit.UPDATE, Meeting.__tablename__, "",
                     f"按名册修复计划中会议的应到名单（{count} 人次）：{'；'.join(changed)}",
                     label="计划中会议的应到名单")
    return count


@writes("meetings.write")
def _repair_on_first_open(uow: UnitOfWork, today: date | None) -> int | None:
    s = uow.session
    if s.get(AccessSetting, REPAIRED_KEY) is not None:
        return None
    count = _repair(s, _today(today))
    s.add(AccessSetting(key=REPAIRED_KEY, value=f"{utcnow():%Y-%m-%d %H:%M:%S} {count}"))
    return count


def repair_once(db: Database, today: date | None = None) -> int | None:
    """The repair, the first time someone who may edit meetings opens this database (None: not run now).

    Idempotent by itself, but run once only: after it, the roster's writers keep the lists in line,
    and a secretary's later hand edits of a list are theirs to keep.
    """
    if not auth.can(db, "meetings.write"):
        return None  # a viewer's log-in: the next person who may edit meetings runs it
    return _repair_on_first_open(db, today)
