"""The record-list kit's footer: widgets a page declares below its list, above the status line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from desktop_app.gui.users.page import UsersPage
from desktop_app.gui.widgets.record_list import RecordListPage, Table
from desktop_app.gui.widgets.table import Column


class Plain(RecordListPage):
    title = "测试"
    tables = (Table((Column("名称", lambda r: r.name),)),)

    def load(self, db, f):
        return []


class WithFooter(Plain):
    def footer(self):
        self.pressed = 0  # the footer sets up what it needs of the page: it is built before __init__ ends
        self.legend = QLabel("图例")
        self.button = QPushButton("保存")
        self.button.clicked.connect(self.press)
        return [self.legend, self.button]

    def press(self):
        self.pressed += 1


def _below_list(page: RecordListPage) -> list:
    lay = page.layout()
    items = [lay.itemAt(i).widget() for i in range(lay.count())]
    return items[items.index(page.panel) + 1:]


def test_a_page_s_footer_sits_below_the_list_above_the_status_line(qtbot, app_ctx, wait_ops):
    page = WithFooter(app_ctx)
    qtbot.addWidget(page)
    wait_ops()
    assert _below_list(page) == [page.legend, page.button, page.message]
    page.button.click()
    assert page.pressed == 1


def test_without_a_footer_the_status_line_follows_the_list(qtbot, app_ctx, wait_ops):
    page = Plain(app_ctx)
    qtbot.addWidget(page)
    wait_ops()
    assert _below_list(page) == [page.message]


def test_the_users_page_shows_roles_and_auto_lock_in_its_footer(qtbot, app_ctx, wait_ops):
    page = UsersPage(app_ctx)
    qtbot.addWidget(page)
    wait_ops()
    legend, security, message = _below_list(page)
    assert "网格员" in legend.text() and security.title() == "安全设置（本机）" and message is page.message
    assert security.isAncestorOf(page.idle)
