"""The attendance file (CSV, .xlsx, .xls or .ods): 会议编号, 姓名 or 公民身份号码, 出勤情况, 请假原因, 单位.

Entering a signed sheet back: one row per person. `parse` reads a file as
Excel or WPS save it (a workbook, or a CSV in UTF-8 with BOM or GBK; a title
line above the header, column names as people write them) into cleaned lines plus the problems a row
shows on its own (a bad status, a wrong check digit). Whether a meeting or a
person exists is for services.meetings.attendance_import to decide.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain import meetings as rules
from desktop_app.domain import text as text_rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.exchange import sheets
from desktop_app.exchange.cells import guard_csv, set_cell
from desktop_app.files import write_atomically, write_through
from desktop_app.views.meetings import AttendanceFile, AttendanceLine, MeetingDetail, RowError

COLUMNS: tuple[str, ...] = ("会议编号", "姓名", "公民身份号码", "出勤情况", "请假原因", "单位")
_ALIASES: dict[str, str] = {c: c for c in COLUMNS} | {
    "编号": "会议编号", "会议号": "会议编号", "会议": "会议编号",
    "党员姓名": "姓名", "名字": "姓名",
    "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "公民身份证号": "公民身份号码",
    "身份证": "公民身份号码", "公民身份证号码": "公民身份号码",
    "状态": "出勤情况", "出勤": "出勤情况", "出勤状态": "出勤情况", "签到": "出勤情况", "签到情况": "出勤情况",
    "到会情况": "出勤情况",
    "原因": "请假原因", "请假": "请假原因", "备注": "请假原因", "事由": "请假原因",
    "工作单位": "单位", "单位职务": "单位", "列席单位": "单位",
    # Optional: tells apart members of the same name (a code, a path 社区 / 支部 / 小组, or a name).
    "所在党组织": "所在党组织", "所在党支部": "所在党组织", "党支部": "所在党组织", "所在党小组": "所在党组织",
    "党小组": "所在党组织", "党组织": "所在党组织", "支部": "所在党组织",
}
TEMPLATE_NAME = "出勤导入模板.xlsx"


# ---------------------------------------------------------------- reading

def _key(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[\s*:：]", "", s)


def _header_at(records: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """Where the header is (a title line or a note above it is common) and column -> index."""
    for i, rec in enumerate(records[:sheets.HEADER_SEARCH_ROWS]):
        cells = ["" if c is None else str(c) for c in rec]
        found = {_ALIASES.get(_key(c)): j for j, c in reversed(list(enumerate(cells))) if _ALIASES.get(_key(c))}
        if "会议编号" in found and "出勤情况" in found and ("姓名" in found or "公民身份号码" in found):
            return i, found
    return None


def read_rows(path: str | Path) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    """Column -> index for the columns we know, and (row number, cells) of the data rows.

    A CSV, .xlsx, .xls or .ods, through sheets.read_records (its size and shape checks refuse a
    hostile workbook before anything is read into rows); in a workbook, the first sheet with the
    header (a 填写说明 sheet may come first). Row numbers are the spreadsheet's.
    """
    found = sheets.read_records(path, pick=lambda records: _header_at(records) is not None)
    records = found.records
    if (at := _header_at(records)) is not None:
        i, columns = at
        rows = [(i + 2 + k, r) for k, r in enumerate(records[i + 1:]) if _filled(r)]
        return columns, rows
    if not any(_filled(r) for r in records):
        raise DomainError(f"{found.name}：文件是空的")
    raise DomainError(
        f"{found.name}：找不到表头。需要“会议编号”“出勤情况”两列和“姓名”或“公民身份号码”列，"
        f"可用列：{'、'.join(COLUMNS)}"
    )


def _filled(cells: list[Any]) -> bool:
    return any(c.strip() if type(c) is str else c is not None for c in cells)


def _text(value: Any) -> str:
    """A cell as text: a workbook's whole number without ".0", a date as 2025-05-08."""
    if type(value) is str:  # every cell of a CSV: no more to ask
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def _lost_digits(value: Any) -> bool:
    """An ID number Excel kept as a number: past 15 digits its tail is gone for good."""
    return isinstance(value, float) and abs(value) >= 1e15


def _raw(cells: list[Any], columns: dict[str, int], name: str) -> Any:
    j = columns.get(name)
    return None if j is None or j >= len(cells) else cells[j]


_EXCEL_TEXT = re.compile(r'="(.*)"')  # ="3201..." keeps a number as text in Excel
_APOSTROPHE = re.compile(r"'+[\dXx ]*")  # '3201... keeps a number as text in Excel


def _cell(cells: list[Any], columns: dict[str, int], name: str) -> str:
    # A CSV's formula guard is already off (sheets.read_records takes it off).
    j = columns.get(name)
    if j is None or j >= len(cells):
        return ""
    value = cells[j]
    text = unicodedata.normalize("NFKC", value if type(value) is str else _text(value)).strip()
    if not text:
        return ""
    if text[0] == "=" and (m := _EXCEL_TEXT.fullmatch(text)):
        text = m[1].strip()
    if text[0] == "'" and _APOSTROPHE.fullmatch(text):
        text = text.lstrip("'")
    return text.strip()


def parse(path: str | Path) -> AttendanceFile:
    """Every data row of the file, cleaned, with the problems each row shows by itself."""
    path = Path(path)
    columns, rows = read_rows(path)
    lines: list[AttendanceLine] = []
    errors: list[RowError] = []
    for row_no, cells in rows:
        def fail(column: str, value: str, reason: str) -> None:
            errors.append(RowError(row_no, column, value, reason))

        number = _cell(cells, columns, "会议编号")
        name = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", _cell(cells, columns, "姓名"))
        id_raw = _cell(cells, columns, "公民身份号码").upper().replace(" ", "")
        status_raw = _cell(cells, columns, "出勤情况")
        reason = _cell(cells, columns, "请假原因")
        unit = _cell(cells, columns, "单位")
        org = _cell(cells, columns, "所在党组织")
        for column, value in (("会议编号", number), ("姓名", name), ("请假原因", reason), ("单位", unit),
                              ("所在党组织", org)):
            if (ch := text_rules.bad_char(value)) is not None:
                fail(column, text_rules.printable(value), f"含有不可见的控制字符（{text_rules.describe(ch)}），请删除后重新填写")
        if not number:
            fail("会议编号", "", "不能为空（见签到表右上角的编号）")
        status = ""
        try:
            status = rules.check_attendance_status(status_raw)
        except ValidationError as exc:
            fail("出勤情况", status_raw, exc.message if status_raw else "不能为空，应为 出席、请假、缺席 或 列席")
        if len(reason) > 100:
            fail("请假原因", reason[:20] + "…", "不能超过 100 个字")
        id_number = ""
        if _lost_digits(_raw(cells, columns, "公民身份号码")):
            fail("公民身份号码", id_raw, "被 Excel 存成了数字，后几位已丢失，无法恢复。请把该列设为“文本”后重新填写号码")
        elif id_raw:
            try:
                id_number = idcard.parse(id_raw).number
            except ValueError as exc:
                fail("公民身份号码", id_raw, str(exc))
        elif not name:
            fail("姓名", "", "姓名和公民身份号码至少填一项")
        lines.append(AttendanceLine(row_no, number, name, id_raw, id_number, status, reason, unit, org))
    return AttendanceFile(path, tuple(lines), tuple(errors))


NOTES: tuple[str, ...] = (
    "每行一人。必填：会议编号（签到表右上角的编号，也可省去前面的社区代码，如 2025-0001）、出勤情况。",
    "姓名和公民身份号码至少填一项；同名的党员请填公民身份号码，或加一列“所在党组织”（代码或 社区 / 支部 / 小组）。",
    "出勤情况填 出席、请假、缺席 或 列席；不在党员名册中的人只能是列席，可在“单位”列写明其单位。",
    "一个文件可含多次会议。整个文件一次导入：有一行有误就列出每个错误所在的行和列，可选择跳过有误的行。",
    "导入后这些会议记为已召开。",
)


def _rows(meeting: MeetingDetail | None) -> list[list[str]]:
    lines = [list(COLUMNS)]
    if meeting is not None:
        for a in meeting.attendees:
            lines.append([meeting.number, a.name, "", a.status or ("列席" if a.is_guest else ""), a.reason,
                          a.guest_unit])
    else:
        lines.append(["320102001-2025-0001", "张三", "", "出席", "", ""])
        lines.append(["320102001-2025-0001", "李四", "", "请假", "外出就医", ""])
    return lines


def write_template(path: str | Path, meeting: MeetingDetail | None = None) -> Path:
    """A file to fill in, with `meeting` its list: .xlsx (ID column as text, a drop-down of statuses,
    a 填写说明 sheet after the data), else a CSV in UTF-8 with BOM, so Excel and WPS open it right."""
    path = Path(path)
    lines = _rows(meeting)
    if path.suffix.lower() == ".xlsx":
        write_through(path, lambda tmp: _write_xlsx(tmp, lines))
        return path
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([[guard_csv(c) for c in line] for line in lines])
    write_atomically(path, buf.getvalue().encode("utf-8-sig"), private=False)  # with the BOM
    return path


_WIDTHS = {"会议编号": 22, "姓名": 10, "公民身份号码": 21, "出勤情况": 10, "请假原因": 24, "单位": 24}


def _write_xlsx(tmp: Path, lines: list[list[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "出勤"
    for i, row in enumerate(lines, start=1):
        for j, value in enumerate(row, start=1):
            set_cell(ws, i, j, value or None)
    bold = Font(bold=True)
    for j, column in enumerate(COLUMNS, start=1):
        ws.cell(row=1, column=j).font = bold
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = _WIDTHS[column]
        if column in ("会议编号", "公民身份号码"):
            dim.number_format = "@"  # typed in as text: Excel would turn an ID number into 3.20102E+17
    ws.freeze_panes = "A2"
    letter = get_column_letter(COLUMNS.index("出勤情况") + 1)
    dv = DataValidation(type="list", formula1=f'"{",".join(rules.ATTENDANCE_STATUSES)}"', allow_blank=True)
    dv.add(f"{letter}2:{letter}5000")
    ws.add_data_validation(dv)
    notes = wb.create_sheet("填写说明")  # passed over on import: it has no header
    notes.column_dimensions["A"].width = 110
    notes.append(["出勤导入模板填写说明"])
    notes["A1"].font = bold
    for n, line in enumerate(NOTES, start=1):
        notes.append([f"{n}、{line}"])
    wb.save(tmp)
