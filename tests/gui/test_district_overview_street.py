"""A district's 概览: the 各社区 table says which street each community is under (未设置 until named)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.gui.overview.page import OverviewPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import auth, site, sync
from tests.gui.test_district_enrol_gui import district  # noqa: F401 - a fixture
from tests.gui.test_district_sync_words_gui import linked  # noqa: F401 - a fixture
from tests.integration.test_district_enrolment import ADMIN_PASSWORD


def test_the_district_overview_names_each_community_s_street(qtbot, wait_ops, linked):  # noqa: F811
    db, c, a, b = linked
    auth.login(db, "admin", ADMIN_PASSWORD)
    page = OverviewPage(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    m = page.street_model
    assert [m.headerData(i, Qt.Orientation.Horizontal) for i in range(3)] == ["社区", "所属街道", "党员"]
    assert m.index(0, 1).data() == "未设置"
    sync.enrol_set_street(db, sync.communities(db)[0].site_id, b.id)
    page.refresh()
    wait_ops()
    assert m.index(0, 1).data() == "新街口街道党工委"
