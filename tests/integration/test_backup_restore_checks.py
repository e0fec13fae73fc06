"""Backup and restore as an administrator's audited acts, and every kind of wrong file refused untouched."""

import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import select, text

from desktop_app.cli import main
from desktop_app.services import auth, backup, orgs, roster, site
from desktop_app.services.database import open_database
from desktop_app.store.models_access import AuditEntry

# Backups copy and restore the database file itself; a server database is backed up with pg_dump
# (test_server_database.py checks that the program says so).
pytestmark = pytest.mark.sqlite_only

PASSWORD = "admin-pass-1"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def town(db):
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "sec", "赵委员", "secretary", "secretary-1", must_change_password=False)
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    return db


def state_of(path) -> str:
    """A fingerprint of every row and the schema (closing a database folds its WAL in, so not the bytes)."""
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode("utf-8")).hexdigest()
    finally:
        con.close()


def branch_names(db) -> set[str]:
    return {n.name for n in orgs.list_tree(db)}


def entries(db, action):
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_backup_is_audited_with_size_and_checksum(town, tmp_path):
    db = town  # who may make one: test_backup_permissions.py
    auth.login(db, "admin", PASSWORD)
    out = backup.take_backup(db, tmp_path / "u盘" / "备份.db")
    [entry] = entries(db, "backup")
    after = json.loads(entry.after_json)
    assert entry.user_name == "王管理" and after["file"] == str(out)
    assert after["size"] == out.stat().st_size
    assert after["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sorted(p.name for p in out.parent.iterdir()) == ["备份.db"]  # no .part, -wal or -shm left


def test_the_command_line_backup_checks_the_password_and_the_role(town, tmp_path, monkeypatch, capsys):
    path = town.path
    out = tmp_path / "b.db"
    monkeypatch.setenv("DANGQUN_PASSWORD", "wrong-password")
    assert main(["--user", "admin", "backup", "--db", str(path), "--out", str(out)]) == 2
    auth.create_user(town, "view", "街道小钱", "viewer", "viewer-pass-1", must_change_password=False)
    monkeypatch.setenv("DANGQUN_PASSWORD", "viewer-pass-1")
    assert main(["--user", "view", "backup", "--db", str(path), "--out", str(out)]) == 2
    assert "只有管理员和书记/委员可以备份" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setenv("DANGQUN_PASSWORD", "secretary-1")  # a backup protects the books: their keeper makes one
    assert main(["--user", "sec", "backup", "--db", str(path), "--out", str(out)]) == 0
    out.unlink()
    monkeypatch.setenv("DANGQUN_PASSWORD", PASSWORD)
    assert main(["--user", "admin", "backup", "--db", str(path), "--out", str(out)]) == 0
    assert out.exists()
    monkeypatch.setenv("DANGQUN_PASSWORD", "secretary-1")
    assert main(["--user", "sec", "restore", str(out), "--db", str(path)]) == 2
    assert "只有管理员" in capsys.readouterr().err


def test_a_restore_keeps_a_safety_copy_beside_the_database_and_is_audited(town, tmp_path):
    db = town
    auth.login(db, "admin", PASSWORD)
    good = backup.take_backup(db, tmp_path / "good.db")
    orgs.create(db, "误建的支部", "32010200199", "branch", roster.root_org_id(db))
    kept = backup.restore_database(db, good)
    assert kept is not None and kept.parent == db.path.parent and "before-restore" in kept.name
    again, _ = open_database(db.path)
    auth.login(again, "admin", PASSWORD)
    assert "误建的支部" not in branch_names(again)
    [entry] = entries(again, "restore")
    assert entry.user_name == "王管理" and str(good) in entry.note
    saved, _ = open_database(kept)  # the data as it was before the restore
    auth.cli_actor(saved)
    assert "误建的支部" in branch_names(saved)
    saved.dispose()
    again.dispose()
    leftovers = [p.name for p in db.path.parent.iterdir() if ".restoring" in p.name or p.name.endswith(".part")]
    assert leftovers == []


def _refused(db, source, match, **kw):
    path = db.path
    before = state_of(path)
    with pytest.raises(backup.RestoreRefused, match=match):
        backup.restore_database(db, source, **kw)
    assert state_of(path) == before  # the current data untouched
    assert not path.with_name(path.name + ".restoring").exists()
    again, _ = open_database(path)
    auth.login(again, "admin", PASSWORD)
    assert "第一网格党支部" in branch_names(again)
    again.dispose()


def test_a_file_that_is_not_our_database_is_refused(town, tmp_path):
    auth.login(town, "admin", PASSWORD)
    other = tmp_path / "其他程序.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    _refused(town, other, "不是本程序的数据库备份")
    text_file = tmp_path / "名单.db"
    text_file.write_text("姓名,电话\n", encoding="utf-8")
    _refused(town, text_file, "不可用")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    _refused(town, empty, "0 字节")


def test_a_backup_from_a_newer_program_is_refused(town, tmp_path):
    auth.login(town, "admin", PASSWORD)
    newer = backup.take_backup(town, tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    _refused(town, newer, "较新版本")


def test_a_backup_of_another_site_is_refused(town, tmp_path):
    auth.login(town, "admin", PASSWORD)
    other, _ = open_database(tmp_path / "other.db")
    site.init_site(other, "320102002", "玉兰社区党委", "community")
    other.dispose()
    _refused(town, tmp_path / "other.db", "另一个单位（玉兰社区党委）")


def test_a_corrupt_backup_is_refused(town, tmp_path):
    auth.login(town, "admin", PASSWORD)
    bad = backup.take_backup(town, tmp_path / "bad.db")
    data = bytearray(bad.read_bytes())
    page = 4096
    for i in range(2 * page, min(len(data), 6 * page)):
        data[i] = 0x5A  # pages overwritten in the middle: the header still says SQLite
    bad.write_bytes(bytes(data))
    _refused(town, bad, "不可用|校验失败")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(bytes(data[: page * 3 + 100]))
    _refused(town, truncated, "不可用|校验失败")


def test_a_restore_is_refused_while_another_program_has_the_database_open(town, tmp_path):
    auth.login(town, "admin", PASSWORD)
    good = backup.take_backup(town, tmp_path / "good.db")
    other, _ = open_database(town.path)
    with other.engine.connect() as conn:  # another program holding the file (and its WAL) open
        conn.execute(text("SELECT count(*) FROM organization")).scalar()
        with pytest.raises(backup.RestoreRefused, match="正被另一个程序使用"):
            backup.restore_database(town, good)
    other.dispose()
    assert town.path.exists()


def test_an_encrypted_backup_is_restored_with_its_own_key(town, tmp_path):
    from desktop_app.store import cipher

    auth.login(town, "admin", PASSWORD)
    plain_copy = backup.take_backup(town, tmp_path / "plain.db")
    enc = tmp_path / "enc.db"
    cipher.export(plain_copy, None, enc, "the backup's key")
    orgs.create(town, "误建的支部", "32010200199", "branch", roster.root_org_id(town))
    _refused(town, enc, "不可用", backup_key="wrong key")
    auth.login(town, "admin", PASSWORD)
    backup.restore_database(town, enc, backup_key="the backup's key")
    again, _ = open_database(town.path)
    auth.login(again, "admin", PASSWORD)
    assert "误建的支部" not in branch_names(again)
    assert cipher.file_state(town.path) == "plain"  # restored as the database was: plain
    again.dispose()


def test_the_command_line_restores_a_damaged_database_and_keeps_the_damaged_file(town, tmp_path, capsys):
    auth.login(town, "admin", PASSWORD)
    good = backup.take_backup(town, tmp_path / "good.db")
    path = town.path
    town.dispose()
    path.write_bytes(b"")  # a failed copy left a 0-byte file
    assert main(["orgs", "--db", str(path)]) == 2
    assert "0 字节" in capsys.readouterr().err
    assert main(["restore", str(good), "--db", str(path)]) == 0
    assert main(["orgs", "--db", str(path)]) == 0
    assert "第一网格党支部" in capsys.readouterr().out
    assert any(".corrupt-" in p.name for p in path.parent.iterdir())


def test_a_command_on_a_database_with_damaged_pages_stops_with_a_plain_message(town, capsys):
    path = town.path
    town.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data)):
        data[i] = 0x5A  # every page but the first: the header still says SQLite
    path.write_bytes(bytes(data))
    assert main(["orgs", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "已损坏" in err and "Traceback" not in err and "restore" in err
