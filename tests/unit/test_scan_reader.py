"""The scan reader on a small generated set: no database, just the printed sheet, signed and distorted."""

import random
from datetime import date

import cv2
import numpy as np
import pytest

from desktop_app.reports.signin import render_signin
from desktop_app.scan import PageError, ScanFileError, load_pages, read_file, read_image, read_pages
from desktop_app.views import signin_scan as layout
from desktop_app.views.meetings import SigninLine, SigninSheet
from desktop_app.views.signin_scan import SheetCode
from tests import scan_samples as samples

DPI = 200


@pytest.fixture(scope="module")
def pages():
    lines = tuple(SigninLine(f"党员{i:02d}", "第一党小组", attendance_id=f"a{i}") for i in range(30))
    sheet = SigninSheet("幸福里社区党委", "第一网格党支部", "支部党员大会", "学习", "320102001-2025-0008",
                        date(2025, 6, 6), lines=lines)
    return (samples.raster(render_signin(sheet, printed_on=date(2025, 6, 6)), DPI),
            samples.raster(render_signin(sheet, show_phones=True, printed_on=date(2025, 6, 6)), DPI))


@pytest.mark.parametrize("distortion", ["扫描 300dpi", "扫描 150dpi", "旋转 ±20°", "透视", "阴影", "手机照片"])
def test_every_cell_of_a_signed_page_is_read_right(pages, distortion):
    rng = random.Random(distortion)
    plain, phones = pages
    page = (plain + phones)[rng.randrange(4)]
    code = SheetCode.parse(samples.read_qr(page))
    named = min(30 - (code.first - 1), code.rows)
    img, truth = samples.sign_page(page, code, named, DPI, rng, walk_ins=2)
    reading = read_image(samples.DISTORTIONS[distortion](img, rng))
    assert reading.code == code
    assert [row.serial for row in reading.rows] == list(range(code.first, code.first + code.rows))
    assert [row.sign.marked for row in reading.rows] == truth.signed
    assert [row.leave.marked for row in reading.rows] == truth.leave
    assert all(row.sign.confidence >= 0.5 for row in reading.rows)
    assert reading.seconds < 2


def test_the_qr_code_carries_meeting_page_rows_and_layout():
    code = SheetCode("320102001-2025-0008", 2, 3, 28, 27, True, layout.names_hash(["王伟", "李芳"]), 170.0)
    assert SheetCode.parse(code.text()) == code
    for junk in ("320102001-2025-0008", "DQS1|x|0/1|1|27|N|abc|180.0", "DQS1|x|1/1|1|27|Q|abc|180.0", ""):
        assert SheetCode.parse(junk) is None
    assert layout.names_hash(["王伟", "李芳"]) != layout.names_hash(["李芳", "王伟"])


def test_the_marks_sit_beside_the_table_corners(pages):
    """Where views.signin_scan says: found again on the printed page by plain thresholding."""
    page = pages[0][0]
    px = DPI / 25.4
    ox, oy = samples.TABLE_ORIGIN_MM
    for x, y in layout.mark_centres(27):
        cx, cy = round((ox + x) * px), round((oy + y) * px)
        half = round(layout.MARK_MM / 2 * px) - 2
        assert page[cy - half:cy + half, cx - half:cx + half].max() < 60  # solid black
        # paper in the 2 mm gap between the mark and the table's side edge
        gap_x = round((ox + x + (1 if x < 0 else -1) * (layout.MARK_MM / 2 + layout.MARK_GAP_MM / 2)) * px)
        assert page[cy - half:cy + half, gap_x].min() > 200


def test_pages_without_a_sheet_are_reported_not_guessed(tmp_path):
    blank = np.full((1400, 1000), 255, np.uint8)
    with pytest.raises(PageError, match="空白页"):
        read_image(blank)
    old = samples.qr_image("320102001-2025-0008")  # a sheet printed before codes carried pages
    with pytest.raises(PageError, match="旧版"):
        read_image(old)
    path = tmp_path / "two.tif"
    cv2.imwritemulti(str(path), [blank, old])
    reading = read_file(path)
    assert not reading.pages and [u.index for u in reading.unreadable] == [1, 2]
    (tmp_path / "x.doc").write_text("x")
    with pytest.raises(ScanFileError, match="不是扫描件"):
        load_pages(tmp_path / "x.doc")
    with pytest.raises(ScanFileError, match="找不到文件"):
        load_pages(tmp_path / "missing.jpg")


def test_a_duplex_scans_blank_backs_are_called_blank_and_another_papers_page_is_asked_for_again(pages):
    """A feeder scanning both sides puts a blank page after every sheet: that is no fault of the scan and
    must not read as "take the photo again"; a printed page without the code still is told where the code is."""
    rng = random.Random(5)
    sheet = samples.scan(pages[0][0], rng)
    back = samples.noise(np.full(sheet.shape, 228, np.uint8), rng, 12)  # grey, grainy, empty
    back[200:203, 300:330] = 120  # a speck of dust
    other = np.full(sheet.shape, 245, np.uint8)  # another form: lines of text, no code
    for y in range(150, 2200, 60):
        cv2.putText(other, "Name  Group  Phone  Date", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 2)
    reading = read_pages([sheet, back, other])
    assert [p.index for p in reading.pages] == [1]
    reasons = {u.index: u.reason for u in reading.unreadable}
    assert "空白页" in reasons[2] and "二维码" not in reasons[2]
    assert "二维码" in reasons[3] and "空白页" not in reasons[3]
    # a 共建活动签到表 looks like a meeting's but has no code: photographing it again would never help
    assert "共建活动签到表和其他没有二维码的表格不能读取" in reasons[3]


def test_a_faint_pencil_signature_is_asked_about_never_read_as_a_sure_blank(pages):
    """A hard pencil at 150-200 dpi: its strokes, thinner than the reader's smoothing, come out lighter than
    ink. Read as a sure blank, the person would be recorded 缺席 with nobody asked."""
    rng = random.Random(8)
    page = pages[0][0]
    code = SheetCode.parse(samples.read_qr(page))
    img = page.copy()
    px = DPI / 25.4
    ox, oy = samples.TABLE_ORIGIN_MM
    left, right = layout.column(code.show_phones, layout.SIGN, code.width)
    faint = range(0, 20, 2)
    for r in faint:
        top = oy + layout.HEADER_ROW_MM + r * layout.ROW_MM
        x = (ox + left + 6) * px
        for _ in range(3):  # three characters of short thin grey strokes
            for _ in range(4):
                y = (top + rng.uniform(2.5, 5.5)) * px
                samples._stroke(img, [(x, y), (x + rng.uniform(1.5, 3.5) * px, y + rng.uniform(-1.5, 1.5) * px)],
                                0.3 * px, 180)
            x += 5 * px
    reading = read_image(samples.jpeg(samples.scan(img, rng, DPI, 150), rng, (70, 80)))
    for r, row in enumerate(reading.rows[:20]):
        if r in faint:
            assert row.sign.marked or row.sign.confidence < 0.5, (r, row.sign)  # signed, or asked
        else:
            assert not row.sign.marked and row.sign.confidence >= 0.5, (r, row.sign)  # blank paper stays sure
    assert sum(row.sign.confidence < 0.5 for row in reading.rows) > 0


def test_a_file_is_read_by_what_it_holds_and_an_empty_one_is_named(pages, tmp_path):
    """A 0-byte file (a copy cut off) is said to be empty, not an OpenCV assertion; a PDF saved as .jpg and a
    photo named .pdf are read as what they are."""
    (tmp_path / "签到表.jpg").write_bytes(b"")
    with pytest.raises(ScanFileError, match="“签到表.jpg”是空文件（0 字节），可能没有复制完整"):
        load_pages(tmp_path / "签到表.jpg")
    page = pages[0][0]
    ok, jpg = cv2.imencode(".jpg", page)
    (tmp_path / "photo.pdf").write_bytes(jpg.tobytes())
    from PIL import Image

    Image.fromarray(page).save(tmp_path / "scan.jpg", "PDF", resolution=DPI)
    for name in ("photo.pdf", "scan.jpg"):
        reading = read_file(tmp_path / name)
        assert [p.index for p in reading.pages] == [1] and not reading.unreadable, name


def test_a_thumbnail_is_told_to_be_sent_as_the_original(pages):
    """A photo passed on through a chat app shrinks; when its code is then too small to read, say why."""
    page = pages[0][0]
    f = 550 / max(page.shape)
    thumb = cv2.resize(page, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    with pytest.raises(PageError, match=r"图片只有 \d+×550 像素.*原图"):
        read_image(thumb)
