"""The window at a center's desk (1366×768 with a taskbar): it fits, and it remembers."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableView

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets import memory
from desktop_app.gui.widgets.fit import fit_on_screen
from desktop_app.gui.widgets.table import Column, ColumnModel, fit_columns
from tests.gui.test_district_enrol_gui import district  # noqa: F401 - a fixture
from tests.gui.test_district_sync_words_gui import linked  # noqa: F401 - a fixture

WIDTH, HEIGHT = 1366, 768 - 40  # the taskbar takes the bottom 40 pixels


@pytest.fixture
def window(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    return w


def test_first_start_is_maximised_then_the_last_size_and_place_come_back(window, qtbot, app_ctx):
    assert window.windowState() & Qt.WindowState.WindowMaximized
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(30, 40, 700, 560)  # the offscreen screen is 800 wide
    window.skip_exit_backup = True
    window.close()
    again = MainWindow(app_ctx)
    qtbot.addWidget(again)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert (again.geometry().width(), again.geometry().height()) == (700, 560)
    assert memory.ui_settings().fileName().endswith("window.ini")


NARROW = 1024  # the narrowest screen an office still has: every page fits it beside the navigation


def _every_page_fits(window, wait_ops) -> None:
    window.resize(NARROW, HEIGHT)
    window.show()
    for title in window.pages:
        page = window.go_to(title)
        wait_ops()
        hint = page.minimumSizeHint()
        assert hint.width() <= NARROW - window.nav.width(), (title, hint)
        assert hint.height() <= HEIGHT - 60, (title, hint)  # the menu and status bars
    hint = window.minimumSizeHint()
    assert hint.width() <= NARROW and hint.height() <= HEIGHT, hint


def test_every_page_fits_at_1024x768(window, wait_ops):
    _every_page_fits(window, wait_ops)


def test_every_page_of_a_district_fits_at_1024x768(qtbot, wait_ops, linked):  # noqa: F811
    """A district's own pages too: 数据同步 with its 设置所属街道… needed 1026 pixels."""
    from desktop_app.services import auth, site
    from desktop_app.gui.widgets.page import AppContext
    from tests.integration.test_district_enrolment import ADMIN_PASSWORD

    db = linked[0]
    auth.login(db, "admin", ADMIN_PASSWORD)
    w = MainWindow(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(w)
    _every_page_fits(w, wait_ops)


def test_column_widths_are_remembered(qtbot, qapp):
    columns = [Column("姓名", lambda r: r, width=70), Column("地址", lambda r: r, width=90),
               Column("备注", lambda r: r)]
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(ColumnModel(columns))
    fit_columns(view, columns, stretch=2)
    view.setColumnWidth(1, 155)  # the worker drags the 地址 column wider
    other = QTableView()
    qtbot.addWidget(other)
    other.setModel(ColumnModel(columns))
    fit_columns(other, columns, stretch=2)
    assert other.columnWidth(0) == 70 and other.columnWidth(1) == 155


def test_a_dialog_larger_than_the_screen_is_brought_inside(qtbot, qapp):
    dlg = QDialog()
    qtbot.addWidget(dlg)
    room = dlg.screen().availableGeometry()
    dlg.resize(room.width() + 300, room.height() + 300)
    dlg.move(room.right() - 50, room.bottom() - 50)
    fit_on_screen(dlg)
    assert dlg.width() <= room.width() and dlg.height() <= room.height()
    assert room.contains(dlg.frameGeometry().topLeft())


def test_the_member_dialog_fits_at_1366x768(qtbot, app_ctx):
    from desktop_app.gui.roster.member_dialog import MemberDialog
    from desktop_app.services import orgs

    dlg = MemberDialog(None, orgs.list_tree(app_ctx.db), lambda inp: None)
    qtbot.addWidget(dlg)
    hint = dlg.minimumSizeHint()
    assert hint.width() <= WIDTH and hint.height() <= HEIGHT - 40, hint  # 40: its title bar
    assert dlg.height() <= HEIGHT - 40


def test_a_change_made_outside_the_window_refreshes_the_pages(window, app_ctx, wait_ops):
    import time

    from desktop_app.gui.bus import bus
    from desktop_app.services import orgs
    from desktop_app.views.changes import Change

    heard = []
    bus.changed.connect(heard.append)
    try:
        assert window.outside.check() is False  # nothing happened
        time.sleep(0.01)
        c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
        orgs.create(app_ctx.db, "第九网格党支部", "B09", "branch", c.id)  # as `dangqun` on the command line would
        assert window.outside.check() is True
        assert Change.ALL in heard[-1]
        assert window.outside.check() is False  # told once
    finally:
        bus.changed.disconnect(heard.append)


def test_the_ledger_needs_no_sideways_scrolling_at_1366(window, wait_ops):
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(WIDTH, HEIGHT)
    window.show()
    page = window.go_to("经费台账")
    wait_ops()
    table = page.table
    used = sum(table.columnWidth(i) for i in range(table.model().columnCount()))
    assert used <= table.viewport().width(), (used, table.viewport().width())
    assert table.columnWidth(table.model().columnCount() - 1) >= 160  # 状态: "已被 2026-0019 冲销" whole
