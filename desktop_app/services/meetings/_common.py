"""Shared internals of the meetings services: the organisation tree in memory, chunking, lookups.

Meetings need the branch, group and community of many rows at once, so the
live tree is read once per call (`_Orgs`); subtree queries go through
services.orgtree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import members as member_rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services.records import chunked, live
from desktop_app.store.models import Organization, Site
from desktop_app.store.models_meetings import Attendance, CommitteeMember, Meeting

_CHUNK = 500


EXPECTED_STATUSES = (member_rules.NORMAL, member_rules.FLOATING, member_rules.LOST)


def _today(today: date | None) -> date:
    return today or date.today()


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    return chunked(items, size)


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
