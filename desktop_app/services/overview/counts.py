"""Counts for the overview page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from desktop_app.domain import access
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.membership import members_on
from desktop_app.services.database import Database
from desktop_app.services.orgtree import subtree_ids
from desktop_app.store.models import Household, Organization, Resident


@dataclass(frozen=True)
class Overview:
    orgs_by_kind: dict[str, int]
    members: int
    full_members: int
    probationary: int
    residents: int
    households: int
    scope: str = ""  # a 网格员's: 本网格（…） / 我的网格（N 个）; "" for the whole database
    grids: tuple[str, ...] = ()  # a 网格员's grids, whose members the roster lists for the 党员 figures

    @property
    def organisations(self) -> int:
        """党组织 here (社区党委, 党支部): 党小组 are not organisations, the street above is not ours."""
        return sum(self.orgs_by_kind.get(kind, 0) for kind in (OrgKind.COMMUNITY, OrgKind.BRANCH))


def grid_scope(db: Database, s: Session) -> tuple[set[str] | None, str]:
    """What a 网格员's 概览 covers: their grids, as their lists of residents, visits and wishes do.

    The organisations of those grids (each with the groups under it) and how the page names them;
    (None, "") for an account not bound to grids, whose 概览 covers everything it reads."""
    actor = auth.require(db, "overview.read")
    if not access.grid_bound(actor.role, "residents.read"):
        return None, ""
    grids = sorted(actor.grid_ids)
    ids = {o for g in grids for o in subtree_ids(s, g)}
    if len(grids) == 1:
        name = s.scalar(select(Organization.name).where(Organization.id == grids[0])) or ""
        return ids, f"本网格（{name}）"
    return ids, f"我的网格（{len(grids)} 个）" if grids else "我的网格（尚未分配）"


def overview(db: Database, on: date | None = None) -> Overview:
    """Counts as of `on` (default today): members still on the roster that day, as they were then.

    Members who had died or transferred out by then are not counted; 党小组 are
    counted apart from the 党组织 (organisations_count: 党委 and 党支部). A 网格员's
    counts are of their own grids (grid_scope), named in `scope`.
    """
    actor = auth.require(db, "overview.read")
    on = on or date.today()
    with db.session() as s:
        ids, scope = grid_scope(db, s)
        by_kind = dict(
            s.execute(
                select(Organization.kind, func.count())
                .where(Organization.deleted.is_(False), Organization.id.in_(ids) if ids is not None else true())
                .group_by(Organization.kind)
            ).all()
        )
        by_cat = Counter(one.category for one in members_on(s, on, ids).values())

        def live(model) -> int:
            # a 网格员's residents and households as their lists show them (the same condition)
            mine = auth.scoped(db, "residents.read", model.grid_id) if ids is not None else true()
            return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False), mine)) or 0

        return Overview(
            orgs_by_kind=by_kind,
            members=sum(by_cat.values()),
            full_members=by_cat.get("正式党员", 0),
            probationary=by_cat.get("预备党员", 0),
            residents=live(Resident),
            households=live(Household),
            scope=scope,
            grids=tuple(sorted(actor.grid_ids)) if ids is not None else (),
        )
