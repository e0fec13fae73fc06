"""A scanned file as grey page images: a multi-page PDF from a feeder, a TIFF, a phone's JPEG/PNG/HEIC.

PDFs are rasterised by pypdfium2 (wheels everywhere, no poppler to install) at a resolution
that keeps the QR code's modules several pixels wide without making the page slow to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from desktop_app.domain.errors import ValidationError

PDF_DPI = 200
MAX_PAGES = 200
_IMAGE_MAGIC = re.compile(rb"\xff\xd8\xff|\x89PNG|II\*\x00|MM\x00\*|BM|RIFF", re.S)  # JPEG PNG TIFF BMP WebP
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".heif"}


class ScanFileError(ValidationError):
    """The file as a whole cannot be read (wrong kind, damaged, missing)."""

    def __init__(self, message: str):
        super().__init__("扫描件", message)


def _decode(data: bytes, name: str) -> list[np.ndarray]:
    import cv2

    buf = np.frombuffer(data, dtype=np.uint8)
    ok, images = cv2.imdecodemulti(buf, cv2.IMREAD_GRAYSCALE)
    if ok and images:
        return list(images)
    img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ScanFileError(f"“{name}”不是能读取的图片，文件可能已损坏")
    return [img]


def _heif(path: Path) -> list[np.ndarray]:
    try:
        import pillow_heif  # optional: phones' HEIC photos
    except ImportError:
        raise ScanFileError("读取 HEIC 照片需要安装 pillow-heif；也可以在手机上把照片存为 JPEG 再读取") from None
    heif = pillow_heif.open_heif(str(path))
    return [np.asarray(heif.to_pillow().convert("L"))]


def _pdf(path: Path) -> Iterator[np.ndarray]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise ScanFileError(f"“{path.name}”不是能读取的 PDF，文件可能已损坏或加了密码") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise ScanFileError(f"“{path.name}”有 {len(pdf)} 页，一次最多读取 {MAX_PAGES} 页")
        for i in range(len(pdf)):
            page = pdf[i]
            yield page.render(scale=PDF_DPI / 72, grayscale=True).to_numpy().copy()
            page.close()
    finally:
        pdf.close()


def count_pages(path: str | Path) -> int:
    """How many pages a PDF holds, for a progress bar that says how far along a long feeder scan is; 0 when
    not known without decoding the file (an image: one page, or a multi-page TIFF)."""
    path = Path(path)
    if path.suffix.lower() != ".pdf" or not path.is_file():
        return 0
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0  # load_pages says what is wrong with it
    try:
        return min(len(pdf), MAX_PAGES)
    finally:
        pdf.close()


def load_pages(path: str | Path) -> Iterator[np.ndarray]:
    """The file's pages as 8-bit grey images, one after another (a long PDF is not held whole)."""
    path = Path(path)
    if not path.is_file():
        raise ScanFileError(f"找不到文件“{path}”")
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:  # a copy from the phone or the scanner's share cut off before it began
        raise ScanFileError(f"“{path.name}”是空文件（0 字节），可能没有复制完整：请重新从手机或扫描仪取出文件")
    suffix = path.suffix.lower()
    # by what the file holds, not only by its name: a PDF saved as .jpg, a photo named .pdf, read all the same
    if head.startswith(b"%PDF") or (suffix == ".pdf" and not _IMAGE_MAGIC.match(head)):
        return _pdf(path)
    if _IMAGE_MAGIC.match(head):
        return iter(_decode(path.read_bytes(), path.name))
    if suffix in (".heic", ".heif"):
        return iter(_heif(path))
    if suffix not in IMAGE_SUFFIXES:
        raise ScanFileError(f"“{path.name}”不是扫描件：请选择 PDF 或 JPEG/PNG/TIFF 图片")
    return iter(_decode(path.read_bytes(), path.name))
