"""A database file whose first page was overwritten with zeros (a power cut, a failing disk or USB stick).

Such a file used to be taken for an encrypted database: the command line told the
user to supply DANGQUN_DB_KEY, and the window asked for a key nobody had ever set.
A SQLCipher file begins with a random salt, never with sixteen zero bytes, so a
zeroed header is damage: the message says so, names the newest good backup, and
the file is kept as it is.
"""

from __future__ import annotations

import re

import pytest

from desktop_app.services import backup
from desktop_app.services.database import CorruptDatabase, damaged, open_database
from desktop_app.services.startup import file_problems
from desktop_app.store import cipher

pytestmark = pytest.mark.sqlite_only


def _zero_the_start(db, size: int = 4096) -> bytes:
    """Close the database and overwrite its first `size` bytes with zeros (side files gone); the new bytes."""
    db.dispose()
    for suffix in ("-wal", "-shm"):
        (db.path.parent / (db.path.name + suffix)).unlink(missing_ok=True)
    with open(db.path, "r+b") as fh:
        fh.write(b"\x00" * size)
    return db.path.read_bytes()


def test_a_zeroed_header_is_damage_not_encryption(db):
    data = _zero_the_start(db)
    assert cipher.file_state(db.path) == "blank"
    assert damaged(db.path)
    assert file_problems(db.path) and "0" in file_problems(db.path)[0]
    with pytest.raises(CorruptDatabase, match="损坏") as caught:
        open_database(db.path)
    assert "密钥" not in str(caught.value)
    assert db.path.read_bytes() == data  # nothing written, nothing "repaired"


def test_a_wholly_zeroed_file_is_damage_too(db):
    size = db.path.stat().st_size
    _zero_the_start(db, size)
    assert cipher.file_state(db.path) == "blank" and damaged(db.path)


def test_the_command_line_names_the_newest_good_backup_and_not_a_key(db, capsys):
    from desktop_app.cli import main

    good = backup.backup_now(db.path, "manual")
    data = _zero_the_start(db)
    code = main(["user", "list", "--db", str(db.path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "损坏" in err and str(good) in err and "dangqun restore" in err
    assert "DANGQUN_DB_KEY" not in err and "加密" not in err
    assert db.path.read_bytes() == data


def test_the_newest_good_backup_recovers_it_and_the_zeroed_file_is_kept(db):
    good = backup.backup_now(db.path, "manual")
    data = _zero_the_start(db)
    kept = backup.recover_damaged(db.path, good)
    assert kept is not None and kept.read_bytes() == data
    again, _ = open_database(db.path)
    again.dispose()


def test_a_zeroed_backup_is_not_offered_nor_accepted(db):
    good = backup.backup_now(db.path, "manual")
    with open(good, "r+b") as fh:
        fh.write(b"\x00" * 100)
    assert backup.newest_good(db.path.stem) is None
    db.dispose()
    with pytest.raises(backup.RestoreRefused, match="已损坏"):
        backup.restore(good, db.path)


def _flip_a_table_page(db, page: int = 2) -> bytes:
    """Close the database and overwrite one page of a table with noise: a bad sector, a torn write."""
    import random

    db.dispose()
    for suffix in ("-wal", "-shm"):
        (db.path.parent / (db.path.name + suffix)).unlink(missing_ok=True)
    with open(db.path, "r+b") as fh:
        fh.seek(4096 * (page - 1))
        fh.write(random.Random(7).randbytes(4096))
    return db.path.read_bytes()


def _words_beside_the_path(message: str, path) -> list[str]:
    import re

    return re.findall(r"[A-Za-z_]{3,}", message.replace(str(path), ""))


def test_a_damaged_page_is_told_in_plain_chinese_and_sqlites_lines_are_kept_for_the_log(db):
    from desktop_app.services.startup import check_file

    data = _flip_a_table_page(db)
    with pytest.raises(CorruptDatabase) as caught:
        check_file(db.path)
    message = str(caught.value)
    assert "损坏" in message and _words_beside_the_path(message, db.path) == []
    assert any(re.search("[A-Za-z]", p) for p in caught.value.problems)  # the raw lines, for the log
    assert db.path.read_bytes() == data


def test_an_unreadable_file_is_told_in_plain_chinese_too(db):
    err = CorruptDatabase(db.path, ["无法读取（database disk image is malformed）"])
    assert _words_beside_the_path(str(err), db.path) == [] and "无法读取" in str(err)
    assert err.problems == ["无法读取（database disk image is malformed）"]


def test_the_account_list_says_until_when_an_account_is_locked(db, capsys, monkeypatch):
    from desktop_app.cli import main
    from desktop_app.services import auth

    auth.cli_actor(db)
    auth.create_user(db, "grid9", "李网格", "书记", "Grid-pass-2026")
    for _ in range(5):
        with pytest.raises(auth.LoginFailed):
            auth.login(db, "grid9", "wrong-password")
    [user] = [u for u in auth.list_users(db) if u.login == "grid9"]
    db.dispose()
    assert main(["user", "list", "--db", str(db.path)]) == 0
    out = capsys.readouterr().out
    from datetime import timezone

    until = user.locked_until.replace(tzinfo=timezone.utc).astimezone()
    assert f"已锁定（至 {until:%H:%M}）" in out
