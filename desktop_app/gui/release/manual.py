"""帮助 → 用户手册 (F1): the Markdown manual shown in the program, at the current page's section.

The manual ships as docs/manual (Markdown and screenshots) in the bundle, so it
opens without a browser or a PDF reader and always matches this version.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.settings import manual_dir

# page title → the start of its manual section's heading
SECTIONS: dict[str, str] = {
    "概览": "1. 第一次使用",
    "党员名册": "2. 党员名册与导入",
    "党组织": "2. 党员名册与导入",
    "三会一课": "3. 三会一课与签到表",
    "三会一课落实": "3. 三会一课与签到表",
    "民主评议": "3. 三会一课与签到表",
    "居民": "4. 居民与走访",
    "走访": "4. 居民与走访",
    "微心愿": "4. 居民与走访",
    "微实事": "4. 居民与走访",
    "经费台账": "5. 经费台账与党费",
    "党费": "5. 经费台账与党费",
    "数据同步": "6. 与街道同步",
}


class ManualWindow(QDialog):
    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("用户手册")
        self.resize(900, 700)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        index = manual_dir() / "index.md"
        if index.exists():
            self.browser.setSearchPaths([str(manual_dir())])
            self.browser.setSource(QUrl.fromLocalFile(str(index)), QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setPlainText(f"没有找到用户手册（{index}）。")
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)

    def show_section(self, heading: str | None) -> bool:
        """Scroll to the heading that starts with `heading`; False when there is none."""
        if not heading:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            return False
        doc = self.browser.document()
        block = doc.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().startswith(heading):
                cursor = QTextCursor(block)
                self.browser.moveCursor(QTextCursor.MoveOperation.End)  # so the heading lands at the top
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False


_window: ManualWindow | None = None


def open_manual(parent: QWidget, page_title: str | None = None) -> ManualWindow:
    """Show the manual (one window, reused) at the section for `page_title`."""
    global _window
    if _window is None or _window.parent() is not parent:
        _window = ManualWindow(parent)
    _window.show()
    _window.raise_()
    _window.show_section(SECTIONS.get(page_title or ""))
    return _window
