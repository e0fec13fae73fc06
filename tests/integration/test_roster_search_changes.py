"""On a district's server the roster's search lists outlive commits that do not touch the roster.

Reading 320,000 members again costs seconds, and at a district someone is
always committing something. On PostgreSQL (migration 0030's notices) the lists
are kept across another operator's commit to a meeting, and dropped by the next
keystroke after a commit to a member, an organisation or a 双报到 registration,
however it was written. On a file every commit drops them (its data_version).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text, update

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings, orgs, roster
from desktop_app.services.roster import search
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization
from desktop_app.views.meetings import MeetingInput
from desktop_app.views.roster import MemberFilter


def _lists(db):
    roster.search_ids(db, MemberFilter(text="z"))
    return next(iter(search._index_for(db)._lists.values()))


def test_only_roster_commits_drop_the_lists(db):
    community = next(n.id for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一党支部", "320102001001", "branch", community).id
    added = roster.create(db, MemberInput(
        name="张三", org_id=branch, id_number=idcard.make("320102", date(1970, 1, 1), 1, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1))).id
    first = _lists(db)
    other = Database(db.url)  # another operator's program
    try:
        meetings.plan(other, MeetingInput(org_id=branch, kind="支部党员大会", title="一季度",
                                          meeting_date=date(2025, 3, 1)))
        kept = _lists(db)
        assert (kept is first) == (db.engine.dialect.name == "postgresql")
        for change in (
                update(Member).where(Member.id == added).values(name="李三", name_pinyin="lisan", name_initials="ls"),
                update(Organization).where(Organization.id == branch).values(name="第二党支部")):
            with other.engine.begin() as conn:
                conn.execute(change)
            fresh = _lists(db)
            assert fresh is not kept, change
            kept = fresh
        if db.engine.dialect.name == "postgresql":  # (a file that did not change keeps its data_version)
            with other.engine.begin() as conn:  # no row at all: still a statement on the table, a notice
                conn.execute(text("UPDATE reporting_member SET notes = notes"))
            assert _lists(db) is not kept
        assert roster.search_ids(db, MemberFilter(text="lis")) == [added]
        assert roster.search_ids(db, MemberFilter(text="zhang")) == []
    finally:
        other.dispose()
