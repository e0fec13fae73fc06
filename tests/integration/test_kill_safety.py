"""A power cut in the middle of a large import or export: all or nothing, never half.

The command runs in a real subprocess that is killed with SIGKILL while it
works; the database must then pass its integrity check and hold either none or
all of the import, and an export file is either absent or complete.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks.bench_roster import _write_csv

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

N = 6000


def _cli(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "desktop_app", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def _members(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return con.execute("SELECT count(*) FROM member WHERE deleted = 0").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "members.csv"
    _write_csv(path, N)
    return path


def _new_db(tmp_path: Path) -> Path:
    db = tmp_path / "c.db"
    r = subprocess.run(
        [sys.executable, "-m", "desktop_app", "init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    return db


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.4, 1.2])
def test_import_killed_midway_leaves_none_or_all(tmp_path, big_csv, delay):
    db = _new_db(tmp_path)
    proc = _cli("import", "members", str(big_csv), "--db", str(db))
    # The preview line is printed when reading and checking are done and writing starts.
    line = proc.stdout.readline()
    assert "共" in line, line + proc.stderr.read()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    count = _members(db)
    assert count in (0, N)
    # and the database is usable: the import can simply be run again
    r = subprocess.run([sys.executable, "-m", "desktop_app", "import", "members", str(big_csv), "--db", str(db)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert _members(db) == N


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_killed_midway_leaves_no_half_file(tmp_path, big_csv, suffix):
    db = _new_db(tmp_path)
    r = subprocess.run([sys.executable, "-m", "desktop_app", "import", "members", str(big_csv), "--db", str(db)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = tmp_path / f"名册{suffix}"
    proc = _cli("export", "members", "--db", str(db), "--out", str(out))
    time.sleep(1.5)  # start-up and the query; the file is being written about now
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if out.exists():  # finished before the kill: then it must be whole
        from desktop_app.exchange.members import read_table

        _header, rows = read_table(out)
        assert len(rows) == N
    assert _members(db) == N
