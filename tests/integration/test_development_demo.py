"""The demo fills 发展党员 at every stage, consistent with the roster, and a few 应到 exemptions."""

from datetime import date

from desktop_app.domain import development as d
from desktop_app.services import demo, development, membership, roster


def test_demo_has_every_stage_and_the_roster_probationers_files(empty_db):
    db = empty_db
    demo.generate(db, members=120, seed=3)
    rows = development.pipeline(db, include_closed=True)
    stages = {r.stage for r in rows}
    assert {d.APPLICANT, d.ACTIVIST, d.CANDIDATE, d.PROBATIONARY} <= stages
    today = date.today()
    for r in rows:
        detail = development.get(db, r.id)
        assert all(s.done_on <= today for s in detail.steps)
        assert detail.steps[0].step == d.APPLY
        if r.stage == d.PROBATIONARY and detail.member_id:
            m = roster.get(db, detail.member_id)
            assert m.category == "预备党员"
            assert next(s.done_on for s in detail.steps if s.step == d.ADMIT) == m.joined_date
    assert membership.exemptions(db)
