"""Restoring a backup without ever putting the current data at risk.

The backup is first copied to a temporary file beside the database (re-keyed
to the database's own encryption), and that copy must pass every check: it
opens (with the backup's key), SQLite's integrity check, it is one of our
databases (an Alembic revision and a site), its schema is not newer than this
program, and it belongs to the same site as the database it replaces. Only
then is the current file folded (WAL checkpointed, no side files left, which
fails if another program still has it open), kept as a 'before-restore' copy,
and swapped for the checked copy in one rename. On any refusal the current
file is as it was and the temporary copy is gone.

The 'before-restore' copy goes beside the database it replaces (into the
backup folder when that database lives in the data folder), so a database
on a USB stick keeps its safety copy on the stick.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from desktop_app.domain.access import Actor
from desktop_app.domain.errors import DomainError
from desktop_app.services.backup_copies import BackupError, side_files, backup_now, integrity_problems
from desktop_app.services.database import Database, file_only, record, require_admin
from desktop_app.settings import data_dir
from desktop_app.store import cipher, filelock, migrate
from desktop_app.store.db import Database as _StoreDatabase


class RestoreRefused(BackupError):
    """The backup cannot replace the database; nothing was changed."""


def _identity(path: Path, key: str | None) -> tuple[str | None, str | None, str]:
    """(schema revision, site id, site name) of a database file; None where it has none."""
    con = cipher.connect(path, key, "mode=ro")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone() \
            if "alembic_version" in tables else None
        site = con.execute("SELECT id, org_name FROM site LIMIT 1").fetchone() if "site" in tables else None
    finally:
        con.close()
    return (revision[0] if revision else None, site[0] if site else None, site[1] if site else "")


def _stage(source: Path, source_key: str | None, staged: Path, key: str | None) -> None:
    """Copy the backup to `staged`, encrypted as the database is (`key`), refusing what cannot be read."""
    state = cipher.file_state(source)
    if state == "missing":
        raise RestoreRefused(f"备份文件不存在：{source}")
    if state == "empty":
        raise RestoreRefused(f"备份文件 {source} 是空的（0 字节），不能用来恢复")
    if state == "blank":
        raise RestoreRefused(f"备份文件 {source} 不可用（已损坏）：{cipher.BLANK_PROBLEM}")
    if state == "sealed" and not source_key:
        raise RestoreRefused(f"备份文件 {source} 不可用：它不是 SQLite 数据库，或是加密的备份（请提供它的密钥）")
    read_key = source_key if state == "sealed" else None
    problems = integrity_problems(source, read_key)
    if problems:
        if state == "sealed":
            raise RestoreRefused(f"备份文件 {source} 不可用：密钥不正确，或文件已损坏")
        raise RestoreRefused(f"备份文件 {source} 不可用（已损坏）：{'；'.join(problems[:3])}")
    if (read_key or None) == (key or None):
        cipher.backup(source, staged, key)
    else:
        cipher.export(source, read_key, staged, key)
    cipher.private(staged)


def _check_staged(staged: Path, key: str | None, current: Path, current_key: str | None) -> None:
    problems = integrity_problems(staged, key)
    if problems:
        raise RestoreRefused(f"备份副本校验失败：{'；'.join(problems[:3])}")
    revision, site_id, site_name = _identity(staged, key)
    if revision is None:
        raise RestoreRefused("这个文件不是本程序的数据库备份（没有数据库版本信息）")
    if revision != migrate.SCHEMA_HEAD and revision not in migrate.known_revisions():
        raise RestoreRefused(
            f"这个备份来自较新版本的程序（数据库版本 {revision}，本程序只认识到 {migrate.SCHEMA_HEAD}），"
            "请用新版本的程序恢复")
    if site_id is None:
        raise RestoreRefused("这个备份没有设置所属单位，不是可用的数据库备份")
    if cipher.file_state(current) in ("missing", "empty", "blank") or integrity_problems(current, current_key):
        return  # nothing sound to compare with: recovering a damaged database
    _, current_site, current_name = _identity(current, current_key)
    if current_site is not None and current_site != site_id:
        raise RestoreRefused(
            f"这个备份属于另一个单位（{site_name}），不是本数据库（{current_name}）的备份，不能用来恢复")


def _safety_folder(db_path: Path, folder: Path | None) -> Path | None:
    if folder is not None:
        return folder
    if db_path.resolve().parent == data_dir().resolve():
        return None  # the backup folder: where the restore dialog lists it
    return db_path.parent


def _put_aside(db_path: Path, key: str | None, folder: Path | None) -> Path | None:
    """Keep the current file before it is replaced: a checked 'before-restore' backup, or a damaged file renamed."""
    state = cipher.file_state(db_path)
    if state == "missing":
        return None
    if state not in ("empty", "blank") and not integrity_problems(db_path, key):
        try:
            cipher.settle(db_path, key)
        except cipher.database_errors() as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise RestoreRefused("数据库正被另一个程序使用（如打开着的工作台窗口），请先关闭它再恢复。数据没有改动。") \
                    from None
            raise
        return backup_now(db_path, "before-restore", _safety_folder(db_path, folder), key=key)
    # A damaged or empty file is kept aside, never silently destroyed; its side files go with it.
    kept = db_path.with_name(f"{db_path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}")
    os.replace(db_path, kept)
    for side in side_files(db_path):
        if side.exists():
            os.replace(side, kept.with_name(kept.name + side.name.removeprefix(db_path.name)))
    return kept


def restore(backup: Path, db_path: Path, folder: Path | None = None, *, key: str | None | object = ...,
            backup_key: str | None = None, actor: Actor | None = None, why: str = "") -> Path | None:
    """Replace the database file with a checked copy of `backup`. The database must not be open here.

    `key`: the database's key (default: the one it was opened with, or
    DANGQUN_DB_KEY); `backup_key`: the backup's, when it differs. Returns the
    copy kept of the current data (None when there was no file).
    """
    backup, db_path = Path(backup), Path(db_path)
    if db_path.parent.is_dir():
        filelock.acquire(db_path, exclusive=False)  # never under a window of another process
    if key is ...:
        key = cipher.key_of(db_path) if cipher.file_state(db_path) == "sealed" else cipher.env_key()
    if cipher.file_state(db_path) == "plain":
        key = None
    staged = db_path.with_name(db_path.name + ".restoring")
    for leftover in (staged, *side_files(staged)):
        leftover.unlink(missing_ok=True)
    try:
        _stage(backup, backup_key or key, staged, key)
        _check_staged(staged, key, db_path, key)
        kept = _put_aside(db_path, key, folder)
        os.replace(staged, db_path)
    except cipher.database_errors() as exc:
        raise RestoreRefused(f"无法恢复：{exc}。数据库没有改动") from None
    finally:
        for leftover in (staged, *side_files(staged)):
            leftover.unlink(missing_ok=True)
    restored = _StoreDatabase.at(db_path, key)
    try:
        restored.actor = actor
        record(restored, "restore", f"{why}从备份 {backup} 恢复" + (f"，恢复前的数据在 {kept}" if kept else ""),
               backup, actor)
    except DomainError:
        pass  # the restore itself stands; the trail entry is a courtesy when the file cannot take it
    finally:
        restored.dispose()
    return kept


def needs_own_key(db: Database, backup: Path) -> bool:
    """True when `backup` is encrypted and the open database's key does not open it: ask for the backup's own key."""
    require_admin(db, "从备份恢复数据")
    backup = Path(backup)
    if cipher.file_state(backup) != "sealed":
        return False
    key = cipher.key_of(db.path) if db.encrypted and db.path is not None else None
    return not key or not _opens(backup, key)


def _opens(path: Path, key: str) -> bool:
    try:
        cipher.check_opens(path, key)
    except cipher.KeyProblem:
        return False
    return True


def restore_database(db: Database, backup: Path, backup_key: str | None = None, folder: Path | None = None) -> Path | None:
    """Restore the open database from `backup` (administrators only, audited); `db` is closed first.

    The caller opens the database again afterwards (the GUI reopens its window).
    """
    actor = require_admin(db, "从备份恢复数据")
    path = db.path
    if path is None and db.engine.dialect.name == "postgresql":
        raise BackupError(file_only(db.url, "restore"))
    if path is None:
        raise BackupError("只有数据库文件可以恢复")
    key = cipher.key_of(path) if db.encrypted else None
    db.dispose()
    return restore(backup, path, folder, key=key, backup_key=backup_key, actor=actor)


def recover_damaged(db_path: Path, backup: Path, key: str | None = None) -> Path | None:
    """Start-up recovery: put the newest good backup in place of a damaged database file.

    No account in a damaged file can be checked, so whoever runs the program
    on this PC may do this, and only this: the service itself must find the
    file damaged (a sound one is refused: an administrator restores it from
    the menu), only the newest good backup is accepted (no choosing an older
    one to undo recent work), the damaged file is kept aside, never destroyed,
    and the restore is recorded in the restored database (who: 命令行/系统,
    why: 启动时发现数据库损坏), where administrators see it. Returns the path of
    the damaged file kept. `key`: the key typed for an encrypted database.
    """
    from desktop_app.services.backup_copies import newest_good

    db_path, backup = Path(db_path), Path(backup)
    state = cipher.file_state(db_path)
    key = key or (cipher.key_of(db_path) if state == "sealed" else None)
    if state == "sealed" and not key:
        raise RestoreRefused("数据库已加密，没有它的密钥无法判断它是否损坏；请先输入密钥。数据没有改动。")
    problems = [] if state == "missing" else integrity_problems(db_path, key)
    if not problems:
        raise RestoreRefused("数据库文件没有损坏：请登录后由管理员从“文件—从备份恢复”恢复。数据没有改动。")
    good = newest_good(db_path.stem)
    if good is None or good.path.resolve() != backup.resolve():
        raise RestoreRefused("启动时只能用最新的完好备份恢复损坏的数据库；请登录后由管理员选择其他备份。数据没有改动。")
    why = f"启动时发现数据库损坏（{'；'.join(problems[:2])}），"
    return restore(backup, db_path, **({"key": key} if key else {}), why=why)
