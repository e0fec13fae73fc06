"""A district's server database (PostgreSQL) instead of a file: opened by URL.

A street or community keeps its data in one SQLite file; a district, with many
operators importing at once, keeps it on a PostgreSQL server. The program opens
either through the same door (services.database.open_database); only here does
it tell a server URL from a file path. A server has no file to copy before an
upgrade and no SQLCipher key: its backups are the server's own (pg_dump).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import make_url
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from desktop_app.domain.errors import DomainError
from desktop_app.domain.server_url import SCHEMES, is_server_url  # noqa: F401 - the store's callers read them here
from desktop_app.store import migrate
from desktop_app.store.db import Database

class ServerUnavailable(DomainError):
    """The server cannot be reached or refuses the account: a plain message, nothing opened."""


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
        parsed = make_url(url)
        if parsed.drivername.startswith("postgresql+"):  # as typed and as psql/pg_dump take it, not the driver's name
            parsed = parsed.set(drivername="postgresql")
        return unquote(parsed.render_as_string(hide_password=True))  # host=/run/pg, not host=%2Frun%2Fpg
    except ArgumentError:
        return "（无效的数据库地址）"


def engine_url(url: str) -> str:
    """postgresql://... spelled for psycopg 3, the driver the program ships (SQLAlchemy defaults to psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


# The driver's reasons, in English, told to a worker as what went wrong and what to do (first match wins).
_REASONS = (
    (r"password authentication failed for user \"([^\"]*)\"",
     "账户 {0} 的密码不对：改正 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf）或 PGPASSWORD 中的密码，忘记时请区里的信息管理员重设"),
    (r"no password supplied",
     "服务器要求密码，但没有提供：把密码写入 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf）或设置环境变量 PGPASSWORD"),
    (r"role \"([^\"]*)\" does not exist",
     "服务器上没有账户 {0}：检查地址中 @ 前的账户名，或请信息管理员用 createuser 建立"),
    (r"database \"([^\"]*)\" does not exist",
     "服务器上没有数据库 {0}：检查地址中最后的数据库名，或请信息管理员用 createdb 建立"),
    (r"no pg_hba\.conf entry",
     "服务器不允许这台电脑以此账户连接：请信息管理员在服务器的 pg_hba.conf 中放行"),
    (r"server does not support SSL|SSL",
     "加密连接（SSL）没有建立：请信息管理员在服务器上开启 ssl，或检查地址中的 sslmode"),
    (r"could not translate host name|Name or service not known|nodename nor servname",
     "找不到这台服务器：检查地址中 @ 后的服务器名是否写对、网络是否连通"),
    (r"Connection refused|No such file or directory|timeout expired|timed out|could not connect|Is the server running",
     "服务器没有响应：检查服务器是否开机、PostgreSQL 是否已启动、地址和端口是否写对、网络是否连通"),
)


def what_to_do(reason: str) -> str:
    """The driver's reason as a worker reads it: what is wrong and what to do; a reason not known, in general terms."""
    for pattern, told in _REASONS:
        if found := re.search(pattern, reason, re.IGNORECASE):
            return told.format(*found.groups())
    return "请把这条消息告诉区里的信息管理员"


def open_server(url: str) -> Database:
    """The server database at `url`, its schema brought to head (created on an empty database)."""
    try:
        db = Database(engine_url(url))
    except ArgumentError as exc:
        raise ServerUnavailable(f"数据库地址无效：{shown(url)}（{exc}）") from None
    try:
        current = migrate.current_revision(db)
        if current is not None and current != migrate.SCHEMA_HEAD and current not in migrate.known_revisions():
            db.dispose()
            raise migrate.NewerDatabase(Path(shown(url)), current)
        migrate.upgrade(db)  # a server has no file to copy first: its backup is pg_dump's
    except OperationalError as exc:
        db.dispose()
        reason = _first_line(exc)
        raise ServerUnavailable(f"无法连接数据库服务器 {shown(url)}：{what_to_do(reason)}（详情：{reason}）") from None
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _NOT_PERMITTED:
            raise
        told = _not_permitted(db, exc)
        db.dispose()
        raise ServerUnavailable(told) from None
    return db


_NOT_PERMITTED = "42501"  # insufficient_privilege: connected, but the account may not read or make the tables


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def _not_permitted(db: Database, exc: DBAPIError) -> str:
    """What the IT person does when the account connects but may not use the database: whose it is, and the fix.

    README has the database made with `createdb --owner` the program's account; made without it, or
    opened with another account, the driver's SQL (permission denied for table alembic_version) was all
    anyone saw.
    """
    reason = _first_line(exc)
    with db.engine.connect() as c:
        account, name, owner, empty = c.execute(text(
            "SELECT current_user, current_database(), pg_get_userbyid(datdba),"
            " to_regclass('public.alembic_version') IS NULL FROM pg_database WHERE datname = current_database()")).one()
    if owner == account:
        return (f"账户 {account} 在数据库 {name} 中没有所需的权限：请信息管理员在服务器上以 postgres 身份运行 "
                f"GRANT ALL ON SCHEMA public TO {account}（详情：{reason}）")
    if empty:
        return (f"账户 {account} 不能在数据库 {name} 中建表：这个库属于账户 {owner}，而程序用哪个账户连接，库就应归哪个账户所有。"
                f"请信息管理员在服务器上以 postgres 身份运行 ALTER DATABASE {name} OWNER TO {account}"
                f"（或删掉重建：createdb --owner {account} --encoding UTF8 {name}），或在地址中改用账户 {owner}（详情：{reason}）")
    return (f"账户 {account} 无权使用数据库 {name}：库中的数据属于账户 {owner}，程序须以它连接。"
            f"请把地址中 @ 前的账户改为 {owner}（postgresql://{owner}@服务器/{name}），它的密码放在 ~/.pgpass 或 PGPASSWORD 中"
            f"（详情：{reason}）")


def client_address(url: str) -> str:
    """The address as pg_dump, pg_restore and psql take it: postgresql://, no driver name, never the password."""
    try:
        bare = make_url(engine_url(url))._replace(drivername="postgresql", password=None)  # set() keeps a None field as it was
    except ArgumentError:
        return "postgresql://账户@服务器/数据库名"
    return unquote(bare.render_as_string(hide_password=False))


def file_only(url: str, what: str) -> str:
    """Why a command about the database file (backup, restore, encryption: `what`) does nothing on a server, and what does.

    A district's IT person asked what "backup" means for a server database: the program's
    backups copy a file, and a server's data is backed up by the server's own tools.
    """
    address = f"'{client_address(url)}'"
    if what == "db":
        return ("数据库在 PostgreSQL 服务器上：数据库文件加密（dangqun db）只适用于数据库文件。服务器上的数据由服务器保护："
                "连接地址带 sslmode=require（传输加密），服务器的磁盘加密与访问控制由信息管理员负责")
    return (f"数据库在 PostgreSQL 服务器上：本程序的备份与恢复只处理数据库文件，不复制服务器上的数据；服务器的备份由信息管理员用 "
            f"PostgreSQL 自带的工具做，建议每晚定时运行：pg_dump -Fc -f dangqun-$(date +%F).dump {address}；"
            f"恢复：pg_restore --clean --dbname {address} 备份文件。"
            "密码放在 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf）中，不要写进命令或脚本（会留在命令历史里）")
