"""Real .xls and .ods files for tests: .xls written by xlwt (the writer of many old systems' exports), .ods
zipped from its XML as LibreOffice and WPS lay it out, and the crafted ones a hostile sender could make."""

from __future__ import annotations

import struct
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest


def write_xls(path: Path, rows: list[list[Any]], title: str = "Sheet1", more: dict[str, list[list[Any]]] | None = None) -> Path:
    """Rows into an Excel 97-2003 workbook: text, numbers (an ID or phone given as a float is stored as
    Excel stores a number), dates and date-times with Excel's date formats, None left empty."""
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    moment = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for name, sheet_rows in {title: rows, **(more or {})}.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(sheet_rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime):
                    ws.write(r, c, value, moment)
                elif isinstance(value, date):
                    ws.write(r, c, value, day)
                else:
                    ws.write(r, c, value)
    wb.save(str(path))
    return path


_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')
# As LibreOffice ends every sheet: a million empty rows of 1,024 empty cells, which make no cells.
LIBREOFFICE_TAIL = ('<table:table-row table:number-rows-repeated="1048570">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')


def ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, rows: list[list[Any]] | None = None, title: str = "Sheet1", raw_rows: str = "",
              tail: str = LIBREOFFICE_TAIL) -> Path:
    """An OpenDocument spreadsheet of one table: `rows` as cells, then `raw_rows` (table XML as given)."""
    body = "".join("<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
                   for row in rows or [])
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="{escape(title)}">{body}{raw_rows}{tail}'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


# ---------------------------------------------------------------- crafted .xls: the records patched in place

def _record(data: bytearray, kind: int, length: int, last: bool = False) -> int:
    """Offset of a BIFF record's body (the first, or the last, of that type and length) in the file."""
    head = struct.pack("<HH", kind, length)
    at = data.rfind(head) if last else data.find(head)
    assert at >= 0, f"record {kind:#06x} not found"
    return at + 4


def patched_xls(source: Path, target: Path, how: str) -> Path:
    """A copy of an xlwt workbook with one record changed (the compound file keeps its layout):
    dimensions  - the sheet declares 2^31 rows x 65,535 columns (calamine reserves that block);
    far_cell    - its last text cell moved to row 65,535, column 65,535 (calamine's block reaches it);
    tall_wide   - that cell moved to row 65,535, column 201 (13 million cells: within BIFF, beyond our limit);
    password    - a FILEPASS record in the workbook globals, as a password-protected file has."""
    data = bytearray(source.read_bytes())
    if how == "dimensions":
        struct.pack_into("<IIHH", data, _record(data, 0x0200, 14, last=True), 0, 0x7FFFFFFF, 0, 0xFFFF)
    elif how == "far_cell":
        struct.pack_into("<HH", data, _record(data, 0x00FD, 10, last=True), 0xFFFE, 0xFFFE)
    elif how == "tall_wide":
        struct.pack_into("<HH", data, _record(data, 0x00FD, 10, last=True), 0xFFFE, 200)
    elif how == "password":
        at = _record(data, 0x0019, 2)  # WINDOWPROTECT, two bytes: becomes a FILEPASS of the same size
        struct.pack_into("<H", data, at - 4, 0x002F)
    else:
        raise ValueError(how)
    target.write_bytes(bytes(data))
    return target


def _biff_records(stream: bytes) -> bytes:
    """The records of a BIFF stream without the zeros a writer pads it with."""
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == 0 and length == 0:
            break
        pos += 4 + length
    return stream[:pos]


def small_stream_xls(source: Path, target: Path) -> Path:
    """The workbook of `source` in a compound file of its own making, its Workbook stream under 4,096
    bytes and so kept in the mini stream (64-byte sectors), as some writers other than Excel leave it."""
    from desktop_app.exchange import legacy_sheets

    biff = _biff_records(legacy_sheets._workbook_streams(source.read_bytes())[0])
    assert len(biff) < 4096
    mini = biff + b"\0" * (-len(biff) % 64)
    mini_sectors = len(mini) // 64
    big = mini + b"\0" * (-len(mini) % 512)
    big_sectors = len(big) // 512
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    # sector 0: the FAT, 1: the directory, 2: the mini FAT, 3...: the mini stream
    fat = [0xFFFFFFFD, end, end] + [3 + i + 1 for i in range(big_sectors - 1)] + [end]
    minifat = [i + 1 for i in range(mini_sectors - 1)] + [end]

    def words(values: list[int], count: int) -> bytes:
        return struct.pack(f"<{count}I", *(values + [free] * (count - len(values))))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        e = bytearray(128)
        e[:len(raw)] = raw
        struct.pack_into("<HBB3I", e, 0x40, len(raw), kind, 1, free, free, child)
        struct.pack_into("<II", e, 0x74, start, size)
        return bytes(e)

    directory = (entry("Root Entry", 5, 1, 3, len(mini)) + entry("Workbook", 2, free, 0, len(biff))
                 + bytes(256))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 2, 1, end)
    struct.pack_into("<I", header, 0x48, 0)
    header[0x4C:0x200] = words([0], 109)
    target.write_bytes(bytes(header) + words(fat, 128) + directory + words(minifat, 128) + big)
    return target
