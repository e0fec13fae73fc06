"""工作台 → 三会一课: a to-do item about a branch opens 三会一课落实 with that branch's row selected."""

from __future__ import annotations

from desktop_app.gui.main_window import MainWindow
from tests.gui.test_overview_dues_todo import TODAY
from tests.gui.test_overview_gui import window  # noqa: F401 - the 工作台 on the fixture with known counts
from tests.integration.test_overview_figures import town  # noqa: F401 - the fixture with known counts


def test_a_meetings_item_selects_its_branch_in_the_grid(qtbot, app_ctx, db, town, wait_ops):  # noqa: F811
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    page = w.pages["概览"]
    page.today = TODAY
    w.resize(1366, 768)
    w.show()
    wait_ops()
    w.go_to("概览")
    page.refresh()
    wait_ops()
    items = [page.todo_model.row(i) for i in range(page.todo_model.rowCount())]
    items = [i for i in items if i.kind == "meetings"]
    assert {i.record_id for i in items} == {town["g1"], town["g2"]}
    for item in sorted(items, key=lambda i: i.record_id != town["g2"]):  # the second branch first: not row 0 by luck
        opened = page.open_todo(item)
        wait_ops()
        assert w.stack.currentWidget() is opened is w.pages["三会一课落实"]
        current = opened.table.currentIndex()
        assert current.isValid() and opened.model.row(current.row()).org_id == item.record_id, item.text
        assert opened.table.selectionModel().isSelected(current)
        w.go_to("概览")
