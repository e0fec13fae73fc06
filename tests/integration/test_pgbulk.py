"""Rows streamed to PostgreSQL by binary COPY (store.pgbulk) arrive as written: flags as bools or as 0
and 1, numbers, timestamps, texts and NULLs, inserted and upserted."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from desktop_app.store import pgbulk
from desktop_app.store.models_sync import SyncRowState

COLS = ["peer_site", "table_name", "row_id", "version", "site", "agreed_at", "introduced", "local_version",
        "local_site"]


def test_flags_reach_the_server_as_they_were_written(empty_db):
    if empty_db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite takes an executemany")
    rs = SyncRowState.__table__
    at = datetime(2026, 12, 5, 10, 30)
    flags = [True, False, 1, 0]
    with empty_db.engine.begin() as conn:
        pgbulk.copy_insert(conn, rs, COLS, [("p", "member", f"r{i}", 1, "s", at, f, None, None)
                                            for i, f in enumerate(flags)])
        # Upserted: r0 and r1 change their flag (as ints), r9 is new.
        pgbulk.copy_upsert(conn, rs, COLS, [("p", "member", "r0", 2, "s", at, 0, None, None),
                                            ("p", "member", "r1", 2, "s", at, 1, None, None),
                                            ("p", "member", "r9", 1, "s", at, True, 3, "t")],
                           COLS[:3], COLS[3:6] + COLS[7:])
        got = conn.execute(select(rs.c.row_id, rs.c.introduced, rs.c.version, rs.c.agreed_at)
                           .order_by(rs.c.row_id)).all()
    # The upsert leaves `introduced` as first written (it is not among the updated columns).
    assert [(r[0], r[1], r[2]) for r in got] == [("r0", True, 2), ("r1", False, 2), ("r2", True, 1),
                                                  ("r3", False, 1), ("r9", True, 1)]
    assert all(type(r[1]) is bool and r[3] == at for r in got)
