"""A member's record shows 年龄 and 党龄 as on the day they died or left the party: they kept growing after
it (a member who died in 2025 was shown a year older each year), and the form says so; the roster list
(which shows those who left too) says the same."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import members as m
from desktop_app.services import memberlife as ml, roster
from desktop_app.views.roster import MemberFilter
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def _leavers(db) -> list[str]:
    """Three members born and joined alike: the first died, the second was expelled, the third is on the roster."""
    ids = members(db, branch(db), ["张兰", "金雪梅", "李明"], joined=date(1974, 6, 8), born=date(1947, 5, 19),
                  gender=idcard.FEMALE, today=date(2025, 1, 5))
    ml.record_exit(db, ids[0], ml.ExitInput(m.DECEASED, date(2025, 5, 21)), today=TODAY)
    roster.change_status(db, ids[1], m.NORMAL, date(2025, 1, 6), today=TODAY)  # a later row of another status
    ml.record_exit(db, ids[1], ml.ExitInput(m.EXPELLED, date(2025, 5, 21), "区纪委", "区纪〔2025〕5号"), today=TODAY)
    return ids


def test_age_and_party_age_stop_at_a_death_and_an_expulsion(db):
    ids = _leavers(db)
    for mid in ids[:2]:
        d = roster.get(db, mid, today=TODAY)
        assert (d.age, d.party_age) == (78, 49), d.status
    d = roster.get(db, ids[2], today=TODAY)
    assert (d.age, d.party_age) == (79, 51)


def test_the_roster_list_stops_them_on_the_same_day(db):
    ids = _leavers(db)
    assert set(ids) <= set(roster.search_ids(db, MemberFilter(), today=TODAY))  # the list shows everyone
    rows = {r.id: r for r in roster.rows(db, ids, today=TODAY)}
    assert [(rows[i].age, rows[i].party_age) for i in ids] == [(78, 49), (78, 49), (79, 51)]
