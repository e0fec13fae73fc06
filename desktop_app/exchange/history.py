"""Reading the rows of a history import (发展党员, 三会一课, 居民, 台账) into typed values and cell errors.

Each import declares its fields (template column -> key and cell type); this
module reads the sheet with exchange.sheets (mapping, notes and totals,
guessed columns) and turns each data row into values plus the cells that would
not parse, named by row and column. What the rows mean is the service's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain import idcard
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import parse_date, parse_yes_no
from desktop_app.domain.money import parse_yuan
from desktop_app.exchange import sheets
from desktop_app.views.imports import Mapping
from desktop_app.views.roster import RowError


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return shown(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", out):
        raise ValueError("含有控制字符")
    return out


def _blank_number(value: Any, refusal: str) -> bool:
    """A number cell left empty; a TRUE/FALSE cell is refused with `refusal` (Python counts it as 1/0)."""
    if isinstance(value, bool):
        raise ValueError(refusal)
    return value is None or (isinstance(value, str) and not value.strip())


def count(value: Any) -> int | None:
    if _blank_number(value, "应为整数"):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("不能为负数")
        return value
    t = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("人").removesuffix("名")
    if re.fullmatch(r"\d{1,6}", t):
        return int(t)
    raise ValueError("应为整数")


def id_number(value: Any) -> str:
    if isinstance(value, float):
        raise ValueError("单元格是数字格式，号码已被 Excel 改变，请把该列设为“文本”后重新填写")
    t = re.sub(r"\s+", "", text(value)).lstrip("'").upper()
    if not t:
        return ""
    if not idcard.is_valid(t):
        raise ValueError("不是有效的 18 位公民身份号码（位数或校验码不对）")
    return t


_BRACKETED = re.compile(r"[(（]\s*([^()（）-]+?)\s*[)）]")


def fen(value: Any) -> int | None:
    """An amount in 元 as a sheet holds it (1234.5, ¥1,234.50, -80) -> integer fen; blank -> None."""
    if _blank_number(value, "应为金额"):
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))  # the number as Excel shows it, never a binary fraction
    if isinstance(value, str) and (m := _BRACKETED.fullmatch(value.strip())):
        value = "-" + m[1]  # (300.00): a negative amount as Excel's 会计 format and accountants write it
    try:
        return parse_yuan(value, allow_negative=True)
    except ValidationError as exc:
        raise ValueError(exc.message) from None


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": text, "date": parse_date, "count": count, "id": id_number, "yes_no": parse_yes_no, "fen": fen,
}


@dataclass(frozen=True)
class Row:
    row_number: int
    values: dict[str, Any]  # key -> parsed value (None/"" when blank or the column is absent)
    shown: dict[str, str]  # template column -> the cell as written, for messages
    errors: list[RowError]


def refusals(row: Row) -> tuple[list[RowError], Callable[..., None]]:
    """A row's refusals, starting with its unreadable cells, and `fail(column, reason, value=None)`,
    which adds one naming the cell as the file wrote it (or `value`, e.g. a masked ID number)."""
    found = list(row.errors)

    def fail(column: str, reason: str, value: str | None = None) -> None:
        found.append(RowError(row.row_number, column, row.shown.get(column, "") if value is None else value, reason))

    return found, fail


def unknown_org(names: Sequence[str], noun: str = "党组织", none_yet: str = "党组织", *,
                may_leave_empty: bool = False, shown: int = 8) -> str:
    """The refusal of an organisation a file names that the database does not have: the ones it
    has (`names`, a few, then 等 N 个) and what to do, so the worker can correct the cell."""
    names = list(dict.fromkeys(names))  # every branch may have a 第一党小组: each name once
    if not names:
        return f"本单位还没有{none_yet}：请先在“党组织”页新建" + ("，或把这一列留空" if may_leave_empty else "")
    listed = "、".join(names[:shown]) + (f" 等 {len(names)} 个" if len(names) > shown else "")
    return f"没有这个{noun}（现有：{listed}）：请改成其中之一（也可写路径或组织代码），或先在“党组织”页新建"


@dataclass(frozen=True)
class Parsed:
    table: sheets.Table
    rows: list[Row]


def parse(spec: sheets.Spec, fields: dict[str, tuple[str, str]], path: str | Path,
          mapping: Mapping | None = None, sheet: str | None = None) -> Parsed:
    """`fields`: template column -> (key, parser name). Absent columns give None / ""."""
    from desktop_app.domain.errors import DomainError

    table = sheets.read_table(spec, path, mapping, sheet)
    if missing := table.missing(spec.required):
        raise DomainError(
            f"{table.name}：缺少“{'、'.join(missing)}”列（表头在第 {table.header_row} 行）。"
            f"请使用{spec.title}导入模板，或用列映射（--map）说明哪一列是它；--show-columns 列出各列的读法"
        )
    columns = table.columns
    rows: list[Row] = []
    for row_no, cells in table.rows:
        values: dict[str, Any] = {}
        seen: dict[str, str] = {}
        errors: list[RowError] = []
        for column, (key, kind) in fields.items():
            i = columns.get(column)
            raw = None if i is None else sheets.decode(spec, mapping, column, cells[i])
            seen[column] = shown(None if i is None else cells[i])
            try:
                values[key] = PARSERS[kind](raw)
            except ValueError as exc:
                values[key] = None
                errors.append(RowError(row_no, column, seen[column], str(exc)))
            if values[key] is None and kind == "text":
                values[key] = ""
        rows.append(Row(row_no, values, seen, errors))
    return Parsed(table, rows)
