"""What goes back to a peer is written in the data format its newest package named, while this program can.

A program reads only its own format (those before SYNC_FORMAT_OLDEST's range did too);
a street at today's program takes the packages of a community still on such a program,
so what it sends down to that community (and a community's package up to a street still
on one) names the peer's format: the same tables, columns and text forms under its name.
A program at the oldest format is played by the import with SYNC_FORMAT set to it: its check is exact equality.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import site, sync
from desktop_app.services.sync import incoming
from desktop_app.store import migrate
from desktop_app.store.db import Database
from desktop_app.store.models_sync import SyncExport, SyncPeer
from tests.conftest import PG_URL
from tests.integration.sync_world import copy_db
from tests.integration.test_sync_format import relabelled, world  # noqa: F401 - the fixture

OLD = migrate.SYNC_FORMAT_OLDEST  # a program of the range's first format
CODE = "320102001"


@pytest.fixture
def sites(world, tmp_path):  # noqa: F811
    """Fresh copies of the street and the community (nothing taken yet)."""
    dbs = {}
    for name in ("street", "c1"):
        copy_db(world["dir"] / f"{name}.db", tmp_path / f"{name}.db")
        dbs[name], _ = migrate.open_database(tmp_path / f"{name}.db")
    yield dbs["street"], dbs["c1"]
    for db in dbs.values():
        db.dispose()


def from_community(world, tmp_path, which: str, version: str) -> Path:  # noqa: F811
    """The community's package 1 ("plain") or 2 ("second"), as a program writing `version` made it."""
    path = tmp_path / f"c1-{which}-{version}.zip"
    path.write_bytes(relabelled(world[which], world["dir"] / "c1.dqkey", version))
    return path


def manifest_format(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))["schema_version"]


def noted(db: Database, site_id: str | None = None) -> str:
    with db.session() as s:
        q = select(SyncPeer.sync_format)
        return s.scalar(q.where(SyncPeer.site_id == site_id) if site_id else q.where(SyncPeer.level == "community"))


def take_as(program: str, db: Database, path: Path, monkeypatch):
    """Import as a program writing and reading `program` alone would (its check: exact equality)."""
    assert program == migrate.SYNC_FORMAT_OLDEST  # package.open_file's range is then that one format
    with monkeypatch.context() as m:
        m.setattr(incoming, "SYNC_FORMAT", program)
        return sync.import_package(db, path)


# --- what is noted ---------------------------------------------------------------------

@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
@pytest.mark.parametrize("version", [OLD, migrate.SYNC_FORMAT])
def test_the_street_notes_the_format_each_community_package_named(world, sites, tmp_path, version, batch):
    street, _ = sites
    path = from_community(world, tmp_path, "plain", version)
    if batch:
        assert sync.import_packages(street, [path]).items[0].imported
    else:
        sync.import_package(street, path)
    assert noted(street) == version


def test_an_older_package_taken_later_leaves_the_newer_ones_format(world, sites, tmp_path):
    # the community upgraded between its packages 1 and 2; the street took 2 first
    street, _ = sites
    sync.import_package(street, from_community(world, tmp_path, "second", migrate.SYNC_FORMAT))
    sync.import_package(street, from_community(world, tmp_path, "plain", OLD))
    assert noted(street) == migrate.SYNC_FORMAT


# --- what is written -------------------------------------------------------------------

def test_a_send_down_to_a_community_on_an_older_program_names_its_format_and_lands_there(
        world, sites, tmp_path, monkeypatch):
    street, c1 = sites
    sync.import_package(street, from_community(world, tmp_path, "plain", OLD))
    plain = sync.send_package(street, tmp_path / "down.zip", CODE, plain=True).path
    assert manifest_format(plain) == OLD
    sealed = sync.send_package(street, tmp_path / "down.dqsync", CODE).path  # as it travels: encrypted
    report = take_as(OLD, c1, sealed, monkeypatch)
    assert report.confirmed == 1  # the street's word on package 1 landed
    with c1.session() as s:
        assert s.scalar(select(SyncExport.confirmed_at).where(SyncExport.seq == 1)) is not None
    with street.session() as s:  # the trail says why the package is not in today's format
        said = s.execute(text("SELECT note FROM audit_entry WHERE action = 'sync_export'")).scalars().all()
    assert said and all(f"按对方较旧程序的数据版本 {OLD} 写出" in t for t in said), said


@pytest.mark.parametrize("recorded", ["", "0020", "9999", "00275", migrate.SYNC_FORMAT])
def test_a_peer_whose_format_is_unknown_or_out_of_range_gets_todays(world, sites, tmp_path, recorded):
    # "": a peer from before 0033 that has sent nothing since; out of the range: never written
    street, _ = sites
    sync.import_package(street, from_community(world, tmp_path, "plain", OLD))
    with street.engine.begin() as conn:
        conn.execute(text("UPDATE sync_peer SET sync_format = :f WHERE level = 'community'"), {"f": recorded})
    assert manifest_format(sync.send_package(street, tmp_path / "down.zip", CODE, plain=True).path) \
        == migrate.SYNC_FORMAT


def test_a_send_down_of_todays_format_is_refused_by_a_program_at_the_oldest(world, sites, tmp_path, monkeypatch):
    # why the format follows the community: before, every send-down said SYNC_FORMAT
    street, c1 = sites
    sync.import_package(street, from_community(world, tmp_path, "plain", migrate.SYNC_FORMAT))
    down = sync.send_package(street, tmp_path / "down.dqsync", CODE).path
    if migrate.SYNC_FORMAT != OLD:
        with pytest.raises(PackageRefused, match="数据包来自更新的程序"):
            take_as(OLD, c1, down, monkeypatch)


def test_a_community_writes_up_to_a_street_on_an_older_program_in_its_format(world, sites, tmp_path, monkeypatch):
    street, c1 = sites
    sync.import_package(street, from_community(world, tmp_path, "plain", migrate.SYNC_FORMAT))
    down = sync.send_package(street, tmp_path / "down.zip", CODE, plain=True).path
    old_down = tmp_path / "down-old.zip"
    old_down.write_bytes(relabelled(down, world["dir"] / "street.dqkey", OLD))  # as the older street made it
    sync.import_package(c1, old_down)
    with street.session() as s:
        street_id = s.scalar(text("SELECT id FROM site"))
    assert noted(c1, street_id) == OLD
    up = sync.export_package(c1, tmp_path / "up.zip", plain=True).path
    assert manifest_format(up) == OLD
    sealed = sync.export_package(c1, tmp_path / "up.dqsync").path
    assert take_as(OLD, street, sealed, monkeypatch).package_id


# --- the migration ---------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def at_head(request, tmp_path):
    if request.param == "sqlite":
        db, _ = migrate.open_database(tmp_path / "a.db")
        yield db
        db.dispose()
        return
    if not PG_URL:
        pytest.skip("a server database: set DANGQUN_TEST_PG_URL")
    name = "pf_" + uuid.uuid4().hex[:16]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    db = Database(PG_URL.replace("/postgres?", f"/{name}?"))
    migrate.upgrade(db)
    yield db
    db.dispose()
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _peer_columns(db: Database) -> set[str]:
    db.engine.dispose()  # a fresh look at the schema
    return {c["name"] for c in inspect(db.engine).get_columns("sync_peer")}


def test_0033_adds_the_peers_format_and_its_downgrade_takes_it_away_keeping_the_peers(at_head):
    db = at_head
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO sync_peer (site_id, level, org_code, org_name, first_seen, last_package_id, "
                          "last_seq, last_size, last_rows, last_counts, packages, sync_format) VALUES "
                          "('p1', 'community', :c, '幸福里', CURRENT_TIMESTAMP, '', 3, 0, 0, '{}', 3, :f)"),
                     {"c": CODE, "f": OLD})
    cfg = migrate.alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0032")
    assert "sync_format" not in _peer_columns(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT org_code, last_seq FROM sync_peer")).all() == [(CODE, 3)]
    migrate.upgrade(db)
    assert "sync_format" in _peer_columns(db)
    with db.engine.connect() as conn:  # not known again until its next package
        assert conn.execute(text("SELECT site_id, sync_format FROM sync_peer")).all() == [("p1", "")]
    assert migrate.current_revision(db) == migrate.SCHEMA_HEAD


def test_the_peers_format_does_not_travel():
    from desktop_app.sync.codec import synced_tables
    assert SyncPeer.__tablename__ not in {t.name for t in synced_tables()}
