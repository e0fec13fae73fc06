"""Disk full, read-only file, no permission: a plain Chinese message and nothing changed."""

import errno
import os
import sqlite3
import stat

import pytest
from sqlalchemy import event

from desktop_app.domain.errors import DomainError
from desktop_app.services import orgs, storage_errors
from desktop_app.services.storage_errors import StorageError
from desktop_app.store.db import Database

# A read-only file and a full disk under SQLite's file: a server reports its own errors.
pytestmark = pytest.mark.sqlite_only


def org_names(path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM organization WHERE deleted = 0"))
    finally:
        con.close()


def community(db):
    return next(n for n in orgs.list_tree(db) if n.kind == "community")


def read_only_database(path) -> Database:
    """The file made read-only, and opened as SQLite opens a file it may not write.

    chmod alone does not stop root (tests may run as root in CI containers),
    so the connection is also opened read-only: SQLite then fails exactly as
    it does on a read-only file, a write-protected USB stick or a CD.
    """
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return Database(f"sqlite:///file:{path}?mode=ro&uri=true")


def test_a_read_only_database_says_so_and_changes_nothing(db):
    c = community(db)
    path = db.path
    db.dispose()
    before = org_names(path)
    ro = read_only_database(path)
    try:
        assert [n.name for n in orgs.list_tree(ro)]  # reading still works
        with pytest.raises(StorageError) as err:
            orgs.create(ro, "第一网格党支部", "B01", "branch", c.id)
        assert isinstance(err.value, DomainError) and err.value.kind == "readonly"
        message = str(err.value)
        assert "只读" in message and "没有写入" in message and str(path) in message
        with pytest.raises(StorageError):
            orgs.rename(ro, c.id, "改名")
    finally:
        ro.dispose()
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert org_names(path) == before


def test_a_full_disk_says_so_and_keeps_the_last_saved_state(db):
    c = community(db)
    orgs.create(db, "已保存的支部", "B00", "branch", c.id)
    path = db.path
    db.dispose()
    full = Database.at(path)

    @event.listens_for(full.engine, "connect")
    def _no_room(dbapi_conn, _record):
        # SQLite's own page limit: the next page it needs fails with SQLITE_FULL,
        # exactly the 'database or disk is full' of a full disk.
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")
        cur.close()

    try:
        with pytest.raises(StorageError) as err:
            for i in range(200):  # a long note per branch: fills the last free pages
                orgs.create(full, f"支部{i}" + "很" * 50, f"X{i:03d}", "branch", c.id)
        assert err.value.kind == "full"
        assert "磁盘空间已满" in str(err.value) and "已保存的数据完好无损" in str(err.value)
    finally:
        full.dispose()
    names = org_names(path)
    assert "已保存的支部" in names
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()


def test_file_errors_become_plain_messages():
    denied = PermissionError(errno.EACCES, "Permission denied", "/media/usb/名册.xlsx")
    with pytest.raises(StorageError) as err:
        with storage_errors.translated():
            raise denied
    assert err.value.kind == "permission" and "/media/usb/名册.xlsx" in str(err.value)
    full = storage_errors.plain(OSError(errno.ENOSPC, "No space left on device", "/tmp/a.pdf"))
    assert full.kind == "full" and "/tmp/a.pdf" in str(full)
    assert storage_errors.plain(ValueError("x")) is None
    with pytest.raises(KeyError):  # anything else passes through untouched
        with storage_errors.translated("/tmp/x"):
            raise KeyError("k")


def test_sqlite_messages_are_recognised():
    cases = {
        "database or disk is full": "full",
        "attempt to write a readonly database": "readonly",
        "database is locked": "locked",
        "unable to open database file": "unopenable",
        "disk I/O error": "io",
    }
    for text, kind in cases.items():
        mapped = storage_errors.plain(sqlite3.OperationalError(text), "/data/dangqun.db")
        assert mapped is not None and mapped.kind == kind and "/data/dangqun.db" in str(mapped)
    assert storage_errors.plain(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
