"""The 流出 form asks for no branch (the member's own is taken); the 流入 form asks which branch they attend."""

from datetime import date

from desktop_app.domain import memberlife as rules
from desktop_app.services import orgs

TODAY = date(2026, 12, 6)


def test_the_out_form_asks_for_no_branch_and_the_in_form_does(qapp, db):
    from desktop_app.gui.memberlife.dialogs import FloatingDialog

    out = FloatingDialog(None, db, rules.FLOW_OUT, orgs.list_tree(db), TODAY)
    came = FloatingDialog(None, db, rules.FLOW_IN, orgs.list_tree(db), TODAY)
    labels = [out.form.itemAt(i, out.form.ItemRole.LabelRole).widget().text() for i in range(out.form.rowCount())]
    assert "所在党支部" not in labels and out.org is None
    assert came.org is not None
