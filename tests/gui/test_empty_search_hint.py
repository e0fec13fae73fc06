"""A list that the search or a filter emptied says that nothing matched, before how to add a record:
a worker who typed 张三 into 走访 and saw only "登记走访：Ctrl+N" would take it that there is no visit
and enter it a second time."""

from __future__ import annotations

from desktop_app.gui.visits.page import VisitsPage

NOTHING = "没有符合搜索和筛选条件的记录"


def test_an_emptied_list_says_nothing_matched_and_an_empty_one_how_to_begin(qtbot, app_ctx, wait_ops):
    page = VisitsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert page.panel.model.rowCount() == 0
    assert NOTHING not in page.panel.details.text() and "Ctrl+N" in page.panel.details.text()  # nothing yet

    page.search.setText("zs")
    page.search_debounce.flush()
    wait_ops()
    assert NOTHING in page.panel.details.text() and "Ctrl+N" in page.panel.details.text()

    page.search.setText("")
    page.choice("state").setCurrentIndex(2)  # 逾期
    wait_ops()
    assert NOTHING in page.panel.details.text()

    page.choice("state").setCurrentIndex(0)
    wait_ops()
    assert NOTHING not in page.panel.details.text()
