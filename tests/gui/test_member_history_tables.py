"""The member form's 变更记录 tab: its read-only tables are ColumnModels that pass the model tester."""

from datetime import date

from PySide6.QtWidgets import QLabel, QTableView

from desktop_app.gui.roster.member_dialog import MemberDialog
from desktop_app.services import orgs, roster
from tests.gui.test_roster_gui import person
from tests.party_people import floating_out


def test_the_history_tab_lists_status_changes_in_a_checked_model(qtbot, app_ctx, qtmodeltester):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    m = roster.create(db, person("周十", branch.id, 43))
    floating_out(db, m.id, date(2025, 3, 1), "苏州工业园区")
    dlg = MemberDialog(None, orgs.list_tree(db), lambda inp: None, roster.get(db, m.id), registration=None)
    qtbot.addWidget(dlg)
    (history,) = [v.model() for v in dlg.findChildren(QTableView) if v.model().columnCount() == 4]
    qtmodeltester.check(history)
    row = [history.index(0, c).data() for c in range(4)]
    assert row[1:] == ["流动", "苏州工业园区", "流出登记"] and row[0].startswith("2025")
    assert any(label.text() == "暂无组织关系转接记录" for label in dlg.findChildren(QLabel))  # none: said in words
