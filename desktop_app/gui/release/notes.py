"""The 更新说明 window: the CHANGELOG sections a user has not seen, after an upgrade."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.gui.ops import run_op
from desktop_app.services import release
from desktop_app.services.database import Database


class NotesDialog(QDialog):
    def __init__(self, parent: QWidget | None, intro: str, markdown: str):
        super().__init__(parent)
        self.setWindowTitle("更新说明")
        self.resize(620, 480)
        lay = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(markdown)
        lay.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("知道了")
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)


def show_pending_notes(parent: QWidget, db: Database) -> None:
    """After an upgrade, once: read the owed notes off the GUI thread, show them, mark them seen."""

    def shown(notes: release.UpgradeNotes | None) -> None:
        if notes is None:
            return
        intro = (f"程序已更新到 {__version__}，数据库已自动升级（升级前的数据已另存备份）。"
                 "以下是这次更新带来的变化：")
        dlg = NotesDialog(parent, intro, notes.markdown())
        dlg.exec()
        dlg.deleteLater()
        run_op(parent, lambda job: release.mark_notes_seen(db))

    run_op(parent, lambda job: release.pending_notes(db), shown, lambda exc: None)


def show_changelog(parent: QWidget, db: Database) -> None:
    """帮助 → 更新说明: every release's notes."""

    def shown(notes: list[release.ReleaseNote]) -> None:
        text = "\n\n".join(f"## {n.heading}\n\n{n.body}" for n in notes) or "（没有找到更新说明）"
        dlg = NotesDialog(parent, f"当前版本 {__version__}。", text)
        dlg.exec()
        dlg.deleteLater()

    run_op(parent, lambda job: release.changelog(db), shown)
