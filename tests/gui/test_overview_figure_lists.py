"""A 工作台 figure opens the list of exactly what it counts, on the demo community.

微心愿认领 52 opened the 11 wishes still 已认领 among those posted in the year: the figure counts
the wishes claimed in the year (some fulfilled since), so the list is narrowed by the claim's date,
in any state. 反映问题 329 and 办结 301 opened all 579 visits of the year: they open the visits that
raised a problem, and of those the ones closed.
"""

from __future__ import annotations

import pytest

KEYS = ("wishes_posted", "wishes_claimed", "wishes_fulfilled", "visits", "problems_raised", "problems_closed",
        "projects_done", "activities", "reporting_members")


@pytest.fixture(scope="module")
def demo_window(qapp, tmp_path_factory):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.main_window import MainWindow
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import demo, site
    from desktop_app.services.database import open_database

    db, _ = open_database(tmp_path_factory.mktemp("demo") / "demo.db")
    make_app()
    demo.generate(db, members=60, seed=3)
    window = MainWindow(AppContext(db, site.get_site(db)))
    window.resize(1366, 768)
    window.show()
    yield window
    window.close()
    window.deleteLater()
    db.dispose()


@pytest.mark.parametrize("key", KEYS)
def test_the_figure_opens_the_rows_it_counts(demo_window, wait_ops, key):
    window = demo_window
    page = window.go_to("概览")
    wait_ops()
    page.refresh()
    wait_ops()
    figure = next(f for f in page.board.figures if f.key == key)
    assert figure.value > 0  # the demo has some, or the check proves nothing
    opened = page.open_figure(figure)
    wait_ops()
    assert window.stack.currentWidget() is opened
    assert len(opened.panel.model.rows) == figure.value
