"""Spreadsheets made for other systems: find the header, skip note and total rows, guess what each column is.

A center's files were made as import templates of other party-management
systems: a title row, instruction rows under the data ("填写注意事项：…"), a
合计 row, blank rows in the middle, headers we do not know (证件号码,
所在党支部编码), and the same header meaning something else (one system's
党籍状态 holds 正式党员/预备党员). This module reads such a sheet into rows of
template columns for one import (a `Spec`): by the user's mapping first, then
by header aliases, then by what the cells hold (a column of valid 18-digit ID
numbers is 公民身份号码 whatever its name). It knows files only; which rows
are valid and what they change is for the import's service.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import parse_date
from desktop_app.exchange import legacy_sheets, safety, xlsx_fast
from desktop_app.exchange.cells import unguard_csv
from desktop_app.views.imports import (
    ROW_COUNTER, ROW_COUNTER_HEADERS, ColumnPlan, ColumnsReport, Mapping, Skipped, header_key, hidden_column_line,
)

HEADER_SEARCH_ROWS = 12  # title rows and a note or two may stand above the header
_SAMPLE_ROWS = 300  # rows looked at to guess a column by its content
_FIT = 0.8  # share of a column's values that must fit a guess
MAX_CODE = 60  # longest value offered for value mapping


def signature(header: list[str]) -> str:
    """The header's fingerprint: the same layout (whatever the data) gets the same saved mapping."""
    keys = "|".join(header_key(h) for h in header if header_key(h))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Spec:
    """What one import reads: its template columns and how to recognise and decode them."""

    kind: str  # members, development, meetings, residents, ledger
    title: str  # 党员信息 …, for messages
    columns: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # header_key -> column
    required: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # coded columns and their values
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # built-in value codes per column
    id_column: str | None = None  # where a column of ID numbers goes
    mobile_column: str | None = None  # where a column of mobile numbers goes
    date_keywords: tuple[tuple[str, str], ...] = ()  # (part of a header, date column), for date columns only
    template: str = ""  # the shipped template's file name

    def alias(self, header: Any) -> str | None:
        key = header_key(header)
        return key if key in self.columns else self.aliases.get(key)


# ---------------------------------------------------------------- what a row is

_TOTAL = re.compile(r"^(合计|总计|小计|累计|共计)[:：]?$")
_NOTE_START = re.compile(r"^(填写|填表|注意|注[:：]|说明|备注[:：]|提示|[0-9０-９]+\s*[、.．]|[一二三四五六七八九十]+、|[（(][0-9一二三]+[)）])")


def _filled(cells: list[Any]) -> list[tuple[int, Any]]:
    return [(i, c) for i, c in enumerate(cells) if c is not None and not (isinstance(c, str) and not c.strip())]


_TOTAL_FIRST = tuple("合总小累共")
# A label and a colon that sign a sheet off, never the start of a member's row (a name has no colon).
_SIGNED = re.compile(r"^(制表|填表|填报|审核|审批|负责|联系|经办|统计|报送|单位|盖章|日期)(人|日期|时间|单位)?\s*[:：]")
_SIGNED_FIRST = tuple("制填审负联经统报日单盖")


def skip_reason(cells: list[Any]) -> str | None:
    """Why a row is not data: a note (only text in the first cells, long or numbered) or a total row."""
    why = _row_kind(cells)
    return None if why == _BLANK else why


_BLANK = "空行"


def _row_kind(cells: list[Any]) -> str | None:
    """skip_reason, and 空行 for a blank row; on every row of a 100,000-row file a data row leaves after a
    count of its first three cells and three looks."""
    for c in cells[:4]:  # a 合计 label stands at the left
        if (type(c) is str and (c.startswith(_TOTAL_FIRST) or (c[:1].isspace() and c.lstrip().startswith(_TOTAL_FIRST)))
                and _TOTAL.match(re.sub(r"\s+", "", c))):
            return "合计行"
    for c in cells[:4]:  # the foot of a hand-made register: 制表人：王小红 … 日期：2026年12月1日
        if c is None or c == "":
            continue
        if (type(c) is str and c.lstrip().startswith(_SIGNED_FIRST) and _SIGNED.match(c.lstrip())
                and all(type(v) is str for _, v in _filled(cells))):
            return "落款行"
        break
    n = 0
    for c in cells:
        if c is not None and c != "" and (type(c) is not str or c.strip()):
            n += 1
            if n > 2:
                return None
    filled = _filled(cells)
    if not filled:
        return _BLANK
    if len(filled) <= 2 and all(i <= 2 for i, _ in filled) and all(isinstance(c, str) for _, c in filled):
        first = str(filled[0][1]).strip()
        if _NOTE_START.match(first) or any(_prose(str(c)) for _, c in filled):
            return "说明行"
    return None


def _prose(text: str) -> bool:
    """A sentence, not a value: long, with several Chinese characters (an ID number or an address line is not)."""
    text = text.strip()
    return len(text) >= 15 and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 8 and bool(re.search(r"[，。；：、,;:]", text))


# ---------------------------------------------------------------- guessing a column by its content

def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _is_id(value: Any) -> bool:
    if isinstance(value, float):
        return False  # Excel has already damaged it
    text = re.sub(r"\s+", "", _plain(value)).lstrip("'").upper()
    return len(text) == 18 and idcard.is_valid(text)


def _is_mobile(value: Any) -> bool:
    return bool(re.fullmatch(r"1[3-9]\d{9}", re.sub(r"[\s-]", "", _plain(value))))


def _is_date(value: Any) -> bool:
    if isinstance(value, (datetime, date)):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 10_000 <= value <= 80_000  # an Excel serial between 1927 and 2119; smaller numbers are counts
    text = _plain(value)
    if not re.search(r"\d{4}", text):
        return False
    try:
        return parse_date(text) is not None
    except ValueError:
        return False


def _fits(values: list[Any], test) -> bool:
    return bool(values) and sum(1 for v in values if test(v)) >= _FIT * len(values)


def content_kind(values: list[Any]) -> str | None:
    """公民身份号码 / 手机号码 / 日期 when nearly all the column's values are one, else None."""
    if _fits(values, _is_id):
        return "公民身份号码"
    if _fits(values, _is_mobile):
        return "手机号码"
    if _fits(values, _is_date):
        return "日期"
    return None


# ---------------------------------------------------------------- the plan: what each column fills

def decode(spec: Spec, mapping: Mapping | None, column: str, value: Any) -> Any:
    """A cell of `column` after the user's value mapping, then the built-in codes (1/2 → 男/女 …)."""
    return decoder(spec, mapping, column)(value)


def decoder(spec: Spec, mapping: Mapping | None, column: str):
    """decode() for one column, its tables merged once: the member import calls it on every coded cell."""
    table = dict(spec.codes.get(column, {}))
    if mapping is not None:
        table.update(mapping.values.get(column, {}))
    if not table:
        return lambda value: value
    for plain in (*spec.choices.get(column, ()), *table.values()):
        table.setdefault(plain, plain)  # the values already right are found at the first look
    get = table.get

    def one(value: Any) -> Any:
        if type(value) is str:  # nearly every cell
            found = get(value)
            if found is not None:
                return found
            text = value.strip()
            found = get(text) if text else None
            if found is None and text and not text.isascii():
                found = get(unicodedata.normalize("NFKC", text))
            return value if found is None else found
        if value is None or isinstance(value, (bool, datetime, date)):
            return value
        found = get(_plain(value))
        return value if found is None else found

    return one


def _choice_share(spec: Spec, mapping: Mapping | None, column: str, values: list[Any]) -> float:
    allowed = spec.choices[column]
    return sum(1 for v in values if _plain(decode(spec, mapping, column, v)) in allowed) / max(len(values), 1)


def plan_columns(spec: Spec, header: list[str], rows: list[list[Any]], mapping: Mapping | None = None) -> list[ColumnPlan]:
    """Each source column's target: the user's mapping, else its header, else its content; one source per target."""
    sample_rows = rows[:_SAMPLE_ROWS]
    values = [[r[i] for r in sample_rows if i < len(r) and _filled([r[i]])] for i in range(len(header))]
    wanted: list[tuple[str | None, str, int]] = []  # (target, how, rank): lower rank wins a clash
    for i, h in enumerate(header):
        vals = values[i]
        kind = content_kind(vals)
        if mapping is not None and (found := mapping.target_of(h)) is not None:
            target = found[1]
            wanted.append((target, "映射" if target else "映射为不导入", 0))
            continue
        alias = spec.alias(h)
        if kind == "公民身份号码" and spec.id_column:
            wanted.append((spec.id_column, "按内容（身份证号码）", 1))
        elif alias and alias in spec.choices and vals and not _choice_share(spec, mapping, alias, vals):
            # Not one value is a 党籍状态: the other system meant something else by this header.
            other = next((c for c in spec.choices if c != alias and _choice_share(spec, mapping, c, vals) >= _FIT), None)
            if other:
                wanted.append((other, f"按内容（表头是“{h}”，内容是{other}）", 2))
            else:
                shown = "、".join(dict.fromkeys(_plain(v) for v in vals[:3]))
                wanted.append((None, f"内容（{shown}）不是{alias}，不导入", 9))
        elif alias:
            wanted.append((alias, "模板列名" if header_key(h) == alias else "别名", 2))
        elif header_key(h).lower() in ROW_COUNTER_HEADERS:
            wanted.append((None, ROW_COUNTER, 8))
        elif kind == "手机号码" and spec.mobile_column:
            wanted.append((spec.mobile_column, "按内容（手机号码）", 3))
        elif kind == "日期" and (target := next((c for k, c in spec.date_keywords if k in header_key(h)), None)):
            wanted.append((target, "按表头和内容（日期）", 3))
        elif vals and (coded := next((c for c in spec.choices if _choice_share(spec, mapping, c, vals) >= _FIT), None)):
            wanted.append((coded, f"按内容（{coded}）", 4))
        elif h:
            wanted.append((None, "未识别" + ("（是日期）" if kind == "日期" else ""), 9))
        else:
            wanted.append((None, "无表头", 9))
    taken: dict[str, int] = {}
    for rank in sorted({w[2] for w in wanted}):
        for i, (target, _how, r) in enumerate(wanted):
            if r == rank and target and target not in taken:
                taken[target] = i
    plans = []
    for i, (target, how, _r) in enumerate(wanted):
        clashes = None
        if target and taken.get(target) != i:
            how, target, clashes = f"与第 {taken[target] + 1} 列重复（{target}），不导入", None, target
        samples = tuple(dict.fromkeys(_plain(v)[:30] for v in values[i][:12]))[:3]
        distinct = tuple(dict.fromkeys(_plain(v)[:MAX_CODE] for v in values[i]))
        coded = len(distinct) <= 30 and not any(isinstance(v, (date, datetime)) for v in values[i][:5])
        plans.append(ColumnPlan(i, header[i], target, how, samples, distinct if coded else (), clashes))
    return plans


# ---------------------------------------------------------------- reading a file into records

@dataclass(frozen=True)
class Records:
    name: str  # the file (and sheet) for messages
    records: list[list[Any]]  # every row, blank ones as []
    sheets: tuple[str, ...]  # a workbook's sheet names
    sheet: str  # the sheet read ("" for CSV)
    hidden: tuple[int, ...] = ()  # rows the sheet hides, by hand or by its filter (an .xlsx's only)
    hidden_columns: tuple[int, ...] = ()  # columns (0-based) the sheet hides (an .xlsx's only)


def _first_line(text: str) -> str:
    """The first non-blank line, from the head of the text when it is there (not a list of 100,000 lines)."""
    head = text[:65536]
    lines = head.splitlines()
    whole = len(head) == len(text)
    for k, line in enumerate(lines):
        if line.strip():
            if whole or k < len(lines) - 1:  # the head's last line may go on past it
                return line
            break
    else:
        if whole:
            return ""
    return next((ln for ln in text.splitlines() if ln.strip()), "")


_INTERN_LIMIT = 2048  # distinct values a column may show before it is taken for one of unique values


def _read_csv(path: Path) -> Records:
    safety.check_file_size(path)
    text = safety.decode_text(path.name, path.read_bytes())
    if "\x00" in text:
        raise DomainError(f"{path.name}：不是文本格式的 CSV 文件")
    first_line = _first_line(text)
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    records: list[list[Any]] = []
    guarded = "'" in text  # no apostrophe anywhere: no formula guard to take off
    # One object per distinct value of a column (汉族, 正式党员 ... 100,000 times over is 100,000 strings
    # otherwise); a column that shows many distinct values (names, ID numbers) is left as read.
    memos: list[dict | None] = []
    try:
        for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if len(row) > safety.MAX_COLUMNS:
                del row[safety.MAX_COLUMNS + 1:]
            if guarded:
                row = [unguard_csv(c) for c in row]
            if n > safety.MAX_ROWS or len(row) > safety.MAX_COLUMNS or max(map(len, row), default=0) > safety.MAX_CELL_CHARS:
                safety.check_row(path.name, n, row)
            if len(memos) < len(row):
                memos.extend({} for _ in range(len(row) - len(memos)))
            records.append([c if m is None else m.setdefault(c, c) for m, c in zip(memos, row)])
            if not n % 1024:
                memos = [None if m is None or len(m) > _INTERN_LIMIT else m for m in memos]
    except csv.Error as exc:
        raise DomainError(f"{path.name}：CSV 格式有误（{exc}）") from None
    del text, memos
    safety.check_cells(path.name, records)
    return Records(path.name, records, (), "")


# What a damaged workbook raises from openpyxl, lxml/ElementTree (ParseError is a
# SyntaxError) and zipfile/zlib: each becomes a DomainError naming the file.
BROKEN = (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError,
          SyntaxError, EOFError, zlib.error, OverflowError, UnicodeError, LookupError)
_NO_CELLS: list[Any] = []  # shared by every blank row; never mutated


def sheet_records(name: str, ws) -> list[list[Any]]:
    """A sheet's rows, read one by one: the declared dimension is ignored, the limits are not."""
    ws.reset_dimensions()  # a sheet that declares A1:XFD1048576 must not make us pad to it
    records: list[list[Any]] = []
    last = 0  # index after the last row with content: blank rows below it are dropped
    empty: Any = None  # openpyxl yields one shared tuple for every missing row
    rows = ws.iter_rows(values_only=True, max_col=safety.MAX_COLUMNS + 1)
    if merges := _merges_down(ws):  # filled as the fast reader fills them: one file, one reading
        rows = xlsx_fast.fill_down(rows, merges)
    for n, r in enumerate(rows, start=1):
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


_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=["']\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})["']""")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def _merges_down(ws) -> list[tuple[int, int, int]]:
    """A read-only sheet's merges down one column as (first row, last row, column), 0-based, read from its
    XML (read-only mode has no merged_cells; the mergeCells come after the data, so the part is streamed).
    A sheet whose XML cannot be scanned is read as stored."""
    try:
        with ws._get_source() as fh:  # the part openpyxl itself reads the rows from
            found = []
            for data in safety.xml_chunks(fh):
                if b"mergeCell" in data:
                    found.extend(_MERGE.findall(data))
    except (*BROKEN, OSError, AttributeError):
        return []
    merges = []
    for c0, r0, c1, r1 in found:
        c, first, last = _column_index(c0), int(r0) - 1, int(r1) - 1
        if last > first and c == _column_index(c1) and c < safety.MAX_COLUMNS:
            merges.append((first, last, c))
    return merges


def reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _as_openpyxl(c: Any) -> Any:
    """A calamine cell as openpyxl gives it: empty None, a whole number int, a date a datetime at midnight.

    A number of 15 digits or more stays a float: calamine has already lost its tail, and the ID number
    reader must see that it was stored as a number (an exact 18-digit integer from openpyxl is trusted).
    """
    if c == "" and type(c) is str:
        return None
    if type(c) is float and c.is_integer() and abs(c) < 1e15:
        return int(c)
    if type(c) is date:
        return datetime(c.year, c.month, c.day)
    return c


_STR = {str}


def calamine_records(name: str, rows) -> list[list[Any]]:
    """sheet_records() for the rows calamine gives (every row padded with "" to the block's width)."""
    records: list[list[Any]] = []
    last = 0
    widest = 0
    memos: list[dict | None] = []
    limit = safety.MAX_CELL_CHARS
    for n, r in enumerate(rows, start=1):
        k = len(r)
        while k and (r[k - 1] == "" or r[k - 1] is None):  # an empty cell is "" here, None from openpyxl
            k -= 1
        if not k:
            records.append(_NO_CELLS)
            continue
        text_only = set(map(type, r)) == _STR  # (an empty cell is "") as most rows of a roster are
        if (n > safety.MAX_ROWS or k > safety.MAX_COLUMNS
                or (max(map(len, r)) > limit if text_only else any(type(c) is str and len(c) > limit for c in r))):
            del r[k:]
            safety.check_row(name, n, r)
            del r[safety.MAX_COLUMNS:]
            k = len(r)
        widest = max(widest, k)
        if len(memos) < len(r):
            memos.extend({} for _ in range(len(r) - len(memos)))
        # Text as one object per distinct value of its column (see _read_csv); anything else as openpyxl has it.
        # The row keeps its empty cells on the right (as None): cut to the widest row below, not padded again.
        if text_only:
            records.append([(c if m is None else m.setdefault(c, c)) if c else None for m, c in zip(memos, r)])
        else:
            records.append([(c if m is None else m.setdefault(c, c)) if type(c) is str and c
                            else (None if type(c) is str else _as_openpyxl(c)) for m, c in zip(memos, r)])
        if not n % 1024:
            memos = [None if m is None or len(m) > _INTERN_LIMIT else m for m in memos]
        last = n
    del records[last:]
    for r in records:
        if len(r) > widest:
            del r[widest:]
    return safety.rectangular(name, records)


def _read_fast(path: Path, sheet: str | None, pick, scanned: bool = False) -> Records | None:
    """_read_xlsx through calamine, when exchange.xlsx_fast vouches for the workbook; None otherwise.
    (`scanned`: an .xls or .ods that legacy_sheets has vouched for.)"""
    opened = xlsx_fast.open_scanned(path) if scanned else xlsx_fast.open_sheets(path)
    if opened is None:
        return None
    names, rows_of = opened
    if sheet is not None and sheet not in names:
        raise DomainError(f"{path.name}：没有名为“{sheet}”的工作表（有：{'、'.join(names)}）")
    first: Records | None = None
    for title in ([sheet] if sheet is not None else names):
        rows = rows_of(title)
        if rows is None:  # calamine refused this sheet: openpyxl reads the workbook and says why
            if scanned and sheet is None:
                continue  # an .xls or .ods has no other reader: a sheet calamine cannot lay out (a chart) is passed over
            return None
        try:
            records = calamine_records(f"{path.name}［{title}］", rows)
        except DomainError:
            raise
        except BaseException as exc:  # noqa: BLE001 - calamine failed mid-sheet: openpyxl reads it and says why
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return None
        del rows
        found = Records(f"{path.name}［{title}］", records, names, title)
        if sheet is not None or pick(records):
            return found
        first = first or found
    return first


def _read_xlsx(path: Path, sheet: str | None, pick) -> Records:
    """The sheet named `sheet`, else the first sheet `pick(records)` accepts (a notes sheet may come first),
    with the rows it hides: neither reader leaves them out, and the worker may not know they are there."""
    if legacy_sheets.renamed_text(path):  # a CSV saved under .xlsx, as Excel opens it
        return _read_csv(path)
    safety.check_xlsx_zip(path)
    found = _read_workbook(path, sheet, pick)
    rows, columns = xlsx_fast.hidden_parts(path, found.sheet)
    return replace(found, hidden=rows, hidden_columns=columns)


def _read_workbook(path: Path, sheet: str | None, pick) -> Records:
    if (fast := _read_fast(path, sheet, pick)) is not None:
        return fast
    from openpyxl import load_workbook  # heavy: imported when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise
    except (*BROKEN, InvalidFileException, OSError) as exc:  # zipfile says OSError of some damaged entries
        raise DomainError(f"{path.name}：不是有效的 Excel（.xlsx）文件（{reason(exc)}）") from None
    try:
        names = tuple(ws.title for ws in wb.worksheets)
        if sheet is not None:
            if sheet not in names:
                raise DomainError(f"{path.name}：没有名为“{sheet}”的工作表（有：{'、'.join(names)}）")
            sheets = [wb[sheet]]
        else:
            sheets = list(wb.worksheets)
        first: Records | None = None
        for ws in sheets:
            records = sheet_records(f"{path.name}［{ws.title}］", ws)
            found = Records(f"{path.name}［{ws.title}］", records, names, ws.title)
            if sheet is not None or pick(records):
                return found
            first = first or found
        if first is None:
            raise DomainError(f"{path.name}：工作簿中没有工作表")
        return first
    except BROKEN as exc:
        raise DomainError(f"{path.name}：Excel 文件已损坏，无法读取（{reason(exc)}）") from None
    finally:
        wb.close()


_OLD_KINDS = {".xls": "Excel 97-2003（.xls）", ".ods": "OpenDocument 表格（.ods）"}


def _read_old(path: Path, sheet: str | None, pick) -> Records:
    """An .xls or .ods, through calamine once legacy_sheets has scanned it (no other reader: a refusal is final)."""
    suffix = path.suffix.lower()
    (legacy_sheets.check_xls if suffix == ".xls" else legacy_sheets.check_ods)(path)
    if (found := _read_fast(path, sheet, pick, scanned=True)) is not None:
        return found
    if not xlsx_fast.available():
        raise DomainError(f"{path.name}：本机缺少读取{_OLD_KINDS[suffix]}文件的组件，请另存为 .xlsx 后再导入")
    if sheet is not None:
        raise DomainError(f"{path.name}：工作表“{sheet}”无法读取（是图表，或已损坏），请选择其他工作表")
    raise DomainError(f"{path.name}：{_OLD_KINDS[suffix]}文件已损坏或没有工作表，无法读取。"
                      "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入")


def read_records(path: str | Path, sheet: str | None = None, pick=lambda records: True) -> Records:
    """Every row of a CSV, or of one sheet of a workbook (by name, else the first `pick` accepts)."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path.name}：文件不存在")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            if sheet:
                raise DomainError(f"{path.name}：CSV 文件没有工作表，不能用 --sheet")
            return _read_csv(path)
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, sheet, pick)
        if suffix in _OLD_KINDS:
            return _read_old(path, sheet, pick)
    except PermissionError:
        raise DomainError(f"{path.name}：文件被占用或没有读取权限，请关闭 Excel/WPS 后重试") from None
    if suffix == ".et":
        raise DomainError(f"{path.name}：WPS 表格（.et）文件请在 WPS 中另存为 .xlsx 后再导入")
    raise DomainError(f"{path.name}：只能导入 .xlsx、.xls、.ods 或 .csv 文件")


# ---------------------------------------------------------------- a sheet as rows of template columns

@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    header_row: int  # spreadsheet row number of the header
    plan: list[ColumnPlan]
    rows: list[tuple[int, list[Any]]]  # (row number, cells padded to the header) of data rows
    skipped: list[Skipped]
    sheets: tuple[str, ...]
    sheet: str
    title: str = ""  # the rows above the header (a register's 2025年度党费收缴登记表), their cells joined
    hidden: tuple[int, ...] = ()  # the data rows the sheet hides (imported all the same: the preview says so)
    hidden_columns: tuple[int, ...] = ()  # the header's columns (0-based) the sheet hides, read as any other

    def hidden_column_lines(self) -> tuple[str, ...]:
        """The hidden columns the import reads (a 身份证号 column a worker hid is imported with the rest, and she
        may not know it is there), by letter, header and field; the ones left out need no word."""
        if not self.hidden_columns:
            return ()
        hidden = set(self.hidden_columns)
        return tuple(hidden_column_line(self.sheet, p) for p in self.plan if p.target and p.index in hidden)

    @property
    def columns(self) -> dict[str, int]:
        """Template column -> cell index."""
        return {p.target: p.index for p in self.plan if p.target}

    @property
    def signature(self) -> str:
        return signature(self.header)

    def missing(self, required: tuple[str, ...]) -> list[str]:
        return [c for c in required if c not in self.columns]


def _header_score(spec: Spec, mapping: Mapping | None, cells: list[Any]) -> int:
    score = 0
    for c in cells:
        if c is None or not str(c).strip():
            continue
        if spec.alias(c) or (mapping is not None and mapping.target_of(str(c).strip()) is not None):
            score += 1
    return score


def find_header(spec: Spec, mapping: Mapping | None, records: list[list[Any]]) -> int | None:
    """Index of the header row among the first rows: the one naming the most known columns."""
    best, best_score = None, 0
    for i, rec in enumerate(records[:HEADER_SEARCH_ROWS]):
        if not rec or skip_reason(rec):
            continue
        score = _header_score(spec, mapping, rec)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        # No header we know: the first row of two or more labels, so that content and a mapping can still read it.
        best = next((i for i, rec in enumerate(records[:HEADER_SEARCH_ROWS])
                     if rec and not skip_reason(rec) and len(_filled(rec)) >= 2
                     and all(isinstance(c, str) and not _is_date(c) and not _is_id(c) for _, c in _filled(rec))), None)
    return best


def _cell_text(c: Any) -> str:
    return "" if c is None else str(c).strip()


def table_from_records(spec: Spec, found: Records, mapping: Mapping | None = None) -> Table:
    records = found.records
    if not any(_filled(r) for r in records):
        raise DomainError(f"{found.name}：文件是空的，没有表头也没有数据")
    at = find_header(spec, mapping, records)
    if at is None:
        raise DomainError(
            f"{found.name}：找不到表头（前 {HEADER_SEARCH_ROWS} 行中没有一行含两个以上认得的列名）。"
            f"请使用{spec.title}导入模板，或用列映射（--map）说明各列"
        )
    header = [_cell_text(c) for c in records[at]]
    width = len(header)
    rows: list[tuple[int, list[Any]]] = []
    skipped: list[Skipped] = []
    for offset, rec in enumerate(records[at + 1:]):
        row_no = at + 2 + offset
        if why := _row_kind(rec):
            if why != _BLANK:  # a blank row in the middle does not end the data
                text = " ".join(_cell_text(c) for _, c in _filled(rec))
                skipped.append(Skipped(row_no, why, text if len(text) <= 40 else text[:40] + "…"))
            continue
        rows.append((row_no, rec if len(rec) == width else list(rec[:width]) + [None] * (width - len(rec))))
    plan = plan_columns(spec, header, [r for _, r in rows], mapping)
    title = " ".join(_cell_text(c) for rec in records[:at] for _, c in _filled(rec))
    hidden = set(found.hidden)
    return Table(found.name, header, at + 1, plan, rows, skipped, found.sheets, found.sheet, title[:200],
                 tuple(n for n, _ in rows if n in hidden) if hidden else (),
                 tuple(i for i in found.hidden_columns if i < width))


def read_table(spec: Spec, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None) -> Table:
    """A file's data rows with the plan of its columns (which are the import's, which are ignored)."""
    def pick(records: list[list[Any]]) -> bool:
        return find_header(spec, mapping, records) is not None

    return table_from_records(spec, read_records(path, sheet, pick), mapping)


def report(spec: Spec, table: Table, saved: Mapping | None = None) -> ColumnsReport:
    """--show-columns and the mapping step: the plan with what one may map to."""
    return ColumnsReport(
        kind=spec.kind, file_name=table.name, sheet=table.sheet, sheets=table.sheets, header_row=table.header_row,
        data_rows=len(table.rows), plan=tuple(table.plan), skipped=tuple(table.skipped),
        signature=table.signature, targets=spec.columns, required=spec.required,
        coded=dict(spec.choices), saved=saved,
    )
