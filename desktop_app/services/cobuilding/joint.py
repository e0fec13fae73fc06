"""联席会议 / 议事会议 of the 大党委: which units came and which 议题 each took on, tracked to done.

The meeting is planned and recorded by the meetings module (kind 联席会议); this
module only adds the units and topics beside it, so a unit's year shows them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.service_flow import check_day, optional, required
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import live, year_span
from desktop_app.services.records import settle, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import JointTopic, PartnerUnit
from desktop_app.store.models_meetings import Meeting
from desktop_app.views.cobuilding import JointDetail, JointMeetingRow, TopicRow


def _rows(s: Session, meetings: list[Meeting]) -> list[JointMeetingRow]:
    units: dict[str, list[str]] = defaultdict(list)
    topics: dict[str, list[JointTopic]] = defaultdict(list)
    if meetings:
        for t in s.scalars(select(JointTopic).where(JointTopic.meeting_id.in_([m.id for m in meetings]),
                                                     JointTopic.deleted.is_(False)).order_by(JointTopic.unit_name)):
            (topics[t.meeting_id].append(t) if t.topic else units[t.meeting_id].append(t.unit_name))
    return [JointMeetingRow(m.id, m.number, m.meeting_date, m.title, m.place, m.status, "、".join(units[m.id]),
                            len(topics[m.id]), sum(1 for t in topics[m.id] if t.done_on)) for m in meetings]


def list_joint_meetings(db: Database, year: int | None = None) -> list[JointMeetingRow]:
    """The year's 联席会议 (any organisation's), newest first, with units and topics."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        q = select(Meeting).where(Meeting.deleted.is_(False), Meeting.kind == meeting_rules.JOINT)
        if year:
            q = q.where(Meeting.meeting_date.between(*year_span(year)))
        return _rows(s, list(s.scalars(q.order_by(Meeting.meeting_date.desc()))))


def _meeting(s: Session, meeting_id: str) -> Meeting:
    m = s.get(Meeting, meeting_id) if meeting_id else None
    if m is None or m.deleted or m.kind != meeting_rules.JOINT:
        raise NotFound("该联席会议不存在或已删除")
    return m


def _detail(s: Session, m: Meeting) -> JointDetail:
    rows = list(s.scalars(select(JointTopic).where(JointTopic.meeting_id == m.id, JointTopic.deleted.is_(False))
                          .order_by(JointTopic.created_at)))
    return JointDetail(_rows(s, [m])[0], tuple((t.unit_id or "", t.unit_name) for t in rows if not t.topic),
                       tuple(TopicRow(t.id, t.topic, t.unit_id, t.unit_name, t.done_on, t.result)
                             for t in rows if t.topic))


def get_joint(db: Database, meeting_id: str) -> JointDetail:
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _detail(s, _meeting(s, meeting_id))


def _unit(s: Session, unit_id: str | None) -> PartnerUnit:
    return live(s, PartnerUnit, unit_id, "请选择共建单位", "共建单位")


@writes("cobuilding.write")
def set_units(uow: UnitOfWork, meeting_id: str, unit_ids: list[str]) -> JointDetail:
    """The units that attended: the list given replaces the one kept."""
    s = uow.session
    m = _meeting(s, meeting_id)
    old = {t.unit_id: t for t in s.scalars(select(JointTopic).where(
        JointTopic.meeting_id == m.id, JointTopic.deleted.is_(False), JointTopic.topic == ""))}
    wanted = list(dict.fromkeys(unit_ids))
    for uid, t in old.items():
        if uid not in wanted:
            t.deleted = True
    for uid in wanted:
        if uid not in old:
            u = _unit(s, uid)
            s.add(JointTopic(meeting_id=m.id, unit_id=u.id, unit_name=u.name, topic=""))
    return settle(uow, lambda s: _detail(s, m))


@writes("cobuilding.write")
def add_topic(uow: UnitOfWork, meeting_id: str, topic: str, unit_id: str | None) -> JointDetail:
    """A 议题 of the meeting and the unit that took it on (认领)."""
    topic = required(topic, "议题", limit=200)
    s = uow.session
    m = _meeting(s, meeting_id)
    u = _unit(s, unit_id)
    s.add(JointTopic(meeting_id=m.id, unit_id=u.id, unit_name=u.name, topic=topic))
    return settle(uow, lambda s: _detail(s, m))


@writes("cobuilding.write")
def finish_topic(uow: UnitOfWork, topic_id: str, on: date | None, result: str = "",
                 today: date | None = None) -> JointDetail:
    today = today or date.today()
    s = uow.session
    t = s.get(JointTopic, topic_id)
    if t is None or t.deleted or not t.topic:
        raise NotFound("该议题不存在或已删除")
    m = _meeting(s, t.meeting_id)
    day = check_day(on, "办结日期", today)
    if day < m.meeting_date:
        raise ValidationError("办结日期", "不能早于会议日期")
    t.done_on, t.result = day, optional(result, "办理结果", 300)
    return settle(uow, lambda s: _detail(s, m))
