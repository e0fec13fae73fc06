"""Disk full, read-only file, no permission: the storage failures a user can act on, in plain words.

SQLite refuses such a write before it changes anything (the transaction rolls
back, the file keeps its last committed state), so the user only needs to be
told what happened and what to do. `plain(exc)` names the failure as a
StorageError (a DomainError: the GUI shows it as a warning, the CLI as a
message with exit status 2). Every Database attaches `translate_engine_error`
to its own engine when it opens (store/db.py), so a database error never
reaches the user as a traceback; services/storage_errors.py adds the same
for file writes outside the database.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from desktop_app.domain.errors import DomainError


class StorageError(DomainError):
    """The computer would not let us write (or read): disk full, read-only, no permission, in use."""

    def __init__(self, message: str, kind: str, path: str | None = None):
        super().__init__(message)
        self.kind = kind  # full | readonly | permission | locked | unopenable | io | corrupt
        self.path = path


_NOTHING_LOST = "本次修改没有写入，已保存的数据完好无损。"

_MESSAGES = {
    "full": "磁盘空间已满，无法保存{where}。" + _NOTHING_LOST + "请清理磁盘空间（或把数据文件移到空间充足的磁盘）后再试。",
    "readonly": "数据库文件是只读的，无法保存{where}。" + _NOTHING_LOST
    + "请检查文件属性（取消“只读”）和所在文件夹的写入权限，或把数据文件复制到可以写入的位置（U 盘写保护、光盘、网络共享的只读目录都会这样）。",
    "permission": "没有权限写入{where}。" + _NOTHING_LOST + "请检查文件和文件夹的权限，或换一个可以写入的位置。",
    "locked": "数据库正被另一个程序占用，暂时无法保存{where}。" + _NOTHING_LOST + "请关闭同时打开这个数据文件的其他工作台窗口，稍后再试。",
    "unopenable": "无法打开数据库文件{where}。请检查文件是否存在、所在的 U 盘或网络盘是否已连接，以及是否有读写权限。",
    "io": "读写磁盘时出错{where}。" + _NOTHING_LOST + "请检查磁盘或 U 盘是否已拔出或损坏，必要时从备份恢复。",
    "corrupt": "数据库文件已损坏{where}，本次操作没有完成。为免损坏扩大，请不要继续在这个文件上工作："
    "用最新的完好备份恢复（dangqun restore 备份文件，或 文件 → 从备份恢复）；损坏的文件会另外保留。",
}


def _kind_of_sqlite(exc: BaseException) -> str | None:
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if "database or disk is full" in text or code == sqlite3.SQLITE_FULL:
        return "full"
    if "readonly database" in text or "read-only" in text or code == sqlite3.SQLITE_READONLY:
        return "readonly"
    if "database is locked" in text or code == sqlite3.SQLITE_BUSY:
        return "locked"
    if "unable to open database file" in text or code == sqlite3.SQLITE_CANTOPEN:
        return "unopenable"
    if "disk i/o error" in text or code == sqlite3.SQLITE_IOERR:
        return "io"
    if "malformed" in text or code == sqlite3.SQLITE_CORRUPT:
        return "corrupt"
    return None


def _kind_of_os(exc: OSError) -> str | None:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "permission"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "full"
    if exc.errno == errno.EROFS:
        return "readonly"
    if exc.errno == errno.EIO:
        return "io"
    return None


def _where(path: str | Path | None) -> str:
    return f"（{path}）" if path else ""


def plain(exc: BaseException, path: str | Path | None = None) -> StorageError | None:
    """The StorageError for a storage failure, or None when `exc` is something else."""
    if isinstance(exc, StorageError):
        return exc
    original = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the sqlite3 error
    kind = None
    if isinstance(original, sqlite3.Error) or type(original).__module__.startswith("sqlcipher3"):
        kind = _kind_of_sqlite(original)  # the SQLCipher driver's errors mirror sqlite3's
    elif isinstance(original, OSError):
        kind = _kind_of_os(original)
        path = path or original.filename
    if kind is None:
        return None
    return StorageError(_MESSAGES[kind].format(where=_where(path)), kind, str(path) if path else None)


def _database_file(engine: Engine | None) -> str | None:
    if engine is None or engine.url.get_backend_name() != "sqlite":
        return None
    return engine.url.database or None


def translate_engine_error(context) -> BaseException | None:
    """handle_error listener: a storage failure surfaces as StorageError (the transaction is rolled back)."""
    path = _database_file(context.engine)
    if path and path.startswith("file:"):
        path = path.removeprefix("file:").split("?", 1)[0]
    return plain(context.original_exception, path)
