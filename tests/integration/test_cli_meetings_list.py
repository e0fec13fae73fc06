"""`dangqun meetings` lists the year as the 三会一课 page does: the same status words and the same summary."""

from datetime import date, timedelta

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services import meetings as ms


def test_a_past_planned_meeting_is_awaiting_attendance(db, capsys):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id, tracking_since=date(2020, 1, 1))
    roster.create(db, MemberInput(name="王建国", org_id=b.id, id_number=idcard.make("320102", date(1960, 3, 1), 1,
                                                                                  idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    today = date.today()
    # the day before yesterday, or today when the year began yesterday: this year's list holds it either way
    past = max(today - timedelta(days=2), date(today.year, 1, 1))
    owed = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="重温入党誓词", meeting_date=past))
    ahead = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.PARTY_LECTURE, title="党课",
                                        meeting_date=today))  # today's: not owed yet
    assert main(["meetings", "--db", str(db.path or db.url)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = {n: next(x for x in out if x.startswith(n)) for n in (owed.number, ahead.number)}
    assert "待登记出勤" in line[owed.number] if past < today else "计划中" in line[owed.number]
    assert "计划中" in line[ahead.number] and "待登记出勤" not in line[ahead.number]
    page_line = ms.list_meetings(db)
    from desktop_app.views.meetings import meetings_summary

    assert out[-1] == f"{today.year} 年{meetings_summary(page_line, today)}"
    assert out[-1].startswith(f"{today.year} 年共 2 次会议，已召开 0 次")
