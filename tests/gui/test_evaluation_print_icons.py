"""民主评议's three prints (汇总表, 测评票, 统计表) each have an icon of their own: where the toolbar is too narrow
for its texts it shows icons only, and three printers side by side could not be told apart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from tests.gui.test_evaluation_votes_gui import branch, open_page  # noqa: F401 - a fixture
from tests.gui.test_keyboard_walk import SCALED_WIDTH
from tests.gui.test_small_screens import NAVIGATION


def _pixels(act) -> bytes:
    image = act.icon().pixmap(24, 24).toImage()
    return bytes(image.constBits())


def test_the_three_prints_differ_when_the_toolbar_shows_icons_only(qtbot, app_ctx, branch, wait_ops, shot):  # noqa: F811
    p = open_page(qtbot, app_ctx, wait_ops)
    p.resize(1024 - NAVIGATION, 768 - 120)
    qtbot.wait(50)
    shot(p, "evaluations_1024.png")  # the texts still fit beside the icons here
    tb = p.findChild(QToolBar)
    # a window narrower than the texts (a 1024 screen at 150 %, a window beside another): icons only
    # (导出Excel gives up its text first, list_export.last_to_go: narrower than the others' texts without it too)
    export = tb.widgetForAction(p.act_export).sizeHint().width()
    p.resize(min(SCALED_WIDTH - NAVIGATION, tb.sizeHint().width() - export - 40), 768 - 120)
    qtbot.wait(50)
    shot(p, "evaluations_icons_only.png")
    assert tb.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly  # the case the icons are for
    prints = (p.act_print, p.act_ballot, p.act_tally)
    assert len({_pixels(a) for a in prints}) == 3
    for act in prints:  # what an icon alone stands for is still said on hover
        assert tb.widgetForAction(act).toolTip().startswith(act.text().rstrip("…"))
