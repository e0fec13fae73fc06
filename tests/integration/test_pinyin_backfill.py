"""Upgrading to 0027 gives members saved with phrase-read pinyin keys their per-character keys, nothing else."""

import sqlite3
from datetime import date

import pytest
from alembic import command

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import roster, site
from desktop_app.services.database import open_database
from desktop_app.store import migrate

pytestmark = pytest.mark.sqlite_only


def test_old_search_keys_are_read_again_and_the_members_are_otherwise_untouched(tmp_path):
    path = tmp_path / "old.db"
    db, _ = open_database(path)
    site.init_site(db, "320102001", "幸福里社区党委", "community")
    for i, name in enumerate(["于思雨", "张三"]):
        roster.create(db, MemberInput(name=name, org_id=roster.root_org_id(db),
                                      id_number=idcard.make("320102", date(1970, 5, 6), i, idcard.FEMALE),
                                      joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1)))
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:  # the file as the program before 0027 had it (0033's column gone too)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0026")
    db.dispose()
    con = sqlite3.connect(path)
    # As a program before the per-character table stored them: 思 read in the phrase 于思 (yu-sai).
    con.execute("UPDATE member SET name_pinyin = 'yusaiyu' WHERE name = '于思雨'")
    con.commit()
    before = con.execute("SELECT id, version, updated_at, updated_by_site FROM member ORDER BY seq").fetchall()
    con.close()

    db, backup = migrate.open_database(path)
    assert backup is not None and migrate.current_revision(db) == migrate.head_revision()
    db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT name, name_pinyin, name_initials FROM member ORDER BY seq").fetchall() == [
        ("于思雨", "yusiyu", "ysy"), ("张三", "zhangsan", "zs")]
    assert con.execute("SELECT id, version, updated_at, updated_by_site FROM member ORDER BY seq").fetchall() == before
    con.close()
