"""工作台 at 1024×700: every figure tile and every to-do item is seen without scrolling sideways."""

from __future__ import annotations

from desktop_app.gui.overview.page import OverviewPage
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts

SIDEBAR = 180  # the page list left of the page in the main window


def test_a_narrow_window_puts_fewer_tiles_in_a_row_instead_of_cutting_the_last(qtbot, app_ctx, town, wait_ops):  # noqa: F811
    # At 1024 px the fourth column of tiles was cut off behind a sideways scroll bar, and the to-do list
    # scrolled sideways too, cutting each item's end.
    page = OverviewPage(app_ctx, today=TODAY)
    qtbot.addWidget(page)
    page.year.setItemData(0, TODAY.year)
    page.resize(1024 - SIDEBAR, 650)
    page.show()
    wait_ops()
    page.refresh()
    wait_ops()
    qtbot.wait(50)  # the tiles lay out again once the page has its width
    assert page.tabs.widget(0).viewport().width() < 4 * 140  # four tiles do not fit here
    assert page.tiles.itemAtPosition(0, 3) is None and page.tiles.itemAtPosition(0, 1) is not None
    assert not page.tabs.widget(0).horizontalScrollBar().isVisible()
    assert not page.todo_view.horizontalScrollBar().isVisible()
    page.resize(1366 - SIDEBAR, 700)
    qtbot.wait(50)
    assert page.tiles.itemAtPosition(0, 3) is not None  # four in a row where there is room
    assert not page.tabs.widget(0).horizontalScrollBar().isVisible()
