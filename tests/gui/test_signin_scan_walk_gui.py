"""读取签到表扫描件 as a worker meets it: the wait counts a long feeder scan's pages; walk-ins' rows are named."""

import random

import cv2
import numpy as np
from PIL import Image

from desktop_app.gui import ops
from desktop_app.gui.meetings.scan_flow import read_signin_scan
from desktop_app.services import meetings as ms
from desktop_app.views.signin_scan import SheetCode
from tests import scan_samples as samples
from tests.gui.test_signin_scan_gui import NAMES, meeting, page  # noqa: F401 - fixtures


def test_the_wait_counts_the_pages_of_a_pdf(qtbot, page, meeting, wait_ops, tmp_path, monkeypatch):  # noqa: F811
    db = page.ctx.db
    sheet = samples.raster(ms.print_signin_sheet(db, meeting.id), 150)[0]
    code = SheetCode.parse(samples.read_qr(sheet))
    rng = random.Random(6)
    signed, _ = samples.sign_page(sheet, code, len(NAMES), 150, rng)
    back = np.full(sheet.shape, 250, np.uint8)  # a duplex feeder's blank back side
    pdf = tmp_path / "feeder.pdf"
    first, *rest = [Image.fromarray(samples.scan(img, rng)) for img in (signed, back, back)]
    first.save(pdf, save_all=True, append_images=rest, resolution=150)
    reported = []
    real = ops.Job.report

    def report(job, done, total, text=None):
        reported.append((done, total, text))
        return real(job, done, total, text)

    monkeypatch.setattr(ops.Job, "report", report)
    read_signin_scan(page, str(pdf))
    wait_ops(30_000)
    assert reported == [(n, 3, f"正在读取签到表：已读 {n} / 3 页…") for n in (1, 2, 3)]
    dlg = page.scan_dialog
    qtbot.addWidget(dlg)
    assert "第 2、3 页：是空白页" in dlg.scan_note.text()
    dlg.reject()
    # a photo: one page, nothing to count
    reported.clear()
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), signed)
    read_signin_scan(page, str(photo))
    wait_ops(30_000)
    assert reported == [(1, 0, "正在读取签到表：已读 1 页…")]
    page.scan_dialog.reject()


def test_the_walk_ins_rows_are_named_and_a_meeting_recorded_before_is_said_to_be(qtbot, page, meeting, wait_ops, tmp_path):  # noqa: F811
    """"未识别的签名 2 处" alone sends the worker hunting over the paper; the rows' 序号 say where to look."""
    db = page.ctx.db
    sheet = samples.raster(ms.print_signin_sheet(db, meeting.id), 200)[0]
    code = SheetCode.parse(samples.read_qr(sheet))
    img, truth = samples.sign_page(sheet, code, len(NAMES), 200, random.Random(9), walk_ins=2)
    serials = [code.first + r for r in range(len(NAMES), code.rows) if truth.signed[r]]
    assert len(serials) == 2
    photo = tmp_path / "photo.png"
    cv2.imwrite(str(photo), img)
    read_signin_scan(page, str(photo))
    wait_ops(30_000)
    dlg = page.scan_dialog
    qtbot.addWidget(dlg)
    assert f"未识别的签名 2 处</b>（签到表序号 {serials[0]}、{serials[1]}）" in dlg.scan_note.text()
    assert "已登记过出勤" not in dlg.scan_note.text()
    dlg.accept()
    wait_ops(30_000)
    # read again (a correction): the worker is told that saving replaces what is recorded
    present = ms.get(db, meeting.id).present
    read_signin_scan(page, str(photo))
    wait_ops(30_000)
    again = page.scan_dialog
    qtbot.addWidget(again)
    assert again is not dlg
    assert f"这次会议已登记过出勤</b>（实到 {present} 人）：保存后按下面核对的结果改写" in again.scan_note.text()
    again.reject()
