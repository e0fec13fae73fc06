"""Per-branch cadence: since when a branch is tracked, whether it has a committee, its 书记's 党课.

The compliance grid asks each branch only for the meetings it must hold
(domain/cadence.py has the rules); this module reads what those rules need:
the branch's settings, its committee seats and 正式党员 as of the day, and the
year's 党课 with their lecturers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import cadence as rules
from desktop_app.domain import meetings as meeting_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import FULL, SUSPENDED
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.membership import StandingBook
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.records import live, writes
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_cadence import BranchCadence
from desktop_app.store.models_meetings import CommitteeMember, Meeting
from desktop_app.views.cadence import BranchCadenceRow


def _settings_rows(s: Session, branch_ids: Sequence[str]) -> dict[str, BranchCadence]:
    out: dict[str, BranchCadence] = {}
    for row in s.scalars(select(BranchCadence).where(BranchCadence.org_id.in_(list(branch_ids)),
                                                     BranchCadence.deleted.is_(False))
                         .order_by(BranchCadence.updated_at)):
        out[row.org_id] = row  # the latest wins should two sites have written one
    return out


def _seats(s: Session, branch_ids: Sequence[str], first: date, last: date) -> dict[str, list[tuple]]:
    """(member_id, role) of committee seats held at some time between first and last, per branch."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for org_id, mid, role, start, end in s.execute(
        select(CommitteeMember.org_id, CommitteeMember.member_id, CommitteeMember.role,
               CommitteeMember.start_date, CommitteeMember.end_date)
        .where(CommitteeMember.org_id.in_(list(branch_ids)), CommitteeMember.deleted.is_(False))
    ):
        if (start is None or start <= last) and (end is None or end >= first):
            out[org_id].append((mid, role))
    return out


def _full_members(s: Session, orgs: OrgTree, branch_ids: Sequence[str], day: date) -> dict[str, int]:
    """正式党员 of each branch (its groups included) on `day`."""
    wanted = set(branch_ids)
    rows = s.execute(select(Member.id, Member.org_id).where(Member.deleted.is_(False))).all()
    book = StandingBook(s, [r[0] for r in rows])
    out: dict[str, int] = defaultdict(int)
    for mid, _org_id in rows:
        then = book.on(mid, day)
        b = orgs.branch_of(then.org_id) if then is not None else None  # the branch of that day
        if b is None or b.id not in wanted:
            continue
        if then is not None and then.member and then.category == FULL and then.party_status != SUSPENDED:
            out[b.id] += 1
    return out


def branch_settings(s: Session, orgs: OrgTree, branch_ids: Sequence[str], year: int,
                    day: date) -> dict[str, tuple[date | None, bool]]:
    """(tracking since, has committee) of each branch for `year`, its members counted on `day`."""
    saved = _settings_rows(s, branch_ids)
    seats = _seats(s, branch_ids, date(year, 1, 1), date(year, 12, 31))
    need_count = [b for b in branch_ids if (saved.get(b) is None or saved[b].has_committee is None)
                  and not seats.get(b)]
    full = _full_members(s, orgs, need_count, day) if need_count else {}
    out = {}
    for b in branch_ids:
        row = saved.get(b)
        out[b] = (row.tracking_since if row else None,
                  rules.has_committee(row.has_committee if row else None, len(seats.get(b, ())), full.get(b, 0)))
    return out


def secretary_lectures(s: Session, branch_ids: Sequence[str], year: int) -> dict[str, bool]:
    """Whether each branch's 书记 of `year` gave one of its 党课 that year."""
    orgs = OrgTree(s)
    seats = _seats(s, branch_ids, date(year, 1, 1), date(year, 12, 31))
    names = dict(s.execute(select(Member.id, Member.name).where(
        Member.id.in_([mid for v in seats.values() for mid, _ in v]))).all())
    lecturers: dict[str, list[str]] = defaultdict(list)
    for org_id, lecturer in s.execute(
        select(Meeting.org_id, Meeting.lecturer)
        .where(Meeting.deleted.is_(False), Meeting.kind == meeting_rules.PARTY_LECTURE,
               Meeting.status == meeting_rules.HELD,
               Meeting.meeting_date >= date(year, 1, 1), Meeting.meeting_date <= date(year, 12, 31))
    ):
        b = orgs.branch_of(org_id)
        if b is not None:
            lecturers[b.id].append(lecturer or "")
    return {
        b: rules.secretary_lectured(lecturers.get(b, ()),
                                    [names.get(mid, "") for mid, role in seats.get(b, ()) if role == rules.SECRETARY_ROLE])
        for b in branch_ids
    }


# ---------------------------------------------------------------- public

def branch_cadence(db: Database, today: date | None = None) -> list[BranchCadenceRow]:
    """Every branch's cadence settings and what applies today."""
    auth.require(db, "meetings.read")
    today = _today(today)
    with db.session() as s:
        orgs = OrgTree(s)
        branches = orgs.branches()
        ids = [b.id for b in branches]
        saved = _settings_rows(s, ids)
        now = branch_settings(s, orgs, ids, today.year, today)
        return [
            BranchCadenceRow(
                b.id, b.name,
                saved[b.id].tracking_since if b.id in saved else None,
                saved[b.id].has_committee if b.id in saved else None,
                now[b.id][1], len(orgs.groups_of(b.id)),
                saved[b.id].note if b.id in saved else "",
            )
            for b in branches
        ]


@writes("meetings.write")
def set_branch_cadence(uow: UnitOfWork, org_id: str, tracking_since: date | None, has_committee: bool | None,
                       note: str = "") -> None:
    """Save a branch's tracking start and committee setting (None: decided by the 党章)."""
    s = uow.session
    org = live(s, Organization, org_id, "党组织")
    if org.kind != OrgKind.BRANCH:
        raise ValidationError("党组织", "只有党支部有三会一课的频次设置")
    row = _settings_rows(s, [org_id]).get(org_id)
    if row is None:
        row = BranchCadence(org_id=org_id)
        s.add(row)
    row.tracking_since = tracking_since
    row.has_committee = has_committee
    row.note = (note or "").strip()
