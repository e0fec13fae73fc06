"""While a street merges a pile of packages, SQLite copies its WAL into the file at a cap, not after every package.

Whatever becomes of the batch (merged, a package refused, cancelled, an error), every pooled
connection has its own checkpoint setting back afterwards and the WAL is cut back to nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.services import sync
from desktop_app.store import dialect
from tests.conftest import PG_URL
from tests.integration.sync_world import World, build_templates

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's WAL; a server has none of this")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("walbatch"), members=20, seeds=(21, 22))


@pytest.fixture
def world(templates, tmp_path):
    w = World.copy_from(templates, tmp_path, server=False)
    yield w
    w.close()


@pytest.fixture
def paths(world):
    """The two communities' packages, and a file that is none."""
    out = {name: sync.export_package(db, world.package(f"{name}.dqsync")).path for name, db in
           (("c1", world.c1), ("c2", world.c2))}
    out["junk"] = world.package("junk.dqsync")
    out["junk"].write_bytes(b"not a package at all")
    return out


def _settings(db) -> list[int]:
    """wal_autocheckpoint of every connection the pool holds (all checked out at once, so each is seen)."""
    held = [db.engine.connect() for _ in range(db.engine.pool.checkedin() + 1)]
    try:
        return [c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for c in held]
    finally:
        for c in held:
            c.close()


def _wal_bytes(db) -> int:
    wal = Path(f"{db.path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def _cap_pages(db) -> int:
    with db.engine.connect() as c:
        return dialect.WAL_CAP_BYTES // c.exec_driver_sql("PRAGMA page_size").scalar()


def test_a_batch_checkpoints_at_the_cap_and_truncates_the_wal_at_the_end(world, paths):
    seen = []

    def progress(k, n, done, total):
        if done == 0 and total == 0:  # between packages, inside the batch: a connection the pool lends now
            with world.street.engine.connect() as c:
                seen.append(c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())

    got = sync.import_packages(world.street, [paths["c1"], paths["c2"]], progress=progress)
    assert [i.imported for i in got.items] == [True, True]
    assert seen == [_cap_pages(world.street)] * 2
    assert _wal_bytes(world.street) == 0  # copied into the file and cut to nothing
    assert set(_settings(world.street)) == {1000}


def test_the_setting_comes_back_after_a_refused_package_and_after_a_cancel(world, paths):
    got = sync.import_packages(world.street, [paths["junk"], paths["c1"]])
    assert [i.imported for i in got.items] == [False, True]
    assert set(_settings(world.street)) == {1000} and _wal_bytes(world.street) == 0

    def cancel(k, n, done, total):
        if done > 0:
            raise RuntimeError("取消")

    got = sync.import_packages(world.street, [paths["c2"]], progress=cancel)
    assert got.cancelled
    assert set(_settings(world.street)) == {1000} and _wal_bytes(world.street) == 0


def test_the_setting_comes_back_when_the_batch_fails(world, paths):
    def stage(name):
        if name == "commit":
            raise OSError("磁盘已满")

    with pytest.raises(OSError):
        sync.import_packages(world.street, [paths["c1"]], stage=stage)
    assert set(_settings(world.street)) == {1000}
    with world.street.engine.connect() as c:  # the pool lends connections as before, outside any batch
        assert c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000


def test_a_connection_the_window_took_during_the_batch_and_returns_after_it_gets_its_setting_back(world, paths):
    held = []

    def progress(k, n, done, total):
        if not held:  # another thread's read, begun while the batch runs and ended after it
            held.append(world.street.engine.connect())
            held[0].exec_driver_sql("SELECT 1").fetchall()

    sync.import_packages(world.street, [paths["c1"]], progress=progress)
    assert held[0].exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == _cap_pages(world.street)
    held[0].close()
    assert set(_settings(world.street)) == {1000}
