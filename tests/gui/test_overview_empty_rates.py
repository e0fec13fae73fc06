"""A rate of a year with nothing to count (no meeting held, no problem raised) reads "—", not 0%, and no change
is figured against it: on the 工作台 tile, in `dangqun stats` and in the 年度台账's figures."""

from __future__ import annotations

import json
import os

from desktop_app.cli import main
from desktop_app.gui.overview.page import FigureTile
from desktop_app.services import overview
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def test_a_year_with_nothing_to_count_shows_a_dash(qtbot, db, town, capsys):  # noqa: F811
    # 2026: 3 problems raised, 1 closed; 2025 raised none. 2024 held no meeting, 2025 one (all present).
    close = overview.dashboard(db, 2026, today=TODAY).figure("close_rate")
    assert (close.text, close.last_text, close.change) == ("33%", "—", "")
    attendance = overview.dashboard(db, 2025, today=TODAY).figure("attendance_rate")
    assert (attendance.text, attendance.last_text, attendance.change) == ("100%", "—", "")
    none = overview.dashboard(db, 2024, today=TODAY).figure("attendance_rate")
    assert (none.text, none.last_text, none.change) == ("—", "—", "")
    held = overview.dashboard(db, 2026, today=TODAY).figure("attendance_rate")
    assert (held.text, held.last_text, held.change) == ("67%", "100%", "−33%")  # both years counted: unchanged

    tile = FigureTile(close)
    qtbot.addWidget(tile)
    assert tile.text().splitlines()[1:] == ["33%", "上年 —"]
    if shots := os.environ.get("DANGQUN_SHOTS"):  # look at it: DANGQUN_SHOTS=/tmp/dir
        tile.resize(220, 64)
        tile.grab().save(os.path.join(shots, "tile_close_rate.png"))
    tile = FigureTile(none)
    qtbot.addWidget(tile)
    assert tile.text().splitlines()[1:] == ["—", "上年 —"]

    at = ["--db", db.url.removeprefix("sqlite:///")] if db.url.startswith("sqlite") else ["--db-url", db.url]
    capsys.readouterr()
    assert main(["stats", *at, "--json", "--year", "2026"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["figures"]["close_rate"] == 33 and said["last_year"]["close_rate"] is None
    assert main(["stats", *at, "--year", "2026"]) == 0
    assert "办结率 33%（上年 —）" in capsys.readouterr().out
