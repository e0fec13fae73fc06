"""Planned rows into a table in chunks, each with the sync columns a synced row carries.

The table, not the mapped class: one plain executemany per chunk, where the ORM
bulk path would split batches wherever a None moves to another column. Planned
ids (organisations, households, meetings …) override the fresh one from
sync_values. Core inserts pass no ORM listener, so the caller records the fill
in the audit trail once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from desktop_app.store.base import new_id, sync_values, utcnow

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


class PlannedRows:
    """A generator's rows, planned in memory per model and inserted at the end in one go."""

    def __init__(self) -> None:
        self.by_model: dict[type, list[dict]] = defaultdict(list)

    def add(self, model, **values) -> dict:
        """Plan a row; it gets its id now (unless given) so that later rows can point at it."""
        values.setdefault("id", new_id())
        self.by_model[model].append(values)
        return values

    def insert(self, s: Session, site_id: str, models=None) -> None:
        """Insert every planned row, table by table in `models`' order (parents first), else as first planned."""
        now = utcnow()
        for model in models or list(self.by_model):
            insert_rows(s, model, self.by_model.get(model, []), site_id, now)
