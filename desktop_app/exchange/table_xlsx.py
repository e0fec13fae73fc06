"""A list as the user sees it, as one XLSX sheet: a title row, the column titles frozen, then the rows.

The rows come as the cell texts a list page shows (already masked for the account), so the sheet
can hold nothing the screen did not. Texts are typed back so the sheet is worked with like any
other: an ISO date becomes a date, an amount in a 元 column (1,524.99) an exact Decimal shown with
two decimals, a column of plain counts numbers. A code with a leading zero stays text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.exchange.cells import set_cell
from desktop_app.files import write_atomically

YUAN_FORMAT = "#,##0.00;[Red]-#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"[-+]?¥?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*(?:元)?")
_COUNT = re.compile(r"0|[1-9]\d{0,8}")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_ROW = 3  # title, when it was made, then the column titles


def sheet_name(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    return _SHEET_FORBIDDEN.sub("_", title).strip("'")[:31] or "Sheet1"


def _money_column(header: str) -> bool:
    return "元" in header or "金额" in header


def _as_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _as_amount(text: str) -> Decimal | None:
    m = _AMOUNT.fullmatch(text.strip())
    if m is None:
        return None
    sign = "-" if text.strip().startswith("-") else ""
    return Decimal(sign + m.group(1).replace(",", "") + (m.group(2) or "")).quantize(Decimal("0.01"))


def _kind(header: str, texts: list[str]) -> str:
    """How a column is written: "date", "money", "count" when every filled cell reads so, else "text"."""
    filled = [t.strip() for t in texts if t and t.strip()]
    if not filled:
        return "text"
    if all(_as_date(t) for t in filled):
        return "date"
    if _money_column(header) and all(_as_amount(t) is not None for t in filled):
        return "money"
    if all(_COUNT.fullmatch(t) for t in filled):
        return "count"
    return "text"


def _typed(kind: str, text: str) -> Any:
    t = (text or "").strip()
    if not t:
        return None
    if kind == "date":
        return _as_date(t)
    if kind == "money":
        return _as_amount(t)
    if kind == "count":
        return int(t)
    return text


def _width(header: str, texts: list[str], kind: str) -> float:
    """Characters wide: the longest of the title and a sample of cells (a CJK character counts two), capped."""
    if kind == "date":
        return 12
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in t) for t in [header, *texts[:500]] if t), default=8)
    return min(max(longest + 2, 8), 50)


def table_workbook(title: str, made: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Workbook:
    """One sheet named after `title`: the title, `made` (导出时间 …), the headers frozen under them, the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(title.split("（")[0])
    set_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    set_cell(ws, 2, 1, made)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E6E6E6")
    columns = [[(r[i] if i < len(r) else "") or "" for r in rows] for i in range(len(headers))]
    kinds = [_kind(h, texts) for h, texts in zip(headers, columns)]
    for col, (header, texts, kind) in enumerate(zip(headers, columns, kinds), start=1):
        cell = set_cell(ws, HEADER_ROW, col, header)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = _width(header, texts, kind)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, kind in enumerate(kinds, start=1):
            cell = set_cell(ws, r, col, _typed(kind, row[col - 1] if col - 1 < len(row) else ""))
            if kind == "date":
                cell.number_format = DATE_FORMAT
            elif kind == "money":
                cell.number_format = YUAN_FORMAT
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    if headers:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{HEADER_ROW + max(len(rows), 1)}"
    return wb


def table_bytes(title: str, made: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The sheet as the bytes of an .xlsx file, for a caller that puts the file in place itself."""
    buffer = BytesIO()
    table_workbook(title, made, headers, rows).save(buffer)
    return buffer.getvalue()


def export_table(title: str, made: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
                 out: Path | str) -> int:
    """Write the sheet to `out` (.xlsx) atomically; returns the number of rows written."""
    write_atomically(Path(out), table_bytes(title, made, headers, rows), private=False)
    return len(rows)
