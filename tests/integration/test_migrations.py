"""Upgrading an older database keeps its data, after a backup copy."""

import sqlite3
import uuid

import pytest
from sqlalchemy import inspect

from desktop_app.domain import idcard
from desktop_app.store import migrate
from desktop_app.store.base import Base
from desktop_app.store import schema  # noqa: F401  (every table)
from desktop_app.store.db import Database


def _now():
    return "2025-01-01 00:00:00.000000"


def test_first_revision_with_data_upgrades_to_head_intact(tmp_path):
    path = tmp_path / "old.db"
    db = Database.at(path)
    migrate.upgrade(db, "0001")
    assert migrate.current_revision(db) == "0001"
    org_id, member_id = str(uuid.uuid4()), str(uuid.uuid4())
    con = sqlite3.connect(path)
    sync = (_now(), _now(), "site-1", 3, 0)
    con.execute(
        "INSERT INTO organization (id, code, name, kind, parent_id, sort_order, created_at, updated_at,"
        " updated_by_site, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (org_id, "C01", "幸福里社区党委", "community", None, 1, *sync),
    )
    number = idcard.make("320102", __import__("datetime").date(1970, 5, 6), 12, idcard.MALE)
    con.execute(
        "INSERT INTO member (id, seq, name, org_id, id_number, gender, ethnicity, education, category,"
        " job, mobile, phone, address, party_status, is_lost, is_floating, floating_to, notes, status,"
        " reporting_employer, reporting_post, reporting_services, is_hardship, created_at, updated_at,"
        " updated_by_site, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (member_id, 1, "张三", org_id, number, "男", "汉族", "本科", "正式党员", "教师", "13912345678",
         "", "幸福里3栋", "正常", 0, 0, "", "", "正常", "", "", "", 0, *sync),
    )
    con.commit()
    con.close()
    db.dispose()

    db2, backup = migrate.open_database(path)
    assert backup is not None and backup.exists()
    assert migrate.current_revision(db2) == migrate.head_revision()
    con = sqlite3.connect(path)
    row = con.execute(
        "SELECT name, id_number, org_id, version, name_pinyin, name_initials FROM member WHERE id=?", (member_id,)
    ).fetchone()
    assert row == ("张三", number, org_id, 3, "zhangsan", "zs")
    assert con.execute("SELECT name FROM organization").fetchall() == [("幸福里社区党委",)]
    # the backup is the old schema with the old data
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("SELECT count(*) FROM member").fetchone() == (1,)


def test_migrations_and_models_agree(tmp_path):
    db, _ = migrate.open_database(tmp_path / "head.db")
    migrated = inspect(db.engine)
    for table in Base.metadata.sorted_tables:
        cols = {c["name"] for c in migrated.get_columns(table.name)}
        assert cols == {c.name for c in table.columns}, table.name


def test_opening_head_database_makes_no_backup(tmp_path):
    db, backup = migrate.open_database(tmp_path / "a.db")
    db.dispose()
    db, backup = migrate.open_database(tmp_path / "a.db")
    assert backup is None


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 10)
    with pytest.raises(migrate.NotADatabase):
        migrate.open_database(path)
    assert path.read_bytes().startswith(b"this is a spreadsheet")


def test_schema_head_constant_matches_the_migration_scripts():
    assert migrate.SCHEMA_HEAD == migrate.head_revision()
