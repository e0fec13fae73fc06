"""A conflict over an amount reads in 元, as 操作记录 does; deciding it still writes the stored fen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desktop_app.services import ledger, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_ledger import DuesRecord
from tests.integration.sync_world import World, build_templates, rows


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("sync-money-templates"), synced=True)


@pytest.fixture
def synced(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, prefix="synced-")
    yield w
    w.close()


def _set_paid(db, record_id: str, fen: int) -> None:
    with UnitOfWork(db) as uow:
        uow.session.get(DuesRecord, record_id).paid_fen = fen
        uow.commit()


def _paid_at_both_ends(synced) -> tuple[str, str]:
    """The street and the community each change one dues record's 实缴; the community's package brings a conflict.

    A record paid in a month the community has not closed: a closed one's change is refused whole (check_closed)."""
    closed = ledger.closed_months(synced.c1)
    after = max(closed).replace(day=28) + timedelta(days=4) if closed else date.min  # in the first open month
    with synced.c1.session() as s:
        record = s.scalars(select(DuesRecord.id).where(DuesRecord.deleted.is_(False), DuesRecord.paid_on >= after)
                           .order_by(DuesRecord.id)).first()
    _set_paid(synced.street, record, 320000)  # 3,200.00 元
    _set_paid(synced.c1, record, 1234567)  # 12,345.67 元
    synced.up(synced.c1)
    [c] = [c for c in sync.conflicts(synced.street) if c.row_id == record]
    return record, c.id


def test_a_conflicting_amount_reads_in_yuan_with_two_decimals(synced):
    _, conflict = _paid_at_both_ends(synced)
    paid = {f.column: f for f in sync.conflict_detail(synced.street, conflict).fields}["paid_fen"]
    assert (paid.label, paid.local, paid.incoming) == ("实缴（元）", "3,200.00", "12,345.67")


@pytest.mark.parametrize(("side", "kept"), [(sync.INCOMING, 1234567), (sync.LOCAL, 320000)])
def test_deciding_writes_the_stored_fen_not_the_shown_yuan(synced, side, kept):
    record, conflict = _paid_at_both_ends(synced)
    sync.resolve_conflict(synced.street, conflict, side)
    assert rows(synced.street, "dues_record")[record]["paid_fen"] == kept


def test_a_dues_conflict_is_named_by_its_member_and_month_not_its_category(synced):
    record, conflict = _paid_at_both_ends(synced)
    with synced.street.session() as s:
        r = s.get(DuesRecord, record)
        expected = f"{s.get(Member, r.member_id).name} · {r.month:%Y-%m}"
    [listed] = [c for c in sync.conflicts(synced.street) if c.id == conflict]
    assert listed.row_label == expected
    assert sync.conflict_detail(synced.street, conflict).conflict.row_label == expected
    assert sync.resolve_conflict(synced.street, conflict, sync.INCOMING).row_label == expected
