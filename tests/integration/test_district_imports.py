"""District mode: several operators import packages into one PostgreSQL database at once.

The street (or district) database lives on the PostgreSQL cluster
(DANGQUN_TEST_PG_URL); the communities are files, as they are in the field.
Two importers run in two threads, each with its own connection pool, as two
operators' programs would.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from desktop_app.services import audit_chain, site, sync
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_sync import SyncImport
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
