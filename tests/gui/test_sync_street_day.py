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


def test_the_status_line_names_what_was_made_and_taken_and_what_follows(qtbot, community, street_db, tmp_path,
                                                                       wait_ops, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop_app.gui.sync import dialogs as sync_dialogs
    from desktop_app.gui.sync.dialogs import ExportSummaryDialog
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site
    from tests.gui.test_sync_gui import _conflict, page_for

    _conflict(community, street_db, tmp_path)
    page = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    page.community_view.selectRow(0)
    out = tmp_path / "down"
    out.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: out)
    monkeypatch.setattr(ExportSummaryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    page.send_selected.click()
    wait_ops()
    assert page.message.text() == f"已生成 1 个下发包：{out}"  # a send-down, not the community's 数据包
    [pkg] = list(out.glob("*.dqsync"))

    cpage = page_for(qtbot, community, wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_open", lambda *a: pkg)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    cpage.import_button.click()
    wait_ops()
    wait_ops()
    said = cpage.message.text()
    assert said.startswith("已导入梅园街道党工委的下发包：")  # no spaces around a Chinese name
    assert "冲突 1" in said and "请到“冲突”中处理" in said


def test_a_community_that_finished_enrolling_is_told_its_next_step(qtbot, community, street_db, tmp_path,
                                                                    wait_ops, monkeypatch):
    from desktop_app.gui.sync import dialogs as sync_dialogs
    from desktop_app.gui.widgets import common
    from tests.gui.test_sync_gui import page_for

    page = page_for(qtbot, community, wait_ops)
    sync.enrol_request(community.db, tmp_path / "c.dqreq")
    sync.enrol_accept(street_db, tmp_path / "c.dqreq", tmp_path / "c.dqreply")
    told = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(sync_dialogs, "choose_open", lambda *a: tmp_path / "c.dqreply")
    page.finish_button.click()
    wait_ops()
    assert "下一步：点“导出数据包…”" in told[0] and "交给街道导入" in told[0]
    assert page.full.isChecked()  # everything, once, under the new keys
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: usb)
    monkeypatch.setattr(sync_dialogs.ExportSummaryDialog, "exec", lambda self: 1)
    page.export_button.click()
    wait_ops()
    [made] = list(usb.glob("*.dqsync"))
    assert sync.import_package(street_db, made).full
    assert not page.full.isChecked()  # after it, the changes only


def test_a_batch_result_still_names_the_files_refused_at_the_check(qtbot, community, street_db, tmp_path,
                                                                   wait_ops, monkeypatch):
    from PySide6.QtWidgets import QDialog, QLabel

    from desktop_app.gui.sync import dialogs as sync_dialogs
    from desktop_app.gui.sync.dialogs import BatchConfirmDialog, BatchResultDialog
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site
    from tests.gui.test_sync_gui import page_for

    enrol(street_db, community.db, tmp_path)
    good = sync.export_package(community.db, tmp_path / "七月.dqsync").path
    junk = tmp_path / "坏包.dqsync"
    junk.write_bytes(b"not a package")
    page = page_for(qtbot, AppContext(db=street_db, site=site.get_site(street_db)), wait_ops)
    monkeypatch.setattr(sync_dialogs, "choose_files", lambda *a: [good, junk])
    monkeypatch.setattr(BatchConfirmDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    seen = []
    monkeypatch.setattr(BatchResultDialog, "exec", lambda self: seen.append(self) or QDialog.DialogCode.Accepted)
    page.import_button.click()
    wait_ops()
    wait_ops()
    said = " ".join(label.text() for label in seen[0].findChildren(QLabel))
    # two files chosen: the result accounts for both, not only the one that went in
    assert "选择了 2 个数据包" in said and "1 个核对未通过，没有导入：坏包.dqsync" in said
    # and why, as the confirmation said (closed by now): under the list, in full
    assert seen[0].reasons.text() == "坏包.dqsync：这不是同步数据包文件" and not seen[0].reasons.isHidden()
    assert "1 个核对未通过" in page.message.text()
