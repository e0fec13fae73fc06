"""District mode: several operators import packages into one PostgreSQL database at once.

The street (or district) database lives on the PostgreSQL cluster
(DANGQUN_TEST_PG_URL); the communities are files, as they are in the field.
Two importers run in two threads, each with its own connection pool, as two
operators' programs would.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from desktop_app.services import audit_chain, site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.base import utcnow
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_ledger import DuesRateRule
from desktop_app.store.models_sync import SyncImport, SyncRowState
from desktop_app.sync import merge
from desktop_app.store.db import Database
from desktop_app.store.migrate import open_database
from tests.conftest import PG_URL
from tests.integration.sync_world import STREET_CODE, STREET_NAME, enrol, fill_community

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL cluster (DANGQUN_TEST_PG_URL)")


@pytest.fixture
def district(empty_db, tmp_path):
    """The street's database on the server, its key, and two enrolled communities' first packages."""
    site.init_site(empty_db, STREET_CODE, STREET_NAME, "street")
    sync.new_key(empty_db, tmp_path / "street.dqkey")
    packages = []
    for i, seed in enumerate((11, 12), start=1):
        c, _ = open_database(tmp_path / f"c{i}.db")
        fill_community(c, 30, seed)
        enrol(empty_db, c, tmp_path, f"c{i}")
        packages.append(sync.export_package(c, tmp_path / f"up-c{i}.dqsync", full=True).path)
        c.dispose()
    return empty_db, packages


def _at_once(db: Database, paths) -> list:
    """Each path imported by its own operator (own engine), all started together; their reports or errors."""
    start = threading.Barrier(len(paths))
    out: list = [None] * len(paths)

    def work(i: int, path) -> None:
        operator = Database(db.url)
        try:
            start.wait()
            out[i] = sync.import_package(operator, path)
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            out[i] = exc
        finally:
            operator.dispose()

    threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate(paths)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return out


def _imports(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(SyncImport))


def _import_entries(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sync_import"))


def test_two_operators_importing_the_same_package_at_once_apply_it_once(district):
    db, (p1, _) = district
    reports = _at_once(db, [p1, p1])
    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sorted(r.already_imported for r in reports) == [False, True]
    assert _imports(db) == 1 and _import_entries(db) == 1
    again = sync.import_package(db, p1)  # and later: still a no-op
    assert again.already_imported and _imports(db) == 1
    assert audit_chain.verify(db) == []


def test_two_operators_import_different_communities_at_once(district):
    db, (p1, p2) = district
    reports = _at_once(db, [p1, p2])
    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert [r.already_imported for r in reports] == [False, False]
    assert all(sum(t.changed for t in r.tables) > 0 for r in reports)
    assert _imports(db) == 2 and _import_entries(db) == 2
    assert audit_chain.verify(db) == []  # the two imports' trail entries form one unbroken chain
    # Both brought the default 党费 rates (the same fixed ids): the street's own (seeded with its key), introduced by none.
    rates = [{t.table: (t.inserted, t.unchanged) for t in r.tables}["dues_rate_rule"] for r in reports]
    with db.session() as s:
        n = s.scalar(select(func.count()).select_from(DuesRateRule))
        introducers = set(s.scalars(select(SyncRowState.peer_site).where(
            SyncRowState.table_name == "dues_rate_rule", SyncRowState.introduced.is_(True))))
    assert n > 0 and sorted(rates) == [(0, n), (0, n)], rates
    assert not introducers


def _update_of_a_member(db: Database, tmp_path: Path, community: str) -> tuple[Path, str]:
    """The community's next package, after it changed a member's phone (an update at the street)."""
    c = Database.at(tmp_path / f"{community}.db")
    try:
        with UnitOfWork(c) as uow:
            member = uow.session.scalars(select(Member).where(Member.deleted.is_(False)).order_by(Member.seq)).first()
            member.phone = "13900001111"
            mid = member.id
            uow.commit()
        return sync.export_package(c, tmp_path / f"up2-{community}.dqsync").path, mid
    finally:
        c.dispose()


def test_a_row_another_merge_wrote_after_the_plan_is_not_overwritten(district, tmp_path):
    db, (p1, _) = district
    sync.import_package(db, p1)
    p2, mid = _update_of_a_member(db, tmp_path, "c1")
    preview = sync.preview_import(db, p2)
    assert {t.table: t.updated for t in preview.report.tables}["member"] == 1
    # Between the plan and the write, another transaction changes that member (as a concurrent merge would).
    with db.engine.begin() as conn:
        conn.execute(update(Member.__table__).where(Member.id == mid).values(
            phone="13700002222", version=Member.version + 7))
    with UnitOfWork(db) as uow:
        with pytest.raises(merge.Contended):
            merge.apply(uow.session, preview.plan, merge.standing(uow.session, preview.plan.manifest), utcnow(),
                        lambda n: None, p2.name)
    with db.session() as s:
        assert s.get(Member, mid).phone == "13700002222"  # not overwritten
    # Imported as a whole, the package is decided again on what is there now: a conflict kept for a person.
    report = sync.import_package(db, p2)
    assert {t.table: t.conflicts for t in report.tables}["member"] == 1


def test_a_preview_decides_every_table_as_of_one_moment(district, monkeypatch):
    """Another operator importing the same package while the preview plans it is not half seen."""
    db, (p1, _) = district

    def counts(report):
        return [(t.table, t.inserted, t.updated, t.unchanged, t.conflicts) for t in report.tables]

    alone = counts(sync.preview_import(db, p1).report)  # with nobody else at work
    plan_table, done = merge._plan_table, []

    def plan_then_another_imports(*args, **kwargs):
        got = plan_table(*args, **kwargs)
        if not done:  # the first table is decided: now the other operator imports the whole package
            done.append(None)
            other = Database(db.url)
            try:
                done[0] = sync.import_package(other, p1).already_imported
            finally:
                other.dispose()
        return got

    monkeypatch.setattr(merge, "_plan_table", plan_then_another_imports)
    preview = sync.preview_import(db, p1)
    assert done == [False]
    # As of the moment it began: a package not yet imported, every table decided as it was then.
    assert not preview.report.already_imported
    assert counts(preview.report) == alone and sum(t.inserted for t in preview.report.tables) > 0
    monkeypatch.setattr(merge, "_plan_table", plan_table)
    again = sync.apply_import(db, preview)  # decided again on what the other committed: nothing twice
    assert again.already_imported and _imports(db) == 1 and _import_entries(db) == 1
