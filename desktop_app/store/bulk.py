"""Writing 100,000 rows at once: column by column through the driver, indexes built once afterwards.

An ORM object or a Core insert of dicts converts every value of every row on
its own (a date to text, a bool to 0/1), which for an import of 100,000
members costs more than the writing. Here each column's values are converted
once per distinct value with the column type's own bind processor (so a date
is stored exactly as SQLAlchemy stores it) and the rows go to the driver's
executemany as tuples, in batches.

On SQLite a big load into a small table drops that table's indexes and builds
them again after the rows are in: one sort per index instead of 100,000
random b-tree insertions into each of ten indexes. It all happens inside the
caller's transaction, so a failure restores them, and a unique index refuses
a duplicate when it is built, still inside that transaction. A server
database keeps its indexes (dropping one there locks the table for readers).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desktop_app.store import scope

BATCH = 5000  # rows per executemany: the tuples of one batch exist at a time
REBUILD_MIN_ROWS = 10_000  # below this, inserting into the indexes is quick enough


_VERSION_BITS = bytes.fromhex("00000000000040008000000000000000")  # version 4, variant RFC 4122
_KEEP_BITS = bytes.fromhex("ffffffffffff0fff3fffffffffffffff")
_TIMED_BITS = bytes.fromhex("70008000000000000000")  # after the 6 bytes of time: version 7, variant RFC 4122
_TIMED_KEEP = bytes(6) + bytes.fromhex("0fff3fffffffffffffff")
_last_ms = 0  # the time in the last ordered ids: the next ones sort after them even if the clock steps back


def new_ids(n: int, ordered: bool = False) -> list[str]:
    """`n` random ids (UUID text, 36 characters), without a UUID object each.

    Unordered: as store.base.new_id() makes them (version 4). `ordered`: in the UUID version 7 layout
    (RFC 9562: 48-bit Unix time in milliseconds, then 74 random bits), sorted, and after every id made
    this way before, so that rows written in this order append to the primary key's b-tree. With random
    ids a file of 100,000 members lands all over a big roster's primary key, and each file rewrites
    every page of it: the cost of a file grew with the roster (an import of ten files of 100,000).
    The time an id shows is the row's created_at, which the row carries and syncs anyway.
    """
    global _last_ms
    if n <= 0:
        return []
    if ordered:
        _last_ms = max(time.time_ns() // 1_000_000, _last_ms + 1)
        keep, bits = _TIMED_KEEP * n, (_last_ms.to_bytes(6, "big") + _TIMED_BITS) * n
    else:
        keep, bits = _KEEP_BITS * n, _VERSION_BITS * n
    # The version and variant bits (and the time) set on all the bytes at once, as one big integer.
    raw = int.from_bytes(os.urandom(16 * n), "big") & int.from_bytes(keep, "big")
    h = (raw | int.from_bytes(bits, "big")).to_bytes(16 * n, "big").hex()
    out = [f"{h[k:k + 8]}-{h[k + 8:k + 12]}-{h[k + 12:k + 16]}-{h[k + 16:k + 20]}-{h[k + 20:k + 32]}"
           for k in range(0, 32 * n, 32)]
    if ordered:
        out.sort()
    return out


def _converted(conn: Connection, table: Table, name: str, values: Sequence[Any], memo: dict) -> Sequence[Any]:
    process = table.c[name].type._cached_bind_processor(conn.dialect)
    if process is None:
        return values
    try:
        missing = set(values).difference(memo)  # the values not met in an earlier batch
    except TypeError:  # an unhashable value: convert one by one
        return [process(v) for v in values]
    memo.update(zip(missing, map(process, missing)))
    return list(map(memo.__getitem__, values))


def _literal(value: Any) -> str | None:
    """`value` as SQLite reads it in a statement's text, for the plain types a bind processor gives; else None."""
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


_INT = {int}


def _statement(conn: Connection, table: Table, names: list[str], lists: list[Sequence[Any]],
               n: int) -> tuple[str, list[Sequence[Any]]]:
    """The INSERT for these columns and the columns left to bind. On SQLite a column holding one value in
    every row (the sync stamps, a file's 汉族 or 正式党员 throughout) is written into the statement's text
    once: binding it to 100,000 rows costs about a third of the driver's time."""
    if conn.dialect.name != "sqlite" or conn.dialect.paramstyle != "qmark":
        return str(insert(table).compile(dialect=conn.dialect, column_keys=names)), lists
    quote = conn.dialect.identifier_preparer.quote
    slots, bound = [], []
    for values in lists:
        first = values[0]
        # (the last and middle values first: most columns that vary show it there, without a full count)
        same = values[-1] == first and values[n // 2] == first and values.count(first) == n
        text = _literal(first) if same else None
        if text is None or (type(first) is int and set(map(type, values)) != _INT):
            slots.append("?")  # (1 == True == 1.0: a column mixing them is bound as it is)
            bound.append(values)
        else:
            slots.append(text)
    if not bound:  # every column constant: one stays bound, so that there are n rows to write
        slots[0], bound = "?", [lists[0]]
    columns = ", ".join(quote(name) for name in names)
    sql = f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} ({columns}) VALUES ({', '.join(slots)})"
    return sql, bound


def insert_columns(session: Session, table: Table, columns: dict[str, Sequence[Any]], n: int,
                   memo: dict[str, dict] | None = None) -> int:
    """Insert `n` rows given as column name -> values (each of length n); returns n.

    `memo` (column -> value -> stored form) carries the conversions over from one call to the next.
    """
    if not n:
        return 0
    conn = session.connection()
    names = [c.name for c in table.columns if c.name in columns]
    if conn.dialect.positional and not scope.root_of(session):
        memo = {} if memo is None else memo
        lists = [_converted(conn, table, name, columns[name], memo.setdefault(name, {})) for name in names]
        sql, lists = _statement(conn, table, names, lists, n)
        rows = zip(*lists)
        while batch := list(islice(rows, BATCH)):
            conn.exec_driver_sql(sql, batch)  # the driver's executemany; its errors come wrapped as SQLAlchemy's
        return n
    # A named paramstyle (psycopg), or an account confined to a subtree (whose every insert the session's
    # scope checks): Core's executemany through the session, which converts the values itself.
    rows_iter = (dict(zip(names, r)) for r in zip(*(columns[name] for name in names)))
    while batch := list(islice(rows_iter, BATCH)):
        session.execute(insert(table), batch)
    return n


@contextmanager
def indexes_built_after(conn: Connection, table: Table, adding: int) -> Iterator[bool]:
    """Around a bulk insert of `adding` rows: on SQLite, when they outnumber the rows there, drop the table's
    indexes first and create them again (the very same statements) after the insert, inside the transaction
    the caller has begun (BEGIN IMMEDIATE), so that a failure or a rollback brings them back.

    Gives whether it does: when not, each row goes into every index as it is written, and the order of
    the rows decides how scattered those insertions are."""
    if (conn.dialect.name != "sqlite" or adding < REBUILD_MIN_ROWS
            or not getattr(conn.connection.dbapi_connection, "in_transaction", False)):
        # Outside a transaction the driver would commit each DROP INDEX at once: no rebuild then.
        yield False
        return
    present = conn.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar() or 0
    if present > adding:
        yield False
        return
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,),
    ).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield True
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
