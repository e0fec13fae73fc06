"""Upgrades: an older database (made at a previous schema head) is backed up, migrated and owed
its 更新说明 once; a database from a newer program is refused and left byte-for-byte untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desktop_app.cli import main as cli_main
from desktop_app.domain.errors import DomainError
from desktop_app.services import release
from desktop_app.services.database import open_database
from desktop_app.settings import Settings, changelog_path
from desktop_app.store import migrate
from desktop_app.store.db import Database
from desktop_app.views.release import notes_since, parse_changelog


def _at_revision(path: Path, revision: str) -> None:
    db = Database.at(path)
    migrate.upgrade(db, revision)
    assert migrate.current_revision(db) == revision
    db.dispose()


def _revision_in(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("old, expect_release", [("0005", "0.1.0"), ("0008", None)])
def test_an_older_database_is_backed_up_migrated_and_owed_its_notes_once(tmp_path, old, expect_release):
    path = tmp_path / "center.db"
    _at_revision(path, old)

    db, backup = open_database(path)
    try:
        assert backup is not None and backup.exists()
        assert _revision_in(backup) == old  # the copy is the database as it was
        assert migrate.current_revision(db) == migrate.SCHEMA_HEAD
        assert Settings.load().upgrade_notes_from == {str(path.resolve()): old}

        notes = release.pending_notes(db)
        assert notes is not None and notes.from_revision == old
        headings = [n.heading for n in notes.notes]
        assert headings and all(n.schema is None or n.schema > old for n in notes.notes)
        if expect_release:
            assert any(h.startswith(expect_release) for h in headings)
        else:
            assert not any(h.startswith("0.1.0") for h in headings)
        assert "## " in notes.markdown()

        release.mark_notes_seen(db)
        assert release.pending_notes(db) is None
    finally:
        db.dispose()

    again, second = open_database(path)  # up to date now: no copy, no notes
    try:
        assert second is None and release.pending_notes(again) is None
    finally:
        again.dispose()


def test_a_new_database_is_owed_no_notes(tmp_path):
    db, backup = open_database(tmp_path / "new.db")
    try:
        assert backup is None and release.pending_notes(db) is None
    finally:
        db.dispose()


def _from_newer_program(tmp_path: Path) -> Path:
    folder = tmp_path / "newer"
    folder.mkdir()
    path = folder / "center.db"
    db, _ = open_database(path)
    db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for extra in folder.glob("center.db-*"):
        extra.unlink()
    return path


def test_a_database_from_a_newer_program_is_refused_and_left_untouched(tmp_path):
    path = _from_newer_program(tmp_path)
    before = _fingerprint(path.parent)
    with pytest.raises(migrate.NewerDatabase) as err:
        open_database(path)
    message = str(err.value)
    assert "较新版本" in message and "9999" in message and "没有打开也没有改动" in message
    assert isinstance(err.value, DomainError)  # shown as a plain message, not a crash
    assert _fingerprint(path.parent) == before
    assert _revision_in(path) == "9999"


def test_the_command_line_refuses_it_in_one_line(tmp_path, capsys):
    path = _from_newer_program(tmp_path)
    before = _fingerprint(path.parent)
    assert cli_main(["stats", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "较新版本" in err and "Traceback" not in err
    assert _fingerprint(path.parent) == before


def test_every_released_section_of_the_changelog_names_its_schema():
    notes = parse_changelog(changelog_path().read_text(encoding="utf-8"))
    released = [n for n in notes if "未发布" not in n.heading]
    assert released and all(n.schema for n in released)
    assert notes_since(notes, migrate.SCHEMA_HEAD) == tuple(n for n in notes if n.schema is None)
