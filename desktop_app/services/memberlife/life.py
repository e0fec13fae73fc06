"""One member's whole life after joining, in one read, for the member's page."""

from __future__ import annotations

from datetime import date

from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.memberlife.discipline import disciplines, disposals
from desktop_app.services.memberlife.exits import exits
from desktop_app.services.memberlife.floating import floating, searches
from desktop_app.services.memberlife.moves import moves
from desktop_app.services.memberlife._common import Orgs, live_member, today_of
from desktop_app.views.memberlife import MemberLife


def member_life(db: Database, member_id: str, today: date | None = None) -> MemberLife:
    """Exits, discipline, disposals, moves, 流动 and 失联 records of one member (discipline only when allowed)."""
    auth.require(db, "members.read")
    today = today_of(today)
    with db.session() as s:
        m = live_member(s, member_id)
        name, status, branch = m.name, m.status, Orgs(s).branch_name(m.org_id)
    may = auth.can(db, "discipline.read")
    disc = tuple(disciplines(db, member_id, today=today)) if may else ()
    return MemberLife(
        member_id=member_id, name=name, status=status, branch_name=branch,
        vote_barred=any(d.running for d in disc),
        exits=tuple(exits(db, member_id=member_id)) if may else (),
        disciplines=disc,
        disposals=tuple(disposals(db, member_id=member_id, today=today)) if may else (),
        moves=tuple(moves(db, member_id)),
        floating=tuple(r for r in floating(db) if r.member_id == member_id),
        searches=tuple(searches(db, member_id)),
    )
