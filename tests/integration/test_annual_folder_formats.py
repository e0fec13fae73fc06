"""The year-end folder writes scores and attendance one way: 68.0 beside 79.4, and "—" where nobody was expected."""

from __future__ import annotations

import re
from datetime import date

from desktop_app.domain import meetings as meeting_rules
from desktop_app.services import overview
from desktop_app.store.models_meetings import Meeting
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def sections(db, year):
    return {s.title: s for s in overview.annual_folder(db, year, today=TODAY, photos=False).sections}


def test_a_meeting_without_attendance_prints_a_dash_not_zero(db, town):  # noqa: F811
    with db.session() as s:
        s.add(Meeting(number="J1", org_id=town["community"], kind=meeting_rules.JOINT, title="共商辖区治理",
                      meeting_date=date(2026, 4, 2), status=meeting_rules.HELD))
        s.commit()
    rows = sections(db, 2026)["三会一课：会议及出勤"].rows
    (joint,) = [r for r in rows if r[2] == meeting_rules.JOINT]
    assert joint[5:] == ("—", "—", "—", "")
    theme = [r for r in rows if r[2] == "主题党日"]
    assert theme and all(r[5].isdigit() for r in theme)  # meetings with a sign-in list keep their counts


def test_scores_print_with_one_decimal_as_the_assessment_page_does(empty_db):
    from desktop_app.services import demo

    db = empty_db
    demo.generate(db, members=120, seed=1)
    year = date.today().year
    rows = {s.title: s for s in overview.annual_folder(db, year, photos=False).sections}["支部考评"].rows
    assert rows
    for r in rows:
        assert re.fullmatch(r"\d+\.\d", r[2]) and re.fullmatch(r"\d+\.\d", r[3]), r
