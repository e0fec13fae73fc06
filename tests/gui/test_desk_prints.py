"""One save flow for every print and export: 打印文件 under Documents, never the data folder, then 打开."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from desktop_app.gui.widgets import common, forms
from desktop_app.settings import Settings, data_dir


def test_the_dialog_opens_on_the_prints_folder_under_documents(qapp, monkeypatch, tmp_path):
    seen = []
    out = tmp_path / "走访记录"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: seen.append((start, filters)) or (str(out), "")))
    got = forms.ask_save_path(None, "打印走访记录", "走访记录.pdf")
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(seen[0][0]) == forms.prints_dir() / "走访记录.pdf"
    assert forms.prints_dir().name == "打印文件" and (not docs or forms.prints_dir().parent == Path(docs))
    assert not forms.prints_dir().resolve().is_relative_to(data_dir().resolve())
    assert got == out.with_suffix(".pdf") and seen[0][1] == forms.PDF

    forms.ask_save_path(None, "导出", "名册.xlsx")
    assert seen[1][1] == forms.XLSX


def test_the_chosen_prints_folder_is_used(qapp, monkeypatch, tmp_path):
    settings = Settings.load()
    settings.print_folder = str(tmp_path / "我的打印")
    settings.save()
    try:
        assert forms.prints_dir() == tmp_path / "我的打印" and forms.prints_dir().is_dir()
    finally:
        settings.print_folder = ""
        settings.save()


def test_saving_into_the_data_folder_is_refused(qapp, monkeypatch):
    told = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(data_dir() / "表.pdf"), "")))
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    assert forms.ask_save_path(None, "打印", "表.pdf") is None
    assert told and "数据文件夹" in told[0]


def test_after_saving_the_file_and_its_folder_can_be_opened(qtbot, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    path = tmp_path / "表.pdf"
    box = forms.offer_open(None, path, "已保存")
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert {"打开", "打开所在文件夹", "关闭"} <= set(texts)
    next(b for b in box.buttons() if b.text() == "打开所在文件夹").click()
    assert opened == [str(tmp_path)]
