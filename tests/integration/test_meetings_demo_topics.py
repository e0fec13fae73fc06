"""The demo's held meetings carry 议题: plausible, with votes the topic service itself would accept, fixed by the seed."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from desktop_app.domain import meetings as rules
from desktop_app.services import demo, memberlife
from desktop_app.services.memberlife.topics import voters
from desktop_app.store.migrate import open_database
from desktop_app.store.models import Organization
from desktop_app.store.models_meetings import Meeting
from desktop_app.store.models_memberlife import MeetingTopic

DECIDING = (rules.BRANCH_CONGRESS, rules.COMMITTEE, rules.ORG_LIFE, rules.EVALUATION)


def test_held_meetings_carry_topics_with_votes_the_service_accepts(empty_db):
    demo.generate(empty_db, members=300, seed=1)  # with the member-life records: disciplines take votes away
    with empty_db.session() as s:
        meetings = {m.id: m for m in s.scalars(select(Meeting))}
        topics = list(s.scalars(select(MeetingTopic)))
        counted = {mid: voters(s, mid, meetings[mid].meeting_date) for mid in {t.meeting_id for t in topics}}
    by_meeting = Counter(t.meeting_id for t in topics)
    held = [m for m in meetings.values() if m.status == rules.HELD]
    assert all(by_meeting[m.id] >= 1 for m in held if m.kind in DECIDING)
    assert all(meetings[mid].status == rules.HELD and meetings[mid].kind in DECIDING for mid in by_meeting)
    assert max(by_meeting.values()) > 1  # a 支部党员大会 or 支委会 often takes up more than one
    assert all(t.title and "{" not in t.title and len(t.title) <= 120 and t.decision for t in topics)
    assert any("年度民主评议党员结果" in t.title for t in topics)
    voted = [t for t in topics if t.votes_for is not None]
    assert voted and all(meetings[t.meeting_id].kind != rules.COMMITTEE for t in voted)
    for t in voted:  # never more votes than members with a vote present, as add_topic checks
        assert t.votes_for + t.votes_against + t.votes_abstain <= counted[t.meeting_id][1]
    rows = [r for mid in {t.meeting_id for t in voted} for r in memberlife.topics(empty_db, mid)]
    passed = Counter(r.passed for r in rows if r.votes_for is not None)
    assert passed[True] > 0.9 * sum(passed.values())
    # a 支部党员大会 short of its quorum discusses without voting
    assert any(t.votes_for is None and "未作表决" in t.decision for t in topics)


def _topics_of(db):
    with db.session() as s:
        return s.execute(
            select(Organization.code, Meeting.kind, Meeting.meeting_date, Meeting.start_time, MeetingTopic.seq,
                   MeetingTopic.title, MeetingTopic.decision, MeetingTopic.votes_for, MeetingTopic.votes_against,
                   MeetingTopic.votes_abstain)
            .join(Meeting, Meeting.id == MeetingTopic.meeting_id).join(Organization, Organization.id == Meeting.org_id)
            .order_by(Meeting.meeting_date, Organization.code, Meeting.kind, Meeting.start_time, MeetingTopic.seq)
        ).all()


def test_same_seed_gives_the_same_topics(tmp_path):
    dbs = [open_database(tmp_path / f"{n}.db")[0] for n in ("a", "b", "c")]
    try:
        for db, seed in zip(dbs, (7, 7, 8)):
            demo.generate(db, members=120, seed=seed)
        a, b, c = (_topics_of(db) for db in dbs)
        assert a and a == b
        assert a != c
    finally:
        for db in dbs:
            db.dispose()
