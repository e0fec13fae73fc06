"""The 设置 dialog shows the stored settings, saves every field, and keeps a refusal inside the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from desktop_app.gui.settings.dialog import SettingsDialog
from desktop_app.services import settings as settings_service
from desktop_app.settings import resource_path
from desktop_app.views.settings import SettingsValues


def _dialog(qtbot, db) -> SettingsDialog:
    dlg = SettingsDialog(None, db, settings_service.current(db), settings_service.info(db))
    qtbot.addWidget(dlg)
    return dlg


def test_the_dialog_saves_every_field(qtbot, db, wait_ops, tmp_path):
    dlg = _dialog(qtbot, db)
    assert dlg.values() == SettingsValues()
    dlg.font.setText(str(resource_path("fonts", "DroidSansFallbackFull.ttf")))
    dlg.paper.setCurrentIndex(dlg.paper.findData("A5"))
    dlg.margin.setValue(20)
    dlg.backup_folder.setText(str(tmp_path / "备份"))
    dlg.mirror.setText(str(tmp_path / "U盘"))
    dlg.phones.setChecked(True)
    dlg.idle.setValue(30)
    wanted = dlg.values()
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert settings_service.current(db) == wanted
    again = _dialog(qtbot, db)
    assert again.values() == wanted
    again.show()
    qtbot.waitExposed(again)
    again.grab().save(str(tmp_path / "settings.png"))


def test_a_bad_font_is_shown_in_the_dialog_and_nothing_is_saved(qtbot, db, wait_ops):
    dlg = _dialog(qtbot, db)
    dlg.font.setText("/nowhere/字体.ttf")
    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "PDF 字体" in dlg.message.text()
    assert settings_service.current(db) == SettingsValues()


def test_the_dialog_fits_a_1366_by_768_screen_with_its_taskbar(qtbot, app_ctx):
    """Stacked in one column its boxes were 788 pixels tall at least: 保存 sat under the taskbar on such a screen."""
    dlg = _dialog(qtbot, app_ctx.db)  # app_ctx: the program's fonts and style sheet, as the user sees them
    dlg.show()
    qtbot.waitExposed(dlg)
    least = dlg.minimumSizeHint().expandedTo(dlg.minimumSize())
    assert least.width() <= 1366 - 16 and least.height() <= 768 - 40 - 40  # taskbar, title bar and frame
