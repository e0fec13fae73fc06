"""微实事's 费用凭证 through the co-building cost dialogs (one dialog, a project as its target): a new voucher
booked to the project, an existing expense booked, one taken off again; the detail's lines say when the
ledger's figure and the typed 实际支出 differ."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.service_flow import ProjectInput
from desktop_app.gui.cobuilding import costs as cost_gui
from desktop_app.gui.projects import costs as project_costs
from desktop_app.services import ledger, projects
from tests.gui.test_cobuilding_gui import shot

TODAY = date.today()


@pytest.fixture
def project(app_ctx):
    return projects.create_project(app_ctx.db, ProjectInput(
        name="楼道照明改造", category="设施改造", owner_name="李书记", budget_fen=80_000, actual_cost_fen=20_000,
        start_date=TODAY, deadline=TODAY), TODAY)


def test_the_cost_dialog_books_a_new_voucher_and_an_existing_one_to_the_project(qtbot, app_ctx, project):
    db = app_ctx.db
    target = project_costs.target(project, TODAY)
    assert target.amount_fen == 20_000 and target.key == project.id  # typed as spent, not yet booked
    dlg = cost_gui.CostDialog(None, db, target, cost_gui.ledger_choices(db, TODAY.year), TODAY)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "费用凭证：微实事：楼道照明改造" and dlg.amount.text() == "200.00"
    dlg.amount.setText("439.00")
    dlg.counterparty.setText("五金建材店")
    shot(dlg, "project_cost_dialog")
    row = dlg.prepare()()
    assert ledger.get_entry(db, row.entry_id).project_id == project.id

    other = ledger.post_entry(db, ledger.EntryInput(TODAY, dlg.account.currentData(), "支出", 5_000, memo="电线")).entry
    choices = cost_gui.ledger_choices(db, TODAY.year)
    assert [e.id for e in choices.expenses] == [other.id]  # the project's own voucher is not offered again
    dlg = cost_gui.CostDialog(None, db, target, choices, TODAY)
    qtbot.addWidget(dlg)
    dlg.link.setChecked(True)
    dlg.entry.setCurrentIndex(1)
    dlg.prepare()()
    detail = projects.get_project(db, project.id, TODAY)
    assert detail.booked_fen == 48_900
    html = project_costs.money_html(detail)
    assert "已记账：489.00 元" in html and "台账已记 489.00 元，实际支出填 200.00 元" in html
    assert "费用凭证 2 张" in html

    unlink = cost_gui.UnlinkCostDialog(None, db, target, detail.costs)
    qtbot.addWidget(unlink)
    unlink.cost.setCurrentIndex(1)  # the linked one: it stays in the ledger
    unlink.prepare()()
    assert projects.get_project(db, project.id, TODAY).booked_fen == 43_900
    assert ledger.get_entry(db, other.id).project_id is None


def test_the_detail_says_nothing_more_when_nothing_is_booked(app_ctx, project):
    html = project_costs.money_html(project)
    assert "实际支出：200.00 元" in html and "已记账" not in html and "台账已记" not in html
