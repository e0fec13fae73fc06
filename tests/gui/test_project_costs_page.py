"""微实事's page with the ledger's figure: 已记账（元） beside 实际支出 in the list, the 费用凭证… action posting a
voucher for the chosen project, 取消费用关联 greyed until one is booked, both greyed for 只读 with the reason."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.service_flow import ProjectInput
from desktop_app.gui.cobuilding import costs as cost_gui
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.services import auth, ledger, projects
from tests.gui.test_cobuilding_gui import shot
from tests.gui.test_service_gui import exec_with, show

TODAY = date.today()
PASSWORD = "pw-123456-Ab"


def _project(db) -> str:
    return projects.create_project(db, ProjectInput(
        name="楼道照明改造", category="设施改造", owner_name="李书记", budget_fen=80_000, actual_cost_fen=20_000,
        start_date=TODAY, deadline=TODAY), TODAY).id


def test_a_voucher_posted_from_the_page_shows_as_booked_beside_the_typed_cost(qtbot, app_ctx, wait_ops, monkeypatch):
    db = app_ctx.db
    pid = _project(db)
    page = show(qtbot, wait_ops, ProjectsPage(app_ctx))
    page.panel.select_id(pid)
    wait_ops()
    assert page.act_cost.isEnabled() and page.act_cost.text() == "费用凭证…"
    assert not page.act_unlink.isEnabled() and "还没有记账的费用凭证" in page.act_unlink.toolTip()

    def fill(dlg: cost_gui.CostDialog):
        dlg.amount.setText("439.00")
        dlg.counterparty.setText("五金建材店")

    monkeypatch.setattr(cost_gui.CostDialog, "exec", exec_with(wait_ops, fill))
    page.record_cost()
    wait_ops()
    wait_ops()
    [row] = page.panel.model.rows
    titles = [c.title for c in page.panel.model.columns]
    assert titles.index("已记账（元）") == titles.index("实际支出") + 1
    assert page.panel.model.columns[titles.index("已记账（元）")].text(row) == "439.00"
    assert "台账已记 439.00 元，实际支出填 200.00 元" in page.panel.details.text()
    assert page.act_unlink.isEnabled()
    [entry] = [e for e in ledger.list_entries(db) if e.project_id == pid]
    assert entry.memo == "微实事：楼道照明改造"
    shot(page, "project_costs")


def test_only_read_rights_grey_the_cost_actions_with_the_reason(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    pid = _project(db)
    auth.create_user(db, "look", "只读", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "look", PASSWORD)
    page = show(qtbot, wait_ops, ProjectsPage(app_ctx))
    page.panel.select_id(pid)
    wait_ops()
    assert not page.act_cost.isEnabled() and "经费台账" in page.act_cost.toolTip()
