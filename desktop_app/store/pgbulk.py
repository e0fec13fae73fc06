"""Many rows to PostgreSQL in one stream: COPY, not one INSERT or UPDATE per row.

An executemany sends each row as a statement of its own (pipelined, but the
server still binds, plans and executes each, and SQLAlchemy converts each
row's dict): for a district merging packages of 200,000 rows that is most of
the merge. Here the rows go through COPY: straight into the table for new
rows, or into a temporary table from which one INSERT ... SELECT or
UPDATE ... FROM writes them all. The rows go in COPY's binary form, typed
by the target's columns: values must be what those types hold in Python
(str, int, bool, date, naive datetime, time), as sync.decode makes them.
Everything runs on the caller's connection, inside its transaction; a
refused row (a unique key, a foreign key) fails the statement, as an
executemany would. SQLite has no COPY: callers use executemany there
(sync.merge, store.bulk).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import count
from typing import Any

from sqlalchemy import Boolean, Table
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

_names = count()


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _processors(conn: Connection, table: Table, columns: Sequence[str]) -> list:
    """Each column's bind processor, None where the value goes to COPY as it is.

    A boolean's (every synced table's `deleted`) only checks and coerces the value to bool, and
    the driver writes a binary flag from a bool or a 0 or 1 alike: run per row in Python it made
    every row a list and a call per flag, 2-4% of the client's CPU in a merge.
    """
    native = conn.dialect.supports_native_boolean
    return [None if native and isinstance(table.c[c].type, Boolean) else
            table.c[c].type._cached_bind_processor(conn.dialect) for c in columns]


def _copy(conn: Connection, target: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], procs: list) -> int:
    """COPY `rows` (tuples in `columns` order) into `target` (already quoted); how many went."""
    raw = conn.connection.driver_connection
    cols = ", ".join(_quote(conn, c) for c in columns)
    n = 0
    convert = [(k, p) for k, p in enumerate(procs) if p is not None]
    sql = f"COPY {target} ({cols}) FROM STDIN (FORMAT BINARY)"
    try:
        with raw.cursor() as cur:
            # Binary rows: the server parses no text (timestamps, numbers, flags) and the driver formats
            # each row in C, a fifth of the text form's cost; both need the columns' types, which an
            # empty select of them tells (one round trip per COPY).
            cur.execute(f"SELECT {cols} FROM {target} LIMIT 0")
            types = [d.type_code for d in cur.description]
            with cur.copy(sql) as cp:
                cp.set_types(types)
                write = cp.write_row
                for row in rows:
                    if convert:
                        row = list(row)
                        for k, p in convert:
                            row[k] = p(row[k])
                    write(row)
                    n += 1
    except conn.dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy raises the driver's errors (IntegrityError ...)
        raise DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from None
    return n


def copy_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """New rows into `table`, as they are; how many."""
    return _copy(conn, _quote(conn, table.name), columns, rows, _processors(conn, table, columns))


def _staging(conn: Connection, table: Table, columns: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> str:
    """A temporary table with `table`'s `columns` (and `extra` (name, SQL type) ones), dropped at commit."""
    name = f"merge_stage_{next(_names)}"
    t = _quote(conn, table.name)
    # One statement, the extra columns typed NULLs of the select: no ALTER TABLE (and round trip) per column.
    cols = ", ".join([*(_quote(conn, c) for c in columns),
                      *(f"CAST(NULL AS {sql_type}) AS {_quote(conn, col)}" for col, sql_type in extra)])
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT {cols} FROM {t} WITH NO DATA")
    return name


def copy_update(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                key: str = "id", guard: Sequence[str] = ()) -> tuple[int, int]:
    """Overwrite existing rows of `table` (matched on `key`); (rows sent, rows written).

    `guard` names columns whose value each row expects to find there now: the
    row's tuple carries them after `columns`; a row whose stored values differ
    (another transaction changed it since it was read) is not written, so the
    caller sees fewer rows written than sent.
    """
    types = {c: table.c[c].type.compile(conn.dialect) for c in guard}
    stage = _staging(conn, table, columns, [(f"was_{c}", types[c]) for c in guard])
    procs = _processors(conn, table, columns) + _processors(conn, table, guard)
    sent = _copy(conn, stage, [*columns, *(f"was_{c}" for c in guard)], rows, procs)
    q = lambda c: _quote(conn, c)  # noqa: E731
    sets = ", ".join(f"{q(c)} = s.{q(c)}" for c in columns if c != key)
    where = " AND ".join([f"t.{q(key)} = s.{q(key)}", *(f"t.{q(c)} IS NOT DISTINCT FROM s.{q('was_' + c)}"
                                                        for c in guard)])
    written = conn.exec_driver_sql(f"UPDATE {q(table.name)} AS t SET {sets} FROM {stage} AS s WHERE {where}").rowcount
    conn.exec_driver_sql(f"DROP TABLE {stage}")
    return sent, written


def copy_upsert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                key: Sequence[str], updated: Sequence[str]) -> int:
    """Insert rows, or overwrite `updated` columns of the row with the same `key`; how many sent."""
    stage = _staging(conn, table, columns)
    sent = _copy(conn, stage, columns, rows, _processors(conn, table, columns))
    q = lambda c: _quote(conn, c)  # noqa: E731
    cols = ", ".join(q(c) for c in columns)
    sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in updated)
    conn.exec_driver_sql(
        f"INSERT INTO {q(table.name)} ({cols}) SELECT {cols} FROM {stage} "
        f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {sets}")
    conn.exec_driver_sql(f"DROP TABLE {stage}")
    return sent
