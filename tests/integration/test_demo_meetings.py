"""The demo's meetings as a first-run user meets them: numbered in date order the same way each time, and each
sign-in sheet lists its people in the order a meeting planned in the window would."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.services import demo
from desktop_app.services import meetings as ms
from desktop_app.services.meetings.lifecycle import signin_order
from desktop_app.services.orgtree import OrgTree
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_meetings import Attendance, Meeting


def _numbers(db) -> list[tuple]:
    """(number, organisation code, kind, date, start) of every meeting, by number."""
    with db.session() as s:
        return s.execute(
            select(Meeting.number, Organization.code, Meeting.kind, Meeting.meeting_date, Meeting.start_time)
            .join(Organization, Organization.id == Meeting.org_id).order_by(Meeting.number)).all()


def test_every_sign_in_sheet_lists_its_people_as_a_planned_meeting_would(empty_db):
    demo.generate(empty_db, members=200, seed=1)
    with empty_db.session() as s:
        orgs = OrgTree(s)
        listed: dict[str, list[tuple]] = {}
        for mid, org_id, seq, name in s.execute(
                select(Attendance.meeting_id, Member.org_id, Member.seq, Member.name)
                .join(Member, Member.id == Attendance.member_id).where(Attendance.deleted.is_(False))
                .order_by(Attendance.sort_order, Attendance.created_at)):
            listed.setdefault(mid, []).append(signin_order(orgs, org_id, seq, name))  # (…, seq, name)
        upcoming = set(s.scalars(select(Meeting.id).where(Meeting.status == "planned",
                                                          Meeting.meeting_date >= date.today())))
    assert upcoming and len(listed) > 100
    out_of_order = [mid for mid, keys in listed.items() if keys != sorted(keys)]
    assert out_of_order == [], f"{len(out_of_order)} meetings ({len(upcoming & set(out_of_order))} upcoming)"
    for mid in sorted(upcoming)[:3]:  # and the sheet prints that order
        names = [key[-1] for key in listed[mid]]
        assert [line.name for line in ms.signin_sheet_of(empty_db, mid).lines][:len(names)] == names


def test_meetings_are_numbered_in_date_order_the_same_way_for_a_seed(tmp_path):
    dbs = [open_database(tmp_path / f"{n}.db")[0] for n in ("a", "b")]
    try:
        for db in dbs:
            demo.generate(db, members=60, seed=3)
        first, second = (_numbers(db) for db in dbs)
        assert first == second  # the same seed gives the same numbers, not just the same meetings
        for year in {row.meeting_date.year for row in first}:
            of_year = [row for row in first if row.meeting_date.year == year]
            assert of_year == sorted(of_year, key=lambda r: (r.meeting_date, r.start_time))
        # the list, and a batch of sign-in sheets printed from it, newest first by date
        rows = ms.list_meetings(dbs[0], ms.MeetingFilter(date_from=date(date.today().year, 1, 1)))
        assert [r.meeting_date for r in rows] == sorted((r.meeting_date for r in rows), reverse=True)
        batch = ms.signin_batch(dbs[0], ms.MeetingFilter(date_from=date(date.today().year, 1, 1)))
        assert batch == [r.id for r in rows if r.status != "cancelled"]
    finally:
        for db in dbs:
            db.dispose()
