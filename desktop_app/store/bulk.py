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


def new_ids(n: int) -> list[str]:
    """`n` random ids as store.base.new_id() makes them (UUID version 4 text), without a UUID object each."""
    out = []
    raw = os.urandom(16 * n).hex()
    for k in range(0, 32 * n, 32):
        h = raw[k:k + 32]
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return out


def _converted(conn: Connection, table: Table, name: str, values: Sequence[Any], memo: dict) -> Sequence[Any]:
    process = table.c[name].type._cached_bind_processor(conn.dialect)
    if process is None:
        return values
    try:
        for v in dict.fromkeys(values):
            if v not in memo:
                memo[v] = process(v)
    except TypeError:  # an unhashable value: convert one by one
        return [process(v) for v in values]
    return [memo[v] for v in values]


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
        sql = str(insert(table).compile(dialect=conn.dialect, column_keys=names))
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
def indexes_built_after(conn: Connection, table: Table, adding: int) -> Iterator[None]:
    """Around a bulk insert of `adding` rows: on SQLite, when they outnumber the rows there, drop the table's
    indexes first and create them again (the very same statements) after the insert, inside the transaction
    the caller has begun (BEGIN IMMEDIATE), so that a failure or a rollback brings them back."""
    if (conn.dialect.name != "sqlite" or adding < REBUILD_MIN_ROWS
            or not getattr(conn.connection.dbapi_connection, "in_transaction", False)):
        # Outside a transaction the driver would commit each DROP INDEX at once: no rebuild then.
        yield
        return
    present = conn.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar() or 0
    if present > adding:
        yield
        return
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,),
    ).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
