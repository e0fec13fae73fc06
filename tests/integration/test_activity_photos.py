"""共建活动 photos taken off again on a real SQLite file with every migration, as 微心愿's are: a tombstone
(so the removal travels) with the photo's arrival and removal in the audit trail, the file kept in the data
folder, and refused to an account that may only read 共驻共建."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import NotFound
from desktop_app.services import auth
from desktop_app.services import cobuilding as cb
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import ActivityInput
from tests.integration.test_roles import PASSWORD, fast_kdf, town  # noqa: F401  fixtures
from tests.integration.test_wish_photos import photo, trail

TODAY = date(2026, 6, 15)


@pytest.fixture
def activity(db, town):  # noqa: F811
    auth.login(db, "admin", PASSWORD)
    return cb.record_activity(db, ActivityInput(date(2026, 5, 20), "义诊", "夏季义诊", org_ids=[town["g1"]]), TODAY)


def test_a_photo_is_taken_off_with_its_audit_and_its_file_kept(db, activity, tmp_path):
    rows = cb.add_photos(db, activity.id, [photo(tmp_path, "现场.png"), photo(tmp_path, "合影.png", color="blue")])
    kept = cb.photo_path(db, rows[0].id)
    cb.remove_photo(db, rows[0].id)
    assert [p.file_name for p in cb.get_activity(db, activity.id).photos] == ["合影.png"]
    assert [r.photos for r in cb.list_activities(db, 2026) if r.id == activity.id] == [1]
    assert kept.is_file()  # the row is a tombstone; the file stays, as a 微心愿 photo's does
    with pytest.raises(NotFound):
        cb.remove_photo(db, rows[0].id)
    with pytest.raises(NotFound):
        cb.photo_path(db, rows[0].id)
    entries = trail(db, "cobuild_activity_photo", rows[0].id)
    assert len(entries) == 2  # the photo's arrival and its removal
    removal = next(e for e in entries if e.action == "delete")
    assert "现场.png" in removal.before_json  # what was taken off, to put back from the trail


def test_only_who_may_write_cobuilding_takes_a_photo_off(db, activity, tmp_path):
    row = cb.add_photo(db, activity.id, photo(tmp_path, "现场.png"))
    auth.login(db, "street", PASSWORD)  # a 只读 account
    with pytest.raises(PermissionDenied):
        cb.remove_photo(db, row.id)
    assert cb.photo_path(db, row.id).is_file()  # reading is allowed
    auth.login(db, "admin", PASSWORD)
    assert len(cb.get_activity(db, activity.id).photos) == 1


def test_a_file_that_is_no_photo_by_its_content_is_refused_and_nothing_kept(db, activity, tmp_path):
    from desktop_app.domain.errors import ValidationError
    from desktop_app.settings import data_dir

    disguised = tmp_path / "现场.jpg"
    disguised.write_bytes(b"MZ\x90\x00 a program renamed as a photo")
    with pytest.raises(ValidationError) as e:
        cb.add_photos(db, activity.id, [photo(tmp_path, "合影.png"), disguised])
    assert "现场.jpg：不是 JPEG 或 PNG 照片" in e.value.message
    assert cb.get_activity(db, activity.id).photos == ()
    folder = data_dir() / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
