"""The 报到党员 form keeps a 报到支部 its list does not offer (a 党小组 recorded before, by an import or the
demo): a correction saved from the form left it blank, as the list fell back to （不指定支部）."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.cobuilding.reporting_dialogs import ReportingDialog
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from tests.party_people import branch


def test_a_group_it_does_not_list_is_kept_on_a_save(qtbot, app_ctx, wait_ops):
    db, today = app_ctx.db, date.today()
    g1 = branch(db)
    group = orgs.create(db, "第二党小组", "G1-2", "group", g1).id
    r = cb.register_reporting(db, cb.ReportingInput(name="陈医生", employer="区人民医院", reported_on=today,
                                                    org_id=group), today)
    offered = [o for o in orgs.list_tree(db) if o.kind in ("community", "branch")]  # what the page offers
    dlg = ReportingDialog(None, db, [], offered, cb.get_reporting(db, r.id), today)
    qtbot.addWidget(dlg)
    assert dlg.org.currentData() == group and "第二党小组" in dlg.org.currentText()
    dlg.job.setText("主治医师")
    dlg.prepare()()
    assert (cb.get_reporting(db, r.id).row.org_id, cb.get_reporting(db, r.id).row.job) == (group, "主治医师")
