"""Backups: copies (on exit, daily, on demand; rotated) and restoring one, gathered under one name.

    from desktop_app.services import backup
    backup.take_backup(db)                  # 管理员 or 书记/委员, never a confined account; audited
    backup.refusal(db, backup.require_copy) # "" or why not (a greyed 立即备份); require_settings: the folders
    backup.restore_database(db, path)       # administrators, audited, checked before the swap
    backup.needs_own_key(db, path)          # an encrypted backup the database's key does not open
    backup.recover_damaged(db_path, good)   # start-up: a damaged file, the newest good backup, audited

backup_copies.py makes and lists copies; backup_restore.py restores them.
"""

from desktop_app.services.backup_copies import (
    KEEP_DAYS, KEEP_WEEKS, BackupError, CorruptDatabase, backup_now, check_database, daily_due, export_copy,
    integrity_problems, list_backups, newest_good, plain_backups, refusal, require_copy, require_settings, rotate,
    take_backup,
)
from desktop_app.services.backup_restore import (
    RestoreRefused, needs_own_key, recover_damaged, restore, restore_database,
)

__all__ = [
    "KEEP_DAYS", "KEEP_WEEKS", "BackupError", "CorruptDatabase", "RestoreRefused", "backup_now", "check_database",
    "daily_due", "export_copy", "integrity_problems", "list_backups", "needs_own_key", "newest_good", "plain_backups",
    "recover_damaged", "refusal", "require_copy", "require_settings", "restore", "restore_database", "rotate",
    "take_backup",
]
