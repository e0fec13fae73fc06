"""支部考评's 分类对比 and 社区互比互看 grids with the demo scheme and a record open: every column in view
without scrolling sideways on a 1366 screen, and none scrolling at 1024 either (社区互比互看 folds 发展党员 and
共建活动 away there); headers on two lines with the whole name in the header's tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.gui.assessment.page import FIRST_CATEGORY, AssessmentPage
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 - fixture
from tests.gui.test_list_widths import _at, _band, _hidden
from tests.gui.test_service_gui import show


def _shown_width(panel) -> int:
    header = panel.view.horizontalHeader()
    return sum(header.sectionSize(i) for i in range(header.count()) if not header.isSectionHidden(i))


def test_the_grids_fit_a_1366_screen_with_the_demo_scheme(qtbot, demo_ctx, wait_ops):  # noqa: F811
    page = show(qtbot, wait_ops, AssessmentPage(demo_ctx))
    categories = [n for n in page.loaded.scheme.nodes if n.level == "category"]
    grid = _at(qtbot, wait_ops, page, 1366, 1)
    shown = [t for t in (c.title for c in grid.model.columns) if t not in _hidden(grid)]
    assert len(categories) == 6 and len(shown) == FIRST_CATEGORY + 6  # every category of the demo scheme shown
    assert grid.view.horizontalScrollBar().maximum() == 0 and _shown_width(grid) <= grid.view.viewport().width()
    assert _band(grid) <= 1
    assert "\n" in grid.model.headerData(FIRST_CATEGORY, Qt.Orientation.Horizontal)
    assert grid.model.headerData(FIRST_CATEGORY, Qt.Orientation.Horizontal,
                                                       Qt.ItemDataRole.ToolTipRole).startswith(categories[0].title)
    communities = _at(qtbot, wait_ops, page, 1366, 2)
    assert not _hidden(communities) and communities.view.horizontalScrollBar().maximum() == 0
    assert _shown_width(communities) <= communities.view.viewport().width()
    for i in (1, 2):
        panel = _at(qtbot, wait_ops, page, 1024, i)
        assert panel.view.horizontalScrollBar().maximum() == 0, (i, _hidden(panel))
    assert _hidden(page.panels[2]) == ["发展党员", "共建\n活动"]


def test_a_two_line_header_is_one_name_in_the_exported_sheet(qtbot, demo_ctx, wait_ops):  # noqa: F811
    from desktop_app.gui.widgets.list_export import shown

    page = show(qtbot, wait_ops, AssessmentPage(demo_ctx))
    _at(qtbot, wait_ops, page, 1366, 2)
    titles, _rows = shown(page)
    assert "会议按期" in titles and "五好/达标/未达标" in titles and not any("\n" in t for t in titles)
