"""What every command shares: opening the database as the acting user, passwords, argument checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_SAVED_NOT_PLACED = 3  # saved and recorded, its file kept under another name (（待改名）): rename it by hand


class CliError(Exception):
    """A message for the user; exit status 2."""


def json_flag(p: argparse.ArgumentParser, help_: str = "以 JSON 输出") -> None:
    """--json: a listing printed as JSON (for scripts) instead of lines for a person."""
    p.add_argument("--json", action="store_true", help=help_)


def db_url(args: argparse.Namespace) -> str:
    """A server database's URL (a district's PostgreSQL): --db-url, else DANGQUN_DB_URL unless --db names a file.

    "" means the database is a file (--db or the default one).
    """
    # a string test, pure: the window reads this before its frame, with no SQLAlchemy loaded yet
    from desktop_app.domain.server_url import is_server_url

    if getattr(args, "db", None) and not getattr(args, "db_url", None):  # a file, or a server's URL given in its place
        return args.db.strip() if is_server_url(args.db.strip()) else ""
    from desktop_app.settings import database_url

    url = (getattr(args, "db_url", None) or "").strip() or database_url()
    if not url or is_server_url(url):
        return url
    from desktop_app.services.database import ServerUnavailable, check_server_url

    try:
        return check_server_url(url)  # refused, saying how an address is spelled
    except ServerUnavailable as exc:
        raise CliError(str(exc)) from None


def db_path(args: argparse.Namespace) -> Path:
    """The database file; a command about the file itself (backups, encryption) is refused on a server."""
    from desktop_app.settings import default_db_path

    url = db_url(args)
    if url:
        from desktop_app.services.database import file_only

        raise CliError(file_only(url, getattr(args, "command", "") or ""))
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def db_label(args: argparse.Namespace) -> str:
    """Where the data is, for messages: the file, or the server's URL without its password."""
    from desktop_app.services.database import shown_url

    url = db_url(args)
    return shown_url(url) if url else str(db_path(args))


def open_db(args: argparse.Namespace, must_exist: bool = True, key: str | None = None):
    from desktop_app.services.database import CorruptDatabase, NotADatabase, db_key, open_database

    url = db_url(args)
    if url:
        return _open_server(args, url)
    path = db_path(args)
    if must_exist and not path.exists():
        raise CliError(f"数据库文件不存在：{path}（先运行 dangqun init 或 dangqun demo）")
    if key is None:
        key = db_key(path, lambda: password("数据库密钥：", "DANGQUN_DB_KEY") if sys.stdin and sys.stdin.isatty() else "")
    try:
        db, backup = open_database(path, key)
    except NotADatabase as exc:
        raise CliError(str(exc)) from None
    except CorruptDatabase as exc:
        import logging

        from desktop_app.services import backup as backups

        logging.getLogger(__name__).error("corrupt database %s: %s", path, exc.problems)  # SQLite's words, for support

        good = backups.newest_good(path.stem)
        offer = (f"最新的完好备份是 {good.path}（{good.taken_at:%Y-%m-%d %H:%M}），可运行 dangqun restore {good.path} 恢复"
                 if good else "没有找到完好的备份")
        raise CliError(f"{exc}。为免在损坏的文件上继续写入，本程序没有打开它。{offer}") from None
    if backup:
        print(f"数据库已升级，升级前的副本保存在 {backup}")
    return _act(args, db)


def _open_server(args: argparse.Namespace, url: str):
    from desktop_app.services.database import NewerDatabase, ServerUnavailable, open_database

    _warn_typed_password(args, url)
    try:
        db, _ = open_database(url)
    except (ServerUnavailable, NewerDatabase) as exc:
        raise CliError(str(exc)) from None
    return _act(args, db)


def _warn_typed_password(args: argparse.Namespace, url: str) -> None:
    """A password typed into --db-url stays in the shell's history and the process list: say so, and where it goes."""
    from urllib.parse import urlsplit

    typed = (getattr(args, "db_url", None) or getattr(args, "db", None) or "").strip()
    try:
        has_password = typed == url and bool(urlsplit(url).password)
    except ValueError:
        return
    if has_password:
        print("注意：地址中写了密码，它会留在命令历史和进程列表里。请把密码改放在 ~/.pgpass"
              "（Windows 为 %APPDATA%\\postgresql\\pgpass.conf）或环境变量 PGPASSWORD 中，地址里只写账户，"
              "并从命令历史中删去这一行", file=sys.stderr)


def _act(args: argparse.Namespace, db):
    from desktop_app.services import auth

    # Whoever holds the file holds the data: the command line acts as the local
    # administrator unless --user names an account to sign the work with.
    user = getattr(args, "user", None)
    changing = getattr(args, "command", None) == "user" and getattr(args, "action", None) == "passwd"
    auth.cli_actor(db, user, password("密码：", "DANGQUN_PASSWORD") if user else None, changing_password=changing)
    return db


def password(prompt: str, env: str) -> str:
    """From the environment (scripts) or typed without echo."""
    import getpass
    import os

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        # Name what is wanted (a password, a database key, a backup's key): the prompt says it.
        raise CliError(f"需要输入{prompt.rstrip('： ')}：请在终端中运行，或通过环境变量 {env} 提供")
    return getpass.getpass(prompt)


def new_password() -> str:
    import os

    if "DANGQUN_NEW_PASSWORD" in os.environ:
        return os.environ["DANGQUN_NEW_PASSWORD"]
    first = password("新密码：", "DANGQUN_NEW_PASSWORD")
    if password("再输一次：", "DANGQUN_NEW_PASSWORD") != first:
        raise CliError("两次输入的密码不一致")
    return first


def need(args: argparse.Namespace, name: str, flag: str) -> str:
    value = getattr(args, name, None)
    if not value:
        raise CliError(f"此报表需要 {flag}")
    return value


def existing_file(args: argparse.Namespace, what: str = "文件") -> Path:
    """`args.file` as a path, refused with a message when there is nothing there."""
    source = Path(args.file)
    if not source.exists():
        raise CliError(f"{what}不存在：{source}")
    return source


def date_arg(value: str | None, flag: str):
    from desktop_app.domain.members import parse_date

    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CliError(f"{flag}：{exc}") from None


def org_arg(db, value: str | None) -> str | None:
    """--org of a report: the organisation's code as `dangqun orgs` lists it (or its ID), refused when unknown.

    An unknown one (a code, where only IDs were read) printed an empty report without a word.
    An account confined to one street finds only its own subtree here.
    """
    from desktop_app.services import orgs

    if not value:
        return None
    value = value.strip()
    for node in orgs.list_tree(db):
        if value in (node.code, node.id):
            return node.id
    raise CliError(f"--org：找不到组织“{value}”（组织代码见 dangqun orgs）")


def grid_arg(db, name: str | None) -> str | None:
    from desktop_app.services import residents

    if not name:
        return None
    grid_id = residents.grid_id_by_name(db, name)
    if grid_id is None:
        raise CliError(f"--grid：找不到网格党支部“{name}”")
    return grid_id
