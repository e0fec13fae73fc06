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
import re
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from pathlib import Path
from itertools import filterfalse
from operator import itemgetter
from typing import Any, NamedTuple

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import COLUMN_FIELDS
from desktop_app.exchange import mapping as mapping_files
from desktop_app.exchange import sheets
from desktop_app.exchange.cells import guard_csv, xlsx_cell
from desktop_app.exchange.mapping import Mapping, header_key
from desktop_app.files import write_through, write_through_after
from desktop_app.views.roster import RowError

TEMPLATE_COLUMNS: tuple[str, ...] = rules.TEMPLATE_COLUMNS
# Not a field of the member record: the start of the 流出 an import registers for a 流动 row (else the import's day).
OUTING_COLUMN = "外出日期"
FILE_COLUMNS: tuple[str, ...] = (*TEMPLATE_COLUMNS, OUTING_COLUMN)  # what a member file (our template) carries
OUTING_KEY = "floating_since"  # MemberSheet.values key of the 外出日期 column
# What other systems' 流动党员 registers add to that 流出 (as the 登记流出 form has them), read when a file has
# them and checked by the form's rule: column -> MemberSheet.values key. Not in our template.
OUTING_EXTRA: dict[str, str] = {"活动证编号": "floating_card", "外出联系方式": "floating_contact",
                                "流入地党组织": "floating_org"}
OUTING_KEYS = (OUTING_KEY, *OUTING_EXTRA.values())  # values that are the 流出's, not the member record's
READ_COLUMNS: tuple[str, ...] = (*FILE_COLUMNS, *OUTING_EXTRA)  # every column a member file is read for

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
    "流向": "外出流向", "外出去向": "外出流向", "流入地": "外出流向", "外出地点": "外出流向", "流动去向": "外出流向",
    "流动党员活动证编号": "活动证编号", "流动党员活动证号": "活动证编号", "活动证号": "活动证编号",
    "流动党员活动证": "活动证编号", "活动证编号": "活动证编号",
    "外出期间联系方式": "外出联系方式", "流动期间联系方式": "外出联系方式", "外出联系电话": "外出联系方式",
    "外出期间联系电话": "外出联系方式", "流动期间联系电话": "外出联系方式", "外出联系方式": "外出联系方式",
    "流入地党组织": "流入地党组织", "流入地党组织名称": "流入地党组织", "参加活动的党组织": "流入地党组织",
    OUTING_COLUMN: OUTING_COLUMN, "外出时间": OUTING_COLUMN, "流出日期": OUTING_COLUMN, "外出开始日期": OUTING_COLUMN,
}
# Headers other systems' templates use for our columns (beyond the spellings above).
HEADER_ALIASES.update({
    "证件号码": "公民身份号码", "证件号": "公民身份号码", "身份证件号码": "公民身份号码", "居民身份证号码": "公民身份号码",
    "所在党支部编码": "所在党支部", "党支部编码": "所在党支部", "所在党组织编码": "所在党支部",
    "党组织名称": "所在党支部", "所在党组织名称": "所在党支部", "党支部名称": "所在党支部", "所在支部名称": "所在党支部",
    "联系方式": "手机号码", "移动电话": "手机号码", "手机号码1": "手机号码",
    "工作单位及职务": "工作岗位", "工作单位": "工作岗位", "现居住地": "家庭住址", "现住址": "家庭住址",
    "性别代码": "性别", "民族代码": "民族", "序": "序号",
})
REQUIRED_COLUMNS = ("姓名", "公民身份号码")
TEMPLATE_NAME = "党员信息导入模板.xlsx"

_DATE_COLUMNS = ("出生日期", "加入党组织日期", "转为正式党员日期", "失去联系日期", OUTING_COLUMN)
_YES_NO_COLUMNS = ("是否为失联党员", "是否为流动党员")
_TEXT_KEEP_COLUMNS = ("公民身份号码", "手机号码", "固定电话")  # must stay text in Excel
_COLUMN_INDEX = {c: i for i, c in enumerate(TEMPLATE_COLUMNS)}

SPEC = sheets.Spec(
    kind="members", title="党员信息", columns=READ_COLUMNS, aliases=HEADER_ALIASES,
    required=REQUIRED_COLUMNS, dates=_DATE_COLUMNS,
    choices={"性别": rules.GENDERS, "人员类别": rules.CATEGORIES, "党籍状态": rules.PARTY_STATUSES},
    codes={
        "性别": {"1": "男", "2": "女", "M": "男", "F": "女", "m": "男", "f": "女", "男性": "男", "女性": "女"},
        "人员类别": {"正式": rules.FULL, "预备": rules.PROBATIONARY},
        "党籍状态": {"停止": rules.SUSPENDED, "正常党籍": rules.NORMAL},
    } | {c: {"Y": rules.YES, "N": rules.NO, "√": rules.YES, "×": rules.NO} for c in _YES_NO_COLUMNS},
    id_column="公民身份号码", mobile_column="手机号码",
    date_keywords=(("出生", "出生日期"), ("转正", "转为正式党员日期"), ("入党", "加入党组织日期"),
                   ("失去联系", "失去联系日期"), ("失联", "失去联系日期")),
    template=TEMPLATE_NAME,
)


def _header_key(text: Any) -> str:
    return header_key(text)


def canonical_column(header: Any) -> str | None:
    return HEADER_ALIASES.get(_header_key(header))


def load_mapping(path: str | Path) -> Mapping:
    """A --map JSON file for a member file."""
    return mapping_files.load_mapping(path, TEMPLATE_COLUMNS)


# ---------------------------------------------------------------- reading files

def _table(path: Path, mapping: Mapping | None, sheet: str | None) -> sheets.Table:
    table = sheets.read_table(SPEC, path, mapping, sheet)
    if missing := table.missing(REQUIRED_COLUMNS):
        raise DomainError(
            f"{table.name}：找不到表头，缺少“{'、'.join(missing)}”列（表头在第 {table.header_row} 行）。"
            "请使用党员信息导入模板，或用列映射（--map）说明哪一列是它；--show-columns 列出各列的读法"
        )
    return table


def _read(path: str | Path, mapping: Mapping | None = None, sheet: str | None = None) -> sheets.Table:
    return _table(Path(path), mapping, sheet)


def read_table(path: str | Path) -> tuple[list[str], list[list[Any]]]:
    """The header and the data rows of a CSV or XLSX file (cells as stored: str, int, float, datetime)."""
    t = _read(path)
    return t.header, [cells for _, cells in t.rows]


def inspect_file(path: str | Path, mapping: Mapping | None = None, sheet: str | None = None) -> sheets.Table:
    """How each column of a member file would be read (--show-columns, the mapping step); no row is parsed."""
    return sheets.read_table(SPEC, Path(path), mapping, sheet)


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
    if (type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit()
            and value[17] in "0123456789Xx" and not value.endswith("000")):
        return value.upper(), None  # the shape of nearly every cell: nothing below applies to it
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
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)  # 1, 2, 3 ... as nearly every file has them
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
} | {c: (COLUMN_FIELDS.get(c, OUTING_KEY), rules.parse_date) for c in _DATE_COLUMNS} | {
    c: (COLUMN_FIELDS[c], rules.parse_yes_no) for c in _YES_NO_COLUMNS
} | {
    "序号": ("seq", _seq),
    "活动证编号": (OUTING_EXTRA["活动证编号"], _text),
    "外出联系方式": (OUTING_EXTRA["外出联系方式"], _phone),
    "流入地党组织": (OUTING_EXTRA["流入地党组织"], _text),
    "手机号码": ("mobile", _phone),
    "固定电话": ("phone", _phone),
    "所在党支部": ("org_name", _text),
}
_ID_COLUMN = "公民身份号码"
_DEFAULTS = {f.name: f.default for f in dataclass_fields(rules.MemberInput)}


class _Failed(NamedTuple):
    """A cell value that would not parse, and why."""

    reason: str


# Texts in the shape a program writes them (digits only, no space at either end, an 18-character ID
# number) read as they stand: a C-level regular expression match picks them out, and only the other
# texts of a column go through its parser (which gives those the very same value).
_PLAIN = {
    "text": re.compile(r"(?:\S(?:.*\S)?)?", re.DOTALL),  # \s is exactly what str.strip() takes off
    "digits": re.compile(r"\d*", re.ASCII),
    "seq": re.compile(r"\d{1,9}", re.ASCII),
    "id": re.compile(r"(?!\d{15}000)\d{17}[\dX]", re.ASCII),  # a tail of 000 is looked at by _id_number
    "date": re.compile(r"(?:19\d\d|20\d\d|2100)-\d\d-\d\d", re.ASCII),  # parse_date's years, ISO spelling
}


def _plain_kind(column: str) -> str | None:
    if column == _ID_COLUMN:
        return "id"
    if column == "序号":
        return "seq"
    parse = _PARSERS[column][1]
    if parse is rules.parse_date:
        return "date"
    return "digits" if parse is _phone else "text" if parse is _text else None


def _parsed_column(column: str, cells: list[Any]) -> tuple[list[Any], dict[int, str], bool]:
    """One template column parsed, each distinct text once (a file repeats 汉族, 正式党员, dates ...): the values,
    the rows whose cell did not parse with the reason (the value there is a placeholder), and whether every
    cell was text."""
    parse = _PARSERS[column][1]
    is_id = column == _ID_COLUMN

    def one(value: Any) -> Any:
        if is_id:
            number, problem = _id_number(value)
            return _Failed(problem) if problem is not None else number
        try:
            return parse(value)
        except ValueError as exc:
            return _Failed(str(exc))

    distinct = dict.fromkeys(cells)
    if not set(map(type, distinct)) <= {str}:
        # Numbers, booleans and dates from a workbook: 1, 1.0 and True are one key but not one cell.
        got = [one(v) for v in cells]
        failed = {i: out.reason for i, out in enumerate(got) if type(out) is _Failed}
        if is_id:  # the ID number column keeps what it read of a damaged cell, for the messages
            for i in failed:
                got[i] = _id_number(cells[i])[0]
        return got, failed, False
    kind = _plain_kind(column)
    if kind is None:
        table = {v: one(v) for v in distinct}
    else:
        plain = _PLAIN[kind].fullmatch
        table = {v: one(v) for v in filterfalse(plain, distinct)}
        if kind == "seq":
            numbers = list(filter(plain, distinct))
            table.update(zip(numbers, map(int, numbers)))
        elif kind == "date":
            dates = list(filter(plain, distinct))
            try:
                table.update(zip(dates, map(date.fromisoformat, dates)))
            except ValueError:  # a day the month does not have: parse_date says so, for each of them
                table.update((v, one(v)) for v in dates if v not in table)
    failed_texts = {v: out.reason for v, out in table.items() if type(out) is _Failed}
    if is_id:
        for v in failed_texts:
            table[v] = _id_number(v)[0]
    if kind in ("text", "digits", "id"):
        got = list(map(table.get, cells, cells)) if table else list(cells)
    else:
        got = list(map(table.__getitem__, cells))
    if not failed_texts:
        return got, {}, True
    return got, {i: failed_texts[v] for i, v in enumerate(cells) if v in failed_texts}, True


class SheetRow(NamedTuple):
    """One non-blank data row: its template cells, the MemberInput keyword values, the cells that would not parse."""

    row_number: int  # as the spreadsheet shows it; the header is row 1
    cells: list[Any]
    values: dict[str, Any]
    errors: list[RowError]


@dataclass(frozen=True)
class MemberSheet:
    """A member file as columns: one list per template column, not one object per row (100,000 rows fit)."""

    path: Path
    columns: dict[str, int]  # template column -> cell index in the file
    ignored_columns: list[str]  # headers we do not know (left alone)
    row_numbers: list[int]  # each data row's number as the spreadsheet shows it (the header is row 1)
    cells: dict[str, list[Any]]  # template column -> its cells as stored (after value codes), for messages
    values: dict[str, list[Any]]  # MemberInput keyword -> parsed values (org_name for 所在党支部)
    errors: dict[int, list[RowError]]  # row index -> the cells of that row that would not parse
    skipped: tuple[sheets.Skipped, ...] = ()  # note and total rows, for the report
    signature: str = ""  # the header's fingerprint, under which a mapping is saved
    sheet: str = ""  # the workbook's sheet read ("" for a CSV)
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, to say which were not read
    hidden: tuple[int, ...] = ()  # data rows hidden in the sheet (by hand or by a filter), imported as well
    hidden_columns: tuple[str, ...] = ()  # the hidden columns read, said by sheet, letter, header and field

    @property
    def fields(self) -> tuple[str, ...]:
        """MemberInput fields the file carries."""
        return tuple(COLUMN_FIELDS[c] for c in TEMPLATE_COLUMNS if c in self.columns)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def shown(self, column: str, i: int) -> str:
        """Row i's cell of a template column as the user saw it ("" when the file has no such column)."""
        got = self.cells.get(column)
        return "" if got is None else shown(got[i])

    def row(self, i: int) -> SheetRow:
        width = max(self.columns.values(), default=-1) + 1
        cells: list[Any] = [None] * width
        for column, at in self.columns.items():
            cells[at] = self.cells[column][i]
        values = {key: got[i] for key, got in self.values.items()}
        return SheetRow(self.row_numbers[i], cells, values, list(self.errors.get(i, ())))

    @property
    def rows(self) -> list[SheetRow]:
        """Row by row (small files, tests); an import reads the columns."""
        return [self.row(i) for i in range(len(self))]


def read_member_file(path: str | Path, mapping: Mapping | None = None, sheet: str | None = None) -> MemberSheet:
    """The data rows of a member file, parsed column by column; checks against rules and roster are the caller's.

    `mapping` says what the columns of a file made for another system are and how its coded
    values read; `sheet` picks a workbook's sheet (default: the first with a header).
    """
    path = Path(path)
    table = _read(path, mapping, sheet)
    columns = table.columns
    ignored = [p.source for p in table.plan if p.target is None and p.source]
    row_numbers = [row_no for row_no, _ in table.rows]
    records = [cells for _, cells in table.rows]
    skipped, signature = tuple(table.skipped), table.signature
    sheet_read, sheet_names, hidden = table.sheet or "", tuple(table.sheets or ()), table.hidden
    hidden_columns = table.hidden_column_lines()
    del table  # the rows as lists go as soon as their cells sit in columns
    cells: dict[str, list[Any]] = {}
    for column, at in columns.items():
        got = list(map(itemgetter(at), records))
        if column in SPEC.codes or (mapping is not None and mapping.values.get(column)):
            decode = sheets.decoder(SPEC, mapping, column)
            distinct = dict.fromkeys(got)
            if set(map(type, distinct)) <= {str}:  # a coded column holds a handful of values
                table = {v: decode(v) for v in distinct}
                got = list(map(table.__getitem__, got))
            else:
                got = list(map(decode, got))
        cells[column] = got
    del records
    values: dict[str, list[Any]] = {}
    errors: dict[int, list[RowError]] = {}
    for column in columns:  # in the file's order: a row's errors read left to right
        key, parse = _PARSERS[column]
        raw = cells[column]
        got, bad, text_only = _parsed_column(column, raw)
        for i, reason in bad.items():
            errors.setdefault(i, []).append(RowError(row_numbers[i], column, shown(raw[i]), reason))
            if column != _ID_COLUMN:
                got[i] = _DEFAULTS.get(key)  # as if the cell were blank: the row is refused anyway
        values[key] = got
        if parse is _text and text_only:
            # Its cells are shown as its values are (stripped text): the values stand in for them.
            cells[column] = got
    return MemberSheet(path, columns, ignored, row_numbers, cells, values, errors, skipped, signature,
                       sheet_read, sheet_names, hidden, hidden_columns)


SHEET_ROWS = 10_000_000  # more rows than a sheet holds (xlsx: 1,048,576)


def join_sheets(parts: Sequence[tuple[int, MemberSheet]]) -> MemberSheet:
    """Several sheets of one workbook as one (the import's 全部工作表), each (n, sheet) with n ≥ 1 its place.

    Row k of sheet n is numbered n * SHEET_ROWS + k, so one preview keeps every row apart; the caller
    says them back as sheet and row. A column one sheet lacks reads as blank on its rows.
    """
    columns = [c for c in READ_COLUMNS if any(c in part.columns for _, part in parts)]
    cells: dict[str, list[Any]] = {c: [] for c in columns}
    values: dict[str, list[Any]] = {_PARSERS[c][0]: [] for c in columns}
    row_numbers: list[int] = []
    errors: dict[int, list[RowError]] = {}
    skipped: list[sheets.Skipped] = []
    hidden: list[int] = []
    for n, part in parts:
        at, base = len(row_numbers), n * SHEET_ROWS
        row_numbers.extend(base + r for r in part.row_numbers)
        for column in columns:
            key = _PARSERS[column][0]
            cells[column].extend(part.cells.get(column) or [None] * len(part))
            values[key].extend(part.values.get(key) or [_DEFAULTS.get(key)] * len(part))
        for i, errs in part.errors.items():
            errors[at + i] = [replace(e, row_number=base + e.row_number) for e in errs]
        skipped.extend(replace(k, row_number=base + k.row_number) for k in part.skipped)
        hidden.extend(base + r for r in part.hidden)
    ignored = list(dict.fromkeys(c for _, part in parts for c in part.ignored_columns))
    first = parts[0][1]
    return MemberSheet(first.path, {c: i for i, c in enumerate(columns)}, ignored, row_numbers, cells, values,
                       errors, tuple(skipped), first.signature, hidden=tuple(hidden),
                       hidden_columns=tuple(line for _, part in parts for line in part.hidden_columns))


# ---------------------------------------------------------------- writing files

_WIDTHS = {
    "序号": 6, "姓名": 10, "所在党支部": 22, "公民身份号码": 21, "性别": 6, "民族": 8,
    "出生日期": 12, "学历": 10, "人员类别": 10, "加入党组织日期": 14, "转为正式党员日期": 16,
    "工作岗位": 16, "手机号码": 14, "固定电话": 14, "家庭住址": 30, "党籍状态": 10,
    "是否为失联党员": 14, "失去联系日期": 13, "是否为流动党员": 14, "外出流向": 20, "备注": 24, OUTING_COLUMN: 12,
}


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


def _write_csv(path: Path, records: list[dict], columns: Sequence[str] = TEMPLATE_COLUMNS) -> None:
    # UTF-8 with BOM: Excel and WPS then read Chinese correctly; CRLF as Windows expects.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for rec in records:
            w.writerow([_csv_cell(c, rec[c]) for c in columns])


def _sheet_header(ws, text_columns: Sequence[str] = _TEXT_KEEP_COLUMNS,
                  columns: Sequence[str] = TEMPLATE_COLUMNS) -> Any:
    """Column widths, text format for number-like columns, frozen header; returns the header font."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(columns, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = _WIDTHS.get(column, 10)
        if column in text_columns:
            dim.number_format = "@"  # cells typed later in this column stay text
    ws.freeze_panes = "A2"
    return Font(bold=True)


def _write_xlsx(path: Path, records: list[dict], columns: Sequence[str] = TEMPLATE_COLUMNS) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)  # streams rows: 100,000 members fit in little memory
    ws = wb.create_sheet("党员信息")
    bold = _sheet_header(ws, columns=columns)

    def head(text: str) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        return c

    ws.append([head(c) for c in columns])

    def as_text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.number_format = "@"
        return cell

    # Dates need nothing: openpyxl gives a date value the yyyy-mm-dd format itself.
    for rec in records:
        row = [xlsx_cell(ws, rec[c]) for c in columns]
        for column in _TEXT_KEEP_COLUMNS:
            i = _COLUMN_INDEX[column]
            if rec[column]:
                row[i] = as_text(str(rec[column]))
        ws.append(row)
    wb.save(path)


def write_members(path: str | Path, records: list[dict], extra: Sequence[str] = ()) -> None:
    """Write template rows (keys TEMPLATE_COLUMNS, then `extra`) to .csv or .xlsx, atomically.

    `extra` columns go after the template's, where an import of the file passes them by."""
    with members_put_in_place_after(path, records, extra):
        pass


def members_put_in_place_after(path: str | Path, records: list[dict],
                               extra: Sequence[str] = ()) -> AbstractContextManager[Path]:
    """write_members' file, written beside `path` now and put in place when the block ends without an error
    (the block records the export: files.write_through_after)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError(f"{path.name}：只能导出为 .csv 或 .xlsx 文件")
    columns = (*TEMPLATE_COLUMNS, *extra)
    return write_through_after(path, lambda tmp: (_write_csv if suffix == ".csv" else _write_xlsx)(tmp, records, columns))


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
        bold = _sheet_header(ws, columns=FILE_COLUMNS)
        for i, column in enumerate(FILE_COLUMNS, start=1):
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
            "2. 必填：姓名、公民身份号码（18 位）、加入党组织日期；人员类别填 正式党员 或 预备党员。",
            "3. 公民身份号码、手机号码、固定电话列已设为“文本”格式，请勿改为数字，否则 Excel 会把号码改成 1.10105E+17。",
            "4. 出生日期、性别可不填，将按公民身份号码自动填写；填了则须与号码一致。",
            "5. 日期可写成 1985-03-02、1985/3/2、1985.3.2、1985年3月2日 或 19850302。",
            "6. 预备党员不填转为正式党员日期；党籍状态填 正常 或 停止党籍，不填视为正常。",
            "7. 没有人员类别列时：新党员未填转为正式党员日期且入党不满一年的按预备党员导入，其余按正式党员导入"
            "（入党已满一年而未填转正日期的会提示核对是否已转正或延长预备期）；名册中已有的党员不改人员类别。",
            "8. 所在党支部填写支部全称；系统中没有的支部，导入时会列出并可一并新建。",
            "9. 是否为失联党员、是否为流动党员填 是 或 否；失联党员填失去联系日期，流动党员填外出流向。",
            "10. 流动党员导入时一并在“流动与失联”登记流出：外出流向是去向，外出日期是外出的日子（不填则为导入当天）。",
        ):
            notes.append([line])
        notes["A1"].font = bold
        wb.save(tmp)

    write_through(path, build)
