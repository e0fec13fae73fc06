"""概览 in January opens on the year just ended: its figures and 年度党建工作台账, not a new year of zeros."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.gui.overview.page import OverviewPage


@pytest.mark.parametrize(("today", "year"), [(date(2027, 1, 2), 2026), (date(2027, 2, 1), 2027),
                                             (date(2026, 12, 31), 2026)])
def test_the_year_shown_at_the_turn(qtbot, app_ctx, wait_ops, today, year):
    page = OverviewPage(app_ctx, today=today)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert page.year.currentData() == year
    assert page.year.itemData(0) == today.year  # the new year is one pick away
