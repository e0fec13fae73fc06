"""A greyed action on 微心愿、矛盾调处 and 微实事 says why, in the worker's terms, and names what to do
first: "所选记录现在不能“已实现”" read as if the wish were already fulfilled, and said nothing of 认领."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import service_flow as flow
from desktop_app.gui.mediation.page import MediationPage
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.gui.wishes.page import WishesPage
from desktop_app.services import mediation
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 - fixture
from tests.gui.test_service_gui import show


def choose(page, wait_ops, row) -> None:
    page.panel.select_id(row.id)
    wait_ops()


def opened_on(qtbot, wait_ops, page, state: str):
    """The page shown with its first record in `state` (a wish's or a case's state, a project's status) chosen."""
    show(qtbot, wait_ops, page)
    row = next(r for r in page.panel.model.rows if getattr(r, "state", getattr(r, "status", None)) == state)
    choose(page, wait_ops, row)
    return page, row


def test_a_wish_s_greyed_actions_say_which_state_they_need(qtbot, demo_ctx, wait_ops):  # noqa: F811
    page, _ = opened_on(qtbot, wait_ops, WishesPage(demo_ctx), flow.WISH_POSTED)
    assert "已实现" not in [a.text() for a in page.toolbar.actions()]  # an action says what it does, not a state
    assert page.act_fulfil.text() == "确认实现"
    assert not page.act_fulfil.isEnabled() and "先认领" in page.act_fulfil.toolTip()
    assert not page.act_withdraw.isEnabled() and "还没有人认领" in page.act_withdraw.toolTip()
    choose(page, wait_ops, next(r for r in page.panel.model.rows if r.state == flow.WISH_FULFILLED))
    for act in (page.act_claim, page.act_withdraw, page.act_fulfil, page.act_edit):
        assert not act.isEnabled() and "心愿已实现" in act.toolTip(), act.text()
    choose(page, wait_ops, next(r for r in page.panel.model.rows if r.state == flow.WISH_CLAIMED))
    assert not page.act_claim.isEnabled() and "已由" in page.act_claim.toolTip()


def test_a_case_s_greyed_actions_say_what_comes_first(qtbot, demo_ctx, wait_ops):  # noqa: F811
    # a case 调解中 whatever the day: the demo's own cases may all be closed on the day the suite runs
    today = date.today()
    mediation.create_case(demo_ctx.db, flow.CaseInput(
        kind="邻里纠纷", summary="楼上漏水", received_on=today, mediator="李调解员",
        parties=(flow.PartyInput("张三", flow.PARTY_ROLES[0]), flow.PartyInput("李四", flow.PARTY_ROLES[1]))), today)
    page, _ = opened_on(qtbot, wait_ops, MediationPage(demo_ctx), flow.MEDIATION_SUCCESS)
    assert not page.act_session.isEnabled() and "重新调解" in page.act_session.toolTip()
    assert not page.act_close.isEnabled() and "调解成功" in page.act_close.toolTip()
    choose(page, wait_ops, next(r for r in page.panel.model.rows if r.state == flow.MEDIATING))
    assert not page.act_reopen.isEnabled() and "调解中" in page.act_reopen.toolTip()


def test_a_case_without_a_session_says_to_record_one_before_closing(qtbot, app_ctx, wait_ops):
    today = date.today()
    mediation.create_case(app_ctx.db, flow.CaseInput(
        kind="邻里纠纷", summary="楼上漏水", received_on=today, mediator="李调解员",
        parties=(flow.PartyInput("张三", flow.PARTY_ROLES[0]), flow.PartyInput("李四", flow.PARTY_ROLES[1]))), today)
    page, _ = opened_on(qtbot, wait_ops, MediationPage(app_ctx), flow.MEDIATING)
    assert not page.act_close.isEnabled() and "先记录" in page.act_close.toolTip()


def test_a_project_without_an_open_step_says_to_add_one(qtbot, demo_ctx, wait_ops):  # noqa: F811
    page, _ = opened_on(qtbot, wait_ops, ProjectsPage(demo_ctx), flow.PROJECT_DONE)
    assert not page.act_done.isEnabled() and "添加节点" in page.act_done.toolTip()


@pytest.mark.parametrize("page_class", [WishesPage, MediationPage, ProjectsPage], ids=lambda c: c.__name__)
def test_no_greyed_action_falls_back_to_the_generic_sentence(qtbot, demo_ctx, wait_ops, page_class):  # noqa: F811
    page = show(qtbot, wait_ops, page_class(demo_ctx))
    for row in page.panel.model.rows:
        choose(page, wait_ops, row)
        for act in page.toolbar.actions():
            assert "现在不能" not in act.toolTip(), (act.toolTip(), row)


@pytest.mark.parametrize(("page_class", "state", "said"), [
    (WishesPage, flow.WISH_FULFILLED, "心愿已实现"), (MediationPage, flow.MEDIATION_SUCCESS, "重新调解")])
def test_a_double_click_that_cannot_act_says_why_instead_of_nothing(
        qtbot, demo_ctx, wait_ops, page_class, state, said):  # noqa: F811
    # Double-clicking a fulfilled wish (修改) or a closed case (调解记录) did nothing at all.
    page, row = opened_on(qtbot, wait_ops, page_class(demo_ctx), state)
    page.panel.activated.emit(row)
    assert said in page.message.text()
