"""Planning a 支委会 for a branch with no committee registered says so in the form (where to register
it, and that a branch of under 7 正式党员 need not have one) instead of listing everyone unticked and
only asking for a tick; the meetings list's 未登记支委 cell names the 支委会成员 button."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings.meeting_dialog import MeetingDialog
from desktop_app.gui.meetings.page import MeetingsModel
from desktop_app.services import meetings as ms
from tests.gui.test_meetings_gui import NAMES, community, page  # noqa: F401 - the fixtures


def _plan_committee(qtbot, page, monkeypatch, wait_ops, branch) -> dict:  # noqa: F811
    seen = {}

    def exec_(dlg: MeetingDialog):
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        seen.update(note=dlg.people_note.text() if not dlg.people_note.isHidden() else "",
                    ticked=dlg.attendee_ids())
        dlg.title_edit.setText("研究发展对象")
        dlg.accept()
        wait_ops()
        seen.update(message=dlg.message.text(), title=dlg.title_edit.text(), result=dlg.result())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(MeetingDialog, "exec", exec_)
    page.plan_meeting(branch, r.COMMITTEE)
    wait_ops()
    return seen


def test_a_committee_meeting_without_a_registered_committee_says_so_in_the_form(
        qtbot, page, community, monkeypatch, wait_ops):  # noqa: F811
    branch = community[0]
    seen = _plan_committee(qtbot, page, monkeypatch, wait_ops, branch)
    assert seen["ticked"] == []
    assert "未登记支委会成员" in seen["note"] and "支委会成员" in seen["note"].replace("未登记支委会成员", "")
    assert "正式党员 6 人" in seen["note"] and "不足 7 人" in seen["note"]  # the fixture's six members
    # nothing ticked: refused inside, naming the register, the title kept, nothing planned
    assert "未登记支委会成员" in seen["message"] and "支委会成员" in seen["message"]
    assert seen["title"] == "研究发展对象" and seen["result"] != QDialog.DialogCode.Accepted
    assert ms.list_meetings(page.ctx.db) == []


def test_a_registered_committee_is_ticked_and_no_note_shown(qtbot, page, community, monkeypatch, wait_ops):  # noqa: F811
    branch, _group, ids = community
    ms.set_committee(page.ctx.db, branch, [(ids[NAMES[0]], "书记"), (ids[NAMES[2]], "委员")],
                     date.today() - timedelta(days=30))
    seen = _plan_committee(qtbot, page, monkeypatch, wait_ops, branch)
    assert seen["note"] == "" and set(seen["ticked"]) == {ids[NAMES[0]], ids[NAMES[2]]}


def test_the_unregistered_committee_cell_points_to_the_committee_button(qtbot, page, community, wait_ops):  # noqa: F811
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=community[0], kind=r.COMMITTEE, title="研究发展对象",
                                    meeting_date=date.today()), [community[2][NAMES[1]]])
    ms.all_present(db, m.id)
    page.refresh()
    wait_ops()
    model: MeetingsModel = page.model
    row = next(i for i in range(model.rowCount()) if model.rows[i].id == m.id)
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "法定人数")
    assert model.index(row, col).data() == "未登记支委"
    assert "支委会成员" in model.index(row, col).data(Qt.ItemDataRole.ToolTipRole)
