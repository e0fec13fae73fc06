"""Members' organisation life: history, attendance rates, absence streaks, the lost-contact rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import auth, orgtree, privacy
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _CHUNK, _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.membership import exemptions_of
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.meetings import AbsenceStreak, LostContactRisk, MemberHistory, MemberMeetingLine, MemberRate


def _held_attendance(s: Session, member_ids: Sequence[str] | None, date_from: date | None = None,
                     date_to: date | None = None) -> list[tuple]:
    """(member_id, meeting id, date, kind, title, org_id, number, status, reason, is_guest) of held meetings,
    newest first. For many members one pass over the table beats IN (...) lists."""
    q = (
        select(Attendance.member_id, Meeting.id, Meeting.meeting_date, Meeting.kind, Meeting.title,
               Meeting.org_id, Meeting.number, Attendance.status, Attendance.reason, Attendance.is_guest)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.deleted.is_(False), Meeting.deleted.is_(False), Meeting.status == rules.HELD,
               Attendance.member_id.is_not(None))
    )
    if date_from:
        q = q.where(Meeting.meeting_date >= date_from)
    if date_to:
        q = q.where(Meeting.meeting_date <= date_to)
    if member_ids is not None and len(member_ids) <= _CHUNK:
        q = q.where(Attendance.member_id.in_(list(member_ids)))
    wanted = set(member_ids) if member_ids is not None else None
    rows = [tuple(r) for r in s.connection().execute(q) if wanted is None or r[0] in wanted]
    rows.sort(key=lambda r: (r[2], r[6]), reverse=True)
    return rows


def member_history(db: Database, member_id: str, date_from: date | None = None,
                   date_to: date | None = None) -> MemberHistory:
    """A member's held meetings, newest first, with the attendance rate over those they were expected at."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        m = s.get(Member, member_id)
        if m is None:
            raise NotFound("该党员不存在")
        orgs = OrgTree(s)
        rows = _held_attendance(s, [member_id], date_from, date_to)
        lines = tuple(
            MemberMeetingLine(r[1], r[6], r[2], r[3], r[4], orgs.get(r[5]).name if orgs.get(r[5]) else "",
                              rules.GUEST if r[9] else (r[7] or rules.ABSENT), r[8], r[9])
            for r in rows
        )
        counts = rules.count_attendance(line.status for line in lines)
        branch = orgs.branch_of(m.org_id)
        return MemberHistory(m.id, m.name, branch.name if branch else "", lines, counts)


def _roster(s: Session, org_id: str | None) -> list[tuple]:
    """(id, name, org_id, status, mobile, joined_date, category) of members still on the roster."""
    q = (select(Member.id, Member.name, Member.org_id, Member.status, Member.mobile, Member.joined_date,
                Member.category, Member.seq)
         .where(Member.deleted.is_(False), Member.status.not_in(member_rules.GONE_STATUSES)))
    if org_id:
        q = q.where(Member.org_id.in_(orgtree.subtree_select(org_id)))
    return s.execute(q.order_by(Member.seq, Member.name_pinyin)).all()


def member_rates(db: Database, org_id: str | None = None, date_from: date | None = None,
                 date_to: date | None = None) -> list[MemberRate]:
    """Attendance rate of every member on the roster (under `org_id`) over held meetings in the window."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = OrgTree(s)
        roster = _roster(s, org_id)
        ids = [r[0] for r in roster]
        statuses: dict[str, list[str]] = defaultdict(list)
        last: dict[str, date] = {}
        for r in _held_attendance(s, ids, date_from, date_to):
            st = rules.GUEST if r[9] else (r[7] or rules.ABSENT)
            statuses[r[0]].append(st)
            if st in (rules.PRESENT, rules.GUEST) and r[0] not in last:
                last[r[0]] = r[2]
        out = []
        for r in roster:
            branch = orgs.branch_of(r[2])
            out.append(MemberRate(r[0], r[1], branch.name if branch else "",
                                  rules.count_attendance(statuses.get(r[0], [])), last.get(r[0])))
        return out


def absent_streaks(db: Database, n: int = 3, today: date | None = None, count_leave: bool = False,
                   org_id: str | None = None) -> list[AbsenceStreak]:
    """Members who missed their latest `n` or more required meetings in a row; longest streak first.

    Required meetings are held meetings where the member was expected (not a
    guest). 请假 is excused and ends a streak unless count_leave.
    """
    auth.require(db, "meetings.read")
    if n < 1:
        raise ValidationError("连续缺席次数", "至少为 1")
    today = _today(today)
    with db.session() as s:
        orgs = OrgTree(s)
        roster = _roster(s, org_id)
        info = {r[0]: r for r in roster}
        per: dict[str, list[tuple]] = defaultdict(list)
        last_present: dict[str, date] = {}
        for r in _held_attendance(s, list(info), None, today):
            if r[9]:
                if r[0] not in last_present:
                    last_present[r[0]] = r[2]
                continue
            per[r[0]].append(r)
            if r[7] == rules.PRESENT and r[0] not in last_present:
                last_present[r[0]] = r[2]
        out = []
        for mid, rows in per.items():
            streak = rules.consecutive_absences((r[7] for r in rows), count_leave=count_leave)
            if streak >= n:
                r = info[mid]
                branch = orgs.branch_of(r[2])
                out.append(AbsenceStreak(mid, r[1], branch.name if branch else "", r[4], streak,
                                         last_present.get(mid),
                                         tuple((x[2], x[3]) for x in rows[:streak])))
        out.sort(key=lambda a: (-a.streak, a.branch_name, a.name))
    return privacy.mask_unless(db, "members.reveal", out)


def lost_contact_risk(
    db: Database,
    today: date,
    dues_last_paid: Callable[[str], date | None] | None = None,
    months: int = rules.LOST_CONTACT_MONTHS,
    org_id: str | None = None,
) -> list[LostContactRisk]:
    """Members with no organisation life (and, when `dues_last_paid` is given, no dues) for `months`,
    without good reason (an 应到 exemption in the window is one).

    `dues_last_paid(member_id)` is supplied by the dues module; without it only
    the meeting half of the rule is checked and each row says so. Members who
    joined within the window are left out: they have had no time to miss anything.
    """
    auth.require(db, "meetings.read")
    since = rules.months_before(today, months)
    with db.session() as s:
        orgs = OrgTree(s)
        roster = _roster(s, org_id)
        last_life: dict[str, date] = {}
        q = (
            select(Attendance.member_id, func.max(Meeting.meeting_date))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.deleted.is_(False), Meeting.deleted.is_(False), Meeting.status == rules.HELD,
                   Attendance.status.in_((rules.PRESENT, rules.GUEST)), Attendance.member_id.is_not(None),
                   Meeting.meeting_date <= today)
            .group_by(Attendance.member_id)
        )
        last_life.update(s.execute(q).all())
        # 党章 art. 9 asks "without good reason": an 应到 exemption (长期外出, 病重 …) in the window is one.
        excused = {mid for mid, found in exemptions_of(s, [r[0] for r in roster]).items()
                   if any(e.start <= today and (e.end is None or e.end >= since) for e in found)}
        out = []
        for r in roster:
            mid, name, org, status, mobile, joined = r[0], r[1], r[2], r[3], r[4], r[5]
            if status == member_rules.SUSPENDED or (joined is not None and joined > since) or mid in excused:
                continue
            life = last_life.get(mid)
            if life is not None and life >= since:
                continue  # the cheap half first: most members came to something lately
            dues = dues_last_paid(mid) if dues_last_paid is not None else None
            if not rules.lost_contact(life, dues, today, months, dues_known=dues_last_paid is not None):
                continue
            branch = orgs.branch_of(org)
            out.append(LostContactRisk(mid, name, branch.name if branch else "", status, mobile, life, dues,
                                       dues_last_paid is not None))
        out.sort(key=lambda x: (x.last_life or date.min, x.branch_name, x.name))
    return privacy.mask_unless(db, "members.reveal", out)
