"""Choose a backup to restore from (the list, or any file), ask for its own key; set the second backup folder.

Who may do each is the service's to say: backup.refusal gives the reason a menu
item is greyed (menu_rights), and a refusal shows as the service words it.

The restore itself goes through services.backup.restore_database (called by
the main window), so the service checks that an administrator acts, audits it
and refuses a bad file with the data untouched; the window picks, confirms,
asks for the key of a backup encrypted with another key (three tries), and
reopens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from desktop_app.domain.errors import DomainError
from desktop_app.gui.shell.key_dialog import TRIES, ask_key
from desktop_app.gui.widgets import forms
from desktop_app.gui.widgets.layouts import column, ok_cancel, wrapped
from desktop_app.gui.widgets.table import RIGHT, Column, ColumnModel, table_view
from desktop_app.services import backup, database
from desktop_app.services.database import Database
from desktop_app.settings import backup_dir
from desktop_app.views.backup import BackupInfo

BACKUP_COLUMNS = (
    Column("备份时间", lambda b: b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), width=150),
    Column("类型", lambda b: b.kind_label, width=110),
    Column("大小", lambda b: f"{b.size / 1024:,.0f} KB", RIGHT, 100),
)


class RestoreDialog(QDialog):
    def __init__(self, parent: QWidget | None, backups: list[BackupInfo]):
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.backups = backups
        note = wrapped(
            "选择一个备份恢复。当前数据会先另存为“恢复前”备份，恢复之后仍可找回。"
            if backups else "还没有备份。程序每天和退出时会自动备份。"
        )
        self.model = ColumnModel(BACKUP_COLUMNS, parent=self)
        self.model.set_rows(backups)
        self.table = table_view(self.model, multi=False)
        self.table.horizontalHeader().setStretchLastSection(True)
        if backups:
            self.table.selectRow(0)
        buttons = ok_cancel(self, "恢复所选备份")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(backups))
        column(self, note, self.table, buttons)
        self.resize(520, 380)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


def restore_choices(db_path: Path) -> list[BackupInfo]:
    """The backup folder's copies plus the before-restore copies kept beside a database outside it, newest first."""
    found = {b.path: b for b in backup.list_backups(db_path.stem)}
    if db_path.parent.resolve() != backup_dir().resolve():
        for b in backup.list_backups(db_path.stem, db_path.parent):
            if b.kind == "before-restore":
                found.setdefault(b.path, b)
    return sorted(found.values(), key=lambda b: b.taken_at, reverse=True)


BACKUP_FILES = "数据库备份 (*.db *.sqlite *.sqlite3 *.bak);;所有文件 (*)"


def pick_backup_file(parent: QWidget | None) -> Path | None:
    """Any backup file (a USB stick, a colleague's copy): opened on Documents, never on the data folder."""
    return forms.ask_open_path(parent, "选择要恢复的备份文件", BACKUP_FILES)


def menu_rights(db: Database) -> dict[str, str]:
    """Why each backup item of the 文件 menu is unavailable to the acting account ("": it may).

    Keys: "backup" (立即备份), "restore" (从备份恢复, 从文件恢复), "settings" (备份设置).
    """
    return {
        "backup": backup.refusal(db, backup.require_copy),
        "restore": backup.refusal(db, lambda d: database.require_admin(d, "从备份恢复数据")),
        "settings": backup.refusal(db, backup.require_settings),
    }


def grey(action: QAction, reason: str) -> None:
    """A menu item greyed with the reason as its tooltip (its menu must show tooltips), or left available."""
    action.setEnabled(not reason)
    action.setToolTip(reason or action.text())


class KeyRefused(DomainError):
    """Three wrong keys for a backup: nothing was restored."""


def backup_key(parent: QWidget | None, db: Database, path: Path) -> tuple[bool, str | None]:
    """(go on, the backup's own key): asks for it when the database's key does not open the backup.

    (False, None) when the person cancels; KeyRefused after three wrong keys.
    """
    if not backup.needs_own_key(db, path):
        return True, None
    key, exhausted = ask_key(
        parent, path, lambda k: database.opens_with(path, k), ok="恢复",
        note=f"备份文件 {path.name} 是加密的，当前数据库的密钥打不开它（它用另一个密钥加密）。\n"
             "请输入这个备份的密钥（备份所属数据库的密钥单上的恢复密钥）：")
    if exhausted:
        raise KeyRefused(f"{TRIES} 次输入的密钥都打不开备份文件 {path.name}（也可能它不是本程序的数据库备份），"
                         "没有恢复。当前数据没有改动。")
    return key is not None, key


class MirrorDialog(QDialog):
    """The second backup folder (a USB drive, a network share): an administrator's choice.

    Saved through services.settings (checked there: a mirror on a stick would carry
    every later backup away; audited with the folder before and after). An account
    without the right sees the folder and why it cannot change it.
    """

    def __init__(self, parent: QWidget | None, current: str, db: Database | None = None):
        super().__init__(parent)
        self.setWindowTitle("备份设置")
        # opened without the database: the parent window's
        self.db = db if db is not None else getattr(getattr(parent, "ctx", None), "db", None)
        self.refused = backup.refusal(self.db, backup.require_settings) if self.db is not None else ""
        self.path = QLineEdit(current)
        self.path.setPlaceholderText("不设置则只备份到本机数据文件夹")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save.setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("每次备份时，同时复制一份到这个文件夹（如 U 盘）："))
        lay.addLayout(row)
        if self.refused:
            for widget in (self.path, browse, self.save):
                widget.setEnabled(False)
                widget.setToolTip(self.refused)
            lay.addWidget(wrapped(self.refused))
        lay.addWidget(buttons)
        self.resize(480, 140)

    def accept(self) -> None:
        if self.db is not None:
            from dataclasses import replace

            from desktop_app.gui.errors import show_error
            from desktop_app.services import settings

            try:  # the service checks for an administrator and records the folder before and after
                now = settings.current(self.db)
                stored = settings.save(self.db, replace(now, backup_mirror_dir=self.path.text().strip()))
            except DomainError as exc:
                show_error(self, exc)
                return
            self.path.setText(stored.backup_mirror_dir)  # as stored (the caller may write it again)
        super().accept()

    def _browse(self) -> None:
        from desktop_app.gui.widgets.forms import documents_dir  # never opens on the data folder

        folder = QFileDialog.getExistingDirectory(self, "选择第二备份文件夹", self.path.text() or str(documents_dir()))
        if folder:
            self.path.setText(folder)
