"""The sign-in sheet's own read gives exactly the sheet that meetings.get's full detail gives.

print_signin_sheet reads only what the sheet prints (no quorum, committee seats,
votes, 党籍 history or attachments); these tests hold it to the full read over
a demo year of meetings (members, 党小组 meetings, 列席 guests, leave reasons,
members who were 预备 on the day), for a role that sees phones and one that
sees them masked, and over a 转正 after the meeting.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.idcard import MALE, make
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, demo, orgs, roster, site
from desktop_app.services import meetings as ms
from desktop_app.views.meetings import SigninSheet, org_label, signin_lines


def sheet_from_full_read(db, meeting_id: str) -> SigninSheet:
    d = ms.get(db, meeting_id)
    return SigninSheet(
        center_name=site.center_of(db), org_name=org_label(d.org_name, d.branch_name), kind=d.kind, title=d.title,
        number=d.number, meeting_date=d.meeting_date, start_time=d.start_time, end_time=d.end_time, place=d.place,
        host=d.host, lecturer=d.lecturer if d.kind == rules.PARTY_LECTURE else "", lines=signin_lines(d.attendees))


def test_every_demo_meeting_prints_the_sheet_the_full_read_gives(empty_db):
    db = empty_db
    demo.generate(db, members=80, seed=6)
    meetings = ms.list_meetings(db)
    assert len(meetings) > 50
    auth.create_user(db, "admin1", "管理员", "admin", "xingfuli2026")
    auth.login(db, "admin1", "xingfuli2026")
    auth.create_user(db, "viewer1", "只读用户", "viewer", "xingfuli2026")
    seen = {"预备": 0, "列席": 0, "请假": 0, "masked": 0}
    for login in ("admin1", "viewer1"):
        auth.login(db, login, "xingfuli2026")
        for m in meetings:
            sheet = ms.signin_sheet_of(db, m.number)
            assert sheet == sheet_from_full_read(db, m.id), m.number
            for line in sheet.lines:
                seen["预备"] += "预备党员" in line.notes
                seen["列席"] += line.notes.startswith("列席")
                seen["请假"] += bool(line.leave_reason)
                seen["masked"] += "*" in line.mobile
        # All of them read together (print_signin_sheets' read) give the very same sheets, in the order asked,
        # whether named by number, by id or twice.
        refs = [m.number for m in meetings] + [meetings[0].id, meetings[0].number]
        assert ms.signin_sheets_of(db, refs) == [ms.signin_sheet_of(db, r) for r in refs]
    assert all(seen.values()), seen  # the cases above were all there to compare


def test_printing_sheets_together_refuses_a_deleted_meeting_and_prints_each(db, tmp_path):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    first, second = (ms.plan(db, ms.MeetingInput(org_id=branch.id, kind=rules.BRANCH_CONGRESS, title=title,
                                                 meeting_date=date(2024, 6, day)))
                     for title, day in (("学习", 1), ("部署", 2)))
    pdf = ms.print_signin_sheets(db, [first.number, second.number], printed_on=date(2024, 5, 30), font_path="")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") == 2  # one PDF, a page for each sheet
    assert [s.title for s in ms.signin_sheets_of(db, [second.number, first.number])] == ["部署", "学习"]
    ms.delete(db, second.id)
    with pytest.raises(DomainError):
        ms.signin_sheets_of(db, [first.number, second.id])


def test_a_later_confirmation_leaves_the_sheet_as_on_the_day(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    group = orgs.create(db, "第一党小组", "G01", "group", branch.id)
    probation = roster.create(db, MemberInput(
        name="预备甲", org_id=group.id, id_number=make("320102", date(1995, 1, 1), 1, MALE), category="预备党员",
        joined_date=date(2024, 3, 1), mobile="13912340001"), today=date(2024, 5, 1))
    m = ms.plan(db, ms.MeetingInput(org_id=branch.id, kind=rules.BRANCH_CONGRESS, title="学习",
                                    meeting_date=date(2024, 6, 1)))
    before = ms.signin_sheet_of(db, m.number)
    assert [(x.name, x.group, x.notes) for x in before.lines] == [("预备甲", "第一党小组", "预备党员")]
    roster.update(db, probation.id, MemberInput(
        name="预备甲", org_id=group.id, id_number=make("320102", date(1995, 1, 1), 1, MALE), category="正式党员",
        joined_date=date(2024, 3, 1), confirmed_date=date(2025, 3, 1), mobile="13912340001"))
    after = ms.signin_sheet_of(db, m.number)
    assert after == before == sheet_from_full_read(db, m.id)
