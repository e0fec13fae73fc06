"""A 序号, a package sequence or a file size past 2^31 is stored and read back, on both engines.

PostgreSQL's INTEGER stops at 2^31 - 1 (db/versions/0028 widens the columns
that can go past it); SQLite's INTEGER is 64-bit, and `sync_identity.id` must
stay its rowid alias there.
"""

from sqlalchemy import inspect, select, update

from desktop_app.store.base import Base
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_sync import SyncPeer
from desktop_app.store import schema  # noqa: F401  (every table)

BIG = 2**31 + 7  # one past what a 32-bit column holds
HUGE = 2**53 + 1


def _wide_columns():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if type(column.type).__name__ == "BigInteger" and "sqlite" in column.type._variant_mapping:
                yield table.name, column.name


def test_the_migrated_schema_has_the_models_column_types(empty_db):
    wide = set(_wide_columns())
    assert {("member", "seq"), ("meeting_topic", "seq"), ("sync_identity", "id")} <= wide
    expected = "BIGINT" if empty_db.engine.dialect.name == "postgresql" else "INTEGER"
    inspector = inspect(empty_db.engine)
    for table, column in sorted(wide):
        kind = {c["name"]: c["type"] for c in inspector.get_columns(table)}[column]
        assert str(kind).upper() == expected, (table, column, kind)


def test_a_seq_over_two_to_the_31_is_stored(db):
    with db.session() as s:
        org = s.scalar(select(Organization.id).where(Organization.kind == "community"))
        s.add(Member(name="张大", org_id=org, id_number="", seq=BIG))
        s.commit()
    with db.session() as s:
        s.execute(update(Member).where(Member.seq == BIG).values(seq=HUGE))
        s.commit()
        assert s.scalar(select(Member.seq).where(Member.name == "张大")) == HUGE
        assert s.scalar(select(Member.name).where(Member.seq > 2**31)) == "张大"


def test_package_counters_take_a_64_bit_value(db):
    with db.session() as s:
        s.add(SyncPeer(site_id="peer-1", last_seq=HUGE, last_rows=BIG, packages=BIG, last_size=HUGE))
        s.commit()
    with db.session() as s:
        peer = s.get(SyncPeer, "peer-1")
        assert (peer.last_seq, peer.last_rows, peer.packages, peer.last_size) == (HUGE, BIG, BIG, HUGE)
