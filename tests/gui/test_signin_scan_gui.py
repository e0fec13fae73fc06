"""读取签到表扫描件 offscreen: the photo is read off the GUI thread, the dialog opens pre-filled, one click saves."""

import random
from datetime import date

import cv2
import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.attendance_dialog import COL_STATUS, UNSURE_COLOR, AttendanceDialog
from desktop_app.gui.meetings.page import MeetingsPage
from desktop_app.gui.meetings.scan_flow import read_signin_scan
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from desktop_app.views.signin_scan import UNSURE, ProposedLine, SheetCode
from tests import scan_samples as samples

NAMES = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆")


@pytest.fixture
def meeting(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(NAMES):
        roster.create(db, MemberInput(
            name=name, org_id=b.id, id_number=idcard.make("320102", date(1950 + i, 2, 1 + i), i, idcard.MALE),
            joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)))
    return ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date.today()))


def open_page(qtbot, app_ctx, wait_ops, meeting) -> MeetingsPage:
    """The 三会一课 page shown, the meeting selected, as a worker has it before 读取签到表扫描件."""
    p = MeetingsPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 720)
    p.show()
    wait_ops()
    assert p.select(meeting.id)
    return p


@pytest.fixture
def page(qtbot, app_ctx, meeting, wait_ops):
    return open_page(qtbot, app_ctx, wait_ops, meeting)


def test_a_photo_opens_the_dialog_pre_filled_and_one_click_saves(qtbot, page, meeting, wait_ops, tmp_path):
    db = page.ctx.db
    sheet = samples.raster(ms.print_signin_sheet(db, meeting.id), 200)[0]
    code = SheetCode.parse(samples.read_qr(sheet))
    img, truth = samples.sign_page(sheet, code, len(NAMES), 200, random.Random(4), walk_ins=1)
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), samples.rotate(img, -9))
    assert page.act_scan.isEnabled()
    read_signin_scan(page, str(photo))
    wait_ops()
    dlg = page.scan_dialog
    qtbot.addWidget(dlg)
    assert dlg.isVisible() and dlg.from_scan
    expected = [r.PRESENT if s else r.LEAVE if lv else r.ABSENT
                for s, lv in zip(truth.signed[:len(NAMES)], truth.leave)]
    assert [p.status for p in dlg.people] == expected
    assert "未识别的签名 1 处" in dlg.scan_note.text()
    dlg.grab().save(str(tmp_path / "scan_dialog.png"))
    dlg.accept()  # the one click
    wait_ops()
    d = ms.get(db, meeting.id)
    assert d.status == r.HELD and d.present == sum(truth.signed[:len(NAMES)])
    assert [f.note for f in d.files] == ["签到表扫描件"]
    assert "已登记出勤" in page.message.text()


def test_unsure_cells_are_highlighted_until_a_person_sets_them(qtbot, page, meeting, wait_ops):
    detail = ms.get(page.ctx.db, meeting.id)
    a = detail.attendees
    proposal = [ProposedLine(a[0].id, a[0].name, "签到", r.PRESENT, 0.9, 1),
                ProposedLine(a[1].id, a[1].name, UNSURE, r.ABSENT, 0.2, 2)]
    dlg = AttendanceDialog(page, detail, proposal, unnamed=2)
    qtbot.addWidget(dlg)
    from PySide6.QtCore import Qt

    item = dlg.model.index(1, COL_STATUS)
    assert item.data() == "缺席？" and item.data(Qt.ItemDataRole.BackgroundRole).name() == UNSURE_COLOR
    assert "1 人看不准" in dlg.summary.text() and "未识别的签名 2 处" in dlg.scan_note.text()
    assert dlg.model.index(0, COL_STATUS).data() == r.PRESENT
    dlg.table.setCurrentIndex(item)
    qtbot.keyClick(dlg.table, Qt.Key.Key_1)
    assert dlg.model.index(1, COL_STATUS).data() == r.PRESENT and "看不准" not in dlg.summary.text()


def test_a_page_of_another_meeting_is_refused_in_the_page(qtbot, page, meeting, wait_ops, tmp_path, error_boxes):
    db = page.ctx.db
    other = ms.plan(db, ms.MeetingInput(org_id=meeting.org_id, kind=r.PARTY_LECTURE, title="党课",
                                        meeting_date=date.today()))
    photo = tmp_path / "other.png"
    cv2.imwrite(str(photo), samples.raster(ms.print_signin_sheet(db, other.id), 150)[0])
    read_signin_scan(page, str(photo))
    wait_ops()
    assert getattr(page, "scan_dialog", None) is None
    assert len(error_boxes) == 1 and other.number in error_boxes[0] and "不是本次会议" in error_boxes[0]
    assert ms.get(db, meeting.id).status == r.PLANNED
