"""Which meetings a branch owes: 党章 art. 31 (committee from seven 正式党员), groups, tracking start,
annual reviews held by 31 March counting for the year before, the 书记's yearly 党课."""

from datetime import date

from desktop_app.domain import cadence as c
from desktop_app.domain import meetings as m
from desktop_app.domain.meetings import CellStatus, Period, PeriodUnit


def rule(kind):
    return m.default_rule(kind)


def test_a_committee_from_seven_full_members_or_registered_seats_or_set_by_hand():
    assert not c.has_committee(None, 0, 6)
    assert c.has_committee(None, 0, 7)
    assert c.has_committee(None, 3, 5)
    assert not c.has_committee(False, 3, 9)
    assert c.has_committee(True, 0, 2)


def test_no_committee_meeting_without_a_committee_no_group_meeting_without_groups():
    assert not c.branch_rule(rule(m.COMMITTEE), committee=False, groups=True).tracked
    assert c.branch_rule(rule(m.COMMITTEE), committee=True, groups=False).tracked
    assert not c.branch_rule(rule(m.GROUP_MEETING), committee=True, groups=False).tracked
    assert c.branch_rule(rule(m.BRANCH_CONGRESS), committee=False, groups=False).tracked


def test_annual_reviews_held_by_the_end_of_march_count_for_the_year_before():
    y2025 = Period(2025, PeriodUnit.YEAR, 1)
    r = rule(m.ORG_LIFE)
    assert c.review_year(date(2026, 3, 31)) == 2025
    assert c.review_year(date(2026, 4, 1)) == 2026
    assert c.counts_in(r, y2025, date(2026, 1, 15))
    assert not c.counts_in(r, y2025, date(2025, 2, 10))  # that one was 2024's
    assert c.counts_in(r, y2025, date(2025, 12, 20))
    assert c.review_deadline(2025) == date(2026, 3, 31)
    # not yet overdue in the first quarter after, overdue from 1 April
    assert c.cell_status(r, y2025, date(2026, 2, 1), held=0) == CellStatus.DUE
    assert c.cell_status(r, y2025, date(2026, 4, 1), held=0) == CellStatus.OVERDUE
    assert c.cell_status(r, y2025, date(2026, 4, 1), held=1) == CellStatus.HELD
    # other kinds keep the calendar
    assert not c.counts_in(rule(m.BRANCH_CONGRESS), Period(2025, PeriodUnit.QUARTER, 4), date(2026, 1, 5))


def test_periods_before_tracking_began_are_not_asked_for():
    r = rule(m.THEME_DAY)
    since = date(2025, 6, 10)
    assert c.cell_status(r, Period(2025, PeriodUnit.MONTH, 5), date(2025, 12, 1), 0, since=since) \
        == CellStatus.NOT_REQUIRED
    assert c.cell_status(r, Period(2025, PeriodUnit.MONTH, 6), date(2025, 12, 1), 0, since=since) \
        == CellStatus.OVERDUE


def test_the_secretary_lectured_when_a_lecture_names_the_years_secretary():
    assert c.secretary_lectured(["张老师", "王书记 "], ["王书记"])
    assert not c.secretary_lectured(["张老师"], ["王书记"])
    assert not c.secretary_lectured([""], [""])
