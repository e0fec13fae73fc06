"""Open-file dialogs start in Documents, never in the data folder, and refuse files picked inside it."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from desktop_app.gui.widgets import common, forms
from desktop_app.settings import data_dir


def _dialog(monkeypatch, picked: list[str]):
    started = []

    def one(parent, title, folder, filters):
        started.append(folder)
        return (picked[0] if picked else "", "")

    def many(parent, title, folder, filters):
        started.append(folder)
        return (list(picked), "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(one))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(many))
    told = []
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    return started, told


def test_a_file_outside_the_data_folder_is_taken_and_the_dialog_starts_in_documents(qapp, tmp_path, monkeypatch):
    mine = tmp_path / "名单.xlsx"
    mine.write_bytes(b"x")
    started, told = _dialog(monkeypatch, [str(mine)])
    assert forms.ask_open_path(None, "选择要导入的文件", "表格 (*.xlsx)") == mine
    assert forms.ask_open_paths(None, "添加附件") == [mine]
    assert told == []
    for folder in started:
        assert Path(folder) == forms.documents_dir()
        assert not Path(folder).resolve().is_relative_to(data_dir().resolve())


def test_a_file_inside_the_data_folder_is_refused_with_a_reason(qapp, tmp_path, monkeypatch):
    outside = tmp_path / "照片.jpg"
    outside.write_bytes(b"x")
    inside = data_dir() / "backups" / "dangqun-20260101-080000-manual.db"
    inside.parent.mkdir(parents=True, exist_ok=True)
    inside.write_bytes(b"x")
    started, told = _dialog(monkeypatch, [str(inside)])
    assert forms.ask_open_path(None, "选择要导入的文件") is None
    assert told and "数据文件夹" in told[0]
    _dialog(monkeypatch, [str(outside), str(inside)])
    assert forms.ask_open_paths(None, "添加附件") == []  # nothing half-taken


def test_documents_inside_the_data_folder_starts_at_home_instead(qapp, monkeypatch):
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda loc: str(data_dir())))
    assert forms.documents_dir() == Path.home()


def test_the_import_page_reads_nothing_picked_in_the_data_folder(qtbot, app_ctx, monkeypatch):
    from desktop_app.gui.imports.page import ImportsPage

    inside = data_dir() / "dangqun.db"
    inside.write_bytes(b"x")
    started, told = _dialog(monkeypatch, [str(inside)])
    page = ImportsPage(app_ctx)
    qtbot.addWidget(page)
    loaded = []
    monkeypatch.setattr(page, "load", lambda path, *a, **k: loaded.append(path))
    page.choose_file()
    assert loaded == [] and told
    assert Path(started[0]) == forms.documents_dir()
