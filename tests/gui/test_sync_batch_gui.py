"""The street picks several packages at once: one confirmation listing them, one merge, one result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.sync.dialogs import BatchConfirmDialog, BatchResultDialog, ImportPreviewDialog
from desktop_app.services import sync
from tests.gui.test_sync_gui import Dialogs, _street_ctx, community, page_for, street_db  # noqa: F401 - fixtures
from tests.integration.sync_world import enrol


def test_several_packages_take_one_confirmation_one_merge_and_one_result(qtbot, community, street_db,  # noqa: F811
                                                                         wait_ops, tmp_path, monkeypatch,
                                                                         qtmodeltester):
    enrol(street_db, community.db, tmp_path)
    first = sync.export_package(community.db, tmp_path / "第一次.dqsync").path
    second = sync.export_package(community.db, tmp_path / "第二次.dqsync").path
    junk = tmp_path / "坏包.dqsync"
    junk.write_bytes(b"not a package")
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [first, junk, second])
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: pytest.fail("a batch has no preview per file"))
    confirms = Dialogs(monkeypatch, BatchConfirmDialog)
    results = Dialogs(monkeypatch, BatchResultDialog)
    page.import_button.click()
    wait_ops()
    wait_ops()

    (confirm,) = confirms.seen
    listed = confirm.table.model()
    qtmodeltester.check(listed)
    assert listed.rowCount() == 3 and confirm.ok_button.text() == "导入 2 个"
    assert [listed.index(r, 1).data() for r in range(3)] == ["幸福里社区党委", "—", "幸福里社区党委"]
    refused = listed.index(1, 4)
    assert refused.data().startswith("不能导入：") and refused.data(Qt.ItemDataRole.ForegroundRole).name() == "#c8161e"
    assert confirm.paths == [first, second]

    (result,) = results.seen
    report = result.report
    assert [i.path for i in report.items] == [first, second] and len(report.imported) == 2
    assert report.items[0].report.total("inserted") > report.items[1].report.total("inserted")  # (the export's own trail line)
    qtmodeltester.check(result.table.model())
    assert "2 个已导入" in result.findChild(type(page.message)).text()
    assert "导入 2 个数据包" in page.message.text()
    assert page.imports.rowCount() == 2  # the page refreshed: both packages listed as taken

    # Chosen again with a new one: the two taken before say so, as a single import's preview does.
    third = sync.export_package(community.db, tmp_path / "第三次.dqsync").path
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [first, third, second])
    page.import_button.click()
    wait_ops()
    wait_ops()
    again = confirms.seen[-1]
    listed = again.table.model()
    assert [listed.index(r, 4).data() for r in range(3)] == ["以前导入过", "可以导入", "以前导入过"]
    assert any("2 个以前导入过" in label.text() for label in again.findChildren(QLabel))
