"""从文件恢复… and backups with their own key: any file picked outside the data folder, the backup's key asked
(three tries, a plain message), the restore through the service (administrators, audited), data untouched on refusal."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.shell.key_dialog import KeyDialog
from desktop_app.gui.widgets import common
from desktop_app.services import auth, backup, orgs, roster
from desktop_app.settings import backup_dir
from desktop_app.store import cipher
from desktop_app.store.models_access import AuditEntry

pytestmark = pytest.mark.sqlite_only
PASSWORD = "admin-pass-1"
BACKUP_KEY = "the backup's own key"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def town(app_ctx, tmp_path):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.login(db, "admin", PASSWORD)
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    usb = tmp_path / "usb"
    usb.mkdir()
    plain = backup.take_backup(db, usb / "plain.db")
    enc = usb / "from-another-pc.db"
    cipher.export(plain, None, enc, BACKUP_KEY)  # a backup encrypted with a key this database does not have
    orgs.create(db, "误建的支部", "32010200199", "branch", roster.root_org_id(db))
    return app_ctx, plain, enc


def _window(qtbot, ctx, wait_ops, monkeypatch, picked, keys=()):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    wait_ops()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picked), ""))
    monkeypatch.setattr(common, "ask", lambda *a: True)
    typed, asked = iter(keys), []

    def exec_(dlg):
        asked.append(dlg.windowTitle())
        key = next(typed, None)
        if key is None:
            return KeyDialog.DialogCode.Rejected
        dlg.key.setText(key)
        return KeyDialog.DialogCode.Accepted

    monkeypatch.setattr(KeyDialog, "exec", exec_)
    return w, asked


def _names(db):
    return {n.name for n in orgs.list_tree(db)}


def _restores(db):
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "restore")))


def test_the_menu_offers_restore_from_a_file(qtbot, town, wait_ops):
    w = MainWindow(town[0])
    qtbot.addWidget(w)
    wait_ops()
    texts = [a.text() for a in w.menuBar().actions()[0].menu().actions()]
    assert "从文件恢复…" in texts and "从备份恢复…" in texts


def test_a_plain_file_is_restored_without_asking_a_key(qtbot, town, wait_ops, monkeypatch):
    ctx, plain, _ = town
    w, asked = _window(qtbot, ctx, wait_ops, monkeypatch, plain)
    with qtbot.waitSignal(w.reopen_requested, timeout=5000):
        w.restore_from_file()  # an error box would fail the test (tests/gui/conftest.py)
    assert asked == []
    auth.login(ctx.db, "admin", PASSWORD)
    assert "误建的支部" not in _names(ctx.db)
    [entry] = _restores(ctx.db)
    assert entry.user_name == "王管理" and "plain.db" in entry.note


def test_a_backup_with_its_own_key_is_restored_after_a_wrong_try(qtbot, town, wait_ops, monkeypatch):
    ctx, _, enc = town
    w, asked = _window(qtbot, ctx, wait_ops, monkeypatch, enc, keys=["not it", BACKUP_KEY])
    with qtbot.waitSignal(w.reopen_requested, timeout=5000):
        w.restore_from_file()
    assert asked == ["输入备份的密钥", "输入备份的密钥"]
    auth.login(ctx.db, "admin", PASSWORD)
    assert "误建的支部" not in _names(ctx.db) and len(_restores(ctx.db)) == 1
    assert cipher.file_state(ctx.db.path) == "plain"  # the database keeps its own (here: no) encryption


def test_three_wrong_keys_stop_with_a_plain_message_and_change_nothing(
        qtbot, town, wait_ops, monkeypatch, error_boxes):
    ctx, _, enc = town
    w, asked = _window(qtbot, ctx, wait_ops, monkeypatch, enc, keys=["a", "b", "c", BACKUP_KEY])
    emitted = []
    w.reopen_requested.connect(lambda: emitted.append(True))
    w.restore_from_file()
    assert len(asked) == 3 and not emitted
    assert error_boxes and "3 次输入的密钥都打不开" in error_boxes[0] and "没有改动" in error_boxes[0]
    assert "误建的支部" in _names(ctx.db) and _restores(ctx.db) == []


def test_cancelling_the_key_restores_nothing(qtbot, town, wait_ops, monkeypatch):
    ctx, _, enc = town
    w, asked = _window(qtbot, ctx, wait_ops, monkeypatch, enc, keys=[])
    emitted = []
    w.reopen_requested.connect(lambda: emitted.append(True))
    w.restore_from_file()
    assert asked == ["输入备份的密钥"] and not emitted
    assert "误建的支部" in _names(ctx.db)


def test_a_file_in_the_data_folder_is_refused_by_the_picker(qtbot, town, wait_ops, monkeypatch):
    ctx, plain, _ = town
    inside = backup_dir() / "picked-here.db"
    inside.parent.mkdir(parents=True, exist_ok=True)
    inside.write_bytes(plain.read_bytes())
    told = []
    w, _ = _window(qtbot, ctx, wait_ops, monkeypatch, inside)
    monkeypatch.setattr(common, "inform", lambda _p, title, text: told.append(title))
    w.restore_from_file()
    assert told == ["不能选这里的文件"]
    assert "误建的支部" in _names(ctx.db)
