"""Engine and session setup. SQLite gets WAL, foreign keys and a busy timeout.

An encrypted file (store/cipher.py) gets the same engine through SQLAlchemy's
sqlite+pysqlcipher dialect, which keys every new connection first.

Everything a database needs to behave is attached here, when it opens, to its
own engine and session factory: the SQLite pragmas, the translation of storage
failures into plain messages, the sync-column stamping and the audit trail.
Importing a module registers nothing; two databases in one process never share
a listener or an actor.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from desktop_app.domain.access import Actor
from desktop_app.store import audit, scope
from desktop_app.store.base import stamp_sync_columns
from desktop_app.store.errors import translate_engine_error


def url_for_path(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlcipher_url(url: str, key: str) -> URL:
    """The sqlite+pysqlcipher URL of a file: the dialect gives each new connection `PRAGMA key` first."""
    return URL.create("sqlite+pysqlcipher", password=key, database=url.removeprefix("sqlite:///"))


def make_engine(url: str, key: str | None = None) -> Engine:
    if url.startswith("sqlite") and key:
        # QueuePool as for plain files (the dialect's default, one connection per thread, would
        # close a connection another thread still uses); check_same_thread off as pysqlite does.
        engine = create_engine(_sqlcipher_url(url, key), poolclass=QueuePool,
                               connect_args={"timeout": 15, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    elif url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    # Disk full, read-only file, locked: a StorageError with a plain message, on this engine only.
    event.listen(engine, "handle_error", translate_engine_error)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine` that stamp sync columns and write the audit trail."""
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_flush", stamp_sync_columns)
    event.listen(factory, "after_flush", audit.write_trail)
    event.listen(factory, "before_commit", audit.write_open_entries)
    event.listen(factory, "after_soft_rollback", audit.drop_rolled_back)
    event.listen(factory, "after_transaction_end", audit.forget_open_entries)
    scope.install(factory)  # an account confined to a subtree sees and changes only that
    return factory


def take_write_lock(s: Session) -> None:
    """Begin the session's write transaction now, before its checks read what they must guard.

    Python's sqlite3 opens a transaction only at the first INSERT or UPDATE, so a
    duplicate check made before it reads rows another writer may be adding at
    that moment. BEGIN IMMEDIATE takes SQLite's one write lock first: a second
    writer waits (busy timeout), then sees the first one's rows. PostgreSQL's
    unique indexes settle the same race at commit.
    """
    conn = s.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def take_read_snapshot(s: Session) -> None:
    """Let every read of the session's transaction see the database as of one moment.

    Python's sqlite3 runs each SELECT outside a transaction, so a check that reads
    twice (organisations, then members) can see another writer's commit between
    the two and report a mixture. A deferred BEGIN holds SQLite's read snapshot
    from the first read to the end; on PostgreSQL, REPEATABLE READ does the same.
    Call it first thing in the session.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    conn = s.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


# What cannot write: a SELECT, and the pragmas SQLAlchemy reads the schema with (has_table, reflection).
_READS = re.compile(r"\s*(SELECT\b|PRAGMA\s+(\w+\.)?(table_x?info|index_x?info|index_list|foreign_key_list|table_list)\b[^=]*$)",
                    re.IGNORECASE)


class WriteGate:
    """Holds every write to a database until its file has passed a check, run once, later.

    The start-up check of the file (SQLite's quick check, a quarter of a second
    of a 3,000-member community's start) runs after the first page is shown; reads
    go on meanwhile. Any statement but a SELECT waits for the check (the first one
    to arrive runs it, if it has not started), and a damaged file refuses it with
    `refuse(problems)`, so nothing is ever written to a file that failed its check.
    """

    def __init__(self, check: Callable[[], list[str]], refuse: Callable[[list[str]], Exception]):
        self._check = check
        self._refuse = refuse
        self._lock = threading.Lock()
        self.problems: list[str] | None = None
        """None: not checked yet; []: passed; else what is wrong with the file."""

    def settle(self) -> list[str]:
        """Run the check unless it has run (a second caller waits for the first); what it found."""
        if self.problems is None:
            with self._lock:
                if self.problems is None:
                    self.problems = self._check()
        return self.problems

    def require(self) -> None:
        """Return once the file has passed its check; raise refuse(problems) if it has not."""
        problems = self.settle()
        if problems:
            raise self._refuse(problems)

    def hold(self, _conn, _cursor, statement: str, *_args) -> None:
        """before_cursor_execute: a statement that may write waits for the check (a plain flag test once passed)."""
        if self.problems == [] or _READS.match(statement):
            return
        self.require()


class Database:
    """One database: its URL, engine and session factory, and who acts on it in this process."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    actor: Actor | None
    """Who acts on this database in this process (services.auth sets it; None: nobody)."""
    site_id: str
    """The writing site's id once known ("": not read yet or not set up); it never changes after."""
    has_users: bool
    """True once an account is known to exist (accounts are deactivated, never removed)."""

    gate: WriteGate | None = None
    """Writes wait for this check of the file (None: none pending: checked before opening, or new)."""

    encrypted: bool
    """True for a SQLCipher file (opened with a key); the key itself is not kept on the handle."""

    def __init__(self, url: str, key: str | None = None):
        self.url = url
        self.encrypted = bool(key)
        self.engine = make_engine(url, key)
        me = weakref.ref(self)  # the engine's listener must not keep the handle alive
        scope.install_engine(self.engine, lambda: getattr(me(), "actor", None))  # confined accounts
        self.session_factory = make_session_factory(self.engine)
        self.actor = None
        self.site_id = ""
        self.has_users = False
        self._moment: ContextVar = ContextVar(f"moment_{id(self)}", default=None)

    @classmethod
    def at(cls, path: str | Path, key: str | None = None) -> Database:
        return cls(url_for_path(path), key)

    @property
    def path(self) -> Path | None:
        if self.url.startswith("sqlite:///"):
            return Path(self.url.removeprefix("sqlite:///"))
        return None

    def hold_writes(self, gate: WriteGate) -> None:
        """Let no statement but a SELECT reach the file until `gate` has passed (see WriteGate)."""
        self.gate = gate
        event.listen(self.engine, "before_cursor_execute", gate.hold)

    def session(self) -> Session:
        """A session acting as the current actor (fixed for the session's life) for the audit trail.

        Inside `one_moment` (in the same thread) it reads through that moment's transaction.
        """
        pinned = self._moment.get()
        s = self.session_factory() if pinned is None else self.session_factory(bind=pinned)
        s.info[audit.ACTOR_KEY] = self.actor
        return s

    @contextmanager
    def one_moment(self) -> Iterator[None]:
        """Every session this thread opens inside reads the database as of one moment.

        For a preview that reads through several service functions, each with its
        own session: another writer's commit between two of them is not mixed in.
        One read-only transaction (a deferred BEGIN on SQLite, REPEATABLE READ on
        PostgreSQL) that every session joins, rolled back at the end; nothing
        inside may write (SQLite would refuse once another writer has committed).
        """
        if self._moment.get() is not None:  # already inside one
            yield
            return
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
                    conn.exec_driver_sql("BEGIN")  # pysqlite begins only before a write
                token = self._moment.set(conn)
                try:
                    yield
                finally:
                    self._moment.reset(token)
                    conn.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
