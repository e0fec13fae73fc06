"""Declarative base and the sync columns every synced table carries.

The columns are kept by a `before_flush` listener (`stamp_sync_columns`, which
every Database attaches to its own sessions when it opens), never by callers: a new row
gets a UUID, timestamps, the writing site and version 1; a changed row gets a
new `updated_at`, the writing site and version + 1. Bulk inserts (demo data,
imports) go through `sync_values()` so they carry the same columns.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, MetaData, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.sql import operators
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SITE_KEY = "site_id"  # Session.info key naming the site that writes


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


# Keys, sequence numbers (序号), byte sizes, row counts and money kept in one column: 64-bit on
# PostgreSQL, whose INTEGER stops at 2^31 - 1. SQLite's INTEGER is already 64-bit, and its DDL stays
# INTEGER so that `INTEGER PRIMARY KEY` remains the rowid alias and new files match migrated ones.
BigInt = BigInteger().with_variant(Integer(), "sqlite")


class _Likely(FunctionElement):
    """A condition true for nearly every row: SQLite is told so (likelihood 0.9375); others see it bare."""

    # No Boolean type: SQLAlchemy would write `likelihood(...) = 1` on SQLite, which hides the term
    inherit_cache = True
    name = "likely"


@compiles(_Likely)
def _likely_bare(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(_Likely, "sqlite")
def _likely_sqlite(element, compiler, **kw):
    return f"likelihood({compiler.process(element.clauses.clauses[0], **kw)}, 0.9375)"


class Flag(Boolean):
    """A NOT NULL tombstone flag whose "not deleted" test SQLite can plan with.

    `col.is_(False)` is written `col = 0` inside likelihood(…, 0.9375) on SQLite (`col = false` on
    PostgreSQL). Written as SQLAlchemy's `col IS 0` it never matched a partial index's `WHERE deleted
    = 0` (SQLite needs the very term), and without statistics SQLite took it for selective and walked
    the whole of ix_member_roster (first column `deleted`) for a lookup by ID number or branch. For a
    column that holds no NULL, `IS` and `=` mean the same."""

    cache_ok = True

    class comparator_factory(Boolean.Comparator):
        def operate(self, op, *other, **kwargs):
            if len(other) == 1 and isinstance(other[0], bool) and op in (operators.is_, operators.is_not):
                wanted = other[0] if op is operators.is_ else not other[0]
                if wanted:  # deleted rows: few, let SQLite count on it
                    return super().operate(operators.eq, True)
                return _Likely(super().operate(operators.eq, False))
            return super().operate(op, *other, **kwargs)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncMixin:
    """UUID key, timestamps, writing site, version counter and tombstone."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_site: Mapped[str] = mapped_column(String(36), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # No index: false on nearly every row, it selects nothing, and SQLite would pick it over a useful one.
    deleted: Mapped[bool] = mapped_column(Flag, default=False)


class StoredFileMixin:
    """A file copied into the data folder (services/attachments): the name the user gave, where it is kept, size, hash.

    List it before SyncMixin: its columns then follow the table's own, as the migrations made them.
    """

    file_name: Mapped[str] = mapped_column(String(200))  # as the user named it
    stored_name: Mapped[str] = mapped_column(String(200))  # under data_dir()/attachments
    size: Mapped[int] = mapped_column(BigInt, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")


def sync_values(site_id: str, now: datetime | None = None) -> dict:
    """Sync columns for one row written through a bulk insert."""
    now = now or utcnow()
    return {
        "id": new_id(),
        "created_at": now,
        "updated_at": now,
        "updated_by_site": site_id,
        "version": 1,
        "deleted": False,
    }


def stamp_sync_columns(session: Session, flush_context, instances) -> None:
    """before_flush: new and changed synced rows get their sync columns (site from session.info)."""
    site = session.info.get(SITE_KEY, "")
    now = utcnow()
    # Rows made in one flush get created_at a microsecond apart, in the order they were added:
    # histories ordered by it (a visit's two steps of one day) read back in that order on
    # PostgreSQL too, which, unlike SQLite's rowid scan, returns equal keys in any order.
    # (A flush of n rows takes far longer than n microseconds, so the next flush is still later.)
    for i, obj in enumerate(session.new):
        if isinstance(obj, SyncMixin):
            obj.id = obj.id or new_id()
            obj.created_at = obj.created_at or now + timedelta(microseconds=i)
            obj.updated_at = now
            obj.updated_by_site = site
            obj.version = 1
            obj.deleted = bool(obj.deleted)
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now
            obj.updated_by_site = site
            obj.version = (obj.version or 0) + 1
    for obj in session.deleted:
        if isinstance(obj, SyncMixin):
            # Synced rows are never removed: a delete must be a tombstone, so
            # another copy learns of it. Refuse hard deletes loudly.
            raise RuntimeError(
                f"{type(obj).__name__} is synced; set deleted=True instead of session.delete()"
            )
