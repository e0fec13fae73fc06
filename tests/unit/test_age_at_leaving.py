"""年龄 and 党龄 stop on the day a member died or left the party; for everyone else they run to today."""

from datetime import date

from desktop_app.domain import members as m

TODAY = date(2026, 12, 6)


def test_death_and_exits_stop_the_count_on_their_day():
    for status in (m.DECEASED, m.REMOVED, m.WITHDRAWN, m.EXPELLED, m.LAPSED):
        assert m.counted_to(status, date(2025, 5, 21), TODAY) == date(2025, 5, 21)


def test_members_on_the_roster_or_transferred_count_to_today():
    for status in (m.NORMAL, m.FLOATING, m.LOST, m.SUSPENDED, m.TRANSFERRED_OUT):
        assert m.counted_to(status, date(2025, 5, 21), TODAY) == TODAY
    assert m.counted_to(m.DECEASED, None, TODAY) == TODAY  # no date on record: nothing better than today
    assert m.counted_to(m.DECEASED, date(2027, 1, 1), TODAY) == TODAY


def test_party_age_at_a_death():
    day = m.counted_to(m.DECEASED, date(2025, 5, 21), TODAY)
    assert m.party_age(m.FULL, date(1974, 6, 8), date(1975, 6, 8), day) == 49
    assert m.party_age(m.FULL, date(1974, 6, 8), date(1975, 6, 8), TODAY) == 51
