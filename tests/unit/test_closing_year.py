"""The year a year-end print is for when none is named: January still closes the year just ended."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.clock import closing_year


@pytest.mark.parametrize(("today", "year"), [
    (date(2027, 1, 1), 2026),
    (date(2027, 1, 31), 2026),
    (date(2027, 2, 1), 2027),
    (date(2026, 12, 31), 2026),
    (date(2026, 6, 15), 2026),
])
def test_january_still_closes_last_year(today, year):
    assert closing_year(today) == year
