"""Pages on a small, scaled screen (1366×768 at 150%: 911×512 logical pixels) and from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from desktop_app.gui.cobuilding.activity_dialog import ActivityDialog
from desktop_app.gui.cobuilding.care import CareDialog
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.fit import FRAME
from tests.gui.test_find_shortcut import window  # noqa: F401 - the shown, active window
from tests.gui.test_keyboard_walk import SCALED_HEIGHT, SCALED_WIDTH, fits_a_1366_screen_at_150_percent
from tests.gui.test_ledger_gui import TODAY, dues_page, members  # noqa: F401 - fixtures

NAVIGATION = 192  # what the navigation takes of the window's width


def test_the_roster_keeps_the_window_within_a_1366_screen_at_150_percent(window: MainWindow, wait_ops):
    window.go_to("党员名册")
    wait_ops()
    page = window.pages["党员名册"]
    # the search and eight filter lists on one line needed 954 pixels: the window could not be narrower than ~1164
    assert page.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, page.minimumSizeHint()
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()
    # every filter list still shows its whole current choice
    for box in page.filters:
        assert box.width() >= box.minimumSizeHint().width(), box.toolTip()


def press(qtbot, keys: str) -> None:
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(QApplication.focusWidget(), sequence.key(), sequence.keyboardModifiers())


def test_ctrl_n_on_the_organisations_page_adds_a_child_and_enter_on_the_tree_opens_its_form(
        window: MainWindow, qtbot, wait_ops, monkeypatch):
    from desktop_app.gui.orgs.org_dialog import OrgDialog

    opened = []
    monkeypatch.setattr(OrgDialog, "exec", lambda dlg: opened.append(dlg.windowTitle()) or 0)
    page = window.go_to("党组织")
    wait_ops()
    page.focus_search()  # where the worker is: in the page
    press(qtbot, "Ctrl+N")  # 新增下级组织 had no key
    wait_ops()
    assert opened == ["新增组织"]
    page.tree.setFocus()
    press(qtbot, "Return")  # only a double-click opened 修改
    wait_ops()
    assert opened == ["新增组织", "修改组织"]


def test_ctrl_n_on_the_meetings_page_plans_a_meeting(window: MainWindow, qtbot, wait_ops, monkeypatch):
    from desktop_app.gui.meetings.meeting_dialog import MeetingDialog

    opened = []
    monkeypatch.setattr(MeetingDialog, "exec", lambda dlg: opened.append(dlg.windowTitle()) or 0)
    page = window.go_to("三会一课")
    wait_ops()
    page.focus_search()
    press(qtbot, "Ctrl+N")  # 计划会议 had no key
    wait_ops()
    assert len(opened) == 1


def test_ctrl_n_on_the_dues_page_registers_a_payment(dues_page, qtbot, wait_ops, monkeypatch):  # noqa: F811
    from desktop_app.gui.dues.dialogs import PaymentDialog

    opened = []
    monkeypatch.setattr(PaymentDialog, "exec", lambda dlg: opened.append(dlg.windowTitle()) or 0)
    dues_page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dues_page)
    dues_page.select_cells([(0, TODAY.month)])
    dues_page.grid.setFocus()  # where the worker is: in the month grid, a month chosen
    press(qtbot, "Ctrl+N")  # 登记交纳 had no key
    wait_ops()
    assert len(opened) == 1


def test_the_assessment_figures_beside_the_heading_wrap_within_a_1366_screen_at_150_percent(window: MainWindow, wait_ops):
    page = window.go_to("支部考评")
    wait_ops()
    # a scheme's name and shape and the four results' counts: 582 pixels on one line beside the heading
    page.counts.setText("2026 年度五好党支部考评方案（百分制，四类二十项指标）　五好党支部 12 个，达标 30 个，"
                        "基本达标 4 个，未达标 2 个")
    wait_ops()
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()
    assert page.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, page.minimumSizeHint()
    window.resize(SCALED_WIDTH, SCALED_HEIGHT - 27)
    wait_ops()
    label = page.counts
    assert label.height() >= label.heightForWidth(label.width()) if label.wordWrap() else label.width() >= 582


def test_the_meeting_compliance_page_keeps_the_window_within_a_1366_screen_at_150_percent(window: MainWindow,
                                                                                          wait_ops):
    page = window.go_to("三会一课落实")
    wait_ops()
    # the colour legend and its double-click hint on one line held the page at 720 pixels
    assert page.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, page.minimumSizeHint()
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()


@pytest.mark.parametrize("make", [
    lambda db: ActivityDialog(None, db, [], [], []),  # 650 pixels tall at 150%: 保存 below the screen
    lambda db: CareDialog(None, db, [], []),  # 503
])
def test_the_co_building_forms_fit_a_1366_screen_at_150_percent(qtbot, app_ctx, make):
    dlg = make(app_ctx.db)
    qtbot.addWidget(dlg)
    assert dlg.minimumSizeHint().height() <= SCALED_HEIGHT - 27 - FRAME, dlg.minimumSizeHint()
    # where there is room the whole form shows, as before
    assert dlg.height() >= dlg.fields.sizeHint().height() + dlg.buttons.sizeHint().height()


@pytest.mark.parametrize("title", ["发展党员", "矛盾调处", "居民"])
def test_long_figures_beside_a_list_heading_wrap_within_a_1366_screen_at_150_percent(window: MainWindow, wait_ops, title):
    # Every declarative list page shows its figures on one line beside the heading: long ones (many stages,
    # a long scheme's name) held the window wider than such a screen; only 支部考评 wrapped them.
    page = window.go_to(title)
    wait_ops()
    long_figures = ("入党申请人 12 人，入党积极分子 30 人，发展对象 4 人，预备党员 2 人，正式党员 128 人，"
                    "共 176 人　有逾期事项 3 人")
    page.set_counts(long_figures, "逾期未转正 2 人")
    wait_ops()
    assert page.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, page.minimumSizeHint()
    assert fits_a_1366_screen_at_150_percent(window), window.minimumSizeHint()
    window.resize(SCALED_WIDTH, SCALED_HEIGHT - 27)
    wait_ops()
    label = page.counts
    assert label.wordWrap() and label.height() >= label.heightForWidth(label.width())  # all of it shows
    assert label.geometry().right() >= page.width() - 40  # still at the right, beside the heading
