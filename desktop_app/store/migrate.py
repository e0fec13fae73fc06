"""Alembic migrations run from the program: upgrade on start, after a backup copy."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import text

from desktop_app import __version__
from desktop_app.domain.errors import DomainError
from desktop_app.settings import Settings, migrations_dir
from desktop_app.store import cipher
from desktop_app.store.db import Database, WriteGate

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration. Kept here so that opening an up-to-date database does
# not import Alembic at all (a second of start-up); a test checks it against
# Alembic's own view of db/versions.
SCHEMA_HEAD = "0039"

# What a sync package carries (manifest.schema_version), apart from the
# database's own head: a migration that only adds or drops an index must not
# make every site upgrade on the same day. Programs up to 0031 wrote and
# required their head there, so the format is named by the last of them.
# A migration that changes a synced table (its columns or types, a table added
# or removed) sets this to its own number; a change of the wire codec
# (sync/codec.py's text forms) does too, through a migration that changes
# nothing else. tests/integration/test_sync_format.py compares the synced
# columns of a database at this revision with one at the head.
SYNC_FORMAT = "0038"

# Synced tables added since SYNC_FORMAT_OLDEST, by the format that brought each. An older
# program's package lacks them (read as no rows); a package written in an older peer's
# format leaves them out, since that program refuses a table it does not know. Columns
# added to a synced table still move SYNC_FORMAT_OLDEST: an older row could not be read.
SYNCED_SINCE = {
    "wish_photo": "0037",  # 微心愿照片
    "evaluation_ballot": "0038", "evaluation_vote": "0038",  # 民主测评
}

# The oldest format whose packages this program reads: the last migration that
# changed what travels, so packages of programs from it to SYNC_FORMAT (which
# wrote their head there) are the same tables, columns, text forms and envelope.
# The synced columns last changed in 0021. The search keys (name_pinyin,
# name_initials) travel too, but each site derives its own: the merge computes
# them again from the name (sync.merge.own_keys), so an older program's rule
# (0027 changed it) does not land here. Move it with SYNC_FORMAT (to the same
# number) when what travels changes, except for a table added (SYNCED_SINCE).
# tests/integration/test_sync_format.py checks the columns at it against the head.
SYNC_FORMAT_OLDEST = "0021"


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


def backup_copy(path: Path, reason: str, key: str | None = None) -> Path:
    """Copy a live database file with the online backup API (safe under WAL); encrypted as the original."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    cipher.backup(path, target, key)
    cipher.private(target)
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
        backup = backup_copy(path, f"before-upgrade-{current}", cipher.key_of(path) if db.encrypted else None)
    from alembic import command

    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup


def is_foreign_file(path: Path) -> bool:
    """True when a file exists but is not a plain SQLite database (foreign, or encrypted)."""
    return cipher.file_state(path) == "sealed"


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


def refuse_newer(path: Path, key: str | None = None) -> None:
    """Raise NewerDatabase when the file's schema revision is unknown to this program.

    Read through a read-only connection, before anything (the WAL pragma, a
    migration) could write to a file that belongs to a newer program.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    # immutable: not even the -shm/-wal side files appear; only when no WAL holds newer pages.
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    try:
        con = cipher.connect(path, key, flags)
    except cipher.database_errors():
        return
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone() if has else None
    except cipher.database_errors():
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


class NotEncrypted(DomainError):
    """A key was given for a plain file: opening it quietly unencrypted would mislead."""


def _check_key(path: Path, key: str | None) -> None:
    """Refuse a key that does not fit the file, before anything writes to it."""
    state = cipher.file_state(path)
    if state == "sealed" and not key:
        raise NotADatabase(
            f"{path} 不是本程序能直接打开的数据库文件：它可能是加密的数据库（请通过环境变量 "
            f"{cipher.KEY_ENV} 提供密钥），也可能根本不是数据库文件"
        )
    if state == "sealed":
        cipher.check_opens(path, key)
    if state == "plain" and key:
        raise NotEncrypted(
            f"数据库 {path} 没有加密，而给出了密钥（{cipher.KEY_ENV}）。要加密它，请运行 dangqun db encrypt；"
            f"要照旧不加密地使用，请去掉 {cipher.KEY_ENV}。数据库没有被改动。"
        )


def open_database(path: str | Path, key: str | None = None,
                  gate: WriteGate | None = None) -> tuple[Database, Path | None]:
    """Open (creating if needed) the database file at `path` and bring it to head.

    `key` (default: DANGQUN_DB_KEY) opens an encrypted file, or creates a new
    file encrypted. Returns the database and the copy made before an upgrade, if any.
    `gate`: the file's check, still to run: writes wait for it, an upgrade runs it first.
    """
    path = Path(path)
    key = (cipher.default_key(path) if key is None else key) or None  # PLAIN ("") ignores the environment
    _check_key(path, key)
    refuse_newer(path, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    if cipher.file_state(path) == "missing":
        cipher.create_private(path)  # 0600 before SQLite makes it (and its -wal, -shm: same mode)
    db = Database.at(path, key)
    if gate is not None:
        db.hold_writes(gate)
    cipher.remember(path, key)
    old = current_revision(db)
    if gate is not None and old != SCHEMA_HEAD:
        try:
            gate.require()  # an upgrade copies and writes: only a file that passed its check
        except Exception:
            db.dispose()
            raise
    backup = upgrade(db)
    if backup is not None and old is not None:
        _remember_upgrade(path, old)
    return db, backup
