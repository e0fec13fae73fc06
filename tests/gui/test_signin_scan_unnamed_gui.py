"""核对签到表: a walk-in's signature on a blank row is shown as scanned, so the secretary names the person from
the picture (添加列席…) instead of hunting for the paper; the line counts how many have been named."""

import random

import cv2
import numpy as np
from PySide6.QtCore import Qt

from desktop_app.domain import meetings as r
from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.meetings.scan_flow import read_signin_scan
from desktop_app.services import meetings as ms
from desktop_app.views.signin_scan import SheetCode, UnnamedRow
from tests import scan_samples as samples
from tests.gui.test_signin_scan_gui import NAMES, meeting, page  # noqa: F401 - fixtures


def _dark_share(label) -> float:
    image = label.pixmap().toImage().convertToFormat(label.pixmap().toImage().Format.Format_Grayscale8)
    assert image.width() > 4 * image.height() > 0  # a row, from 姓名 to 请假
    grey = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(image.height(), -1)
    return float((grey[:, :image.width()] < 128).mean())


def _two_walk_ins(db, meeting, path):
    """The sheet signed with two walk-ins on its blank rows, photographed a little askew: (file, their 序号)."""
    printed = samples.raster(ms.print_signin_sheet(db, meeting.id), 200)[0]
    code = SheetCode.parse(samples.read_qr(printed))
    signed, truth = samples.sign_page(printed, code, len(NAMES), 200, random.Random(9), walk_ins=2)
    cv2.imwrite(str(path), samples.rotate(signed, 6))
    walk_ins = [code.first + i for i, ink in enumerate(truth.signed) if ink and i >= len(NAMES)]
    assert len(walk_ins) == 2
    return path, walk_ins


def _name_walk_in(qtbot, dlg, button, name: str) -> None:
    """As a keyboard user does it: Space on the row's entry, Space on 添加列席…, type the name, Enter."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert dlg.focusWidget() is dlg.name_walk_in and dlg.name_walk_in.isVisible()
    qtbot.keyClick(dlg.name_walk_in, Qt.Key.Key_Space)
    assert dlg.focusWidget() is dlg.guest_edit and dlg.guest_edit.text() == ""  # nothing pre-filled
    dlg.guest_edit.insert(name)  # typed through the input method: QTest cannot key in Chinese
    qtbot.keyClick(dlg.guest_edit, Qt.Key.Key_Return)


def test_each_signed_blank_row_is_shown_and_named_as_a_guest(qtbot, page, meeting, wait_ops, tmp_path, shot):  # noqa: F811
    db = page.ctx.db
    photo, serials = _two_walk_ins(db, meeting, tmp_path / "photo.png")
    read_signin_scan(page, str(photo))
    wait_ops(30_000)
    dlg = page.scan_dialog
    qtbot.addWidget(dlg, before_close_func=lambda d: d.reject())
    assert [b.text() for b in dlg.unnamed_buttons] == [f"序号 {n}：查看签名" for n in serials]
    assert dlg.unnamed_count.text() == "已补登 0/2"
    assert "点下面的“序号…：查看签名”" in dlg.scan_note.text()
    assert not dlg.name_walk_in.isVisible()  # a named row is current: nothing to add from it

    first, second = dlg.unnamed_buttons
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert dlg.scan_row_title.text() == f"签到表序号 {serials[0]}（空白行）："
    assert _dark_share(dlg.scan_row) > 0.01  # the walk-in's name and signature are in it
    shot(dlg, "scan_unnamed_row.png")
    # a named person chosen in the list takes the picture back, and 添加列席… goes with the blank row
    dlg.table.setCurrentIndex(dlg.model.index(1, 0))
    assert f"第 2 行（{dlg.people[1].name}）" in dlg.scan_row_title.text() and not dlg.name_walk_in.isVisible()

    _name_walk_in(qtbot, dlg, first, "吴老师（区委党校）")
    assert dlg.isVisible()  # Enter in the name adds the guest; it does not save the dialog
    assert (dlg.people[-1].name, dlg.people[-1].status, dlg.people[-1].unit) == ("吴老师", r.GUEST, "区委党校")
    assert dlg.unnamed_count.text() == "已补登 1/2"
    _name_walk_in(qtbot, dlg, second, "郑晓")
    assert dlg.scan_row_title.text() == f"签到表序号 {serials[1]}（空白行）："
    assert "已补登 2/2" in dlg.unnamed_count.text() and "都已添加为列席" in dlg.unnamed_count.text()
    qtbot.wait(20)  # the bar lays out its longer line, as on screen
    shot(dlg, "scan_unnamed_named.png")

    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20_000)
    guests = [(a.name, a.status) for a in ms.get(db, meeting.id).attendees if a.is_guest]
    assert guests == [("吴老师", r.GUEST), ("郑晓", r.GUEST)]


def test_a_blank_row_without_a_picture_is_listed_by_its_serial_only(qtbot, page, meeting):  # noqa: F811
    """A proposal that knows where a walk-in signed but has no picture of it: the 序号 says where on the paper."""
    detail = ms.get(page.ctx.db, meeting.id)
    dlg = AttendanceDialog(None, detail, [], 2, unnamed_rows=(UnnamedRow(21), 22))
    qtbot.addWidget(dlg)
    assert [(b.text(), b.isEnabled()) for b in dlg.unnamed_buttons] == [("序号 21", False), ("序号 22", False)]
    assert "请在下面“添加列席”填写姓名" in dlg.scan_note.text()
