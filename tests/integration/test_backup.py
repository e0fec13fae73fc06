"""Backups and restore on real database files."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from desktop_app.services import backup, orgs
from desktop_app.settings import Settings

# Backups copy and restore the database file itself; a server database is backed up with pg_dump
# (test_server_database.py checks that the program says so).
pytestmark = pytest.mark.sqlite_only


def names(path):
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM organization WHERE deleted = 0"))
    finally:
        con.close()


def mirror_folder(path, make=True):
    """Set the second backup folder (文件 → 备份设置) to `path`, made unless a pulled stick is meant."""
    if make:
        path.mkdir()
    s = Settings.load()
    s.backup_mirror_dir = str(path)
    s.save()
    return path


def test_backup_of_a_live_database_is_sound_and_complete(db, tmp_path):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    dest = backup.backup_now(db.path, "manual", folder=tmp_path / "bk")
    assert dest.exists() and backup.integrity_problems(dest) == []
    assert "第一网格党支部" in names(dest)
    assert [b.path for b in backup.list_backups(db.path.stem, tmp_path / "bk")] == [dest]


def test_restore_round_trip_keeps_the_replaced_copy(db, tmp_path):
    folder = tmp_path / "bk"
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    good = backup.backup_now(db.path, "manual", folder=folder)
    orgs.create(db, "误建的支部", "B02", "branch", c.id)
    db.dispose()
    kept = backup.restore(good, db.path, folder=folder)
    assert "误建的支部" not in names(db.path)
    assert "第一网格党支部" in names(db.path)
    assert kept is not None and "误建的支部" in names(kept)  # the restore can be undone


def test_corruption_is_detected_and_a_corrupt_file_is_kept_aside(db, tmp_path):
    folder = tmp_path / "bk"
    good = backup.backup_now(db.path, "manual", folder=folder)
    db.dispose()
    for suffix in ("-wal", "-shm"):
        (db.path.parent / (db.path.name + suffix)).unlink(missing_ok=True)
    raw = bytearray(db.path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # smash the first page's b-tree
    db.path.write_bytes(bytes(raw))
    with pytest.raises(backup.CorruptDatabase) as err:
        backup.check_database(db.path)
    assert str(db.path) in str(err.value)
    assert backup.newest_good(db.path.stem, folder).path == good
    kept = backup.restore(good, db.path, folder=folder)
    assert kept.name.startswith(db.path.name + ".corrupt-") and kept.exists()
    backup.check_database(db.path)
    assert "幸福里社区党委" in names(db.path)


def test_a_text_file_is_not_a_database():
    from pathlib import Path
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "x.db"
        p.write_text("hello")
        assert backup.integrity_problems(p) == ["不是 SQLite 数据库文件"]


def test_rotation_keeps_seven_days_and_four_weeks(db, tmp_path):
    folder = tmp_path / "bk"
    today = datetime(2026, 11, 26, 18, 0)
    for days_ago in range(59, -1, -1):  # oldest first, as time passes
        for hour in (9, 17):
            backup.backup_now(db.path, "daily", folder=folder, now=today - timedelta(days=days_ago, hours=18 - hour))
    manual = backup.backup_now(db.path, "manual", folder=folder, now=today - timedelta(days=90))
    kept = backup.list_backups(db.path.stem, folder)
    days = {b.taken_at.date() for b in kept if b.kind == "daily"}
    assert len([b for b in kept if b.kind == "daily"]) == len(days)  # one per day at most
    assert {(today.date() - d).days for d in days} >= set(range(7))
    assert all((today.date() - d).days < 28 for d in days)
    assert len(days) <= 7 + 4
    assert manual in [b.path for b in kept]  # manual backups are never rotated away


def test_daily_due_and_mirror_folder(db, tmp_path, monkeypatch):
    mirror = mirror_folder(tmp_path / "usb")
    assert backup.daily_due(db.path.stem)
    dest = backup.backup_now(db.path, "daily")
    assert not backup.daily_due(db.path.stem)
    assert (mirror / dest.name).exists()


def test_the_mirror_folder_is_rotated_by_the_same_rule(db, tmp_path):
    # The second folder (a stick, another drive) kept every automatic copy for ever and filled up.
    mirror = mirror_folder(tmp_path / "usb")
    foreign = mirror / f"{db.path.stem}-20260101-080000-daily.db.txt"  # not a name the program gives
    foreign.write_text("用户自己的文件")
    other_db = mirror / "huiyi-20260101-080000-daily.db"  # another database's backup
    other_db.write_bytes(b"x")
    today = datetime(2026, 11, 26, 18, 0)
    manual = backup.backup_now(db.path, "manual", now=today - timedelta(days=90))
    for days_ago in range(40, -1, -1):
        backup.backup_now(db.path, "daily", now=today - timedelta(days=days_ago))
    first = {b.path.name for b in backup.list_backups(db.path.stem)}
    second = {b.path.name for b in backup.list_backups(db.path.stem, mirror)}
    assert second == first  # the same copies kept, by the same rule
    assert len(second) <= 1 + 7 + 4
    assert manual.name in second  # manual backups are never rotated away
    assert f"{db.path.stem}-{today:%Y%m%d-%H%M%S}-daily.db" in second  # the newest stays
    assert foreign.exists() and other_db.exists()


def test_a_missing_mirror_folder_neither_fails_the_backup_nor_is_created(db, tmp_path):
    gone = tmp_path / "pulled-stick" / "备份"
    mirror_folder(gone, make=False)
    dest = backup.backup_now(db.path, "daily")
    assert dest.exists() and not gone.exists() and not gone.parent.exists()


def test_export_copy_names_a_db_file(db, tmp_path):
    out = backup.export_copy(db.path, tmp_path / "送街道" / "备份")
    assert out.suffix == ".db" and backup.integrity_problems(out) == []
