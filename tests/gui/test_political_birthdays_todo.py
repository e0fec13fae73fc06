"""工作台's 本月政治生日 N 名 opens the roster showing exactly those N members."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.main_window import MainWindow
from desktop_app.services import roster
from tests.integration.test_political_birthdays import _people


def test_the_birthdays_item_opens_the_roster_on_exactly_them(qtbot, app_ctx, wait_ops):
    _people(app_ctx.db)
    today = date(date.today().year, 6, 5)  # the roster's month filter offers this year's months
    expected = sorted(r.member_id for r in roster.political_birthdays(app_ctx.db, today.year, 6))
    assert len(expected) >= 2
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    page = w.pages["概览"]
    page.today = today
    w.show()
    wait_ops()
    page.refresh()
    wait_ops()
    items = [page.todo_model.row(i) for i in range(page.todo_model.rowCount())]
    item = next(r for r in items if r.kind == "birthdays")
    assert item.text.startswith(f"本月政治生日 {len(expected)} 名")
    w.pages["党员名册"].apply_filter(category="预备党员")  # a filter left from before is undone
    opened = page.open_todo(item)
    wait_ops()
    assert w.stack.currentWidget() is opened is w.pages["党员名册"]
    assert sorted(opened.model.ids) == expected
    assert opened.birthday.currentText() == "6月政治生日"
