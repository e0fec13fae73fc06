"""Encryption at rest: SQLCipher database files, their key, and copies between plain and encrypted.

A copied database or backup must show no personal data to someone without the
key. An encrypted file is a SQLCipher 4 file (AES-256, a passphrase stretched
with PBKDF2 inside SQLCipher) opened through the `sqlcipher3` driver; a plain
file stays an ordinary SQLite file opened through Python's `sqlite3`, so a
program without a key behaves exactly as before. For scripts, tests and CI the
passphrase comes from DANGQUN_DB_KEY; on Windows `dangqun db encrypt` also
keeps it in the user's credential store (DPAPI), so the window opens the file
without asking; a caller that asked the user for it hands
it to `open_database`, which remembers it for this process so that the backups
of that file (`key_of`) are encrypted with the same key.

Every raw connection to a database file goes through `connect` here: the
backup and restore code, the pre-upgrade copy and the integrity checks work
the same on both kinds of file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DomainError

KEY_ENV = "DANGQUN_DB_KEY"
PLAIN = ""  # as a key: "this file is plain", whatever DANGQUN_DB_KEY says
SQLITE_HEADER = b"SQLite format 3\x00"

_keys: dict[str, str] = {}  # resolved path -> the key it was opened with in this process


class KeyProblem(DomainError):
    """The database cannot be opened with the key given (or without one)."""


def env_key() -> str | None:
    """The key from DANGQUN_DB_KEY, or None when unset or empty."""
    return os.environ.get(KEY_ENV) or None


KEYRING_SERVICE = "dangqun-database"


def _keyring():
    """Windows' credential store (DPAPI, through the keyring package); None elsewhere."""
    if sys.platform != "win32":
        return None
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def stored_key(path: str | Path) -> str | None:
    """The key this PC's user keeps for `path` in the operating system's store (Windows), if any."""
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(KEYRING_SERVICE, _name(path)) or None
    except Exception:  # noqa: BLE001 - a locked or missing store is "no key kept", never a crash
        return None


def keep_key(path: str | Path, key: str | None) -> bool:
    """Keep (or with None forget) the key of `path` in the operating system's store; False where there is none."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        if key:
            kr.set_password(KEYRING_SERVICE, _name(path), key)
        else:
            kr.delete_password(KEYRING_SERVICE, _name(path))
    except Exception:  # noqa: BLE001 - the key still works from the environment or the prompt
        return False
    return True


def default_key(path: str | Path) -> str | None:
    """DANGQUN_DB_KEY, else (for an encrypted file) the key the operating system keeps for it."""
    return env_key() or (stored_key(path) if file_state(path) == "sealed" else None)


def _name(path: str | Path) -> str:
    return str(Path(path).resolve())


def remember(path: str | Path, key: str | None) -> None:
    """`path` was opened with `key` (None: it is a plain file) in this process."""
    if key:
        _keys[_name(path)] = key
    else:
        _keys.pop(_name(path), None)


def key_of(path: str | Path) -> str | None:
    """The key to open `path` with: the one it was opened with here, else DANGQUN_DB_KEY; None for a plain file."""
    if file_state(path) == "plain":
        return None
    return _keys.get(_name(path)) or env_key() or stored_key(path)


def file_state(path: str | Path) -> str:
    """'missing', 'empty' (0 bytes), 'blank' (zeros where the header belongs), 'plain' (an SQLite header)
    or 'sealed' (anything else: encrypted or foreign).

    'blank' is damage: a SQLCipher file starts with a random salt, never with
    sixteen zero bytes, so a zeroed start (a power cut, a failing disk or stick)
    must not be taken for an encrypted file and its user asked for a key."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    if size == 0:
        return "empty"
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == SQLITE_HEADER:
        return "plain"
    return "blank" if head.count(0) == len(head) else "sealed"


# What a 'blank' file is, in the words every message about it uses.
BLANK_PROBLEM = "文件开头全是 0（数据库的文件头被清零，常见于断电、磁盘或 U 盘出错）"


def driver():
    """The SQLCipher DB-API module (imported on first use: plain files never need it)."""
    from sqlcipher3 import dbapi2

    return dbapi2


def database_errors() -> tuple[type[BaseException], ...]:
    """The DB-API DatabaseError classes of both drivers (they are unrelated classes)."""
    try:
        return (sqlite3.DatabaseError, driver().DatabaseError)
    except ImportError:
        return (sqlite3.DatabaseError,)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_key(dbapi_conn: Any, key: str) -> None:
    """Give a fresh SQLCipher connection its key (before anything reads the file)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's stderr lines
    cur.execute(f"PRAGMA key = {_quote(key)}")
    cur.close()


def connect(path: str | Path, key: str | None = None, mode: str = "", **kw: Any):
    """A DB-API connection to `path`: SQLCipher with `key`, else sqlite3. `mode`: URI flags such as 'mode=ro'."""
    target = f"file:{Path(path).resolve().as_posix()}" + (f"?{mode}" if mode else "")
    if not key:
        return sqlite3.connect(target, uri=True, **kw)
    con = driver().connect(target, uri=True, **kw)
    try:
        apply_key(con, key)
    except BaseException:
        con.close()
        raise
    return con


def readable(con: Any) -> None:
    """Read the schema once: with a wrong key this is where SQLCipher says 'file is not a database'."""
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()


def check_opens(path: Path, key: str | None) -> None:
    """Raise KeyProblem unless `path` opens with `key` (nothing is written)."""
    try:
        con = connect(path, key, "mode=ro")
        try:
            readable(con)
        finally:
            con.close()
    except database_errors() as exc:
        if key:
            raise KeyProblem(
                f"无法打开加密的数据库 {path}：密钥不正确（或这不是本程序的数据库文件）。"
                f"请检查环境变量 {KEY_ENV} 或输入的密钥。数据库没有被改动。"
            ) from None
        raise KeyProblem(f"无法打开数据库 {path}：{exc}") from None


def export(src: Path, src_key: str | None, dst: Path, dst_key: str | None) -> None:
    """Write a full copy of `src` into the new file `dst`, encrypted with `dst_key` (None: plain).

    SQLCipher's sqlcipher_export copies schema and rows between a plain and an
    encrypted file in either direction; it runs in one read transaction of the
    source, so a writer elsewhere cannot tear the copy.
    """
    if Path(dst).exists():
        raise FileExistsError(dst)
    # Not mode=ro: an attached file inherits the main file's open flags, and the copy must be writable.
    con = driver().connect(f"file:{Path(src).resolve().as_posix()}", uri=True, isolation_level=None)
    try:
        if src_key:
            apply_key(con, src_key)
        readable(con)
        con.execute("ATTACH DATABASE ? AS target KEY ?", (str(dst), dst_key or ""))
        try:
            con.execute("BEGIN")
            con.execute("SELECT sqlcipher_export('target')")
            version = con.execute("PRAGMA main.user_version").fetchone()[0]
            con.execute(f"PRAGMA target.user_version = {int(version)}")
            con.execute("COMMIT")
        finally:
            con.execute("DETACH DATABASE target")
    finally:
        con.close()


def backup(src: Path, dst: Path, key: str | None) -> None:
    """Copy a live database page by page with the online backup API (safe under WAL); both share `key`."""
    source = connect(src, key, "mode=ro")
    try:
        target = connect(dst, key)
        try:
            source.backup(target)
            # A copy stands alone: out of WAL, so reading it never leaves -wal/-shm files beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def private(path: Path) -> None:
    """Only the owner may read a database or backup file (0600) on POSIX; a no-op on Windows."""
    if os.name == "posix":
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass  # a FAT USB stick has no modes; the encryption is what protects it


def create_private(path: Path) -> None:
    """An empty file only the owner may read (SQLite fills it; its -wal and -shm take the same mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def settle(path: Path, key: str | None) -> None:
    """Fold the WAL into the file and leave no -wal/-shm beside it (before the file is replaced).

    Switching out of WAL needs the only connection: another program still
    using the file makes this fail as "locked" rather than lose its writes.
    """
    con = connect(path, key)
    try:
        con.execute("PRAGMA busy_timeout = 5000")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = con.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    finally:
        con.close()
    if str(mode).lower() != "delete":
        raise sqlite3.OperationalError("database is locked")


def _counts(con: Any) -> dict[str, int]:
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def problems(path: Path, key: str | None, quick: bool = False) -> list[str]:
    """[] when `path` opens with `key` and passes SQLite's integrity check; else what is wrong.

    `quick`: PRAGMA quick_check (pages, b-trees, free list, not each index against its table): a
    tenth of the time, for start-up; backup copies get the full check.
    """
    try:
        con = connect(path, key, "mode=ro")
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()]
        finally:
            con.close()
    except database_errors() as exc:
        return [f"无法读取（{exc}）"]
    return [] if rows == ["ok"] else rows


def compare(src: Path, src_key: str | None, dst: Path, dst_key: str | None) -> list[str]:
    """[] when `dst` is sound and holds the same tables with as many rows as `src`; else the differences."""
    found = problems(dst, dst_key)
    if found:
        return found
    a, b = connect(src, src_key, "mode=ro"), connect(dst, dst_key, "mode=ro")
    try:
        left, right = _counts(a), _counts(b)
    finally:
        a.close()
        b.close()
    return [f"{t}: {left.get(t)} → {right.get(t)}" for t in sorted(set(left) | set(right))
            if left.get(t) != right.get(t)]


def replace_shredding(new: Path, path: Path) -> None:
    """Put `new` in the place of `path`, then overwrite the old file's bytes before letting it go.

    A hard link keeps the old contents reachable across the atomic rename, so
    they can be zeroed: a plain database's pages do not linger in free blocks.
    Where links are impossible (FAT), the rename alone is done.
    """
    old = path.with_name(path.name + ".old")
    old.unlink(missing_ok=True)
    try:
        os.link(path, old)
    except OSError:
        old = None
    os.replace(new, path)
    if old is None:
        return
    try:
        size = old.stat().st_size
        with open(old, "r+b") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(0, size, len(block)):
                fh.write(block)
            fh.flush()
            os.fsync(fh.fileno())
    finally:
        old.unlink(missing_ok=True)
