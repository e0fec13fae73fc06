"""The sign-in sheet's head with a long place: 主持人 and 应到 still print, clear of the 编号 under the QR code."""

from datetime import date

import pypdfium2 as pdfium
import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from tests.pdf_text import shipped_font, text_box  # noqa: F401 - the fixture is used by name

PLACE = "幸福里社区党群服务中心三楼多功能会议室（东侧电梯上楼右转第二间）"


pytestmark = pytest.mark.usefixtures("shipped_font")


def test_a_long_place_gives_way_to_the_host_and_the_count(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(("王建国", "李秀英")):
        roster.create(db, MemberInput(name=name, org_id=b.id,
                                      id_number=idcard.make("320102", date(1950 + i, 2, 1), i, idcard.MALE),
                                      joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title="支部党员大会",
                                    meeting_date=date(2026, 3, 2), place=PLACE, host="张三丰（社区党委书记）"))
    page = pdfium.PdfDocument(ms.print_signin_sheet(db, m.id))[0]
    host, count = text_box(page, "主持人：张三丰（社区党委书记）"), text_box(page, "应到：2 人")
    number = text_box(page, "编号")
    assert count[2] < number[0]  # the line ends before the 编号 begins
    assert host[0] < count[0]
    text_box(page, "会议地点：幸福里社区")  # the place is shortened, not dropped


def test_a_usual_room_name_prints_whole_with_host_lecturer_and_count(db):
    """A center's usual place, 16 characters, printed whole on a 党课's sheet: the 主持人 and 授课人 stand on
    the time's line, which has room, so the place's line is left to the place and the count."""
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="王建国", org_id=b.id,
                                  id_number=idcard.make("320102", date(1950, 2, 1), 1, idcard.MALE),
                                  joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.PARTY_LECTURE, title="书记讲党课",
                                    meeting_date=date(2026, 12, 20), place="桂花园社区党群服务中心二楼会议室",
                                    host="李书记", lecturer="李书记"))
    page = pdfium.PdfDocument(ms.print_signin_sheet(db, m.id))[0]
    place = text_box(page, "会议地点：桂花园社区党群服务中心二楼会议室")
    count, number = text_box(page, "应到：1 人"), text_box(page, "编号")
    assert place[2] < count[0] < count[2] < number[0]
    when, host = text_box(page, "会议时间："), text_box(page, "主持人：李书记")
    assert abs(host[1] - when[1]) < 1 and host[0] > when[2]  # on the time's line, after it
    text_box(page, "授课人：李书记")
