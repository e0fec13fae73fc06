"""The 失联党员 list says from which day the next decision may be taken: it said only 继续查找, and the
worker had to count six months (停止党籍) or two years (按自行脱党除名) by hand."""

from datetime import date

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


def test_the_next_step_names_its_day(db):
    ids = members(db, branch(db), ["张跃进", "李明"])
    roster.change_status(db, ids[0], m.LOST, date(2026, 1, 10), today=TODAY)
    roster.change_status(db, ids[1], m.LOST, date(2026, 8, 31), today=TODAY)
    for mid in ids:
        ml.add_search(db, mid, date(2026, 9, 15), "王书记", "电话", "电话停机", today=TODAY)
    ml.decide_lost(db, ids[0], rules.SUSPEND, date(2026, 12, 2), "支部委员会", today=TODAY)
    steps = {r.name: r.next_step for r in ml.lost_members(db, today=TODAY)}
    assert steps == {"张跃进": "继续查找（2028-12-02 起可按自行脱党除名）", "李明": "继续查找（2027-02-28 起可停止党籍）"}
