"""The roster list (which shows everyone, those who left too) counts 年龄 and 党龄 of a member who died or
left the party to that day, as the member form does; they kept growing in the list."""

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain import members as m
from desktop_app.services import memberlife as ml, roster
from desktop_app.views.roster import MemberFilter
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_the_list_stops_age_and_party_age_on_a_death_or_an_expulsion(db):
    ids = members(db, branch(db), ["张兰", "金雪梅", "李明"], joined=date(1974, 6, 8), born=date(1947, 5, 19),
                  gender=idcard.FEMALE, today=date(2025, 1, 5))
    ml.record_exit(db, ids[0], ml.ExitInput(m.DECEASED, date(2025, 5, 21)), today=TODAY)
    roster.change_status(db, ids[1], m.NORMAL, date(2025, 1, 6), today=TODAY)  # a later row of another status
    ml.record_exit(db, ids[1], ml.ExitInput(m.EXPELLED, date(2025, 5, 21), "区纪委", "区纪〔2025〕5号"), today=TODAY)
    shown = roster.search_ids(db, MemberFilter(), today=TODAY)
    assert set(ids) <= set(shown)
    by_id = {r.id: r for r in roster.rows(db, ids, today=TODAY)}
    for mid in ids:  # the list says what the form says
        d = roster.get(db, mid, today=TODAY)
        assert (by_id[mid].age, by_id[mid].party_age) == (d.age, d.party_age), d.status
    assert [(by_id[i].age, by_id[i].party_age) for i in ids] == [(78, 49), (78, 49), (79, 51)]
