"""The migrated schema's indexes are the models' indexes, and none of them is on `deleted` alone.

An index on `deleted` (false on nearly every row) made SQLite, which keeps no
statistics here, walk a whole table for `fk = ? AND deleted = 0` lookups
(migration 0029 dropped them): the plan test below fails if one comes back.
"""

from alembic import command
from sqlalchemy import create_engine, inspect, text

from desktop_app.store import migrate
from desktop_app.store import schema  # noqa: F401  (every table)
from desktop_app.store.base import Base
from desktop_app.store.db import Database


def _indexes(insp, table: str) -> dict[str, tuple]:
    return {i["name"]: tuple(i["column_names"]) for i in insp.get_indexes(table)}


def test_migrated_indexes_match_the_models(tmp_path):
    db, _ = migrate.open_database(tmp_path / "head.db")
    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    Base.metadata.create_all(engine)
    migrated, from_models = inspect(db.engine), inspect(engine)
    for table in Base.metadata.sorted_tables:
        assert _indexes(migrated, table.name) == _indexes(from_models, table.name), table.name
        assert ("deleted",) not in _indexes(migrated, table.name).values(), table.name
    member = _indexes(migrated, "member")
    assert "ix_member_status" not in member and "ix_member_id_number" not in member
    assert {"ix_member_roster", "uq_member_live_id_number", "ix_member_org_id"} <= set(member)
    engine.dispose()
    db.dispose()


def test_a_lookup_by_a_foreign_key_uses_its_index_not_a_scan(tmp_path):
    db, _ = migrate.open_database(tmp_path / "head.db")
    with db.engine.connect() as conn:
        for table, column in (("attendance", "meeting_id"), ("member_status_change", "member_id"),
                              ("ledger_entry", "account_id"), ("visit_member", "visit_id")):
            plan = " ".join(r[3] for r in conn.execute(text(
                f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {column} = 'x' AND deleted IS 0")))
            assert f"({column}=?)" in plan and "_deleted" not in plan, plan
    db.dispose()


def test_downgrade_from_0029_brings_the_indexes_back(tmp_path):
    db, _ = migrate.open_database(tmp_path / "a.db")
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0028")
    insp = inspect(db.engine)
    assert _indexes(insp, "attendance")["ix_attendance_deleted"] == ("deleted",)
    assert _indexes(insp, "member")["ix_member_id_number"] == ("id_number",)
    db.dispose()
    db = Database.at(tmp_path / "a.db")
    migrate.upgrade(db)
    assert "ix_attendance_deleted" not in _indexes(inspect(db.engine), "attendance")
    db.dispose()


def _plan(conn, statement) -> str:
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    return " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_a_live_member_lookup_written_with_is_false_uses_the_right_index(tmp_path):
    """`Member.deleted.is_(False)`, as services write it: by ID number through the live partial index, by
    branch through ix_member_org_id, never a walk of ix_member_roster (whose first column is `deleted`)."""
    from sqlalchemy import select

    from desktop_app.store.models import Member, Organization

    db, _ = migrate.open_database(tmp_path / "head.db")
    with db.engine.connect() as conn:
        by_id_number = _plan(conn, select(Member.id, Member.name, Organization.name)
                             .outerjoin(Organization, Organization.id == Member.org_id)
                             .where(Member.id_number == "x", Member.deleted.is_(False)))
        assert "uq_member_live_id_number (id_number=?)" in by_id_number, by_id_number
        by_branch = _plan(conn, select(Member.id).where(Member.org_id == "x", Member.deleted.is_(False)))
        assert "ix_member_org_id (org_id=?)" in by_branch, by_branch
        roster = _plan(conn, select(Member.id).where(Member.deleted.is_(False)).order_by(Member.seq))
        assert "ix_member_roster" in roster and "TEMP B-TREE" not in roster, roster
    db.dispose()
