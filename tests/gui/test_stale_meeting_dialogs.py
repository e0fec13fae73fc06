"""The meeting form and the attendance form save from inside: a refusal (someone else saved the
meeting since the form opened, a meeting that can no longer move) shows in the dialog, with the
typed minutes or the marks kept, and no error box behind it (offscreen, on a real SQLite file)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QDialog

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.meetings.meeting_dialog import MeetingDialog
from desktop_app.services import meetings as ms
from tests.gui.test_meetings_gui import community, page  # noqa: F401 - the fixtures

MINUTES = "一、学习党章总纲\n二、讨论发展对象"


def _meeting(page, branch, wait_ops, then=None):  # noqa: F811
    """A 支部党员大会 of today (after `then(meeting)`, e.g. its attendance), selected on the page."""
    m = ms.plan(page.ctx.db, ms.MeetingInput(org_id=branch, kind=r.BRANCH_CONGRESS, title="学习党章",
                                             meeting_date=date.today()))
    if then is not None:
        then(m)
    page.refresh()
    wait_ops()
    assert page.select(m.id)
    return m


def _save_refused(monkeypatch, wait_ops, dialog, open_, fill, kept, shot) -> dict:
    """Open `dialog` (a class) from the page with `open_`, `fill` it, press save; what it showed then:
    the refusal inside, not accepted, nothing saved, `kept(dlg)` read back from its fields."""
    seen = {}

    def exec_(dlg):
        fill(dlg)
        dlg.accept()
        wait_ops()
        dlg.grab().save(str(shot))
        seen.update(message=dlg.message.text(), shown=not dlg.message.isHidden(), result=dlg.result(),
                    kept=kept(dlg), saved=dlg.saved)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog, "exec", exec_)
    open_()
    wait_ops()
    assert seen["shown"] and seen["result"] != QDialog.DialogCode.Accepted and seen["saved"] is None
    return seen


def _edit_and_save(qtbot, page, monkeypatch, wait_ops, meanwhile, change, shot):  # noqa: F811
    """Open 修改会议 from the page, let `meanwhile` happen elsewhere, `change` the form and type the
    minutes, press 保存: refused inside, the minutes kept."""
    def fill(dlg: MeetingDialog):
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        meanwhile()
        change(dlg)
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        dlg.minutes.setPlainText(MINUTES)

    seen = _save_refused(monkeypatch, wait_ops, MeetingDialog, page.edit_selected, fill,
                         lambda dlg: dlg.minutes.toPlainText(), shot)
    assert seen["kept"] == MINUTES  # what was typed is still there
    return seen


def test_a_meeting_form_opened_before_anothers_save_refuses_inside_and_keeps_the_minutes(
        qtbot, page, community, monkeypatch, wait_ops, tmp_path):  # noqa: F811
    db = page.ctx.db
    m = _meeting(page, community[0], wait_ops)

    def meanwhile():  # at another PC: the place is filled in
        ms.update(db, m.id, replace(ms.get(db, m.id).to_input(), place="二楼会议室"))

    seen = _edit_and_save(qtbot, page, monkeypatch, wait_ops, meanwhile,
                          lambda dlg: dlg.host.setText("王建国"), tmp_path / "meeting_refused.png")
    assert f"会议 {m.number}" in seen["message"] and "你的修改没有保存" in seen["message"]
    now = ms.get(db, m.id)
    assert (now.place, now.host, now.minutes) == ("二楼会议室", "", "")


def test_a_meeting_that_cannot_move_any_more_is_refused_inside(qtbot, page, community, monkeypatch, wait_ops,
                                                               tmp_path):  # noqa: F811
    """Attendance recorded, the form (read after it) changes the kind: the service refuses, inside."""
    db = page.ctx.db
    m = _meeting(page, community[0], wait_ops, lambda m: ms.all_present(db, m.id))
    seen = _edit_and_save(qtbot, page, monkeypatch, wait_ops, lambda: None,
                          lambda dlg: dlg.kind.setCurrentIndex(dlg.kind.findData(r.THEME_DAY)),
                          tmp_path / "meeting_cannot_move.png")
    assert "已登记出勤的会议不能更换党组织或会议类型" in seen["message"]
    assert ms.get(db, m.id).kind == r.BRANCH_CONGRESS


def test_attendance_recorded_meanwhile_refuses_inside_and_keeps_the_marks(
        qtbot, page, community, monkeypatch, wait_ops, tmp_path):  # noqa: F811
    db = page.ctx.db
    m = _meeting(page, community[0], wait_ops)

    def fill(dlg: AttendanceDialog):
        ms.all_present(db, m.id)  # at another PC: everyone present
        dlg.set_status(0, r.ABSENT)
        dlg.set_status(1, r.LEAVE)

    seen = _save_refused(monkeypatch, wait_ops, AttendanceDialog, page.record_attendance, fill,
                         lambda dlg: [p.status for p in dlg.people[:2]], tmp_path / "attendance_refused.png")
    assert f"会议 {m.number}" in seen["message"] and "你的修改没有保存" in seen["message"]
    assert seen["kept"] == [r.ABSENT, r.LEAVE]
    assert {a.status for a in ms.get(db, m.id).attendees} == {r.PRESENT}


def test_the_committee_form_saves_from_inside_and_a_refusal_keeps_the_seats(
        qtbot, page, community, monkeypatch, wait_ops, tmp_path):  # noqa: F811
    from desktop_app.gui.meetings.meeting_dialog import CommitteeDialog
    from desktop_app.services import memberlife, orgs

    branch, _group, ids = community
    db = page.ctx.db
    other = orgs.create(db, "第二网格党支部", "B02", "branch", orgs.get(db, branch).parent_id).id
    leaver = next(iter(ids.values()))
    page.org_filter.setCurrentIndex(page.org_filter.findData(branch))
    wait_ops()

    def fill(dlg: CommitteeDialog):
        memberlife.move_member(db, leaver, other, date.today())  # meanwhile: moved to another branch
        for mid in ids.values():
            dlg.add_seat(mid, "委员")

    seen = _save_refused(monkeypatch, wait_ops, CommitteeDialog, page.edit_committee, fill,
                         lambda dlg: len(dlg.seats()), tmp_path / "committee_refused.png")
    assert "不是第一网格党支部的党员" in seen["message"] and seen["kept"] == len(ids)
    assert ms.committee(db, branch) == []


def test_a_confirmed_scan_of_a_meeting_recorded_meanwhile_is_refused_inside(
        qtbot, page, community, wait_ops, tmp_path):  # noqa: F811
    from desktop_app.gui.meetings.scan_flow import confirm_scan
    from desktop_app.views.signin_scan import ProposedLine, ScanProposal, SheetProposal

    db = page.ctx.db
    m = _meeting(page, community[0], wait_ops)
    detail = ms.get(db, m.id)
    scan = tmp_path / "签到表.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    lines = tuple(ProposedLine(a.id, a.name, "签到", r.PRESENT, 0.9, n)
                  for n, a in enumerate(detail.attendees, start=1))
    proposal = ScanProposal(str(scan), (SheetProposal(m.id, m.number, m.title, 1, 1, 1, lines, 0),), ())
    dlg = confirm_scan(page, proposal, detail)
    qtbot.addWidget(dlg)
    ms.record_attendance(db, m.id, [ms.AttendanceEntry(r.ABSENT, attendance_id=a.id) for a in detail.attendees])
    dlg.set_status(0, r.LEAVE)
    dlg.accept()
    wait_ops()
    assert dlg.isVisible() and f"会议 {m.number}" in dlg.message.text() and "你的修改没有保存" in dlg.message.text()
    assert dlg.people[0].status == r.LEAVE
    now = ms.get(db, m.id)
    assert {a.status for a in now.attendees} == {r.ABSENT} and now.files == ()
