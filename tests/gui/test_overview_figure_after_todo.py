"""The morning's round trip on the 工作台: a to-do first narrows its page, a figure then opens all it counts.

A worker double-clicks the late visit (the 走访 page shows only the 逾期 ones), comes back and
clicks the 走访 figure: the list must hold every visit of the year the figure counts, not the late
ones the to-do left behind. The same for 党费收缴 after a branch's 欠交名单.
"""

from __future__ import annotations

from tests.gui.test_overview_gui import window  # noqa: F401 - the 工作台 over the known counts
from tests.integration.test_overview_figures import town  # noqa: F401 - the fixture with known counts


def test_a_figure_after_a_todo_lists_all_it_counts(window, wait_ops):  # noqa: F811
    page = window.pages["概览"]
    rows = [page.todo_model.row(i) for i in range(page.todo_model.rowCount())]
    visits = page.open_todo(next(r for r in rows if r.kind == "visits"))
    wait_ops()
    assert visits.filter_values().state == "overdue"

    window.go_to("概览")
    page.tile_of["visits"].click()
    wait_ops()
    assert window.stack.currentWidget() is visits
    assert visits.filter_values().state is None
    counted = int(page.tile_of["visits"].text().splitlines()[1])
    assert len(visits.panel.model.rows) == counted


def test_the_dues_figure_after_a_branch_s_arrears_opens_the_register(window, wait_ops):  # noqa: F811
    page = window.pages["概览"]
    dues = window.pages["党费"]
    dues.apply_filter(tab="arrears")  # as a dues to-do leaves it
    assert dues.tabs.currentIndex() == 1
    window.go_to("概览")
    page.tile_of["dues_paid_fen"].click()
    wait_ops()
    assert window.stack.currentWidget() is dues and dues.tabs.currentIndex() == 0
