"""Backup copies with SQLite's online backup API: on exit, daily, on demand; rotated.

A backup is a complete SQLite file, checked with `PRAGMA integrity_check`
before it counts. Automatic backups are rotated (the newest of each of the
last 7 days and of the last 4 weeks are kept); manual ones are kept until the
user removes them. Every copy is written to a temporary name and renamed, so
a power cut never leaves a half backup under a real name, nor side files.
The backup of an encrypted database is encrypted with the same key, and every
copy is readable by its owner only (0600 on POSIX). A backup someone asks for
(`take_backup`) is a copy of the whole database: it needs a role that keeps the
books (管理员, 书记/委员), never an account confined to one organisation, and is
audited with its size and checksum. Where copies go (the backup and mirror
folders, services.settings) is for an administrator alone: a mirror folder on a
stick would carry every later backup away. Rotation removes only automatic
copies by the program's own names, in the backup folder and in the mirror alike
(a stick that kept every daily copy would fill up), never manual ones.
Restoring lives in backup_restore.py; backup.py gathers both.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.files import LeftBeside, place, why_not_written
from desktop_app.services import auth
from desktop_app.services.database import CorruptDatabase, Database, file_only, record
from desktop_app.services.startup import file_problems
from desktop_app.settings import Settings, backup_dir
from desktop_app.store import cipher
from desktop_app.views.backup import KINDS, BackupInfo

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z-]+)\.db$")
KEEP_DAYS = 7
KEEP_WEEKS = 4


class BackupError(DomainError):
    pass


_NO_KEY = object()
# Records a copy about to be put in place (dest, the checked file beside it): the audit entry of a backup asked for.
Recorded = Callable[[Path, Path], None]


def integrity_problems(path: Path, key: str | None | object = _NO_KEY) -> list[str]:
    """[] when the file is a sound database (opened with `key`, default: its own); else what is wrong."""
    path = Path(path)
    try:
        state = cipher.file_state(path)
        if state == "missing":
            return ["文件不存在"]
        if state == "empty":
            return ["文件是空的（0 字节）"]
        if state == "blank":
            return [cipher.BLANK_PROBLEM]
        key = cipher.key_of(path) if key is _NO_KEY else key
        if state == "sealed" and not key:
            return ["不是 SQLite 数据库文件"]
        return cipher.problems(path, key if state == "sealed" else None)
    except OSError as exc:
        return [f"无法打开（{exc.strerror or exc}）"]


def check_database(path: Path, key: str | None = None) -> None:
    """Raise CorruptDatabase unless the file is missing (new) or sound; a 0-byte file is not sound.

    `key`: the key typed for an encrypted file (default: its own, see cipher.key_of).
    """
    path = Path(path)
    problems = file_problems(path, key, quick=False)
    if problems:
        raise CorruptDatabase(path, problems)


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _copy_sqlite(src: Path, dst: Path, key: str | None | object = _NO_KEY, recorded: Recorded | None = None) -> None:
    """Online backup of src into dst (written under a temporary name, verified, then renamed).

    `recorded(dst, tmp)` runs once the copy is whole and checked, before it takes its name: a record
    that fails leaves no copy, and a copy whose rename fails after its record is kept (LeftBeside).
    """
    key = cipher.key_of(src) if key is _NO_KEY else key
    tmp = dst.with_name(dst.name + ".part")  # never a backup's name: list_backups cannot offer half a copy
    for leftover in (tmp, *side_files(tmp)):
        leftover.unlink(missing_ok=True)
    kept = False
    try:
        cipher.backup(src, tmp, key)
        cipher.private(tmp)
        problems = integrity_problems(tmp, key)
        if problems:
            raise BackupError(f"备份副本校验失败：{'；'.join(problems[:3])}")
        if recorded is None:
            os.replace(tmp, dst)
        else:
            recorded(dst, tmp)
            try:
                place(tmp, dst)
            except LeftBeside:
                kept = True
                raise
        cipher.remember(dst, key)  # a copy is opened with its database's key (checks, restore)
    except OSError as exc:
        raise BackupError(f"无法备份到 {dst}：{why_not_written(exc)}") from None
    finally:
        for leftover in ((*side_files(tmp),) if kept else (tmp, *side_files(tmp))):
            leftover.unlink(missing_ok=True)


# A backup is a copy of the whole database leaving this program: 管理员 and 书记/委员 may make one,
# an account confined to one organisation never (domain.access.WHOLE_DATABASE).
COPY_RIGHT = "backup.make"


def _checked(db: Database, permission: str, what: str, who: str) -> auth.Actor:
    """auth.require, its refusal worded for backups: who may do `what`, and who the account is."""
    actor = auth.current_actor(db)
    try:
        return auth.require(db, permission)
    except auth.PermissionDenied as exc:
        if actor is None:
            raise
        if actor.org_id:
            why = f"“{actor.name}”的账户只管本单位的数据，{what}涉及整个数据库，请由区里的管理员办理"
        else:
            why = f"只有{who}可以{what}，当前账户“{actor.name}”是{actor.role_label}"
        raise auth.PermissionDenied(why, exc.permission) from None


def require_copy(db: Database) -> auth.Actor:
    """The actor, if they may copy the whole database (立即备份, `dangqun backup`)."""
    return _checked(db, COPY_RIGHT, "备份数据", "管理员和书记/委员")


def require_settings(db: Database) -> auth.Actor:
    """The actor, if they may choose where backups go (备份文件夹, 第二备份文件夹): administrators only."""
    return _checked(db, "backup.restore", "设置备份文件夹和第二备份文件夹", "管理员")


def refusal(db: Database, check) -> str:
    """"" when `check` (require_copy, require_settings) lets the actor through; else why not, for a greyed item."""
    try:
        check(db)
    except auth.PermissionDenied as exc:
        return str(exc)
    return ""


def _target_dir(folder: Path | None) -> Path:
    folder = Path(folder) if folder else backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def dated_name(db_path: Path, kind: str = "manual", now: datetime | None = None) -> str:
    """A backup's file name, `<db>-YYYYMMDD-HHMMSS-<kind>.db`, as list_backups reads them."""
    return f"{Path(db_path).stem}-{(now or datetime.now()):%Y%m%d-%H%M%S}-{kind}.db"


def backup_now(
    db_path: Path, kind: str = "manual", folder: Path | None = None, now: datetime | None = None,
    key: str | None | object = _NO_KEY, recorded: Recorded | None = None,
) -> Path:
    """Copy the database into the backup folder (and the mirror folder, when one is set); `recorded` as _copy_sqlite."""
    db_path = Path(db_path)
    if kind not in KINDS:
        raise ValueError(kind)
    if not db_path.exists():
        raise BackupError(f"数据库文件不存在：{db_path}")
    dest = _target_dir(folder) / dated_name(db_path, kind, now)
    try:
        _copy_sqlite(db_path, dest, key, recorded)
    except cipher.database_errors() as exc:
        raise BackupError(f"无法备份 {db_path}：{exc}") from None
    mirror = Settings.load().backup_mirror_dir if folder is None else ""
    mirrored = _mirror(dest, Path(mirror)) if mirror else False
    if kind in ("daily", "exit"):
        today = (now or datetime.now()).date()
        rotate(dest.parent, db_path.stem, today=today)
        if mirrored:  # only where this copy arrived: a stale stick is not thinned before it has the newest
            with contextlib.suppress(OSError):  # nor may a stick pulled meanwhile fail the backup
                rotate(Path(mirror), db_path.stem, today=today)
    return dest


def _mirror(dest: Path, folder: Path) -> bool:
    """A byte copy of the checked backup (encrypted as it is) into the mirror folder, under a temporary name first.

    True when the copy is there; False when the folder is missing or the copy failed.
    """
    part = folder / (dest.name + ".part")
    try:
        if folder.is_dir():
            shutil.copy2(dest, part)
            os.replace(part, folder / dest.name)
            return True
    except OSError:  # a missing or pulled USB stick must not fail the backup itself
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)  # nor leave half a copy under a real name
    return False


def export_copy(db_path: Path, out: Path, recorded: Recorded | None = None) -> Path:
    """`dangqun backup --out FILE`: a sound copy at a path the user names; `recorded` as _copy_sqlite.
    A folder (the stick itself, E:\\) gets a dated copy inside it, named as the backup folder's are, rather
    than a file beside it named after the folder (E:\\备份 → E:\\备份.db)."""
    out = Path(out)
    if out.is_dir():
        out = out / dated_name(db_path)
    elif out.suffix.lower() not in (".db", ".sqlite", ".bak"):
        out = out.with_suffix(".db")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy_sqlite(Path(db_path), out, recorded=recorded)
    except cipher.database_errors() as exc:
        raise BackupError(f"无法备份 {db_path}：{exc}") from None
    return out


def list_backups(db_stem: str = "dangqun", folder: Path | None = None) -> list[BackupInfo]:
    """Backups of one database, newest first."""
    folder = _target_dir(folder)
    found = []
    for p in folder.glob(f"{db_stem}-*.db"):
        m = _NAME.match(p.name)
        if not m or m.group("stem") != db_stem:
            continue
        taken = datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
        found.append(BackupInfo(p, taken, m.group("kind"), p.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def rotate(folder: Path, db_stem: str, today: date | None = None) -> list[Path]:
    """Keep the newest automatic backup of each of the last 7 days and 4 weeks; remove the rest."""
    today = today or date.today()
    automatic = [b for b in list_backups(db_stem, folder) if b.kind in ("daily", "exit")]
    keep: set[Path] = set()
    days_seen: set[date] = set()
    weeks_seen: set[tuple[int, int]] = set()
    for b in automatic:  # newest first
        d = b.taken_at.date()
        if today - d < timedelta(days=KEEP_DAYS) and d not in days_seen:
            days_seen.add(d)
            keep.add(b.path)
        week = d.isocalendar()[:2]
        if today - d < timedelta(weeks=KEEP_WEEKS) and week not in weeks_seen:
            weeks_seen.add(week)
            keep.add(b.path)
    if automatic:
        keep.add(automatic[0].path)  # never remove the newest, however old
    removed = []
    for b in automatic:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def daily_due(db_stem: str = "dangqun", folder: Path | None = None, today: date | None = None) -> bool:
    today = today or date.today()
    return not any(
        b.taken_at.date() == today and b.kind in ("daily", "exit") for b in list_backups(db_stem, folder)
    )


def newest_good(db_stem: str = "dangqun", folder: Path | None = None) -> BackupInfo | None:
    for b in list_backups(db_stem, folder):
        if not integrity_problems(b.path):
            return b
    return None


def plain_backups(db_path: Path, folder: Path | None = None) -> list[Path]:
    """Backups of this database that are not encrypted (left from before `dangqun db encrypt`)."""
    return [b.path for b in list_backups(Path(db_path).stem, folder) if cipher.file_state(b.path) == "plain"]


def take_backup(db: Database, out: Path | None = None, folder: Path | None = None) -> Path:
    """A backup someone asked for (not the automatic ones): a whole-database copy (require_copy), audited."""
    require_copy(db)
    path = db.path
    if path is None and db.engine.dialect.name == "postgresql":
        raise BackupError(file_only(db.url, "backup"))
    if path is None or not path.exists():
        raise BackupError("只有数据库文件可以备份")

    def recorded(dest: Path, made: Path) -> None:
        # Before the copy takes its name: a whole-database copy never stands there without its trail line.
        record(db, "backup", f"备份到 {dest}", dest, made=made)

    return export_copy(path, out, recorded) if out else backup_now(path, "manual", folder, recorded=recorded)
