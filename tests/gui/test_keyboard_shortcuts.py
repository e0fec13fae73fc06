"""Who lives on the keyboard, as in Excel/WPS: F5, Insert, Delete and Enter do on every page what they do there,
a refused save puts the cursor where the refusal points, and no two actions of a page share one key."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QApplication

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets import common
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 - fixture


@pytest.fixture
def window(qtbot, demo_ctx, wait_ops):  # noqa: F811
    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    wait_ops()
    return w


def on_modal(act) -> None:
    """Run `act(dialog)` on the next modal dialog once it is shown (polled for two seconds), then close it unsaved."""
    def look(tries: int = 50) -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            if tries:
                QTimer.singleShot(40, lambda: look(tries - 1))
            return
        act(dlg)
        dlg.done(0)

    QTimer.singleShot(40, look)


def modal_title_after(qtbot, press) -> str:
    """`press()` a key that opens a modal dialog: the dialog's title (it is closed again unsaved), else ""."""
    seen: list[str] = []
    on_modal(lambda dlg: seen.append(dlg.windowTitle()))
    press()
    qtbot.waitUntil(lambda: bool(seen) or QApplication.activeModalWidget() is None, timeout=5000)
    qtbot.wait(300)
    return seen[0] if seen else ""


def test_f5_refreshes_the_page_shown_from_the_navigation_and_from_inside_the_page(window, qtbot, wait_ops,
                                                                                monkeypatch):
    page = window.go_to("党员名册")
    wait_ops()
    refreshed: list[int] = []
    monkeypatch.setattr(page, "refresh", lambda: refreshed.append(1))
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F5)
    assert refreshed == [1]  # F5 did nothing anywhere: a worker had to switch pages to see others' entries
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    assert refreshed == [1, 1]
    # said in the 文件 menu, so it can be learnt there
    acts = [a for a in window.menus["file"].actions() if a.shortcut().toString() == "F5"]
    assert [a.text() for a in acts] == ["刷新"]


@pytest.mark.parametrize("title, form", [
    ("党员名册", "新增党员"), ("三会一课", "计划会议"), ("经费台账", "记一笔支出"),
    ("发展党员", "登记入党申请人"), ("用户管理", "新增用户"),
])
def test_insert_opens_the_page_s_add_form_as_ctrl_n_does(window, qtbot, wait_ops, title, form):
    page = window.go_to(title)
    wait_ops()
    table = next(v for v in page.findChildren(QAbstractItemView) if v.isVisible())
    table.setFocus()  # in the list: where a worker presses Insert
    assert modal_title_after(qtbot, lambda: qtbot.keyClick(table, Qt.Key.Key_Insert)) == form
    window.activateWindow()  # offscreen, the window closing the dialog is not made active again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    table.setFocus()
    assert modal_title_after(
        qtbot, lambda: qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)) == form


def test_delete_on_a_meeting_asks_first_and_in_the_search_box_only_deletes_a_character(window, qtbot, wait_ops,
                                                                                     monkeypatch):
    page = window.go_to("三会一课")
    wait_ops()
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _parent, title, _text, *a, **k: asked.append(title) or False)
    page.view.setFocus()
    page.view.selectRow(0)
    wait_ops()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert asked == ["删除会议"]  # Delete did nothing: the worker had to reach for the toolbar
    assert "Del" in page.act_delete.toolTip()
    page.search.setFocus()
    page.search.setText("学习")
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    assert page.search.text() == "习" and asked == ["删除会议"]


@pytest.mark.parametrize("title, table, opens", [
    ("三会一课", "view", "record_attendance"),  # a meeting: its attendance
    ("经费台账", "table", "open_attachments"),  # a voucher: its scanned receipts
])
def test_enter_on_a_row_opens_it_as_a_double_click_does(window, qtbot, wait_ops, monkeypatch, title, table, opens):
    page = window.go_to(title)
    wait_ops()
    view = getattr(page, table)
    opened: list[int] = []
    monkeypatch.setattr(page, opens, lambda: opened.append(view.currentIndex().row()))
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [1]


def test_a_refused_save_puts_the_cursor_in_the_field_the_refusal_names(window, qtbot, wait_ops):
    from desktop_app.gui.users.page import UserDialog

    dlg = UserDialog(window, window.ctx.db, [])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.login)
    qtbot.keyClicks(dlg.login, "wangfang")
    for _ in range(4):  # on through 姓名, 角色 and 管辖范围 to 初始密码, typing no name
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dlg.password
    qtbot.keyClicks(dlg.password, "Abc12345")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Tab)
    qtbot.keyClicks(dlg.repeat, "Abc12399")
    qtbot.keyClick(dlg.repeat, Qt.Key.Key_Return)  # Enter in a one-line field saves
    wait_ops()
    # the refusal names 姓名, far above: the cursor goes there, so the worker types it at once
    assert dlg.isVisible() and dlg.message.text().startswith("姓名"), dlg.message.text()
    assert QApplication.focusWidget() is dlg.display_name
    dlg.display_name.insert("王芳")  # Chinese comes through the input method, not as key presses
    qtbot.keyClick(dlg.display_name, Qt.Key.Key_Return)
    wait_ops()
    assert dlg.isVisible() and dlg.message.text().startswith("确认密码"), dlg.message.text()
    assert QApplication.focusWidget() is dlg.repeat and dlg.repeat.selectedText() == "Abc12399"


def page_keys(window: MainWindow, page) -> Counter:
    """Every key sequence that does something with the focus in `page`: its own actions and shortcuts,
    and the window's."""
    keys: Counter = Counter()
    acts = page.findChildren(QAction)
    acts += window.actions()
    for menu in window.menus.values():
        acts += menu.actions()
    for act in dict.fromkeys(acts):
        for seq in act.shortcuts():
            keys[seq.toString()] += 1
    for sc in page.findChildren(QShortcut):
        keys[sc.key().toString()] += 1
    return keys


def test_no_two_actions_on_any_page_answer_the_same_key(window, wait_ops):
    repeated = {}
    for title in list(window.pages):
        page = window.go_to(title)
        wait_ops()
        if page is None:
            continue
        twice = {k: n for k, n in page_keys(window, page).items() if n > 1 and k}
        if twice:
            repeated[title] = twice
    assert repeated == {}  # Qt runs neither of two actions sharing a key: the key silently does nothing


def test_enter_on_an_unpaid_month_registers_its_payment_as_a_double_click_does(window, qtbot, wait_ops, monkeypatch):
    from desktop_app.gui.dues.models import PAYABLE

    page = window.go_to("党费")
    wait_ops()
    model = page.grid_model
    index = next(model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
                 if (cell := model.cell(model.index(r, c))) is not None and cell.state in PAYABLE)
    paid: list[int] = []
    monkeypatch.setattr(page, "pay_selected", lambda: paid.append(page.grid.currentIndex().column()))
    page.grid.setFocus()
    page.grid.setCurrentIndex(index)
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    assert paid == [index.column()]


@pytest.mark.parametrize("make", ["kit", "ledger"])
def test_tab_leaves_a_filled_date_for_the_next_field_at_once(qtbot, qapp, make):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from desktop_app.gui.ledger.forms import date_edit
    from desktop_app.gui.widgets.forms import DateEdit

    day = DateEdit(date(2026, 6, 3)) if make == "kit" else date_edit(date(2026, 6, 3))  # 记收入/记支出's date
    form = QWidget()
    qtbot.addWidget(form)
    before, after = QLineEdit(), QLineEdit()
    lay = QVBoxLayout(form)
    for w in (before, day, after):
        lay.addWidget(w)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    day.setFocus()
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    # Tab went on to the month, then the day: a worker typing the next field's text overwrote the month
    assert QApplication.focusWidget() is after
    day.setFocus()
    qtbot.keyClick(day, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is before


def test_tab_from_a_planned_meeting_s_date_goes_on_to_its_time(window, qtbot, wait_ops):
    page = window.go_to("三会一课")
    wait_ops()
    seen: list = []

    def tab_from_day(dlg) -> None:
        dlg.day.setFocus()
        qtbot.keyClick(dlg.day, Qt.Key.Key_Tab)
        # the dialog's own focus child: the application's focus widget is None while a loaded machine has not
        # yet made the new dialog the active window
        seen.append(dlg.focusWidget() is dlg.has_time)

    on_modal(tab_from_day)
    page.act_plan.trigger()
    wait_ops()
    assert seen == [True]


def test_tab_from_a_planned_meeting_s_times_goes_on_to_the_next_field(window, qtbot, wait_ops, shot):
    page = window.go_to("三会一课")
    wait_ops()
    seen: list = []

    def tab_through_times(dlg) -> None:
        dlg.start.setFocus()  # a new meeting has its times ticked
        qtbot.keyClick(dlg.start, Qt.Key.Key_Tab)
        # Qt's time edit stepped Tab from the hour to the minute: the place typed next landed in the minutes
        seen.append(dlg.focusWidget() is dlg.end)
        qtbot.keyClick(dlg.end, Qt.Key.Key_Tab)
        seen.append(dlg.focusWidget() is dlg.place)
        qtbot.keyClick(dlg.place, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClick(dlg.end, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        seen.append(dlg.focusWidget() is dlg.start)
        shot(dlg, "meeting_dialog.png")

    on_modal(tab_through_times)
    page.act_plan.trigger()
    wait_ops()
    assert seen == [True, True, True]
