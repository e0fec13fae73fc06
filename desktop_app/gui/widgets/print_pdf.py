"""Printing a saved PDF on paper: Qt's own print dialog (printer, copies, pages), then each page drawn to it.

Every report is made as a PDF first (the file is the record); a worker who wants
it on paper presses 打印… in the box that says where the file went. The pages are
rasterised by pypdfium2 (already shipped for reading scans) at the printer's
resolution, up to PRINT_DPI, and scaled to fit the printable area keeping their
shape, so an A4 landscape roster lands on A4 landscape paper.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

PRINT_DPI = 300  # sharp enough for small table text; a 600-dpi printer gets 300-dpi pages, not 4× the memory


def page_images(path: Path, dpi: int = PRINT_DPI, first: int = 1, last: int | None = None):
    """Yield each page (1-based `first`..`last`) as (QImage, landscape) rendered at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        last = len(doc) if last is None else min(last, len(doc))
        for index in range(max(first, 1) - 1, last):
            page = doc[index]
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
            yield image, width > height
    finally:
        doc.close()


def print_to(printer: QPrinter, path: Path) -> int:
    """Draw the PDF's pages (the range chosen in the dialog) on `printer`; returns how many were printed."""
    first, last = 1, None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), printer.toPage()
    dpi = min(PRINT_DPI, printer.resolution() or PRINT_DPI)
    pages = page_images(path, dpi, first, last)
    first_page = next(pages, None)
    if first_page is None:
        return 0
    # The first page's shape sets the paper's orientation (a roster is landscape, a form portrait).
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if first_page[1]
                               else QPageLayout.Orientation.Portrait)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印：打印机不可用")
    count = 0
    try:
        for image, _landscape in [first_page, *pages]:
            if count:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - size.width()) // 2, area.y(), size.width(), size.height())
            painter.drawImage(target, image)
            count += 1
    finally:
        painter.end()
    return count


def ask_and_print(parent: QWidget | None, path: Path) -> int:
    """The print dialog for `path`; printed pages (0 when cancelled)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setDocName(path.stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 {path.name}")
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return print_to(printer, path)
    finally:
        QApplication.restoreOverrideCursor()
