"""Every page of the window, filled with the demo community, speaks Chinese: no label, button, tab, column
header, placeholder or tooltip a community worker sees carries an English word (JSON, OK, Cancel …).

Words a worker knows as they are (Excel, PDF, CSV, Ctrl+N, pinyin initials such as wxy) are allowed."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QGroupBox, QHeaderView, QLabel, QLineEdit, QTabBar, QWidget,
)

ALLOWED = re.compile(r"Excel|XLSX|xlsx|\.xls\b|\.ods\b|\.et\b|CSV|PDF|WPS|UTF-8|GBK|\.dq\w+|Ctrl\+\w+|Insert\b|Del\b|F\d+\b|U 盘|&[A-Za-z]|"
                     r"\b(?:zs|wxy|zhangsan)\b|/\S+|[A-Z]{2}\d{4}-\d+|\b[A-Z]{2}\d{6,}|&\w+;|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def english(root: QWidget) -> list[str]:
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if w is not root and not w.isVisibleTo(root):
            continue
        texts = [w.toolTip()]
        if isinstance(w, (QLabel, QAbstractButton)):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(min(w.count(), 40))]
        if isinstance(w, QHeaderView) and w.model() is not None and w.orientation() == Qt.Orientation.Horizontal:
            texts += [str(w.model().headerData(i, Qt.Orientation.Horizontal) or "") for i in range(w.count())]
        for t in texts:
            if words := re.findall(r"[A-Za-z][A-Za-z ]*", ALLOWED.sub("", re.sub(r"<[^>]+>", "", t or ""))):
                out.append(f"{type(w).__name__}: {'、'.join(words)} in {t[:60]!r}")
    return out


def test_no_page_shows_an_english_word(qtbot, empty_db, qapp, wait_ops):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.main_window import PAGES, MainWindow
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import demo, site

    make_app()  # fonts, style sheet and Qt's own texts in Chinese, as the program has them
    demo.generate(empty_db, members=60, seed=3)
    window = MainWindow(AppContext(empty_db, site.get_site(empty_db)))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    wait_ops()
    found = {}
    for spec in PAGES:
        page = window.go_to(spec.title)
        wait_ops()
        if words := english(page):
            found[spec.title] = words
    assert found == {}


def test_the_check_sees_an_english_word(qtbot, app_ctx):
    box = QWidget()
    qtbot.addWidget(box)
    QLineEdit(box).setPlaceholderText("计算规则的参数（JSON）")
    QLabel("导出 Excel（Ctrl+E）", box)
    assert english(box) == ["QLineEdit: JSON in '计算规则的参数（JSON）'"]
