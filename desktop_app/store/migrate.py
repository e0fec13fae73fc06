"""Alembic migrations run from the program: upgrade on start, after a backup copy."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import text

from desktop_app import __version__
from desktop_app.domain.errors import DomainError
from desktop_app.settings import Settings, migrations_dir
from desktop_app.store.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration. Kept here so that opening an up-to-date database does
# not import Alembic at all (a second of start-up); a test checks it against
# Alembic's own view of db/versions.
SCHEMA_HEAD = "0022"


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not db.engine.dialect.has_table(conn, "alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_copy(path: Path, reason: str) -> Path:
    """Copy a live SQLite file with the online backup API (safe under WAL)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(db: Database, revision: str = "head") -> Path | None:
    """Bring the schema to `revision`. Returns the backup made first, if any."""
    current = current_revision(db)
    if revision == "head" and current == SCHEMA_HEAD:
        return None
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup = None
    path = db.path
    if current is not None and path is not None and path.exists():
        backup = backup_copy(path, f"before-upgrade-{current}")
    from alembic import command

    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup


def is_foreign_file(path: Path) -> bool:
    """True when a file exists but is not an SQLite database at all."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with open(path, "rb") as fh:
        return fh.read(16) != b"SQLite format 3\x00"


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)


class NotADatabase(Exception):
    pass


class NewerDatabase(DomainError):
    """The file was made or upgraded by a newer program: opening it here could damage it."""

    def __init__(self, path: Path, revision: str):
        super().__init__(
            f"数据库 {path} 来自较新版本的程序（数据库版本 {revision}，本程序 {__version__} 只认识到 "
            f"{SCHEMA_HEAD}）。为免损坏数据，本程序没有打开也没有改动它。"
            "请用新版本的程序打开；若要退回旧版本，请用当时留下的备份恢复。"
        )
        self.path = path
        self.revision = revision


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def refuse_newer(path: Path) -> None:
    """Raise NewerDatabase when the file's schema revision is unknown to this program.

    Read through a read-only connection, before anything (the WAL pragma, a
    migration) could write to a file that belongs to a newer program.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    # immutable: not even the -shm/-wal side files appear; only when no WAL holds newer pages.
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    con = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone() if has else None
    except sqlite3.DatabaseError:
        return  # not readable as a database: the integrity check reports it
    finally:
        con.close()
    if revision is None or revision[0] == SCHEMA_HEAD:
        return
    if revision[0] not in known_revisions():
        raise NewerDatabase(path, revision[0])


def _remember_upgrade(path: Path, old_revision: str) -> None:
    """Queue the 更新说明 since old_revision for the window to show once (kept in settings.json)."""
    try:
        stored = Settings.load()
        stored.upgrade_notes_from.setdefault(str(path.resolve()), old_revision)
        stored.save()
    except OSError:
        pass  # the notes are a courtesy; the upgrade itself has succeeded


def open_database(path: str | Path) -> tuple[Database, Path | None]:
    """Open (creating if needed) the SQLite file at `path` and bring it to head.

    Returns the database and the backup copy made before an upgrade, if any.
    """
    path = Path(path)
    if is_foreign_file(path):
        raise NotADatabase(f"{path} 不是本程序的数据库文件（也不是 SQLite 文件）")
    refuse_newer(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database.at(path)
    old = current_revision(db)
    backup = upgrade(db)
    if backup is not None and old is not None:
        _remember_upgrade(path, old)
    return db, backup
