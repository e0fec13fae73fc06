"""The formula guard every spreadsheet writer and reader shares.

A member named ``=HYPERLINK(...)`` or ``=cmd|' /c calc'!A1`` must reach the
spreadsheet as text no program evaluates. In XLSX that is an explicit string
cell (never a ``<f>`` formula element); in CSV, which has no types, it is the
usual leading apostrophe. Readers take the apostrophe off again, so an export
followed by an import changes nothing. The guard is a bijection: text that
already starts with apostrophes before a trigger gets one more, and the reader
removes exactly one.
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_guard(text: str) -> bool:
    return text.lstrip("'")[:1] in TRIGGERS and text.lstrip("'") != ""


def guard_csv(value: Any) -> Any:
    """A CSV cell: text starting with = + - @ tab or CR (after any apostrophes) gets a leading apostrophe."""
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unguard_csv(value: Any) -> Any:
    """Undo guard_csv: one leading apostrophe comes off when a trigger follows the apostrophes."""
    if isinstance(value, str) and value[:1] == "'" and _needs_guard(value[1:]):
        return value[1:]
    return value


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in TRIGGERS


# XML 1.0 cannot hold these: openpyxl refuses the whole workbook over one of them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(value: Any) -> Any:
    """Text an XLSX can hold: a control character (only in data stored before entry refused them)
    is written as its \\xNN escape, so one old record cannot make every export fail."""
    if isinstance(value, str) and _XML_ILLEGAL.search(value):
        return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m[0]):02x}", value)
    return value


def xlsx_cell(ws: Any, value: Any) -> Any:
    """A value to append to a write-only sheet `ws`: text that looks like a formula becomes an explicit string cell."""
    value = xml_safe(value)
    if not is_formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would otherwise write "=..." as a formula
    return cell


def set_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """ws.cell(row, column, value) for a normal worksheet, with formula-like text kept as a string."""
    value = xml_safe(value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
    return cell
