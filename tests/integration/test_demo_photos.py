"""The demo keeps a few photos, so a new user sees 活动照片 in the year-end folder and the photo columns
filled before she adds her own: two or three drawn pictures each for up to three of the year's 共建活动 and
its latest fulfilled 微心愿, copied into the data folder as every photo is; none at the benchmarks' sizes."""

from __future__ import annotations

import hashlib

import pytest

from PIL import Image
from sqlalchemy import select

from desktop_app.domain.service_flow import WISH_FULFILLED
from desktop_app.services import attachments, cobuilding, demo, overview, wishes
from desktop_app.store.models_cobuilding import ActivityPhoto
from desktop_app.store.models_service import WishPhoto


def _photos(db, model, key) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    with db.session() as s:
        for owner, stored, sha in s.execute(select(key, model.stored_name, model.sha256).where(model.deleted.is_(False))):
            out.setdefault(owner, []).append((stored, sha))
    return out


def test_the_demo_keeps_photos_of_a_few_activities_and_one_wish(empty_db):
    db = empty_db
    demo.generate(db, members=60, seed=4)
    acts = _photos(db, ActivityPhoto, ActivityPhoto.activity_id)
    assert 1 <= len(acts) <= 3 and all(2 <= len(v) <= 3 for v in acts.values())
    kept = _photos(db, WishPhoto, WishPhoto.wish_id)
    rows = wishes.list_wishes(db)
    assert len(kept) == (1 if any(w.state == WISH_FULFILLED for w in rows) else 0)  # the demo's day decides
    assert all(2 <= len(v) <= 3 and next(w for w in rows if w.id == k).state == WISH_FULFILLED
               for k, v in kept.items())
    for stored, sha in [p for v in (*acts.values(), *kept.values()) for p in v]:
        path = attachments.path_of(stored)  # in the data folder, where every photo is kept
        assert attachments.image_kind(path) == "JPEG" and path.stat().st_size < 100_000
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
        with Image.open(path) as im:
            assert im.size == (640, 480)
    # the activities' list counts them, and the folder of their year prints them
    listed = {a.id: a.photos for a in cobuilding.list_activities(db)}
    assert {k: listed[k] for k in acts} == {k: len(v) for k, v in acts.items()}
    year = max(cobuilding.get_activity(db, a).row.activity_date for a in acts).year
    folder = overview.annual_folder(db, year)
    assert folder.photos is not None and all(p.path is not None for g in folder.photos.groups for p in g.photos)
    assert sum(len(g.photos) for g in folder.photos.groups) >= 2


def test_no_photos_at_the_benchmarks_sizes(empty_db, monkeypatch):
    monkeypatch.setattr(demo, "PHOTOS_UP_TO", 10)  # as 3,000 members against the demo's 300
    demo.generate(empty_db, members=20, seed=4)
    assert _photos(empty_db, ActivityPhoto, ActivityPhoto.activity_id) == {}
    assert _photos(empty_db, WishPhoto, WishPhoto.wish_id) == {}


def test_a_failure_keeps_neither_photo_nor_file(empty_db, monkeypatch):
    from desktop_app.services import demo as demo_service

    monkeypatch.setattr(demo, "PHOTOS_UP_TO", 0)
    demo.generate(empty_db, members=20, seed=4)
    folder = attachments.root()
    before = sorted(folder.rglob("*"))

    def broken(*_a, **_k):
        raise OSError("disk full")

    record = demo_service.audit.record
    monkeypatch.setattr(demo_service.audit, "record", broken)  # the last step before the commit
    with pytest.raises(OSError):
        demo.add_photos(empty_db, 4)
    assert _photos(empty_db, ActivityPhoto, ActivityPhoto.activity_id) == {}
    assert sorted(folder.rglob("*.jpg")) == [p for p in before if p.suffix == ".jpg"] == []
    monkeypatch.setattr(demo_service.audit, "record", record)  # not undo(): that would drop the test's data folder
    assert demo.add_photos(empty_db, 4)["photos"] >= 2  # and it can be done again
