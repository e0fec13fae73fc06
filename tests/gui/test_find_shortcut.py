"""Ctrl+F, from anywhere in the window (the navigation too), puts the cursor in the shown page's search box.

A worker who picked a page in the navigation, or who works in its list, types Ctrl+F and then
the name: as in Excel/WPS. Before, only 党员名册 answered, and only with the focus inside it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.gui.main_window import MainWindow

# pages with a search box: the record-list kit's (走访, 居民), and pages building their own
PAGES = ("党员名册", "走访", "居民", "经费台账", "党组织", "三会一课")


@pytest.fixture
def window(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    wait_ops()
    return w


@pytest.mark.parametrize("title", PAGES)
def test_ctrl_f_from_the_navigation_goes_to_the_page_s_search_box(window, qtbot, wait_ops, title):
    page = window.go_to(title)
    wait_ops()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = QApplication.focusWidget()
    assert search is not None and search.objectName() == "searchBox" and page.isAncestorOf(search)
    assert "Ctrl+F" in search.toolTip()  # the shortcut is said where the worker looks for it


def test_ctrl_f_inside_the_list_selects_the_old_search_to_be_typed_over(window, qtbot, wait_ops):
    page = window.go_to("走访")
    wait_ops()
    page.search.setText("张")
    page.panel.view.setFocus()
    qtbot.keyClick(page.panel.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search and page.search.selectedText() == "张"


def test_a_page_without_a_search_box_takes_no_focus(window, wait_ops):
    window.go_to("概览")
    wait_ops()
    assert window.focus_search() is False
