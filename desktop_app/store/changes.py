"""Has anything the roster's search lists are read from changed? Asked of a connection kept for that alone.

SQLite: the file's PRAGMA data_version, which moves with every commit to the
file by anyone (store.dialect.data_version).

PostgreSQL: the server's snapshot moves with every commit of every operator to
any table of any database on the cluster, and reading 320,000 members again
costs seconds. So each statement on member, organization or reporting_member
sends a notice (migration 0030's triggers), delivered when its transaction
commits, and this connection LISTENs: the version is the count of notices
received. Each look still makes one round trip (the current snapshot), because
the server passes pending notices to the client before it answers a query:
once the answer is in, every roster commit that finished before the question
has been counted, and commits to anything else are not.
"""

from __future__ import annotations

from desktop_app.store import dialect

CHANNEL = "dangqun_roster"


class RosterProbe:
    """A connection of our own that never writes, closed by its owner (never returned to the pool)."""

    def __init__(self, engine):
        self._postgresql = engine.dialect.name == "postgresql"
        self._notices = 0
        conn = engine.raw_connection()
        conn.detach()
        self._conn = conn
        if self._postgresql:
            raw = conn.dbapi_connection
            raw.autocommit = True  # no transaction left open between looks
            raw.add_notify_handler(self._notice)
            raw.execute(f"LISTEN {CHANNEL}")

    def _notice(self, _notify) -> None:
        self._notices += 1

    def version(self) -> object:
        """A value that changes (compare with ==) whenever a commit the lists depend on became visible."""
        if not self._postgresql:
            return dialect.data_version("sqlite", self._conn)
        dialect.data_version("postgresql", self._conn)  # the round trip that brings the notices in
        return self._notices

    def close(self) -> None:
        self._conn.close()
