"""No lost commits: a window's database cannot be checkpointed away by a command run beside it.

Reproduces the loss: the window's process opens and closes the database and
its side files the way a Qt file dialog sniffs them (which drops SQLite's
POSIX locks of the whole process), then a `dangqun` command runs in a second
process. Without the window's lock file that command believed it was alone
and deleted the live WAL file; now it is refused, and every commit is kept.
"""

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from desktop_app.services import auth, orgs, roster, site
from desktop_app.services.database import claim_for_window, open_database
from desktop_app.store import filelock
from desktop_app.store.models import Organization


def run_cli(*args):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def sniff_like_a_file_dialog(path):
    """What QFileDialog's type guessing does to every file it lists: open, read a little, close."""
    for suffix in ("", "-wal", "-shm"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            with open(p, "rb") as fh:
                fh.read(64)


def branches(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Organization).where(Organization.kind == "branch"))


@pytest.fixture
def window_db(tmp_path):
    path = tmp_path / "dangqun.db"
    claim_for_window(path)
    db, _ = open_database(path)
    auth.cli_actor(db)
    site.init_site(db, "320102001", "幸福里社区党委", "community")
    yield db
    db.dispose()
    filelock.release(path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX record locks are what a file dialog drops")
def test_a_command_beside_the_window_is_refused_and_nothing_is_lost(window_db):
    db, path = window_db, window_db.path
    root = roster.root_org_id(db)
    orgs.create(db, "第一网格党支部", "32010200101", "branch", root)
    with db.engine.connect():  # the window keeps a connection, as it does all day
        sniff_like_a_file_dialog(path)
        r = run_cli("orgs", "--db", str(path))
        assert r.returncode == 2 and "正由工作台窗口使用" in r.stderr and "Traceback" not in r.stderr
        assert path.with_name(path.name + "-wal").exists()  # the live WAL file is still there
        orgs.create(db, "第二网格党支部", "32010200102", "branch", root)  # written after the sniff
        r = run_cli("backup", "--db", str(path))
        assert r.returncode == 2
    assert branches(db) == 2
    db.dispose()
    filelock.release(path)
    again, _ = open_database(path)
    auth.cli_actor(again)
    assert branches(again) == 2  # both commits survived
    again.dispose()


def test_a_second_window_on_the_same_file_is_refused_clearly(window_db, tmp_path):
    code = (
        "import sys\n"
        "from desktop_app.services.database import InUse, claim_for_window\n"
        "try:\n"
        f"    claim_for_window({str(window_db.path)!r})\n"
        "except InUse as exc:\n"
        "    print(exc); sys.exit(2)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 2 and "同一个数据文件同时只能由一个窗口使用" in r.stdout


def test_commands_share_the_file_and_a_window_waits_for_them(tmp_path):
    path = tmp_path / "c.db"
    db, _ = open_database(path)  # a command holds it shared
    other, _ = open_database(path)  # another command in the same process: fine
    code = (
        "import sys\n"
        "from desktop_app.services.database import InUse, claim_for_window, open_database\n"
        f"open_database({str(path)!r})[0].dispose()\n"  # a second command process shares it
        "try:\n"
        f"    claim_for_window({str(path)!r})\n"
        "except InUse:\n"
        "    sys.exit(3)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 3, r.stderr  # a window does not start under a running command
    db.dispose()
    other.dispose()
    filelock.release(path)
    claim_for_window(path)  # once the commands are done, the window may have it
    filelock.release(path)
