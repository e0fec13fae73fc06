"""A sign-in sheet's scan as a worker meets it: a file too big to keep, the same scan read again, a feeder's
blank backs and another meeting's pages."""

import cv2
import numpy as np
import pytest

from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.cli import main
from desktop_app.services import attachments
from desktop_app.services import meetings as ms
from tests.integration.test_signin_scan import TODAY, meetings, save, signed_photo  # noqa: F401 - fixture


def test_a_scan_too_big_to_keep_is_refused_before_it_is_read(meetings, tmp_path, monkeypatch):  # noqa: F811
    """Refused only on saving, the worker would have checked every row of a long feeder scan for nothing."""
    db, a, _ = meetings
    img, _ = signed_photo(db, a, seed=2)
    photo = save(img, tmp_path / "扫描.png")
    monkeypatch.setattr(attachments, "MAX_BYTES", photo.stat().st_size - 1)  # 50 MB, scaled to this file
    read = []
    import desktop_app.scan as scan

    monkeypatch.setattr(scan, "read_file", lambda *args, **kw: read.append(args))
    with pytest.raises(ValidationError, match=r"“扫描\.png”有 .* MB，超过会议附件的上限.*未读取：请分成几个文件扫描"):
        ms.read_scan(db, photo, meeting_ref=a.id)
    assert not read  # not a page was read


def test_the_same_scan_applied_again_is_kept_once_and_the_correction_recorded(meetings, tmp_path):  # noqa: F811
    db, a, _ = meetings
    img, _ = signed_photo(db, a, seed=3)
    photo = save(img, tmp_path / "签到表.png")
    proposal = ms.read_scan(db, photo, meeting_ref=a.id)
    ms.apply_scan(db, proposal, ms.confirmed_entries(proposal), today=TODAY)
    # the worker sees a mistake, reads the same scan again and corrects one person
    again = ms.read_scan(db, photo, meeting_ref=a.id)
    entries = ms.confirmed_entries(again)
    first = entries[0]
    corrected = r.ABSENT if first.status == r.PRESENT else r.PRESENT
    entries[0] = ms.AttendanceEntry(corrected, "", attendance_id=first.attendance_id)
    ms.apply_scan(db, again, entries, today=TODAY)
    after = ms.get(db, a.id)
    assert [f.note for f in after.files] == ["签到表扫描件"]  # one copy, not one per reading
    assert {p.id: p.status for p in after.attendees}[first.attendance_id] == corrected
    # another scan of the same meeting (a second photo) is kept beside the first
    other = ms.read_scan(db, save(signed_photo(db, a, seed=4)[0], tmp_path / "补拍.png"), meeting_ref=a.id)
    ms.apply_scan(db, other, ms.confirmed_entries(other), today=TODAY)
    assert sorted(f.file_name for f in ms.get(db, a.id).files) == ["签到表.png", "补拍.png"]


def test_pages_refused_for_one_reason_are_named_in_one_line(meetings, tmp_path):  # noqa: F811
    """A duplex feeder's blank backs and another meeting's pages, one line each: the confirming dialog keeps its
    room for the people."""
    db, a, other = meetings
    mine = signed_photo(db, a, seed=5)[0]
    theirs = signed_photo(db, other, seed=6)[0]
    back = np.full(mine.shape, 245, np.uint8)
    scan = tmp_path / "feeder.tif"
    cv2.imwritemulti(str(scan), [mine, back, theirs, back, theirs, back])
    proposal = ms.read_scan(db, scan, meeting_ref=a.id)
    assert [s.scan_page for s in proposal.sheets] == [1]
    reasons = [r.reason for r in proposal.refused]
    assert len(reasons) == 2, reasons
    assert reasons[0].startswith("第 2、4、6 页：是空白页")
    assert reasons[1].startswith(f"第 3、5 页是会议 {other.number} 的签到表，不是本次会议（{a.number}）的")


def test_the_command_line_names_the_walk_ins_rows(meetings, tmp_path, capsys):  # noqa: F811
    db, a, _ = meetings
    photo = save(signed_photo(db, a, seed=5, walk_ins=2)[0], tmp_path / "scan.png")
    serials = ms.read_scan(db, photo, meeting_ref=a.id).unnamed_serials_of(a.id)
    assert len(serials) == 2
    assert main(["import", "signin-scan", str(photo), "--dry-run", "--db", str(db.path or db.url)]) == 0
    assert (f"未识别的签名 2 处（序号 {serials[0]}、{serials[1]} 的空白行上有签名，请在程序里补登）"
            in capsys.readouterr().out)
