"""The street worker's day on the sync page, as words: each dialog says what happened and what follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.gui.sync.dialogs import ImportPreviewDialog
from desktop_app.services import sync
from tests.gui.test_sync_gui import community, street_db  # noqa: F401 - the fixtures
from tests.integration.sync_world import enrol


def _said(dialog: ImportPreviewDialog) -> str:
    return dialog.head.text() + "\n" + dialog.notes.text()


def test_the_preview_and_the_result_say_their_figures_up_front(qtbot, community, street_db, tmp_path):
    # 30-odd tables: the 合计 line sits below the fold, so the head says what the import does
    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    preview = sync.preview_import(street_db, pkg).report
    before = ImportPreviewDialog(None, preview)
    qtbot.addWidget(before)
    added = f"{preview.total('inserted'):,}"
    assert f"导入后将新增 {added} 条记录" in _said(before)
    assert "导入后会登记为新社区" in _said(before)

    done = sync.import_package(street_db, pkg)
    after = ImportPreviewDialog(None, done, result=True)
    qtbot.addWidget(after)
    assert f"已新增 {added} 条记录" in _said(after)
    # after the import nothing is still to come: the new community is enrolled now, and told so
    assert "导入后会" not in _said(after) and "已登记为新社区" in _said(after)


def test_a_package_taken_before_says_nothing_changes_in_both_dialogs(qtbot, community, street_db, tmp_path):
    enrol(street_db, community.db, tmp_path)
    pkg = sync.export_package(community.db, tmp_path).path
    sync.import_package(street_db, pkg)
    again = ImportPreviewDialog(None, sync.import_package(street_db, pkg), result=True)
    qtbot.addWidget(again)
    assert "未改变本库的任何数据" in _said(again) and "新增" not in again.head.text()


def test_a_community_enrolled_today_is_awaited_not_flagged(qtbot, community, street_db, tmp_path, wait_ops):
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site
    from tests.gui.test_sync_gui import page_for

    enrol(street_db, community.db, tmp_path)
    page = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    cell = page.communities.index(0, 9)
    assert page.communities.data(cell) == "已登记，等待首次报送"
    assert page.communities.data(cell, Qt.ItemDataRole.ForegroundRole) is None  # not the red of a late one
    assert not page.warnings.isVisible()
