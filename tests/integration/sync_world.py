"""A street office and its communities in temp folders, for the sync tests.

Building demo communities takes seconds, so a test module builds them once
(`build_templates`) and every test gets fresh copies (`World.copy_from`).
In a PostgreSQL run (DANGQUN_TEST_PG_URL) the world's street lives on the
server, as a district's would: each copy of the street file is loaded into a
database of its own there (`on_server`), dropped again when the world closes.
The communities stay files, as they are in the field.
"""

from __future__ import annotations

import hashlib
import importlib
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from desktop_app.domain.errors import Conflict
from desktop_app.services import demo, site, sync
from desktop_app.store.db import Database
from desktop_app.store.migrate import open_database
from desktop_app.sync.codec import synced_tables
from tests.conftest import PG_URL

STREET_CODE = "320102"
STREET_NAME = "梅园街道党工委"
MODULE_DEMOS: tuple[str, ...] = ()  # demo.generate fills every module


def fill_community(db: Database, members: int, seed: int) -> None:
    """demo.generate and every module's demo year not already in it."""
    demo.generate(db, members=members, seed=seed)
    for name in MODULE_DEMOS:
        try:
            module = importlib.import_module(f"desktop_app.services.{name}")
        except ImportError:
            continue
        try:
            module.add_demo(db, seed)
        except Conflict:
            pass  # demo.generate already made it


def copy_db(src: Path, dst: Path) -> None:
    """A consistent copy of a live SQLite file (WAL included)."""
    a = sqlite3.connect(src)
    try:
        b = sqlite3.connect(dst)
        try:
            a.backup(b)
        finally:
            b.close()
    finally:
        a.close()


def enrol(street: Database, community: Database, folder: Path, name: str | None = None) -> str:
    """A community enrols with the street (request, accept, finish); returns the fingerprint both showed."""
    name = name or f"c{_n()}"
    req = sync.enrol_request(community, folder / f"{name}.dqreq", key_out=folder / f"{name}.dqkey")
    accepted = sync.enrol_accept(street, req.path, folder / f"{name}.dqreply")
    assert accepted.fingerprint == req.fingerprint
    sync.enrol_finish(community, folder / f"{name}.dqreply")
    return req.fingerprint


def build_templates(
    folder: Path, members: int = 100, seeds: tuple[int, ...] = (11, 12), synced: bool = False
) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    street, _ = open_database(folder / "street.db")
    site.init_site(street, STREET_CODE, STREET_NAME, "street")
    key_file = folder / "street.dqkey"
    sync.new_key(street, key_file)
    paths = {"street": folder / "street.db", "key": key_file}
    for i, seed in enumerate(seeds, start=1):
        c, _ = open_database(folder / f"c{i}.db")
        fill_community(c, members, seed)
        enrol(street, c, folder, f"c{i}")
        c.dispose()
        paths[f"c{i}"] = folder / f"c{i}.db"
    street.dispose()
    if synced:
        # The same world after its first round: both communities sent everything
        # and took the street's package back (so their next exports are deltas).
        work = folder / "synced"
        work.mkdir(exist_ok=True)
        w = World.copy_from(paths, work, server=False)  # the templates stay files
        w.up(w.c1)
        w.up(w.c2)
        w.down(w.c1)
        w.down(w.c2)
        w.close()
        for name in ("street", "c1", "c2"):
            paths[f"synced-{name}"] = work / f"{name}.db"
    return paths


def on_server(path: Path, cluster: str = "") -> Database:
    """The SQLite database at `path` copied, row for row, into a new database on the PostgreSQL cluster.

    `cluster` is the URL of the cluster's `postgres` database (default: the test run's).
    """
    from desktop_app.store import migrate, schema

    cluster = cluster or PG_URL
    name = "sw_" + uuid.uuid4().hex[:16]
    admin = create_engine(cluster, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()
    db = Database(cluster.replace("/postgres?", f"/{name}?"))
    migrate.upgrade(db)
    src = Database.at(path)
    try:
        with src.engine.connect() as read, db.engine.begin() as write:
            plain = set(read.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND sql NOT LIKE '%WITHOUT ROWID%'")).scalars())
            for table in schema.metadata.sorted_tables:
                # rowid order: parents before children within a table, and the audit chain's own order.
                q = select(table).order_by(text("rowid")) if table.name in plain else select(table)
                got = [dict(r) for r in read.execute(q).mappings()]
                if got:
                    write.execute(table.insert(), got)
    finally:
        src.dispose()
    return db


def drop_server(db: Database, cluster: str = "") -> None:
    """Dispose of a database on_server made, and drop it."""
    name = db.engine.url.database
    db.dispose()
    admin = create_engine(cluster or PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


@dataclass
class World:
    folder: Path
    street: Database
    c1: Database
    c2: Database
    key_file: Path

    @classmethod
    def copy_from(cls, templates: dict[str, Path], folder: Path, prefix: str = "", server: bool = True) -> "World":
        """Fresh copies of the templates; the street on the PostgreSQL cluster in a PostgreSQL run (unless not `server`)."""
        dbs = {}
        for name in ("street", "c1", "c2"):
            copy_db(templates[prefix + name], folder / f"{name}.db")
            if name == "street" and PG_URL and server:
                dbs[name] = on_server(folder / f"{name}.db")
            else:
                dbs[name], _ = open_database(folder / f"{name}.db")
        return cls(folder, dbs["street"], dbs["c1"], dbs["c2"], templates["key"])

    def close(self) -> None:
        for db in (self.street, self.c1, self.c2):
            if db.path is None:
                drop_server(db)
            else:
                db.dispose()

    def package(self, name: str) -> Path:
        out = self.folder / "usb"
        out.mkdir(exist_ok=True)
        return out / name

    def up(self, community: Database, full: bool = False, dry_run: bool = False, name: str | None = None):
        """Export from a community and import at the street; returns (export, report)."""
        e = sync.export_package(community, self.package(name or f"up-{_n()}.dqsync"), full=full)
        return e, sync.import_package(self.street, e.path, dry_run=dry_run)

    def down(self, community: Database):
        sid = site.get_site(community).id
        e = sync.send_package(self.street, self.package(f"down-{_n()}.dqsync"), sid)
        return e, sync.import_package(community, e.path)


_counter = [0]


def _n() -> int:
    _counter[0] += 1
    return _counter[0]


def data_changes(report) -> int:
    """Rows an import added, updated or set aside as conflicts, the audit trail aside."""
    return sum(t.changed + t.conflicts for t in report.tables if t.table != AUDIT)


def rows(db: Database, table_name: str) -> dict[str, dict]:
    table = next(t for t in synced_tables() if t.name == table_name)
    with db.engine.connect() as conn:
        return {r["id"]: dict(r) for r in conn.execute(select(table)).mappings()}


AUDIT = "audit_entry"  # the trail of what was done (an import adds a line): not the data itself


def fingerprint(db: Database, data_only: bool = False) -> str:
    """A hash of every table's content (sync bookkeeping and the audit trail too unless data_only)."""
    if db.path is None:
        return _server_fingerprint(db, data_only)
    h = hashlib.sha256()
    con = sqlite3.connect(db.path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for name in names:
            if _skipped(name, data_only):
                continue
            h.update(name.encode())
            for text in sorted(repr(row) for row in con.execute(f'SELECT * FROM "{name}"')):
                h.update(text.encode())
    finally:
        con.close()
    return h.hexdigest()


def _skipped(name: str, data_only: bool) -> bool:
    return name == "alembic_version" or (data_only and (name.startswith("sync_") or name in ("site", AUDIT)))


def _server_fingerprint(db: Database, data_only: bool) -> str:
    """fingerprint() of a server database: the same tables, read through the engine."""
    h = hashlib.sha256()
    with db.engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            if _skipped(name, data_only):
                continue
            h.update(name.encode())
            for row in sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"'))):
                h.update(row.encode())
    return h.hexdigest()
