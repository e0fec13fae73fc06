"""How synced rows travel as text: which tables go, and one exact text form per column type.

Which tables travel is found at run time: every table on the metadata whose
rows carry the SyncMixin columns, in foreign-key order, so a module added later
travels with no change to sync code. `site` is identity, not data; local
accounts (password hashes) never leave the database.

The text forms are the package's wire format (the CSV cells), and also what a
kept conflict stores as JSON, so both ends read a value back exactly.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, MetaData, Numeric, String, Table, Time

from desktop_app.store import schema

SYNC_COLUMNS = ("id", "created_at", "updated_at", "updated_by_site", "version", "deleted")
NOT_SYNCED = frozenset({"site", "app_user"})  # identity and local accounts (password hashes) never travel


# --- which tables travel ----------------------------------------------------------

def is_synced(table: Table) -> bool:
    return table.name not in NOT_SYNCED and all(c in table.c for c in SYNC_COLUMNS)


def synced_tables(metadata: MetaData | None = None) -> list[Table]:
    """Every synced table, referenced tables before the ones that point at them."""
    if metadata is None:
        metadata = schema.metadata  # every module's tables
    return [t for t in metadata.sorted_tables if is_synced(t)]


def self_references(table: Table) -> list[str]:
    """Columns of a table that point at the same table (organization.parent_id …)."""
    return [
        fk.parent.name for fk in table.foreign_keys if fk.column.table is table
    ]


# --- values as text -----------------------------------------------------------------
# One text form per column type, exact both ways. NULL is `\N`; a text that
# starts with a backslash gets one more in front, so "" and NULL stay apart.

NULL = "\\N"


class BadValue(ValueError):
    """A text that is not a value of its column's type."""


def _enc_text(v: Any) -> str:
    s = str(v)
    return "\\" + s if s.startswith("\\") else s


def _dec_text(s: str) -> str:
    return s[1:] if s.startswith("\\") else s


def _dec_int(s: str) -> int:
    t = s.lstrip("-")
    if not t.isdigit() or not t.isascii():
        raise BadValue(f"“{s}”不是整数")
    return int(s)


def _dec_bool(s: str) -> bool:
    if s == "1":
        return True
    if s == "0":
        return False
    raise BadValue(f"“{s}”不是 0 或 1")


def _enc_datetime(v: datetime) -> str:
    return v.isoformat(sep=" ", timespec="microseconds")


def _dec_datetime(s: str) -> datetime:
    return datetime.fromisoformat(s)


def _dec_date(s: str) -> date:
    if len(s) != 10:
        raise BadValue(f"“{s}”不是日期")
    return date.fromisoformat(s)


def _enc_time(v: time) -> str:
    return v.isoformat(timespec="microseconds")


def _enc_float(v: float) -> str:
    return repr(float(v))


def _enc_bytes(v: bytes) -> str:
    return base64.b64encode(v).decode("ascii")


def _enc_json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


Codec = tuple[Callable[[Any], str], Callable[[str], Any]]

_CODECS: list[tuple[type, Codec]] = [
    (Boolean, (lambda v: "1" if v else "0", _dec_bool)),
    (DateTime, (_enc_datetime, _dec_datetime)),
    (Date, (lambda v: v.isoformat(), _dec_date)),
    (Time, (_enc_time, time.fromisoformat)),
    (Integer, (lambda v: str(int(v)), _dec_int)),  # BigInteger, SmallInteger too: money in fen
    (Float, (_enc_float, float)),
    (Numeric, (lambda v: str(Decimal(v)), Decimal)),
    (LargeBinary, (_enc_bytes, lambda s: base64.b64decode(s, validate=True))),
    (JSON, (_enc_json, json.loads)),
    (String, (_enc_text, _dec_text)),  # Text, Enum …
]


class UnsupportedColumn(Exception):
    """A column type sync does not know how to carry: add it to _CODECS (a test finds it)."""


def codec_for(column) -> Codec:
    for kind, codec in _CODECS:
        if isinstance(column.type, kind):
            return codec
    raise UnsupportedColumn(f"{column.table.name}.{column.name}: {column.type!r}")


def encode_value(codec: Codec, value: Any) -> str:
    return NULL if value is None else codec[0](value)


def decode_value(codec: Codec, text: str) -> Any:
    """Text back to the column's value; raises ValueError with a short reason."""
    if text == NULL:
        return None
    return codec[1](text)


def row_to_texts(table: Table, row: dict) -> dict[str, str]:
    """A row as column -> text (what a conflict keeps as JSON)."""
    return {c.name: encode_value(codec_for(c), row.get(c.name)) for c in table.columns}


def texts_to_row(table: Table, texts: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in table.columns:
        if c.name in texts:
            out[c.name] = decode_value(codec_for(c), texts[c.name])
    return out
