"""Changing a member's branch in the member form (roster.update) is a dated move: last year's counts,
compliance and meeting lists keep the member where they sat then; on a real SQLite file."""

from dataclasses import replace
from datetime import date, time

from desktop_app.domain import meetings as mr
from desktop_app.services import meetings as ms
from desktop_app.services import membership, memberlife as ml, roster
from tests.integration.test_memberlife_service import TODAY, world  # noqa: F401  (fixture)


def test_editing_the_branch_in_the_form_leaves_last_years_counts_unchanged(db, world):
    a, b, ids = world
    last_year = membership.counts_on(db, date(2024, 12, 31))
    assert last_year.by_branch == {"第一网格党支部": 5}
    grid = ms.compliance(db, 2024, today=TODAY)
    detail = roster.get(db, ids["党员3"])
    roster.update(db, detail.id, replace(detail.to_input(), org_id=b), today=TODAY)
    assert roster.get(db, ids["党员3"]).org_id == b
    assert membership.counts_on(db, date(2024, 12, 31)) == last_year
    assert ms.compliance(db, 2024, today=TODAY) == grid
    assert membership.counts_on(db, TODAY).by_branch == {"第一网格党支部": 4, "第二网格党支部": 1}
    [move] = ml.moves(db, ids["党员3"])
    assert (move.moved_on, move.from_name, move.to_name) == (TODAY, "第一网格党支部", "第二网格党支部")
    # a meeting of last year entered now still lists the member in the old branch
    late = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=date(2024, 6, 15),
                                       start_time=time(9), title="补录"), today=TODAY)
    assert "党员3" in {x.name for x in ms.get(db, late.id).attendees}


def test_an_edit_that_keeps_the_branch_records_no_move(db, world):
    _a, _b, ids = world
    detail = roster.get(db, ids["党员2"])
    roster.update(db, detail.id, detail.to_input(), today=TODAY)
    assert ml.moves(db, ids["党员2"]) == []
