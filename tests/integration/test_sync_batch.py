"""A street imports several community packages at once: the same result as one after another, a bad one left out."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.services import site, sync
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Member
from desktop_app.views.sync import CANCELLED
from tests.conftest import PG_URL
from tests.integration.sync_world import build_templates, copy_db, enrol, fingerprint

# Columns that say when (or under which random id) something was written, not what: they differ run to run.
_WHEN = frozenset({"id", "at", "agreed_at", "imported_at", "first_seen", "last_imported_at", "detected_at", "hash",
                   "prev_hash", "insert_seq", "created_at", "updated_at"})


def _site(path: Path, *args, **kw):
    db, _ = open_database(path)
    site.init_site(db, *args, **kw)
    return db


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """The street as enrolled, and packages: c1 (twice, the second newer), c2, and two that must be refused."""
    d = tmp_path_factory.mktemp("batch")
    t = build_templates(d / "t", members=20, seeds=(11, 12))
    c1, _ = open_database(t["c1"])
    c2, _ = open_database(t["c2"])
    out = {"street": t["street"], "c1": sync.export_package(c1, d / "c1-1.dqsync").path,
           "c2": sync.export_package(c2, d / "c2-1.dqsync").path}
    with UnitOfWork(c1) as uow:  # a change in c1 after its first package
        m = uow.session.scalars(select(Member).order_by(Member.id).limit(1)).one()
        m.notes = "第二个数据包之前改过"
        uow.commit()
    out["c1b"] = sync.export_package(c1, d / "c1-2.dqsync").path
    raw = bytearray(out["c2"].read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (d / "tampered.dqsync").write_bytes(bytes(raw))
    out["tampered"] = d / "tampered.dqsync"
    (d / "junk.dqsync").write_bytes(b"not a package at all")
    out["junk"] = d / "junk.dqsync"
    # a community enrolled at another street: its package is sealed to and signed for that street only
    other = _site(d / "other.db", "320104", "朝天宫街道党工委", "street")
    sync.new_key(other, d / "other.dqkey")
    foreign = _site(d / "foreign.db", "320104001", "外街道社区党委", "community", street_name="朝天宫街道党工委")
    enrol(other, foreign, d, "foreign")
    out["foreign"] = sync.export_package(foreign, d / "foreign.dqsync").path
    for db in (c1, c2, other, foreign):
        db.dispose()
    return out


@pytest.fixture
def street_copy(packages, tmp_path):
    made = []

    def make(name: str = "street"):
        copy_db(packages["street"], tmp_path / f"{name}.db")
        db, _ = open_database(tmp_path / f"{name}.db")
        made.append(db)
        return db

    yield make
    for db in made:
        db.dispose()


def _state(db) -> tuple:
    """Every row, the bookkeeping of sync and the audit trail included, apart from when each was written."""
    con = sqlite3.connect(db.path)
    try:
        out = [fingerprint(db, data_only=True)]
        for table in ("sync_row_state", "sync_import", "sync_peer", "sync_conflict", "audit_entry"):
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in _WHEN]
            out.append((table, sorted(repr(r) for r in con.execute(f'SELECT {", ".join(cols)} FROM "{table}"'))))
        return tuple(out)
    finally:
        con.close()


def _same_report(a, b) -> None:
    assert (a.package_id, a.tables, a.warnings, a.already_imported, a.older_package, a.new_community) == (
        b.package_id, b.tables, b.warnings, b.already_imported, b.older_package, b.new_community)


pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite files compared; the server's batch: test_sync_batch_pg.py")


def test_a_batch_leaves_the_street_as_importing_them_one_after_another(packages, street_copy):
    # c1's newer package first, then its older one (the older warning), and the newer again (already taken)
    order = [packages[k] for k in ("c1b", "c2", "c1", "c1b")]
    alone, batch = street_copy("alone"), street_copy("batch")
    singles = [sync.import_package(alone, p) for p in order]
    got = sync.import_packages(batch, order)
    assert not got.cancelled and [i.imported for i in got.items] == [True] * 4
    for one, item in zip(singles, got.items):
        _same_report(one, item.report)
    assert got.items[2].report.older_package and got.items[2].report.warnings
    assert got.items[3].report.already_imported
    assert _state(batch) == _state(alone)
    assert "以前导入过" in got.lines()[-1]


def test_a_hostile_package_in_the_middle_is_refused_and_the_others_land(packages, street_copy):
    good = [packages["c1"], packages["c2"]]
    alone, batch = street_copy("alone"), street_copy("batch")
    for p in good:
        sync.import_package(alone, p)
    got = sync.import_packages(batch, [packages["c1"], packages["tampered"], packages["junk"], packages["foreign"],
                                       packages["c2"]])
    assert [i.imported for i in got.items] == [True, False, False, False, True]
    tampered, junk, foreign = (i.refused for i in got.items[1:4])
    assert "损坏" in tampered or "改动" in tampered
    assert "不是同步数据包" in junk
    assert foreign and all("“" not in r[:3] for r in (tampered, junk, foreign))  # the file is named once, by the line
    assert _state(batch) == _state(alone)
    assert "tampered.dqsync：未导入" in "\n".join(got.lines())
    checks = sync.check_packages(batch, [packages["c1"], packages["tampered"]])
    assert checks[0].org_name and checks[0].rows > 0 and not checks[0].refused
    assert checks[1].refused and not checks[1].org_name


def test_cancel_keeps_the_packages_done_and_rolls_back_the_one_in_hand(packages, street_copy):
    alone, batch = street_copy("alone"), street_copy("batch")
    sync.import_package(alone, packages["c1"])
    seen = []

    def progress(k, n, done, total):
        seen.append((k, n))
        if k == 1 and done > 0:  # halfway into c2's rows: some already written in its savepoint
            raise RuntimeError("取消")

    got = sync.import_packages(batch, [packages["c1"], packages["c2"], packages["c1b"]], progress=progress)
    assert got.cancelled and (1, 3) in seen
    assert [i.imported for i in got.items] == [True, False, False]
    assert got.items[1].refused == got.items[2].refused == CANCELLED
    assert _state(batch) == _state(alone)


def test_a_crash_mid_batch_leaves_the_packages_before_it_whole_and_nothing_of_the_one_in_hand(
        packages, street_copy, tmp_path):
    alone = street_copy("alone")
    sync.import_package(alone, packages["c1"])
    street_copy("crash").dispose()
    script = (
        "import os, signal, sys\n"
        "from desktop_app.store.migrate import open_database\n"
        "from desktop_app.services import sync\n"
        "db, _ = open_database(sys.argv[1])\n"
        "def progress(k, n, done, total):\n"
        "    if k == 1 and done > 0:\n"  # the first package merged, the second halfway
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "sync.import_packages(db, sys.argv[2:], progress=progress)\n"
    )
    r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "crash.db"), str(packages["c1"]),
                        str(packages["c2"])], capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL, r.stderr
    db, _ = open_database(tmp_path / "crash.db")
    try:
        assert _state(db) == _state(alone)
    finally:
        db.dispose()


def test_the_command_line_takes_several_files(packages, street_copy, capsys):
    street = street_copy("cli")
    street.dispose()
    path = str(Path(street.path))
    code = main(["sync", "import", str(packages["c1"]), str(packages["junk"]), str(packages["c2"]), "--db", path])
    out = capsys.readouterr().out.splitlines()
    assert code == 2  # one was refused
    assert out[0].startswith("导入 3 个数据包：2 个已导入，1 个未导入")
    assert out[1].startswith("c1-1.dqsync：已导入") and out[2].startswith("junk.dqsync：未导入")
    assert main(["sync", "import", str(packages["c1"]), str(packages["c2"]), "--db", path]) == 0
    again = capsys.readouterr().out
    assert again.count("以前导入过") == 3  # the head counts them apart from what went in, then each line
    assert again.splitlines()[0] == "导入 2 个数据包：2 个以前导入过，未改变任何数据"
