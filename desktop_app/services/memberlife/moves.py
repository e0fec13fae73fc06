"""Dated moves of a member between branches and 党小组, so figures of a past day use the branch of that day.

A move written here sets the member's organisation and keeps the day it
happened; StandingBook (services/membership) reads the moves, so last year's
branch counts, 应到 and quorum stay as they were when a member moves today.
Other writers that change a member's organisation call `record_move` in their
own unit of work.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife._common import Orgs, live_member, today_of
from desktop_app.services.records import live, writes
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_memberlife import OrgMove
from desktop_app.views.memberlife import MoveRow


def _last_move(s: Session, member_id: str) -> date | None:
    return s.scalar(select(OrgMove.moved_on).where(OrgMove.member_id == member_id, OrgMove.deleted.is_(False))
                    .order_by(OrgMove.moved_on.desc()).limit(1))


def record_move(s: Session, m: Member, org_id: str, on: date, note: str = "") -> OrgMove:
    """Move `m` to `org_id` on `on` inside the caller's unit of work (no permission check: the caller did)."""
    row = OrgMove(member_id=m.id, from_org_id=m.org_id, to_org_id=org_id, moved_on=on, note=note)
    s.add(row)
    m.org_id = org_id
    return row


@writes("members.write")
def move_member(uow: UnitOfWork, member_id: str, org_id: str, on: date | None, note: str = "",
                today: date | None = None) -> MoveRow:
    """Move a member to another branch or 党小组 from a given day (figures before it keep the old branch)."""
    today = today_of(today)
    s = uow.session
    m = live_member(s, member_id)
    target = s.get(Organization, org_id) if org_id else None
    if org_id and (target is None or target.deleted):
        raise ValidationError("调入组织", "所选党组织不存在或已删除")
    day = rules.check_move(m.org_id, org_id, on, today, _last_move(s, m.id))
    if m.joined_date is not None and day < m.joined_date:
        raise ValidationError("调动日期", "不能早于加入党组织日期")
    from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

    with planned.following(s, m, today):
        row = record_move(s, m, org_id, day, (note or "").strip())
    s.flush()
    orgs = Orgs(s)
    return MoveRow(row.id, m.id, m.name, row.moved_on, orgs.name(row.from_org_id), orgs.name(row.to_org_id), row.note)


@writes("members.write")
def withdraw_move(uow: UnitOfWork, move_id: str) -> None:
    """Undo the latest move entered by mistake: the member goes back where they came from."""
    s = uow.session
    row = live(s, OrgMove, move_id, "调动记录")
    m = live_member(s, row.member_id)
    if m.org_id != row.to_org_id or _last_move(s, m.id) != row.moved_on:
        raise ValidationError("调动", "只能撤销该党员最近的一次调动")
    from desktop_app.services.meetings import planned  # meetings reads member life: imported when used

    with planned.following(s, m, today_of(None)):
        m.org_id = row.from_org_id
        row.deleted = True


def moves(db: Database, member_id: str | None = None) -> list[MoveRow]:
    """Moves between branches, newest first."""
    auth.require(db, "members.read")
    with db.session() as s:
        q = (select(OrgMove, Member.name).join(Member, Member.id == OrgMove.member_id)
             .where(OrgMove.deleted.is_(False)).order_by(OrgMove.moved_on.desc(), OrgMove.created_at.desc()))
        if member_id is not None:
            q = q.where(OrgMove.member_id == member_id)
        orgs = Orgs(s)
        return [MoveRow(r.id, r.member_id, name, r.moved_on, orgs.name(r.from_org_id), orgs.name(r.to_org_id), r.note)
                for r, name in s.execute(q)]
