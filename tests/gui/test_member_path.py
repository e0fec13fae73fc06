"""A member's own page shows the whole way into the party: the 发展党员 file's steps with their dates
(入党申请书 to 转正), or for a member who joined before the file was kept the roster's 入党 and 转正
dates, and the 政治生日 (the day of joining)."""

from datetime import date

import pytest

from desktop_app.domain import development as d
from desktop_app.domain import idcard
from desktop_app.gui.memberlife.member import life_html
from desktop_app.services import development, memberlife as ml, orgs
from tests.party_people import members

TODAY = date(2026, 6, 1)
VOTE = {"votes_for": 8, "votes_against": 1, "votes_abstain": 0, "voters_expected": 10}


@pytest.fixture
def branch(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id


def test_a_member_developed_here_shows_the_steps_from_application_to_confirmation(db, branch):
    a = development.add_applicant(db, development.ApplicantInput(
        name="周晓梅", org_id=branch, applied_on=date(2023, 3, 1),
        id_number=idcard.make("320102", date(1998, 4, 2), 7, idcard.FEMALE)), today=TODAY)
    for name, on, kw in ((d.TALK, date(2023, 3, 20), {}), (d.MAKE_ACTIVIST, date(2023, 5, 10), {"contacts": "王建国"}),
                         (d.REPORT, date(2023, 8, 1), {}), (d.MAKE_CANDIDATE, date(2024, 6, 1), {}),
                         (d.VETTING, date(2024, 7, 1), {}), (d.TRAINING, date(2024, 7, 10), {}),
                         (d.NOTICE, date(2024, 8, 1), {}), (d.ADMIT, date(2024, 9, 1), VOTE),
                         (d.APPROVE, date(2024, 10, 8), {}), (d.CONFIRM, date(2025, 9, 1), VOTE)):
        got = development.advance(db, a.row.id, development.StepInput(name, on, **kw), today=TODAY)
    life = ml.member_life(db, got.member_id, today=TODAY)
    shown = [(on, what) for on, what in life.path]
    assert shown[0] == (date(2023, 3, 1), d.APPLY) and shown[-1] == (date(2025, 9, 1), d.CONFIRM)
    assert (date(2023, 5, 10), d.MAKE_ACTIVIST) in shown and (date(2024, 9, 1), d.ADMIT) in shown
    assert d.REPORT not in [w for _, w in shown]  # the quarterly reports are the file's, not the way's
    html = life_html(life)
    assert "入党经历" in html and "2023-03-01" in html and "政治生日：9月1日" in html


def test_a_member_from_before_the_file_shows_the_roster_s_dates(db, branch):
    (mid,) = members(db, branch, ["老党员"], joined=date(1990, 7, 1))
    life = ml.member_life(db, mid, today=TODAY)
    assert life.path == ((date(1990, 7, 1), "入党"), (date(1991, 7, 1), "转正"))
    html = life_html(life)
    assert "政治生日：7月1日" in html and "1990-07-01" in html
