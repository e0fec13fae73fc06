"""核对签到表 as a worker meets it: a sheet scanned without its second page, the unsigned copy scanned by
mistake, a member excused from 应到, and 取消 that leaves everything as it was."""

import json
import random
from datetime import date

import cv2
import pytest
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.meetings.scan_flow import read_signin_scan
from desktop_app.services import meetings as ms
from desktop_app.services import membership, orgs, roster
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.signin_scan import SheetCode
from tests import scan_samples as samples
from tests.gui.test_signin_scan_gui import open_page as _page

DPI = 150
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"


def _branch(db, people: int):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    ids = [roster.create(db, MemberInput(
        name=f"{SURNAMES[i]}建华", org_id=b.id, id_number=idcard.make("320102", date(1940 + i % 20, 3, 1 + i % 28), i, idcard.MALE),
        joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1))).id for i in range(people)]
    return b, ids


def _theme_day(db, people: int):
    b, ids = _branch(db, people)
    return ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date.today())), ids


def _signed(db, meeting, seed: int, p_signed: float):
    """The meeting's first sheet page, signed at random: (image, truth)."""
    sheet = samples.raster(ms.print_signin_sheet(db, meeting.id), DPI)[0]
    code = SheetCode.parse(samples.read_qr(sheet))
    return samples.sign_page(sheet, code, code.rows, DPI, random.Random(seed), p_signed=p_signed)


def _read(qtbot, page, wait_ops, img, path):
    cv2.imwrite(str(path), img)
    read_signin_scan(page, str(path))
    wait_ops()
    dlg = page.scan_dialog
    qtbot.addWidget(dlg)
    return dlg


def _audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_a_scan_without_the_sheets_second_page_says_so(qtbot, app_ctx, wait_ops, tmp_path):
    db = app_ctx.db
    b, _ = _branch(db, 30)
    meeting = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.BRANCH_CONGRESS, title="学习党章",
                                          meeting_date=date.today()))
    pages = samples.raster(ms.print_signin_sheet(db, meeting.id), DPI)
    assert len(pages) == 2
    code = SheetCode.parse(samples.read_qr(pages[0]))
    img, _ = samples.sign_page(pages[0], code, code.rows, DPI, random.Random(2))
    page = _page(qtbot, app_ctx, wait_ops, meeting)
    dlg = _read(qtbot, page, wait_ops, img, tmp_path / "第一页.png")
    dlg.grab().save(str(tmp_path / "missing_page.png"))
    note = dlg.scan_note.text()
    assert "签到表共 2 页，扫描件里没有第 2 页" in note
    assert "即可" not in note  # not "check and save": the second page's people are not read at all
    unread = 30 - code.rows
    assert f"{unread} 人没有预填" in note


def test_an_unsigned_sheet_is_questioned_before_everyone_is_recorded_absent(qtbot, app_ctx, wait_ops, tmp_path):
    db = app_ctx.db
    meeting, _ = _theme_day(db, 6)
    blank = samples.raster(ms.print_signin_sheet(db, meeting.id), DPI)[0]
    page = _page(qtbot, app_ctx, wait_ops, meeting)
    dlg = _read(qtbot, page, wait_ops, blank, tmp_path / "未签.png")
    dlg.grab().save(str(tmp_path / "unsigned.png"))
    note = dlg.scan_note.text()
    assert "没有一个人签到" in note and "即可" not in note
    assert [p.status for p in dlg.people] == [r.ABSENT] * 6


def test_the_dialog_counts_an_excused_member_out_of_yingdao_as_the_sheet_does(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    b, ids = _branch(db, 6)
    membership.add_exemption(db, ids[0], date(2020, 1, 1), None, "长期外出")
    meeting = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日",
                                          meeting_date=date.today()))
    detail = ms.get(db, meeting.id)
    assert detail.expected == 5
    dlg = AttendanceDialog(None, detail)
    qtbot.addWidget(dlg)
    assert "应到 5 人" in dlg.summary.text() and "未登记 5 人" in dlg.summary.text()
    dlg.mark_all_present()
    assert "应到 6 人，实到 6 人" in dlg.summary.text()  # came after all: counted, as the meeting list counts them
    excused = next(i for i, p in enumerate(dlg.people) if p.attendance_id == detail.attendees[0].id)
    dlg.set_status(excused, r.LEAVE)
    assert "应到 5 人，实到 5 人" in dlg.summary.text()


def test_cancel_records_nothing_and_confirm_records_with_the_audit_trail(qtbot, app_ctx, wait_ops, tmp_path):
    db = app_ctx.db
    meeting, _ = _theme_day(db, 6)
    img, truth = _signed(db, meeting, 8, 0.7)
    page = _page(qtbot, app_ctx, wait_ops, meeting)
    audited = _audit_count(db)
    dlg = _read(qtbot, page, wait_ops, samples.rotate(img, 180, background=255), tmp_path / "倒放.jpg")
    dlg.set_status(0, r.LEAVE)  # a correction, then 取消
    dlg.reject()
    wait_ops()
    d = ms.get(db, meeting.id)
    assert d.status == r.PLANNED and not d.files and all(not a.status for a in d.attendees)
    assert _audit_count(db) == audited
    dlg = _read(qtbot, page, wait_ops, img, tmp_path / "签到表.jpg")
    dlg.set_status(0, r.ABSENT)  # the worker corrects the first row by hand
    dlg.accept()
    wait_ops()
    d = ms.get(db, meeting.id)
    assert d.status == r.HELD and d.attendees[0].status == r.ABSENT
    with db.session() as s:
        trail = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "attendance")).all()
    changed = {e.row_id: json.loads(e.after_json or "{}") for e in trail}
    assert changed[d.attendees[0].id].get("status") == r.ABSENT
    assert len([e for e in trail if e.action == "update"]) == 6


def test_the_scanned_row_is_shown_beside_the_list_so_a_doubt_is_decided_without_the_paper(
        qtbot, app_ctx, wait_ops, tmp_path):
    import numpy as np

    from desktop_app.gui.meetings.attendance_dialog import COL_STATUS

    db = app_ctx.db
    meeting, _ = _theme_day(db, 6)
    img, truth = _signed(db, meeting, 3, 0.5)
    page = _page(qtbot, app_ctx, wait_ops, meeting)
    dlg = _read(qtbot, page, wait_ops, samples.rotate(img, 7), tmp_path / "照片.jpg")
    assert dlg.scan_row.isVisible()
    signed = truth.signed.index(True)
    dlg.table.setCurrentIndex(dlg.model.index(signed, COL_STATUS))
    shown = dlg.scan_row.pixmap().toImage().convertToFormat(dlg.scan_row.pixmap().toImage().Format.Format_Grayscale8)
    assert shown.width() > 4 * shown.height() > 0  # the row, from 姓名 to 请假
    dark = np.frombuffer(shown.constBits(), np.uint8, shown.sizeInBytes()).reshape(shown.height(), -1)[:, :shown.width()]
    assert (dark < 128).mean() > 0.01  # the name and the signature are in it
    assert f"第 {signed + 1} 行" in dlg.scan_row_title.text()
    dlg.grab().save(str(tmp_path / "row.png"))
    plain = AttendanceDialog(None, ms.get(db, meeting.id))  # 登记出勤 without a scan: no such pane
    qtbot.addWidget(plain)
    plain.show()
    assert not plain.scan_row.isVisible()
