"""A member file's rows are found on the roster by index when the roster is bigger than the file.

The preview finds which rows are already members (and their stored records), and apply checks again that
no ID number to add was taken meanwhile. Both once read the whole roster (every column of every member)
for any file of over 5,000 rows, so that each further file of 100,000 cost more than the last. Now they
scan only when the roster is no bigger than the file, and otherwise look the rows up through the
live-ID-number index; on an empty roster they read nothing. The three ways must give the same preview.
"""

import csv
from datetime import date

import pytest
from sqlalchemy import select, text

from desktop_app.domain import idcard
from desktop_app.domain.errors import Conflict
from desktop_app.services import roster
from desktop_app.services.roster import importing
from desktop_app.store import dialect
from desktop_app.store.models import Member

HEADER = ["姓名", "所在党支部", "公民身份号码", "人员类别", "加入党组织日期", "转为正式党员日期"]


def number(i: int) -> str:
    born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
    return idcard.make("320102", born, i % 100, idcard.MALE if i % 2 else idcard.FEMALE)


def member_file(path, rows: range, renamed: frozenset = frozenset()):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in rows:
            born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
            w.writerow([f"党员{i}{'改' if i in renamed else ''}", "第一党支部", number(i), "正式党员",
                        f"{born.year + 25}-07-01", f"{born.year + 26}-07-01"])
    return path


def outline(preview):
    return (len(preview.to_add), sorted(inp.id_number for _, inp, _ in preview.to_update), preview.unchanged,
            sorted(preview.planned))


@pytest.mark.parametrize("lookup_max", [0, 10_000])  # 0: every file counts as big; 10,000: none does
def test_scan_lookup_and_empty_roster_give_the_same_preview_and_apply(db, tmp_path, monkeypatch, lookup_max):
    monkeypatch.setattr(importing, "LOOKUP_MAX", lookup_max)
    monkeypatch.setattr(importing, "SCAN_SHARE", 1)  # a file bigger than the roster is a pass over it
    first = roster.preview_import(db, member_file(tmp_path / "a.csv", range(30)))  # empty roster
    assert outline(first)[0] == 30
    roster.apply_import(db, first)
    # 10 of the 30 again (3 renamed) and 5 new: the roster (30) is bigger than the file (15): lookups
    small = roster.preview_import(db, member_file(tmp_path / "b.csv", range(20, 35), frozenset({21, 22, 23})))
    # 25 of the 30 again (3 renamed) and 15 new: the file (40) is bigger than the roster (30): one scan
    big = roster.preview_import(db, member_file(tmp_path / "c.csv", range(5, 45), frozenset({21, 22, 23})))
    renamed = sorted(number(i) for i in (21, 22, 23))
    assert outline(small)[:3] == (5, renamed, 7)
    assert outline(big)[:3] == (15, renamed, 22)
    assert {p.stored["name"] for p in small.planned.values()} == {"党员21", "党员22", "党员23"}
    assert roster.apply_import(db, small, update_existing=True).updated == 3
    # The roster moved under `big` (its members' versions and five ID numbers now taken): apply refuses it.
    with pytest.raises(Conflict):
        roster.apply_import(db, big, update_existing=True)


def test_apply_finds_an_id_number_taken_since_the_preview_on_a_bigger_roster(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "LOOKUP_MAX", 0)
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "a.csv", range(30))))
    late = roster.preview_import(db, member_file(tmp_path / "b.csv", range(30, 36)))  # looked up: 6 < 30
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "c.csv", range(35, 36))))
    with pytest.raises(Conflict, match="党员35"):
        roster.apply_import(db, late)


@pytest.mark.sqlite_only  # the plan of SQLite, which keeps no statistics here
def test_the_lookups_use_an_index_not_a_walk_of_the_roster(db):
    with db.engine.connect() as conn:
        for key in (Member.id_number, Member.id):
            among, = dialect.conditions_in(conn, key, ["a", "b"])  # as the import asks (one query on SQLite)
            query = select(Member.id).where(Member.deleted.is_(False), among)
            sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(r[3] for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "ix_member_roster" not in plan and f"({key.key}=?)" in plan, plan


def test_rows_written_in_id_number_order_keep_their_own_values_and_numbers(db, tmp_path, monkeypatch):
    # Rows added to a bigger roster are written in ID-number order (the order of the insertions into the
    # indexes); each must keep its own cells, and the 序号 given in file order.
    from desktop_app.store import bulk

    monkeypatch.setattr(bulk, "BATCH", 7)  # a file "bigger than one batch", written in several
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "a.csv", range(40))))
    rows = list(range(60, 40, -1))  # ID numbers not in file order
    assert sorted(map(number, rows)) != list(map(number, rows))
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "b.csv", rows)))
    with db.engine.connect() as conn:
        got = {n: (name, seq) for n, name, seq in conn.execute(text(
            "SELECT id_number, name, seq FROM member WHERE NOT deleted"))}
    assert len(got) == 60
    first = got[number(60)][1]
    for k, i in enumerate(rows):
        assert got[number(i)] == (f"党员{i}", first + k)


def test_rows_into_a_bigger_roster_get_the_bigger_page_cache(db, tmp_path, monkeypatch):
    # Into a roster bigger than the file the rows go into the existing indexes: the insert runs with the
    # bigger cache; a file the indexes are rebuilt after keeps the smaller one; the caller's size comes back.
    from desktop_app.store import bulk

    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite page cache")
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 1)
    seen = []
    insert_columns = bulk.insert_columns

    def spy(s, *args):
        seen.append(s.connection().exec_driver_sql("PRAGMA cache_size").scalar())
        return insert_columns(s, *args)

    monkeypatch.setattr(bulk, "insert_columns", spy)
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "a.csv", range(40))))
    assert seen == [-16384]
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "b.csv", range(40, 50))))
    assert seen[1:] == [-65536]
    with db.engine.connect() as conn:  # the pool's connection keeps the size it had
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() not in (-65536, -16384)


def test_a_file_a_little_bigger_than_the_roster_is_looked_up_and_a_much_bigger_one_read_in_one_pass(
        db, tmp_path, monkeypatch):
    # Looking the numbers up beats a pass over the roster until the file is 5 times the roster (measured:
    # importing._scan_instead); the roster is counted only as far as that.
    monkeypatch.setattr(importing, "LOOKUP_MAX", 0)
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "a.csv", range(30))))
    with db.engine.connect() as conn:
        assert [importing._scan_instead(conn, n) for n in (30, 40, 149, 150, 400)] == [False, False, False, True, True]
