"""Limits every file reader applies before it trusts a file: sizes, rows, columns, cells, encodings.

A 2 KB workbook can declare a million-by-16,384 sheet, and a 1 MB zip can
inflate to gigabytes; a reader that believes either runs out of memory. So
the zip's declared sizes are checked before anything is parsed (Python's
zipfile never inflates past a member's declared size), sheets are read row by
row without their declared dimensions, and every limit breach is a
DomainError naming the file and the reason, like any other bad input.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop_app.domain.errors import DomainError

MAX_FILE_BYTES = 200 * 1024 * 1024  # a CSV read whole
MAX_INFLATED_BYTES = 400 * 1024 * 1024  # every member of an XLSX together, as declared
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # read whole by openpyxl
MAX_ZIP_MEMBERS = 10_000
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_CELLS = 6_000_000  # rows x columns once padded: what the parsed table may hold
XML_CHUNK = 4 * 1024 * 1024  # what the XML scans read at a time

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise DomainError(f"{path.name}：文件过大（{_mb(size)}），最多 {_mb(limit)}")


def decode_text(name: str, raw: bytes) -> str:
    """Text of a CSV as Excel and WPS save it: a BOM says the encoding (Excel's “Unicode 文本” is
    UTF-16 with BOM); without one UTF-8 or the Chinese system code page (GBK, within GB18030)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise DomainError(f"{name}：文件编码标记为 {encoding.upper()}，但内容不符，文件可能已损坏") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(f"{name}：无法识别文件编码，请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入")


def check_xlsx_zip(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits, before any of it is parsed."""
    check_zip(path, "Excel（.xlsx）")


def check_zip(path: Path, kind: str) -> None:
    """check_xlsx_zip for any zipped workbook (`kind` names its format: Excel（.xlsx）, OpenDocument 表格（.ods）)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DomainError(f"{path.name}：不是有效的 {kind}文件（{exc}）") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise DomainError(f"{path.name}：{kind}文件内部有 {len(infos)} 个部件，不像正常的工作簿")
    total = sum(i.file_size for i in infos)
    if total > MAX_INFLATED_BYTES:
        raise DomainError(
            f"{path.name}：{kind}文件解压后达 {_mb(total)}，超过 {_mb(MAX_INFLATED_BYTES)} 的上限，"
            "请拆分后分批导入"
        )
    for i in infos:
        if i.filename.lower().endswith("sharedstrings.xml") and i.file_size > MAX_SHARED_STRINGS_BYTES:
            raise DomainError(f"{path.name}：{kind}文件的文字表解压后达 {_mb(i.file_size)}，超过上限")


def check_row(name: str, row_no: int, cells: list, column_names: list[str] | None = None) -> None:
    """Row and cell limits for one record; the caller has already cut it to MAX_COLUMNS + 1 cells."""
    if row_no > MAX_ROWS:
        raise DomainError(f"{name}：超过 {MAX_ROWS} 行，请拆分后分批导入")
    if len(cells) > MAX_COLUMNS and any(c not in (None, "") for c in cells[MAX_COLUMNS:]):
        raise DomainError(f"{name}：第 {row_no} 行超过 {MAX_COLUMNS} 列，不像党员信息表")
    for j, c in enumerate(cells):
        if isinstance(c, str) and len(c) > MAX_CELL_CHARS:
            column = column_names[j] if column_names and j < len(column_names) and column_names[j] else f"第 {j + 1} 列"
            raise DomainError(f"{name}：第 {row_no} 行“{column}”有 {len(c)} 个字，超过 {MAX_CELL_CHARS} 字的上限")


def rectangular(name: str, records: list[list]) -> list[list]:
    """Every row padded to the widest (as the sheet shows them), within the cell budget."""
    width = check_cells(name, records)
    return [r + [None] * (width - len(r)) if len(r) < width else r for r in records]


def check_cells(name: str, records: list[list]) -> int:
    """The widest row's length; a DomainError when the padded table would exceed the cell budget."""
    width = max((len(r) for r in records), default=0)
    if width * len(records) > MAX_CELLS:
        raise DomainError(f"{name}：表格过大（{len(records)} 行 × {width} 列），请拆分后分批导入")
    return width


def xml_chunks(fh, size: int = XML_CHUNK):
    """An XML part (an .xlsx part, an .ods's content.xml) a few MB at a time, each chunk ending before a '<'
    so that a scan sees every tag whole; text longer than a chunk comes through as it is.

    A tag still open a whole chunk after the read it began in raises ValueError: no spreadsheet program
    writes one so long, and carrying it on would copy it again with every read (a file of a few hundred KB inflating to one 400 MB tag: a
    minute and its size in memory)."""
    carry = b""
    while chunk := fh.read(size):
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut == 0 and data.find(b">") < 0:
            raise ValueError(f"XML 中有一个标签长于 {_mb(size)}")
        if cut <= 0:  # no tag, or only the one it starts with, which is whole: the rest is text
            cut = len(data)
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry
