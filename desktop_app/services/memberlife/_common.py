"""What the member-life services share: live rows, organisation names, the actor's date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.orgs import OrgKind
from desktop_app.services.records import live
from desktop_app.store.models import Member, MemberStatusChange, Organization


def today_of(today: date | None) -> date:
    return today or date.today()


def live_member(s: Session, member_id: str) -> Member:
    return live(s, Member, member_id, "党员")


class Orgs:
    """Organisation names and branches, read once per call."""

    def __init__(self, s: Session):
        self.rows = {o.id: o for o in s.scalars(select(Organization).where(Organization.deleted.is_(False)))}

    def name(self, org_id: str | None) -> str:
        o = self.rows.get(org_id)
        return o.name if o is not None else ""

    def branch(self, org_id: str | None) -> Organization | None:
        o = self.rows.get(org_id)
        while o is not None and o.kind == OrgKind.GROUP:
            o = self.rows.get(o.parent_id)
        return o

    def branch_name(self, org_id: str | None) -> str:
        b = self.branch(org_id)
        return b.name if b is not None else ""


def record_status(s: Session, m: Member, status: str, on: date, destination: str = "", note: str = "") -> str:
    """Set the member's status and write the dated history row the figures read; returns its id."""
    row = MemberStatusChange(member_id=m.id, status=status, changed_on=on, destination=destination, note=note)
    s.add(row)
    m.status = status
    s.flush()
    return row.id


def status_before(s: Session, member_id: str, except_id: str) -> str:
    """The latest recorded status other than `except_id` (正常 with none)."""
    row = s.execute(
        select(MemberStatusChange.status)
        .where(MemberStatusChange.member_id == member_id, MemberStatusChange.deleted.is_(False),
               MemberStatusChange.id != except_id)
        .order_by(MemberStatusChange.changed_on.desc(), MemberStatusChange.created_at.desc()).limit(1)
    ).scalar()
    return row or "正常"
