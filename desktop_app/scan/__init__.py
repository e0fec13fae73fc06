"""Reading signed sign-in sheets back from a scanner's PDF or a phone photo.

An adapter like exchange and reports: image in, page readings out (views.signin_scan).
It knows nothing of the database, the meetings or who may do what; the service
services.meetings.scan_import matches the readings to meetings and people.

    load      a file (PDF, JPEG, PNG, TIFF, HEIC when pillow-heif is there) → page images
    reader    one page image → its QR code, straightened table and each row's cells

Everything runs on this machine: OpenCV (headless) for the geometry, zxing-cpp for the QR code
with OpenCV's detector as a fallback, pypdfium2 to rasterise PDFs.
"""

from desktop_app.scan.load import ScanFileError, count_pages, load_pages
from desktop_app.scan.reader import PageError, read_image, read_pages

__all__ = ["PageError", "ScanFileError", "count_pages", "load_pages", "read_file", "read_image", "read_pages"]


def read_file(path, progress=None):
    """Every page of a scanned file, read; pages that cannot be read are listed with the reason.

    `progress(pages read, pages in all)` after each page; in all is 0 when not known beforehand."""
    pages = load_pages(path)
    total = count_pages(path)
    return read_pages(pages, progress=None if progress is None else lambda done: progress(done, total))
