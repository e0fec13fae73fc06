"""Asking for the key of an encrypted database the window cannot open by itself.

When neither DANGQUN_DB_KEY nor the key the operating system keeps opens the
file, the window asks instead of failing: the key is typed hidden, checked
without writing anything, and after three wrong tries the program stops with
a plain message (the file is never touched by a wrong key).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from desktop_app.gui.widgets.layouts import column, ok_cancel, wrapped

TRIES = 3


class KeyDialog(QDialog):
    def __init__(self, parent: QWidget | None, path: Path, note: str = "", ok: str = "打开"):
        super().__init__(parent)
        self.setWindowTitle("输入数据库密钥" if not note else "输入备份的密钥")
        note = wrapped(note or (
            f"数据库文件 {path} 已加密，本机没有保存它的密钥。\n"
            "请输入密钥（设置加密时打印的密钥单上的恢复密钥）："
        ))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("密钥")
        self.message = wrapped()
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        column(self, note, self.key, self.message, ok_cancel(self, ok))
        self.resize(460, 160)

    def wrong(self, tries_left: int) -> None:
        self.message.setText(f"密钥不正确，还可以再试 {tries_left} 次。数据没有被改动。")
        self.message.show()
        self.key.clear()
        self.key.setFocus()


def ask_key(parent: QWidget | None, path: Path, opens: Callable[[str], bool], note: str = "",
            ok: str = "打开") -> tuple[str | None, bool]:
    """(the key that opens `path`, False) ; (None, False) when cancelled; (None, True) after TRIES wrong keys.

    `note` and `ok` word the dialog for another file than the database (a backup to restore).
    """
    dlg = KeyDialog(parent, path, note, ok)
    for attempt in range(TRIES):
        if dlg.exec() != KeyDialog.DialogCode.Accepted:
            return None, False
        key = dlg.key.text()
        if key and opens(key):
            return key, False
        if attempt + 1 < TRIES:
            dlg.wrong(TRIES - attempt - 1)
    return None, True
