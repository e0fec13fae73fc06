"""store.bulk: rows written column by column as SQLAlchemy would store them; indexes dropped and rebuilt for a big load."""

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from desktop_app.domain import idcard
from desktop_app.domain.members import MEMBER_FIELDS, MemberInput
from desktop_app.services import roster
from desktop_app.store import bulk
from desktop_app.store.base import sync_values
from desktop_app.store.models import Member
from desktop_app.views.roster import MemberBatch

pytestmark = pytest.mark.sqlite_only  # the index rebuild is SQLite's; the server keeps its indexes


def _indexes(s) -> set[tuple[str, str]]:
    return set(s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member' "
                              "AND sql IS NOT NULL")).all())


def _columns(org_id: str, numbers: list[str], now: datetime) -> dict[str, list]:
    batch = MemberBatch.of([MemberInput(name=f"党员{i}", org_id=org_id, id_number=n, gender=idcard.FEMALE,
                                        birth_date=date(1950, 1, 1), joined_date=date(1975, 7, 1), seq=i + 1)
                            for i, n in enumerate(numbers)])
    m = len(numbers)
    cols = {f: batch.column(f) for f in MEMBER_FIELDS}
    stamps = [sync_values("site-1", now) for _ in range(m)]
    return cols | {k: [st[k] for st in stamps] for k in stamps[0]} | {
        "status": ["正常"] * m, "name_pinyin": [""] * m, "name_initials": [""] * m}


def test_new_ids_are_distinct_version_4_uuids():
    ids = bulk.new_ids(2000)
    assert len(set(ids)) == 2000
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 4 and uuid.UUID(i).variant == uuid.RFC_4122
               for i in ids)


def test_rows_are_stored_as_sqlalchemy_stores_them_and_the_indexes_come_back(db, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 1)
    org_id = roster.root_org_id(db)
    numbers = [idcard.make("310105", date(1950, 1, 1), i, idcard.FEMALE) for i in range(3)]
    now = datetime(2026, 1, 2, 3, 4, 5, 678901)
    with db.session() as s:
        before = _indexes(s)
        s.connection().exec_driver_sql("BEGIN IMMEDIATE")  # as the import does (services.roster.importing)
        with bulk.indexes_built_after(s.connection(), Member.__table__, 3):
            assert _indexes(s) == set()  # dropped for the load
            bulk.insert_columns(s, Member.__table__, _columns(org_id, numbers, now), 3)
        assert _indexes(s) == before
        s.commit()
    with db.session() as s:
        got = s.scalars(select(Member).order_by(Member.seq)).all()
        assert [(m.id_number, m.birth_date, m.joined_date, m.created_at, m.deleted, m.is_lost) for m in got] == [
            (n, date(1950, 1, 1), date(1975, 7, 1), now, False, False) for n in numbers]
        # the ORM reads the same text it would have written itself
        raw = s.execute(text("SELECT birth_date, created_at, deleted FROM member LIMIT 1")).one()
        assert tuple(raw) == ("1950-01-01", "2026-01-02 03:04:05.678901", 0)


def test_a_duplicate_is_refused_when_the_unique_index_is_built_and_nothing_stays(db, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 1)
    org_id = roster.root_org_id(db)
    same = idcard.make("310105", date(1950, 1, 1), 7, idcard.FEMALE)
    with db.session() as s:
        before = _indexes(s)
        s.connection().exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(IntegrityError, match="id_number"):
            with bulk.indexes_built_after(s.connection(), Member.__table__, 2):
                bulk.insert_columns(s, Member.__table__, _columns(org_id, [same, same], datetime(2026, 1, 1)), 2)
        s.rollback()
        assert _indexes(s) == before and s.scalar(text("SELECT count(*) FROM member")) == 0


def test_an_import_that_rebuilds_the_indexes_leaves_them_as_they_were(db, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 1)
    numbers = [idcard.make("310105", date(1960, 1, 1), i, idcard.MALE) for i in range(5)]
    path = tmp_path / "m.csv"
    path.write_text("姓名,公民身份号码,人员类别,加入党组织日期,转为正式党员日期\n" + "".join(
        f"党员{i},{n},正式党员,1990-07-01,1991-07-01\n" for i, n in enumerate(numbers)), encoding="utf-8")
    with db.session() as s:
        before = _indexes(s)
    assert roster.apply_import(db, roster.preview_import(db, path)).added == 5
    with db.session() as s:
        assert _indexes(s) == before


def test_outside_a_transaction_the_indexes_are_left_alone(db, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 1)
    with db.session() as s:
        before = _indexes(s)
        with bulk.indexes_built_after(s.connection(), Member.__table__, 3):
            assert _indexes(s) == before


def test_ordered_ids_are_sorted_time_ordered_uuids_after_every_earlier_batch():
    first = bulk.new_ids(3000, ordered=True)
    later = bulk.new_ids(10, ordered=True)  # within the same millisecond too
    assert first == sorted(first) and len(set(first)) == 3000
    assert later == sorted(later) and later[0] > first[-1]
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122
               for i in first + later)
    made_ms = int(first[0].replace("-", "")[:12], 16)  # RFC 9562: the first 48 bits are Unix time in ms
    assert abs(made_ms / 1000 - datetime.now().timestamp()) < 60
    assert bulk.new_ids(0) == [] and bulk.new_ids(0, ordered=True) == []


def test_an_import_into_a_roster_appends_to_its_primary_key(db, tmp_path):
    """The members of a second file get ids after every member's of the first: their rows append to the
    primary key's b-tree instead of landing all over it (which made each file cost more as the roster grew)."""
    def csv(name: str, numbers: list[str]) -> Path:
        path = tmp_path / name
        path.write_text("姓名,公民身份号码,人员类别,加入党组织日期,转为正式党员日期\n" + "".join(
            f"党员{i},{n},正式党员,1990-07-01,1991-07-01\n" for i, n in enumerate(numbers)), encoding="utf-8")
        return path

    numbers = [idcard.make("310105", date(1960, 1, 1 + i % 28), i % 100, idcard.MALE) for i in range(60)]
    for name, part in (("a.csv", numbers[::2]), ("b.csv", numbers[1::2])):
        assert roster.apply_import(db, roster.preview_import(db, csv(name, part))).added == 30
    with db.session() as s:
        by_number = dict(s.execute(select(Member.id_number, Member.id)).all())
    assert max(by_number[n] for n in numbers[::2]) < min(by_number[n] for n in numbers[1::2])


def test_columns_of_one_value_written_into_the_statement_are_stored_alike(db):
    """A column holding one value in every row goes into the INSERT's text: text with a quote, None,
    an int, a flag, a date and a stamp read back as bound ones do; a column mixing 1 and True is bound."""
    org_id = roster.root_org_id(db)
    numbers = [idcard.make("310105", date(1950, 1, 1), i, idcard.FEMALE) for i in range(4)]
    now = datetime(2026, 1, 2, 3, 4, 5, 678901)
    cols = _columns(org_id, numbers, now) | {
        "address": ["O'Brien 路 3 号"] * 4, "confirmed_date": [None] * 4, "is_lost": [False] * 4,
        "job": ["退休", "退休", "在职", "退休"], "version": [1, True, 1, 1],
    }
    with db.session() as s:
        sql, bound = bulk._statement(s.connection(), Member.__table__, list(cols), [cols[k] for k in cols], 4)
        assert "'O''Brien 路 3 号'" in sql and "?" in sql
        bulk.insert_columns(s, Member.__table__, cols, 4)
        s.commit()
    with db.session() as s:
        got = s.scalars(select(Member).order_by(Member.seq)).all()
        assert [(m.address, m.confirmed_date, m.is_lost, m.job, m.version, m.created_at, m.birth_date)
                for m in got] == [("O'Brien 路 3 号", None, False, j, 1, now, date(1950, 1, 1))
                                  for j in ("退休", "退休", "在职", "退休")]
        raw = s.execute(text("SELECT typeof(version), typeof(is_lost), created_at FROM member LIMIT 1")).one()
        assert tuple(raw) == ("integer", "integer", "2026-01-02 03:04:05.678901")


def test_rows_whose_every_column_is_constant_are_all_written(db):
    with db.session() as s:
        conn = s.connection()
        conn.exec_driver_sql("CREATE TEMP TABLE t (a, b)")
        from sqlalchemy import Column, MetaData, Table
        t = Table("t", MetaData(), Column("a"), Column("b"))
        assert bulk.insert_columns(s, t, {"a": [1, 1, 1], "b": ["x", "x", "x"]}, 3) == 3
        assert conn.exec_driver_sql("SELECT a, b FROM t").all() == [(1, "x")] * 3
