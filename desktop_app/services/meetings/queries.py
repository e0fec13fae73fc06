"""Reading meetings: lists, one meeting in detail, quorum, lookup by number, pickers.

Attendance is counted in SQL: a year of a big community is ~100,000 rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import cadence
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth, orgtree, privacy
from desktop_app.services.database import Database
from desktop_app.services.membership import StandingBook
from desktop_app.services.meetings._common import _attendance_rows, _chunks, _committee_ids, _live_meeting
from desktop_app.services.meetings.kinds import _RuleBook
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.records import record_version
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Attendance, CommitteeMember, Meeting, MeetingAttachment
from desktop_app.views.meetings import AttachmentRow, Attendee, MeetingDetail, MeetingFilter, MeetingRow


def _quorums(s: Session, orgs: OrgTree, meetings: Sequence[Meeting | tuple]) -> dict[str, rules.Quorum]:
    """Quorum of every 支部党员大会 and 支委会 among `meetings` (id, kind, org_id, meeting_date)."""
    keyed = [(m.id, m.kind, m.org_id, m.meeting_date) if isinstance(m, Meeting) else tuple(m) for m in meetings]
    need = [k for k in keyed if k[1] in (rules.BRANCH_CONGRESS, rules.COMMITTEE)]
    out: dict[str, rules.Quorum] = {}
    if not need:
        return out
    by_meeting: dict[str, list[tuple]] = defaultdict(list)
    for chunk in _chunks([k[0] for k in need]):
        for r in s.execute(
            select(Attendance.meeting_id, Attendance.member_id, Attendance.status, Attendance.is_guest,
                   Attendance.excused_reason)
            .where(Attendance.meeting_id.in_(chunk), Attendance.deleted.is_(False))
        ):
            by_meeting[r[0]].append(r)
    # Category and 党籍 as they were on each meeting's day: a later 转正 or 停止党籍 leaves the quorum alone.
    book = StandingBook(s, [r[1] for rows in by_meeting.values() for r in rows if r[1]])
    branch_ids = {b.id for k in need if (b := orgs.branch_of(k[2])) is not None}
    seats: dict[str, list[tuple]] = defaultdict(list)
    if branch_ids:
        for r in s.execute(
            select(CommitteeMember.org_id, CommitteeMember.member_id, CommitteeMember.start_date,
                   CommitteeMember.end_date)
            .where(CommitteeMember.org_id.in_(branch_ids), CommitteeMember.deleted.is_(False))
        ):
            seats[r[0]].append(r)
    for mid, kind, org_id, day in need:
        branch = orgs.branch_of(org_id)
        committee_ids: set[str] = set()
        if branch is not None:
            committee_ids = {
                r[1] for r in seats.get(branch.id, [])
                if (r[2] is None or r[2] <= day) and (r[3] is None or r[3] >= day)
            }
        people = []
        for r in by_meeting.get(mid, []):
            then = book.on(r[1], day) if r[1] else None
            people.append(rules.QuorumAttendee(
                status=r[2], category=(then.category or "") if then else "",
                party_status=then.party_status if then else "", on_committee=r[1] in committee_ids,
                is_guest=r[3], excused=bool(r[4])))
        out[mid] = rules.quorum_for(kind, people, committee_size=len(committee_ids) if kind == rules.COMMITTEE else None)
    return out


def _rows(s: Session, orgs: OrgTree, meetings: Sequence[Meeting]) -> list[MeetingRow]:
    ids = [m.id for m in meetings]
    # Counted in SQL: a year of a big community is ~100,000 attendance rows.
    statuses: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        # Grouped by the reason itself (few distinct ones): PostgreSQL does not match a comparison's
        # two bound copies in SELECT and GROUP BY.
        for mid, st, guest, reason, n in s.execute(
            select(Attendance.meeting_id, Attendance.status, Attendance.is_guest, Attendance.excused_reason,
                   func.count())
            .where(Attendance.meeting_id.in_(chunk), Attendance.deleted.is_(False))
            .group_by(Attendance.meeting_id, Attendance.status, Attendance.is_guest, Attendance.excused_reason)
        ):
            shown = rules.GUEST if guest else (rules.EXCUSED if reason and st != rules.PRESENT else st)
            statuses[mid].extend([shown] * n)
    files: dict[str, int] = {}
    for chunk in _chunks(ids):
        files.update(s.execute(
            select(MeetingAttachment.meeting_id, func.count())
            .where(MeetingAttachment.meeting_id.in_(chunk), MeetingAttachment.deleted.is_(False))
            .group_by(MeetingAttachment.meeting_id)
        ).all())
    quorums = _quorums(s, orgs, meetings)
    return [_row(m, orgs, statuses.get(m.id, []), quorums.get(m.id), files.get(m.id, 0)) for m in meetings]


def _row(m: Meeting, orgs: OrgTree, statuses: list[str], quorum: rules.Quorum | None, files: int) -> MeetingRow:
    counts = rules.count_attendance(statuses)
    org = orgs.get(m.org_id)
    branch = orgs.branch_of(m.org_id)
    return MeetingRow(
        id=m.id, number=m.number, org_id=m.org_id, org_name=org.name if org else "（已删除的组织）",
        branch_id=branch.id if branch else None, branch_name=branch.name if branch else (org.name if org else ""),
        kind=m.kind, title=m.title, meeting_date=m.meeting_date, start_time=m.start_time, place=m.place,
        host=m.host, status=m.status, expected=counts.expected, present=counts.present, leave=counts.leave,
        absent=counts.absent, guests=counts.guests,
        recorded=sum(1 for st in statuses if st and st != rules.EXCUSED),
        quorum=quorum or rules.Quorum(False, None), attachments=files,
    )


def _fresh_detail(s: Session, m: Meeting) -> MeetingDetail:
    """A meeting as a write left it (organisations read afresh in the same session)."""
    return _detail(s, m, OrgTree(s))


def _detail(s: Session, m: Meeting, orgs: OrgTree) -> MeetingDetail:
    rows = _attendance_rows(s, m.id)
    members: dict[str, tuple] = {}
    mids = [a.member_id for a in rows if a.member_id]
    for chunk in _chunks(mids):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.mobile,
                                  Member.party_status).where(Member.id.in_(chunk))):
            members[r[0]] = r
    branch = orgs.branch_of(m.org_id)
    committee_ids = set(_committee_ids(s, branch.id, m.meeting_date)) if branch else set()
    book = StandingBook(s, list(members))  # category and 党籍 as on the meeting's day
    attendees = []
    for a in rows:
        r = members.get(a.member_id) if a.member_id else None
        if r is not None:
            own = orgs.get(r[2])
            then = book.on(r[0], m.meeting_date)
            category = (then.category or "") if then else r[3]
            party_status = then.party_status if then else r[5]
            attendees.append(Attendee(
                id=a.id, member_id=a.member_id, name=r[1],
                group_name=orgs.group_name(r[2]) if not a.is_guest else "",
                org_name=own.name if own else "", category=category, mobile=r[4], status=a.status,
                reason=a.reason, is_guest=a.is_guest, guest_unit=a.guest_unit,
                on_committee=a.member_id in committee_ids,
                has_vote=rules.has_vote(category, party_status) and not a.is_guest,
                excused_reason=a.excused_reason,
            ))
        else:
            attendees.append(Attendee(
                id=a.id, member_id=None, name=a.guest_name, group_name="", org_name="", category="",
                mobile="", status=a.status, reason=a.reason, is_guest=True, guest_unit=a.guest_unit,
                on_committee=False, has_vote=False,
            ))
    files = s.scalars(select(MeetingAttachment).where(
        MeetingAttachment.meeting_id == m.id, MeetingAttachment.deleted.is_(False)
    ).order_by(MeetingAttachment.created_at)).all()
    row = _row(m, orgs, [rules.GUEST if a.is_guest else (rules.EXCUSED if a.excused_reason and a.status != rules.PRESENT
                                                         else a.status) for a in rows],
               _quorums(s, orgs, [m]).get(m.id), len(files))
    return MeetingDetail(
        **{f: getattr(row, f) for f in MeetingRow.__dataclass_fields__},
        end_time=m.end_time, recorder=m.recorder, lecturer=m.lecturer, minutes=m.minutes,
        cancel_reason=m.cancel_reason, notes=m.notes, version=record_version(s, m, Attendance.meeting_id),
        attendees=tuple(attendees),
        files=tuple(AttachmentRow.of(f, note=f.note) for f in files),
    )


def get(db: Database, meeting_id: str) -> MeetingDetail:
    auth.require(db, "meetings.read")
    with db.session() as s:
        detail = _detail(s, _live_meeting(s, meeting_id), OrgTree(s))
    # Attendees' mobiles are members' personal data: masked for a role that may not reveal them.
    return replace(detail, attendees=privacy.mask_unless(db, "members.reveal", detail.attendees))


def same_day(db: Database, meeting_id: str) -> list[str]:
    """Numbers of the other meetings of its kind its organisation has on its day, cancelled ones aside:
    the same meeting planned twice (last week's entered again) would stay 待登记出勤 for ever."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        m = _live_meeting(s, meeting_id)
        return list(s.scalars(select(Meeting.number).where(
            Meeting.org_id == m.org_id, Meeting.kind == m.kind, Meeting.meeting_date == m.meeting_date,
            Meeting.id != m.id, Meeting.status != rules.CANCELLED, Meeting.deleted.is_(False),
        ).order_by(Meeting.number)))


class PeriodTwins(NamedTuple):
    """The meetings of a kind an organisation already has (planned or held) in the period a day falls in."""

    period: str  # 2026年12月, 2026年第四季度; a review kind's: the year it looks back on
    times: int  # how many the period asks for
    meetings: tuple[tuple[str, date, str], ...]  # (number, day, status)


def same_period(db: Database, org_id: str, kind: str, day: date, meeting_id: str | None = None) -> PeriodTwins | None:
    """What `org_id` already has of `kind` in `day`'s period (`meeting_id`, the one being edited, aside):
    told before saving, as the 批量计划 preview tells it, so one period's meeting is not planned twice.
    None for a kind with no fixed cadence."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        rule = _RuleBook(s, OrgTree(s)).for_org(org_id).get(kind)
        if rule is None or rule.unit == rules.PeriodUnit.NONE:
            return None
        if cadence.is_review(rule):
            period = rules.Period(cadence.review_year(day), rules.PeriodUnit.YEAR, 1)
        else:
            period = rules.periods_between(day, day, rule.unit)[0]
        found = s.execute(select(Meeting.number, Meeting.meeting_date, Meeting.status).where(
            Meeting.org_id == org_id, Meeting.kind == kind, Meeting.status != rules.CANCELLED,
            Meeting.deleted.is_(False), Meeting.id != (meeting_id or ""),
            Meeting.meeting_date >= date(period.year, 1, 1),
            Meeting.meeting_date <= cadence.review_deadline(period.year),
        ).order_by(Meeting.meeting_date, Meeting.number)).all()
    return PeriodTwins(period.label, rule.times,
                       tuple((n, d, st) for n, d, st in found if cadence.counts_in(rule, period, d)))


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def resolve(db: Database, ref: str) -> str:
    """A meeting's id from its id, its full number or the number without the site code (2024-0007)."""
    auth.require(db, "meetings.read")
    text = unicodedata.normalize("NFKC", str(ref or "")).strip()
    if not text:
        raise ValidationError("会议编号", "不能为空")
    with db.session() as s:
        if _UUID.match(text):
            m = s.get(Meeting, text.lower())
            if m is not None and not m.deleted:
                return m.id
        found = s.scalars(select(Meeting.id).where(Meeting.number == text, Meeting.deleted.is_(False))).all()
        if not found:
            found = s.scalars(select(Meeting.id).where(
                Meeting.number.like(f"%-{text}"), Meeting.deleted.is_(False))).all()
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError("会议编号", f"“{text}”对应多次会议，请写完整编号")
    raise ValidationError("会议编号", f"找不到编号为“{text}”的会议")


def list_meetings(db: Database, flt: MeetingFilter | None = None) -> list[MeetingRow]:
    """Meetings matching `flt`, newest first."""
    auth.require(db, "meetings.read")
    flt = flt or MeetingFilter()
    with db.session() as s:
        orgs = OrgTree(s)
        q = select(Meeting).where(Meeting.deleted.is_(False))
        if flt.org_id:
            q = q.where(Meeting.org_id.in_(orgtree.subtree_select(flt.org_id)))
        if flt.kind:
            q = q.where(Meeting.kind == flt.kind)
        if flt.status:
            q = q.where(Meeting.status == flt.status)
        if flt.date_from:
            q = q.where(Meeting.meeting_date >= flt.date_from)
        if flt.date_to:
            q = q.where(Meeting.meeting_date <= flt.date_to)
        for term in unicodedata.normalize("NFKC", flt.text).split():
            t = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            q = q.where(or_(*[c.like(f"%{t}%", escape="\\") for c in
                              (Meeting.number, Meeting.title, Meeting.place, Meeting.host, Meeting.kind)]))
        meetings = s.scalars(q.order_by(Meeting.meeting_date.desc(), Meeting.start_time.desc(),
                                        Meeting.number.desc())).all()
        return _rows(s, orgs, meetings)


def holders(db: Database) -> list[tuple[str, str, str, int]]:
    """(id, name, org kind, depth) of organisations that hold meetings, in tree order: for pickers."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = OrgTree(s)
        from desktop_app.services.orgs import tree_nodes

        shown = {n.id: n.shown for n in tree_nodes(s)}  # five 第一党小组 told apart by their branch
        out: list[tuple[str, str, str, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for o in orgs.children.get(parent, []):
                if o.kind in (OrgKind.COMMUNITY, OrgKind.BRANCH, OrgKind.GROUP):
                    out.append((o.id, shown.get(o.id, o.name), o.kind, depth))
                    walk(o.id, depth + 1)
                else:
                    walk(o.id, depth)

        walk(None, 0)
        return out
