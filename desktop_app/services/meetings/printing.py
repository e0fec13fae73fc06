"""Fetch-and-print for meetings: check the permission, build the print model, hand it to the report.

These are what the GUI and the command line call; the reports never see the database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from desktop_app.services import auth, memberlife
from desktop_app.services.database import Database
from desktop_app.services.meetings.queries import center_name, get, resolve
from desktop_app.views.meetings import MeetingRecord, SigninSheet, meeting_record, signin_sheet


def signin_sheet_of(db: Database, meeting_ref: str) -> SigninSheet:
    """The sign-in sheet of a meeting given by id or number (phones as the role may see them)."""
    auth.require(db, "meetings.read")
    detail = get(db, resolve(db, meeting_ref))
    return signin_sheet(detail, center_name(db))


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
