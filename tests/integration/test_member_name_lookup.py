"""A member named by an exact name or an ID number (党员 lookups of the command line) is found without reading the table.

The ID number goes by the live-ID-number index. The member has no index on the name, its initials
(db/versions/0031) or its pinyin (0032: every import into a big roster wrote back all of it), so a
name is read from the covering ix_member_roster (about 10 ms per 100,000 members). Written as one
`id_number = ? OR name = ?`, the ID number would take that walk too.
"""

import pytest
from alembic import command
from sqlalchemy import inspect

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import roster
from desktop_app.services.memberlife import life
from desktop_app.store import migrate
from desktop_app.store.db import Database
from tests.integration.test_member_import_lookups import member_file, number
from tests.sql_statements import statements as sql_statements


@pytest.fixture
def members(db, tmp_path):
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "a.csv", range(30))))
    roster.apply_import(db, roster.preview_import(db, member_file(tmp_path / "b.csv", range(30, 32), frozenset())))
    return db


def test_a_member_is_found_by_name_or_id_number_and_a_shared_name_is_refused(members, tmp_path):
    db = members
    mid, name = life.find_member(db, "党员7")
    assert name == "党员7"
    assert life.find_member(db, number(7).lower()) == (mid, name)
    with pytest.raises(NotFound):
        life.find_member(db, "党员")
    # Two members of one name: the lookup names them by ID number instead of choosing.
    with open(tmp_path / "c.csv", "w", encoding="utf-8-sig") as fh:
        src = open(member_file(tmp_path / "d.csv", range(40, 41)), encoding="utf-8-sig").read()
        fh.write(src.replace("党员40", "党员7"))
    roster.apply_import(db, roster.preview_import(db, tmp_path / "c.csv"))
    with pytest.raises(ValidationError, match="有 2 名党员叫"):
        life.find_member(db, "党员7")


def test_the_lookup_reads_an_index_not_the_whole_roster(members):
    db = members
    statements = [(sql, params) for sql, params in sql_statements(db, lambda: life.find_member(db, "党员7"), "FROM member")
                  if not sql.startswith("EXPLAIN")]
    assert statements
    if db.engine.dialect.name != "sqlite":
        return
    plans = []
    with db.engine.connect() as conn:
        for statement, params in statements:
            plan = " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
            plans.append(plan)
            assert ("uq_member_live_id_number (id_number=?)" in plan
                    or "COVERING INDEX ix_member_roster" in plan), plan
    assert any("uq_member_live_id_number" in plan for plan in plans), plans


def test_0031_drops_the_name_indexes_and_its_downgrade_brings_them_back(tmp_path):
    db, _ = migrate.open_database(tmp_path / "a.db")
    names = {i["name"] for i in inspect(db.engine).get_indexes("member")}
    assert not {"ix_member_name", "ix_member_name_initials", "ix_member_name_pinyin"} & names
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0030")
    back = {i["name"]: tuple(i["column_names"]) for i in inspect(db.engine).get_indexes("member")}
    assert back["ix_member_name"] == ("name",) and back["ix_member_name_initials"] == ("name_initials",)
    db.dispose()
    db = Database.at(tmp_path / "a.db")
    migrate.upgrade(db)
    assert "ix_member_name" not in {i["name"] for i in inspect(db.engine).get_indexes("member")}
    db.dispose()


def test_0032_drops_the_pinyin_index_from_a_roster_and_its_downgrade_brings_it_back(members):
    db = members
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0031")
    back = {i["name"]: tuple(i["column_names"]) for i in inspect(db.engine).get_indexes("member")}
    assert back["ix_member_name_pinyin"] == ("name_pinyin",)
    db.engine.dispose()
    migrate.upgrade(db)  # a database holding members upgrades; nobody is lost or changed
    assert "ix_member_name_pinyin" not in {i["name"] for i in inspect(db.engine).get_indexes("member")}
    mid, name = life.find_member(db, "党员7")
    assert name == "党员7" and life.find_member(db, number(7)) == (mid, name)
