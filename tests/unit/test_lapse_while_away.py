"""Article 9's six months without organisation life do not run while the member is out (流出, with the
活动证 they take part where they are): the clock starts at their return. Dues are still owed here."""

from datetime import date

from desktop_app.domain import memberlife as r

SINCE = date(2000, 7, 1)


def test_still_out_no_life_ground_but_dues_still_count():
    lapse = r.lapse_on(date(2026, 12, 6), SINCE, date(2025, 4, 20), date(2026, 1, 1), away_until=date(2026, 12, 6))
    assert lapse.months_without_life == 0
    assert lapse.grounds == ["连续 10 个月未交纳党费"]


def test_after_coming_back_the_clock_runs_from_the_return():
    day = date(2026, 12, 6)
    assert r.lapse_on(day, SINCE, date(2025, 4, 20), date(2026, 11, 1), away_until=date(2026, 8, 1)).grounds == []
    assert r.lapse_on(day, SINCE, date(2025, 4, 20), date(2026, 11, 1), away_until=date(2026, 5, 1)).grounds == [
        "连续 7 个月未参加党的组织生活"]
    assert r.lapse_on(day, SINCE, date(2025, 4, 20), date(2026, 11, 1)).months_without_life == 19
