"""A district's server database (PostgreSQL) instead of a file: opened by URL.

A street or community keeps its data in one SQLite file; a district, with many
operators importing at once, keeps it on a PostgreSQL server. The program opens
either through the same door (services.database.open_database); only here does
it tell a server URL from a file path. A server has no file to copy before an
upgrade and no SQLCipher key: its backups are the server's own (pg_dump).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from desktop_app.domain.errors import DomainError
from desktop_app.store import migrate
from desktop_app.store.db import Database

SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")  # postgres://: libpq's and many hosts' spelling


class ServerUnavailable(DomainError):
    """The server cannot be reached or refuses the account: a plain message, nothing opened."""


def is_server_url(target: str | Path) -> bool:
    """True for a database URL of a server (postgresql://...), False for a file path."""
    return isinstance(target, str) and target.split("://", 1)[0] in SCHEMES and "://" in target


def check_server_url(url: str) -> str:
    """`url`, given as a server's address (--db-url, DANGQUN_DB_URL), or ServerUnavailable saying how it is spelled.

    Taken for a file path, such an address made a new empty database in a folder
    named after it and the command went on as if all were well.
    """
    if is_server_url(url):
        return url
    raise ServerUnavailable(f"“{shown(url) if '://' in url else url}”不是数据库服务器地址：应写成 postgresql://账户@服务器/数据库名"
                            "（如 postgresql://dangqun_admin@db.district.local/dangqun?sslmode=require）；"
                            "数据库文件请用 --db 指定")


def shown(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "（无效的数据库地址）"


def engine_url(url: str) -> str:
    """postgresql://... spelled for psycopg 3, the driver the program ships (SQLAlchemy defaults to psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def open_server(url: str) -> Database:
    """The server database at `url`, its schema brought to head (created on an empty database)."""
    try:
        db = Database(engine_url(url))
    except ArgumentError as exc:
        raise ServerUnavailable(f"数据库地址无效：{shown(url)}（{exc}）") from None
    try:
        current = migrate.current_revision(db)
    except OperationalError as exc:
        db.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ServerUnavailable(f"无法连接数据库服务器 {shown(url)}：{reason}") from None
    if current is not None and current != migrate.SCHEMA_HEAD and current not in migrate.known_revisions():
        db.dispose()
        raise migrate.NewerDatabase(Path(shown(url)), current)
    migrate.upgrade(db)  # a server has no file to copy first: its backup is pg_dump's
    return db
