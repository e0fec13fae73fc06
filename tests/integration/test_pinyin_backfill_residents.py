"""Upgrading to 0034 gives residents (and members) saved with phrase-read pinyin keys today's keys, nothing else."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select

from desktop_app.store import migrate
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Resident
from tests.integration.test_sync_peer_format import at_head  # noqa: F401 - the fixture (SQLite, PostgreSQL)

# As a program before the per-character table stored them: 思 read in the phrase 于思 (yu-sai).
STALE = {"于思雨": ("yusaiyu", "ysy"), "曾思雨": ("cengsaiyu", "csy"), "张三": ("zhangsan", "zs")}
TODAY = {"于思雨": ("yusiyu", "ysy"), "曾思雨": ("zengsiyu", "zsy"), "张三": ("zhangsan", "zs")}


def keys(db: Database, model) -> dict[str, tuple[str, str]]:
    with db.engine.connect() as conn:
        return {n: (p, i) for n, p, i in conn.execute(select(model.name, model.name_pinyin, model.name_initials))}


def stamps(db: Database, model) -> list[tuple]:
    with db.engine.connect() as conn:
        return conn.execute(select(model.id, model.version, model.updated_at, model.updated_by_site)
                            .order_by(model.id)).all()


def test_0034_reads_the_old_keys_again_and_leaves_the_rows_otherwise_untouched(at_head):  # noqa: F811
    db = at_head
    with db.session() as s:
        org = Organization(name="幸福里社区党委", code="320102001", kind="community")
        s.add(org)
        s.flush()
        for n, (name, (pinyin, initials)) in enumerate(STALE.items()):
            s.add(Resident(name=name, name_pinyin=pinyin, name_initials=initials, grid_id=org.id))
            s.add(Member(name=name, name_pinyin=pinyin, name_initials=initials, org_id=org.id, seq=n + 1,
                         id_number=f"32010219700506{n:03d}X"))
        s.commit()
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:  # a database of the program before: its head, these keys
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0033")
    assert keys(db, Resident) == STALE  # the downgrade has nothing to restore, and leaves the keys
    before = stamps(db, Resident), stamps(db, Member)
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.SCHEMA_HEAD
    assert keys(db, Resident) == TODAY
    assert keys(db, Member) == TODAY
    assert (stamps(db, Resident), stamps(db, Member)) == before  # derived data: no new version, no stamp
