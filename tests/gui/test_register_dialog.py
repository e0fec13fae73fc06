"""The register dialogs (免于应到, a meeting's 议题) share one base: rows listed, a row added through its form,
the selected row removed only after a yes, and the list reloaded from the database each time."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.meetings.exemptions import ExemptionsDialog
from desktop_app.gui.widgets import common
from desktop_app.services import membership, roster
from tests.gui.test_cadence_gui import branch  # noqa: F401 - the fixture


def test_remove_asks_then_deletes_the_selected_row(qtbot, app_ctx, branch, wait_ops, monkeypatch,  # noqa: F811
                                                   qtmodeltester):
    db = app_ctx.db
    member_id = roster.search_ids(db, roster.MemberFilter())[0]
    membership.add_exemption(db, member_id, date(2026, 1, 1), None, "长期外出", "")
    dlg = ExemptionsDialog(None, db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert [r.reason for r in dlg.model.rows] == ["长期外出"]
    qtmodeltester.check(dlg.model)

    dlg.remove()  # nothing selected: nothing asked, nothing removed
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    dlg.table.selectRow(0)
    dlg.remove()
    wait_ops()
    assert len(asked) == 1 and "长期外出" in asked[0]
    assert len(membership.exemptions(db)) == 1  # "no" keeps it

    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    dlg.table.selectRow(0)
    dlg.remove()
    wait_ops()
    wait_ops()
    assert membership.exemptions(db) == [] and dlg.model.rows == []
