"""走访、微心愿、微实事、矛盾调处 and 共建活动 at a 1366×768 desk, a record open in the details pane: every column
is read without scrolling sideways, and the dates and amounts in it are whole, not "2026-…"."""

from __future__ import annotations

import pytest

from desktop_app.gui.cobuilding.activities import ActivitiesPage
from desktop_app.gui.mediation.page import MediationPage
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.gui.wishes.page import WishesPage
from tests.gui.test_cobuilding_lists_narrow import NAVIGATION, _whole, demo_ctx  # noqa: F401 - fixture
from tests.gui.test_service_gui import show

# the columns whose every cell must show whole (a date, an amount, a state cut to "…" is misread)
WHOLE_CELLS = {
    VisitsPage: ("日期",),
    WishesPage: ("编号", "发布", "状态", "实现"),
    ProjectsPage: ("编号", "预算（元）", "实际支出", "已记账（元）", "完成期限", "状态", "进度"),
    MediationPage: ("案号", "受理日期", "次数", "结果"),
    ActivitiesPage: ("日期", "人数", "时长", "费用（元）", "已记账（元）"),
}


@pytest.mark.parametrize("page_class", list(WHOLE_CELLS), ids=lambda c: c.__name__)
def test_every_column_is_in_view_at_1366_with_a_record_open(qtbot, demo_ctx, wait_ops, page_class):  # noqa: F811
    panel = show(qtbot, wait_ops, page_class(demo_ctx)).panels[0]
    panel.window().resize(1366 - NAVIGATION, 640)
    assert panel.model.rows, "the demo records some"
    panel.select_id(panel.model.rows[0].id)  # the details pane open beside the list, as she works
    wait_ops()
    qtbot.wait(50)
    # 微实事's 状态 and 进度, 矛盾调处's 结果 and 共建活动's 已记账 and 照片 were past the table's edge
    assert _whole(panel) == [c.title for c in panel.model.columns]
    metrics, titles = panel.view.fontMetrics(), [c.title for c in panel.model.columns]
    for title in WHOLE_CELLS[page_class]:
        i = titles.index(title)
        column = panel.model.columns[i]
        widest = max(metrics.horizontalAdvance(column.text(r)) for r in panel.model.rows)
        assert panel.view.columnWidth(i) >= widest + 8, (title, panel.view.columnWidth(i), widest)


@pytest.mark.parametrize(("page_class", "state"), [(WishesPage, "状态"), (ProjectsPage, "状态"), (MediationPage, "结果")],
                         ids=lambda x: getattr(x, "__name__", x))
def test_the_state_is_in_view_on_a_1024_screen_with_a_record_open(qtbot, demo_ctx, wait_ops, page_class, state):  # noqa: F811
    # the list is worked by its state (待认领, 实施中·逾期, 调解中): it came after the money and dates, past the edge
    panel = show(qtbot, wait_ops, page_class(demo_ctx)).panels[0]
    panel.window().resize(1024 - NAVIGATION, 640)
    panel.select_id(panel.model.rows[0].id)
    wait_ops()
    qtbot.wait(50)
    assert state in _whole(panel)
