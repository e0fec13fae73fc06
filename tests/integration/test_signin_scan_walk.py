"""A sign-in sheet's scan as a worker meets it: a file too big to keep."""

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import attachments
from desktop_app.services import meetings as ms
from tests.integration.test_signin_scan import meetings, save, signed_photo  # noqa: F401 - fixture


def test_a_scan_too_big_to_keep_is_refused_before_it_is_read(meetings, tmp_path, monkeypatch):  # noqa: F811
    """Refused only on saving, the worker would have checked every row of a long feeder scan for nothing."""
    db, a, _ = meetings
    img, _ = signed_photo(db, a, seed=2)
    photo = save(img, tmp_path / "扫描.png")
    monkeypatch.setattr(attachments, "MAX_BYTES", photo.stat().st_size - 1)  # 50 MB, scaled to this file
    read = []
    import desktop_app.scan as scan

    monkeypatch.setattr(scan, "read_file", lambda *args, **kw: read.append(args))
    with pytest.raises(ValidationError, match=r"“扫描\.png”有 .* MB，超过会议附件的上限.*未读取：请分成几个文件扫描"):
        ms.read_scan(db, photo, meeting_ref=a.id)
    assert not read  # not a page was read
