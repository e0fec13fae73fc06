"""A save whose record went in but whose file kept another name (SavedButNotPlaced, files.LeftBeside) is no
refusal: the kit's saving dialog said it in red and stayed open with 保存 offered again, a second record one
click away. It now says 已保存，文件待改名 in the common box, closes, and the pages showing the record refresh."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop_app.files import LeftBeside
from desktop_app.gui import errors
from desktop_app.gui.bus import bus
from desktop_app.views.changes import Change
from tests.gui.test_widgets import NameDialog


def test_a_save_kept_under_another_name_closes_the_dialog_as_saved(qtbot, wait_ops, monkeypatch, tmp_path):
    saved = []

    def save(name: str):
        saved.append(name)  # the record is in; only the file's rename failed
        raise LeftBeside(Path(tmp_path / "名单.xlsx"), Path(tmp_path / "名单（待改名）.xlsx"), PermissionError(13, "x"))

    boxes = []
    monkeypatch.setattr(errors.QMessageBox, "warning", lambda parent, title, text: boxes.append((title, text))
                        or QMessageBox.StandardButton.Ok)
    announced = []
    bus.changed.connect(announced.append)
    try:
        dlg = NameDialog(save)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.name.setText("幸福里")
        dlg.accept()
        wait_ops()
    finally:
        bus.changed.disconnect(announced.append)
    assert saved == ["幸福里"]
    assert boxes and boxes[0][0] == errors.SAVED_NOT_PLACED_TITLE and "名单（待改名）.xlsx" in boxes[0][1]
    assert not dlg.isVisible() and dlg.message.text() == ""  # no red refusal, no 保存 to press twice
    assert any(Change.WISHES in c for c in announced)  # what it saved shows on the pages
