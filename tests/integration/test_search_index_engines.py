"""The roster's in-memory search index on either engine: a commit from anywhere shows in the very next search.

On a file the index checks SQLite's data_version; on a district's server the
PostgreSQL snapshot (store.dialect.data_version). Another operator's program
(a second handle with its own connections) adds, renames and removes members;
each shows in the next keystroke, and the index answers as the SQL search does.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services.roster import queries, search
from desktop_app.store.db import Database
from desktop_app.store.models import Member
from desktop_app.views.roster import MemberFilter


def _add(db, name: str, n: int, org_id: str) -> str:
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", date(1970, 1, 1), n, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1), mobile="13955501234")).id


def test_another_operators_commits_show_in_the_next_search(db):
    assert search._index_for(db) is not None  # the index serves this engine
    branch = orgs.create(db, "第一党支部", "320102001001", "branch",
                         next(n.id for n in orgs.list_tree(db) if n.kind == "community")).id
    _add(db, "张三", 1, branch)
    assert len(roster.search_ids(db, MemberFilter(text="zhang"))) == 1
    other = Database(db.url)  # another program on the same file or server
    try:
        added = _add(other, "张四", 2, branch)
        assert len(roster.search_ids(db, MemberFilter(text="zhang"))) == 2
        with other.engine.begin() as conn:  # plain SQL, past the services
            conn.execute(update(Member).where(Member.id == added).values(name="李四", name_pinyin="lisi",
                                                                           name_initials="ls"))
        assert len(roster.search_ids(db, MemberFilter(text="zhang"))) == 1
        assert roster.search_ids(db, MemberFilter(text="lis")) == [added]
        roster.delete(other, added)
        assert roster.search_ids(db, MemberFilter(text="lis")) == []
        for text in ("z", "zh", "3", "139", "ls", "张"):
            flt = MemberFilter(text=text)
            assert roster.search_ids(db, flt) == queries._search_sql(db, flt, "seq", False, date.today())
    finally:
        other.dispose()
