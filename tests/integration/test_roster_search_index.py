"""The roster's search index answers exactly as the SQL search does, and never shows a roster older than the file.

A demo community is searched both ways for every prefix of a set of typed words
(names, pinyin, initials, ID and phone fragments, an X, two words, odd characters)
under every sort; then members are written through this handle, through a second
handle on the same file (as the command line or a sync merge would) and with
plain SQL, and each write shows in the very next search.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import demo, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import queries, search
from desktop_app.views.roster import MemberFilter

WORDS = ["zhang", "wxm", "王秀", "李建国", "3101", "1391", "liu", "chen", "x", "31x", "王 z", "zs", "ZH",
         "%", "_", "a_b", "秀 13", "·", "320", "0x"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "demo.db"
    db, _ = open_database(path)
    demo.generate(db, members=300, seed=3)
    yield db
    db.dispose()


def test_every_prefix_under_every_sort_matches_the_sql_search(demo_db):
    today = date.today()
    assert search._index_for(demo_db) is not None
    checked = 0
    for word in WORDS:
        for k in range(1, len(word) + 1):
            for sort in ("seq", "name", "org", "age", "party_age"):
                for flt in (MemberFilter(text=word[:k]), MemberFilter(text=word[:k], active_only=True)):
                    want = queries._search_sql(demo_db, flt, sort, sort == "name", today)
                    assert roster.search_ids(demo_db, flt, sort=sort, descending=sort == "name") == want, (word[:k], sort)
                    checked += bool(want)
    assert checked > 100  # most of them found someone: the comparison was not of empty lists


def _member(name: str, n: int, org_id: str) -> MemberInput:
    born = date(1966, 3, 4)
    return MemberInput(name=name, org_id=org_id, id_number=idcard.make("320102", born, n, idcard.MALE),
                       joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1), mobile="13955501234")


@pytest.mark.sqlite_only  # a second handle on the same file and plain sqlite3: the file's own data_version
def test_a_write_from_anywhere_shows_in_the_next_search(db, tmp_path):
    from desktop_app.services import orgs

    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    roster.create(db, _member("欧阳娜娜", 1, branch.id))
    assert len(roster.search_ids(db, MemberFilter(text="oyn"))) == 1  # the index is loaded now

    # through this handle: an edit of the name
    mid = roster.search_ids(db, MemberFilter(text="oyn"))[0]
    detail = roster.get(db, mid)
    roster.update(db, mid, MemberInput(**{**_fields(detail), "name": "欧阳菲菲"}))
    assert roster.search_ids(db, MemberFilter(text="oyn")) == []
    assert roster.search_ids(db, MemberFilter(text="ouyangfei")) == [mid]

    # through a second handle on the file, as the command line would
    other, _ = open_database(db.path)
    try:
        roster.create(other, _member("司马光", 2, branch.id))
    finally:
        other.dispose()
    assert len(roster.search_ids(db, MemberFilter(text="smg"))) == 1

    # plain SQL, no program code at all
    con = sqlite3.connect(db.path)
    con.execute("UPDATE member SET mobile = '13800001111' WHERE id = ?", (mid,))
    con.commit()
    con.close()
    assert roster.search_ids(db, MemberFilter(text="0000111")) == [mid]

    roster.delete(db, mid)
    assert roster.search_ids(db, MemberFilter(text="ouyangfei")) == []


def _fields(detail) -> dict:
    from desktop_app.domain.members import MEMBER_FIELDS

    return {f: getattr(detail, f) for f in MEMBER_FIELDS}


def test_closing_the_database_closes_the_index_connection(tmp_path):
    db, _ = open_database(tmp_path / "t.db")
    roster_index = search._index_for(db)
    from desktop_app.services import site

    site.init_site(db, "320102001", "幸福里社区党委", "community")
    roster.search_ids(db, MemberFilter(text="a"))
    assert roster_index._probe is not None
    db.dispose()
    assert roster_index._probe is None  # nothing keeps the file open (a restore replaces it on Windows)


def test_the_rosters_own_register_query_is_the_cobuilding_models_query():
    from sqlalchemy.dialects import postgresql, sqlite

    from desktop_app.services.roster import queries
    from desktop_app.store.models_cobuilding import registered_member_ids

    for dialect in (sqlite.dialect(), postgresql.dialect()):
        ours = str(queries._registered_member_ids().compile(dialect=dialect))
        assert ours == str(registered_member_ids().compile(dialect=dialect))


@pytest.mark.sqlite_only  # plain sqlite3 on the file: its own data_version
def test_rows_read_before_are_read_again_once_the_file_changed(db):
    from desktop_app.services import orgs

    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    mid = roster.create(db, _member("欧阳娜娜", 1, branch.id)).id
    first = roster.rows(db, [mid])
    assert [r.name for r in first] == ["欧阳娜娜"]
    assert roster.rows(db, [mid]) == first  # unchanged file: the same row, not read again

    con = sqlite3.connect(db.path)
    con.execute("UPDATE member SET name = '欧阳菲菲', mobile = '13800001111' WHERE id = ?", (mid,))
    con.commit()
    con.close()
    again = roster.rows(db, [mid, "nobody"])
    assert [(r.name, r.mobile_masked) for r in again] == [("欧阳菲菲", "138****1111")]
    assert roster.rows(db, [mid], today=date(2000, 1, 1))[0].age != again[0].age  # aged as of the day asked
