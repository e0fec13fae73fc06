"""The demo fills a member's life: members in 党小组, dated status history, a transfer each way, exits,
discipline, 流动 registers, 失联 searches, moves; and last year's meetings as full as this year's."""

from datetime import date

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.services import demo, membership, memberlife as life, orgs, roster
from desktop_app.services import meetings as ms


def test_the_demo_community_has_a_life_in_the_party(empty_db):
    db = empty_db
    demo.generate(db, members=200, seed=4)
    today = date.today()
    nodes = orgs.list_tree(db)
    groups = [n for n in nodes if n.kind == "group"]
    assert groups and all(n.member_count > 0 for n in groups)  # every 党小组 has members
    kinds = {e.kind for e in life.exits(db)}
    assert m.DECEASED in kinds and m.TRANSFERRED_OUT in kinds
    directions = {t.direction for d in (roster.get(db, e.member_id) for e in life.exits(db)) for t in d.transfers}
    assert m.TRANSFER_OUT in directions
    assert {d.kind for d in life.disciplines(db)} == {rules.WARNING, rules.PROBATION}
    assert any(d.running for d in life.disciplines(db))
    assert life.disposals(db)
    assert {r.direction for r in life.floating(db)} == {rules.FLOW_OUT, rules.FLOW_IN}
    assert all(r.searches for r in life.lost_members(db))
    assert len(life.moves(db)) == 3
    # Dated history: a death this year leaves last year's count alone.
    assert membership.counts_on(db, date(today.year - 1, 12, 31)).gone < membership.counts_on(db, today).gone
    # Last year's meetings are as many as this year's, give or take.
    this_year = len([x for x in ms.list_meetings(db) if x.meeting_date.year == today.year])
    last_year = len([x for x in ms.list_meetings(db) if x.meeting_date.year == today.year - 1])
    assert last_year > 0.7 * this_year
    # 党小组会 lists follow the groups members sit in.
    group_meetings = [x for x in ms.list_meetings(db) if x.org_id in {g.id for g in groups}][:5]
    for row in group_meetings:
        detail = ms.get(db, row.id)
        assert all(a.org_name == row.org_name for a in detail.attendees if not a.is_guest), row.number
