"""查找 (Ctrl+K) in the real main window, by keyboard only: type, ↑/↓, Enter opens the page with the record selected.

A worker on the telephone types the caller's name and lands on the record, whatever page they were on and
whatever that page's filters hid.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.views import find as v

from tests.gui.test_find_shortcut import window  # noqa: F401 - the fixture: the real window, shown and active
from tests.integration.test_find import town  # noqa: F401 - the fixture
from tests.integration.test_roles import fast_kdf, town as roles_town  # noqa: F401 - fixtures

CTRL = Qt.KeyboardModifier.ControlModifier


def ctrl_k(window, qtbot):
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.nav, Qt.Key.Key_K, CTRL)
    popup = window.find_popup
    qtbot.waitUntil(popup.isVisible)
    return popup


def typed(popup, qtbot, text: str):
    if text.isascii():
        qtbot.keyClicks(popup.search, text)
    else:  # Chinese arrives whole from the input method (QTest cannot press keys it has no ASCII for)
        popup.search.insert(text)
    qtbot.waitUntil(lambda: popup.found is not None and popup.found.text == text, timeout=20_000)
    return popup.found


def test_ctrl_k_finds_a_caller_and_enter_opens_their_wish_selected(town, window, qtbot, wait_ops, shot):  # noqa: F811
    wishes = window.go_to("微心愿")
    wait_ops()
    wishes.apply_filter(text="收不到的词")  # the page's last search hides every wish
    wait_ops()
    window.go_to("概览")
    wait_ops()
    popup = ctrl_k(window, qtbot)
    assert popup.focusWidget() is popup.search
    assert "拼音首字母" in popup.status.text() and "电话后四位" in popup.status.text()  # what may be typed
    found = typed(popup, qtbot, "王秀英")
    assert [g.kind for g in found.groups] == [v.RESIDENT, v.WISH, v.VISIT, v.CASE]
    assert [popup.model.data(popup.model.index(r, 0)) for r in range(4)] == ["居民", "微心愿", "走访", "矛盾调处"]
    shot(popup, "find_popup.png")
    assert popup.current().kind == v.RESIDENT
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)  # the keys stay in the box; the row moves
    assert popup.focusWidget() is popup.search and popup.current().id == town["w"]
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert window.stack.currentWidget() is wishes
    wait_ops()
    assert wishes.search.text() == "" and wishes.panel.selected_id() == town["w"]
    shot(window, "find_opened_wish.png")


def test_a_member_opens_in_the_roster_and_an_org_in_the_tree(town, window, qtbot, wait_ops):  # noqa: F811
    roster = window.go_to("党员名册")
    wait_ops()
    hiding = {"text": "张三", "org": town["g2"], "floating": True}  # 李建国 hidden thrice (he is not 流动)
    assert roster.apply_filter(**hiding) == hiding
    wait_ops()
    popup = ctrl_k(window, qtbot)
    found = typed(popup, qtbot, "ljg")
    assert [(h.kind, h.title) for h in found.hits] == [(v.MEMBER, "李建国")]
    qtbot.keyClick(popup.search, Qt.Key.Key_Enter)
    wait_ops()
    qtbot.waitUntil(lambda: roster.selected_id() == town["ljg"], timeout=20_000)
    assert roster.search.text() == "" and roster.branch.currentData() is None and roster.floating.currentData() is None

    popup = ctrl_k(window, qtbot)
    assert popup.search.selectedText() == "ljg"  # the last words, selected to be typed over
    typed(popup, qtbot, "第二网格")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    wait_ops()
    orgs = window.stack.currentWidget()
    assert orgs.title == "党组织"
    qtbot.waitUntil(lambda: orgs.selected_id() == town["g2"], timeout=20_000)


def test_a_resident_opens_on_the_residents_tab_with_the_filters_opened_up(town, window, qtbot, wait_ops):  # noqa: F811
    page = window.go_to("居民")
    wait_ops()
    page.apply_filter(grid=town["g2"])  # another grid's residents listed
    page.tabs.setCurrentIndex(1)  # and the 住户 tab in front
    wait_ops()
    popup = ctrl_k(window, qtbot)
    typed(popup, qtbot, "wxy")
    assert popup.current().kind == v.RESIDENT and popup.current().id == town["r1"]
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    wait_ops()
    assert page.tabs.currentIndex() == 0 and page.panel.selected_id() == town["r1"]
    assert page.choice("grid").currentIndex() == 0


def test_no_hits_says_so_and_esc_closes(town, window, qtbot, wait_ops):  # noqa: F811
    popup = ctrl_k(window, qtbot)
    found = typed(popup, qtbot, "没有这个人")
    assert found.empty and popup.model.rowCount() == 0 and "没有找到“没有这个人”" in popup.status.text()
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert popup.isVisible()
    popup.search.clear()
    assert "拼音首字母" in popup.status.text()
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_enter_typed_before_the_hits_came_opens_the_first_when_they_do(town, window, qtbot, wait_ops):  # noqa: F811
    popup = ctrl_k(window, qtbot)
    qtbot.keyClicks(popup.search, "wxy")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert popup.isVisible() and popup.found is None  # the search is on its way
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=20_000)
    wait_ops()
    page = window.stack.currentWidget()
    assert page.title == "居民" and page.panel.selected_id() == town["r1"]
