"""A 微实事 spent past its budget was shown as two figures side by side, 预算 and 实际支出, with nothing
to catch the eye: its details now say by how much, in the alert colour, whether the typed 实际支出 or
the ledger's 已记账 went past it."""

from datetime import date

from desktop_app.domain.service_flow import ProjectInput
from desktop_app.gui.projects import costs as project_costs
from desktop_app.services import projects

TODAY = date.today()


def test_a_project_spent_past_its_budget_says_by_how_much(app_ctx):
    db = app_ctx.db
    p = projects.create_project(db, ProjectInput(
        name="楼道照明改造", category="设施改造", owner_name="李书记", budget_fen=80_000, actual_cost_fen=92_050,
        start_date=TODAY, deadline=TODAY), TODAY)
    html = project_costs.money_html(p)
    assert "超出预算 120.50 元</b>（支出 920.50 元，预算 800.00 元）" in html
    within = projects.create_project(db, ProjectInput(
        name="绿地补种", category="环境整治", owner_name="李书记", budget_fen=80_000, actual_cost_fen=80_000,
        start_date=TODAY, deadline=TODAY), TODAY)
    assert "超出预算" not in project_costs.money_html(within)
    unbudgeted = projects.create_project(db, ProjectInput(
        name="上门理发", category="便民服务", owner_name="李书记", actual_cost_fen=5_000,
        start_date=TODAY, deadline=TODAY), TODAY)
    assert "超出预算" not in project_costs.money_html(unbudgeted)  # no budget set: nothing to exceed
