"""Fetch-and-print for meetings: check the permission, build the print model, hand it to the report.

These are what the GUI and the command line call; the reports never see the database.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain import members as member_rules
from desktop_app.domain import membership as standing_rules
from desktop_app.services import attachments, auth, memberlife, privacy
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _chunks
from desktop_app.services.meetings.queries import get, list_meetings, resolve
from desktop_app.services.membership import arrivals
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.site import center_name, center_of
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.meetings import (
    Attendee, MeetingFilter, MeetingRecord, RecordFile, SigninSheet, meeting_record, org_label, signin_lines,
)


def signin_sheet_of(db: Database, meeting_ref: str) -> SigninSheet:
    """The sign-in sheet of a meeting given by id or number (phones as the role may see them)."""
    return signin_sheets_of(db, [meeting_ref])[0]


def signin_sheets_of(db: Database, meeting_refs: Sequence[str]) -> list[SigninSheet]:
    """The sign-in sheets of meetings given by id or number, in that order, read together."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        by_number = _by_number(s, meeting_refs) if len(meeting_refs) > 1 else {}
    meeting_ids = [by_number.get(ref) or resolve(db, ref) for ref in meeting_refs]
    with db.session() as s:
        read = _signin_read(s, meeting_ids)
    # Attendees' mobiles are members' personal data: masked for a role that may not reveal them.
    return [replace(sheet, lines=signin_lines(privacy.mask_unless(db, "members.reveal", attendees)))
            for sheet, attendees in read]


def _by_number(s: Session, refs: Sequence[str]) -> dict[str, str]:
    """The refs that are the full number of exactly one live meeting, found in one query (the rest: resolve)."""
    texts = {ref: unicodedata.normalize("NFKC", str(ref or "")).strip() for ref in refs}
    found: dict[str, list[str]] = {}
    for chunk in _chunks(sorted(set(texts.values()) - {""})):
        for mid, number in s.execute(select(Meeting.id, Meeting.number).where(
                Meeting.number.in_(chunk), Meeting.deleted.is_(False))):
            found.setdefault(number, []).append(mid)
    return {ref: found[t][0] for ref, t in texts.items() if len(found.get(t, ())) == 1}


_SHEET_COLUMNS = (Meeting.id, Meeting.number, Meeting.org_id, Meeting.kind, Meeting.title, Meeting.meeting_date,
                  Meeting.start_time, Meeting.end_time, Meeting.place, Meeting.host, Meeting.lecturer,
                  Meeting.deleted)


def _signin_read(s: Session, meeting_ids: Sequence[str]) -> list[tuple[SigninSheet, list[Attendee]]]:
    """The sheets' own read: what meetings.get gives of a meeting and its attendees, without the quorum,
    committee seats, votes, 党籍 history and attachments that a sheet does not print (most of get's time).
    Only the category on the day is worked out, for the 预备党员 note.

    One narrow query per kind of row for all the meetings together (meetings, attendances, members,
    transfers, the tree, the center), so that printing a batch of sheets reads as much as printing one.
    """
    wanted = list(dict.fromkeys(meeting_ids))
    meetings = {}
    for chunk in _chunks(wanted):
        meetings.update((m.id, m) for m in s.execute(select(*_SHEET_COLUMNS).where(Meeting.id.in_(chunk)))
                        if not m.deleted)
    if len(meetings) != len(wanted):
        raise NotFound("该会议不存在或已删除")
    # By meeting id alone, tombstones skipped here: with `deleted` in the WHERE, SQLite (no ANALYZE
    # statistics) walked an index on `deleted`, i.e. every attendance row of the database.
    rows: dict[str, list] = {mid: [] for mid in wanted}
    for chunk in _chunks(wanted):
        for a in s.execute(
            select(Attendance.meeting_id, Attendance.id, Attendance.member_id, Attendance.guest_name,
                   Attendance.status, Attendance.reason, Attendance.is_guest, Attendance.guest_unit,
                   Attendance.excused_reason, Attendance.deleted)
            .where(Attendance.meeting_id.in_(chunk)).order_by(Attendance.sort_order, Attendance.created_at)
        ):
            if not a.deleted:
                rows[a.meeting_id].append(a)
    members: dict[str, tuple] = {}
    member_ids = list(dict.fromkeys(a.member_id for got in rows.values() for a in got if a.member_id))
    for chunk in _chunks(member_ids):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.mobile,
                                  Member.joined_date, Member.confirmed_date).where(Member.id.in_(chunk))):
            members[r[0]] = r
    came = arrivals(s, list(members))
    orgs = OrgTree(s)
    center = center_name(s)
    # What a member prints the same on every sheet of the batch, worked out once per member:
    # name, 党小组, own organisation, mobile, and what the category on a day needs.
    people: dict[str, tuple] = {}
    for mid, name, org_id, category, mobile, joined, confirmed in members.values():
        own = orgs.get(org_id)
        people[mid] = (name, orgs.group_name(org_id), own.name if own else "", mobile,
                       category or member_rules.FULL, joined, confirmed, came.get(mid))
    return [_sheet(meetings[mid], rows[mid], people, orgs, center) for mid in meeting_ids]


def _sheet(m, rows: list, people: dict[str, tuple], orgs: OrgTree, center: str) -> tuple[SigninSheet, list[Attendee]]:
    attendees = []  # on_committee and has_vote left False: not read, the sheet prints neither
    day = m.meeting_date
    category_on = standing_rules.category_on
    for _meeting, aid, member_id, guest_name, status, reason, is_guest, guest_unit, excused, _deleted in rows:
        p = people.get(member_id) if member_id else None
        if p is None:  # an outside guest (or a member's row gone): named as entered
            attendees.append(Attendee(aid, None, guest_name, "", "", "", "", status, reason, True,
                                      guest_unit, False, False))
            continue
        name, group, own_name, mobile, category, joined, confirmed, arrived = p
        # The category on the day, as meetings.get reads it (StandingBook.on, standing_on's category):
        # a later 转正 leaves the note; before a 转入 here the member was not ours.
        then = None if arrived is not None and day < arrived else category_on(category, joined, confirmed, day)
        attendees.append(Attendee(
            aid, member_id, name, group if not is_guest else "", own_name, then or "", mobile, status, reason,
            is_guest, guest_unit, False, False, excused_reason=excused))
    org, branch = orgs.get(m.org_id), orgs.branch_of(m.org_id)
    org_name = org.name if org else "（已删除的组织）"
    sheet = SigninSheet(
        center_name=center,
        org_name=org_label(org_name, branch.name if branch else (org.name if org else "")),
        kind=m.kind, title=m.title, number=m.number, meeting_date=m.meeting_date, start_time=m.start_time,
        end_time=m.end_time, place=m.place, host=m.host,
        lecturer=m.lecturer if m.kind == rules.PARTY_LECTURE else "",
    )
    return sheet, attendees


def _kept_path(stored_name: str) -> Path | None:
    """Where a meeting's file is in the data folder; None when it is not there (lost, or synced without it)."""
    try:
        return attachments.path_of(stored_name)
    except (NotFound, OSError):
        return None


def meeting_record_of(db: Database, meeting_ref: str) -> MeetingRecord:
    auth.require(db, "meetings.read")
    detail = get(db, resolve(db, meeting_ref))
    files = tuple(RecordFile(f.file_name, _kept_path(f.stored_name)) for f in detail.files)
    return replace(meeting_record(detail, center_of(db)), topics=tuple(memberlife.topics(db, detail.id)),
                   attachments=files)


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


def print_signin_sheets(db: Database, meeting_refs: Sequence[str], out: Path | None = None, *,
                        show_phones: bool | None = None, printed_on: date | None = None, font_path: str | None = None,
                        progress: Callable[[int, int], None] | None = None) -> bytes:
    """签到表 of several meetings (by id or number) as one PDF, each sheet from a new page, in that order; their
    data read together. Also written to `out` when given. `progress(page, pages)` as each page starts (it may
    raise to cancel)."""
    from desktop_app.reports.signin import render_signin_sheets

    auth.require(db, "meetings.read")
    if not meeting_refs:
        raise ValidationError("会议", "没有要打印签到表的会议")
    if show_phones is None:
        from desktop_app.settings import Settings

        show_phones = Settings.load().signin_show_phones
    return render_signin_sheets(signin_sheets_of(db, meeting_refs), out, show_phones=show_phones,
                                printed_on=printed_on, font_path=font_path, progress=progress)


def signin_batch(db: Database, flt: MeetingFilter) -> list[str]:
    """The meetings a filter shows whose sign-in sheets a batch prints, in the list's order (cancelled ones
    left out: nobody signs for them)."""
    auth.require(db, "meetings.read")
    return [r.id for r in list_meetings(db, flt) if r.status != rules.CANCELLED]


def print_meeting_record(db: Database, meeting_ref: str, out: Path | None = None, *,
                         printed_on: date | None = None, font_path: str | None = None) -> bytes:
    """会议记录 of a meeting (by id or number) as PDF bytes; also written to `out` when given."""
    from desktop_app.reports.meeting_record import render_meeting_record

    auth.require(db, "meetings.read")
    return render_meeting_record(meeting_record_of(db, meeting_ref), out, printed_on=printed_on,
                                 font_path=font_path)
