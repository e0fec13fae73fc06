"""Shared internals of the meetings services: the organisation tree in memory, chunking, lookups.

Meetings need the branch, group and community of many rows at once, so the
live tree is read once per call (services.orgtree.OrgTree); subtree queries
go through services.orgtree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import members as member_rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services.orgtree import OrgNode, OrgTree
from desktop_app.services.records import chunked, live
from desktop_app.store.models import Site
from desktop_app.store.models_meetings import Attendance, CommitteeMember, Meeting

_CHUNK = 500
# The old name: printing.py's sign-in read still says it (another change is under way there).
_Orgs = OrgTree


EXPECTED_STATUSES = (member_rules.NORMAL, member_rules.FLOATING, member_rules.LOST)


def _today(today: date | None) -> date:
    return today or date.today()


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    return chunked(items, size)


def _site_code(s: Session) -> str:
    return s.scalar(select(Site.org_code).limit(1)) or ""


def _own_community(s: Session, orgs: OrgTree) -> OrgNode | None:
    code = _site_code(s)
    own = next((o for o in orgs.by_id.values() if o.code == code), None)
    if own is not None and own.kind == OrgKind.COMMUNITY:
        return own
    return next((o for o in orgs.by_id.values() if o.kind == OrgKind.COMMUNITY), None)


def _live_meeting(s: Session, meeting_id: str) -> Meeting:
    return live(s, Meeting, meeting_id, "会议")


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


def _attendance_rows(s: Session, meeting_id: str) -> list[Attendance]:
    return list(s.scalars(
        select(Attendance)
        .where(Attendance.meeting_id == meeting_id, Attendance.deleted.is_(False))
        .order_by(Attendance.sort_order, Attendance.created_at)
    ))
