"""帮助 → 用户手册 (F1) shows the shipped manual, with its screenshots, at the current page's section."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from desktop_app.gui.release import manual
from desktop_app.settings import manual_dir


def test_every_mapped_section_exists_and_images_load(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    win = manual.open_manual(parent, "党费")
    doc = win.browser.document()
    assert "第一次使用" in doc.toPlainText()
    for title, heading in manual.SECTIONS.items():
        assert win.show_section(heading), f"{title}: no section {heading}"
    assert win.browser.textCursor().block().text().startswith(manual.SECTIONS["数据同步"])
    image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl("images/dues.png"))
    assert image is not None and not image.isNull()
    win.close()


def test_the_manual_refers_only_to_screenshots_that_exist():
    import re

    text = (manual_dir() / "index.md").read_text(encoding="utf-8")
    images = re.findall(r"\]\((images/[^)]+)\)", text)
    assert images
    for rel in images:
        assert (manual_dir() / rel).exists(), rel


def test_the_manual_saves_as_a_pdf_for_printing(qtbot, tmp_path):
    from pypdf import PdfReader

    parent = QWidget()
    qtbot.addWidget(parent)
    win = manual.open_manual(parent)
    out = tmp_path / "用户手册.pdf"
    win.save_pdf(out)
    pages = PdfReader(out).pages
    assert len(pages) > 5
    assert "党员名册" in "".join(p.extract_text() for p in pages[:4])
    win.close()


def test_save_as_asks_through_the_kit_starting_in_the_prints_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.gui.widgets import forms

    parent = QWidget()
    qtbot.addWidget(parent)
    win = manual.open_manual(parent)
    starts, saved = [], []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: starts.append(start)
                                     or (str(tmp_path / "手册"), "")))
    monkeypatch.setattr(win, "save_pdf", saved.append)
    win._ask_save_pdf()
    assert starts == [str(forms.prints_dir() / "用户手册.pdf")]
    assert saved == [tmp_path / "手册.pdf"]  # a name typed without .pdf gets it
    win.close()
