"""Sync's file dialogs start on a USB stick when one is in, else Documents, never the program's data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from desktop_app.gui.sync import dialogs


def test_without_a_stick_the_dialogs_start_in_documents(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(dialogs, "usb_drives", lambda: [])
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(dialogs.default_folder()) == Path(docs or Path.home())


def test_documents_that_is_the_data_folder_gives_the_home_folder(qapp, monkeypatch, tmp_path):
    """A file dialog on the data folder sniffs the database's -wal/-shm files, dropping the program's locks."""
    monkeypatch.setattr(dialogs, "usb_drives", lambda: [])
    monkeypatch.setenv("HOME", str(tmp_path))  # a home of the test's own, where Documents is tmp_path/Documents
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(docs) == tmp_path / "Documents"
    monkeypatch.setenv("DANGQUN_DATA_DIR", docs)
    assert Path(dialogs.default_folder()) == tmp_path


def test_a_stick_comes_first(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(dialogs, "usb_drives", lambda: [tmp_path])
    assert Path(dialogs.default_folder()) == tmp_path
