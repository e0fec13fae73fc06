"""The import process killed midway: the street database is whole, usable, and holds exactly what it held."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.base import sync_values
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member, Organization, Resident
from tests.integration.sync_world import copy_db, fingerprint, enrol

BIG = 20_000  # members (and as many residents): a merge of some seconds on a slow PC

IMPORT = r"""
import sys
from desktop_app.store.migrate import open_database
from desktop_app.services import sync

db, _ = open_database(sys.argv[1])
def stage(name):
    print("stage", name, flush=True)
def progress(done, total):
    print("progress", done, total, flush=True)
sync.import_package(db, sys.argv[2], stage=stage, progress=progress)
print("finished", flush=True)
"""


def _big_community(path: Path, street, n: int):
    db, _ = open_database(path)
    info = site.init_site(db, "320102009", "大社区党委", "community", street_name="梅园街道党工委")
    with UnitOfWork(db) as uow:
        s = uow.session
        root = s.scalar(select(Organization.id).where(Organization.kind == "community"))
        branch = Organization(name="第一党支部", code="32010200901", kind="branch", parent_id=root)
        s.add(branch)
        s.flush()
        for start in range(0, n, 5000):
            s.execute(insert(Member.__table__), [
                {**sync_values(info.id), "name": f"党员{i}", "id_number": f"{110101190001010000 + i}",
                 "org_id": branch.id, "seq": i, "notes": "备注,带逗号\n和换行"}
                for i in range(start, min(n, start + 5000))
            ])
            s.execute(insert(Resident.__table__), [
                {**sync_values(info.id), "name": f"居民{i}", "grid_id": branch.id, "tags": "独居老人"}
                for i in range(start, min(n, start + 5000))
            ])
        uow.commit()
    enrol(street, db, path.parent, path.stem)
    return db


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    d = tmp_path_factory.mktemp("kill")
    street, _ = open_database(d / "street.db")
    site.init_site(street, "320102", "梅园街道党工委", "street")
    sync.new_key(street, d / "street.dqkey")
    small, _ = open_database(d / "small.db")
    site.init_site(small, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    enrol(street, small, d, "small")
    sync.import_package(street, sync.export_package(small, d / "small.dqsync").path)  # data to keep safe
    community = _big_community(d / "big.db", street, BIG)
    pkg = sync.export_package(community, d / "big.dqsync").path
    for db in (street, small, community):
        db.dispose()
    return {"street": d / "street.db", "package": pkg}


def _kill_when(street: Path, package: Path, ready) -> list[str]:
    """Run the import in another process and SIGKILL it once `ready(lines)` says so."""
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(street), str(package)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(Path(__file__).parents[2]),
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if ready(lines):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, lines[-3:], proc.stderr.read()[-2000:])
    assert "finished" not in lines
    return lines


def _progress(lines: list[str]) -> tuple[int, int]:
    last = [ln for ln in lines if ln.startswith("progress")]
    if not last:
        return 0, 1
    _, done, total = last[-1].split()
    return int(done), int(total)


@pytest.mark.parametrize("when", ["writing", "halfway"])
def test_a_killed_import_leaves_the_street_as_it_was(big, tmp_path, when):
    street = tmp_path / "street.db"
    copy_db(big["street"], street)
    db, _ = open_database(street)
    before = fingerprint(db)
    members_before = _members(db)
    db.dispose()

    def ready(lines):
        if "stage merge" not in lines:
            return False
        done, total = _progress(lines)
        return done > 0 if when == "writing" else done >= total // 2

    lines = _kill_when(street, big["package"], ready)
    assert "stage merge" in lines and "stage commit" not in lines

    con = sqlite3.connect(street)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    db, _ = open_database(street)
    try:
        assert fingerprint(db) == before
        assert _members(db) == members_before
        # ... and usable: the same package now goes in whole
        report = sync.import_package(db, big["package"])
        assert report.total("inserted") >= 2 * BIG
        assert _members(db) == members_before + BIG
    finally:
        db.dispose()


def _members(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Member))
