"""三单: 立项 on a need opens the project form with that need chosen (its title, category and grid taken), and the
same need raised twice is told apart in the form's choice by its date and state; deleting an open project says its
need goes back to 待对接; a grid added on the 党组织 page is offered without reopening the page."""

from __future__ import annotations

import os
from datetime import date

import pytest

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.lists import ListItemDialog, ListsPage
from desktop_app.gui.widgets import forms
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from desktop_app.services.cobuilding import ListInput, UnitInput

TODAY = date.today()


@pytest.fixture
def needs(app_ctx):
    db = app_ctx.db
    community = next(n.id for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第二网格党支部", "G2", "branch", community).id
    unit = cb.save_unit(db, None, UnitInput(name="区供电公司", kind="企事业单位"), TODAY).id

    def add(kind, title, days_ago, **kw):
        return cb.save_item(db, None, ListInput(kind, title, raised_on=date.fromordinal(TODAY.toordinal() - days_ago),
                                                **kw), TODAY)

    old = add(rules.NEED, "健身广场的灯晚上九点就关", 40, category="设施", grid_id=grid)
    new = add(rules.NEED, "健身广场的灯晚上九点就关", 3, category="设施", grid_id=grid)
    cable = add(rules.RESOURCE, "电工上门检修", 10, unit_id=unit)
    return {"grid": grid, "unit": unit, "old": old, "new": new, "cable": cable}


def test_make_a_project_from_the_chosen_need(qtbot, app_ctx, wait_ops, needs, monkeypatch, shot):
    page = ListsPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1024 - 192, 640)
    page.show()
    wait_ops()
    page.panel.select_id(needs["new"].id)
    wait_ops()
    assert page.act_make_project.isEnabled()
    seen = {}

    def exec_(dlg: ListItemDialog):
        seen["title"], seen["grid"] = dlg.title_edit.text(), dlg.grid.currentData()
        seen["category"], seen["need"] = dlg.category.currentText(), dlg.need.currentData()
        seen["needs"] = [dlg.need.itemText(i) for i in range(dlg.need.count())]
        if os.environ.get("SHOW_PNG"):
            shot(dlg, "make-project.png")
        dlg.title_edit.setText("健身广场延长照明")
        forms.select(dlg.resource, needs["cable"].id)
        dlg.accept()
        wait_ops()
        return dlg.result()

    monkeypatch.setattr(ListItemDialog, "exec", exec_)
    page.act_make_project.trigger()
    wait_ops()
    assert seen["title"] == "健身广场的灯晚上九点就关" and seen["need"] == needs["new"].id
    assert (seen["grid"], seen["category"]) == (needs["grid"], "设施")
    assert len(set(seen["needs"])) == len(seen["needs"]) == 3  # the two same-titled needs read differently
    assert any(needs["old"].raised_on.isoformat() in t for t in seen["needs"])
    # the page turns to the 项目清单, showing the new project
    assert page.tabs.currentIndex() == rules.LIST_KINDS.index(rules.PROJECT)
    project = page.detail
    assert (project.title, project.need_id, project.resource_id, project.state) == (
        "健身广场延长照明", needs["new"].id, needs["cable"].id, rules.PROJECT_OPEN)
    states = {r.id: r.state for r in cb.list_items(app_ctx.db, rules.NEED)}
    assert (states[needs["new"].id], states[needs["old"].id]) == (rules.NEED_MATCHED, rules.NEED_OPEN)
    if os.environ.get("SHOW_PNG"):
        shot(page, "made-project.png")
    # a need with its project already, and a resource, cannot be made a project of again
    page.tabs.setCurrentIndex(0)
    page.panel.select_id(needs["new"].id)
    wait_ops()
    assert not page.act_make_project.isEnabled()
    assert "已立项" in page.act_make_project.toolTip()
    page.tabs.setCurrentIndex(1)
    page.panel.select_id(needs["cable"].id)
    wait_ops()
    assert not page.act_make_project.isEnabled()


def test_deleting_an_open_project_says_its_need_is_to_be_matched_again(qtbot, app_ctx, wait_ops, needs, monkeypatch):
    from desktop_app.gui.widgets import common

    project = cb.save_item(app_ctx.db, None, ListInput(rules.PROJECT, "健身广场延长照明", raised_on=TODAY,
                                                       need_id=needs["new"].id), TODAY)
    page = ListsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.tabs.setCurrentIndex(rules.LIST_KINDS.index(rules.PROJECT))
    page.panel.select_id(project.id)
    wait_ops()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or True)
    page.act_delete.trigger()
    wait_ops()
    assert asked == ["确定删除项目“健身广场延长照明”吗？\n对应的需求“健身广场的灯晚上九点就关”如没有别的项目对应，将回到“待对接”。"]
    page.tabs.setCurrentIndex(0)
    wait_ops()
    assert {r.id: r.state for r in page.panel.model.rows}[needs["new"].id] == rules.NEED_OPEN  # the list shows it


def test_a_grid_added_meanwhile_is_offered_in_the_form(qtbot, app_ctx, wait_ops, needs):
    from desktop_app.gui.bus import bus
    from desktop_app.views.changes import Change

    page = ListsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    community = next(n.id for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    grid = orgs.create(app_ctx.db, "第五网格党支部", "G5", "branch", community).id
    bus.announce(Change.ORGS)  # as the 党组织 page's save says
    wait_ops()
    dlg = page._dialog(rules.NEED)
    qtbot.addWidget(dlg)
    assert dlg.grid.findData(grid) >= 0
