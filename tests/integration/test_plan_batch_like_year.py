"""照去年 on a real SQLite file: next year planned in the rhythm, place, titles and 授课人 of this one."""

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import meetings as r
from desktop_app.domain.batch_plan import DayRule
from desktop_app.domain.errors import ValidationError
from desktop_app.services import meetings as ms
from desktop_app.services.meetings.plan_batch import like_year_habits, plan_batch, preview_batch
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_meetings import Meeting
from desktop_app.views.batch_plan import BatchPlanRequest
from tests.integration.test_meetings_service import cm  # noqa: F401 - the fixture

DECEMBER = date(2025, 12, 8)
SECOND_FRIDAY = DayRule(None, 2, 4)


@pytest.fixture
def year_2025(db, cm):  # noqa: F811
    """第一网格党支部's 2025: 主题党日 every second Friday in 社区活动室 (twice in March), 党课 on the 20th
    by 王书记 (once by another), a cancelled one that does not count."""
    for mo in range(1, 13):
        day = SECOND_FRIDAY.in_month(2025, mo)
        ms.plan(db, meeting(cm, r.THEME_DAY, day, title=f"2025年{mo}月主题党日", place="社区活动室"), today=day)
    ms.plan(db, meeting(cm, r.THEME_DAY, date(2025, 3, 5), title="学雷锋志愿服务"), today=date(2025, 3, 1))
    for mo, who in ((2, "王书记"), (5, "王书记"), (8, "刘老师"), (11, "王书记")):
        day = date(2025, mo, 20)  # a Thursday, a Tuesday, a Wednesday, a Thursday: the day, not the weekday
        ms.plan(db, meeting(cm, r.PARTY_LECTURE, day, title=f"2025年第{'一二三四'[(mo - 1) // 3]}季度党课",
                            lecturer=who), today=day)
    gone = ms.plan(db, meeting(cm, r.THEME_DAY, date(2025, 5, 20), title="取消的"), today=date(2025, 5, 1))
    ms.cancel(db, gone.id, "下雨")
    return cm


def meeting(cm, kind, day, place="党群服务中心二楼会议室", **kw):  # noqa: F811
    return ms.MeetingInput(org_id=cm.branch, kind=kind, meeting_date=day, place=place, **kw)


def request(cm, **kw):  # noqa: F811
    base = dict(org_ids=(cm.branch,), first=date(2026, 1, 1), last=date(2026, 12, 31),
                kinds=(r.THEME_DAY, r.PARTY_LECTURE), like_year=2025)
    return BatchPlanRequest(**{**base, **kw})


def test_habits_in_words_per_holder_and_kind(db, year_2025):
    rows = like_year_habits(db, [year_2025.branch, year_2025.branch2], 2025, today=DECEMBER)
    said = {(x.org_name, x.habit.kind): x.habit.words for x in rows}
    assert said[("第一网格党支部", r.THEME_DAY)] == (
        "照2025年：每月第二个星期五；地点：社区活动室；2025年有 1 个月开了不止 1 次，每月只计划 1 次")
    assert said[("第一网格党支部", r.PARTY_LECTURE)] == (
        "照2025年：每季度第二个月 20 日；地点：党群服务中心二楼会议室；授课人：王书记")
    assert said[("第二网格党支部", r.THEME_DAY)] == "2025年未召开，按周期默认"
    assert {x.org_name for x in rows if x.habit.kind == r.GROUP_MEETING} == {
        "第一网格党支部·第一党小组", "第一网格党支部·第二党小组"}
    with pytest.raises(ValidationError, match="参照的年份"):
        like_year_habits(db, [year_2025.branch], 1999, today=DECEMBER)


def test_next_year_previewed_and_planned_like_this_one(db, year_2025):
    cm = year_2025
    rows = preview_batch(db, request(cm), today=DECEMBER)
    themes = [x for x in rows if x.kind == r.THEME_DAY]
    lectures = [x for x in rows if x.kind == r.PARTY_LECTURE]
    assert [x.day for x in themes] == [SECOND_FRIDAY.in_month(2026, mo) for mo in range(1, 13)]  # one a month
    assert themes[2].title == "2026年3月主题党日" and {x.place for x in themes} == {"社区活动室"}
    assert [x.day for x in lectures] == [date(2026, 2, 20), date(2026, 5, 20), date(2026, 8, 20), date(2026, 11, 20)]
    assert lectures[1].title == "2026年第二季度党课" and {x.lecturer for x in lectures} == {"王书记"}
    assert {x.lecturer for x in themes} == {""}

    # Someone plans April's 主题党日 meanwhile: the re-check inside skips it.
    ms.plan(db, meeting(cm, r.THEME_DAY, date(2026, 4, 3)), today=DECEMBER)
    result = plan_batch(db, request(cm), rows, today=DECEMBER)
    assert len(result.planned) == 15 and [(x.kind, x.day) for x in result.skipped] == [
        (r.THEME_DAY, date(2026, 4, 10))]
    with db.session() as s:
        made = s.scalars(select(Meeting).where(Meeting.id.in_(result.meeting_ids))).all()
        assert {(m.title, m.lecturer) for m in made if m.meeting_date == date(2026, 8, 20)} == {
            ("2026年第三季度党课", "王书记")}
        trail = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "meeting",
                                                   AuditEntry.row_id.in_(result.meeting_ids))).all()
        assert len(trail) == 15 and {e.action for e in trail} == {"insert"}
    assert preview_batch(db, request(cm), today=DECEMBER) == []


def test_what_the_secretary_changed_comes_before_the_year(db, year_2025):
    cm = year_2025
    req = request(cm, kinds=(r.THEME_DAY,), days={r.THEME_DAY: DayRule(15)}, titles={r.THEME_DAY: "{月}月党日"},
                  places={r.THEME_DAY: "新活动室"}, first=date(2026, 3, 1), last=date(2026, 3, 31))
    [row] = preview_batch(db, req, today=DECEMBER)
    assert (row.day, row.title, row.place) == (date(2026, 3, 16), "3月党日", "新活动室")  # the 15th a Sunday
    # A branch with nothing in 2025 gets the defaults asked for
    other = preview_batch(db, request(cm, org_ids=(cm.branch2,), kinds=(r.THEME_DAY,), default_day=DayRule(10),
                                      place="大厅", first=date(2026, 3, 1), last=date(2026, 3, 31)), today=DECEMBER)
    assert [(x.day, x.title, x.place) for x in other] == [(date(2026, 3, 10), "3月主题党日", "大厅")]
    with pytest.raises(ValidationError, match="参照的年份"):
        preview_batch(db, request(cm, like_year=2027), today=DECEMBER)
