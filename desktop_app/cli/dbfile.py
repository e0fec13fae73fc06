"""The database file as a whole: backup, restore, `db encrypt | decrypt`.

Each logs in like every other command (--user), is checked by the service and
recorded in the audit trail: a backup is for the roles that keep the books
(管理员, 书记/委员; never an account confined to one organisation), the rest for
an administrator.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, db_path, existing_file, open_db, password


def _new_key() -> str:
    from desktop_app.services.database import KEY_ENV

    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    first = password("新的数据库密钥：", KEY_ENV)
    if password("再输一次：", KEY_ENV) != first:
        raise CliError("两次输入的密钥不一致")
    if len(first) < 12:
        raise CliError("数据库密钥至少 12 位：它是复制走的数据库和备份唯一的保护")
    return first


def cmd_db(args: argparse.Namespace) -> int:
    from desktop_app.services import backup, database

    path = db_path(args)
    if not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    if args.action == "encrypt":
        key = _new_key()
        db = open_db(args, key=database.PLAIN)
        encrypted = database.encrypt(db, key)
        print(f"已加密 {path}（SQLCipher）。请把密钥妥善保管：没有密钥，数据库和今后的备份都无法打开。")
        if getattr(args, "sheet", None):
            sheet = database.print_key_sheet(encrypted, key, Path(args.sheet))
            print(f"密钥恢复单：{sheet}（密钥指纹 {database.key_fingerprint(key)}）。打印后锁进保险柜，并删除此 PDF 文件。")
        encrypted.dispose()
        plain = backup.plain_backups(path)
        if plain:
            print(f"注意：之前的 {len(plain)} 个备份没有加密（如 {plain[0]}），确认新备份可用后请删除它们。")
        return EXIT_OK
    key = database.db_key(path, lambda: password("数据库密钥：", database.KEY_ENV)) or database.default_key(path)
    db = open_db(args, key=key or "")
    out = database.decrypt(db, key or "", Path(args.out) if args.out else None)
    if args.out:
        print(f"已写出未加密的副本 {out}（已记入操作日志）。用完请删除：它不受密钥保护。")
    else:
        print(f"已解密 {out}：数据库不再加密。")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop_app.services import backup, backup_copies

    path = db_path(args)
    if not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    db = open_db(args)
    out = Path(args.out) if args.out else None
    if args.out and args.out.endswith(("/", "\\")):  # a folder, as written, even before it exists (made once allowed)
        out = out / backup_copies.dated_name(path)
    out = backup.take_backup(db, out)
    print(f"已备份 {path} → {out}" + ("（已加密，与数据库同一密钥）" if db.encrypted else ""))
    return EXIT_OK


def _backup_key(source: Path) -> str | None:
    """The backup's own key: DANGQUN_BACKUP_KEY, or asked for when the database's key does not open it."""
    from desktop_app.services import database

    if os.environ.get("DANGQUN_BACKUP_KEY"):
        return os.environ["DANGQUN_BACKUP_KEY"]
    if database.opens_with(source, os.environ.get(database.KEY_ENV)):
        return None
    if sys.stdin and sys.stdin.isatty():
        return password(f"备份 {source.name} 的密钥：", "DANGQUN_BACKUP_KEY") or None
    return None


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop_app.services import backup, database

    path = db_path(args)
    source = existing_file(args, "备份文件")
    backup_key = _backup_key(source)
    try:
        db = open_db(args)
    except CliError:
        if path.exists() and not database.damaged(path):
            raise
        # The current file is empty or damaged (no account can be checked in it): whoever holds it may recover it.
        kept = backup.restore(source, path, backup_key=backup_key)
        print(f"已用 {source} 恢复 {path}" + (f"；损坏的文件保存在 {kept}" if kept else ""))
        return EXIT_OK
    kept = backup.restore_database(db, source, backup_key)
    print(f"已用 {source} 恢复 {path}（已记入操作日志）")
    if kept:
        print(f"恢复前的数据保存在 {kept}")
    return EXIT_OK
