"""Disk full, read-only file, no permission: a plain message instead of a traceback, and nothing lost.

Two ways in:

- database errors: every Database translates them on its own engine from the
  moment it opens (store/errors.py, attached in store/db.py);
- file writes outside the database (exports, PDFs, attachments, backups) use
  `with translated(path): ...` or `plain(exc)` from here.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from desktop_app.store.errors import StorageError, plain

__all__ = ["StorageError", "plain", "translated"]


@contextmanager
def translated(path: str | Path | None = None) -> Iterator[None]:
    """Storage failures inside the block leave it as StorageError; other errors pass unchanged."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - re-raised as is unless it is a storage failure
        mapped = plain(exc, path)
        if mapped is None or mapped is exc:
            raise
        raise mapped from exc
