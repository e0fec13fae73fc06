"""概览's 各社区 at a street and at a district fits a 1366 screen beside the navigation: twelve columns at a
district (with 所属街道) scrolled sideways there. Headers are short, each with its whole name as a tooltip, and
the figures' columns are as wide as what they hold."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.gui.overview.page import OverviewPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import auth, site, sync
from tests.gui.test_district_enrol_gui import district  # noqa: F401 - a fixture
from tests.gui.test_district_sync_words_gui import linked  # noqa: F401 - a fixture
from tests.gui.test_small_screens import NAVIGATION
from tests.integration.test_district_enrolment import ADMIN_PASSWORD

WIDTH, HEIGHT = 1366 - NAVIGATION, 768 - 110  # the window's title bar, the taskbar


def _open(qtbot, wait_ops, db) -> OverviewPage:
    page = OverviewPage(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(page)
    page.resize(WIDTH, HEIGHT)
    page.show()
    wait_ops()
    page.tabs.setCurrentWidget(page.table)
    qtbot.wait(50)
    return page


def _headers(page) -> list[str]:
    m = page.street_model
    return [m.headerData(i, Qt.Orientation.Horizontal) for i in range(m.columnCount())]


def test_the_district_s_communities_fit_at_1366_without_scrolling_sideways(qtbot, wait_ops, linked, shot):  # noqa: F811
    db, _c, _a, b = linked
    auth.login(db, "admin", ADMIN_PASSWORD)
    sync.enrol_set_street(db, sync.communities(db)[0].site_id, b.id)  # the longest street name shows
    page = _open(qtbot, wait_ops, db)
    shot(page, "overview_district_1366.png")
    view, m = page.table, page.street_model
    assert m.columnCount() == 12 and m.rowCount() == 1
    assert not any(view.horizontalHeader().isSectionHidden(i) for i in range(m.columnCount()))  # nothing lost
    assert view.horizontalScrollBar().maximum() == 0, [view.columnWidth(i) for i in range(m.columnCount())]
    assert m.index(0, 1).data() == "新街口街道党工委"
    for i in range(m.columnCount()):  # each short header names its column in full on hover
        tip = m.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip and _headers(page)[i] in tip, (i, tip)


def test_a_street_s_communities_fit_at_1366_too(qtbot, tmp_path, wait_ops, shot):
    from desktop_app.services import demo
    from desktop_app.store.migrate import open_database
    from tests.integration.sync_world import enrol

    street, _ = open_database(tmp_path / "street.db")
    site.init_site(street, "310105", "长宁街道党工委", "street")
    sync.new_key(street, tmp_path / "street.key")
    db, _ = open_database(tmp_path / "c.db")
    demo.generate(db, members=20, seed=3, with_modules=False)
    enrol(street, db, tmp_path, "c")
    sync.import_package(street, sync.export_package(db, tmp_path / "p.dqsync").path)
    page = _open(qtbot, wait_ops, street)
    shot(page, "overview_street_1366.png")
    view, m = page.table, page.street_model
    assert m.columnCount() == 11 and m.rowCount() == 1 and int(m.index(0, 1).data()) == 20
    assert view.horizontalScrollBar().maximum() == 0, [view.columnWidth(i) for i in range(m.columnCount())]
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(m.index(0, 0).data())  # the name in full
