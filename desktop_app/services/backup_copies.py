"""Backups with SQLite's online backup API: on exit, daily, on demand; rotated; restorable.

A backup is a complete SQLite file, checked with `PRAGMA integrity_check`
before it counts. Automatic backups are rotated (the newest of each of the
last 7 days and of the last 4 weeks are kept); manual ones are kept until the
user removes them. Every copy is written to a temporary name and renamed, so
a power cut never leaves a half backup under a real name.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop_app.domain.errors import DomainError
from desktop_app.settings import Settings, backup_dir
from desktop_app.views.backup import KINDS, BackupInfo

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z-]+)\.db$")
KEEP_DAYS = 7
KEEP_WEEKS = 4


class BackupError(DomainError):
    pass


class CorruptDatabase(DomainError):
    """The database file cannot be read or fails its integrity check."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"数据库文件 {path} 已损坏或无法读取：{'；'.join(problems[:3])}")


def integrity_problems(path: Path) -> list[str]:
    """[] when the file is a sound SQLite database; else what is wrong, in plain words."""
    path = Path(path)
    if not path.exists():
        return ["文件不存在"]
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return ["不是 SQLite 数据库文件"]
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [f"无法读取（{exc}）"]
    except OSError as exc:
        return [f"无法打开（{exc.strerror or exc}）"]
    return [] if rows == ["ok"] else rows


def check_database(path: Path) -> None:
    """Raise CorruptDatabase unless the file is missing (new) or sound."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return
    problems = integrity_problems(path)
    if problems:
        raise CorruptDatabase(path, problems)


def _copy_sqlite(src: Path, dst: Path) -> None:
    """Online backup of src into dst (written under a temporary name, then renamed)."""
    tmp = dst.with_name(dst.name + ".part")
    if tmp.exists():
        tmp.unlink()
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    problems = integrity_problems(tmp)
    if problems:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份副本校验失败：{'；'.join(problems[:3])}")
    os.replace(tmp, dst)


def _target_dir(folder: Path | None) -> Path:
    folder = Path(folder) if folder else backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_now(
    db_path: Path, kind: str = "manual", folder: Path | None = None, now: datetime | None = None
) -> Path:
    """Copy the database into the backup folder (and the mirror folder, when one is set)."""
    db_path = Path(db_path)
    if kind not in KINDS:
        raise ValueError(kind)
    if not db_path.exists():
        raise BackupError(f"数据库文件不存在：{db_path}")
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    dest = _target_dir(folder) / f"{db_path.stem}-{stamp}-{kind}.db"
    try:
        _copy_sqlite(db_path, dest)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法备份 {db_path}：{exc}") from None
    mirror = Settings.load().backup_mirror_dir if folder is None else ""
    if mirror:
        try:
            mdir = Path(mirror)
            if mdir.is_dir():
                shutil.copy2(dest, mdir / dest.name)
        except OSError:
            pass  # a missing USB stick must not fail the backup itself
    if kind in ("daily", "exit"):
        rotate(dest.parent, db_path.stem, today=(now or datetime.now()).date())
    return dest


def export_copy(db_path: Path, out: Path) -> Path:
    """`dangqun backup --out FILE`: a sound copy at a path the user names."""
    out = Path(out)
    if out.suffix.lower() not in (".db", ".sqlite", ".bak"):
        out = out.with_suffix(".db")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy_sqlite(Path(db_path), out)
    except sqlite3.DatabaseError as exc:
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


def restore(backup: Path, db_path: Path, folder: Path | None = None) -> Path | None:
    """Replace the database with a backup. The database must not be open.

    The current file, when it is still readable, is kept first as a
    'before-restore' backup, so a restore can itself be undone.
    """
    backup, db_path = Path(backup), Path(db_path)
    problems = integrity_problems(backup)
    if problems:
        raise BackupError(f"备份文件 {backup} 不可用：{'；'.join(problems[:3])}")
    kept = None
    if db_path.exists() and not integrity_problems(db_path):
        kept = backup_now(db_path, "before-restore", folder)
    elif db_path.exists():
        # A corrupt file is kept aside, never silently destroyed.
        kept = db_path.with_name(f"{db_path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    _copy_sqlite(backup, db_path)
    return kept
