"""What differs between SQLite (a street's file) and PostgreSQL (a district's server), in one place.

Services and the sync merge call these helpers instead of asking which engine
they run on. SQLite has one writer at a time (BEGIN IMMEDIATE takes its write
lock); PostgreSQL lets many write at once, so work that must happen one at a
time (appending to an audit chain, importing a site's packages) takes a
transaction-level advisory lock there, released by the commit or rollback.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def is_postgresql(conn) -> bool:
    return conn.dialect.name == "postgresql"


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock number for `name` (the same in every process and version)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


def serialize(conn, name: str) -> None:
    """Until this transaction ends, whoever else serializes on `name` waits (PostgreSQL).

    SQLite needs nothing: its writers already take turns on the one write lock.
    """
    if is_postgresql(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})


def lock_for_import(s: Session) -> None:
    """One package merged into this database at a time (PostgreSQL); SQLite's write lock does the same.

    Reading, decrypting, verifying and decoding a package happen before, in
    parallel; the merge itself waits its turn, since packages from different
    communities still share rows (the dues rates, the street's own records)
    whose uniqueness a concurrent merge could not see. The second operator
    importing the same package waits for the first one's commit, then finds
    it imported and does nothing.
    """
    serialize(s.connection(), "sync-import")


def tells_changes(engine) -> bool:
    """Can data_version() say when anything committed to this database (an in-memory cache's check)?"""
    return engine.dialect.name == "postgresql" or (engine.dialect.name == "sqlite" and ":memory:" not in str(engine.url))


def data_version(dialect_name: str, dbapi_conn) -> object:
    """A value that changes whenever another connection's commit becomes visible (compare with ==).

    SQLite: PRAGMA data_version of a connection that never writes. PostgreSQL: the
    current snapshot (xmin:xmax:in-progress ids), which changes exactly when a writing
    transaction starts or ends, and says which commits a read made now would see.
    """
    cur = dbapi_conn.cursor()
    try:
        if dialect_name == "postgresql":
            cur.execute("SELECT pg_current_snapshot()::text")
        else:
            cur.execute("PRAGMA data_version")
        return cur.fetchone()[0]
    finally:
        cur.close()
