"""Generated signed sign-in sheets for the scan reader's tests and benchmark.

A sheet is rendered by the real renderer, rasterised, signed with synthetic handwriting
strokes in random cells (and 请假 written in some leave cells, walk-ins on blank rows),
then distorted like a scanner or a phone would: rotation, perspective, shadow, blur,
noise and JPEG compression. The truth of every row comes along.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from desktop_app.views import signin_scan as layout

TABLE_ORIGIN_MM = (15.0, 20.0 + layout.SHEET_HEAD_MM)  # page margin; header space + the sheet's head block


@dataclass
class Truth:
    signed: list[bool]  # per table row of the page
    leave: list[bool]
    walk_ins: int  # blank rows signed


def raster(pdf_bytes: bytes, dpi: int) -> list[np.ndarray]:
    pdf = pdfium.PdfDocument(pdf_bytes)
    pages = [pdf[i].render(scale=dpi / 72, grayscale=True).to_numpy().copy() for i in range(len(pdf))]
    pdf.close()
    return pages


def read_qr(page: np.ndarray) -> str:
    import zxingcpp

    return zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)[0].text


def qr_image(text: str, module_px: int = 8) -> np.ndarray:
    """A page holding only a QR code of `text` (an old sheet's, or anything else's)."""
    matrix = np.array(_matrix(text), dtype=bool)
    code = np.where(np.kron(matrix, np.ones((module_px, module_px), bool)), 0, 255).astype(np.uint8)
    page = np.full((1400, 1000), 255, np.uint8)
    page[100:100 + code.shape[0], 600:600 + code.shape[1]] = code
    return page


def _matrix(text: str):
    import qrcode

    q = qrcode.QRCode(border=4)
    q.add_data(text)
    q.make(fit=True)
    return q.get_matrix()


def _stroke(img, pts, width_px, ink):
    pts = np.array(pts, dtype=np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], False, int(ink), max(1, int(round(width_px))), cv2.LINE_AA)


def _signature(img, box, dpi, rng: random.Random):
    """A name signed in cursive inside box (x0, y0, x1, y1 in px): two or three tangles of curved strokes,
    sometimes faint (a pencil) or thin, sometimes reaching over the cell's edge."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    px = dpi / 25.4
    size = rng.uniform(0.55, 0.95) * h
    x = x0 + rng.uniform(0.03, 0.35) * (x1 - x0)
    ink = rng.uniform(10, 90) if rng.random() > 0.1 else rng.uniform(110, 150)
    width = rng.uniform(0.3, 0.65) * px
    for _ in range(rng.choice((2, 2, 3))):
        for _ in range(rng.randint(2, 4)):
            pts = []
            cx, cy = x + rng.uniform(0, size), (y0 + y1) / 2 + rng.uniform(-0.4, 0.4) * size
            for _ in range(rng.randint(3, 6)):
                pts.append((cx, cy))
                cx += rng.uniform(-0.35, 0.45) * size
                cy += rng.uniform(-0.45, 0.45) * size
                cy = min(max(cy, y0 - 0.15 * h), y1 + 0.15 * h)
            smooth = []
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                for t in np.linspace(0, 1, 6):
                    smooth.append((ax + (bx - ax) * t + math.sin(t * math.pi) * rng.uniform(-0.1, 0.1) * size,
                                   ay + (by - ay) * t))
            _stroke(img, smooth, width, ink)
        x += size * rng.uniform(0.8, 1.1)


def _leave_mark(img, box, dpi, rng: random.Random):
    """请假 written by hand: two characters of short straight strokes."""
    x0, y0, x1, y1 = box
    px = dpi / 25.4
    size = 4.2 * px
    x = x0 + rng.uniform(0.05, 0.4) * (x1 - x0)
    y = (y0 + y1) / 2 - size / 2
    ink = rng.uniform(10, 80)
    for c in range(2):
        cx = x + c * size * 1.2
        for _ in range(6):
            if rng.random() < 0.5:
                yy = y + rng.uniform(0.1, 0.9) * size
                _stroke(img, [(cx + rng.uniform(0, .3) * size, yy), (cx + rng.uniform(.6, 1) * size, yy)], .45 * px, ink)
            else:
                xx = cx + rng.uniform(0.1, 0.9) * size
                _stroke(img, [(xx, y + rng.uniform(0, .3) * size), (xx, y + rng.uniform(.6, 1) * size)], .45 * px, ink)


def sign_page(page: np.ndarray, code: layout.SheetCode, named: int, dpi: int, rng: random.Random,
              p_signed: float = 0.6, p_leave: float = 0.1, walk_ins: int = 0) -> tuple[np.ndarray, Truth]:
    """Sign `named` rows at random (some 请假 instead), and `walk_ins` of the blank rows; returns the truth."""
    img = page.copy()
    px = dpi / 25.4
    ox, oy = TABLE_ORIGIN_MM

    def box(row, title, shrink=0.0):
        left, right = layout.column(code.show_phones, title, code.width)
        top = layout.HEADER_ROW_MM + row * layout.ROW_MM
        return ((ox + left + shrink) * px, (oy + top + shrink) * px,
                (ox + right - shrink) * px, (oy + top + layout.ROW_MM - shrink) * px)

    signed, leave = [False] * code.rows, [False] * code.rows
    blank_rows = list(range(named, code.rows))
    walk = set(rng.sample(blank_rows, min(walk_ins, len(blank_rows))))
    for r in range(code.rows):
        if r < named:
            roll = rng.random()
            if roll < p_signed:
                signed[r] = True
            elif roll < p_signed + p_leave:
                leave[r] = True
        elif r in walk:
            signed[r] = True
            _signature(img, box(r, layout.NAME, 0.5), dpi, rng)  # the walk-in writes a name too
        if signed[r]:
            _signature(img, box(r, layout.SIGN, 0.3), dpi, rng)
        if leave[r]:
            _leave_mark(img, box(r, layout.LEAVE, 0.8), dpi, rng)
    return img, Truth(signed, leave, len(walk))


# -- distortions: each takes and returns a grey image

def scan(img, rng, dpi_from=300, dpi_to=300, max_angle=2.0):
    """A flatbed or feeder scan: a slight skew, resampled to the scanner's resolution, a little noise."""
    if dpi_to != dpi_from:
        f = dpi_to / dpi_from
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR)
    img = rotate(img, rng.uniform(-max_angle, max_angle), background=255)
    return noise(img, rng, 3)


def rotate(img, degrees, background=90):
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), borderValue=background)


def perspective(img, rng, strength=0.08, background=90):
    """A photo taken at an angle: the page's corners pulled in by up to `strength` of its size, on a desk."""
    h, w = img.shape
    pad = int(0.08 * max(h, w))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + np.float32([[rng.uniform(0, strength) * w * sx, rng.uniform(0, strength) * h * sy]
                            for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))]) + pad
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w + 2 * pad, h + 2 * pad), borderValue=background)


def shadow(img, rng, depth=0.45):
    """A hand's or phone's shadow: brightness falling off across the page."""
    h, w = img.shape
    angle = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle)
    light = 1 - depth * np.clip(t + 0.5, 0, 1)
    return np.clip(img.astype(np.float32) * light, 0, 255).astype(np.uint8)


def blur(img, rng, sigma=1.2):
    return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.0) * sigma)


def noise(img, rng, sigma=8.0):
    g = np.random.default_rng(rng.randrange(1 << 30)).normal(0, sigma, img.shape)
    return np.clip(img.astype(np.float32) + g, 0, 255).astype(np.uint8)


def jpeg(img, rng, quality=(45, 80)):
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(*quality)])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def phone(img, rng, dpi=300):
    """Everything at once, as a phone photo on a desk: 12 Mpx, tilted up to 20°, in perspective, shadowed."""
    img = perspective(img, rng, 0.07)
    img = rotate(img, rng.uniform(-20, 20))
    img = shadow(img, rng, rng.uniform(0.2, 0.5))
    f = 4000 / max(img.shape)
    img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    img = blur(img, rng, 1.5)
    img = noise(img, rng, 5)
    return jpeg(img, rng)


DISTORTIONS = {
    "扫描 300dpi": lambda img, rng: scan(img, rng),
    "扫描 150dpi": lambda img, rng: scan(img, rng, dpi_to=150),
    "扫描 600dpi": lambda img, rng: scan(img, rng, dpi_to=600),
    "旋转 ±20°": lambda img, rng: rotate(img, rng.choice((-1, 1)) * rng.uniform(8, 20)),
    "透视": lambda img, rng: perspective(img, rng),
    "阴影": lambda img, rng: shadow(img, rng),
    "模糊": lambda img, rng: blur(img, rng, 2.0),
    "噪声+JPEG": lambda img, rng: jpeg(noise(img, rng, 10), rng),
    "手机照片": phone,
}
