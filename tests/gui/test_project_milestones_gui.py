"""微实事 节点: a step done last week is recorded on its day, and one marked done by mistake can be put back.

节点完成 asked only which step and wrote today's date ("（今天完成）"); a step ticked by mistake stayed done,
with no way back from the page."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QInputDialog

from desktop_app.domain import service_flow as flow
from desktop_app.gui.projects.dialogs import MilestoneDialog
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.services import projects
from tests.gui.test_service_gui import exec_with, show

TODAY = date.today()


def _project_with_steps(db) -> str:
    p = projects.create_project(db, flow.ProjectInput(name="梅园新村3栋门口路灯修复", category="路灯修复", owner_name="张建国",
                                                      start_date=TODAY - timedelta(days=20), deadline=TODAY + timedelta(days=10)),
                                TODAY)
    for title in ("采购材料", "施工"):
        projects.add_milestone(db, p.id, flow.MilestoneInput(title, TODAY + timedelta(days=5)), TODAY)
    return p.id


def test_a_step_done_last_week_is_recorded_on_its_day_and_can_be_put_back(qtbot, app_ctx, wait_ops, monkeypatch):
    db = app_ctx.db
    pid = _project_with_steps(db)
    page = show(qtbot, wait_ops, ProjectsPage(app_ctx))
    page.panel.select_id(pid)
    wait_ops()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][1], True))  # 施工
    last_week = TODAY - timedelta(days=7)
    opened = []

    def done_last_week(dlg):
        opened.append((dlg.windowTitle(), dlg.done_on.value()))
        dlg.done_on.set_value(last_week)

    monkeypatch.setattr(MilestoneDialog, "exec", exec_with(wait_ops, done_last_week))
    page.milestone_done()
    wait_ops()
    assert opened == [("节点完成：施工", TODAY)]  # today offered, the worker's day kept
    steps = {m.title: m.done_on for m in projects.get_project(db, pid, TODAY).milestones}
    assert steps == {"采购材料": None, "施工": last_week}
    assert "施工" in page.message.text()

    # ticked by mistake: 修改节点 clears its 完成日期 again
    assert page.act_milestones.isEnabled()
    monkeypatch.setattr(MilestoneDialog, "exec", exec_with(wait_ops, lambda dlg: dlg.done_on.set_value(None)))
    page.edit_milestone()
    wait_ops()
    steps = {m.title: m.done_on for m in projects.get_project(db, pid, TODAY).milestones}
    assert steps == {"采购材料": None, "施工": None}


def test_a_step_can_be_deleted_after_asking_and_a_refusal_says_why(qtbot, app_ctx, wait_ops, monkeypatch, error_boxes):
    """删除节点: the service could delete a step, the page offered no way to; it asks first, naming the step."""
    from desktop_app.gui.widgets import common

    db = app_ctx.db
    pid = _project_with_steps(db)
    page = show(qtbot, wait_ops, ProjectsPage(app_ctx))
    page.panel.select_id(pid)
    wait_ops()
    assert page.act_drop_milestone.isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))  # 采购材料
    asked, answers = [], iter([False, True])
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or next(answers))
    page.delete_milestone()
    wait_ops()
    assert "采购材料" in asked[0]
    assert len(projects.get_project(db, pid, TODAY).milestones) == 2  # 否: nothing deleted
    page.delete_milestone()
    wait_ops()
    assert [m.title for m in projects.get_project(db, pid, TODAY).milestones] == ["施工"]
    assert "采购材料" in page.message.text() and not error_boxes
    assert page.panel.selected_id() == pid

    # removed meanwhile at another desk: the service refuses and the box says why
    gone = projects.get_project(db, pid, TODAY).milestones[0]
    projects.delete_milestone(db, gone.id, TODAY)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.delete_milestone()
    wait_ops()
    assert error_boxes and "已删除" in error_boxes[-1]
