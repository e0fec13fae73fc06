"""A package, a key and a backup recorded but not renamed into place: the page says where the file is, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.sync import dialogs as sync_dialogs
from desktop_app.gui.widgets import common, forms
from desktop_app.services import backup, sync
from tests.gui.test_sync_gui import _street_ctx, community, page_for, street_db  # noqa: F401 - fixtures
from tests.integration.sync_world import enrol


def refuse_renames(monkeypatch, held) -> None:
    """os.replace onto a file `held(dst)` fails as on Windows when another program holds it open."""
    real = os.replace

    def replace(src, dst):
        if held(Path(dst)):
            raise PermissionError(13, "另一个程序正在使用此文件")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_the_sync_page_says_where_a_recorded_package_was_kept(qtbot, community, street_db, wait_ops, tmp_path,
                                                               monkeypatch, error_boxes, shot):
    enrol(street_db, community.db, tmp_path)
    page = page_for(qtbot, community, wait_ops)
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(sync_dialogs, "choose_folder", lambda *a: usb)
    refuse_renames(monkeypatch, lambda dst: dst.parent == usb and dst.suffix == ".dqsync" and "待改名" not in dst.name)
    page.export_button.click()
    wait_ops()
    [kept] = usb.iterdir()
    assert len(error_boxes) == 1 and str(kept) in error_boxes[0] and "已保存并记录" in error_boxes[0]
    assert "Traceback" not in error_boxes[0] and "Error" not in error_boxes[0]
    # recorded: the history shows it, as the package it is
    qtbot.waitUntil(lambda: page.history.rowCount() == 1, timeout=5000)
    shot(page, "sync-kept.png")


def test_the_sync_page_says_where_a_new_street_key_was_kept(qtbot, street_db, wait_ops, tmp_path, monkeypatch,
                                                             error_boxes):
    page = page_for(qtbot, _street_ctx(street_db), wait_ops)
    key_file = tmp_path / "street.dqkey"
    old = sync.key_info(street_db).fingerprint
    monkeypatch.setattr(common, "ask", lambda *a: True)
    monkeypatch.setattr(sync_dialogs, "choose_save", lambda *a: key_file)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    refuse_renames(monkeypatch, lambda dst: dst == key_file)
    page.replace_key.click()
    wait_ops()
    assert len(error_boxes) == 1 and "私钥完整保存在" in error_boxes[0]
    new = sync.key_info(street_db).fingerprint
    assert new != old and sync.load_keys(street_db)[0].fingerprint == new  # the key in use is whole
    qtbot.waitUntil(lambda: new in page.key_label.text(), timeout=5000)


def test_backup_now_says_where_a_recorded_copy_was_kept(qtbot, app_ctx, wait_ops, monkeypatch, error_boxes):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    refuse_renames(monkeypatch, lambda dst: dst.name.endswith("-manual.db"))
    w.backup_now()
    wait_ops()
    assert len(error_boxes) == 1 and "（待改名）" in error_boxes[0] and "Traceback" not in error_boxes[0]
    assert backup.list_backups(app_ctx.db.path.stem) == []  # kept, never offered as a backup


def test_a_save_kept_under_another_name_is_titled_saved_not_could_not(qapp, tmp_path, monkeypatch):
    from desktop_app.domain.errors import Conflict
    from desktop_app.files import LeftBeside
    from desktop_app.gui import errors

    shown: list[tuple[str, str]] = []

    class Box:
        @staticmethod
        def warning(parent, title, text, *a, **k):
            shown.append((title, text))

    monkeypatch.setattr(errors, "QMessageBox", Box)
    out = tmp_path / "名册.xlsx"
    errors.show_error(None, LeftBeside(out, tmp_path / "名册（待改名）.xlsx", PermissionError(13, "占用")))
    errors.show_error(None, Conflict("没有可以生成下发包的社区"))
    assert [t for t, _ in shown] == ["已保存，文件待改名", "无法完成"]
    assert "已保存并记录" in shown[0][1] and "名册（待改名）.xlsx" in shown[0][1]


def test_the_send_down_summary_names_the_communities_skipped(qtbot, tmp_path, shot):
    from datetime import datetime

    from desktop_app.views.sync import ExportResult, SentAll

    def made(code: str, name: str) -> ExportResult:
        return ExportResult(path=tmp_path / f"下发包_{code}.dqsync", package_id=code, kind="downstream", seq=1,
                            full=True, plain=False, since=None, until=datetime(2026, 12, 7), size=3072,
                            counts={"organization": 12}, to_org_name=name)

    sent = SentAll([made("320102001", "梅园社区党委"), made("320102003", "竹园社区党委")],
                   skipped=["兰园社区党委（密钥已作废）"])
    dlg = sync_dialogs.ExportSummaryDialog(None, sent, "街道")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.skipped.isHidden() and "已跳过：兰园社区党委（密钥已作废）" in dlg.skipped.text()
    assert dlg.table.model().rowCount() == 2
    shot(dlg, "send-all-skipped.png")
    alone = sync_dialogs.ExportSummaryDialog(None, [made("320102001", "梅园社区党委")], "街道")
    qtbot.addWidget(alone)
    assert alone.skipped.isHidden()
