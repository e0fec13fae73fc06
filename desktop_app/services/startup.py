"""The one read the program makes before its window opens: site, whether accounts exist, idle-lock time.

Nothing here is personal or secret (the organisation's name and a setting), and
it must be known before anyone has logged in, so it checks no permission.

`file_problems` / `check_file` are the start-up check of the file itself, before
anything writes to it. This module imports only the file layer at first, so the
window can start the check while SQLAlchemy and the services are still loading.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.store import cipher
from desktop_app.views.startup import StartState

if TYPE_CHECKING:
    from desktop_app.services.database import Database

__all__ = ["StartState", "check_file", "file_problems", "start_state"]


def start_state(db: Database) -> StartState:
    from desktop_app.services import auth
    from desktop_app.services.site import get_site

    return StartState(site=get_site(db), has_users=auth.has_users(db), idle_minutes=auth.policy(db).idle_minutes)


def file_problems(path: Path, key: str | None = None) -> list[str]:
    """[] when the file is new (or encrypted with no key yet) or passes SQLite's quick check; else what is wrong.

    The full integrity check compares every index with its table: 4.5 s of a
    3,000-member community's start, the longest wait of all. The quick check
    (pages, b-trees, free list) takes 0.6 s there and finds the damage that makes
    writing unsafe; the full check still runs on every backup copy (daily, on
    exit, before an upgrade), where nobody waits for it.
    """
    path = Path(path)
    state = cipher.file_state(path)
    key = key or cipher.key_of(path)
    if state == "missing" or (state == "sealed" and not key):
        return []  # new; or encrypted with no key yet: opening it says so
    if state == "empty":
        return ["文件是空的（0 字节）"]
    try:
        return cipher.problems(path, key if state == "sealed" else None, quick=True)
    except OSError as exc:
        return [f"无法打开（{exc.strerror or exc}）"]


def check_file(path: Path, key: str | None = None, problems: list[str] | None = None) -> None:
    """Raise CorruptDatabase unless the file is new or passes the quick check (`problems`: its result, if run)."""
    from desktop_app.services.database import CorruptDatabase

    problems = file_problems(path, key) if problems is None else problems
    if problems:
        raise CorruptDatabase(Path(path), problems)
