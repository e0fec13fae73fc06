"""共建活动 添加照片 with several photos: all kept with the activity, or (one refused, named) none."""

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import cobuilding as cb
from desktop_app.settings import data_dir
from tests.integration.test_cobuilding_service import TODAY, _activity, town  # noqa: F401 - the fixture


def test_a_refused_third_photo_keeps_none_and_is_named(db, town, tmp_path):  # noqa: F811
    a = cb.record_activity(db, _activity(town), TODAY)
    photos = []
    for name in ("义诊1.jpg", "义诊2.jpg"):
        (tmp_path / name).write_bytes(b"\xff\xd8\xff\xe0 jpeg " + name.encode())
        photos.append(tmp_path / name)
    with pytest.raises(ValidationError) as e:
        cb.add_photos(db, a.id, [*photos, tmp_path / "义诊3.jpg"])
    assert "义诊3.jpg：文件不存在" in e.value.message and "3 个文件都没有添加" in e.value.message
    assert cb.get_activity(db, a.id).photos == ()
    folder = data_dir() / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    assert [p.file_name for p in cb.add_photos(db, a.id, photos)] == ["义诊1.jpg", "义诊2.jpg"]
    assert cb.get_activity(db, a.id).row.photos == 2
