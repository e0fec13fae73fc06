"""The SQL statements a call sends, for tests that hold a service to a number of reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event


def statements(db, fn: Callable[[], Any], matching: str = "") -> list[tuple[str, Any]]:
    """(statement, parameters) of each statement `fn` sends through `db` that contains `matching`."""
    seen: list[tuple[str, Any]] = []

    def listener(_conn, _cursor, statement, params, *_rest):
        if matching in statement:
            seen.append((statement, params))
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return seen
