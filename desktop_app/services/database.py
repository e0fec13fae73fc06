"""Opening the database: the one door the GUI and the command line use to get a `Database`.

They hold the handle and pass it back to services; they never open sessions on it.
Here too: turning a plain file into an encrypted one and back (`dangqun db
encrypt` / `decrypt`), always through a temporary copy that is verified before
it replaces anything, so the original is untouched on any failure.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from desktop_app.domain.access import Actor
from desktop_app.domain.errors import Conflict, DomainError
from desktop_app.files import place, put_in_place_after, sha256_of
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit, cipher, filelock, server
from desktop_app.store.cipher import KEY_ENV, PLAIN, KeyProblem, default_key, env_key
from desktop_app.store.db import Database, WriteGate
from desktop_app.store.filelock import InUse
from desktop_app.store.migrate import NewerDatabase, NotADatabase, NotEncrypted
from desktop_app.store.migrate import open_database as _open_database
from desktop_app.store.server import ServerUnavailable, check_server_url, file_only, is_server_url
from desktop_app.store.server import shown as shown_url

__all__ = [
    "KEY_ENV", "PLAIN", "CorruptDatabase", "Database", "InUse", "WriteGate", "claim_for_window", "damaged", "default_key", "env_key", "KeyProblem", "NotADatabase", "NotEncrypted", "db_key", "decrypt", "encrypt",
    "key_fingerprint", "open_database", "opens_with", "print_key_sheet", "record", "require_admin", "ServerUnavailable", "check_server_url", "file_only", "is_server_url", "sha256_of", "shown_url", "NewerDatabase",
]


class CorruptDatabase(DomainError):
    """The database file cannot be read, fails its integrity check, or is empty (0 bytes).

    The message is in plain words; SQLite's own lines ("*** in database main ***",
    "Page 501: btreeInitPage() ...") stay in `problems`, for the log."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"数据库文件 {path} 已损坏或无法读取：{'；'.join(plain_problems(problems))}")


def plain_problems(problems: list[str]) -> list[str]:
    """What is wrong with a file, for its user: our own (Chinese) findings as they are, SQLite's summed up."""
    shown: list[str] = []
    for problem in problems:
        if problem.startswith("无法读取（"):
            said = "文件不完整或结构已损坏，无法读取"  # SQLite's reason ("malformed", "not a database") is logged
        elif problem[:1] and "\u4e00" <= problem[0] <= "\u9fff":
            said = problem
        else:
            said = "完整性检查发现数据页或索引出错"
        if said not in shown:
            shown.append(said)
    return shown[:3]


def open_database(path: str | Path, key: str | None = None,
                  gate: WriteGate | None = None) -> tuple[Database, Path | None]:
    """Open (creating if needed) the file at `path` and bring its schema up to date.

    `path` may also be a server's URL (postgresql://user@host/db?sslmode=require):
    a district's shared database, opened as it is (store/server.py).

    `key` opens an encrypted (SQLCipher) file or creates a new one encrypted;
    without it DANGQUN_DB_KEY is used, and without that the file is plain
    (PLAIN says "plain, whatever the environment holds"). A wrong key is a
    KeyProblem, a key for a plain file NotEncrypted: plain messages, the file
    untouched. A 0-byte file is a CorruptDatabase, not a new database: it is
    what a failed copy leaves, and filling it would hide the loss.
    Returns the database and the copy kept before an upgrade, if any.
    `gate`: the file's check still to run (services.startup.open_for_window); writes wait for it.
    """
    if server.is_server_url(path):  # a district's PostgreSQL server: no file, no key, no lock file
        return server.open_server(str(path)), None
    state = cipher.file_state(path)
    if state == "empty":
        raise CorruptDatabase(Path(path), ["文件是空的（0 字节），可能是复制或保存时出错"])
    if state == "blank":
        raise CorruptDatabase(Path(path), [cipher.BLANK_PROBLEM])
    if Path(path).parent.is_dir():
        filelock.acquire(path, exclusive=False)  # refused while a window holds the file
    return _open_database(path, key, gate)


def claim_for_window(path: str | Path) -> str | Path:
    """The window holds the database alone for its whole life (see store/filelock.py); InUse if not free.

    Commands run meanwhile are refused politely instead of removing the WAL
    file the window writes to. Returns `path`.
    """
    if server.is_server_url(path):
        return path  # a server database: the server keeps concurrent windows and commands apart
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    filelock.acquire(path, exclusive=True)
    return Path(path)


def db_key(path: str | Path, ask: Callable[[], str]) -> str | None:
    """The key to open `path` with: DANGQUN_DB_KEY, else `ask()` when the file looks encrypted; None: none needed."""
    if cipher.default_key(path) or cipher.file_state(path) != "sealed":
        return None  # open_database takes the environment's (or the OS store's) key itself
    return ask() or None


def opens_with(path: str | Path, key: str | None) -> bool:
    """True when `path` is a plain database, or an encrypted one that `key` opens (nothing is written)."""
    state = cipher.file_state(path)
    if state == "plain":
        return True
    if state != "sealed" or not key:
        return False
    try:
        cipher.check_opens(Path(path), key)
    except KeyProblem:
        return False
    return True


def damaged(path: str | Path) -> bool:
    """True for an empty or zeroed file, or a plain one SQLite finds damaged (an encrypted file without its key is not)."""
    state = cipher.file_state(path)
    return state in ("empty", "blank") or (state == "plain" and bool(cipher.problems(Path(path), None)))


class ConversionFailed(DomainError):
    pass


def require_admin(db: Database, what: str) -> Actor:
    """Backups, restores and the database file itself are for administrators (the permission backup.restore)."""
    try:
        return auth.require(db, "backup.restore")
    except auth.PermissionDenied as exc:
        raise auth.PermissionDenied(f"只有管理员可以{what}（{exc}）", exc.permission) from None


def _file_of(db: Database) -> Path:
    if db.path is None or not db.path.exists():
        raise Conflict("只有数据库文件可以加密或解密")
    return db.path


def record(db: Database, action: str, detail: str, path: Path, actor: Actor | None = None, *,
           made: Path | None = None) -> None:
    """An audit entry naming a database file, its size and SHA-256, so a copy can be recognised later.

    `made`: where the file's bytes are still, beside `path`, until the entry is committed."""
    path = Path(path)
    content = Path(made or path)
    with UnitOfWork(db) as uow:
        if actor is not None:
            uow.act_as(actor)
        audit.record(uow.session, action, "database", "", detail, label=path.name,
                     after={"file": str(path), "size": content.stat().st_size, "sha256": sha256_of(content)})
        uow.commit()


def _convert(db: Database, key: str | None, out: Path | None, new_key: str | None,
             recorded: Callable[[Path], None] | None = None) -> Path:
    """Copy db's file (opened with `key`) into `out` or in place, encrypted with `new_key` (None: plain).

    `recorded(copy)`, for a copy to `out`: records it, once it is whole and checked, before it is in place."""
    path = _file_of(db)
    target = out or path
    tmp = target.with_name(target.name + ".converting")
    tmp.unlink(missing_ok=True)
    logged = False  # once the trail names the copy, a failed rename keeps it (（待改名）), never unlinks it
    if out is None:
        db.dispose()
        cipher.settle(path, key)  # the WAL folded in, no side files left to pair with the new file
    try:
        cipher.export(path, key, tmp, new_key)
        cipher.private(tmp)
        problems = cipher.compare(path, key, tmp, new_key)
        if problems:
            raise ConversionFailed(f"转换后的副本与原数据库不一致（{'；'.join(problems[:3])}），原数据库没有改动")
        if out is None:
            cipher.replace_shredding(tmp, path)
        else:
            if recorded is None:
                os.replace(tmp, out)
            else:
                recorded(tmp)
                logged = True
                place(tmp, out)
    finally:
        if not logged:
            tmp.unlink(missing_ok=True)
    return target


def encrypt(db: Database, new_key: str) -> Database:
    """Encrypt a plain database in place with `new_key`; returns the database reopened encrypted.

    The plain original is overwritten once the encrypted copy has been verified
    row by row. Backups made before stay as they were (plain): the caller is told.
    """
    require_admin(db, "加密数据库")
    if db.encrypted:
        raise Conflict("数据库已经是加密的")
    if not new_key:
        raise Conflict(f"请给出密钥（环境变量 {KEY_ENV}）")
    actor = db.actor
    path = _convert(db, None, None, new_key)
    cipher.keep_key(path, new_key)  # Windows: DPAPI keeps it for this user; elsewhere a no-op
    new, _ = open_database(path, new_key)
    auth.set_actor(new, actor)
    record(new, "encrypt", "数据库已加密（SQLCipher）", path)
    return new


def decrypt(db: Database, key: str, out: Path | None = None) -> Path:
    """A plain copy of an encrypted database at `out` (for an administrator, audited), or in place when out is None."""
    require_admin(db, "解密数据库")
    if not db.encrypted:
        raise Conflict("数据库没有加密")
    if out is not None and Path(out).resolve() == _file_of(db).resolve():
        raise Conflict("解密副本不能覆盖数据库本身（不写 --out 即就地解密）")
    actor = db.actor
    if out is not None:  # the plain copy is in place only once its entry is committed, never without it
        target = Path(out)
        return _convert(db, key, target, None,
                        lambda made: record(db, "decrypt", f"写出未加密的副本 {target}", target, made=made))
    path = _convert(db, key, None, None)
    cipher.keep_key(path, None)
    new, _ = open_database(path, PLAIN)
    auth.set_actor(new, actor)
    record(new, "decrypt", "数据库已解密（不再加密）", path)
    new.dispose()
    return path


def key_fingerprint(key: str) -> str:
    """A short check of a key (not the key): the recovery sheet prints it, a typed key can be compared."""
    digest = hashlib.sha256(("dangqun-db-key:" + key).encode("utf-8")).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def print_key_sheet(db: Database, key: str, out: Path) -> Path:
    """The 数据库密钥恢复单 PDF for the safe (administrators only; audited, without the key)."""
    from sqlalchemy import select

    from desktop_app.reports.key_sheet import KeySheetReport
    from desktop_app.store.models import Site

    require_admin(db, "打印数据库密钥恢复单")
    if not db.encrypted:
        raise Conflict("数据库没有加密，没有密钥可打印")
    cipher.check_opens(_file_of(db), key)  # never print a key that does not open the file
    with db.session() as s:
        name = s.scalar(select(Site.org_name).limit(1)) or ""
    out = Path(out)
    sheet = KeySheetReport(name, str(_file_of(db)), key, key_fingerprint(key)).render()
    # The sheet holds the key: written beside `out`, in place only once its printing is recorded.
    with UnitOfWork(db) as uow:
        audit.record(uow.session, "export", "database", "", f"打印数据库密钥恢复单 {out}", label=out.name,
                     after={"file": str(out), "fingerprint": key_fingerprint(key)})
        with put_in_place_after(out, sheet, private=False):
            uow.commit()
    return out
