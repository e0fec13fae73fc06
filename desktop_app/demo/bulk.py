"""Planned rows into a table in chunks, each with the sync columns a synced row carries.

The table, not the mapped class: one plain executemany per chunk, where the ORM
bulk path would split batches wherever a None moves to another column. Planned
ids (organisations, households, meetings …) override the fresh one from
sync_values. Core inserts pass no ORM listener, so the caller records the fill
in the audit trail once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from desktop_app.store.base import sync_values

CHUNK = 1000  # rows per insert call


def insert_rows(s: Session, model, rows: list[dict], site_id: str, now: datetime,
                advance: Callable[[int], None] | None = None) -> None:
    """Insert `rows` into `model`'s table; `advance(n)` after each chunk of n rows, for progress."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        # A microsecond apart in plan order: rows ordered by created_at (a visit's steps of one
        # day) read back in that order on PostgreSQL as on SQLite (see store.base.stamp_sync_columns).
        s.execute(insert(model.__table__), [{**sync_values(site_id, now + timedelta(microseconds=start + k)), **row}
                                            for k, row in enumerate(chunk)])
        if advance is not None:
            advance(len(chunk))
