"""The one read the program makes before its window opens: site, whether accounts exist, idle-lock time.

Nothing here is personal or secret (the organisation's name and a setting), and
it must be known before anyone has logged in, so it checks no permission.

`file_problems` / `check_file` are the start-up check of the file itself, before
anything writes to it. The window opens with `open_for_window`: the first page is
read at once and the check runs after it, every write waiting for the check
(store.db.WriteGate); this module imports only the file layer at first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.store import cipher
from desktop_app.views.startup import StartState

if TYPE_CHECKING:
    from desktop_app.services.database import Database

__all__ = ["StartState", "check_file", "file_problems", "open_for_window", "start_state"]


def start_state(db: Database) -> StartState:
    from desktop_app.services import auth
    from desktop_app.services.site import get_site

    return StartState(site=get_site(db), has_users=auth.has_users(db), idle_minutes=auth.policy(db).idle_minutes)


def file_problems(path: Path, key: str | None = None, quick: bool = True) -> list[str]:
    """[] when the file is new (or encrypted with no key yet) or passes SQLite's quick check; else what is wrong.

    The full integrity check compares every index with its table: 4.5 s of a
    3,000-member community's start, the longest wait of all. The quick check
    (pages, b-trees, free list) takes 0.6 s there and finds the damage that makes
    writing unsafe; the full check (`quick=False`) still runs on every backup copy
    (daily, on exit, before an upgrade), where nobody waits for it.
    """
    path = Path(path)
    state = cipher.file_state(path)
    key = key or cipher.key_of(path)
    if state == "missing" or (state == "sealed" and not key):
        return []  # new; or encrypted with no key yet: opening it says so
    if state == "empty":
        return ["文件是空的（0 字节）"]
    if state == "blank":
        return [cipher.BLANK_PROBLEM]
    try:
        return cipher.problems(path, key if state == "sealed" else None, quick=quick)
    except OSError as exc:
        return [f"无法打开（{exc.strerror or exc}）"]


def check_file(path: Path, key: str | None = None, problems: list[str] | None = None) -> None:
    """Raise CorruptDatabase unless the file is new or passes the quick check (`problems`: its result, if run)."""
    from desktop_app.services.database import CorruptDatabase

    problems = file_problems(path, key) if problems is None else problems
    if problems:
        raise CorruptDatabase(Path(path), problems)


def open_for_window(path: Path, key: str | None = None) -> tuple[Database, Path | None, StartState]:
    """Open the file for the window and read its start state, leaving the file's check for later.

    The check (`file_problems`) runs when `db.gate.settle()` is called (the window
    does, once its first page is shown) or when the first write arrives, whichever
    comes first: until it has passed, only SELECTs reach the file, and a damaged
    file refuses every write with CorruptDatabase. An upgrade runs the check first.
    A new file, an empty one or a server's database is opened as open_database does.
    Returns the database, the copy kept before an upgrade, and the start state.
    """
    from desktop_app.services.database import CorruptDatabase, WriteGate, open_database

    gate = None
    if "://" not in str(path) and cipher.file_state(path) in ("plain", "sealed"):
        gate = WriteGate(lambda: file_problems(path, key), lambda problems: CorruptDatabase(Path(path), problems))
    db = None
    try:
        db, backup = open_database(path, key, gate)
        return db, backup, start_state(db)
    except Exception:
        if db is not None:
            db.dispose()
        if gate is not None:
            gate.require()  # a file too damaged even to read: CorruptDatabase, which offers the backup
        raise
