"""What opening a file and reading its start state imports, and the member index's condition on each engine.

Run in a child process, so modules other tests loaded do not count.
"""

import json
import os
import subprocess
import sys

from sqlalchemy import create_mock_engine
from sqlalchemy.schema import CreateIndex

from desktop_app.store import schema  # noqa: F401  (every table)
from desktop_app.store.base import Base
from desktop_app.store.models import Member, Organization

OPEN = r"""
import json, sys
from pathlib import Path
from desktop_app.services import startup
db, _, state = startup.open_for_window(Path(sys.argv[1]))
print(json.dumps({"site": state.site is None, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
db.dispose()
"""


def test_opening_a_file_on_sqlite_loads_no_postgresql_code_nor_the_sync_tables(db):
    path = db.path
    db.dispose()
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", OPEN, str(path), "sqlalchemy.dialects.postgresql", "psycopg", "alembic",
                          "desktop_app.store.models_sync"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"site": False, "loaded": []}


def _live_index():
    return next(ix for ix in Member.__table__.indexes if ix.name == "uq_member_live_id_number")


def test_the_live_id_number_index_is_partial_on_both_engines():
    from sqlalchemy.dialects import sqlite

    assert str(CreateIndex(_live_index()).compile(dialect=sqlite.dialect())).endswith("WHERE deleted = 0")
    made = []
    engine = create_mock_engine("postgresql+psycopg://", lambda sql, *a, **k: made.append(str(sql.compile(dialect=engine.dialect))))
    Base.metadata.create_all(engine, tables=[Organization.__table__, Member.__table__], checkfirst=False)
    [index] = [sql for sql in made if "uq_member_live_id_number" in sql]
    assert index.strip().endswith("WHERE NOT deleted"), index
