"""党员信息 files: read CSV/XLSX as people save them into rows and cell errors; write rows to CSV/XLSX.

Reading is forgiving about what Excel and WPS do (encodings, header variants,
title rows, dates in six spellings) and strict about what it cannot repair:
an ID number that Excel turned into 1.10101E+17 is reported with its row and
column, never guessed. This module knows files only: checking the rows against
the roster, the import's preview and apply, and the export's permission gate
are in services.roster.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import COLUMN_FIELDS
from desktop_app.exchange import safety
from desktop_app.exchange.cells import guard_csv, unguard_csv, xlsx_cell
from desktop_app.views.roster import RowError

TEMPLATE_COLUMNS: tuple[str, ...] = rules.TEMPLATE_COLUMNS

# Header spellings found in the wild -> template column (compared after _header_key()).
HEADER_ALIASES: dict[str, str] = {c: c for c in TEMPLATE_COLUMNS} | {
    "编号": "序号",
    "党员姓名": "姓名",
    "所在党组织": "所在党支部", "所在支部": "所在党支部", "党支部": "所在党支部",
    "支部": "所在党支部", "所属支部": "所在党支部", "所属党支部": "所在党支部",
    "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "公民身份证号": "公民身份号码",
    "公民身份证号码": "公民身份号码", "身份证": "公民身份号码",
    "出生年月日": "出生日期",
    "文化程度": "学历",
    "党员类别": "人员类别", "类别": "人员类别",
    "入党日期": "加入党组织日期", "入党时间": "加入党组织日期", "加入党组织时间": "加入党组织日期",
    "转正日期": "转为正式党员日期", "转正时间": "转为正式党员日期", "转为正式党员时间": "转为正式党员日期",
    "岗位": "工作岗位",
    "手机号": "手机号码", "手机": "手机号码", "联系电话": "手机号码",
    "电话": "固定电话", "座机": "固定电话",
    "家庭地址": "家庭住址", "住址": "家庭住址", "居住地址": "家庭住址",
    "是否失联党员": "是否为失联党员", "是否失联": "是否为失联党员",
    "失联日期": "失去联系日期", "失去联系的日期": "失去联系日期",
    "是否流动党员": "是否为流动党员", "是否流动": "是否为流动党员",
    "流向": "外出流向", "外出去向": "外出流向",
}
REQUIRED_COLUMNS = ("姓名", "公民身份号码")
TEMPLATE_NAME = "党员信息导入模板.xlsx"

_DATE_COLUMNS = ("出生日期", "加入党组织日期", "转为正式党员日期", "失去联系日期")
_YES_NO_COLUMNS = ("是否为失联党员", "是否为流动党员")
_TEXT_KEEP_COLUMNS = ("公民身份号码", "手机号码", "固定电话")  # must stay text in Excel
_COLUMN_INDEX = {c: i for i, c in enumerate(TEMPLATE_COLUMNS)}
_HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common


def _header_key(text: Any) -> str:
    """姓名, ' 姓 名 ', '*姓名', '姓名（必填）' all become 姓名."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[\s*:：]", "", s)


def canonical_column(header: Any) -> str | None:
    return HEADER_ALIASES.get(_header_key(header))


# ---------------------------------------------------------------- reading files

@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[list[Any]]
    first_row: int  # spreadsheet row number of rows[0]


def _is_header(cells: Sequence[Any]) -> bool:
    found = {canonical_column(c) for c in cells if c not in (None, "")}
    return all(c in found for c in REQUIRED_COLUMNS)


def _table(name: str, records: list[list[Any]]) -> _Table:
    if not any(any(c not in (None, "") for c in r) for r in records):
        raise DomainError(f"{name}：文件是空的，没有表头也没有数据")
    for i, rec in enumerate(records[:_HEADER_SEARCH_ROWS]):
        if _is_header(rec):
            header = ["" if c is None else str(c).strip() for c in rec]
            width = len(header)
            rows = [list(r[:width]) + [None] * (width - len(r)) for r in records[i + 1 :]]
            return _Table(header, rows, i + 2)
    first = next(r for r in records if any(c not in (None, "") for c in r))
    found = {canonical_column(c) for c in first}
    missing = "、".join(c for c in REQUIRED_COLUMNS if c not in found)
    raise DomainError(
        f"{name}：找不到表头，缺少“{missing}”列（前 {_HEADER_SEARCH_ROWS} 行中没有同时含"
        f"“姓名”和“公民身份号码”的一行）。请使用党员信息导入模板。"
    )


def _read_csv(path: Path) -> _Table:
    safety.check_file_size(path)
    text = safety.decode_text(path.name, path.read_bytes())
    if "\x00" in text:
        raise DomainError(f"{path.name}：不是文本格式的 CSV 文件")
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    records: list[list[Any]] = []
    try:
        for n, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            row = [unguard_csv(c) for c in r[: safety.MAX_COLUMNS + 1]]
            safety.check_row(path.name, n, row)
            records.append(row)
    except csv.Error as exc:
        raise DomainError(f"{path.name}：CSV 格式有误（{exc}）") from None
    safety.check_cells(path.name, records)  # _table pads to the header itself
    return _table(path.name, records)


# What a damaged workbook raises from openpyxl, lxml/ElementTree (ParseError is a
# SyntaxError) and zipfile/zlib: each becomes a DomainError naming the file.
_BROKEN = (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError,
           SyntaxError, EOFError, zlib.error, OverflowError, UnicodeError, LookupError)


def _sheet_records(name: str, ws) -> list[list[Any]]:
    """A sheet's rows, read one by one: the declared dimension is ignored, the limits are not."""
    ws.reset_dimensions()  # a sheet that declares A1:XFD1048576 must not make us pad to it
    records: list[list[Any]] = []
    last = 0  # index after the last row with content: blank rows below it are dropped
    empty: Any = None  # openpyxl yields one shared tuple for every missing row
    for n, r in enumerate(ws.iter_rows(values_only=True, max_col=safety.MAX_COLUMNS + 1), start=1):
        if r is empty:
            records.append(_NO_CELLS)
            continue
        row = list(r)
        while row and row[-1] is None:
            row.pop()
        if not row:
            empty = r  # remembered: the next missing row is the same object
            records.append(_NO_CELLS)
            continue
        safety.check_row(name, n, row)
        del row[safety.MAX_COLUMNS:]
        records.append(row)
        last = n
    del records[last:]
    return safety.rectangular(name, records)


_NO_CELLS: list[Any] = []  # shared by every blank row; never mutated


def _read_xlsx(path: Path) -> _Table:
    from openpyxl import load_workbook  # heavy: imported when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    safety.check_xlsx_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (*_BROKEN, InvalidFileException) as exc:
        raise DomainError(f"{path.name}：不是有效的 Excel（.xlsx）文件（{_reason(exc)}）") from None
    try:
        first_error: DomainError | None = None
        for ws in wb.worksheets:  # the first sheet that has the header (a notes sheet may follow)
            name = f"{path.name}［{ws.title}］"
            records = _sheet_records(name, ws)
            try:
                return _table(name, records)
            except DomainError as exc:
                first_error = first_error or exc
        raise first_error or DomainError(f"{path.name}：工作簿中没有工作表")
    except _BROKEN as exc:
        raise DomainError(f"{path.name}：Excel 文件已损坏，无法读取（{_reason(exc)}）") from None
    finally:
        wb.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _read(path: str | Path) -> _Table:
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path.name}：文件不存在")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _read_csv(path)
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
    except PermissionError:
        raise DomainError(f"{path.name}：文件被占用或没有读取权限，请关闭 Excel/WPS 后重试") from None
    if suffix == ".xls":
        raise DomainError(f"{path.name}：不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 或 CSV")
    raise DomainError(f"{path.name}：只能导入 .csv 或 .xlsx 文件")


def read_table(path: str | Path) -> tuple[list[str], list[list[Any]]]:
    """The header and the data rows of a CSV or XLSX file (cells as stored: str, int, float, datetime)."""
    t = _read(path)
    return t.header, t.rows


# ---------------------------------------------------------------- cells

def shown(value: Any) -> str:
    """A cell as the user saw it, for error messages."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.5E}" if abs(value) >= 1e11 else (str(int(value)) if value.is_integer() else str(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return str(value).strip()


def _unwrap(text: str) -> str:
    """Undo what spreadsheet users do to keep a number as text: ="...", a leading ' or tab."""
    text = text.strip()
    if m := re.fullmatch(r'="(.*)"', text):
        text = m[1].strip()
    return text.lstrip("'").strip()


def _text(value: Any) -> str:
    if type(value) is str:  # nearly every cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return rules.YES if value else rules.NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _id_number(value: Any) -> tuple[str, str | None]:
    """The ID number in a cell, and why it cannot be used when Excel has damaged it."""
    if isinstance(value, bool):
        return str(value), "不是身份证号码"
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value), "不是身份证号码"
        digits = str(int(value))
        if len(digits) == 18 and isinstance(value, int) and idcard.is_valid(digits):
            return digits, None  # an exact integer written by a program: usable
        # Excel keeps 15 significant digits of a number: an ID stored as one has lost
        # its tail (zeros), its X (not a digit) or, in theory, a leading 0.
        parts = [f"单元格是数字格式（显示为 {shown(value)}）"]
        if len(digits) == 17:
            parts.append("只有 17 位，末位的 X 丢了")
        elif len(digits) < 17:
            parts.append(f"只有 {len(digits)} 位，可能丢了前导 0 或末位 X")
        if len(digits) > 15:
            parts.append("Excel 只保留 15 位有效数字，后几位已变成 0，无法恢复")
        parts.append("请把该列设为“文本”后重新填写号码")
        return digits, "；".join(parts)
    text = re.sub(r"\s+", "", _unwrap(unicodedata.normalize("NFKC", _text(value)))).upper()
    if not text:
        return "", None
    if problem := idcard.foreign_digits(text):
        return text, problem
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text):
        return text, (
            f"被 Excel 改成了科学计数法（{text}），原号码已丢失，无法恢复。"
            "请把该列设为“文本”后重新填写号码"
        )
    if re.fullmatch(r"\d+\.0+", text):
        return text, "带有“.0”，说明被存成了数字，号码可能已不准确。请把该列设为“文本”后重新填写"
    if re.fullmatch(r"\d{17}", text):
        if idcard.check_digit(text) == "X":
            return text, f"只有 17 位，末位的 X 可能丢了（补上后应为 {text}X，请核对）"
        return text, "只有 17 位，少了一位"
    if re.fullmatch(r"\d{15}", text):
        return text, "是 15 位号码（第一代身份证或被截断），请填写 18 位公民身份号码"
    if re.fullmatch(r"\d{16}", text):
        return text, "只有 16 位：可能被 Excel 去掉了前导 0 或末位，请核对"
    if re.fullmatch(r"\d{15}000", text) and not idcard.is_valid(text):
        return text, (
            "校验码错误，且末尾是 000：多半是 Excel 把号码当数字保存，"
            "超过 15 位的部分变成了 0。请把该列设为“文本”后重新填写"
        )
    return text, None


def _seq(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValueError(f"“{value}”应为整数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"“{value}”不能为负数")
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{1,9}(\.0+)?", text):
        return int(float(text))
    raise ValueError(f"“{shown(value)}”应为整数")


# ---------------------------------------------------------------- rows

def _phone(value: Any) -> str:
    return _unwrap(_text(value))


# Template column -> (MemberInput keyword, cell parser raising ValueError). The ID
# number has its own reader because it reports Excel damage rather than raising.
_PARSERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    c: (COLUMN_FIELDS[c], _text) for c in TEMPLATE_COLUMNS
} | {c: (COLUMN_FIELDS[c], rules.parse_date) for c in _DATE_COLUMNS} | {
    c: (COLUMN_FIELDS[c], rules.parse_yes_no) for c in _YES_NO_COLUMNS
} | {
    "序号": ("seq", _seq),
    "手机号码": ("mobile", _phone),
    "固定电话": ("phone", _phone),
    "所在党支部": ("org_name", _text),
}
_ID_COLUMN = "公民身份号码"


def _parse_cells(
    cells: Sequence[Any], columns: dict[str, int], row_no: int
) -> tuple[dict[str, Any], list[RowError]]:
    """The template columns of one row -> MemberInput keyword values, and the cells that would not parse."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, i in columns.items():
        raw = cells[i]
        if column == _ID_COLUMN:
            number, problem = _id_number(raw)
            values["id_number"] = number
            if problem:
                errors.append(RowError(row_no, column, shown(raw), problem))
            continue
        key, parse = _PARSERS[column]
        try:
            values[key] = parse(raw)
        except ValueError as exc:
            errors.append(RowError(row_no, column, shown(raw), str(exc)))
    return values, errors


class SheetRow(NamedTuple):
    """One non-blank data row: its cells as stored, the MemberInput keyword values, the cells that would not parse."""

    row_number: int  # as the spreadsheet shows it; the header is row 1
    cells: list[Any]
    values: dict[str, Any]
    errors: list[RowError]


@dataclass(frozen=True)
class MemberSheet:
    path: Path
    columns: dict[str, int]  # template column -> cell index
    ignored_columns: list[str]  # headers we do not know (left alone)
    rows: list[SheetRow]

    @property
    def fields(self) -> tuple[str, ...]:
        """MemberInput fields the file carries."""
        return tuple(COLUMN_FIELDS[c] for c in TEMPLATE_COLUMNS if c in self.columns)


def read_member_file(path: str | Path) -> MemberSheet:
    """The data rows of a member file, parsed cell by cell; checks against rules and roster are the caller's."""
    path = Path(path)
    table = _read(path)
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, h in enumerate(table.header):
        col = canonical_column(h)
        if col is None or col in columns:
            if h:
                ignored.append(h)
            continue
        columns[col] = i
    rows: list[SheetRow] = []
    for offset, cells in enumerate(table.rows):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        row_no = table.first_row + offset
        values, errors = _parse_cells(cells, columns, row_no)
        rows.append(SheetRow(row_no, cells, values, errors))
    return MemberSheet(path, columns, ignored, rows)


# ---------------------------------------------------------------- writing files

_WIDTHS = {
    "序号": 6, "姓名": 10, "所在党支部": 22, "公民身份号码": 21, "性别": 6, "民族": 8,
    "出生日期": 12, "学历": 10, "人员类别": 10, "加入党组织日期": 14, "转为正式党员日期": 16,
    "工作岗位": 16, "手机号码": 14, "固定电话": 14, "家庭住址": 30, "党籍状态": 10,
    "是否为失联党员": 14, "失去联系日期": 13, "是否为流动党员": 14, "外出流向": 20, "备注": 24,
}


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temp file beside `path`, then rename: a failed export leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder (os.replace must not cross disks), ordinary permissions (unlike mkstemp's 0600).
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except PermissionError:
        raise DomainError(
            f"{path.name}：无法写入，文件可能正在 Excel/WPS 中打开（或没有写入权限），请关闭后重试"
        ) from None
    except OSError as exc:
        raise DomainError(f"{path.name}：写入失败（{exc.strerror or exc}）") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = guard_csv(str(value))
    # Excel and WPS turn a long digit string into a number (1.10105E+17, precision
    # lost) and drop leading zeros. A leading tab makes both keep the cell as
    # text without a formula (="..." would be one) and without a visible mark
    # (a leading ' shows up in CSV); our reader strips it again.
    if column in _TEXT_KEEP_COLUMNS and re.fullmatch(r"[\dX]+", text):
        return "\t" + text
    return text


def _write_csv(path: Path, records: list[dict]) -> None:
    # UTF-8 with BOM: Excel and WPS then read Chinese correctly; CRLF as Windows expects.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(TEMPLATE_COLUMNS)
        for rec in records:
            w.writerow([_csv_cell(c, rec[c]) for c in TEMPLATE_COLUMNS])


def _sheet_header(ws, text_columns: Sequence[str] = _TEXT_KEEP_COLUMNS) -> Any:
    """Column widths, text format for number-like columns, frozen header; returns the header font."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(TEMPLATE_COLUMNS, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = _WIDTHS[column]
        if column in text_columns:
            dim.number_format = "@"  # cells typed later in this column stay text
    ws.freeze_panes = "A2"
    return Font(bold=True)


def _write_xlsx(path: Path, records: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)  # streams rows: 100,000 members fit in little memory
    ws = wb.create_sheet("党员信息")
    bold = _sheet_header(ws)

    def head(text: str) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        return c

    ws.append([head(c) for c in TEMPLATE_COLUMNS])

    def as_text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.number_format = "@"
        return cell

    # Dates need nothing: openpyxl gives a date value the yyyy-mm-dd format itself.
    for rec in records:
        row = [xlsx_cell(ws, rec[c]) for c in TEMPLATE_COLUMNS]
        for column in _TEXT_KEEP_COLUMNS:
            i = _COLUMN_INDEX[column]
            if rec[column]:
                row[i] = as_text(str(rec[column]))
        ws.append(row)
    wb.save(path)


def write_members(path: str | Path, records: list[dict]) -> None:
    """Write template rows (keys TEMPLATE_COLUMNS) to .csv or .xlsx, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError(f"{path.name}：只能导出为 .csv 或 .xlsx 文件")
    _atomic_write(path, lambda tmp: (_write_csv if suffix == ".csv" else _write_xlsx)(tmp, records))


def write_template(path: str | Path) -> None:
    """The blank 党员信息导入模板: header, widths, text-formatted ID/phone columns, drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)

    def build(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "党员信息"
        bold = _sheet_header(ws)
        for i, column in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = ws.cell(row=1, column=i, value=column)
            cell.font = bold
        lists = {
            "性别": "男,女", "人员类别": "正式党员,预备党员", "党籍状态": "正常,停止党籍",
            "是否为失联党员": "是,否", "是否为流动党员": "是,否",
        }
        for column, choices in lists.items():
            letter = get_column_letter(TEMPLATE_COLUMNS.index(column) + 1)
            dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)
        notes = wb.create_sheet("填写说明")
        notes.column_dimensions["A"].width = 100
        for line in (
            "党员信息导入模板填写说明",
            "1. 第一张工作表的第 1 行是表头，请勿修改；从第 2 行起每行填写一名党员。",
            "2. 必填：姓名、公民身份号码（18 位）、人员类别（正式党员/预备党员）、加入党组织日期。",
            "3. 公民身份号码、手机号码、固定电话列已设为“文本”格式，请勿改为数字，否则 Excel 会把号码改成 1.10105E+17。",
            "4. 出生日期、性别可不填，将按公民身份号码自动填写；填了则须与号码一致。",
            "5. 日期可写成 1985-03-02、1985/3/2、1985.3.2、1985年3月2日 或 19850302。",
            "6. 预备党员不填转为正式党员日期；党籍状态填 正常 或 停止党籍，不填视为正常。",
            "7. 所在党支部填写支部全称；系统中没有的支部，导入时会列出并可一并新建。",
            "8. 是否为失联党员、是否为流动党员填 是 或 否；失联党员填失去联系日期，流动党员填外出流向。",
        ):
            notes.append([line])
        notes["A1"].font = bold
        wb.save(tmp)

    _atomic_write(path, build)
