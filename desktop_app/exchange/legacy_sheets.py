"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks: the scan that must pass before calamine opens one.

Calamine reads both, but (as with .xlsx, see xlsx_fast) it lays a sheet out as
one dense block and a failed allocation aborts the process. Measured with
python-calamine 0.9.1 on crafted files of under 1 KB:
- .xls: a DIMENSIONS record declaring 2^31 rows x 65,535 columns aborts
  (calamine reserves the declared block), and so does one cell record placed
  at row 65,535, column 65,535 (the block reaches the farthest cell);
- .ods: one row repeated 6,000 times holding a cell repeated 16,000 times
  (96 million cells, under calamine's own cap of 100 million) aborts; empty
  repeats (LibreOffice ends every sheet with a million of them) cost nothing.
There is no other reader to fall back to, so a file that fails the scan is
refused. The scan reads the .xls compound file and its BIFF records itself,
and streams the .ods content.xml, counting repeats the way calamine expands them.
"""

from __future__ import annotations

import re
import struct
import zipfile
import xml.parsers.expat
import zlib
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import safety

MAX_XLS_COLUMNS = 256  # BIFF8's own width (IV); a cell record past it was not written by Excel or WPS
MAX_ODS_COLUMNS = 16_384  # the widest sheet LibreOffice and WPS make; cells past it are dropped
_RESAVE = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"


def too_big(name: str, rows: int, columns: int) -> DomainError:
    return DomainError(f"{name}：文件声明的表格过大（{rows} 行 × {columns} 列），不像正常的工作表，"
                       f"已拒绝读取。{_RESAVE}")


def _fits(rows: int, columns: int, max_columns: int) -> bool:
    return columns <= max_columns and rows <= safety.MAX_ROWS and rows * columns <= safety.MAX_CELLS


# ---------------------------------------------------------------- .xls: the compound file

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF


class _Broken(Exception):
    """The compound file is not what its header says."""


def _chain(fat: list[int], start: int) -> list[int]:
    """The sectors of a stream, in order; a loop or a sector outside the table is a broken file."""
    out: list[int] = []
    n = start
    while n != _END:
        if n >= len(fat) or len(out) > len(fat):
            raise _Broken("sector chain")
        out.append(n)
        n = fat[n]
    return out


def _workbook_streams(data: bytes) -> list[bytes]:
    """The BIFF streams ("Workbook", or "Book" in Excel 95 files) of a compound file: every entry so named,
    whichever one a reader takes."""
    if len(data) < 512 or not data.startswith(_CFB_MAGIC):
        raise _Broken("header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _Broken("sector size")
    if struct.unpack_from("<I", data, 0x38)[0] != 4096:  # fixed by the format: a reader may not look at it
        raise _Broken("mini stream cutoff")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    sectors = (len(data) - size) // size
    if n_fat > sectors or n_difat > sectors or n_minifat > sectors:
        raise _Broken("counts")

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise _Broken("sector")
        return data[(n + 1) * size:(n + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    n = first_difat
    for _ in range(n_difat):
        if n in (_END, _FREE):
            break
        words = struct.unpack(f"<{size // 4}I", sector(n))
        difat.extend(words[:-1])
        n = words[-1]
    fat: list[int] = []
    for n in difat[:n_fat]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))

    def read(start: int) -> bytes:
        return b"".join(sector(n) for n in _chain(fat, start))

    directory = read(first_dir)
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _Broken("directory")
    streams = []
    for entry in entries:
        name_len = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        if entry[0x42] == 2 and name.lower() in ("workbook", "book"):
            start, length = struct.unpack_from("<II", entry, 0x74)
            if length >= cutoff:
                streams.append(read(start)[:length])
                continue
            # A small stream lives in the mini stream (the root entry's), in 64-byte sectors.
            minifat: list[int] = []
            if n_minifat:
                raw = read(first_minifat)
                minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
            root = read(struct.unpack_from("<I", entries[0], 0x74)[0])
            streams.append(b"".join(root[k * 64:(k + 1) * 64] for k in _chain(minifat, start))[:length])
    if not streams:
        raise _Broken("no Workbook stream")
    return streams


# ---------------------------------------------------------------- .xls: the BIFF records

_BOF, _EOF, _FILEPASS, _DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0200
# Cell records, each starting with its row and column (u16, u16): FORMULA, LABELSST, NUMBER, RK, BLANK,
# BOOLERR, LABEL, RSTRING; MULRK and MULBLANK also end with their last column.
_CELLS = frozenset((0x0006, 0x0406, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6))
_MULTI = frozenset((0x00BD, 0x00BE))
_PAIR = struct.Struct("<HH")


def _content(head: bytes) -> str | None:
    """What the head of a file that is no workbook holds: xml (Excel 2003 XML), html, text, or None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "xml"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<table" in text:
        return "html"
    if head and (b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "text"
    return None


def _disguised(head: bytes, suffix: str = ".xls") -> str:
    """What a file named .xls that is no compound file is: other systems often export a web page, an
    XML spreadsheet (Excel 2003 XML) or tab-separated text under that name, which Excel opens anyway."""
    kind = _content(head)
    if kind == "xml":
        return f"扩展名是 {suffix}，内容却是 XML 表格（Excel 2003 XML），多为其他系统导出。"
    if kind == "html":
        return f"扩展名是 {suffix}，内容却是网页（HTML）表格，多为其他系统导出。"
    if kind == "text":
        return f"扩展名是 {suffix}，内容却是文本（如制表符分隔的文本），多为其他系统导出。"
    return "不是 Excel 97-2003（.xls）文件，可能已损坏。"


_PASSWORD = ("文件设有打开密码，无法读取。请在 Excel 或 WPS 中打开，"
             "取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密）后另存为 .xlsx 再导入")


def renamed_text(path: Path) -> bool:
    """Whether a file named .xlsx is CSV or tab-separated text under that name (Excel opens it, so people
    send it), for the reader to read as such; a DomainError saying what it is when it is no .xlsx at all
    (a password-protected workbook is a compound file, not a zip). False for a zip: the .xlsx reader's."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head or head.startswith(b"PK"):
        return False
    if head.startswith(_CFB_MAGIC):
        safety.check_file_size(path)
        if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            raise DomainError(f"{path.name}：{_PASSWORD}")
        raise DomainError(f"{path.name}：这是 Excel 97-2003（.xls）格式的文件，扩展名却是 .xlsx。请把扩展名改为 .xls 后再导入")
    if head.startswith(b"%PDF"):
        raise DomainError(f"{path.name}：这是 PDF 文件，不是表格，无法导入。请导入 Excel、WPS 表格（.xlsx、.xls）或 CSV 文件")
    kind = _content(head)
    if kind == "text":
        return True
    if kind is None:
        raise DomainError(f"{path.name}：不是 Excel 表格文件（可能是其他类型的文件改了扩展名，或已损坏）。{_RESAVE}")
    raise DomainError(f"{path.name}：{_disguised(head, path.suffix.lower())}{_RESAVE}")


def check_xls(path: Path) -> None:
    """Refuse an .xls calamine cannot read safely: not a workbook, password-protected, or a sheet whose
    declared dimensions or farthest cell make a block beyond the readers' limits."""
    safety.check_file_size(path)
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise DomainError(f"{path.name}：这是 .xlsx 格式的文件，扩展名却是 .xls。请把扩展名改为 .xlsx 后再导入")
    if not data.startswith(_CFB_MAGIC):
        raise DomainError(f"{path.name}：{_disguised(data[:4096])}{_RESAVE}")
    try:
        streams = _workbook_streams(data)
        del data
        for stream in streams:
            if stream[:2] != b"\x09\x08":
                raise _Broken("no BOF")
            _scan_biff(path.name, stream)
    except (_Broken, struct.error, IndexError) as exc:  # (struct.error: a record cut off by the stream's end)
        raise DomainError(f"{path.name}：Excel（.xls）文件已损坏，无法读取（{exc}）。{_RESAVE}") from None


def _scan_biff(name: str, stream: bytes) -> None:
    """Every record of every sheet: the farthest cell and the declared dimensions, within the limits.
    (A 65,000-row sheet has over a million records: the loop does as little as it can per record.)"""
    pair = _PAIR.unpack_from
    rows = columns = 0  # the current sheet's block, through its farthest cell
    pos, end = 0, len(stream) - 4
    while pos <= end:
        kind, length = pair(stream, pos)
        body = pos + 4
        pos = body + length
        if kind in _CELLS:
            r, c = pair(stream, body)
            if r >= rows:
                rows = r + 1
            if c >= columns:
                columns = c + 1
        elif kind in _MULTI:
            r = pair(stream, body)[0]
            c = pair(stream, body + length - 2)[0]  # the run's last column
            rows, columns = max(rows, r + 1), max(columns, c + 1)
        elif kind == _DIMENSIONS:
            # BIFF8: first row, last row + 1 (u32), first column, last column + 1 (u16); BIFF5: rows as u16.
            if length >= 14:
                r, c = struct.unpack_from("<I", stream, body + 4)[0], pair(stream, body + 10)[0]
            else:
                r, c = pair(stream, body + 2)[0], pair(stream, body + 6)[0]
            if not _fits(r, c, MAX_XLS_COLUMNS):  # calamine reserves the declared block
                raise too_big(name, r, c)
        elif kind == _BOF or kind == _EOF:
            if not _fits(rows, columns, MAX_XLS_COLUMNS):
                raise too_big(name, rows, columns)
            rows = columns = 0
        elif kind == _FILEPASS:
            raise DomainError(f"{name}：{_PASSWORD}")
    if not _fits(rows, columns, MAX_XLS_COLUMNS):  # a last sheet without its EOF record
        raise too_big(name, rows, columns)


# ---------------------------------------------------------------- .ods: content.xml

_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])")
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?table-row(?=[\s/>])")
_ATTRS = re.compile(rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
_REPEAT = re.compile(rb"""number-(rows|columns)-repeated\s*=\s*(["'])(.*?)\2""")
_VALUED = re.compile(rb"value-type\s*=|:value\s*=|formula\s*=")


def _no_doctype(*_args) -> None:
    raise _Broken("DOCTYPE")  # no spreadsheet has one; its entities are where XML bombs live


class _Extents:
    """Where the walk through one table stands."""

    __slots__ = ("name", "rows", "columns", "row_at", "row_repeat", "col_at")

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows = self.columns = 0  # the current table: rows and columns through the farthest filled cell
        self.row_at = 0  # rows above the current one
        self.row_repeat, self.col_at = 1, 0

    def filled(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        if not _fits(self.rows, self.columns, MAX_ODS_COLUMNS):
            raise too_big(self.name, self.rows, self.columns)

    def plain_row(self, data: bytes, start: int, end: int) -> bool:
        """A row written the common way (no repeat count, no covered cell, no other table starting, only
        table:-prefixed cells) is counted by C-level counts of its cells, taken all as filled; False: tag by tag."""
        if (data.find(b"repeated", start, end) >= 0 or data.find(b"covered", start, end) >= 0
                or data.find(b"<table:table ", start, end) >= 0):
            return False
        cells = data.count(b"<table:table-cell", start, end)
        if data.count(b"table-cell", start, end) != cells + data.count(b"</table:table-cell>", start, end):
            return False
        self.row_at += 1
        if cells:
            self.filled(self.row_at, cells)
        return True

    def tags(self, data: bytes, start: int, end: int) -> None:
        """The rows and cells between start and end, each tag with its repeat count."""
        for m in _ODS_TAG.finditer(data, start, end):
            tag = m[2]
            if m[1]:  # a closing tag
                if tag == b"table-row":
                    self.row_at += self.row_repeat
                continue
            a = _ATTRS.match(data, m.end())
            if a is None:  # a tag not read the way calamine reads it: not risked
                raise DomainError(f"{self.name}：表格内容的格式异常，无法安全读取。{_RESAVE}")
            attrs, empty = a[1], a[2]
            repeat = 1
            for r in _REPEAT.finditer(attrs):
                if not r[3].isdigit():  # an entity or a sign: calamine might read a number we did not
                    raise DomainError(f"{self.name}：表格内容的格式异常，无法安全读取。{_RESAVE}")
                repeat = max(repeat, int(r[3]))
            if tag == b"table":
                self.rows = self.columns = self.row_at = 0
            elif tag == b"table-row":
                self.row_repeat, self.col_at = repeat, 0
                if empty:
                    self.row_at += repeat
            else:
                if not empty or _VALUED.search(attrs):  # empty repeats (styles only) make no cells
                    self.filled(self.row_at + self.row_repeat, self.col_at + repeat)
                self.col_at += repeat


def _ods_extents(path: Path, chunks) -> None:
    """Walk the tables' rows and cells with their repeat counts; refuse when the filled part of a table
    (through its farthest cell with a value or text, as calamine keeps it) exceeds the readers' limits.

    Rows without repeats are counted whole (see _Extents.plain_row); the others, and each chunk's first
    and last piece (a row may straddle two chunks), tag by tag. The XML must also be well-formed (expat,
    no handlers): calamine 0.9.1 loops forever on one mismatched tag in a cell."""
    walk = _Extents(path.name)
    expat = xml.parsers.expat.ParserCreate()
    expat.StartDoctypeDeclHandler = _no_doctype
    for data in chunks:
        expat.Parse(data, False)
        bounds = [0, *(m.start() for m in _ROW_START.finditer(data)), len(data)]
        last = len(bounds) - 2
        for i in range(last + 1):
            start, end = bounds[i], bounds[i + 1]
            if not (0 < i < last and walk.plain_row(data, start, end)):
                walk.tags(data, start, end)
    expat.Parse(b"", True)


def check_ods(path: Path) -> None:
    """Refuse an .ods calamine cannot read safely: not a zip, inflating too far, or a table whose
    repeated rows and cells make a block beyond the readers' limits."""
    safety.check_file_size(path)
    safety.check_zip(path, "OpenDocument 表格（.ods）")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "content.xml" not in names:
                raise DomainError(f"{path.name}：不是 OpenDocument 表格（.ods）文件（缺少 content.xml）。{_RESAVE}")
            if "META-INF/manifest.xml" in names and b"encryption-data" in zf.read("META-INF/manifest.xml")[:1 << 20]:
                raise DomainError(f"{path.name}：文件设有打开密码，无法读取。请在 WPS 或 LibreOffice 中打开，"
                                  "取消密码后另存为 .xlsx 再导入")
            with zf.open("content.xml") as fh:
                _ods_extents(path, safety.xml_chunks(fh))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error,
            xml.parsers.expat.ExpatError, LookupError, _Broken) as exc:
        # RuntimeError: a member encrypted with a password; LookupError: an encoding expat does not know
        raise DomainError(f"{path.name}：OpenDocument 表格（.ods）文件已损坏，无法读取（{exc}）。{_RESAVE}") from None
