"""数据同步 at a district, and at a community enrolled with one, says 区 where it said 街道: its key, its
boxes, its tabs, its buttons. The district sets the street of an enrolment made before streets were
kept (设置所属街道…); a street's operator is not offered it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget
from sqlalchemy import select, update

from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.page import SyncPage
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import auth, site, sync
from desktop_app.store.migrate import open_database
from desktop_app.store.models_sync import SyncEnrolment
from tests.gui.test_district_enrol_gui import district  # noqa: F401 - a fixture
from tests.integration.test_district_enrolment import ADMIN_PASSWORD, PASSWORD
from tests.integration.test_district_level import _tree


def texts(page: QWidget) -> list[str]:
    """Every word the page shows or explains: labels, buttons, box titles, tabs, tooltips and headers."""
    out: list[str] = []
    for w in page.findChildren(QWidget):
        out.append(w.toolTip())
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QTabWidget):
            out.extend(w.tabText(i) for i in range(w.count()))
    model = page.history
    out.extend(str(model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount()))
    return [t for t in out if t]


@pytest.fixture
def linked(district, tmp_path):
    """玄武区委 with its streets and key, and 梅园社区 enrolled with it into 新街口 (an old enrolment: no street kept)."""
    db, a, b, request = district
    c, _ = open_database(tmp_path / "c.db")
    sync.enrol_accept(db, request, tmp_path / "c.dqreply", street="320102200")
    sync.enrol_finish(c, tmp_path / "c.dqreply")
    with db.session() as s:
        s.execute(update(SyncEnrolment).values(street_org_id=""))  # as before 0036
        s.commit()
    sync.import_package(db, sync.export_package(c, tmp_path / "up.dqsync").path)
    yield db, c, a, b
    c.dispose()


def _page(qtbot, wait_ops, db) -> SyncPage:
    page = SyncPage(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_ops()
    return page


def test_the_district_s_page_says_district_and_sets_a_street(qtbot, wait_ops, linked, shot, monkeypatch):
    db, c, a, b = linked
    auth.login(db, "admin", ADMIN_PASSWORD)
    page = _page(qtbot, wait_ops, db)
    said = texts(page)
    assert [t for t in said if "街道密钥" in t or "向街道登记" in t] == []
    assert page.key_label.text().startswith("区密钥：玄武区委")
    assert page.street_button.isVisible() and not page.street_button.isEnabled()  # no community chosen yet
    page.community_view.selectRow(0)
    assert page.street_button.isEnabled()
    shot(page, "district_sync.png")
    told: list[str] = []
    monkeypatch.setattr(sync_dialogs, "choose_street", lambda parent, community, streets, text="": (
        told.append(text) or dict((n, i) for i, n in streets)["新街口街道党工委"]))
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    page.street_button.click()
    wait_ops()
    assert "梅园社区党委属于哪个街道党工委" in told[0]
    assert told[1] == "梅园社区党委的所属街道已设为新街口街道党工委，它的社区党委已移到该街道之下。"
    assert _tree(db)["320102001"] == ("community", "320102200")
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == b.id


def test_a_street_operator_is_not_offered_to_set_a_street(qtbot, wait_ops, linked):
    db, c, a, b = linked
    auth.login(db, "meiyuan", PASSWORD)
    page = _page(qtbot, wait_ops, db)
    assert not page.street_button.isVisible()


def test_a_community_enrolled_at_the_district_says_district(qtbot, wait_ops, linked, shot):
    db, c, a, b = linked
    page = _page(qtbot, wait_ops, c)
    said = texts(page)
    assert [t for t in said if "街道" in t] == []
    for shown in ("报送区", "区下发", "导入区下发包…", "区确认", "把本社区的数据导出为一个数据包文件，存到 U 盘交给区。"):
        assert shown in said, shown
    assert page.key_status.text().startswith("已设置：玄武区委")
    shot(page, "community_at_district.png")
