"""照去年, the pure part: the day rule, place, title pattern and 授课人 a holder kept in a year."""

from datetime import date, timedelta

from desktop_app.domain import meetings as m
from desktop_app.domain.batch_plan import (
    LAST, DayRule, PastMeeting, like_year, propose, title_for, title_pattern, weekday_moved,
)
from desktop_app.domain.meetings import KindRule, Period, PeriodUnit

MONTHLY = KindRule(m.THEME_DAY, PeriodUnit.MONTH)
QUARTERLY = KindRule(m.PARTY_LECTURE, PeriodUnit.QUARTER)


def year_of(rule: DayRule, year: int = 2026, months=range(1, 13), **kw) -> list[PastMeeting]:
    """A meeting each month on `rule`'s day, moved off the weekend as batch plan moves it."""
    return [PastMeeting(weekday_moved(rule.in_month(year, mo))[0], m.HELD, f"{year}年{mo}月主题党日", **kw)
            for mo in months]


def test_second_friday_place_and_title_for_the_next_year():
    habit = like_year(MONTHLY, 2026, year_of(DayRule(None, 2, 4), place="二楼会议室"))
    assert habit.day_rule == DayRule(None, 2, 4) and habit.count == 12
    assert habit.why == "照2026年：每月第二个星期五"
    assert habit.words == "照2026年：每月第二个星期五；地点：二楼会议室"
    assert habit.title == "{年}年{月}月主题党日" and habit.place == "二楼会议室"
    props = propose(MONTHLY, date(2027, 1, 1), date(2027, 12, 31), habit.day_rule, [], date(2026, 12, 8))
    assert [p.day for p in props][:2] == [date(2027, 1, 8), date(2027, 2, 12)]
    assert title_for(habit.title, m.THEME_DAY, props[10].period, props[10].day) == "2027年11月主题党日"


def test_a_day_of_the_month_moved_off_weekends_is_still_that_day():
    habit = like_year(MONTHLY, 2026, year_of(DayRule(10)))
    assert habit.day_rule == DayRule(10) and habit.why == "照2026年：每月 10 日"
    last = like_year(MONTHLY, 2026, year_of(DayRule(None, LAST, 3)))
    assert last.day_rule == DayRule(None, LAST, 3) and last.why == "照2026年：每月最后一个星期四"


def test_a_branch_founded_mid_year_falls_back_and_says_so():
    habit = like_year(MONTHLY, 2026, year_of(DayRule(None, 2, 4), months=range(9, 13)))
    assert habit.day_rule is None and habit.count == 4
    assert habit.why == "2026年仅召开 4 次，看不出固定日期，按周期默认"
    assert habit.title == "{年}年{月}月主题党日"  # the titles it had still serve
    none = like_year(MONTHLY, 2026, [PastMeeting(date(2026, 5, 8), m.CANCELLED)])
    assert none.day_rule is None and none.count == 0 and none.why == "2026年未召开，按周期默认"


def test_two_in_a_month_counts_the_first_and_says_one_is_planned():
    extra = [PastMeeting(date(2026, 3, 27), m.HELD, "学雷锋"), PastMeeting(date(2026, 6, 30), m.PLANNED, "七一")]
    habit = like_year(MONTHLY, 2026, year_of(DayRule(None, 2, 4)) + extra)
    assert habit.day_rule == DayRule(None, 2, 4) and habit.count == 12
    assert habit.notes == ("2026年有 2 个月开了不止 1 次，每月只计划 1 次",)
    assert habit.words.endswith("每月只计划 1 次")


def test_an_irregular_kind_has_no_rule_and_topical_titles_keep_the_usual_one():
    days = [date(2026, 1, 6), date(2026, 2, 19), date(2026, 3, 2), date(2026, 4, 24), date(2026, 5, 13),
            date(2026, 6, 30), date(2026, 7, 8), date(2026, 8, 21), date(2026, 9, 3), date(2026, 10, 27),
            date(2026, 11, 17), date(2026, 12, 1)]
    habit = like_year(MONTHLY, 2026, [PastMeeting(d, m.HELD, f"专题{i}") for i, d in enumerate(days)])
    assert habit.day_rule is None and habit.why == "去年（2026年）无固定日期，按周期默认"
    assert habit.title == ""  # twelve subjects: not one of them all year


def test_a_lecture_keeps_its_lecturer_and_only_the_year_asked_counts():
    lectures = [PastMeeting(date(2026, mo, 20), m.HELD, f"第{q}季度党课", "活动室", who)
                for mo, q, who in ((1, "一", "李书记"), (4, "二", "李书记"), (7, "三", "王老师"), (10, "四", "李书记"))]
    older = [PastMeeting(date(2025, 2, 3), m.HELD, "", "", "赵")]
    habit = like_year(QUARTERLY, 2026, lectures + older)
    assert habit.count == 4 and habit.lecturer == "李书记" and habit.place == "活动室"
    assert habit.title == "{季度}党课" and habit.day_rule == DayRule(20) and habit.month == 1
    assert habit.words == "照2026年：每季度第一个月 20 日；地点：活动室；授课人：李书记"
    # the second month of each quarter, as the year kept it; the first one's day past: the next month
    later = like_year(QUARTERLY, 2026, [x._replace(day=x.day.replace(month=x.day.month + 1)) for x in lectures])
    assert later.month == 2 and later.why == "照2026年：每季度第二个月 20 日"
    props = propose(QUARTERLY, date(2027, 1, 1), date(2027, 6, 30), later.day_rule, [], date(2026, 12, 8),
                    month=later.month)
    assert [p.day for p in props] == [date(2027, 2, 22), date(2027, 5, 20)]  # 20 February a Saturday
    late = propose(QUARTERLY, date(2027, 1, 1), date(2027, 3, 31), later.day_rule, [], date(2027, 2, 23),
                   month=later.month)
    assert [p.day for p in late] == [date(2027, 3, 22)]
    assert like_year(MONTHLY, 2026, [PastMeeting(date(2026, 5, 8), m.HELD, lecturer="李书记")]).lecturer == ""


def test_a_review_held_in_march_after_is_that_years():
    review = KindRule(m.ORG_LIFE, PeriodUnit.YEAR)
    held = [PastMeeting(date(2027, 1, 21), m.HELD, "2026年度组织生活会"),  # looks back on 2026
            PastMeeting(date(2026, 2, 11), m.HELD, "2025年度组织生活会")]
    habit = like_year(review, 2026, held)
    assert habit.count == 1 and habit.day_rule == DayRule(None, 3, 3) and habit.month == 1  # the third Thursday
    assert habit.why == "照2026年：每年 1 月第三个星期四"
    props = propose(review, date(2027, 4, 1), date(2028, 3, 31), habit.day_rule, [], date(2027, 3, 1),
                    month=habit.month)
    assert [(p.period.year, p.day) for p in props] == [(2027, date(2028, 1, 20))]
    assert habit.title == "{年}年度组织生活会"
    assert title_for(habit.title, m.ORG_LIFE, Period(2027, PeriodUnit.YEAR, 1), date(2028, 1, 20)) == "2027年度组织生活会"


def test_title_patterns():
    p = Period(2026, PeriodUnit.MONTH, 12)
    assert title_pattern("2026年12月主题党日{学习}", p, date(2026, 12, 11)) == "{年}年{月}月主题党日{{学习}}"
    assert title_pattern("2月的回顾", p, date(2026, 12, 11)) == "2月的回顾"  # not 12月's 2月
    q = Period(2026, PeriodUnit.QUARTER, 3)
    assert title_pattern("2026年下半年第三季度党课", q, date(2026, 8, 1)) == "{年}年{半年}{季度}党课"


def test_twice_a_month_keeps_the_first_meetings_rule():
    twice = KindRule(m.THEME_DAY, PeriodUnit.MONTH, times=2)
    first = year_of(DayRule(None, 1, 1))  # the first Tuesday, and two weeks after
    habit = like_year(twice, 2026, first + [x._replace(day=x.day + timedelta(days=14)) for x in first])
    assert habit.count == 24 and habit.day_rule == DayRule(None, 1, 1) and habit.notes == ()
