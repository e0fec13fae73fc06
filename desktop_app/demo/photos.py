"""Photos for the demo: a few of the year's 共建活动 and one fulfilled 微心愿, each with two or three pictures.

Without them a new user never sees the year-end folder's 活动照片 or the photo columns until she adds her
own. Each picture is drawn here (a sky, the ground, figures, and a banner with the record's title in the
shipped CJK font) as a small JPEG; services/demo.py keeps them through the attachment storage every photo
goes through. Same seed and day, same pictures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.service_flow import WISH_FULFILLED
from desktop_app.settings import resource_path
from desktop_app.store.models_cobuilding import Activity
from desktop_app.store.models_service import Wish

ACTIVITIES = 3
SIZE = (640, 480)  # px: enough to look at in the folder, some 30 KB a picture
_FONT = ("fonts", "DroidSansFallbackFull.ttf")  # the CJK font the program ships for its PDFs
_SKIES = ((150, 196, 235), (250, 214, 165), (190, 220, 240), (232, 232, 240))
_GROUNDS = ((118, 170, 96), (196, 170, 128), (160, 160, 168), (140, 180, 120))
_BANNER = (200, 22, 30)  # the party red of the program's accent


@dataclass(frozen=True)
class PlannedPhotos:
    kind: str  # "activity" or "wish"
    owner_id: str
    folder: str  # under attachments/, as the program files that record's photos
    files: tuple[tuple[str, bytes], ...]  # (file name, JPEG)


def _fonts(size: int) -> tuple:
    """(CJK, Latin) faces: the shipped CJK font has no Latin letters or digits, as the PDFs know (reports/fonts)."""
    from PIL import ImageFont

    latin = ImageFont.load_default(size)
    try:
        return ImageFont.truetype(str(resource_path(*_FONT)), size), latin
    except OSError:  # a build without the font: the picture keeps its scene and what Latin it can show
        return latin, latin


def _runs(text: str, size: int) -> list[tuple[str, object]]:
    cjk, latin = _fonts(size)
    runs: list[tuple[str, object]] = []
    for ch in text:
        face = latin if ord(ch) < 0x2E80 else cjk
        if runs and runs[-1][1] is face:
            runs[-1] = (runs[-1][0] + ch, face)
        else:
            runs.append((ch, face))
    return runs


def _text(d, x: float, y: float, text: str, size: int, centred: bool = False, **kw) -> float:
    """Draw `text` with its baseline at `y`, from `x` (or centred on it); its width."""
    runs = _runs(text, size)
    width = sum(d.textlength(t, font=f) for t, f in runs)
    x = x - width / 2 if centred else x
    for t, f in runs:
        d.text((x, y), t, font=f, anchor="ls", **kw)
        x += d.textlength(t, font=f)
    return width


def picture(title: str, line: str, rng: random.Random) -> bytes:
    """A simple drawn scene with `title` on a red banner and `line` (the day, the place) below: a JPEG."""
    from PIL import Image, ImageDraw

    w, h = SIZE
    sky, ground = rng.choice(_SKIES), rng.choice(_GROUNDS)
    im = Image.new("RGB", SIZE, sky)
    d = ImageDraw.Draw(im)
    horizon = int(h * rng.uniform(0.55, 0.65))
    d.rectangle((0, horizon, w, h), fill=ground)
    for _ in range(rng.randint(2, 4)):  # buildings behind
        x, bw, bh = rng.randint(0, w - 80), rng.randint(60, 140), rng.randint(60, 160)
        shade = rng.randint(200, 235)
        d.rectangle((x, horizon - bh, x + bw, horizon), fill=(shade, shade - 10, shade - 25))
    for _ in range(rng.randint(5, 9)):  # people standing in front
        x, y = rng.randint(20, w - 20), horizon + rng.randint(10, h - horizon - 60)
        coat = rng.choice(((200, 40, 40), (40, 70, 140), (60, 60, 60), (230, 180, 40), (250, 250, 250)))
        d.ellipse((x - 9, y - 44, x + 9, y - 26), fill=(240, 205, 170))
        d.rounded_rectangle((x - 14, y - 26, x + 14, y + 20), radius=6, fill=coat)
    banner = (int(w * 0.08), int(h * 0.08), int(w * 0.92), int(h * 0.08) + 64)
    d.rectangle(banner, fill=_BANNER)
    text = title if len(title) <= 16 else title[:15] + "…"
    _text(d, (banner[0] + banner[2]) / 2, banner[3] - 21, text, 30, centred=True, fill=(255, 236, 160))
    _text(d, 16, h - 16, line, 18, fill=(255, 255, 255), stroke_width=2, stroke_fill=(60, 60, 60))
    out = BytesIO()
    im.save(out, "JPEG", quality=75)
    return out.getvalue()


def _shots(rng: random.Random, title: str, line: str, names: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    return tuple((f"{name}.jpg", picture(title, line, rng)) for name in names[:rng.randint(2, len(names))])


def plan(s: Session, seed: int, today: date) -> list[PlannedPhotos]:
    """The year's latest activities (up to ACTIVITIES, different kinds first) and its latest fulfilled wish,
    each with two or three pictures; nothing where the demo has none of them."""
    rng = random.Random(seed * 7919 + 41)
    acts = list(s.scalars(select(Activity).where(Activity.deleted.is_(False), Activity.activity_date <= today)
                          .order_by(Activity.activity_date.desc(), Activity.id)))
    chosen: list[Activity] = []
    for a in acts:  # one of a kind first, so the folder shows a 义诊 beside a 文艺演出
        if len(chosen) < ACTIVITIES and a.kind not in {c.kind for c in chosen}:
            chosen.append(a)
    chosen += [a for a in acts if a not in chosen][:ACTIVITIES - len(chosen)]
    out = [PlannedPhotos("activity", a.id, f"activities/{a.activity_date.year}",
                         _shots(rng, a.title, f"{a.activity_date.isoformat()}　{a.place or a.kind}",
                                ("活动现场", "合影留念", "签到处")))
           for a in sorted(chosen, key=lambda a: (a.activity_date, a.id))]
    wish = s.scalars(select(Wish).where(Wish.deleted.is_(False), Wish.state == WISH_FULFILLED,
                                        Wish.fulfilled_on <= today)
                     .order_by(Wish.fulfilled_on.desc(), Wish.id).limit(1)).first()
    if wish is not None:
        out.append(PlannedPhotos("wish", wish.id, f"wishes/{wish.posted_on.year}",
                                 _shots(rng, f"微心愿：{wish.content}", f"{wish.fulfilled_on.isoformat()}　送达",
                                        ("心愿卡", "送达现场", "合影"))))
    return out
