"""Recording attendance: one meeting, the one-click all present, many meetings at once (the import).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import auth, privacy
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _attendance_rows, _live_meeting, _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.meetings.lifecycle import _check_can_hold, _guest_row
from desktop_app.services.meetings.queries import _fresh_detail
from desktop_app.services.records import assign, chosen, settle, unchanged_since, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.meetings import AttendanceEntry, BulkAttendance, Guest, MeetingDetail, PersonRef


def _apply_entries(s: Session, m: Meeting, entries: Sequence[AttendanceEntry]) -> None:
    rows = _attendance_rows(s, m.id)
    by_id = {a.id: a for a in rows}
    by_member = {a.member_id: a for a in rows if a.member_id}
    by_guest = {a.guest_name: a for a in rows if not a.member_id}
    order = max((a.sort_order for a in rows), default=0)
    for i, e in enumerate(entries, start=1):
        status = rules.check_attendance_status(e.status)
        reason = rules.check_short("请假原因", e.reason, 100) if status == rules.LEAVE else ""
        if e.attendance_id:
            a = by_id.get(e.attendance_id)
            if a is None:
                raise ValidationError("出勤情况", f"第 {i} 条：该人员不在本次会议名单中")
        elif e.member_id:
            a = by_member.get(e.member_id)
            if a is None:
                member = chosen(s, Member, e.member_id, "出勤情况", "党员", f"第 {i} 条：")
                order += 1
                # A member who came though not on the list: a walk-in, now expected (or a guest).
                a = Attendance(meeting_id=m.id, member_id=member.id, sort_order=order,
                               is_guest=status == rules.GUEST)
                s.add(a)
                by_member[member.id] = a
        elif e.guest_name.strip():
            a = by_guest.get(e.guest_name.strip())
            if a is None:
                order += 1
                a = _guest_row(s, m, Guest(e.guest_name, e.guest_unit), order)
                s.add(a)
                by_guest[a.guest_name] = a
            if status != rules.GUEST:
                raise ValidationError("出勤情况", f"“{e.guest_name.strip()}”不是党员名单中的人，只能登记为列席")
        else:
            raise ValidationError("出勤情况", f"第 {i} 条：没有指明是谁")
        if a.is_guest and status not in (rules.GUEST,):
            if a.member_id is None:
                raise ValidationError("出勤情况", f"“{a.guest_name}”是列席人员，只能登记为列席")
            a.is_guest = False  # a member invited as guest who turns out to be expected
        if status == rules.GUEST and not a.is_guest:
            a.is_guest = True
        if a.status != status:
            a.status = status
        if a.reason != reason:
            a.reason = reason


@writes("meetings.write")
def record_attendance(
    uow: UnitOfWork,
    meeting_id: str,
    entries: Sequence[AttendanceEntry],
    mark_held: bool = True,
    minutes: str | None = None,
    today: date | None = None,
    expected_version: int | None = None,
) -> MeetingDetail:
    """Record how people attended, all in one transaction; the meeting becomes held (mark_held).

    `expected_version`: the detail's version the form was read at; a meeting changed since
    (its record, its list or anyone's attendance) is refused, not overwritten.
    """
    today = _today(today)
    s = uow.session
    m = _live_meeting(s, meeting_id)
    unchanged_since(s, m, expected_version, f"会议 {m.number}", Attendance.meeting_id)
    if mark_held:
        _check_can_hold(m, today)
    elif m.status == rules.CANCELLED:
        raise Conflict("会议已取消，不能登记出勤")
    _apply_entries(s, m, entries)
    if mark_held and m.status != rules.HELD:
        m.status = rules.HELD
    if minutes is not None:
        assign(m, {"minutes": minutes.strip()})  # unchanged minutes: no new version
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def all_present(uow: UnitOfWork, meeting_id: str, today: date | None = None) -> MeetingDetail:
    """Everyone expected came: the one-click case."""
    today = _today(today)
    s = uow.session
    m = _live_meeting(s, meeting_id)
    _check_can_hold(m, today)
    for a in _attendance_rows(s, m.id):
        if not a.is_guest and a.status != rules.PRESENT:
            a.status, a.reason = rules.PRESENT, ""
        elif a.is_guest and a.status != rules.GUEST:
            a.status = rules.GUEST
    m.status = rules.HELD
    return settle(uow, _fresh_detail, m)


@writes("meetings.write")
def record_many(uow: UnitOfWork, batches: Sequence[BulkAttendance], today: date | None = None) -> int:
    """Record attendance for many meetings in one transaction; each becomes held. Returns rows written."""
    today = _today(today)
    n = 0
    s = uow.session
    for b in batches:
        m = _live_meeting(s, b.meeting_id)
        _check_can_hold(m, today)
        try:
            _apply_entries(s, m, b.entries)
        except ValidationError as exc:
            raise ValidationError(exc.field, f"会议 {m.number}：{exc.message}") from None
        if m.status != rules.HELD:
            m.status = rules.HELD
        n += len(b.entries)
    return n


def people_index(db: Database) -> list[PersonRef]:
    """Every live member (those transferred out too: an old sheet may name them), for imports."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = OrgTree(s)
        out = []
        for mid, name, id_number, org_id in s.execute(
            select(Member.id, Member.name, Member.id_number, Member.org_id).where(Member.deleted.is_(False))
        ):
            branch = orgs.branch_of(org_id)
            out.append(PersonRef(mid, name, id_number, branch.id if branch else None, org_id))
    # Full ID numbers only for a role that may see them (the importers: 书记/委员, 管理员).
    return privacy.mask_unless(db, "members.reveal", out)
