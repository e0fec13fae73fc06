"""按周期批量计划, the pure part: day rules, the weekend shift, periods already met, days past."""

from datetime import date

import pytest

from desktop_app.domain import meetings as m
from desktop_app.domain.batch_plan import (
    DayRule, Existing, month_range, parse_day_rule, propose, title_for, weekday_moved,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.meetings import KindRule, Period, PeriodUnit

MONTHLY = KindRule(m.THEME_DAY, PeriodUnit.MONTH)
QUARTERLY = KindRule(m.PARTY_LECTURE, PeriodUnit.QUARTER)


def test_day_rules():
    assert DayRule(day=31).in_month(2027, 2) == date(2027, 2, 28)
    assert DayRule(day=None, nth=3, weekday=1).in_month(2027, 3) == date(2027, 3, 16)  # third Tuesday
    assert DayRule(day=None, nth=-1, weekday=4).in_month(2027, 4) == date(2027, 4, 30)  # last Friday
    assert DayRule(day=None, nth=5, weekday=0).in_month(2027, 2) is None
    assert parse_day_rule("3-2") == DayRule(day=None, nth=3, weekday=1)
    assert DayRule(day=None, nth=3, weekday=1).label == "每月第三个星期二"
    with pytest.raises(ValidationError):
        parse_day_rule("32")
    with pytest.raises(ValidationError):
        parse_day_rule("x")


def test_weekend_moves_to_monday_and_says_so():
    assert weekday_moved(date(2027, 5, 14)) == (date(2027, 5, 14), "")  # a Friday stays
    day, note = weekday_moved(date(2027, 5, 15))  # a Saturday
    assert day == date(2027, 5, 17) and "星期六" in note and "顺延至星期一" in note
    assert weekday_moved(date(2027, 5, 16))[0] == date(2027, 5, 17)
    props = propose(MONTHLY, date(2027, 5, 1), date(2027, 5, 31), DayRule(15), [], date(2027, 1, 1))
    assert [(p.day, "顺延" in p.note) for p in props] == [(date(2027, 5, 17), True)]


def test_only_missing_periods_are_proposed():
    existing = [Existing(date(2027, 1, 20), m.HELD), Existing(date(2027, 3, 2), m.PLANNED),
                Existing(date(2027, 2, 10), m.CANCELLED)]
    props = propose(MONTHLY, date(2027, 1, 1), date(2027, 4, 30), DayRule(10), existing, date(2026, 12, 1))
    assert [p.day for p in props] == [date(2027, 2, 10), date(2027, 4, 12)]
    assert "已取消" in props[0].note and props[1].period == Period(2027, PeriodUnit.MONTH, 4)
    # 2027-04-10 is a Saturday: the 12th, a Monday
    assert "顺延" in props[1].note


def test_quarter_met_gets_none_and_twice_a_month_gets_two():
    held = [Existing(date(2027, 2, 3), m.HELD)]
    assert propose(QUARTERLY, date(2027, 1, 1), date(2027, 3, 31), DayRule(5), held, date(2026, 12, 1)) == []
    twice = KindRule(m.THEME_DAY, PeriodUnit.MONTH, times=2)
    props = propose(twice, date(2027, 6, 1), date(2027, 6, 30), DayRule(1), [], date(2026, 12, 1))
    assert [p.day for p in props] == [date(2027, 6, 1), date(2027, 6, 15)]


def test_past_days_are_not_proposed():
    today = date(2027, 2, 20)
    props = propose(MONTHLY, date(2027, 1, 1), date(2027, 4, 30), DayRule(10), [], today)
    assert [p.day.month for p in props] == [3, 4]  # January and February's 10th are past
    # A quarter whose first month's day is past: the next month of the quarter.
    props = propose(QUARTERLY, date(2027, 1, 1), date(2027, 3, 31), DayRule(10), [], today)
    assert [p.day for p in props] == [date(2027, 3, 10)]
    # Tracking begins in April: nothing before.
    props = propose(MONTHLY, date(2027, 1, 1), date(2027, 5, 31), DayRule(10), [], today, since=date(2027, 4, 1))
    assert [p.day.month for p in props] == [4, 5]


def test_untracked_kind_gets_nothing_and_titles():
    off = KindRule(m.COMMITTEE, PeriodUnit.MONTH, required=False)
    assert propose(off, date(2027, 1, 1), date(2027, 12, 31), DayRule(10), [], date(2026, 1, 1)) == []
    p = Period(2027, PeriodUnit.MONTH, 3)
    assert title_for("{月}月主题党日", m.THEME_DAY, p, date(2027, 3, 10)) == "3月主题党日"
    assert title_for("{季度}{类型}", m.PARTY_LECTURE, p, date(2027, 3, 10)) == "第一季度党课"
    with pytest.raises(ValidationError):
        title_for("{周}", m.PARTY_LECTURE, p, date(2027, 3, 10))
    assert month_range("2027-01", "2027-03") == (date(2027, 1, 1), date(2027, 3, 31))
    with pytest.raises(ValidationError):
        month_range("2027-05", "2027-03")


def test_a_review_kind_is_planned_in_its_review_window():
    review = KindRule(m.ORG_LIFE, PeriodUnit.YEAR)
    # January to March 2027: the 2026 review is still owed there (held by 31 March), not the 2027 one.
    props = propose(review, date(2027, 1, 1), date(2027, 3, 31), DayRule(20), [], date(2026, 12, 7))
    assert [(p.period.year, p.day) for p in props] == [(2026, date(2027, 1, 20))]
    assert title_for("{年}年度{类型}", m.ORG_LIFE, props[0].period, props[0].day) == "2026年度组织生活会"
    held = [Existing(date(2026, 11, 3), m.HELD)]
    assert propose(review, date(2027, 1, 1), date(2027, 3, 31), DayRule(20), held, date(2026, 12, 7)) == []
