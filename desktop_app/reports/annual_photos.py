"""活动照片 of the year-end folder: per activity a heading, then its photos two by three to a page.

Every photo is decoded once, turned upright by its EXIF orientation, scaled down to at most
PHOTO_LONG_SIDE pixels and embedded as JPEG: a year of 12-megapixel phone photos must not make a
folder of hundreds of megabytes. A file that cannot be read as a picture is printed as its name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop_app.reports.base import rich
from desktop_app.views.overview import FolderPhoto, FolderPhotos

PHOTO_LONG_SIDE = 1280  # px: ample for a cell of 85 mm at 300 dpi, about 150 KB a photo
JPEG_QUALITY = 80
COLUMNS, ROWS = 2, 3
CAPTION_SPACE = 24  # pt under each photo for its two caption lines
HEADING_SPACE = 30  # pt an activity's heading takes above its first row
MISSING = "照片文件缺失："
_SIDES = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
_NO_PADDING = tuple((side, (0, 0), (-1, -1), 0) for side in _SIDES)


@dataclass(frozen=True)
class Prepared:
    data: bytes  # JPEG
    width: int
    height: int
    taken: str  # the day the camera says it was taken, or ""


def _taken(im) -> str:
    try:
        exif = im.getexif()
        value = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, else DateTime
    except Exception:  # noqa: BLE001 - a broken EXIF block costs the date, not the photo
        return ""
    text = str(value or "").strip()
    return text[:10].replace(":", "-") if len(text) >= 10 and text[4] == ":" else ""


def prepare(path: Path, long_side: int = PHOTO_LONG_SIDE) -> Prepared | None:
    """The photo upright and scaled down as JPEG bytes; None when the file is not a readable picture."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    try:
        with PILImage.open(path) as im:
            if im.format == "JPEG":
                im.draft("RGB", (long_side, long_side))  # decode at 1/2, 1/4 or 1/8: a phone photo in a tenth of the time
            taken = _taken(im)
            im = ImageOps.exif_transpose(im)
            im.thumbnail((long_side, long_side))
            if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info:
                im = im.convert("RGBA")
                flat = PILImage.new("RGB", im.size, "white")  # a transparent PNG on paper's white, not black
                flat.paste(im, mask=im.getchannel("A"))
                im = flat
            elif im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            out = BytesIO()
            im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return Prepared(out.getvalue(), im.width, im.height, taken)
    except Exception:  # noqa: BLE001 - truncated, a decompression bomb, not a picture: the folder prints its name
        return None


def _cell(photo: FolderPhoto, ready: Prepared, w: float, h: float, style, font) -> Table:
    box_w, box_h = w - 4 * mm, h - CAPTION_SPACE - 2 * mm - 4
    scale = min(box_w / ready.width, box_h / ready.height)
    img = Image(BytesIO(ready.data), width=ready.width * scale, height=ready.height * scale)
    when = "；".join(x for x in (f"拍摄 {ready.taken}" if ready.taken else "", photo.caption) if x)
    # the photo stands on its caption in a box of its own: captions of tall and wide photos stay on one line
    box = Table([[img], [Paragraph(rich(f"{photo.name}\n{when}", font), style)]], colWidths=[w - 4],
                rowHeights=[h - CAPTION_SPACE - 4, CAPTION_SPACE])
    box.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
                             ("VALIGN", (0, 1), (0, 1), "TOP"), *_NO_PADDING]))
    return box


def _rows(cells: Sequence[Table], w: float, h: float) -> list[Table]:
    """One table a row of photos, so a page takes as many rows as fit and the next row moves on whole."""
    out = []
    for start in range(0, len(cells), COLUMNS):
        row = list(cells[start:start + COLUMNS])
        row += [""] * (COLUMNS - len(row))
        t = Table([row], colWidths=[w / COLUMNS] * COLUMNS, rowHeights=[h])
        t.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               *((side, (0, 0), (-1, -1), 2) for side in _SIDES)]))
        out.append(t)
    return out


def _prepare_all(photos: FolderPhotos, progress: Callable[[int, int], None] | None) -> dict[int, Prepared | None]:
    """Every photo prepared, by id of its FolderPhoto; `progress(done, total)` after each (and once before the
    first): hundreds of phone photos take a while before the folder's first page is drawn."""
    todo = [p for g in photos.groups for p in g.photos]
    out: dict[int, Prepared | None] = {}
    if progress is not None:
        progress(0, len(todo))
    for done, photo in enumerate(todo, start=1):
        out[id(photo)] = prepare(photo.path) if photo.path is not None else None
        if progress is not None:
            progress(done, len(todo))
    return out


def photo_chapter(report, title: str, photos: FolderPhotos, heading: Callable[[str, int], Paragraph],
                  progress: Callable[[int, int], None] | None = None) -> list:
    """The chapter's flowables: its numbered `title`, the summary, then per group its heading (both made by
    `heading`, so they go into the contents and the outline), lines for lost files and its photo rows.
    `progress(done, total)` follows the photos being prepared and may raise to cancel."""
    styles, font = report.styles, report.font
    w, h = report.frame_width, (report.frame_height - HEADING_SPACE) / ROWS
    caption = styles["Small"].clone("PhotoCaption", alignment=1)
    ready_of = _prepare_all(photos, progress)
    lost_count = sum(1 for r in ready_of.values() if r is None)
    summary = photos.summary + (f"；其中 {lost_count} 张的文件不在本机数据文件夹中或无法作为照片读取，只列文件名"
                                if lost_count else "")
    out: list = [heading(title, 0), Paragraph(rich(summary, font), styles["Normal"]), Spacer(1, 3 * mm)]
    for group in photos.groups:
        cells, lost = [], []
        for photo in group.photos:
            ready = ready_of[id(photo)]
            if ready is None:
                lost.append(Paragraph(rich(MISSING + photo.name, font), styles["Small"]))
            else:
                cells.append(_cell(photo, ready, w / COLUMNS, h, caption, font))
        rows = _rows(cells, w, h)
        # the heading never stays at the foot of a page without the group's first row (or its lost-file lines)
        out.append(KeepTogether([heading(rich(group.heading, font), 1), *lost, *rows[:1]]))
        out += rows[1:]
    return out
