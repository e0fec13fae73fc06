"""What differs between SQLite (a street's file) and PostgreSQL (a district's server), in one place.

Services and the sync merge call these helpers instead of asking which engine
they run on. SQLite has one writer at a time (BEGIN IMMEDIATE takes its write
lock); PostgreSQL lets many write at once, so work that must happen one at a
time (appending to an audit chain, importing a site's packages) takes a
transaction-level advisory lock there, released by the commit or rollback.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select, text
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


def lock_for_import(s: Session, sender: str) -> None:
    """One package of a sender merged at a time (PostgreSQL); SQLite's write lock already allows only one.

    Reading, decrypting, verifying and decoding a package happen before, in
    parallel; so do merges of different senders. A second operator importing
    the same package (the same sender) waits for the first one's commit, then
    finds it imported and does nothing. What different senders' merges may
    both touch is kept safe without taking turns: each sender's agreed stamps,
    conflicts and peer row are its own; the audit chain takes its own lock
    (store.audit); a row both insert (a reference list's fixed id) or both
    change (a member handed over) makes one of them fail as `contended`, and
    that merge is decided again on what the other committed.
    """
    serialize(s.connection(), "sync-import:" + sender)


def read_one_moment(s: Session) -> None:
    """On a server, let every read of the session's transaction see the database as of one moment.

    REPEATABLE READ, set before the session's first statement. SQLite needs a
    read transaction for the same (a deferred BEGIN: store.db.take_read_snapshot,
    or sync.merge.begin for a merge's plan), which this leaves to the caller.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.connection(execution_options={"isolation_level": "REPEATABLE READ"})


_CONTENDED = frozenset({
    "23505",  # unique_violation: the same new row inserted by another transaction meanwhile
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
})


def contended(exc: BaseException) -> bool:
    """Did `exc` come from another transaction's concurrent write, so that trying again may succeed?

    Only on a server: SQLite's one writer never races another.
    """
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) in _CONTENDED


_IN_CHUNK = 5000  # ids per IN (...) on SQLite (at most 32766 variables)


def rows_in(conn, sql_head: str, ids: list, params: tuple = ()) -> list[tuple]:
    """Rows of `sql_head ... IN (ids)`, straight through the driver; "?" marks `params` in `sql_head`.

    SQLite: chunks of qmark IN lists (no bind object per id). PostgreSQL: one
    `= ANY(array)` parameter, so a lookup of 50,000 ids is one short statement
    rather than a query text of 50,000 placeholders the driver has to parse.
    """
    if not ids:
        return []
    if is_postgresql(conn):
        return conn.exec_driver_sql(sql_head.replace("?", "%s") + " = ANY(%s)", (*params, list(ids))).fetchall()
    out: list[tuple] = []
    for k in range(0, len(ids), _IN_CHUNK):
        part = ids[k:k + _IN_CHUNK]
        marks = ", ".join(["?"] * len(part))
        out.extend(conn.exec_driver_sql(f"{sql_head} IN ({marks})", (*params, *part)).fetchall())
    return out


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


def conditions_in(conn, key, values: Collection[str], chunk: int = 500) -> Iterator:
    """`key IN values` as conditions to look rows up by, one query each. On SQLite one: the values go as one
    JSON array that json_each reads back, and SQLite looks each up in the key's index within the one
    statement (100,000 ID numbers against 900,000 members: 0.07 s of CPU, against 0.25-0.29 s as IN lists of
    500, each built, bound and run apart). Elsewhere IN lists of `chunk`, sorted."""
    wanted = sorted(values)
    if conn.dialect.name == "sqlite":
        yield key.in_(select(func.json_each(json.dumps(wanted)).table_valued("value").c.value))
        return
    for k in range(0, len(wanted), chunk):
        yield key.in_(wanted[k:k + chunk])


# --- SQLite's write-ahead log while a street merges a pile of packages ------------------

WAL_CAP_BYTES = 1 << 30
"""How far the WAL may grow while a batch merges before it is copied into the file (1 GiB).

SQLite checkpoints by default once the WAL passes 1,000 pages (4 MB), so after every
package of a batch: each package's new random-UUID keys touch nearly every leaf of the
id indexes, and every such checkpoint copies those pages into the file again, with an
fsync. Held to this cap, a page changed by several packages is copied once. The cap is
disk space on the street's PC: the WAL file stays at most about the cap plus one package
until the batch ends, when it is copied and cut back to nothing.
"""

_WAL_KEY = "dangqun_wal_autocheckpoint"  # on a pooled connection's record: the setting to give back


def _give_back(dbapi_conn, record) -> None:
    """checkin: a connection lent to a batch gets its own checkpoint setting back before anyone else has it."""
    old = record.info.pop(_WAL_KEY, None)
    if old is not None and dbapi_conn is not None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA wal_autocheckpoint = {int(old)}")
        finally:
            cur.close()


@contextmanager
def checkpoints_deferred(engine) -> Iterator[None]:
    """While the block runs, SQLite copies its WAL into the file only past WAL_CAP_BYTES; all of it at the end.

    Every connection taken from the pool meanwhile (the merge's, and any the
    window reads with) checkpoints at the cap; each gets its own setting back when
    it returns to the pool, so nothing outlives the block, whether it commits, is
    refused or cancelled. Each package is still its own commit: a crash mid-batch
    leaves a WAL that SQLite replays at the next open, the packages before it whole.
    PostgreSQL: nothing to do (its own checkpoints do not follow a program's commits).
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    if not event.contains(engine, "checkin", _give_back):
        event.listen(engine, "checkin", _give_back)

    def lend(dbapi_conn, record, _proxy) -> None:
        if _WAL_KEY in record.info:
            return
        cur = dbapi_conn.cursor()
        try:
            old = cur.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            pages = max(1000, WAL_CAP_BYTES // cur.execute("PRAGMA page_size").fetchone()[0])
            cur.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        finally:
            cur.close()
        record.info[_WAL_KEY] = old

    event.listen(engine, "checkout", lend)
    try:
        yield
    finally:
        event.remove(engine, "checkout", lend)
        _truncate_wal(engine)


def _truncate_wal(engine) -> None:
    """Copy the whole WAL into the file and cut it to nothing (a reader still in it: copied as far as it may).

    Best effort: the packages are committed by then, and a WAL left over (disk full,
    say) is copied at SQLite's next checkpoint. On the driver's own cursor, as SQLite
    itself would checkpoint: no write of ours, so nothing waits for the file's check.
    """
    try:
        with engine.connect() as conn:
            cur = conn.connection.dbapi_connection.cursor()
            try:
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                cur.close()
    except Exception:  # noqa: BLE001 - not the batch's failure: see above
        pass
