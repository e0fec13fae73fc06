"""党费 on 2 January: the new year's months computed from last year's bases are said, not silently used."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.dues import EMPLOYED, RETIRED
from desktop_app.gui.dues import page as dues_page
from desktop_app.services import dues
from desktop_app.services.dues import grid as dues_grid
from tests import party_people

_real = dt.date


def test_bases_of_last_year_are_named_in_the_new_year(qtbot, app_ctx, wait_ops, monkeypatch, shot):
    class Jan2(_real):
        @classmethod
        def today(cls):
            return _real(2027, 1, 2)

    for module in (dues_page, dues_grid):
        monkeypatch.setattr(module, "date", Jan2)
    db = app_ctx.db
    ids = party_people.members(db, party_people.branch(db), ("张建国", "李秀英", "王德华"))
    dues.set_base(db, ids[0], _real(2026, 1, 1), EMPLOYED, 450_000)
    dues.set_base(db, ids[1], _real(2025, 3, 1), RETIRED, 400_000)
    dues.set_base(db, ids[2], _real(2026, 1, 1), EMPLOYED, 300_000)
    dues.set_base(db, ids[2], _real(2027, 1, 1), EMPLOYED, 520_000)  # reviewed for 2027 already

    p = dues_page.DuesPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 700)
    p.show()
    wait_ops()
    assert p.year.value() == 2027
    assert p.summary.text().endswith(
        "，2 名仍按2027年以前的党费基数计算（核定本年度收入后，选中点“党费基数”自2027年的月份起登记）")
    shot(p, "dues-2027-old-bases.png")
    assert p.summary.minimumSizeHint().width() < 600  # wrapped: the hint does not widen the page

    p.year.setValue(2026)  # a past year is computed from the bases it had: nothing to say
    wait_ops()
    assert "以前的党费基数" not in p.summary.text()
