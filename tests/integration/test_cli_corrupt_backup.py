"""Damage met in the middle of a command (a truncated file opens, then a read fails): the newest good backup is named."""

import os

import pytest

from desktop_app.services import backup

pytestmark = pytest.mark.sqlite_only


def test_a_truncated_file_names_the_newest_good_backup(db, capsys):
    from desktop_app.cli import main

    good = backup.backup_now(db.path, "manual")
    db.dispose()
    for suffix in ("-wal", "-shm"):
        (db.path.parent / (db.path.name + suffix)).unlink(missing_ok=True)
    os.truncate(db.path, db.path.stat().st_size // 3)
    code = main(["user", "list", "--db", str(db.path)])
    err = capsys.readouterr().err
    assert code == 2 and "已损坏" in err
    assert str(good) in err and f"dangqun restore {good}" in err
