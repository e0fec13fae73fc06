"""打印…: a saved PDF goes to a printer through Qt's print dialog, page by page, in its own orientation."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from desktop_app.gui.widgets import forms, print_pdf
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.reports.roster import render_roster
from tests.integration.test_roster_pdf import make_groups


def _roster(tmp_path, monkeypatch, members=60):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    path = tmp_path / "花名册.pdf"
    render_roster("幸福里社区党委", make_groups(members), path)
    return path


def _pages(path):
    return PdfReader(BytesIO(path.read_bytes())).pages


def test_the_print_dialog_prints_every_page_in_its_orientation(qapp, tmp_path, monkeypatch):
    source = _roster(tmp_path, monkeypatch)
    paper = tmp_path / "paper.pdf"
    titles = []

    def exec_(dialog):
        titles.append(dialog.windowTitle())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # the "printer" is a file we can read back
        printer.setOutputFileName(str(paper))
        printer.setResolution(72)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    printed = print_pdf.ask_and_print(None, source)
    assert titles == ["打印 花名册.pdf"]
    assert printed == len(_pages(source)) == len(_pages(paper)) > 1
    box = _pages(paper)[0].mediabox
    assert box.width > box.height  # the roster is A4 landscape on paper too


def test_a_page_range_prints_those_pages_only(qapp, tmp_path, monkeypatch):
    source = _roster(tmp_path, monkeypatch)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setResolution(72)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf.print_to(printer, source) == 1
    assert len(_pages(tmp_path / "two.pdf")) == 1


def test_cancelling_the_dialog_prints_nothing(qapp, tmp_path, monkeypatch):
    source = _roster(tmp_path, monkeypatch, members=5)
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert print_pdf.ask_and_print(None, source) == 0


def test_the_saved_file_box_offers_printing_a_pdf(qapp, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(print_pdf, "ask_and_print", lambda parent, path: asked.append(path) or 1)
    pdf = tmp_path / "a.pdf"
    box = forms.offer_open(None, pdf)
    labels = [b.text() for b in box.buttons()]
    assert "打印…" in labels and "打开" in labels and "打开所在文件夹" in labels
    next(b for b in box.buttons() if b.text() == "打印…").click()
    assert asked == [pdf]
    sheet = forms.offer_open(None, tmp_path / "a.xlsx")
    assert "打印…" not in [b.text() for b in sheet.buttons()]  # a spreadsheet is printed from Excel
