"""The district's sync page asks which 街道党工委 a community enrolling belongs to (a combo);
a street's operator is not asked: their own street."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog
from sqlalchemy import select

from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.page import SyncPage
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import auth, site, sync
from desktop_app.store.migrate import open_database
from desktop_app.store.models_sync import SyncEnrolment
from tests.integration.test_district_enrolment import ADMIN_PASSWORD, PASSWORD, community_request, set_up_district


@pytest.fixture
def district(tmp_path, monkeypatch):
    monkeypatch.setenv(sync.PASSPHRASE_ENV, "district-passphrase")
    db, _ = open_database(tmp_path / "district.db")
    a, b = set_up_district(db, tmp_path)
    c, req = community_request(tmp_path)
    c.dispose()
    yield db, a, b, req.path
    db.dispose()


def _accept(qtbot, wait_ops, db, request, tmp_path, monkeypatch) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(sync_dialogs, "choose_open", lambda *a: request)
    monkeypatch.setattr(sync_dialogs, "choose_save", lambda *a: tmp_path / "c.dqreply")
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: asked.append(text))
    page = SyncPage(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.key_button.click()
    wait_ops()
    return asked


def test_the_administrator_picks_the_street_from_a_combo(qtbot, wait_ops, district, tmp_path, monkeypatch):
    db, a, b, request = district
    auth.login(db, "admin", ADMIN_PASSWORD)
    offered = []

    def pick() -> None:  # the real dialog: its combo lists the district's streets; take 新街口
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()]
        if not shown:  # a loaded machine: the dialog is not up yet
            QTimer.singleShot(100, pick)
            return
        dlg = shown[0]
        combo = dlg.findChild(QComboBox)
        offered.extend(combo.itemText(i) for i in range(combo.count()))
        combo.setCurrentIndex(offered.index("新街口街道党工委"))
        dlg.grab().save(str(tmp_path / "street_combo.png"))
        dlg.accept()

    QTimer.singleShot(300, pick)
    asked = _accept(qtbot, wait_ops, db, request, tmp_path, monkeypatch)
    assert offered == ["梅园街道党工委", "新街口街道党工委"]
    assert "所属：新街口街道党工委" in asked[0] and "所属新街口街道党工委" in asked[1]
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == b.id


def test_a_street_operator_is_not_asked(qtbot, wait_ops, district, tmp_path, monkeypatch):
    db, a, b, request = district
    auth.login(db, "meiyuan", PASSWORD)
    monkeypatch.setattr(sync_dialogs, "choose_street", lambda *a: pytest.fail("a street's operator is not asked"))
    asked = _accept(qtbot, wait_ops, db, request, tmp_path, monkeypatch)
    assert "所属：梅园街道党工委" in asked[0]
    with db.session() as s:
        assert s.scalar(select(SyncEnrolment.street_org_id)) == a.id
