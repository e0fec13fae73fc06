"""政治生日: the 入党 anniversary in a year, and how many years it marks."""

from datetime import date

from desktop_app.domain import memberlife as rules


def test_the_anniversary_is_the_day_of_joining_in_later_years_only():
    assert rules.political_birthday(date(1974, 6, 8), 2026) == date(2026, 6, 8)
    assert rules.years_joined(date(1974, 6, 8), 2026) == 52
    assert rules.political_birthday(date(2026, 6, 8), 2026) is None  # joined this year: nothing to mark yet


def test_a_29_february_joiner_keeps_the_day_in_february():
    # 28 February, not 1 March: the branch greets month by month, and the day stays in the month of joining
    assert rules.political_birthday(date(2000, 2, 29), 2026) == date(2026, 2, 28)
    assert rules.political_birthday(date(2000, 2, 29), 2028) == date(2028, 2, 29)
    assert rules.years_joined(date(2000, 2, 29), 2026) == 26
