"""项目清单 offscreen: an expense linked to an item tied to a 微实事 counts in that project's 已记账, and one
booked to another project meanwhile is refused in the cost dialog, naming that project."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.service_flow import ProjectInput
from desktop_app.gui.cobuilding import costs as cost_gui
from desktop_app.gui.cobuilding.lists import ListsPage
from desktop_app.gui.widgets import forms
from desktop_app.services import cobuilding as cb
from desktop_app.services import ledger, projects
from desktop_app.services import project_costs as pc
from desktop_app.services.cobuilding import ListInput
from tests.gui.test_cobuilding_gui import exec_with, shot, show

TODAY = date.today()


def _project(db, name):
    return projects.create_project(db, ProjectInput(name=name, owner_name="李书记", category="设施改造",
                                                    deadline=TODAY), TODAY).id


def test_linking_an_expense_books_it_to_the_items_project_or_is_refused(qtbot, app_ctx, wait_ops, monkeypatch):
    db = app_ctx.db
    lights, park = _project(db, "楼道照明改造"), _project(db, "口袋公园")
    item = cb.save_item(db, None, ListInput(rules.PROJECT, "加装扶手", raised_on=TODAY), TODAY).id
    cb.link_project(db, item, lights)
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    taken = ledger.post_entry(db, ledger.EntryInput(TODAY, account, "支出", 5_000, memo="横幅")).entry
    paid = ledger.post_entry(db, ledger.EntryInput(TODAY, account, "支出", 8_800, memo="扶手")).entry
    page = show(qtbot, wait_ops, ListsPage(app_ctx))
    page.tabs.setCurrentIndex(2)
    page.panels[2].select_id(item)
    wait_ops()
    seen = {}

    def link(dlg: cost_gui.CostDialog):
        pc.link_cost(db, park, taken.id)  # someone books it to 口袋公园 while this dialog is open
        dlg.link.setChecked(True)
        forms.select(dlg.entry, taken.id)
        dlg.accept()
        wait_ops()
        seen["message"] = dlg.message.text()
        shot(dlg, "cost_booked_elsewhere")
        forms.select(dlg.entry, paid.id)

    monkeypatch.setattr(cost_gui.CostDialog, "exec", exec_with(wait_ops, link))
    page.record_cost()
    wait_ops()
    wait_ops()
    assert "已记在微实事项目“口袋公园”" in seen["message"] and "楼道照明改造" in seen["message"]
    assert ledger.get_entry(db, taken.id).project_id == park
    assert page.panels[2].model.rows[0].linked_cost_fen == 8_800
    assert projects.get_project(db, lights, TODAY).booked_fen == 8_800


def test_tying_an_item_with_costs_says_its_vouchers_move_with_it(qtbot, app_ctx, wait_ops):
    from PySide6.QtWidgets import QLabel

    from desktop_app.gui.cobuilding.lists import LinkProjectDialog

    db = app_ctx.db
    lights = _project(db, "楼道照明改造")
    bare = cb.save_item(db, None, ListInput(rules.PROJECT, "清理楼道", raised_on=TODAY), TODAY).id
    item = cb.save_item(db, None, ListInput(rules.PROJECT, "加装扶手", raised_on=TODAY), TODAY).id
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    paid = ledger.post_entry(db, ledger.EntryInput(TODAY, account, "支出", 8_800, memo="扶手")).entry
    cb.link_cost(db, paid.id, item_id=item)
    page = show(qtbot, wait_ops, ListsPage(app_ctx))
    page.tabs.setCurrentIndex(2)
    rows = {r.id: r for r in page.panels[2].model.rows}
    projects_listed = page.listed("projects")

    def texts(row):
        dlg = LinkProjectDialog(page, db, row, projects_listed)
        qtbot.addWidget(dlg)
        return " ".join(label.text() for label in dlg.findChildren(QLabel))

    assert "随之记入所选微实事" in texts(rows[item])
    assert "随之记入所选微实事" not in texts(rows[bare])
