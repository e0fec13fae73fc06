"""核对签到表 opens as tall as the screen's free room: at 1366×768 with a taskbar, long notes above the list
no longer leave room for ~8 people only."""

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QRect

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.widgets import fit
from desktop_app.services import meetings as ms
from desktop_app.services import roster
from desktop_app.views.signin_scan import SIGNED, UNSURE, ProposedLine
from tests.gui.test_signin_scan_gui import meeting  # noqa: F401 - a fixture

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"
LAPTOP = QRect(0, 0, 1366, 768 - 40)  # 1366×768 less a 40 px taskbar, as availableGeometry gives it


@pytest.fixture
def detail(app_ctx, meeting):
    """The scan tests' meeting of six, with 24 more on its list: a branch whose list runs past the screen."""
    db = app_ctx.db
    six = ms.get(db, meeting.id)
    template = MemberInput(name="", org_id=six.org_id, joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1))
    people = [p.member_id for p in six.attendees]
    for i, surname in enumerate(SURNAMES):
        born = date(1940 + i, 3, 1)
        more = dataclasses.replace(template, name=f"{surname}建华", id_number=idcard.make("320102", born, i, idcard.MALE))
        people.append(roster.create(db, more).id)
    ms.set_attendees(db, meeting.id, people)
    return ms.get(db, meeting.id)


def review(qtbot, detail) -> AttendanceDialog:
    """The dialog as a scan with every note opens it: an unsure box, walk-ins, a page missing, pages refused."""
    lines = [ProposedLine(a.id, a.name, UNSURE if n == 2 else SIGNED, r.PRESENT, 0.3 if n == 2 else 0.9, n)
             for n, a in enumerate(detail.attendees[:20], start=1)]
    notes = ["第 3、5、7 页：没有找到签到表上的二维码，未读取：请把整张签到表（连同右上角的二维码）拍全后再读取",
             "第 4 页是会议 X-2025-009 的签到表，不是本次会议的，未读取：请改按会议 X-2025-009 读取"]
    dlg = AttendanceDialog(None, detail, lines, 2, notes, sheet_pages=(2, (2,)), unnamed_rows=(21, 22))
    qtbot.addWidget(dlg)
    return dlg


def visible_rows(dlg: AttendanceDialog) -> int:
    return dlg.table.viewport().height() // dlg.table.verticalHeader().defaultSectionSize()


def test_the_review_opens_as_tall_as_a_laptop_screen_allows(qtbot, detail, monkeypatch, shot):
    monkeypatch.setattr(fit, "room_for", lambda widget: LAPTOP)
    dlg = review(qtbot, detail)
    assert dlg.height() == LAPTOP.height() - fit.FRAME and dlg.width() == 760
    dlg.show()
    qtbot.waitExposed(dlg)
    assert visible_rows(dlg) >= 10, visible_rows(dlg)  # was 8 at the fixed 620
    shot(dlg, "scan_review_1366x768.png")


def test_a_tall_screen_stops_at_a_readable_height_and_a_small_one_is_not_overrun(monkeypatch):
    assert fit.tall_size(QRect(0, 0, 1920, 1040), 760, 620, 900).height() == 900
    assert fit.tall_size(QRect(0, 0, 1024, 728), 760, 620, 900).height() == 728 - fit.FRAME
    small = fit.tall_size(QRect(0, 0, 700, 560), 760, 620, 900)
    assert (small.width(), small.height()) == (700 - 16, 560 - fit.FRAME)
    assert fit.tall_size(None, 760, 620, 900).toTuple() == (760, 620)
