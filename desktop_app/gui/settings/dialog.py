"""The 设置 dialog: one place for what a center changes about this PC's program.

Values are read and written through services.settings (validated, audited, kept
in the data folder's settings.json); the center's identity is shown, not edited,
because the street's sync knows the center by it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import ask_open_path, select
from desktop_app.services import auth, backup
from desktop_app.services import settings as settings_service
from desktop_app.services.database import Database
from desktop_app.views.settings import PAPER_LABELS, SettingsInfo, SettingsValues

MOVE_HELP = (
    "移动数据文件夹：先退出程序，把整个文件夹复制到新位置，然后任选其一：\n"
    "① 便携使用——放到程序文件夹（dangqun.exe 所在处）里，改名为 data；\n"
    "② 设置环境变量 DANGQUN_DATA_DIR 为新位置。\n"
    "下次启动即使用新位置，确认无误后再删除旧文件夹。"
)


def _path_row(edit: QLineEdit, choose: Callable[[], str]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton("选择…")
    button.clicked.connect(lambda: (path := choose()) and edit.setText(path))
    row.addWidget(button)
    return row


def font_folder(chosen: str = "") -> Path:
    """Where the PDF-font picker opens: the folder of the font already chosen, else the system fonts folder on
    Windows (where 宋体 and 黑体 are), else the home folder (other systems keep fonts in several places)."""
    here = Path(chosen).expanduser().parent if chosen.strip() else None
    if here is not None and here.is_dir():
        return here
    if sys.platform.startswith("win"):
        fonts = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
        if fonts.is_dir():
            return fonts
    return Path.home()


def _group(title: str) -> tuple[QGroupBox, QFormLayout, QVBoxLayout]:
    """A titled box with a form; notes go below the form (a wrapped label inside a
    QFormLayout row gets too little height and is clipped)."""
    box = QGroupBox(title)
    outer = QVBoxLayout(box)
    form = QFormLayout()
    outer.addLayout(form)
    return box, form, outer


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666")
    return label


class SettingsDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, values: SettingsValues, info: SettingsInfo):
        super().__init__(parent, "设置")
        self.db = db

        site, form, notes = _group("本单位")
        form.addRow("名称", QLabel(info.org_name or "（未设置）"))
        form.addRow("组织代码", QLabel(info.org_code))
        form.addRow("级别", QLabel(info.level_label))
        notes.addWidget(_wrapped("首次启动时设定；街道靠它识别本单位的同步数据包，所以不在这里修改。"))

        data, form, notes = _group("数据")
        folder = QLabel(info.data_folder + ("（便携：在程序文件夹中）" if info.portable else ""))
        folder.setWordWrap(True)
        open_folder = QPushButton("打开数据文件夹")
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(info.data_folder)))
        form.addRow("数据文件夹", folder)
        form.addRow("数据库文件", QLabel(info.database_file))
        form.addRow("", open_folder)
        move = _wrapped(MOVE_HELP)
        move.setWordWrap(False)  # explicit lines: a wrapped label is given too little height here
        notes.addWidget(move)

        backups, form, notes = _group("备份")
        self.backup_folder = QLineEdit(values.backup_folder)
        self.backup_folder.setPlaceholderText(f"默认：{info.default_backup_folder}")
        self.mirror = QLineEdit(values.backup_mirror_dir)
        self.mirror.setPlaceholderText("不用（可选另一个盘或 U 盘，每次备份再复制一份）")
        folder_rows = (_path_row(self.backup_folder, lambda: self._folder("备份文件夹")),
                       _path_row(self.mirror, lambda: self._folder("第二备份文件夹")))
        form.addRow("备份文件夹", folder_rows[0])
        form.addRow("第二备份文件夹", folder_rows[1])
        notes.addWidget(_wrapped("改了备份文件夹后，以前的备份留在原处；“从备份恢复”只列出新文件夹里的备份。"))
        refused = backup.refusal(db, backup.require_settings)  # a mirror on a stick carries every backup away
        if refused:
            for row in folder_rows:  # the path and its 选择… button
                for i in range(row.count()):
                    row.itemAt(i).widget().setEnabled(False)
                    row.itemAt(i).widget().setToolTip(refused)
            notes.addWidget(_wrapped("备份文件夹只有管理员可以修改。"))

        printing, form, notes = _group("打印")
        self.font = QLineEdit(values.pdf_font_path)
        self.font.setPlaceholderText("默认：程序自带的中文字体")
        self.paper = QComboBox()
        for key, label in PAPER_LABELS.items():
            self.paper.addItem(label, key)
        select(self.paper, values.paper_size)
        self.margin = QSpinBox()
        self.margin.setRange(5, 30)
        self.margin.setSuffix(" 毫米")
        self.margin.setValue(values.margin_mm)
        self.phones = QCheckBox("签到表默认印出手机号（中间四位遮蔽）")
        self.phones.setChecked(values.signin_show_phones)
        form.addRow("PDF 字体", _path_row(self.font, self._font_file))
        form.addRow("纸张", self.paper)
        form.addRow("左右页边距", self.margin)
        form.addRow("个人信息", self.phones)
        self.print_folder = QLineEdit(values.print_folder)
        self.print_folder.setPlaceholderText("默认：“文档”下的“打印文件”文件夹")
        form.addRow("打印文件夹", _path_row(self.print_folder, lambda: self._folder("打印文件夹")))

        security, form, notes = _group("安全")
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        self.idle.setValue(values.idle_lock_minutes)
        may_lock = auth.can(db, "users.manage")
        self.idle.setEnabled(may_lock)
        form.addRow("无操作自动锁定", self.idle)
        if not may_lock:
            notes.addWidget(_wrapped("自动锁定时间只有管理员可以修改。"))

        self.first_field = self.font if refused else self.backup_folder
        # two columns: stacked, the five boxes are taller than a 1366×768 screen and 保存 falls under the taskbar
        columns = QHBoxLayout()
        for boxes in ((site, data, security), (backups, printing)):
            column = QVBoxLayout()
            for box in boxes:
                column.addWidget(box)
            column.addStretch(1)
            columns.addLayout(column, 1)
        self.finish_layout(columns)
        self.setMinimumWidth(1000)  # room for the folder paths in the right column

    def _folder(self, title: str) -> str:
        from desktop_app.gui.widgets.forms import documents_dir  # never opens on the data folder

        return QFileDialog.getExistingDirectory(self, title, str(documents_dir()))

    def _font_file(self) -> str:
        path = ask_open_path(self, "选择 PDF 字体", "字体文件 (*.ttf *.otf *.ttc)", folder=font_folder(self.font.text()))
        return str(path) if path else ""

    def values(self) -> SettingsValues:
        return SettingsValues(
            pdf_font_path=self.font.text().strip(),
            paper_size=self.paper.currentData(),
            margin_mm=self.margin.value(),
            backup_folder=self.backup_folder.text().strip(),
            backup_mirror_dir=self.mirror.text().strip(),
            signin_show_phones=self.phones.isChecked(),
            idle_lock_minutes=self.idle.value(),
            print_folder=self.print_folder.text().strip(),
        )

    def prepare(self) -> Callable[[], Any]:
        chosen, db = self.values(), self.db
        return lambda: settings_service.save(db, chosen)


def open_settings(parent: QWidget, db: Database, on_saved: Callable[[SettingsValues], None] | None = None) -> None:
    """Read the settings off the GUI thread, then show the dialog."""

    def shown(loaded: tuple[SettingsValues, SettingsInfo]) -> None:
        dlg = SettingsDialog(parent, db, *loaded)
        if on_saved is not None:
            dlg.record_saved.connect(on_saved)
        dlg.exec()
        dlg.deleteLater()

    run_op(parent, lambda job: (settings_service.current(db), settings_service.info(db)), shown)
