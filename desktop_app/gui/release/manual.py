"""帮助 → 用户手册 (F1): the Markdown manual shown in the program, at the current page's section.

The manual ships as docs/manual (Markdown and screenshots) in the bundle, so it
opens without a browser or a PDF reader and always matches this version.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

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
    "支部考评": "7. 支部考评",
    "发展党员": "11. 发展党员",
    "出党与处分": "12. 出党与处分、流动与失联",
    "流动与失联": "12. 出党与处分、流动与失联",
    "组织关系转接": "2. 党员名册与导入",
    "共建单位": "13. 共驻共建",
    "共建活动": "13. 共驻共建",
    "双报到": "13. 共驻共建",
    "单位报到": "13. 共驻共建",
    "问需服务": "13. 共驻共建",
    "三单": "13. 共驻共建",
    "导入表格": "14. 导入其他系统的表格",
    "数据同步": "6. 与街道同步",
}


def fit_images(doc: QTextDocument, max_width: float) -> None:
    """Scale screenshots wider than max_width down to it (Markdown has no image size)."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isImageFormat():
                img = fmt.toImageFormat()
                image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(img.name()))
                width = getattr(image, "width", lambda: 0)()
                if width > max_width:
                    img.setWidth(max_width)
                    img.setHeight(image.height() * max_width / width)
                    cursor = QTextCursor(doc)
                    cursor.setPosition(frag.position())
                    cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(img)
            it += 1
        block = block.next()


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
            fit_images(self.browser.document(), 820)
        else:
            self.browser.setPlainText(f"没有找到用户手册（{index}）。")
        save = QPushButton("另存为 PDF（打印用）…")
        save.clicked.connect(self._ask_save_pdf)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addLayout(row)

    def save_pdf(self, path: Path) -> None:
        """The manual as an A4 PDF with its screenshots, for printing (QtGui only: no print module)."""
        writer = QPdfWriter(str(path))
        writer.setTitle("党群服务中心工作台 用户手册")
        writer.setResolution(96)  # screen pixels: screenshots and text keep the sizes seen on screen
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
        doc = self.browser.document().clone()
        fit_images(doc, (210 - 30) / 25.4 * 96)  # the A4 text width in pixels at 96 dpi
        doc.print_(writer)

    def _ask_save_pdf(self) -> None:
        from desktop_app.gui.widgets import forms  # 打印文件 under Documents, never the data folder

        path = forms.ask_save_path(self, "另存用户手册", "用户手册.pdf")
        if path is not None:
            self.save_pdf(path)

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
    try:
        reuse = _window is not None and _window.parent() is parent
    except RuntimeError:  # its window was closed for good and Qt deleted it
        reuse = False
    if not reuse:
        _window = ManualWindow(parent)
    _window.show()
    _window.raise_()
    _window.show_section(SECTIONS.get(page_title or ""))
    return _window
