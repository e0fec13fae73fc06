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


def test_a_roster_opened_last_year_takes_a_january_birthday_click(qtbot, app_ctx, wait_ops, monkeypatch):
    """The program left open over New Year: the roster's month list was made in December."""
    from desktop_app.gui.roster import page as roster_page

    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    roster = w.pages["党员名册"]
    next_year = date.today().year + 1

    class NewYear(date):
        @classmethod
        def today(cls):
            return cls(next_year, 1, 10)

    monkeypatch.setattr(roster_page, "date", NewYear)
    applied = roster.apply_filter(birthday=f"{next_year}-01", status="在册党员")
    assert applied.get("birthday") == f"{next_year}-01"
    assert roster.birthday.currentText() == "1月政治生日"
    assert roster.current_filter().birthday_month == f"{next_year}-01"
    wait_ops()
