"""What changed since this database's last program: the 更新说明 shown once after an upgrade.

The upgrade (store.migrate) queues the old schema revision in settings.json; the
window asks here for the notes, shows them and marks them seen.
"""

from __future__ import annotations

from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.settings import Settings, changelog_path
from desktop_app.views.release import ReleaseNote, UpgradeNotes, notes_since, parse_changelog

__all__ = ["ReleaseNote", "UpgradeNotes", "changelog", "pending_notes", "mark_notes_seen"]


def _read() -> list[ReleaseNote]:
    try:
        return parse_changelog(changelog_path().read_text(encoding="utf-8"))
    except OSError:
        return []


def _key(db: Database) -> str | None:
    return str(db.path.resolve()) if db.path is not None else None


def changelog(db: Database) -> list[ReleaseNote]:
    """Every release's notes, newest first (帮助 → 更新说明)."""
    auth.require(db, "overview.read")
    return _read()


def pending_notes(db: Database) -> UpgradeNotes | None:
    """The notes owed to this database after an upgrade, or None."""
    auth.require(db, "overview.read")
    key = _key(db)
    old = Settings.load().upgrade_notes_from.get(key) if key else None
    if old is None:
        return None
    notes = notes_since(_read(), old)
    return UpgradeNotes(old, notes) if notes else None


def mark_notes_seen(db: Database) -> None:
    auth.require(db, "overview.read")
    key = _key(db)
    stored = Settings.load()
    if key and stored.upgrade_notes_from.pop(key, None) is not None:
        stored.save()
