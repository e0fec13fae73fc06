"""Opening the database: the one door the GUI and the command line use to get a `Database`.

They hold the handle and pass it back to services; they never open sessions on it.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.store.db import Database
from desktop_app.store.migrate import NotADatabase
from desktop_app.store.migrate import open_database as _open_database

__all__ = ["Database", "NotADatabase", "open_database"]


def open_database(path: str | Path) -> tuple[Database, Path | None]:
    """Open (creating if needed) the file at `path` and bring its schema up to date.

    Returns the database and the copy kept before an upgrade, if there was one.
    """
    return _open_database(path)
