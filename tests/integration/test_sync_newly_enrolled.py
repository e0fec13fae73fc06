"""The street's list of communities: one enrolled today is waiting for its first package, not late.

The 30 days a community may stay silent run from its enrolment until its first
package, then from its last one; only then is it flagged (red, 提醒报送, the overview's 待办).
"""

from __future__ import annotations

from datetime import date, timedelta

from desktop_app.services import site, sync
from desktop_app.store.migrate import open_database
from tests.integration.sync_world import enrol


def test_a_community_enrolled_today_waits_and_is_flagged_after_thirty_days(tmp_path):
    street, _ = open_database(tmp_path / "street.db")
    c, _ = open_database(tmp_path / "c.db")
    try:
        site.init_site(street, "320102", "梅园街道党工委", "street")
        sync.new_key(street, tmp_path / "s.dqkey")
        site.init_site(c, "320102008", "芳草社区党委", "community", street_name="梅园街道党工委")
        enrol(street, c, tmp_path, "c")
        today = date.today()
        [fresh] = sync.communities(street, today)
        assert not fresh.silent and fresh.warning == ""
        assert fresh.note == "已登记，等待首次报送"
        assert sync.silent_warnings(street, today) == []  # nothing for the overview's 待办 either
        [late] = sync.communities(street, today + timedelta(days=31))
        assert late.silent and late.warning == "已登记 31 天，仍未报送" and late.note == late.warning
        assert sync.silent_warnings(street, today + timedelta(days=31)) == ["芳草社区党委：已登记 31 天，仍未报送"]
        sync.import_package(street, sync.export_package(c, tmp_path).path)
        [sent] = sync.communities(street, today)
        assert not sent.silent and sent.note == ""
    finally:
        street.dispose()
        c.dispose()
