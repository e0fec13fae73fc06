"""The 设置 dialog shows the stored settings, saves every field, and keeps a refusal inside the dialog."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton

from desktop_app.gui.settings.dialog import SettingsDialog, font_folder
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


def _picked_folders(monkeypatch, dlg: SettingsDialog, answer: Path | None) -> list[Path]:
    """Press the PDF font's 选择… with Qt's file dialog replaced: record the folder it would open on."""
    seen: list[Path] = []

    def ask(parent, title, folder="", filters=""):
        seen.append(Path(folder).absolute())
        return (str(answer) if answer else "", "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", ask)
    dlg.show()
    at = dlg.font.mapTo(dlg, dlg.font.rect().center()).y()
    [button] = [b for b in dlg.findChildren(QPushButton) if b.text() == "选择…"
                and abs(b.mapTo(dlg, b.rect().center()).y() - at) < 4]  # the one on the font's row
    button.click()
    return seen


def test_the_font_picker_opens_where_the_chosen_font_is(qtbot, db, monkeypatch, tmp_path):
    """It opened on "" (the program's working folder), where no font ever is."""
    dlg = _dialog(qtbot, db)
    font = resource_path("fonts", "DroidSansFallbackFull.ttf")
    dlg.font.setText(str(font))
    other = tmp_path / "宋体.ttf"
    assert _picked_folders(monkeypatch, dlg, other) == [font.parent]
    assert dlg.font.text() == str(other)


def test_without_a_font_the_picker_opens_on_the_system_fonts_or_home(qtbot, db, monkeypatch, tmp_path):
    dlg = _dialog(qtbot, db)
    assert _picked_folders(monkeypatch, dlg, None) == [font_folder("")]
    assert dlg.font.text() == ""  # cancelled: nothing changes
    monkeypatch.setattr(sys, "platform", "linux")
    assert font_folder("") == Path.home()
    assert font_folder("/nowhere/字体.ttf") == Path.home()
    (tmp_path / "Fonts").mkdir()
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "win32")
    assert font_folder("") == tmp_path / "Fonts"
