"""The year-end folder tells how far it is while it prepares the 活动照片 (each decoded, turned upright and
scaled down before the first page is drawn): with hundreds of photos the progress bar stood still there."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.services import overview
from desktop_app.services import cobuilding as cb
from tests.integration.test_annual_folder_photos import TODAY, activity
from tests.integration.test_cobuilding_service import town  # noqa: F401 - fixture

PHOTOS = 30


def small_jpegs(folder, n: int) -> list:
    from PIL import Image

    out = []
    for i in range(n):
        path = folder / f"现场{i:02d}.jpg"
        Image.new("RGB", (160, 120), (40 + 7 * i, 120, 200 - 5 * i)).save(path, "JPEG", quality=70)
        out.append(path)
    return out


def test_progress_moves_while_the_photos_are_prepared(db, town, tmp_path):  # noqa: F811
    cb.add_photos(db, activity(db, town, "义诊进社区", date(2026, 5, 1)), small_jpegs(tmp_path, PHOTOS))
    told: list[tuple[int, int, str]] = []
    data = overview.print_annual_folder(db, 2026, today=TODAY, progress=lambda *a: told.append(a))
    assert data.startswith(b"%PDF")
    first_page = next(i for i, (_d, total, _w) in enumerate(told) if total == 0)
    photos = told[:first_page]  # all before the first page is drawn
    assert [(d, t) for d, t, _w in photos] == [(i, PHOTOS) for i in range(PHOTOS + 1)]
    assert photos[-1][2] == f"正在整理活动照片（{PHOTOS}/{PHOTOS}）…"
    assert all(total == 0 and what.startswith("正在排版") for _d, total, what in told[first_page:])


def test_the_photos_can_be_cancelled_while_they_are_prepared(db, town, tmp_path):  # noqa: F811
    cb.add_photos(db, activity(db, town, "义诊进社区", date(2026, 5, 1)), small_jpegs(tmp_path, 5))

    class Stop(Exception):
        pass

    def cancel(done: int, total: int, _what: str) -> None:
        if total and done == 2:  # as the progress dialog's 取消 does, by raising from the report
            raise Stop

    with pytest.raises(Stop):
        overview.print_annual_folder(db, 2026, tmp_path / "台账.pdf", today=TODAY, progress=cancel)
    assert not (tmp_path / "台账.pdf").exists()
