"""One page image → the sheet's code and the ink in each row's name, signature and leave cells.

The QR code says which meeting, page and rows the page holds, and its four corners give a
first estimate of where the page lies in the photo. That estimate finds the four solid
registration squares beside the table's corners, one after another (nearest first, each
improving the next guess); with all eight points the table is warped flat at a fixed
scale, where every cell sits where views.signin_scan says it does. A cell's ink is
measured against its local paper brightness, so shadows and a phone's uneven light do not
read as signatures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import numpy as np

from desktop_app.views import signin_scan as layout
from desktop_app.views.signin_scan import CellReading, PageReading, RowReading, ScanReading, SheetCode, UnreadablePage

WORK_LONG_SIDE = 2000  # px: ~170 dpi for A4, plenty for 8 mm rows and a 22 mm QR code
PX_PER_MM = 5.0  # the flattened table
SIGN_INSET = (1.6, 1.3)  # mm kept clear of the grid lines (x, y): a slightly bent page must not read as ink
INK_RATIO = 0.72  # darker than this share of the local paper brightness is ink (a pencil's grey too)
INK_SIGNED = 0.020  # share of a cell's inner area: at or above, signed
INK_BLANK = 0.006  # below, blank; between the two, unsure
INK_LEAVE = 0.030  # the 请假 column holds printed text for leave asked in advance: a bar set higher
SMALL_LONG_SIDE = 1000  # px: below this a page whose code cannot be read is too small rather than unclear
FAINT_RATIO = 0.86  # a lighter grey than ink, still well below paper: a pencil's faint strokes
FAINT_SHARE = 0.010  # of a 签到 cell in that grey: something is written there (blank paper measures 0)
BLANK_INK = 0.001  # share of a page's pixels that are ink: below, the page is blank (a sheet's grid alone is ~3%)


class PageError(Exception):
    """This page cannot be read; the message says why in words a secretary can act on."""


def _cv():
    import cv2  # loaded on the first read, not at start-up

    return cv2


def _work_image(gray: np.ndarray) -> np.ndarray:
    cv2 = _cv()
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape[:2]
    scale = WORK_LONG_SIDE / max(h, w)
    if scale < 1:
        gray = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(gray)


def _qr(img: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The sheet's QR code: its text and corners (top-left, top-right, bottom-right, bottom-left)."""
    import zxingcpp

    cv2 = _cv()
    other = None  # a QR code that is not a sheet's: said so rather than "none found"
    for candidate in (img, cv2.equalizeHist(img)):
        for r in zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormat.QRCode):
            if not r.valid:
                continue
            p = r.position
            pts = np.array([(q.x, q.y) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)],
                           dtype=np.float64)
            if r.text.startswith(layout.PAYLOAD_TAG):
                return r.text, pts
            other = other or (r.text, pts)
    # OpenCV's detector as a second opinion: it sometimes reads a code zxing's locator misses.
    text, pts, _ = cv2.QRCodeDetector().detectAndDecode(img)
    if text and pts is not None:
        found = text, pts.reshape(4, 2).astype(np.float64)
        if text.startswith(layout.PAYLOAD_TAG):
            return found
        other = other or found
    return other


def _is_blank(img: np.ndarray) -> bool:
    """Nothing printed or written: a duplex feeder's back side, an empty sheet pulled along. Ink is measured
    against the local paper brightness (a grey scan, a shadow or a show-through is still blank paper)."""
    cv2 = _cv()
    smooth = cv2.GaussianBlur(img, (5, 5), 0)  # a cheap camera's grain is not ink
    paper = cv2.dilate(smooth, cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31)))
    ink = smooth.astype(np.float32) < INK_RATIO * paper.astype(np.float32)
    # and paper-light: a featureless grey picture (a photo of nothing in focus) is not called an empty page
    return np.count_nonzero(ink) < BLANK_INK * img.size and float(np.median(smooth)) > 140


def _project(h: np.ndarray, pts) -> np.ndarray:
    pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    ones = np.hstack([pts, np.ones((len(pts), 1))])
    out = ones @ h.T
    return out[:, :2] / out[:, 2:3]


def _homography(src, dst) -> np.ndarray:
    cv2 = _cv()
    h, _ = cv2.findHomography(np.asarray(src, dtype=np.float64), np.asarray(dst, dtype=np.float64), 0)
    if h is None:
        raise PageError("无法确定页面位置：请整页拍摄，避免过度倾斜")
    return h


def _find_mark(img: np.ndarray, h: np.ndarray, centre_mm: tuple[float, float], radius_mm: float):
    """The registration square near where `h` expects it: its centre in image pixels, or None."""
    cv2 = _cv()
    cx, cy = centre_mm
    c, dx, dy = _project(h, [(cx, cy), (cx + 1, cy), (cx, cy + 1)])
    px_per_mm = (np.linalg.norm(dx - c) + np.linalg.norm(dy - c)) / 2
    r = radius_mm * px_per_mm
    x0, y0 = max(int(c[0] - r), 0), max(int(c[1] - r), 0)
    x1, y1 = min(int(c[0] + r), img.shape[1]), min(int(c[1] + r), img.shape[0])
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    window = img[y0:y1, x0:x1]
    blur = cv2.GaussianBlur(window, (3, 3), 0)
    _, binary = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    side = layout.MARK_MM * px_per_mm
    best, best_score = None, None
    for i in range(1, count):
        ink = stats[i, cv2.CC_STAT_AREA]  # pixels actually dark: a ring (0, O) has few for its size
        if not (0.45 * side * side <= ink <= 2.2 * side * side):
            continue
        x, y, w, hh = (stats[i, k] for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH,
                                              cv2.CC_STAT_HEIGHT))
        ys, xs = np.nonzero(labels[y:y + hh, x:x + w] == i)
        (_, _), (rw, rh), _ = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
        rw, rh = rw + 1, rh + 1  # pixel centres to pixel edges
        if max(rw, rh) / min(rw, rh) > 1.45 or ink / (rw * rh) < 0.8:  # a filled square, not a glyph
            continue
        pos = np.array([centroids[i][0] + x0, centroids[i][1] + y0])
        score = np.linalg.norm(pos - c)
        if best_score is None or score < best_score:
            best, best_score = pos, score
    return best


def _locate(img: np.ndarray, code: SheetCode, qr: np.ndarray) -> np.ndarray:
    """Homography from table millimetres to image pixels, from the QR code and the four marks."""
    src = list(layout.qr_corners(code.width))
    dst = [tuple(p) for p in qr]
    h = _homography(src, dst)
    marks = layout.mark_centres(code.rows, code.width)
    # top-right sits beside the QR code; then across the top; then down, where perspective has most play.
    # A window twice as wide is tried when the first misses: a steep photo bends the first guess most.
    found: list[int] = []
    for i, radius in ((1, 14.0), (0, 30.0), (2, 45.0), (3, 45.0)):
        pos = _find_mark(img, h, marks[i], radius)
        if pos is None:
            pos = _find_mark(img, h, marks[i], 2 * radius)
        if pos is None:
            continue
        src.append(marks[i])
        dst.append(tuple(pos))
        found.append(i)
        h = _homography(src, dst)
    if len(found) < 3:
        raise PageError("找不到表格四角的定位方块：请拍全整张表格（四个角都要在画面里）")
    # The marks, not the small QR code, fix the table: they must agree with one plane. If one does not
    # (something else dark was taken for it), the other three decide.
    tries = [list(range(len(found)))] + ([[k for k in range(4) if k != j] for j in range(4)] if len(found) == 4 else [])
    for keep in tries:
        s_pts = src[:4] + [src[4 + k] for k in keep]
        d_pts = dst[:4] + [dst[4 + k] for k in keep]
        h = _homography(s_pts, d_pts)
        err = np.linalg.norm(_project(h, s_pts[4:]) - np.array(d_pts[4:]), axis=1).max()
        c, dx = _project(h, [(code.width / 2, 100), (code.width / 2 + 1, 100)])
        if err <= 2.5 * np.linalg.norm(dx - c):  # within 2.5 mm
            return h
    raise PageError("页面弯折或变形过大，无法可靠读取：请把纸压平后重新拍摄或扫描")


def _flatten(img: np.ndarray, h: np.ndarray, rows: int, table_width: float) -> np.ndarray:
    """The table region warped to PX_PER_MM, origin at (-8 mm, -2 mm), as paper brightness ratio (1 = paper)."""
    cv2 = _cv()
    k = PX_PER_MM
    x_off, y_off = -8.0, -2.0
    width = int((table_width + 16) * k)
    height = int((layout.table_height(rows) + 4) * k)
    t = np.array([[1 / k, 0, x_off], [0, 1 / k, y_off], [0, 0, 1]])
    flat = cv2.warpPerspective(img, h @ t, (width, height), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE)
    flat = cv2.medianBlur(flat, 3)
    # Paper brightness: close away the strokes (8 mm), smooth; shadows divide out.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (int(8 * k), int(8 * k)))
    paper = cv2.morphologyEx(flat, cv2.MORPH_CLOSE, kernel)
    paper = cv2.blur(paper, (int(4 * k), int(4 * k)))
    return flat.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)


def _ink(ratio: np.ndarray, left: float, right: float, top: float, bottom: float, below: float = INK_RATIO) -> float:
    k = PX_PER_MM
    x0, x1 = int((left + 8 + SIGN_INSET[0]) * k), int((right + 8 - SIGN_INSET[0]) * k)
    y0, y1 = int((top + 2 + SIGN_INSET[1]) * k), int((bottom + 2 - SIGN_INSET[1]) * k)
    cell = ratio[y0:y1, x0:x1]
    if cell.size == 0:
        return 0.0
    return float(np.count_nonzero(cell < below)) / cell.size


def _row_image(ratio: np.ndarray, left: float, right: float, top: float, bottom: float) -> bytes:
    """The row between `left` and `right` as a PNG of the ink as read: black where the cells were measured dark
    (two tones compress in a few milliseconds per page, a grey picture would take longer than reading it)."""
    k = PX_PER_MM
    strip = ratio[int((top + 2 - 1) * k):int((bottom + 2 + 1) * k), int((left + 8) * k):int((right + 8) * k)]
    cv2 = _cv()
    ink = np.where(strip < INK_RATIO, 0, 255).astype(np.uint8)
    ok, png = cv2.imencode(".png", ink, [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_BILEVEL, 1])
    return png.tobytes() if ok else b""


def _sign_cell(ratio: np.ndarray, left: float, right: float, top: float, bottom: float) -> CellReading:
    """The 签到 cell: as any cell, except that a faint trace where no dark ink is (a hard pencil, a pen running
    dry, at 150-200 dpi the strokes thinner than the reader's smoothing) is not read as a sure blank: the
    person would be recorded 缺席 without anyone being asked. Blank paper has no such grey at all."""
    reading = _cell(_ink(ratio, left, right, top, bottom), INK_SIGNED, INK_BLANK)
    if not reading.marked and reading.confidence >= 0.5 and _ink(ratio, left, right, top, bottom, FAINT_RATIO) >= FAINT_SHARE:
        return CellReading(reading.ink, True, 0.25)  # unsure, leaning signed: something was written there
    return reading


def _cell(ink: float, signed_at: float, blank_below: float) -> CellReading:
    if ink >= signed_at:
        return CellReading(ink, True, min(1.0, 0.5 + (ink - signed_at) / signed_at))
    if ink < blank_below:
        return CellReading(ink, False, min(1.0, 0.5 + (blank_below - ink) / blank_below))
    # between the bars: unsure, leaning to the nearer one
    mid = (signed_at + blank_below) / 2
    return CellReading(ink, ink >= mid, 0.5 * abs(ink - mid) / (mid - blank_below))


def read_image(gray: np.ndarray, index: int = 1) -> PageReading:
    """Read one page image; raises PageError with the reason when it cannot."""
    started = time.perf_counter()
    if gray is None or gray.size == 0 or min(gray.shape[:2]) < 200:
        raise PageError("图片太小或是空白，看不出签到表")
    img = _work_image(gray)
    found = _qr(img)
    if found is None:
        if _is_blank(img):
            raise PageError("是空白页（双面扫描时签到表的背面？），已跳过")
        h, w = gray.shape[:2]
        if max(h, w) < SMALL_LONG_SIDE:  # a chat app's thumbnail: the code's modules are a pixel or two wide
            raise PageError(f"图片只有 {w}×{h} 像素，看不清签到表上的二维码：请用原图"
                            "（微信发送时勾选“原图”），或重新拍摄、扫描")
        # a 共建活动签到表 looks like a meeting's but carries no code: re-photographing it would never help
        raise PageError("找不到签到表上的二维码：会议签到表请拍清整页（二维码在右上角），避免反光和模糊；"
                        "共建活动签到表和其他没有二维码的表格不能读取，请在程序里逐人登记")
    text, qr = found
    code = SheetCode.parse(text)
    if code is None:
        raise PageError("二维码不是本程序打印的签到表（旧版签到表请重新打印后使用）")
    h = _locate(img, code, qr)
    ratio = _flatten(img, h, code.rows, code.width)
    name = layout.column(code.show_phones, layout.NAME, code.width)
    sign = layout.column(code.show_phones, layout.SIGN, code.width)
    leave = layout.column(code.show_phones, layout.LEAVE, code.width)
    rows = []
    for r in range(code.rows):
        top = layout.HEADER_ROW_MM + r * layout.ROW_MM
        bottom = top + layout.ROW_MM
        rows.append(RowReading(
            serial=code.first + r,
            name_cell=_cell(_ink(ratio, *name, top, bottom), INK_SIGNED, INK_BLANK),
            sign=_sign_cell(ratio, *sign, top, bottom),
            leave=_cell(_ink(ratio, *leave, top, bottom), INK_LEAVE, INK_SIGNED),
            image=_row_image(ratio, name[0], leave[1], top, bottom),
        ))
    return PageReading(index, code, tuple(rows), time.perf_counter() - started)


def read_pages(images: Iterable[np.ndarray], progress: Callable[[int], None] | None = None) -> ScanReading:
    """Read every image; a page that fails is listed with its reason, the others still count."""
    pages, bad = [], []
    for i, img in enumerate(images, start=1):
        try:
            pages.append(read_image(img, i))
        except PageError as exc:
            bad.append(UnreadablePage(i, str(exc)))
        if progress is not None:
            progress(i)
    return ScanReading(tuple(pages), tuple(bad))
