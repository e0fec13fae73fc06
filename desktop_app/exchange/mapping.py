"""The column and value mapping a user gives for a file made for another system.

`{"columns": {"source header": "template header or null"}, "values":
{"template header": {"source value": "value"}}}`: null ignores the column.
A mapping comes from a JSON file (`--map MAP.json`), from the import dialog or
from the database (saved under the header signature); it is checked the same
way wherever it comes from, so a hostile file is refused with a clear message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DomainError
from desktop_app.views.imports import Mapping, header_key  # noqa: F401  re-exported

MAX_BYTES = 1024 * 1024
MAX_ENTRIES = 5000
MAX_TEXT = 200


def to_json(mapping: Mapping) -> str:
    return json.dumps(mapping.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise DomainError(f"{where}：应为文字")
    if len(value) > MAX_TEXT or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
        raise DomainError(f"{where}：太长或含控制字符")
    return value.strip()


def parse_mapping(data: Any, allowed: tuple[str, ...], name: str = "列映射") -> Mapping:
    """A Mapping from decoded JSON; every target must be one of `allowed` (the import's template columns)."""
    if not isinstance(data, dict):
        raise DomainError(f"{name}：应为 {{\"columns\": {{…}}, \"values\": {{…}}}} 形式的 JSON 对象")
    unknown = set(data) - {"columns", "values"}
    if unknown:
        raise DomainError(f"{name}：不认得的键 {'、'.join(sorted(map(str, unknown)))}（只能有 columns 和 values）")
    columns_in = data.get("columns", {}) or {}
    values_in = data.get("values", {}) or {}
    if not isinstance(columns_in, dict) or not isinstance(values_in, dict):
        raise DomainError(f"{name}：columns 和 values 都应为 JSON 对象")
    if len(columns_in) + sum(len(v) if isinstance(v, dict) else 0 for v in values_in.values()) > MAX_ENTRIES:
        raise DomainError(f"{name}：条目过多（最多 {MAX_ENTRIES} 条）")
    columns: dict[str, str | None] = {}
    for source, target in columns_in.items():
        source = _text(f"{name} columns 的列名", source)
        if target is None or target == "":
            columns[source] = None
            continue
        target = _text(f"{name} columns[“{source}”]", target)
        if target not in allowed:
            raise DomainError(f"{name}：“{source}”映射到的“{target}”不是可导入的列（可用：{'、'.join(allowed)}）")
        columns[source] = target
    values: dict[str, dict[str, str]] = {}
    for column, table in values_in.items():
        column = _text(f"{name} values 的列名", column)
        if column not in allowed:
            raise DomainError(f"{name}：values 中的“{column}”不是可导入的列")
        if not isinstance(table, dict):
            raise DomainError(f"{name}：values[“{column}”] 应为 {{\"原值\": \"新值\"}} 形式")
        values[column] = {_text(f"{name} values[“{column}”] 的原值", k): _text(f"{name} values[“{column}”][“{k}”]", v)
                          for k, v in table.items()}
    return Mapping(columns, values)


def load_mapping(path: str | Path, allowed: tuple[str, ...]) -> Mapping:
    """A mapping JSON file (UTF-8, with or without BOM)."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path.name}：映射文件不存在")
    if path.stat().st_size > MAX_BYTES:
        raise DomainError(f"{path.name}：映射文件过大")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(f"{path.name}：不是有效的 JSON（{exc}）") from None
    return parse_mapping(data, allowed, path.name)


def mapping_from_json(text: str, allowed: tuple[str, ...], name: str = "列映射") -> Mapping:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(f"{name}：不是有效的 JSON（{exc}）") from None
    return parse_mapping(data, allowed, name)
