"""Where backups go, on screen: only an administrator changes the mirror or backup folder; others see why not."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from desktop_app.gui import errors
from desktop_app.gui.settings.dialog import SettingsDialog
from desktop_app.gui.shell.backup_dialog import MirrorDialog, menu_rights
from desktop_app.services import auth
from desktop_app.services import settings as settings_service
from desktop_app.settings import Settings

PASSWORD = "Dangqun#2024"


def _accounts(db) -> None:
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "sec", "赵委员", "secretary", PASSWORD, must_change_password=False)
    auth.create_user(db, "view", "街道小钱", "viewer", PASSWORD, must_change_password=False)


def test_a_secretary_sees_the_mirror_folder_but_cannot_send_backups_to_a_stick(qtbot, db, tmp_path, monkeypatch):
    _accounts(db)
    auth.login(db, "sec", PASSWORD)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append(str(exc)))
    dlg = MirrorDialog(None, "", db)
    qtbot.addWidget(dlg)
    assert not dlg.path.isEnabled() and not dlg.save.isEnabled()
    assert "只有管理员" in dlg.save.toolTip()
    dlg.path.setText(str(tmp_path / "U盘"))
    dlg.accept()  # even if reached: the service refuses, the dialog stays
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert shown and "只有管理员" in shown[0]
    assert Settings.load().backup_mirror_dir == "" and not (tmp_path / "U盘").exists()


def test_an_administrator_sets_the_mirror_folder_through_the_service(qtbot, db, tmp_path):
    _accounts(db)
    auth.login(db, "admin", PASSWORD)
    dlg = MirrorDialog(None, "", db)
    qtbot.addWidget(dlg)
    assert dlg.save.isEnabled()
    dlg.path.setText(str(tmp_path / "U盘"))
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert Settings.load().backup_mirror_dir == str(tmp_path / "U盘")


def test_the_menu_says_who_may_back_up_restore_and_choose_folders(db):
    _accounts(db)
    auth.login(db, "admin", PASSWORD)
    assert menu_rights(db) == {"backup": "", "restore": "", "settings": ""}
    auth.login(db, "sec", PASSWORD)
    rights = menu_rights(db)
    assert rights["backup"] == "" and "只有管理员" in rights["restore"] and "只有管理员" in rights["settings"]
    auth.login(db, "view", PASSWORD)
    assert "只有管理员和书记/委员可以备份" in menu_rights(db)["backup"]


def test_the_settings_dialog_greys_the_backup_folders_for_a_secretary(qtbot, db, wait_ops, tmp_path):
    _accounts(db)
    auth.login(db, "sec", PASSWORD)
    dlg = SettingsDialog(None, db, settings_service.current(db), settings_service.info(db))
    qtbot.addWidget(dlg)
    assert not dlg.backup_folder.isEnabled() and not dlg.mirror.isEnabled()
    assert "只有管理员" in dlg.mirror.toolTip()
    dlg.paper.setCurrentIndex(dlg.paper.findData("A5"))  # the rest of 设置 saves as before
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert settings_service.current(db).paper_size == "A5"
