"""三会一课 and organisation life: plan, hold, cancel, attendance, attachments, compliance, follow-up.

Every write is one UnitOfWork and returns plain dataclasses. Cadence rules come
from domain.meetings with the center's overrides (MeetingKindSetting). A
meeting's expected attendees are Attendance rows with an empty status until
attendance is recorded; guests (列席) are rows with is_guest set.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import meetings as rules
from desktop_app.domain import members as member_rules
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.meetings import CellStatus, KindRule, Period, PeriodUnit
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth, privacy
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_meetings import (
    Attendance, CommitteeMember, Meeting, MeetingAttachment, MeetingKindSetting,
)

_CHUNK = 500
# Members expected at their branch's meetings: everyone on the roster except the suspended.
EXPECTED_STATUSES = (member_rules.NORMAL, member_rules.FLOATING, member_rules.LOST)
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
ATTACHMENTS_DIR = "attachments"


# ---------------------------------------------------------------- value types

@dataclass(frozen=True)
class KindSetting:
    kind: str
    unit: str
    times: int
    required: bool
    holder: str
    cadence_label: str
    customized: bool  # differs from the street's default


@dataclass(frozen=True)
class MeetingInput:
    """What a user edits about a meeting (attendees and status have their own calls)."""

    org_id: str | None = None
    kind: str = ""
    title: str = ""
    meeting_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    host: str = ""
    recorder: str = ""
    lecturer: str = ""
    minutes: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Guest:
    """A 列席 guest: a member of another branch (member_id) or someone from outside (name, unit)."""

    name: str = ""
    unit: str = ""
    member_id: str | None = None


@dataclass(frozen=True)
class AttendanceEntry:
    """How one person attended. Identify by attendance_id, else member_id, else guest_name."""

    status: str
    reason: str = ""
    member_id: str | None = None
    attendance_id: str | None = None
    guest_name: str = ""
    guest_unit: str = ""


@dataclass(frozen=True)
class Attendee:
    id: str
    member_id: str | None
    name: str
    group_name: str  # 所在党小组 ("" when the member sits directly in the branch)
    org_name: str  # the member's own organisation (a guest's branch)
    category: str  # 正式党员 / 预备党员, "" for outside guests
    mobile: str  # unmasked; forms mask it
    status: str  # "" until recorded
    reason: str
    is_guest: bool
    guest_unit: str
    on_committee: bool
    has_vote: bool


@dataclass(frozen=True)
class AttachmentRow:
    id: str
    file_name: str
    stored_name: str
    size: int
    note: str


@dataclass(frozen=True)
class MeetingRow:
    id: str
    number: str
    org_id: str
    org_name: str
    branch_id: str | None
    branch_name: str
    kind: str
    title: str
    meeting_date: date
    start_time: time | None
    place: str
    host: str
    status: str
    expected: int
    present: int
    leave: int
    absent: int
    guests: int
    recorded: int  # attendees with a recorded status
    quorum: rules.Quorum
    attachments: int

    @property
    def status_label(self) -> str:
        return rules.MEETING_STATUS_LABELS.get(self.status, self.status)

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.expected)

    @property
    def lacks_quorum(self) -> bool:
        return self.status == rules.HELD and self.quorum.lacking


@dataclass(frozen=True)
class MeetingDetail(MeetingRow):
    end_time: time | None = None
    recorder: str = ""
    lecturer: str = ""
    minutes: str = ""
    cancel_reason: str = ""
    notes: str = ""
    version: int = 0
    attendees: tuple[Attendee, ...] = ()
    files: tuple[AttachmentRow, ...] = ()

    def to_input(self) -> MeetingInput:
        return MeetingInput(
            org_id=self.org_id, kind=self.kind, title=self.title, meeting_date=self.meeting_date,
            start_time=self.start_time, end_time=self.end_time, place=self.place, host=self.host,
            recorder=self.recorder, lecturer=self.lecturer, minutes=self.minutes, notes=self.notes,
        )


@dataclass
class MeetingFilter:
    org_id: str | None = None  # this organisation and the ones under it
    kind: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # number, title, place or host fragment


@dataclass(frozen=True)
class ExpectedPerson:
    """Someone a new meeting would expect by default (the dialog shows them ticked)."""

    member_id: str
    name: str
    group_name: str
    category: str
    on_committee: bool


@dataclass(frozen=True)
class CommitteeSeat:
    id: str
    member_id: str
    name: str
    role: str
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class ComplianceCell:
    org_id: str
    kind: str
    period: Period
    status: CellStatus
    held: int = 0
    planned: int = 0
    no_quorum: int = 0
    meeting_ids: tuple[str, ...] = ()
    owing: tuple[str, ...] = ()  # party groups behind a branch's 党小组会 cell that owe it

    @property
    def label(self) -> str:
        return rules.CELL_LABELS[self.status]


@dataclass(frozen=True)
class ComplianceRow:
    org_id: str
    name: str
    code: str
    kind: str  # branch (group-held kinds are summed up into their branch)


@dataclass(frozen=True)
class ComplianceGrid:
    year: int
    today: date
    kinds: tuple[str, ...]  # tracked kinds, in the street's order
    rules: dict[str, KindRule]  # by kind, as the site's community has them
    rows: tuple[ComplianceRow, ...]
    cells: dict[tuple[str, str], tuple[ComplianceCell, ...]]  # (branch id, kind) -> a cell per period of the year

    def periods(self, kind: str) -> list[Period]:
        return rules.periods_in_year(self.year, self.rules[kind].unit)

    def current(self, org_id: str, kind: str) -> ComplianceCell | None:
        """The cell of the period holding today (or the year's last period for a past year)."""
        cells = self.cells.get((org_id, kind))
        if not cells:
            return None
        day = self.today if self.today.year == self.year else date(self.year, 12, 31)
        if self.today.year < self.year:
            day = date(self.year, 1, 1)
        return next((c for c in cells if c.period.contains(day)), cells[-1])

    def count(self, status: CellStatus) -> int:
        return sum(1 for cells in self.cells.values() for c in cells if c.status == status)

    @property
    def overdue(self) -> int:
        return self.count(CellStatus.OVERDUE)


@dataclass(frozen=True)
class ComplianceSummary:
    overdue: int  # branch-kind-periods of this year that ended unheld
    due: int  # owed in the running period
    no_quorum: int  # held without quorum this year
    branches_owing: int  # branches with at least one overdue meeting


@dataclass(frozen=True)
class MemberMeetingLine:
    meeting_id: str
    number: str
    meeting_date: date
    kind: str
    title: str
    org_name: str
    status: str
    reason: str
    is_guest: bool


@dataclass(frozen=True)
class MemberHistory:
    member_id: str
    name: str
    branch_name: str
    lines: tuple[MemberMeetingLine, ...]  # held meetings, newest first
    expected: int
    present: int
    leave: int
    absent: int

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.expected)


@dataclass(frozen=True)
class MemberRate:
    member_id: str
    name: str
    branch_name: str
    expected: int
    present: int
    leave: int
    absent: int
    last_present: date | None

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.expected)


@dataclass(frozen=True)
class AbsenceStreak:
    member_id: str
    name: str
    branch_name: str
    mobile: str
    streak: int  # latest required meetings missed in a row
    last_present: date | None
    missed: tuple[tuple[date, str], ...]  # (date, kind) of the meetings in the streak, newest first


@dataclass(frozen=True)
class LostContactRisk:
    member_id: str
    name: str
    branch_name: str
    status: str
    mobile: str
    last_life: date | None  # last meeting attended
    last_dues: date | None
    dues_known: bool  # False: the dues half of the rule was not checked


@dataclass(frozen=True)
class PersonRef:
    """A member as an import finds them: by ID number or by name within a branch."""

    member_id: str
    name: str
    id_number: str
    branch_id: str | None


# ---------------------------------------------------------------- helpers

def _today(today: date | None) -> date:
    return today or date.today()


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class _Org:
    id: str
    name: str
    code: str
    kind: str
    parent_id: str | None
    sort_order: int


class _Orgs:
    """The live organisation tree in memory: meetings need branch, group and community of many rows."""

    def __init__(self, s: Session):
        rows = s.execute(
            select(Organization.id, Organization.name, Organization.code, Organization.kind,
                   Organization.parent_id, Organization.sort_order)
            .where(Organization.deleted.is_(False))
            .order_by(Organization.sort_order, Organization.code)
        ).all()
        self.by_id: dict[str, _Org] = {r[0]: _Org(*r) for r in rows}
        self.children: dict[str | None, list[_Org]] = defaultdict(list)
        for o in self.by_id.values():
            self.children[o.parent_id].append(o)

    def get(self, org_id: str | None) -> _Org | None:
        return self.by_id.get(org_id) if org_id else None

    def branch_of(self, org_id: str | None) -> _Org | None:
        org = self.get(org_id)
        while org is not None and org.kind not in (OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.STREET):
            org = self.get(org.parent_id)
        return org if org is not None and org.kind == OrgKind.BRANCH else None

    def community_of(self, org_id: str | None) -> _Org | None:
        org = self.get(org_id)
        while org is not None and org.kind != OrgKind.COMMUNITY:
            org = self.get(org.parent_id)
        return org

    def subtree(self, org_id: str) -> list[str]:
        out, stack = [], [org_id]
        while stack:
            oid = stack.pop()
            out.append(oid)
            stack.extend(c.id for c in self.children.get(oid, []))
        return out

    def groups_of(self, branch_id: str) -> list[_Org]:
        return [c for c in self.children.get(branch_id, []) if c.kind == OrgKind.GROUP]

    def branches(self) -> list[_Org]:
        """Every live branch in tree order."""
        out: list[_Org] = []

        def walk(parent: str | None) -> None:
            for o in self.children.get(parent, []):
                if o.kind == OrgKind.BRANCH:
                    out.append(o)
                walk(o.id)

        walk(None)
        return out

    def group_name(self, org_id: str | None) -> str:
        org = self.get(org_id)
        return org.name if org is not None and org.kind == OrgKind.GROUP else ""


def _site_code(s: Session) -> str:
    return s.scalar(select(Site.org_code).limit(1)) or ""


def _own_community(s: Session, orgs: _Orgs) -> _Org | None:
    code = _site_code(s)
    own = next((o for o in orgs.by_id.values() if o.code == code), None)
    if own is not None and own.kind == OrgKind.COMMUNITY:
        return own
    return next((o for o in orgs.by_id.values() if o.kind == OrgKind.COMMUNITY), None)


def _rules_for(s: Session, community_id: str | None) -> dict[str, KindRule]:
    """Cadence per kind for one community: its own settings over the database's, over the defaults."""
    out = {r.kind: r for r in rules.DEFAULT_KINDS}
    settings = s.execute(
        select(MeetingKindSetting).where(
            MeetingKindSetting.deleted.is_(False),
            or_(MeetingKindSetting.org_id.is_(None), MeetingKindSetting.org_id == community_id)
            if community_id else MeetingKindSetting.org_id.is_(None),
        )
    ).scalars().all()
    # None first, then the community's own: the more specific one wins.
    for st in sorted(settings, key=lambda x: x.org_id is not None):
        if st.kind in out:
            try:
                out[st.kind] = rules.make_rule(st.kind, st.unit, st.times, st.required)
            except ValidationError:
                continue  # a bad synced setting must not break the compliance page
    return out


class _RuleBook:
    """Rules per community, read once per call."""

    def __init__(self, s: Session, orgs: _Orgs):
        self.s, self.orgs = s, orgs
        self._cache: dict[str | None, dict[str, KindRule]] = {}

    def for_org(self, org_id: str | None) -> dict[str, KindRule]:
        community = self.orgs.community_of(org_id)
        key = community.id if community else None
        if key not in self._cache:
            self._cache[key] = _rules_for(self.s, key)
        return self._cache[key]


def _live_meeting(s: Session, meeting_id: str) -> Meeting:
    m = s.get(Meeting, meeting_id)
    if m is None or m.deleted:
        raise NotFound("该会议不存在或已删除")
    return m


_HOLDER_KINDS: dict[rules.Holder, tuple[str, ...]] = {
    rules.Holder.BRANCH: (OrgKind.BRANCH,),
    rules.Holder.GROUP: (OrgKind.GROUP, OrgKind.BRANCH),
    rules.Holder.COMMUNITY: (OrgKind.COMMUNITY, OrgKind.BRANCH, OrgKind.STREET),
}


def _check_holder(orgs: _Orgs, org_id: str | None, kind: str) -> _Org:
    if not org_id:
        raise ValidationError("党组织", "请选择召开会议的党组织")
    org = orgs.get(org_id)
    if org is None:
        raise ValidationError("党组织", "所选党组织不存在或已删除")
    allowed = _HOLDER_KINDS[rules.default_rule(kind).holder]
    if org.kind not in allowed:
        from desktop_app.domain.orgs import KIND_LABELS

        where = "、".join(KIND_LABELS[OrgKind(k)] for k in allowed)
        raise ValidationError("党组织", f"{kind}应由{where}召开，“{org.name}”是{KIND_LABELS[OrgKind(org.kind)]}")
    return org


def _validated(inp: MeetingInput) -> MeetingInput:
    kind = rules.check_kind(inp.kind)
    if inp.meeting_date is None:
        raise ValidationError("会议日期", "不能为空")
    if not 2000 <= inp.meeting_date.year <= 2100:
        raise ValidationError("会议日期", f"{inp.meeting_date:%Y-%m-%d} 不合理")
    if inp.start_time and inp.end_time and inp.end_time <= inp.start_time:
        raise ValidationError("结束时间", "应晚于开始时间")
    lecturer = rules.check_short("授课人", inp.lecturer, 40)
    return MeetingInput(
        org_id=inp.org_id,
        kind=kind,
        title=rules.check_title(inp.title, kind),
        meeting_date=inp.meeting_date,
        start_time=inp.start_time,
        end_time=inp.end_time,
        place=rules.check_short("会议地点", inp.place, 60),
        host=rules.check_short("主持人", inp.host, 40),
        recorder=rules.check_short("记录人", inp.recorder, 40),
        lecturer=lecturer,
        minutes=(inp.minutes or "").strip(),
        notes=(inp.notes or "").strip(),
    )


def _member_org_ids(orgs: _Orgs, org: _Org) -> list[str]:
    """Organisations whose members belong to a meeting of `org` (a branch covers its groups)."""
    return orgs.subtree(org.id) if org.kind != OrgKind.GROUP else [org.id]


def _roster_members(s: Session, org_ids: Sequence[str]) -> list[tuple]:
    """(id, name, org_id, category, seq) of the members expected at meetings of these orgs."""
    out: list[tuple] = []
    for chunk in _chunks(list(org_ids)):
        out += s.execute(
            select(Member.id, Member.name, Member.org_id, Member.category, Member.seq)
            .where(Member.org_id.in_(chunk), Member.deleted.is_(False),
                   Member.status.in_(EXPECTED_STATUSES))
        ).all()
    return out


def _committee_ids(s: Session, branch_id: str | None, on: date) -> list[str]:
    if not branch_id:
        return []
    return list(s.scalars(
        select(CommitteeMember.member_id)
        .where(CommitteeMember.org_id == branch_id, CommitteeMember.deleted.is_(False),
               or_(CommitteeMember.start_date.is_(None), CommitteeMember.start_date <= on),
               or_(CommitteeMember.end_date.is_(None), CommitteeMember.end_date >= on))
        .order_by(CommitteeMember.sort_order)
    ))


def _default_attendees(s: Session, orgs: _Orgs, org: _Org, kind: str, on: date) -> list[str]:
    """Member ids a meeting expects by default, in sign-in order (group, then roster number)."""
    who = rules.default_rule(kind).attendees
    if who == "invited":
        return []
    if who == "committee":
        return _committee_ids(s, orgs.branch_of(org.id).id if orgs.branch_of(org.id) else None, on)
    members = _roster_members(s, _member_org_ids(orgs, org))

    def order(r: tuple) -> tuple:
        group = orgs.get(r[2])
        directly = group is None or group.kind != OrgKind.GROUP
        return (0 if directly else 1, 0 if directly else group.sort_order, r[4], r[1])

    return [r[0] for r in sorted(members, key=order)]


def _next_number(s: Session, year: int) -> str:
    """<site code>-<year>-<4-digit serial>: unique in this database, never reused after a delete."""
    prefix = f"{_site_code(s) or 'HY'}-{year}-"
    taken = s.scalars(select(Meeting.number).where(Meeting.number.like(f"{prefix}%"))).all()
    serials = [int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:04d}"


def _add_attendees(s: Session, meeting: Meeting, member_ids: Sequence[str], guests: Sequence[Guest],
                   start_order: int = 0) -> int:
    order = start_order
    seen: set[str] = set()
    for mid in member_ids:
        if mid in seen:
            continue
        seen.add(mid)
        order += 1
        s.add(Attendance(meeting_id=meeting.id, member_id=mid, sort_order=order))
    for g in guests:
        order += 1
        s.add(_guest_row(s, meeting, g, order))
    return order - start_order


def _guest_row(s: Session, meeting: Meeting, g: Guest, order: int, status: str = rules.GUEST) -> Attendance:
    if g.member_id:
        m = s.get(Member, g.member_id)
        if m is None or m.deleted:
            raise ValidationError("列席人员", "所选党员不存在或已删除")
        return Attendance(meeting_id=meeting.id, member_id=m.id, is_guest=True, status=status,
                          guest_unit=rules.check_short("列席人员单位", g.unit, 60), sort_order=order)
    name = rules.check_short("列席人员", g.name, 40)
    if not name:
        raise ValidationError("列席人员", "姓名不能为空")
    return Attendance(meeting_id=meeting.id, guest_name=name, is_guest=True, status=status,
                      guest_unit=rules.check_short("列席人员单位", g.unit, 60), sort_order=order)


def _check_members_exist(s: Session, member_ids: Sequence[str]) -> None:
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(member_ids))):
        found |= set(s.scalars(select(Member.id).where(Member.id.in_(chunk), Member.deleted.is_(False))))
    missing = [m for m in member_ids if m not in found]
    if missing:
        raise ValidationError("应到人员", f"有 {len(set(missing))} 名所选党员不存在或已删除")


# ---------------------------------------------------------------- kind settings

def kind_settings(db: Database, org_id: str | None = None) -> list[KindSetting]:
    """Every kind with the cadence that applies to `org_id`'s community (default: this site's)."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = _Orgs(s)
        community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
        current = _rules_for(s, community.id if community else None)
        out = []
        for default in rules.DEFAULT_KINDS:
            r = current[default.kind]
            out.append(KindSetting(
                r.kind, r.unit.value, r.times, r.required, r.holder.value, r.cadence_label,
                customized=(r.unit, r.times, r.required) != (default.unit, default.times, default.required),
            ))
        return out


def set_kind_setting(db: Database, kind: str, unit: str, times: int = 1, required: bool = True,
                     org_id: str | None = None) -> KindSetting:
    """Change one kind's cadence for a community (default: this site's own)."""
    auth.require(db, "settings.write")
    set_kind_settings(db, [(kind, unit, times, required)], org_id)
    return next(k for k in kind_settings(db, org_id) if k.kind == kind)


def set_kind_settings(db: Database, settings: Sequence[tuple[str, str, int, bool]],
                      org_id: str | None = None) -> list[KindSetting]:
    """Save several cadences at once: [(kind, unit, times, required)]; all or nothing."""
    auth.require(db, "settings.write")
    wanted = [rules.make_rule(kind, unit, times, required) for kind, unit, times, required in settings]
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = _Orgs(s)
        community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
        cid = community.id if community else None
        rows = {r.kind: r for r in s.scalars(select(MeetingKindSetting).where(
            MeetingKindSetting.deleted.is_(False),
            MeetingKindSetting.org_id == cid if cid else MeetingKindSetting.org_id.is_(None),
        ))}
        for rule in wanted:
            row = rows.get(rule.kind)
            if row is None:
                s.add(MeetingKindSetting(org_id=cid, kind=rule.kind, unit=rule.unit.value, times=rule.times,
                                         required=rule.required))
                continue
            if row.unit != rule.unit.value:
                row.unit = rule.unit.value
            if row.times != rule.times:
                row.times = rule.times
            if row.required != rule.required:
                row.required = rule.required
        uow.commit()
    return kind_settings(db, org_id)


def reset_kind_settings(db: Database, org_id: str | None = None) -> None:
    """Back to the street's defaults for a community (default: this site's own)."""
    auth.require(db, "settings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = _Orgs(s)
        community = orgs.community_of(org_id) if org_id else _own_community(s, orgs)
        cid = community.id if community else None
        for row in s.scalars(select(MeetingKindSetting).where(
            MeetingKindSetting.deleted.is_(False),
            MeetingKindSetting.org_id == cid if cid else MeetingKindSetting.org_id.is_(None),
        )):
            row.deleted = True
        uow.commit()


# ---------------------------------------------------------------- committee

def committee(db: Database, branch_id: str, on: date | None = None) -> list[CommitteeSeat]:
    """The branch committee serving on `on` (default today), in seat order."""
    auth.require(db, "meetings.read")
    on = _today(on)
    with db.session() as s:
        rows = s.execute(
            select(CommitteeMember, Member.name)
            .join(Member, Member.id == CommitteeMember.member_id)
            .where(CommitteeMember.org_id == branch_id, CommitteeMember.deleted.is_(False),
                   or_(CommitteeMember.start_date.is_(None), CommitteeMember.start_date <= on),
                   or_(CommitteeMember.end_date.is_(None), CommitteeMember.end_date >= on))
            .order_by(CommitteeMember.sort_order)
        ).all()
        return [CommitteeSeat(c.id, c.member_id, name, c.role, c.start_date, c.end_date) for c, name in rows]


def set_committee(db: Database, branch_id: str, seats: Sequence[tuple[str, str]], on: date | None = None,
                  today: date | None = None) -> list[CommitteeSeat]:
    """The committee from `on` (default today): [(member id, role)] in seat order.

    Members who leave get an end date the day before; the record of who served
    when stays, so past 支委会 keep their quorum.
    """
    auth.require(db, "meetings.write")
    on = on or _today(today)
    roles = []
    for i, (mid, role) in enumerate(seats, start=1):
        role = (role or "委员").strip()
        if role not in rules.COMMITTEE_ROLES:
            raise ValidationError("职务", f"第 {i} 位：“{role}”应为 {'、'.join(rules.COMMITTEE_ROLES)} 之一")
        roles.append((mid, role))
    ids = [m for m, _ in roles]
    if len(set(ids)) != len(ids):
        raise ValidationError("支委会成员", "同一名党员不能重复列入")
    if sum(1 for _, r in roles if r == "书记") > 1:
        raise ValidationError("职务", "一个支部只能有一名书记")
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = _Orgs(s)
        branch = orgs.get(branch_id)
        if branch is None or branch.kind != OrgKind.BRANCH:
            raise ValidationError("党支部", "请选择一个党支部")
        allowed = set(orgs.subtree(branch.id))
        for mid in ids:
            m = s.get(Member, mid)
            if m is None or m.deleted:
                raise ValidationError("支委会成员", "所选党员不存在或已删除")
            if m.org_id not in allowed:
                raise ValidationError("支委会成员", f"{m.name}不是{branch.name}的党员")
        current = s.scalars(select(CommitteeMember).where(
            CommitteeMember.org_id == branch.id, CommitteeMember.deleted.is_(False),
            or_(CommitteeMember.end_date.is_(None), CommitteeMember.end_date >= on),
        )).all()
        by_member = {c.member_id: c for c in current}
        for c in current:
            if c.member_id not in ids:
                if c.start_date is not None and c.start_date >= on:
                    c.deleted = True  # never served: no history to keep
                else:
                    c.end_date = on - timedelta(days=1)
        for order, (mid, role) in enumerate(roles, start=1):
            c = by_member.get(mid)
            if c is None:
                s.add(CommitteeMember(org_id=branch.id, member_id=mid, role=role, start_date=on,
                                      sort_order=order))
                continue
            if c.role != role:
                c.role = role
            if c.sort_order != order:
                c.sort_order = order
        uow.commit()
    return committee(db, branch_id, on)


# ---------------------------------------------------------------- planning

def default_attendees(db: Database, org_id: str, kind: str, on: date | None = None) -> list[ExpectedPerson]:
    """Who a new meeting of `kind` held by `org_id` expects: the branch's (or group's) members,
    the committee for a 支委会, nobody for a 联席会议."""
    auth.require(db, "meetings.read")
    on = _today(on)
    with db.session() as s:
        orgs = _Orgs(s)
        org = _check_holder(orgs, org_id, rules.check_kind(kind))
        ids = _default_attendees(s, orgs, org, kind, on)
        return _people(s, orgs, ids, on)


def branch_people(db: Database, org_id: str, on: date | None = None) -> list[ExpectedPerson]:
    """Every member of an organisation and its groups who may attend, in sign-in order."""
    auth.require(db, "meetings.read")
    on = _today(on)
    with db.session() as s:
        orgs = _Orgs(s)
        org = orgs.get(org_id)
        if org is None:
            raise NotFound("该党组织不存在或已删除")
        branch = orgs.branch_of(org.id) or org
        ids = _default_attendees(s, orgs, branch, rules.BRANCH_CONGRESS, on)
        return _people(s, orgs, ids, on)


def _people(s: Session, orgs: _Orgs, ids: Sequence[str], on: date) -> list[ExpectedPerson]:
    rows: dict[str, tuple] = {}
    for chunk in _chunks(list(ids)):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category)
                           .where(Member.id.in_(chunk))):
            rows[r[0]] = r
    committees: dict[str, set[str]] = {}
    out = []
    for mid in ids:
        r = rows.get(mid)
        if r is None:
            continue
        branch = orgs.branch_of(r[2])
        if branch is not None and branch.id not in committees:
            committees[branch.id] = set(_committee_ids(s, branch.id, on))
        on_committee = branch is not None and mid in committees[branch.id]
        out.append(ExpectedPerson(mid, r[1], orgs.group_name(r[2]), r[3], on_committee))
    return out


def plan(
    db: Database,
    inp: MeetingInput,
    attendee_ids: Sequence[str] | None = None,
    guests: Sequence[Guest] = (),
    today: date | None = None,
) -> MeetingDetail:
    """Plan a meeting. attendee_ids None means the kind's default (the branch's members).

    A meeting already past may be planned too: secretaries enter last week's
    meeting this way and then record its attendance.
    """
    auth.require(db, "meetings.write")
    clean = _validated(inp)
    today = _today(today)
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = _Orgs(s)
        org = _check_holder(orgs, clean.org_id, clean.kind)
        if attendee_ids is None:
            attendee_ids = _default_attendees(s, orgs, org, clean.kind, clean.meeting_date)
        else:
            _check_members_exist(s, attendee_ids)
        m = Meeting(number=_next_number(s, clean.meeting_date.year), status=rules.PLANNED,
                    **{k: getattr(clean, k) for k in _INPUT_FIELDS})
        s.add(m)
        s.flush()
        _add_attendees(s, m, attendee_ids, guests)
        s.flush()
        detail = _detail(s, m, orgs)
        uow.commit()
        return detail


_INPUT_FIELDS = ("org_id", "kind", "title", "meeting_date", "start_time", "end_time", "place", "host",
                 "recorder", "lecturer", "minutes", "notes")


def _attendance_rows(s: Session, meeting_id: str) -> list[Attendance]:
    return list(s.scalars(
        select(Attendance)
        .where(Attendance.meeting_id == meeting_id, Attendance.deleted.is_(False))
        .order_by(Attendance.sort_order, Attendance.created_at)
    ))


def update(db: Database, meeting_id: str, inp: MeetingInput, attendee_ids: Sequence[str] | None = None,
           guests: Sequence[Guest] | None = None, today: date | None = None) -> MeetingDetail:
    """Save edited fields, and the expected attendees and guests when given (None keeps them).

    A meeting moved to another organisation or kind before any attendance is
    recorded gets that one's default attendees unless attendee_ids says otherwise;
    once attendance is recorded it cannot move.
    """
    auth.require(db, "meetings.write")
    clean = _validated(inp)
    with UnitOfWork(db) as uow:
        s = uow.session
        orgs = _Orgs(s)
        m = _live_meeting(s, meeting_id)
        org = _check_holder(orgs, clean.org_id, clean.kind)
        moved = (clean.org_id, clean.kind) != (m.org_id, m.kind)
        if moved:
            rows = _attendance_rows(s, m.id)
            if any(a.status and not a.is_guest for a in rows):
                raise Conflict("已登记出勤的会议不能更换党组织或会议类型，请先清空出勤记录或新建会议")
        for k in _INPUT_FIELDS:
            if getattr(m, k) != getattr(clean, k):
                setattr(m, k, getattr(clean, k))
        if moved and attendee_ids is None:
            attendee_ids = _default_attendees(s, orgs, org, clean.kind, clean.meeting_date)
        if attendee_ids is not None or guests is not None:
            if attendee_ids is None:
                attendee_ids = [a.member_id for a in _attendance_rows(s, m.id) if not a.is_guest and a.member_id]
            _set_attendees(s, m, attendee_ids, guests)
        s.flush()
        detail = _detail(s, m, orgs)
        uow.commit()
        return detail


def _set_attendees(s: Session, m: Meeting, member_ids: Sequence[str], guests: Sequence[Guest] | None) -> None:
    _check_members_exist(s, member_ids)
    rows = _attendance_rows(s, m.id)
    wanted = list(dict.fromkeys(member_ids))
    keep = {a.member_id: a for a in rows if not a.is_guest and a.member_id in set(wanted)}
    for a in rows:
        if a.is_guest and guests is None:
            continue
        if a.is_guest or a.member_id not in keep:
            a.deleted = True
    order = 0
    for mid in wanted:
        order += 1
        a = keep.get(mid)
        if a is None:
            s.add(Attendance(meeting_id=m.id, member_id=mid, sort_order=order))
        elif a.sort_order != order:
            a.sort_order = order
    if guests is None:
        for a in rows:
            if a.is_guest:
                order += 1
                if a.sort_order != order:
                    a.sort_order = order
    else:
        old = {(a.member_id, a.guest_name): a for a in rows if a.is_guest}
        for g in guests:
            order += 1
            row = _guest_row(s, m, g, order)
            prev = old.get((row.member_id, row.guest_name))
            if prev is not None:
                # The same guest again: keep the row (and what was recorded for them).
                prev.deleted = False
                prev.guest_unit, prev.sort_order = row.guest_unit, order
                continue
            s.add(row)


def set_attendees(db: Database, meeting_id: str, member_ids: Sequence[str],
                  guests: Sequence[Guest] | None = None) -> MeetingDetail:
    """Make `member_ids` the expected attendees (in that order); guests None keeps the guests."""
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        _set_attendees(s, m, member_ids, guests)
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def add_guest(db: Database, meeting_id: str, guest: Guest) -> MeetingDetail:
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        rows = _attendance_rows(s, m.id)
        if guest.member_id and any(a.member_id == guest.member_id for a in rows):
            raise ValidationError("列席人员", "该党员已在本次会议名单中")
        s.add(_guest_row(s, m, guest, max((a.sort_order for a in rows), default=0) + 1))
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def cancel(db: Database, meeting_id: str, reason: str = "") -> MeetingDetail:
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        if m.status == rules.HELD:
            raise Conflict("会议已召开，不能取消；如登记有误，请先改回“计划中”")
        if m.status == rules.CANCELLED:
            raise Conflict("会议已经取消")
        m.status = rules.CANCELLED
        m.cancel_reason = (reason or "").strip()
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def reopen(db: Database, meeting_id: str) -> MeetingDetail:
    """Back to 计划中: undo a cancellation, or a meeting marked held by mistake (attendance is kept)."""
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        if m.status != rules.PLANNED:
            m.status = rules.PLANNED
            m.cancel_reason = ""
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def delete(db: Database, meeting_id: str) -> None:
    """Tombstone a meeting with its attendance and attachment records (files stay in the data folder)."""
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        m.deleted = True
        for a in _attendance_rows(s, m.id):
            a.deleted = True
        for f in s.scalars(select(MeetingAttachment).where(
                MeetingAttachment.meeting_id == m.id, MeetingAttachment.deleted.is_(False))):
            f.deleted = True
        uow.commit()


def _check_can_hold(m: Meeting, today: date) -> None:
    if m.status == rules.CANCELLED:
        raise Conflict("会议已取消，不能登记出勤；如会议实际召开了，请先改回“计划中”")
    if m.meeting_date > today:
        raise ValidationError("会议日期", f"会议日期 {m.meeting_date:%Y-%m-%d} 还没到，不能登记为已召开")


def hold(db: Database, meeting_id: str, minutes: str | None = None, today: date | None = None) -> MeetingDetail:
    """Mark a meeting held (attendance as recorded so far; unrecorded attendees count as absent)."""
    auth.require(db, "meetings.write")
    today = _today(today)
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        _check_can_hold(m, today)
        m.status = rules.HELD
        if minutes is not None and minutes.strip() != m.minutes:
            m.minutes = minutes.strip()
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def _apply_entries(s: Session, m: Meeting, entries: Sequence[AttendanceEntry]) -> None:
    rows = _attendance_rows(s, m.id)
    by_id = {a.id: a for a in rows}
    by_member = {a.member_id: a for a in rows if a.member_id}
    by_guest = {a.guest_name: a for a in rows if not a.member_id}
    order = max((a.sort_order for a in rows), default=0)
    for i, e in enumerate(entries, start=1):
        status = rules.check_attendance_status(e.status)
        reason = rules.check_short("请假原因", e.reason, 100) if status == rules.LEAVE else ""
        if e.attendance_id:
            a = by_id.get(e.attendance_id)
            if a is None:
                raise ValidationError("出勤情况", f"第 {i} 条：该人员不在本次会议名单中")
        elif e.member_id:
            a = by_member.get(e.member_id)
            if a is None:
                member = s.get(Member, e.member_id)
                if member is None or member.deleted:
                    raise ValidationError("出勤情况", f"第 {i} 条：所选党员不存在或已删除")
                order += 1
                # A member who came though not on the list: a walk-in, now expected (or a guest).
                a = Attendance(meeting_id=m.id, member_id=member.id, sort_order=order,
                               is_guest=status == rules.GUEST)
                s.add(a)
                by_member[member.id] = a
        elif e.guest_name.strip():
            a = by_guest.get(e.guest_name.strip())
            if a is None:
                order += 1
                a = _guest_row(s, m, Guest(e.guest_name, e.guest_unit), order)
                s.add(a)
                by_guest[a.guest_name] = a
            if status != rules.GUEST:
                raise ValidationError("出勤情况", f"“{e.guest_name.strip()}”不是党员名单中的人，只能登记为列席")
        else:
            raise ValidationError("出勤情况", f"第 {i} 条：没有指明是谁")
        if a.is_guest and status not in (rules.GUEST,):
            if a.member_id is None:
                raise ValidationError("出勤情况", f"“{a.guest_name}”是列席人员，只能登记为列席")
            a.is_guest = False  # a member invited as guest who turns out to be expected
        if status == rules.GUEST and not a.is_guest:
            a.is_guest = True
        if a.status != status:
            a.status = status
        if a.reason != reason:
            a.reason = reason


def record_attendance(
    db: Database,
    meeting_id: str,
    entries: Sequence[AttendanceEntry],
    mark_held: bool = True,
    minutes: str | None = None,
    today: date | None = None,
) -> MeetingDetail:
    """Record how people attended, all in one transaction; the meeting becomes held (mark_held)."""
    auth.require(db, "meetings.write")
    today = _today(today)
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        if mark_held:
            _check_can_hold(m, today)
        elif m.status == rules.CANCELLED:
            raise Conflict("会议已取消，不能登记出勤")
        _apply_entries(s, m, entries)
        if mark_held and m.status != rules.HELD:
            m.status = rules.HELD
        if minutes is not None and minutes.strip() != m.minutes:
            m.minutes = minutes.strip()
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


def all_present(db: Database, meeting_id: str, today: date | None = None) -> MeetingDetail:
    """Everyone expected came: the one-click case."""
    auth.require(db, "meetings.write")
    today = _today(today)
    with UnitOfWork(db) as uow:
        s = uow.session
        m = _live_meeting(s, meeting_id)
        _check_can_hold(m, today)
        for a in _attendance_rows(s, m.id):
            if not a.is_guest and a.status != rules.PRESENT:
                a.status, a.reason = rules.PRESENT, ""
            elif a.is_guest and a.status != rules.GUEST:
                a.status = rules.GUEST
        m.status = rules.HELD
        s.flush()
        detail = _detail(s, m, _Orgs(s))
        uow.commit()
        return detail


@dataclass(frozen=True)
class BulkAttendance:
    """Attendance of several meetings, applied at once (the CSV import)."""

    meeting_id: str
    entries: tuple[AttendanceEntry, ...]


def record_many(db: Database, batches: Sequence[BulkAttendance], today: date | None = None) -> int:
    """Record attendance for many meetings in one transaction; each becomes held. Returns rows written."""
    auth.require(db, "meetings.write")
    today = _today(today)
    n = 0
    with UnitOfWork(db) as uow:
        s = uow.session
        for b in batches:
            m = _live_meeting(s, b.meeting_id)
            _check_can_hold(m, today)
            try:
                _apply_entries(s, m, b.entries)
            except ValidationError as exc:
                raise ValidationError(exc.field, f"会议 {m.number}：{exc.message}") from None
            if m.status != rules.HELD:
                m.status = rules.HELD
            n += len(b.entries)
        uow.commit()
    return n


# ---------------------------------------------------------------- attachments

def attachments_dir() -> Path:
    from desktop_app.settings import data_dir

    path = data_dir() / ATTACHMENTS_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe_name(name: str) -> str:
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .") or "附件"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    return (stem[:80] + (f".{ext[:10]}" if ext else "")) or "附件"


def add_attachment(db: Database, meeting_id: str, source: str | Path, note: str = "") -> AttachmentRow:
    """Copy a file (the signed sheet's scan, a photo) into the data folder and keep it with the meeting."""
    auth.require(db, "meetings.write")
    source = Path(source)
    if not source.is_file():
        raise ValidationError("附件", f"文件不存在：{source}")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("附件", f"{source.name} 有 {size / 1024 / 1024:.1f} MB，超过 50 MB，请压缩后再添加")
    note = rules.check_short("附件说明", note, 200)
    with db.session() as s:
        m = _live_meeting(s, meeting_id)
        folder = re.sub(r"[^0-9A-Za-z_-]", "_", m.number) or m.id
    stored = f"{folder}/{uuid.uuid4().hex[:8]}-{_safe_name(source.name)}"
    target = attachments_dir() / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = target.with_name(target.name + ".part")
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                dst.write(block)
        tmp.replace(target)
        with UnitOfWork(db) as uow:
            m = _live_meeting(uow.session, meeting_id)
            row = MeetingAttachment(meeting_id=m.id, file_name=source.name[:200], stored_name=stored,
                                    size=size, sha256=digest.hexdigest(), note=note)
            uow.session.add(row)
            uow.commit()
            return AttachmentRow(row.id, row.file_name, row.stored_name, row.size, row.note)
    except BaseException:
        # Nothing half-kept: a file without its record would never be found again.
        for p in (tmp, target):
            p.unlink(missing_ok=True)
        raise


def attachment_path(db: Database, attachment_id: str) -> Path:
    auth.require(db, "meetings.read")
    with db.session() as s:
        row = s.get(MeetingAttachment, attachment_id)
        if row is None or row.deleted:
            raise NotFound("该附件不存在或已删除")
        path = attachments_dir() / row.stored_name
    if not path.is_file():
        raise NotFound(f"附件文件已不在数据文件夹中：{path}")
    return path


def remove_attachment(db: Database, attachment_id: str) -> None:
    """Tombstone the record; the file stays in the data folder (a restore or another copy may need it)."""
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        row = uow.session.get(MeetingAttachment, attachment_id)
        if row is None or row.deleted:
            raise NotFound("该附件不存在或已删除")
        row.deleted = True
        uow.commit()


# ---------------------------------------------------------------- reading

def _quorums(s: Session, orgs: _Orgs, meetings: Sequence[Meeting | tuple]) -> dict[str, rules.Quorum]:
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
                   Member.category, Member.party_status)
            .outerjoin(Member, Member.id == Attendance.member_id)
            .where(Attendance.meeting_id.in_(chunk), Attendance.deleted.is_(False))
        ):
            by_meeting[r[0]].append(r)
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
        people = [
            rules.QuorumAttendee(status=r[2], category=r[4] or "", party_status=r[5] or "",
                                 on_committee=r[1] in committee_ids, is_guest=r[3])
            for r in by_meeting.get(mid, [])
        ]
        out[mid] = rules.quorum_for(kind, people, committee_size=len(committee_ids) if kind == rules.COMMITTEE else None)
    return out


def _rows(s: Session, orgs: _Orgs, meetings: Sequence[Meeting]) -> list[MeetingRow]:
    ids = [m.id for m in meetings]
    # Counted in SQL: a year of a big community is ~100,000 attendance rows.
    statuses: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for mid, st, guest, n in s.execute(
            select(Attendance.meeting_id, Attendance.status, Attendance.is_guest, func.count())
            .where(Attendance.meeting_id.in_(chunk), Attendance.deleted.is_(False))
            .group_by(Attendance.meeting_id, Attendance.status, Attendance.is_guest)
        ):
            statuses[mid].extend([rules.GUEST if guest else st] * n)
    files: dict[str, int] = {}
    for chunk in _chunks(ids):
        files.update(s.execute(
            select(MeetingAttachment.meeting_id, func.count())
            .where(MeetingAttachment.meeting_id.in_(chunk), MeetingAttachment.deleted.is_(False))
            .group_by(MeetingAttachment.meeting_id)
        ).all())
    quorums = _quorums(s, orgs, meetings)
    return [_row(m, orgs, statuses.get(m.id, []), quorums.get(m.id), files.get(m.id, 0)) for m in meetings]


def _row(m: Meeting, orgs: _Orgs, statuses: list[str], quorum: rules.Quorum | None, files: int) -> MeetingRow:
    counts = rules.count_attendance(statuses)
    org = orgs.get(m.org_id)
    branch = orgs.branch_of(m.org_id)
    return MeetingRow(
        id=m.id, number=m.number, org_id=m.org_id, org_name=org.name if org else "（已删除的组织）",
        branch_id=branch.id if branch else None, branch_name=branch.name if branch else (org.name if org else ""),
        kind=m.kind, title=m.title, meeting_date=m.meeting_date, start_time=m.start_time, place=m.place,
        host=m.host, status=m.status, expected=counts.expected, present=counts.present, leave=counts.leave,
        absent=counts.absent, guests=counts.guests,
        recorded=sum(1 for st in statuses if st),
        quorum=quorum or rules.Quorum(False, None), attachments=files,
    )


def _detail(s: Session, m: Meeting, orgs: _Orgs) -> MeetingDetail:
    rows = _attendance_rows(s, m.id)
    members: dict[str, tuple] = {}
    mids = [a.member_id for a in rows if a.member_id]
    for chunk in _chunks(mids):
        for r in s.execute(select(Member.id, Member.name, Member.org_id, Member.category, Member.mobile,
                                  Member.party_status).where(Member.id.in_(chunk))):
            members[r[0]] = r
    branch = orgs.branch_of(m.org_id)
    committee_ids = set(_committee_ids(s, branch.id, m.meeting_date)) if branch else set()
    attendees = []
    for a in rows:
        r = members.get(a.member_id) if a.member_id else None
        if r is not None:
            own = orgs.get(r[2])
            attendees.append(Attendee(
                id=a.id, member_id=a.member_id, name=r[1],
                group_name=orgs.group_name(r[2]) if not a.is_guest else "",
                org_name=own.name if own else "", category=r[3], mobile=r[4], status=a.status,
                reason=a.reason, is_guest=a.is_guest, guest_unit=a.guest_unit,
                on_committee=a.member_id in committee_ids,
                has_vote=rules.has_vote(r[3], r[5]) and not a.is_guest,
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
    row = _row(m, orgs, [rules.GUEST if a.is_guest else a.status for a in rows],
               _quorums(s, orgs, [m]).get(m.id), len(files))
    return MeetingDetail(
        **{f: getattr(row, f) for f in MeetingRow.__dataclass_fields__},
        end_time=m.end_time, recorder=m.recorder, lecturer=m.lecturer, minutes=m.minutes,
        cancel_reason=m.cancel_reason, notes=m.notes, version=m.version,
        attendees=tuple(attendees),
        files=tuple(AttachmentRow(f.id, f.file_name, f.stored_name, f.size, f.note) for f in files),
    )


def get(db: Database, meeting_id: str) -> MeetingDetail:
    auth.require(db, "meetings.read")
    with db.session() as s:
        detail = _detail(s, _live_meeting(s, meeting_id), _Orgs(s))
    # Attendees' mobiles are members' personal data: masked for a role that may not reveal them.
    return replace(detail, attendees=privacy.mask_unless(db, "members.reveal", detail.attendees))


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
        orgs = _Orgs(s)
        q = select(Meeting).where(Meeting.deleted.is_(False))
        if flt.org_id:
            q = q.where(Meeting.org_id.in_(orgs.subtree(flt.org_id)))
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
        orgs = _Orgs(s)
        out: list[tuple[str, str, str, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for o in orgs.children.get(parent, []):
                if o.kind in (OrgKind.COMMUNITY, OrgKind.BRANCH, OrgKind.GROUP):
                    out.append((o.id, o.name, o.kind, depth))
                    walk(o.id, depth + 1)
                else:
                    walk(o.id, depth)

        walk(None, 0)
        return out


# ---------------------------------------------------------------- compliance

_SEVERITY = {
    CellStatus.OVERDUE: 6, CellStatus.NO_QUORUM: 5, CellStatus.DUE: 4, CellStatus.PLANNED: 3,
    CellStatus.HELD: 2, CellStatus.FUTURE: 1, CellStatus.NOT_REQUIRED: 0,
}


def compliance(db: Database, year: int | None = None, today: date | None = None,
               org_id: str | None = None) -> ComplianceGrid:
    """Every branch (under `org_id`, default all) and every tracked kind: a cell per period of `year`.

    A party group's 党小组会 is summed up into its branch: the branch cell shows
    the worst of its groups and names the groups that owe it.
    """
    auth.require(db, "meetings.read")
    today = _today(today)
    year = year or today.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    with db.session() as s:
        orgs = _Orgs(s)
        book = _RuleBook(s, orgs)
        own = _own_community(s, orgs)
        head_rules = book.for_org(own.id if own else None)
        branches = orgs.branches()
        if org_id:
            inside = set(orgs.subtree(org_id))
            top = orgs.branch_of(org_id)
            branches = [b for b in branches if b.id in inside or (top is not None and b.id == top.id)]
        meetings = s.execute(
            select(Meeting.id, Meeting.kind, Meeting.org_id, Meeting.meeting_date, Meeting.status)
            .where(Meeting.deleted.is_(False), Meeting.meeting_date >= first, Meeting.meeting_date <= last,
                   Meeting.status.in_((rules.PLANNED, rules.HELD)))
        ).all()
        quorums = _quorums(s, orgs, [(m[0], m[1], m[2], m[3]) for m in meetings if m[4] == rules.HELD])
        by_holder: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for m in meetings:
            by_holder[(m[2], m[1])].append(m)

        kinds = tuple(k for k in rules.KINDS if any(book.for_org(b.id)[k].tracked for b in branches)
                      or head_rules[k].tracked)
        cells: dict[tuple[str, str], tuple[ComplianceCell, ...]] = {}
        for b in branches:
            branch_rules = book.for_org(b.id)
            for kind in kinds:
                rule = branch_rules[kind]
                if not rule.tracked:
                    unit = rule.unit if rule.unit != PeriodUnit.NONE else PeriodUnit.YEAR
                    cells[(b.id, kind)] = tuple(
                        ComplianceCell(b.id, kind, p, CellStatus.NOT_REQUIRED)
                        for p in rules.periods_in_year(year, unit))
                    continue
                holders_ = [b]
                if rule.holder == rules.Holder.GROUP:
                    holders_ = orgs.groups_of(b.id) or [b]
                # A 党小组会 the branch records as its own counts for each of its groups.
                shared = by_holder.get((b.id, kind), []) if holders_[0].id != b.id else []
                per_holder = [
                    _holder_cells(h.id, kind, rule, year, today, by_holder.get((h.id, kind), []) + shared,
                                  quorums)
                    for h in holders_
                ]
                merged = []
                for i, p in enumerate(rules.periods_in_year(year, rule.unit)):
                    parts = [hc[i] for hc in per_holder]
                    worst = max(parts, key=lambda c: _SEVERITY[c.status])
                    owing = tuple(h.name for h, c in zip(holders_, parts)
                                  if c.status in (CellStatus.OVERDUE, CellStatus.DUE, CellStatus.NO_QUORUM)
                                  and h.id != b.id)
                    merged.append(ComplianceCell(
                        b.id, kind, p, worst.status,
                        held=sum(c.held for c in parts), planned=sum(c.planned for c in parts),
                        no_quorum=sum(c.no_quorum for c in parts),
                        meeting_ids=tuple(i for c in parts for i in c.meeting_ids), owing=owing,
                    ))
                cells[(b.id, kind)] = tuple(merged)
        return ComplianceGrid(
            year=year, today=today, kinds=kinds, rules=head_rules,
            rows=tuple(ComplianceRow(b.id, b.name, b.code, b.kind) for b in branches),
            cells=cells,
        )


def _holder_cells(org_id: str, kind: str, rule: KindRule, year: int, today: date,
                  meetings: list[tuple], quorums: dict[str, rules.Quorum]) -> list[ComplianceCell]:
    out = []
    for p in rules.periods_in_year(year, rule.unit):
        inside = [m for m in meetings if p.contains(m[3])]
        held = [m for m in inside if m[4] == rules.HELD]
        planned = [m for m in inside if m[4] == rules.PLANNED and m[3] >= today]
        no_quorum = sum(1 for m in held if quorums.get(m[0]) is not None and quorums[m[0]].lacking)
        status = rules.cell_status(rule, p, today, len(held), len(planned), no_quorum)
        out.append(ComplianceCell(org_id, kind, p, status, len(held), len(planned), no_quorum,
                                  tuple(m[0] for m in inside)))
    return out


def compliance_summary(db: Database, today: date | None = None) -> ComplianceSummary:
    """Counts for the overview page: overdue, due now and held without quorum, this year."""
    auth.require(db, "meetings.read")
    today = _today(today)
    grid = compliance(db, today.year, today)
    overdue = due = no_quorum = 0
    owing: set[str] = set()
    for (org_id, _kind), cells in grid.cells.items():
        for c in cells:
            if c.status == CellStatus.OVERDUE:
                overdue += 1
                owing.add(org_id)
            elif c.status == CellStatus.DUE:
                due += 1
            no_quorum += c.no_quorum
    return ComplianceSummary(overdue, due, no_quorum, len(owing))


def overdue_count(db: Database, today: date | None = None) -> int:
    """Meetings owed this year whose period is over (branch × kind × period): the overview's number."""
    auth.require(db, "meetings.read")
    return compliance_summary(db, today).overdue


# ---------------------------------------------------------------- members: history, rates, follow-up

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
        orgs = _Orgs(s)
        rows = _held_attendance(s, [member_id], date_from, date_to)
        lines = tuple(
            MemberMeetingLine(r[1], r[6], r[2], r[3], r[4], orgs.get(r[5]).name if orgs.get(r[5]) else "",
                              rules.GUEST if r[9] else (r[7] or rules.ABSENT), r[8], r[9])
            for r in rows
        )
        counts = rules.count_attendance(line.status for line in lines)
        branch = orgs.branch_of(m.org_id)
        return MemberHistory(m.id, m.name, branch.name if branch else "", lines,
                             counts.expected, counts.present, counts.leave, counts.absent)


def _roster(s: Session, orgs: _Orgs, org_id: str | None) -> list[tuple]:
    """(id, name, org_id, status, mobile, joined_date, category) of members still on the roster."""
    q = (select(Member.id, Member.name, Member.org_id, Member.status, Member.mobile, Member.joined_date,
                Member.category, Member.seq)
         .where(Member.deleted.is_(False), Member.status.not_in(member_rules.GONE_STATUSES)))
    if org_id:
        q = q.where(Member.org_id.in_(orgs.subtree(org_id)))
    return s.execute(q.order_by(Member.seq, Member.name_pinyin)).all()


def member_rates(db: Database, org_id: str | None = None, date_from: date | None = None,
                 date_to: date | None = None) -> list[MemberRate]:
    """Attendance rate of every member on the roster (under `org_id`) over held meetings in the window."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = _Orgs(s)
        roster = _roster(s, orgs, org_id)
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
            c = rules.count_attendance(statuses.get(r[0], []))
            branch = orgs.branch_of(r[2])
            out.append(MemberRate(r[0], r[1], branch.name if branch else "", c.expected, c.present,
                                  c.leave, c.absent, last.get(r[0])))
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
        orgs = _Orgs(s)
        roster = _roster(s, orgs, org_id)
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
    """Members with no organisation life (and, when `dues_last_paid` is given, no dues) for `months`.

    `dues_last_paid(member_id)` is supplied by the dues module; without it only
    the meeting half of the rule is checked and each row says so. Members who
    joined within the window are left out: they have had no time to miss anything.
    """
    auth.require(db, "meetings.read")
    since = rules.months_before(today, months)
    with db.session() as s:
        orgs = _Orgs(s)
        roster = _roster(s, orgs, org_id)
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
        out = []
        for r in roster:
            mid, name, org, status, mobile, joined = r[0], r[1], r[2], r[3], r[4], r[5]
            if status == member_rules.SUSPENDED or (joined is not None and joined > since):
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


def people_index(db: Database) -> list[PersonRef]:
    """Every live member (those transferred out too: an old sheet may name them), for imports."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        orgs = _Orgs(s)
        out = []
        for mid, name, id_number, org_id in s.execute(
            select(Member.id, Member.name, Member.id_number, Member.org_id).where(Member.deleted.is_(False))
        ):
            branch = orgs.branch_of(org_id)
            out.append(PersonRef(mid, name, id_number, branch.id if branch else None))
    # Full ID numbers only for a role that may see them (the importers: 书记/委员, 管理员).
    return privacy.mask_unless(db, "members.reveal", out)


# ---------------------------------------------------------------- for forms

def center_name(db: Database) -> str:
    """The name printed at the top of every form."""
    auth.require(db, "meetings.read")
    with db.session() as s:
        return s.scalar(select(Site.org_name).limit(1)) or ""
