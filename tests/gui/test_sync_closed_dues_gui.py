"""恢复已结账月份的党费 on a community's 数据同步 page: the preview lists each record, 恢复 puts it back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.gui.sync.closed_dues import ClosedDuesDialog
from desktop_app.gui.sync.page import SyncPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site
from tests.integration.sync_world import World, build_templates, rows
from tests.integration.test_sync_closed_dues import _old_program_takes_it_back, _paid_then_closed, _refused


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("closed-dues-gui"), members=20, synced=True)


@pytest.fixture
def w(templates, tmp_path, qapp):
    from desktop_app.gui.app import make_app

    make_app()
    world = World.copy_from(templates, tmp_path, prefix="synced-", server=False)
    yield world
    world.close()


def test_the_page_previews_each_record_then_puts_it_back(qtbot, w, wait_ops, monkeypatch, shot):
    record, month = _paid_then_closed(w)
    _old_program_takes_it_back(w.c1, record)
    member = rows(w.c1, "member")[record["member_id"]]["name"]
    assert "恢复已结账月份的党费" in _refused(w)  # what brings the worker to the button
    page = SyncPage(AppContext(db=w.c1, site=site.get_site(w.c1)))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_ops()
    assert page.closed_dues_button.isVisible()
    seen = []

    def exec_(dialog):
        seen.append(dialog)
        dialog.show()
        shot(dialog, "closed-dues-preview.png")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ClosedDuesDialog, "exec", exec_)
    page.closed_dues_button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    dlg = seen[0]
    cells = [dlg.model.index(0, c).data() for c in range(dlg.model.columnCount())]
    assert cells[0] == member and cells[4] == "未交" and str(record["paid_on"]) in cells[5], cells
    assert dlg.restore_button.isEnabled() and dlg.restore_button.text() == "恢复 1 条"
    assert "补交" in dlg.notes.text() and "重新入账" in dlg.notes.text()
    qtbot.waitUntil(lambda: "已按街道的记录恢复 1 条" in page.message.text(), timeout=20_000)
    assert rows(w.c1, "dues_record")[record["id"]]["paid_fen"] == record["paid_fen"]
    shot(page, "closed-dues-page.png")
