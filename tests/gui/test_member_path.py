"""A member's own page shows the whole way into the party: the 发展党员 file's steps with their dates
(入党申请书 to 转正), or for a member who joined before the file was kept the roster's 入党 and 转正
dates, and the 政治生日 (the day of joining)."""

from datetime import date

from desktop_app.domain import development as d
from desktop_app.gui.memberlife.member import life_html
from desktop_app.services import memberlife as ml
from tests.integration.test_development_withdraw import TODAY, branch, walk  # noqa: F401  (branch: a fixture)
from tests.party_people import members


def test_a_member_developed_here_shows_the_steps_from_application_to_confirmation(db, branch):
    got = walk(db, branch, d.CONFIRM_APPROVE)  # 递交入党申请书 2023-03-01 … 转正 2025-09-01, 审批 2025-10-20
    life = ml.member_life(db, got.member_id, today=TODAY)
    shown = [(on, what) for on, what in life.path]
    assert shown[0] == (date(2023, 3, 1), d.APPLY) and (date(2025, 9, 1), d.CONFIRM) in shown
    assert (date(2023, 5, 10), f"{d.MAKE_ACTIVIST}（王建国）") in shown and (date(2024, 9, 1), d.ADMIT) in shown
    assert (date(2024, 6, 5), f"{d.SPONSORS}（王建国、李秀英）") in shown  # who introduced them, as the 志愿书 says
    assert (date(2024, 11, 1), d.OATH) in shown and shown[-1] == (date(2025, 10, 20), d.CONFIRM_APPROVE)
    html = life_html(life)
    assert "入党经历" in html and "2023-03-01" in html and "政治生日：9月1日" in html


def test_a_member_from_before_the_file_shows_the_roster_s_dates(db, branch):
    (mid,) = members(db, branch, ["老党员"], joined=date(1990, 7, 1))
    life = ml.member_life(db, mid, today=TODAY)
    assert life.path == ((date(1990, 7, 1), "入党"), (date(1991, 7, 1), "转正"))
    html = life_html(life)
    assert "政治生日：7月1日" in html and "1990-07-01" in html
