"""A visit's 问题类别 is chosen, not taken from the top of the list (供水 for a broken lamp skewed 服务月报)."""

from datetime import date

from PySide6.QtWidgets import QDialog

from desktop_app.domain import service_flow as flow
from desktop_app.gui.visits.dialogs import VisitDialog
from desktop_app.services import orgs
from desktop_app.services import residents as res


def test_a_new_visit_asks_for_its_category_and_keeps_what_was_typed(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id))
    dlg = VisitDialog(None, db, res.grids(db), flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY], [], today=date.today())
    qtbot.addWidget(dlg)
    assert dlg.category.currentIndex() == -1 and dlg.category.placeholderText() == "请选择问题类别"
    dlg.others.setText("网格员小李")
    dlg.visitee.edit.setText("wxy")
    dlg.visitee.search_now()
    wait_ops()
    dlg.visitee.pick_row(0)
    dlg.content.setPlainText("楼道灯坏了")
    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.message.text() == "问题类别：请选择问题类别"
    assert dlg.content.toPlainText() == "楼道灯坏了"  # nothing typed is lost
    dlg.category.setCurrentIndex(dlg.category.findData("路灯"))
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.saved.category == "路灯"
