"""The window reads a file before its check has run; nothing is written to it until the check has passed.

Start-up opens the file and shows the first page at once, and runs SQLite's
quick check afterwards (services.startup.open_for_window, store.db.WriteGate).
These tests damage a real migrated file where the first reads do not look (a
table's root page), and prove that every write, through a service or a bare
session, is refused with CorruptDatabase before anything lands: the file's bytes
are the same afterwards. An upgrade, which writes, checks the file first.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from desktop_app.services import auth, startup
from desktop_app.services.database import CorruptDatabase, open_database
from desktop_app.store import migrate
from tests.integration.test_backup_recover import _damage

pytestmark = pytest.mark.sqlite_only

PASSWORD = "gate-test-2026"


def _smash_root_of(path: Path, table: str) -> None:
    """Overwrite the root page of `table` (one no start-up read touches): the file still opens and reads."""
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    raw = bytearray(path.read_bytes())
    raw[(root - 1) * size:root * size] = b"\xff" * size
    path.write_bytes(bytes(raw))


def _closed(db) -> Path:
    """Dispose the handle and leave the file alone on disk (the WAL folded in, side files gone)."""
    path = db.path
    db.dispose()
    assert not (path.parent / (path.name + "-wal")).exists()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_file_is_read_at_once_but_every_write_is_refused_before_it_lands(db):
    path = _closed(db)
    _smash_root_of(path, "meeting")
    before = _sha(path)

    opened, _, state = startup.open_for_window(path)
    assert state.site.org_name == "幸福里社区党委" and state.has_users is False  # the first reads work
    assert opened.gate.problems is None  # the check has not run: the window shows its page first

    with pytest.raises(CorruptDatabase, match="已损坏"):
        auth.create_first_admin(opened, "admin", "王书记", PASSWORD)  # a service's write runs the check
    assert opened.gate.problems  # what SQLite found
    with pytest.raises(CorruptDatabase):
        with opened.session() as s:  # a bare session's write is held the same way
            s.execute(text("UPDATE site SET org_name = '改过的名字'"))
            s.commit()
    with pytest.raises(CorruptDatabase):
        with opened.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE stray (x)")
    assert startup.start_state(opened).site.org_name == "幸福里社区党委"  # reading still works

    _closed(opened)
    assert _sha(path) == before  # not one byte written


def test_a_sound_file_is_checked_once_and_then_written_normally(db, monkeypatch):
    path = _closed(db)
    runs = []
    real = startup.file_problems
    monkeypatch.setattr(startup, "file_problems", lambda *a: runs.append(a) or real(*a))

    opened, _, _ = startup.open_for_window(path)
    assert runs == [] and opened.gate.problems is None
    auth.create_first_admin(opened, "admin", "王书记", PASSWORD)  # the first write runs the check, then lands
    assert opened.gate.problems == [] and len(runs) == 1
    assert opened.gate.settle() == [] and len(runs) == 1  # the window's own call finds it done
    assert startup.start_state(opened).has_users is True
    opened.dispose()


def test_the_window_s_check_before_any_write_finds_the_damage(db):
    path = _closed(db)
    _smash_root_of(path, "visit")
    opened, _, _ = startup.open_for_window(path)
    problems = opened.gate.settle()  # what the window runs once its first page is shown
    assert problems and opened.gate.problems == problems
    with pytest.raises(CorruptDatabase):
        auth.create_first_admin(opened, "admin", "王书记", PASSWORD)
    opened.dispose()


def test_a_file_too_damaged_to_read_is_reported_as_damaged_not_as_an_error(db):
    _damage(db)
    with pytest.raises(CorruptDatabase):
        startup.open_for_window(db.path)


def test_a_damaged_file_that_needs_an_upgrade_is_checked_before_anything_is_copied_or_migrated(db):
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0029")
    path = _closed(db)
    _smash_root_of(path, "meeting")
    before = _sha(path)
    with pytest.raises(CorruptDatabase):
        startup.open_for_window(path)
    assert _sha(path) == before
    assert [p.name for p in path.parent.iterdir() if "before-upgrade" in p.name] == []


def test_the_command_line_s_open_is_unchanged_it_holds_nothing(db):
    path = _closed(db)
    plain, _ = open_database(path)
    assert plain.gate is None
    plain.dispose()
