"""Tables of sync, and how every synced table's values travel as text.

None of these tables is synced itself: they are this database's own memory of
its street key, its peers, what it agreed with each of them row by row, the
conflicts a person still has to decide, and the packages it made and took.

Which tables travel is found at run time: every table on the metadata whose
rows carry the SyncMixin columns, in foreign-key order, so a module added later
travels with no change to sync code. `site` is identity, not data.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, DateTime, Float, Index, Integer, LargeBinary, MetaData, Numeric, String,
    Table, Text, Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, new_id, utcnow

SYNC_COLUMNS = ("id", "created_at", "updated_at", "updated_by_site", "version", "deleted")
NOT_SYNCED = frozenset({"site", "app_user"})  # identity and local accounts (password hashes) never travel


class SyncIdentity(Base):
    """This database's part in sync (one row): its role and the street's key."""

    __tablename__ = "sync_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    role: Mapped[str] = mapped_column(String(16))  # street | community
    key_b64: Mapped[str] = mapped_column(String(64))  # 32 random bytes, base64
    fingerprint: Mapped[str] = mapped_column(String(32))
    street_site_id: Mapped[str] = mapped_column(String(36), default="")
    street_org_code: Mapped[str] = mapped_column(String(32), default="")
    street_org_name: Mapped[str] = mapped_column(String(60), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncPeer(Base):
    """A site this database exchanges packages with: at the street, every community it heard from."""

    __tablename__ = "sync_peer"

    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), default="community")
    org_code: Mapped[str] = mapped_column(String(32), default="")
    org_name: Mapped[str] = mapped_column(String(60), default="")
    org_id: Mapped[str | None] = mapped_column(String(36), default=None)  # its root organisation
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_package_id: Mapped[str] = mapped_column(String(36), default="")
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_package_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)  # when it was made
    last_imported_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_size: Mapped[int] = mapped_column(BigInteger, default=0)
    last_rows: Mapped[int] = mapped_column(Integer, default=0)
    last_counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: rows per table in the last package
    packages: Mapped[int] = mapped_column(Integer, default=0)


class SyncRowState(Base):
    """The stamp of a row this database last took from a peer (the base of conflict detection)."""

    __tablename__ = "sync_row_state"
    # One row per merged row at the street (millions): on SQLite the table is its
    # own primary-key index (WITHOUT ROWID), one B-tree written per row, not two.
    __table_args__ = ({"sqlite_with_rowid": False},)

    peer_site: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    site: Mapped[str] = mapped_column(String(36))
    agreed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The peer brought this row here first: at the street, a community's own rows
    # (what the street sends down to one community leaves out the others').
    introduced: Mapped[bool] = mapped_column(Boolean, default=False)
    # Our own stamp of the row when we took the peer's, where the two differ: the
    # same content reached both ends under two stamps (rows seeded with fixed ids).
    local_version: Mapped[int | None] = mapped_column(Integer, default=None)
    local_site: Mapped[str | None] = mapped_column(String(36), default=None)


class SyncConflict(Base):
    """A row changed at both ends since they last agreed, kept with both sides until a person decides."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_row", "table_name", "row_id", "peer_site"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    peer_site: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    package_id: Mapped[str] = mapped_column(String(36), default="")
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    local_version: Mapped[int] = mapped_column(Integer)
    local_site: Mapped[str] = mapped_column(String(36))
    incoming_version: Mapped[int] = mapped_column(Integer)
    incoming_site: Mapped[str] = mapped_column(String(36))
    local_json: Mapped[str] = mapped_column(Text)  # column -> text value (see encode_value)
    incoming_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open / resolved / superseded
    resolution: Mapped[str] = mapped_column(String(12), default="")  # local / incoming / superseded
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(40), default="")


class SyncExport(Base):
    """A package this database made; `confirmed_at` once the street said it merged it."""

    __tablename__ = "sync_export"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # upstream / downstream
    seq: Mapped[int] = mapped_column(Integer, index=True)
    to_site: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    since: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    until: Mapped[datetime] = mapped_column(DateTime)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    plain: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: rows per table
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class SyncImport(Base):
    """A package this database merged (the first time; importing it again changes nothing)."""

    __tablename__ = "sync_import"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    from_site: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # when the sender made it
    until: Mapped[datetime] = mapped_column(DateTime)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: table -> decision -> n


# --- which tables travel ----------------------------------------------------------

def is_synced(table: Table) -> bool:
    return table.name not in NOT_SYNCED and all(c in table.c for c in SYNC_COLUMNS)


def synced_tables(metadata: MetaData | None = None) -> list[Table]:
    """Every synced table, referenced tables before the ones that point at them."""
    if metadata is None:
        from desktop_app.store.schema import metadata as full  # every module's tables

        metadata = full
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
