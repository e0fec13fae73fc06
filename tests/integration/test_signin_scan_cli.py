"""dangqun import signin-scan as safe as the confirming dialog: attendance recorded before is kept unless
--replace, --meeting refuses another meeting's page, and boxes it cannot read are listed, never decided."""

import dataclasses
from datetime import date

from desktop_app.cli import main
from desktop_app.domain import meetings as r
from desktop_app.services import meetings as ms
from desktop_app.views.signin_scan import UNSURE
from tests.integration.test_signin_scan import meetings, save, signed_photo  # noqa: F401 - meetings is a fixture

TODAY = date(2025, 6, 10)


def _scan(db, meeting, tmp_path, seed=5):
    img, _ = signed_photo(db, meeting, seed=seed, walk_ins=0)
    return str(save(img, tmp_path / f"scan-{seed}.png"))


def _attendance(db, meeting_id):
    return {p.name: (p.status, p.reason) for p in ms.get(db, meeting_id).attendees}


def test_a_meeting_recorded_before_is_kept_unless_replace_and_the_counts_are_said(meetings, tmp_path, capsys):
    db, a, _ = meetings
    db_path = str(db.path or db.url)
    photo = _scan(db, a, tmp_path)
    assert main(["import", "signin-scan", photo, "--db", db_path]) == 0
    out = capsys.readouterr().out
    first = _attendance(db, a.id)
    present = sum(1 for status, _ in first.values() if status == r.PRESENT)
    assert f"会议 {a.number}：登记 {len(first)} 人（" in out and f"出席 {present} 人" in out
    # someone corrects one person by hand; the scan read again must not undo it silently
    who = ms.get(db, a.id).attendees[0]
    corrected = r.ABSENT if who.status == r.PRESENT else r.PRESENT
    ms.record_attendance(db, a.id, [ms.AttendanceEntry(corrected, "", attendance_id=who.id)], today=TODAY)
    kept = _attendance(db, a.id)
    files = len(ms.get(db, a.id).files)

    assert main(["import", "signin-scan", photo, "--db", db_path]) == 2
    err = capsys.readouterr().err
    assert f"会议 {a.number}" in err and f"已登记 {len(first)} 人的出勤" in err and "--replace" in err
    assert _attendance(db, a.id) == kept and len(ms.get(db, a.id).files) == files

    assert main(["import", "signin-scan", photo, "--replace", "--db", db_path]) == 0
    out = capsys.readouterr().out
    assert f"改写原有出勤：1 人有变动，{len(first) - 1} 人与原记录相同" in out
    assert _attendance(db, a.id) == first


def test_meeting_flag_refuses_a_page_of_another_meeting_by_its_name(meetings, tmp_path, capsys):
    db, a, other = meetings
    photo = _scan(db, other, tmp_path)
    assert main(["import", "signin-scan", photo, "--meeting", a.number, "--db", str(db.path or db.url)]) == 2
    err = capsys.readouterr().err
    assert f"是会议 {other.number} 的签到表，不是本次会议（{a.number}）的" in err and other.title in err
    assert ms.get(db, other.id).status == r.PLANNED and ms.get(db, a.id).status == r.PLANNED
    # the right meeting named: read and recorded
    assert main(["import", "signin-scan", photo, "--meeting", other.number, "--db", str(db.path or db.url)]) == 0
    assert ms.get(db, other.id).status == r.HELD


def test_unsure_boxes_are_listed_and_left_for_the_dialog(meetings, tmp_path, capsys, monkeypatch):
    db, a, _ = meetings
    photo = _scan(db, a, tmp_path)
    real = ms.read_scan

    def one_box_unsure(*args, **kwargs):  # a faint pencil mark the reader cannot decide
        proposal = real(*args, **kwargs)
        sheet = proposal.sheets[0]
        doubt = dataclasses.replace(sheet.lines[1], state=UNSURE, confidence=0.3)
        sheet = dataclasses.replace(sheet, lines=(sheet.lines[0], doubt, *sheet.lines[2:]))
        return dataclasses.replace(proposal, sheets=(sheet, *proposal.sheets[1:]))

    monkeypatch.setattr(ms, "read_scan", one_box_unsure)
    assert main(["import", "signin-scan", photo, "--db", str(db.path or db.url)]) == 0
    out = capsys.readouterr().out
    doubt = ms.get(db, a.id).attendees[1]
    assert f"待确认：会议 {a.number} {doubt.name}（第 2 行，看不准，未登记）" in out
    assert "看不准的 1 格未按扫描件登记" in out and "读取签到表扫描件" in out
    assert doubt.status == ""  # not guessed: the dialog decides it
    assert all(p.status for p in ms.get(db, a.id).attendees if p.id != doubt.id)
