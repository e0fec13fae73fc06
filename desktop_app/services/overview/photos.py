"""活动照片 of the year-end folder: the photos kept with the year's 共建活动 and 微心愿, as files to print.

The printer gets paths, never a session. A file gone from the data folder (or one that came with a sync
package without its file) or one that is no JPEG/PNG by its content is kept as a name, printed as
照片文件缺失, so one lost photo never stops the folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.errors import NotFound
from desktop_app.services import attachments, auth
from desktop_app.services.database import Database
from desktop_app.views.cobuilding import ActivityRow
from desktop_app.views.overview import FolderPhoto, FolderPhotos, PhotoGroup
from desktop_app.views.wishes import WishRow

_CHUNK = 500


def _file(stored_name: str) -> Path | None:
    try:
        path = attachments.path_of(stored_name)
    except (NotFound, OSError):
        return None
    return path if attachments.image_kind(path) else None


def _kept(db: Database, model, key, ids: list[str]) -> dict[str, list[FolderPhoto]]:
    """Live photos per owner id, oldest first (as the record's photo strip shows them)."""
    out: dict[str, list[FolderPhoto]] = {}
    with db.session() as s:
        for start in range(0, len(ids), _CHUNK):
            for owner, name, stored, created in s.execute(
                    select(key, model.file_name, model.stored_name, model.created_at)
                    .where(key.in_(ids[start:start + _CHUNK]), model.deleted.is_(False))
                    .order_by(model.created_at, model.id)):
                out.setdefault(owner, []).append(
                    FolderPhoto(name, _file(stored), f"存入 {created.date().isoformat()}" if created else ""))
    return out


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def folder_photos(activities: Sequence[ActivityRow], wishes: Sequence[WishRow], db: Database) -> FolderPhotos | None:
    """The photos of the activities and wishes the folder's lists hold (already read with the reader's
    rights), in the lists' order; None when none of them kept a photo (no query is made then)."""
    auth.require(db, "overview.read")
    from desktop_app.store.models_cobuilding import ActivityPhoto
    from desktop_app.store.models_service import WishPhoto

    acts = sorted((a for a in activities if a.photos), key=lambda a: (a.activity_date, a.title))
    wish = [w for w in wishes if w.photos]
    if not acts and not wish:
        return None
    groups: list[PhotoGroup] = []
    by_act = _kept(db, ActivityPhoto, ActivityPhoto.activity_id, [a.id for a in acts])
    for a in acts:
        if a.id in by_act:
            groups.append(PhotoGroup(f"{a.activity_date.isoformat()}　{a.kind}　{_short(a.title)}", tuple(by_act[a.id])))
    by_wish = _kept(db, WishPhoto, WishPhoto.wish_id, [w.id for w in wish])
    for w in wish:
        if w.id in by_wish:
            day: date = w.fulfilled_on or w.posted_on
            groups.append(PhotoGroup(f"{day.isoformat()}　微心愿 {w.wish_no}　{_short(w.content)}", tuple(by_wish[w.id])))
    if not groups:
        return None
    photos = [p for g in groups for p in g.photos]
    n_acts, n_wishes = sum(1 for a in acts if a.id in by_act), sum(1 for w in wish if w.id in by_wish)
    kept = "、".join(x for x in (f"共建活动 {n_acts} 次" if n_acts else "", f"微心愿 {n_wishes} 个" if n_wishes else "") if x)
    # the printer adds how many it could not print: a file may also fail to decode there
    return FolderPhotos(tuple(groups), f"{kept}存有照片，共 {len(photos)} 张")
