"""Signed sign-in sheets read back: a photo proposes, a person confirms, the scan is kept; wrong pages refused."""

import json
import random
from datetime import date

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, roster
from desktop_app.services import meetings as ms
from desktop_app.views.signin_scan import BLANK, LEAVE_MARK, SIGNED, SheetCode
from tests import scan_samples as samples

TODAY = date(2025, 6, 10)
NAMES = ["王伟", "李芳", "张娜", "刘敏", "陈静", "杨丽", "赵强", "黄磊"]
DPI = 200


@pytest.fixture
def meetings(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(NAMES):
        roster.create(db, MemberInput(
            name=name, org_id=b.id, id_number=idcard.make("320102", date(1960 + i, 1, 1), i, idcard.MALE),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=TODAY)
    a = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title="学习党章", meeting_date=date(2025, 6, 6)),
                today=date(2025, 6, 1))
    other = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.PARTY_LECTURE, title="廉政党课",
                                        meeting_date=date(2025, 6, 8)), today=date(2025, 6, 1))
    return db, a, other


def signed_photo(db, meeting, seed=1, distort=None, walk_ins=1):
    """The meeting's sheet printed, signed at random and photographed; returns (image, truth of named rows)."""
    page = samples.raster(ms.print_signin_sheet(db, meeting.number), DPI)[0]
    code = SheetCode.parse(samples.read_qr(page))
    rng = random.Random(seed)
    img, truth = samples.sign_page(page, code, len(NAMES), DPI, rng, walk_ins=walk_ins)
    if distort:
        img = distort(img, rng)
    return img, truth


def save(img, path):
    cv2.imwrite(str(path), img)
    return path


def test_a_phone_photo_proposes_and_a_confirmation_records_it_with_the_scan(meetings, tmp_path):
    db, a, _ = meetings
    img, truth = signed_photo(db, a, seed=3, distort=lambda im, rng: samples.rotate(
        samples.perspective(im, rng, 0.05), 12))
    photo = save(img, tmp_path / "签到表.jpg")
    proposal = ms.read_scan(db, photo, meeting_ref=a.id)
    assert not proposal.refused
    [sheet] = proposal.sheets
    assert sheet.meeting_id == a.id and sheet.unnamed_signatures == 1
    assert [line.name for line in sheet.lines] == [p.name for p in ms.get(db, a.id).attendees]
    for line, signed, leave in zip(sheet.lines, truth.signed, truth.leave):
        assert line.state == (SIGNED if signed else LEAVE_MARK if leave else BLANK), line
    # reading saved nothing
    assert ms.get(db, a.id).status == r.PLANNED and not ms.get(db, a.id).files
    ms.apply_scan(db, proposal, ms.confirmed_entries(proposal), today=TODAY)
    after = ms.get(db, a.id)
    assert after.status == r.HELD
    by_id = {p.id: p.status for p in after.attendees}
    for line in sheet.lines:
        assert by_id[line.attendance_id] == line.proposed_status
    assert [f.note for f in after.files] == ["签到表扫描件"]
    assert ms.attachment_path(db, after.files[0].id).read_bytes() == photo.read_bytes()


def test_a_feeder_pdf_is_split_by_qr_code_into_its_meetings(meetings, tmp_path):
    db, a, other = meetings
    pages = [signed_photo(db, m, seed=i, distort=lambda im, rng: samples.scan(im, rng, DPI, DPI))[0]
             for i, m in enumerate((a, other))]
    pdf = tmp_path / "feeder.pdf"
    first, *rest = [Image.fromarray(p) for p in pages]
    first.save(pdf, save_all=True, append_images=rest, resolution=DPI)
    proposal = ms.read_scan(db, pdf)
    assert [(s.meeting_id, s.scan_page) for s in proposal.sheets] == [(a.id, 1), (other.id, 2)]
    details = ms.apply_scan(db, proposal, ms.confirmed_entries(proposal), today=TODAY)
    assert {d.id for d in details} == {a.id, other.id}
    assert all(len(ms.get(db, m.id).files) == 1 for m in (a, other))


def test_a_page_of_another_meeting_is_refused_by_its_qr_code(meetings, tmp_path):
    db, a, other = meetings
    photo = save(signed_photo(db, other)[0], tmp_path / "other.png")
    with pytest.raises(ValidationError) as e:
        ms.read_scan(db, photo, meeting_ref=a.id)
    assert other.number in str(e.value) and a.number in str(e.value) and "不是本次会议" in str(e.value)


def test_a_sheet_printed_before_the_list_changed_is_refused(meetings, tmp_path):
    db, a, _ = meetings
    photo = save(signed_photo(db, a)[0], tmp_path / "old.png")
    ms.set_attendees(db, a.id, [p.member_id for p in ms.get(db, a.id).attendees][:-1])
    with pytest.raises(ValidationError, match="名单有变动"):
        ms.read_scan(db, photo)


def test_an_unreadable_photo_says_why_and_changes_nothing(meetings, tmp_path):
    db, a, _ = meetings
    before = ms.get(db, a.id)
    noise = np.random.default_rng(1).integers(0, 255, (1600, 1200), dtype=np.uint8)
    blurred = cv2.GaussianBlur(noise, (0, 0), 3)
    for path in (save(blurred, tmp_path / "blurry.jpg"), tmp_path / "not-an-image.jpg"):
        if not path.exists():
            path.write_bytes(b"not an image at all")
        with pytest.raises(ValidationError) as e:
            ms.read_scan(db, path, meeting_ref=a.id)
        assert "二维码" in str(e.value) or "图片" in str(e.value)
    assert ms.get(db, a.id) == before


def test_cli_prints_the_issue_json_and_dry_run_writes_nothing(meetings, tmp_path, capsys):
    db, a, _ = meetings
    img, truth = signed_photo(db, a, seed=5, walk_ins=2)
    photo = save(img, tmp_path / "scan.png")
    db_path = str(db.path or db.url)  # the db fixture's file or server database
    assert main(["import", "signin-scan", str(photo), "--dry-run", "--json", "--db", db_path]) == 0
    out = json.loads(capsys.readouterr().out)
    [page] = out["pages"]
    assert set(page) == {"meeting", "page", "attendees", "unnamed_signatures"}
    assert page["meeting"] == a.number and page["page"] == 1 and page["unnamed_signatures"] == 2
    assert [p["name"] for p in page["attendees"]] == [p.name for p in ms.get(db, a.id).attendees]
    assert [p["state"] for p in page["attendees"]] == [
        "签到" if s else "请假" if lv else "未签" for s, lv in zip(truth.signed, truth.leave)][:len(NAMES)]
    assert ms.get(db, a.id).status == r.PLANNED
    assert main(["import", "signin-scan", str(photo), "--db", db_path]) == 0
    out = capsys.readouterr().out
    assert "已登记：1 次会议" in out
    assert ms.get(db, a.id).status == r.HELD and len(ms.get(db, a.id).files) == 1
