"""Who brought a row to the street: looked up by seeks on the stamps' key, not by reading every stamp."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event

from desktop_app.store.models_sync import SyncPeer, SyncRowState
from desktop_app.sync import handover

A, B = "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"
C = "cccccccc-0000-4000-8000-000000000003"  # holds stamps but has no sync_peer row (a street seen through a district)


def _ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


@pytest.fixture
def stamped(empty_db):
    """Stamps of three peers over two tables; some rows brought by a peer, some only agreed with it."""
    brought = {"member": {A: _ids(700), B: _ids(400), C: _ids(5)}, "attendance": {A: _ids(50)}}
    agreed = {"member": {B: _ids(30)}}  # the street's own rows the peer holds too: not brought by it
    with empty_db.session() as s:
        s.add_all([SyncPeer(site_id=A, org_name="甲社区"), SyncPeer(site_id=B, org_name="乙社区")])
        for introduced, stamps in ((True, brought), (False, agreed)):
            for table, by_peer in stamps.items():
                for peer, ids in by_peer.items():
                    s.add_all(SyncRowState(peer_site=peer, table_name=table, row_id=i, version=1,
                                           introduced=introduced) for i in ids)
        s.commit()
    return empty_db, brought, agreed


def test_each_row_is_named_with_the_peer_that_brought_it_and_no_other(stamped):
    db, brought, agreed = stamped
    wanted = {i: peer for peer, ids in brought["member"].items() for i in ids}
    asked = list(wanted) + agreed["member"][B] + brought["attendance"][A] + _ids(3)  # other table, unknown ids
    with db.session() as s:
        got = handover.introducers(s, "member", asked)
        assert got == wanted  # 1,105 ids: several statements' worth
        assert handover.introducers(s, "attendance", brought["attendance"][A][:7]) == {
            i: A for i in brought["attendance"][A][:7]}
        assert handover.introducers(s, "member", []) == {}


@pytest.mark.sqlite_only
def test_the_look_up_seeks_on_the_key_instead_of_reading_every_stamp(stamped):
    db, brought, _agreed = stamped
    seen: list[tuple[str, tuple]] = []

    def keep(conn, cursor, statement, params, context, many):
        if "sync_row_state.row_id IN" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        with db.session() as s:
            handover.introducers(s, "member", brought["member"][A][:20])
            statement, params = seen[-1]
            plan = " / ".join(r[-1] for r in s.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, params))
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert "SEARCH sync_row_state USING PRIMARY KEY (peer_site=? AND table_name=? AND row_id=?)" in plan, plan
    assert "SCAN sync_row_state" not in plan, plan
