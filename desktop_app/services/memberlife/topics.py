"""议题 of a meeting with its decision and vote: no more votes than members with a vote present, passed by more than half of
those with a vote expected (应到).

Who may vote is read as of the meeting's day (services/membership): 预备党员,
停止党籍 and members under 留党察看 have none.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain import memberlife as rules
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.membership import StandingBook
from desktop_app.services.records import live, over_children, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.store.models_memberlife import MeetingTopic
from desktop_app.views.memberlife import TopicRow


def voters(s: Session, meeting_id: str, day: date) -> tuple[int, int]:
    """(应到, 到会) of the members with a vote on the meeting's day (excused members are not 应到)."""
    rows = s.execute(select(Attendance.member_id, Attendance.status, Attendance.excused_reason).where(
        Attendance.meeting_id == meeting_id, Attendance.deleted.is_(False), Attendance.is_guest.is_(False),
        Attendance.member_id.is_not(None))).all()
    book = StandingBook(s, [r[0] for r in rows])
    expected = present = 0
    for mid, status, excused in rows:
        t = book.on(mid, day)
        if t is None or not t.member or not meeting_rules.has_vote(t.category or "", t.party_status):
            continue
        if status == meeting_rules.PRESENT:
            present += 1
            expected += 1
        elif not excused:
            expected += 1
    return expected, present


def _row(t: MeetingTopic, expected: int) -> TopicRow:
    return TopicRow(t.id, t.meeting_id, t.seq, t.title, t.decision, t.votes_for, t.votes_against, t.votes_abstain,
                    rules.topic_passed(t.votes_for, t.votes_against, t.votes_abstain, expected or None), t.note)


def _meeting(s: Session, meeting_id: str) -> Meeting:
    return live(s, Meeting, meeting_id, "会议")


@writes("meetings.write")
def add_topic(uow: UnitOfWork, meeting_id: str, title: str, decision: str = "", votes_for: int | None = None,
              votes_against: int | None = None, votes_abstain: int | None = None, note: str = "") -> TopicRow:
    """Add a 议题 to a meeting's record; a vote needs the three counts and no more than the voters present."""
    s = uow.session
    m = _meeting(s, meeting_id)
    expected, present = voters(s, m.id, m.meeting_date)
    clean = rules.check_topic(title, (votes_for, votes_against, votes_abstain), present)
    seq = (over_children(s, func.max(MeetingTopic.seq), MeetingTopic.meeting_id, m.id) or 0) + 1
    t = MeetingTopic(meeting_id=m.id, seq=seq, title=clean, decision=(decision or "").strip(),
                     votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                     note=(note or "").strip())
    s.add(t)
    s.flush()
    return _row(t, expected)


@writes("meetings.write")
def delete_topic(uow: UnitOfWork, topic_id: str) -> None:
    live(uow.session, MeetingTopic, topic_id, "议题").deleted = True


def topics(db: Database, meeting_id: str) -> list[TopicRow]:
    """A meeting's 议题 in order, each with whether its vote passed (more than half of the voters expected)."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        m = _meeting(s, meeting_id)
        expected, _present = voters(s, m.id, m.meeting_date)
        return [_row(t, expected) for t in s.scalars(select(MeetingTopic).where(
            MeetingTopic.meeting_id == m.id, MeetingTopic.deleted.is_(False)).order_by(MeetingTopic.seq))]
