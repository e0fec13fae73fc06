"""The 工作台 page: figures that open their lists, to-do items that open their records, charts drawn."""

from __future__ import annotations

import pytest

from desktop_app.gui.main_window import MainWindow
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


@pytest.fixture
def window(qtbot, app_ctx, town, wait_ops):  # noqa: F811
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    page = w.pages["概览"]
    page.today = TODAY
    page.year.setItemData(0, TODAY.year)
    w.show()
    wait_ops()
    page.refresh()
    wait_ops()
    return w


def test_figures_show_the_year_and_open_their_list(window, wait_ops, qtmodeltester):
    page = window.pages["概览"]
    tile = page.tile_of["problems_raised"]
    assert tile.text().splitlines()[1] == "3"
    assert page.tile_of["close_rate"].text().splitlines()[1] == "33%"
    assert page.tile_of["meetings_held"].text().splitlines()[2] == "上年 1（+1）"
    tile.click()
    wait_ops()
    assert window.stack.currentWidget() is window.pages["走访"]
    window.go_to("概览")
    page.tile_of["members_total"].click()
    assert window.stack.currentWidget() is window.pages["党员名册"]
    qtmodeltester.check(page.todo_model)


def test_a_todo_item_opens_its_record(window, wait_ops, town):  # noqa: F811
    page = window.pages["概览"]
    rows = [page.todo_model.row(i) for i in range(page.todo_model.rowCount())]
    late_visit = next(r for r in rows if r.kind == "visits")
    assert late_visit.record_id == town["late"]
    opened = page.open_todo(late_visit)
    wait_ops()
    assert window.stack.currentWidget() is opened is window.pages["走访"]
    assert opened.panel.selected_id() == town["late"]
    assert opened.filter_values().state == "overdue"  # the list shows the late ones, this one selected
    assert [r.id for r in opened.panel.model.rows] == [town["late"]]
    waiting = next(r for r in rows if r.kind == "wishes")
    wishes = page.open_todo(waiting)
    wait_ops()
    assert wishes.filter_values().state == "待认领" and wishes.panel.selected_id() == town["old_wish"]
    assert any("已透支" in r.text for r in rows)


def test_the_charts_have_the_years_figures(window):
    page = window.pages["概览"]
    meetings = page.charts["meetings"]
    assert [s.name for s in meetings.series] == ["主题党日"] and meetings.series[0].values[2] == 2
    assert page.charts["attendance"].series[0].values[2] == 67
    page.tabs.setCurrentIndex(1)
    assert not page.grab().isNull()


def test_the_year_end_folder_in_one_click(window, wait_ops, monkeypatch, tmp_path):
    from desktop_app.gui.widgets import forms

    page = window.pages["概览"]
    out = tmp_path / "台账.pdf"
    offered = []
    monkeypatch.setattr(forms, "ask_save_path", lambda *a, **k: out)
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: offered.append(path))
    page.folder_button.click()
    wait_ops(60_000)
    assert offered == [out] and out.read_bytes().startswith(b"%PDF")


def test_the_folder_leaves_the_photos_out_when_told(window, wait_ops, monkeypatch, tmp_path, shot):
    from desktop_app.gui.overview import page as overview_page
    from desktop_app.gui.widgets import forms

    page = window.pages["概览"]
    asked = []
    monkeypatch.setattr(forms, "ask_save_path", lambda *a, **k: tmp_path / "台账.pdf")
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    monkeypatch.setattr(overview_page.overview_service, "print_annual_folder",
                        lambda *a, **k: asked.append(k["photos"]) or b"%PDF")
    assert page.folder_photos.isChecked() and page.folder_photos.isVisible()  # photos are in by default
    shot(page, "overview-folder-photos.png")
    page.folder_button.click()
    wait_ops()
    page.folder_photos.setChecked(False)
    page.folder_button.click()
    wait_ops()
    assert asked == [True, False]


def test_a_figure_opens_its_list_narrowed_to_the_year_and_kind(window, wait_ops):
    page = window.pages["概览"]
    meetings = window.pages["三会一课"]
    page.tile_of["meetings_theme_day"].click()
    wait_ops()
    assert window.stack.currentWidget() is meetings
    assert meetings.period_filter.currentData() == "本年度"
    assert (meetings.status_filter.currentData(), meetings.kind_filter.currentData()) == ("held", "主题党日")
    assert meetings.model.rowCount() == 2  # the two of 2026; last year's is left out

    window.go_to("概览")
    page.tile_of["members_probationary"].click()
    wait_ops()
    roster = window.pages["党员名册"]
    assert roster.category.currentData() == "预备党员"
    assert roster.model.rowCount() == 1

    window.go_to("概览")
    page.tile_of["wishes_posted"].click()
    wait_ops()
    wishes = window.pages["微心愿"]
    assert wishes.filter_values().year == TODAY.year and wishes.filter_values().state is None
    assert len(wishes.panel.model.rows) == 2

    # Last year's figures open last year's rows.
    window.go_to("概览")
    page.year.setCurrentIndex(1)
    wait_ops()
    assert page.board.year == TODAY.year - 1
    page.tile_of["meetings_held"].click()
    wait_ops()
    assert meetings.period_filter.currentData() == "上年度" and meetings.kind_filter.currentData() is None
    assert meetings.model.rowCount() == 1
    window.go_to("概览")
    page.tile_of["visits"].click()
    wait_ops()
    visits = window.pages["走访"]
    assert visits.filter_values().period == str(TODAY.year - 1)
    assert len(visits.panel.model.rows) == 0


def test_apply_filter_skips_what_a_page_does_not_offer(window):
    wishes = window.pages["微心愿"]
    applied = wishes.apply_filter(state="待认领", colour="红", year=1900)
    assert applied == {"state": "待认领"}
    assert wishes.filter_values().state == "待认领"


def test_the_member_form_s_register_button_opens_the_register_at_that_member(window, wait_ops):
    window.pages["党员名册"].open_register("张建国")
    wait_ops()
    register = window.pages["双报到"]
    assert window.stack.currentWidget() is register
    assert register.filter_values().text == "张建国"
