"""The office PC walk: who works from the keyboard (Enter, Esc, arrows) and on a small, scaled screen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.list_panel import ListPanel
from desktop_app.gui.widgets.register import RegisterDialog
from desktop_app.gui.widgets.table import Column
from desktop_app.services import backup
from tests.gui.test_find_shortcut import window  # noqa: F401 - the shown, active window


@dataclass(frozen=True)
class Row:
    id: str
    name: str


ROWS = [Row("a", "张三"), Row("b", "李四"), Row("c", "王五")]


def test_enter_on_a_listed_row_opens_it_as_a_double_click_does(qtbot, qapp):
    panel = ListPanel([Column("姓名", lambda r: r.name, width=80)])
    qtbot.addWidget(panel)
    panel.resize(600, 300)
    panel.show()
    panel.set_rows(ROWS)
    opened = []
    panel.activated.connect(opened.append)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened == [ROWS[1]]  # the row the arrow moved to, opened once
    rect = panel.view.visualRect(panel.model.index(2, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real one presses first
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [ROWS[1], ROWS[2]]  # a double-click still opens, and only once


class _Names(RegisterDialog):
    columns = (Column("姓名", lambda r: r.name, width=80),)

    def __init__(self, parent=None):
        self.opened: list = []
        self.adds = 0
        super().__init__(parent, None, "名单", 500, 300)

    def load(self, db):
        return ROWS

    def form(self):
        self.adds += 1
        return _Answer()

    def edit_form(self, row):
        self.opened.append(row)
        return _Answer()


class _Answer(QDialog):
    def exec(self):
        return QDialog.DialogCode.Rejected


def test_enter_on_a_registers_row_opens_its_form_and_leaves_the_register_open(qtbot, qapp, wait_ops):
    dlg = _Names()
    qtbot.addWidget(dlg)
    dlg.show()
    wait_ops()
    dlg.table.setFocus()
    dlg.table.selectRow(0)
    qtbot.keyClick(dlg.table, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.table, Qt.Key.Key_Return)
    assert dlg.opened == [ROWS[1]]
    assert dlg.adds == 0 and dlg.isVisible()  # Enter went to the row, not on to 添加 or 关闭


# 1366×768 at 150% Windows scaling: what a window may take, in Qt's (logical) pixels
SCALED_WIDTH, SCALED_HEIGHT = 1366 * 2 // 3, 768 * 2 // 3


def fits_a_1366_screen_at_150_percent(w: MainWindow) -> bool:
    """Whether the window can be as small as such a screen, less its taskbar (some 27 of its 512 pixels)."""
    least = w.minimumSizeHint()
    return least.width() <= SCALED_WIDTH and least.height() <= SCALED_HEIGHT - 27


def test_the_window_opens_within_a_1366_screen_at_150_percent(window):
    assert window.stack.currentWidget() is window.pages["概览"]
    # the 工作台's charts (four side by side, two above two) held the window at 1092×565
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()


@pytest.mark.parametrize("title", ["数据同步", "操作记录"])
def test_a_page_keeps_the_window_within_a_1366_screen_at_150_percent(window, wait_ops, title):
    window.go_to(title)
    wait_ops()
    # 数据同步's 报送街道 tab (登记, 报送, 下发 boxes above the list) held the window at 564 pixels' height,
    # 操作记录's filters on one line (three lists, two dates, the words, 查询) at 919 pixels' width
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()


def test_double_clicking_a_to_do_opens_it_once(window, qtbot, wait_ops):
    db = window.ctx.db
    if db.path is None:
        pytest.skip("a server database is backed up by its server: there is no such to-do")
    page = window.pages["概览"]
    row = next(i for i, item in enumerate(page.todos.items) if item.kind == "backup")
    view = page.todo_view
    rect = view.visualRect(page.todo_model.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_ops()
    wait_ops()
    assert len(backup.list_backups(db.path.stem)) == 1  # not one copy per signal the double-click gave


def test_ctrl_f_on_the_audit_page_goes_to_its_search_words(window, qtbot, wait_ops):
    page = window.go_to("操作记录")
    wait_ops()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.text  # it did nothing here: the box was not the page's search box


def cut_labels(dialog) -> list[str]:
    """The labels of an opened dialog that show less than their text: one line, narrower than it."""
    return [label.text() for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.text() and not label.wordWrap()
            and label.width() < label.sizeHint().width()]


def test_the_branch_cadence_dialog_shows_its_whole_explanation(qtbot, app_ctx):
    from desktop_app.gui.meetings.cadence_dialog import BranchCadenceDialog
    from desktop_app.views.cadence import BranchCadenceRow

    rows = [BranchCadenceRow("b1", "第一网格党支部", None, None, True, 3)]
    dlg = BranchCadenceDialog(None, app_ctx.db, rows)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait(20)
    # the one-line explanation was wider than the dialog opens: it ended at 建档之前的月份不计
    assert cut_labels(dlg) == []
    assert dlg.minimumSizeHint().width() <= 600


@pytest.mark.parametrize(("keys", "title"), [("Ctrl+N", "记一笔支出"), ("Ctrl+Shift+N", "记一笔收入")])
def test_the_ledger_takes_an_entry_from_the_keyboard(window, qtbot, wait_ops, monkeypatch, keys, title):
    from desktop_app.gui.ledger.dialogs import EntryDialog

    opened = []
    monkeypatch.setattr(EntryDialog, "exec", lambda dlg: opened.append(dlg.windowTitle()) or 0)
    page = window.go_to("经费台账")
    wait_ops()
    page.focus_search()  # where the worker is: in the page, after Ctrl+F and a search
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(QApplication.focusWidget(), sequence.key(), sequence.keyboardModifiers())
    wait_ops()
    assert opened == [title]


def test_tab_leaves_an_empty_date_both_ways(qtbot, qapp):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from desktop_app.gui.widgets.forms import DateEdit

    form = QWidget()
    before, empty, after = QLineEdit(), DateEdit(None, optional=True), QLineEdit()
    lay = QVBoxLayout(form)
    for w in (before, empty, after):
        lay.addWidget(w)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert empty.value() is None and empty.text() == "未填"
    empty.setFocus()
    qtbot.keyClick(empty, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after  # Tab stayed in the 未填 date, however often it was pressed
    empty.setFocus()
    qtbot.keyClick(empty, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is before
