"""Start-up recovery of a damaged database: who may do it when no account can be checked, and what it refuses.

Whoever runs the program may put the newest good backup in place of a file the
service itself finds damaged; a sound file, an older backup or an encrypted file
without its key are refused untouched; the restore is audited in the restored file.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from desktop_app.services import backup
from desktop_app.services.database import open_database
from desktop_app.store.models_access import AuditEntry

pytestmark = pytest.mark.sqlite_only


GARBAGE = b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500  # the header still says SQLite


def _damage(db, data: bytes = GARBAGE) -> bytes:
    """Close the database and overwrite its file (side files gone): what start-up finds after a crash."""
    db.dispose()
    for suffix in ("-wal", "-shm"):
        (db.path.parent / (db.path.name + suffix)).unlink(missing_ok=True)
    db.path.write_bytes(data)
    return data


def test_a_sound_database_is_not_recovered_at_start_up(db):
    good = backup.backup_now(db.path, "manual")
    db.dispose()
    before = db.path.read_bytes()
    with pytest.raises(backup.RestoreRefused, match="没有损坏.*管理员"):
        backup.recover_damaged(db.path, good)
    assert db.path.read_bytes() == before


def test_only_the_newest_good_backup_is_accepted(db):
    older = backup.backup_now(db.path, "manual")
    time.sleep(1.1)  # backups are named by the second
    newest = backup.backup_now(db.path, "manual")
    data = _damage(db)
    with pytest.raises(backup.RestoreRefused, match="最新的完好备份"):
        backup.recover_damaged(db.path, older)
    assert db.path.read_bytes() == data  # untouched

    kept = backup.recover_damaged(db.path, newest)
    assert kept is not None and kept.read_bytes() == data
    again, _ = open_database(db.path)
    with again.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "restore")).all()
    assert "启动时发现数据库损坏" in entry.note and newest.name in entry.note and str(kept) in entry.note
    assert entry.user_name == ""  # nobody could be checked: the trail says the program did it
    again.dispose()


def test_an_empty_file_is_recovered_too(db):
    good = backup.backup_now(db.path, "manual")
    _damage(db, b"")
    backup.recover_damaged(db.path, good)
    again, _ = open_database(db.path)
    again.dispose()
