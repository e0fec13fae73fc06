"""The branch committee (支委会) with dates of service, so past 支委会 keep their quorum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import or_, select

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth, orgtree
from desktop_app.services.database import Database
from desktop_app.services.meetings._common import _today
from desktop_app.services.orgtree import OrgTree
from desktop_app.services.records import chosen
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_meetings import CommitteeMember
from desktop_app.views.meetings import CommitteeSeat


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
        orgs = OrgTree(s)
        branch = orgs.get(branch_id)
        if branch is None or branch.kind != OrgKind.BRANCH:
            raise ValidationError("党支部", "请选择一个党支部")
        allowed = set(orgtree.subtree_ids(s, branch.id))
        for mid in ids:
            m = chosen(s, Member, mid, "支委会成员", "党员")
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
