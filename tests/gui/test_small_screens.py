"""Pages on a small, scaled screen: a 1366×768 screen at 150% gives 911×512 logical pixels, less the navigation."""

from __future__ import annotations

from desktop_app.gui.main_window import MainWindow
from tests.gui.test_find_shortcut import window  # noqa: F401 - the shown, active window
from tests.gui.test_keyboard_walk import SCALED_WIDTH, fits_a_1366_screen_at_150_percent

NAVIGATION = 192  # what the navigation takes of the window's width


def test_the_roster_keeps_the_window_within_a_1366_screen_at_150_percent(window: MainWindow, wait_ops):
    window.go_to("党员名册")
    wait_ops()
    page = window.pages["党员名册"]
    # the search and eight filter lists on one line needed 954 pixels: the window could not be narrower than ~1164
    assert page.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, page.minimumSizeHint()
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()
    # every filter list still shows its whole current choice
    for box in page.filters:
        assert box.width() >= box.minimumSizeHint().width(), box.toolTip()
