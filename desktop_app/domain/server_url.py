"""Whether a database target is a server's address (a district's PostgreSQL) or a file path.

Pure on purpose: the window's start reads --db/--db-url before its frame is painted,
and must not import SQLAlchemy for a string test.
"""

from __future__ import annotations

from pathlib import Path

SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")  # postgres://: libpq's and many hosts' spelling


def is_server_url(target: str | Path) -> bool:
    """True for a database URL of a server (postgresql://...), False for a file path."""
    return isinstance(target, str) and target.split("://", 1)[0] in SCHEMES and "://" in target
