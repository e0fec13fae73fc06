"""On 2 January the 工作台 still lists last year's 应开未开 三会一课 (December's and the fourth quarter's fell due on
31 December); they name the year and open it. From February the new year's list stands alone."""

from __future__ import annotations

from datetime import date

from desktop_app.services import meetings, overview
from tests import party_people


def meeting_items(db, today):
    return [i for i in overview.todo(db, today).items if i.kind == "meetings"]


def test_last_years_missed_meetings_stay_on_the_list_in_january(db):
    branch = party_people.branch(db)
    party_people.members(db, branch, ("张建国", "李秀英", "王德华"), today=date(2025, 12, 1))
    meetings.set_branch_cadence(db, branch, date(2026, 11, 1), None)  # its records begin in November

    (late_dec,) = [i for i in meeting_items(db, date(2026, 12, 31)) if i.overdue]
    assert late_dec.text.startswith("第一网格党支部：应开未开 ")

    items = meeting_items(db, date(2027, 1, 2))
    last = [i for i in items if "2026年应开未开" in i.text]
    assert len(last) == 1 and last[0].overdue and last[0].filters == (("year", 2026),)
    assert last[0].record_id == branch
    # more periods of 2026 missed now than on 31 December: December's and the quarter's fell due that day
    assert last[0].text.split("2026年应开未开 ")[1].split("（")[0] != late_dec.text.split("应开未开 ")[1].split("（")[0]
    assert any(i.text.startswith("第一网格党支部：本期待开") for i in items)  # the new year's as before

    assert not any("2026年" in i.text for i in meeting_items(db, date(2027, 2, 1)))
