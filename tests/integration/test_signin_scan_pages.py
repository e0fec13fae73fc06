"""A sign-in sheet printed by another community's program is refused with words that say so."""

from datetime import date

import cv2
import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster, site
from desktop_app.services.database import open_database
from tests import scan_samples as samples


def _meeting(db, day=date(2025, 6, 6)):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(("王伟", "李芳", "张娜")):
        roster.create(db, MemberInput(
            name=name, org_id=b.id, id_number=idcard.make("320102", date(1960 + i, 1, 1), i, idcard.MALE),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=date(2025, 6, 1))
    return ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=day),
                   today=date(2025, 6, 1))


@pytest.fixture
def other_community(tmp_path):
    other, _ = open_database(tmp_path / "other.db")
    site.init_site(other, "320102005", "和平里社区党委", "community", street_name="梅园街道党工委")
    yield other
    other.dispose()


def test_a_sheet_printed_by_another_community_says_whose_it_is(db, other_community, tmp_path):
    _meeting(db)
    theirs = _meeting(other_community)
    photo = tmp_path / "和平里.png"
    cv2.imwrite(str(photo), samples.raster(ms.print_signin_sheet(other_community, theirs.id), 150)[0])
    with pytest.raises(ValidationError) as caught:
        ms.read_scan(db, photo)
    message = str(caught.value)
    assert theirs.number in message
    assert "其他单位（代码 320102005）打印的" in message and "打印它的那台电脑" in message


def test_a_page_scanned_twice_is_read_once_and_the_copy_named(db, tmp_path):
    import random

    from desktop_app.views.signin_scan import SheetCode

    m = _meeting(db)
    page = samples.raster(ms.print_signin_sheet(db, m.id), 150)[0]
    code = SheetCode.parse(samples.read_qr(page))
    signed, _ = samples.sign_page(page, code, 3, 150, random.Random(1), walk_ins=1)
    path = tmp_path / "送纸器.tif"
    cv2.imwritemulti(str(path), [signed, samples.rotate(signed, 1.5, background=255)])
    proposal = ms.read_scan(db, path, meeting_ref=m.id)
    assert [s.scan_page for s in proposal.sheets] == [1]
    assert proposal.unnamed_of(m.id) == 1 and len(proposal.lines_of(m.id)) == 3
    assert len(ms.confirmed_entries(proposal)) == len({e.attendance_id for e in ms.confirmed_entries(proposal)})
    [copy] = proposal.refused
    assert copy.scan_page == 2 and "与第 1 页是同一页签到表" in copy.reason


def test_the_command_line_names_a_page_left_out_of_the_scan(db, tmp_path, capsys):
    import random

    from desktop_app.cli import main
    from desktop_app.views.signin_scan import SheetCode

    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    for i in range(30):
        roster.create(db, MemberInput(
            name=f"党员{i:02d}", org_id=b.id, id_number=idcard.make("320102", date(1940 + i, 1, 1), i, idcard.MALE),
            joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)), today=date(2025, 6, 1))
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title="学习党章", meeting_date=date(2025, 6, 6)),
                today=date(2025, 6, 1))
    first, second = samples.raster(ms.print_signin_sheet(db, m.id), 150)
    code = SheetCode.parse(samples.read_qr(first))
    img, _ = samples.sign_page(first, code, code.rows, 150, random.Random(4))
    photo = tmp_path / "第一页.png"
    cv2.imwrite(str(photo), img)
    assert main(["import", "signin-scan", str(photo), "--dry-run", "--db", str(db.path or db.url)]) == 0
    out = capsys.readouterr().out
    assert f"会议 {m.number}：签到表共 2 页，扫描件里没有第 2 页，那些页上的人未登记" in out


def test_another_meetings_sheet_says_which_meeting_to_choose(db, tmp_path):
    m = _meeting(db)
    other = ms.plan(db, ms.MeetingInput(org_id=m.org_id, kind=r.PARTY_LECTURE, title="廉政党课",
                                        meeting_date=date(2025, 6, 8)), today=date(2025, 6, 1))
    photo = tmp_path / "党课.png"
    cv2.imwrite(str(photo), samples.raster(ms.print_signin_sheet(db, other.id), 150)[0])
    with pytest.raises(ValidationError) as caught:
        ms.read_scan(db, photo, meeting_ref=m.id)
    assert f"请改按会议 {other.number}（2025-06-08 党课 廉政党课）读取" in str(caught.value)
