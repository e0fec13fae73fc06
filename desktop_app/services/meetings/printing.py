"""Fetch-and-print for meetings: check the permission, build the print model, hand it to the report.

These are what the GUI and the command line call; the reports never see the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain import members as member_rules
from desktop_app.domain import membership as standing_rules
from desktop_app.services import auth, memberlife, privacy
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _chunks, _live_meeting, _Orgs
from desktop_app.services.meetings.queries import center_name, get, resolve
from desktop_app.services.membership import arrivals
from desktop_app.store.models import Member, Site
from desktop_app.store.models_meetings import Attendance
from desktop_app.views.meetings import (
    Attendee, MeetingRecord, SigninSheet, meeting_record, org_label, signin_lines,
)


def signin_sheet_of(db: Database, meeting_ref: str) -> SigninSheet:
    """The sign-in sheet of a meeting given by id or number (phones as the role may see them)."""
    auth.require(db, "meetings.read")
    meeting_id = resolve(db, meeting_ref)
    with db.session() as s:
        sheet, attendees = _signin_read(s, meeting_id)
    # Attendees' mobiles are members' personal data: masked for a role that may not reveal them.
    return replace(sheet, lines=signin_lines(privacy.mask_unless(db, "members.reveal", attendees)))


def _signin_read(s: Session, meeting_id: str) -> tuple[SigninSheet, list[Attendee]]:
    """The sheet's own read: what meetings.get gives of the meeting and its attendees, without the quorum,
    committee seats, votes, 党籍 history and attachments that a sheet does not print (most of get's time).
    Only the category on the day is worked out, for the 预备党员 note."""
    m = _live_meeting(s, meeting_id)
    orgs = _Orgs(s)
    # By meeting id alone, tombstones skipped here: with `deleted` in the WHERE, SQLite (no ANALYZE
    # statistics) walks ix_attendance_deleted, i.e. every attendance row of the database.
    rows = [a for a in s.execute(
        select(Attendance.id, Attendance.member_id, Attendance.guest_name, Attendance.status, Attendance.reason,
               Attendance.is_guest, Attendance.guest_unit, Attendance.excused_reason, Attendance.deleted)
        .where(Attendance.meeting_id == m.id).order_by(Attendance.sort_order, Attendance.created_at)
    ) if not a.deleted]
    members: dict[str, tuple] = {}
    for chunk in _chunks([a.member_id for a in rows if a.member_id]):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.mobile,
                                  Member.joined_date, Member.confirmed_date).where(Member.id.in_(chunk))):
            members[r[0]] = r
    came = arrivals(s, list(members))
    attendees = []  # on_committee and has_vote left False: not read, the sheet prints neither
    for a in rows:
        r = members.get(a.member_id) if a.member_id else None
        if r is None:  # an outside guest (or a member's row gone): named as entered
            attendees.append(Attendee(a.id, None, a.guest_name, "", "", "", "", a.status, a.reason, True,
                                      a.guest_unit, False, False))
            continue
        # The category on the day, as meetings.get reads it (StandingBook.on): a later 转正 leaves the note.
        then = standing_rules.standing_on(r[3] or member_rules.FULL, r[5], r[6], member_rules.NORMAL, (),
                                          m.meeting_date, came.get(r[0]))
        own = orgs.get(r[2])
        attendees.append(Attendee(
            a.id, a.member_id, r[1], orgs.group_name(r[2]) if not a.is_guest else "", own.name if own else "",
            then.category or "", r[4], a.status, a.reason, a.is_guest, a.guest_unit, False, False,
            excused_reason=a.excused_reason))
    org, branch = orgs.get(m.org_id), orgs.branch_of(m.org_id)
    org_name = org.name if org else "（已删除的组织）"
    sheet = SigninSheet(
        center_name=s.scalar(select(Site.org_name).limit(1)) or "",
        org_name=org_label(org_name, branch.name if branch else (org.name if org else "")),
        kind=m.kind, title=m.title, number=m.number, meeting_date=m.meeting_date, start_time=m.start_time,
        end_time=m.end_time, place=m.place, host=m.host,
        lecturer=m.lecturer if m.kind == rules.PARTY_LECTURE else "",
    )
    return sheet, attendees


def meeting_record_of(db: Database, meeting_ref: str) -> MeetingRecord:
    auth.require(db, "meetings.read")
    detail = get(db, resolve(db, meeting_ref))
    return replace(meeting_record(detail, center_name(db)), topics=tuple(memberlife.topics(db, detail.id)))


def print_signin_sheet(db: Database, meeting_ref: str, out: Path | None = None, *, show_phones: bool | None = None,
                       printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """签到表 of a meeting (by id or number) as PDF bytes; also written to `out` when given."""
    # reportlab loads on the first print, not at start-up.
    from desktop_app.reports.signin import render_signin

    auth.require(db, "meetings.read")
    if show_phones is None:  # not said: the default chosen in 设置
        from desktop_app.settings import Settings

        show_phones = Settings.load().signin_show_phones
    return render_signin(signin_sheet_of(db, meeting_ref), out, show_phones=show_phones, printed_on=printed_on,
                         font_path=font_path)


def print_meeting_record(db: Database, meeting_ref: str, out: Path | None = None, *,
                         printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """会议记录 of a meeting (by id or number) as PDF bytes; also written to `out` when given."""
    from desktop_app.reports.meeting_record import render_meeting_record

    auth.require(db, "meetings.read")
    return render_meeting_record(meeting_record_of(db, meeting_ref), out, printed_on=printed_on,
                                 font_path=font_path)
