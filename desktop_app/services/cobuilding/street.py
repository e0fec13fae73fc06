"""The street's totals of 共驻共建 across its communities, from what sync brought up.

At the street every community's rows sit in one database; each row is counted
for the community whose organisation it hangs on (an activity's organising
branch, a reporting member's branch, an adopted household's grid, a visited
member's branch or resident's grid), as the district above counts them:
activities, 四进, residents served, hours, units taking part, 双报到, 认亲戚, 慰问,
and the costs linked to ledger vouchers of the community's own books.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.cobuilding.common import activity_totals, reporting_totals, year_span
from desktop_app.services.cobuilding.costs import linked_cost_in
from desktop_app.services.orgtree import subtree_select
from desktop_app.services.records import in_force
from desktop_app.services.site import center_of
from desktop_app.store import scope
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Member, Organization, Resident, Site
from desktop_app.store.models_cobuilding import (
    Activity, ActivityOrg, CareRecipient, CareVisit, PairingItem, PairingVisit, ReportingMember,
)
from desktop_app.store.models_sync import SyncPeer
from desktop_app.views.cobuilding import CommunityFigures


def _one(s, org_id: str, name: str, year: int) -> CommunityFigures:
    start, end = year_span(year)
    tree = subtree_select(org_id, "community_tree")
    acts = select(ActivityOrg.activity_id).where(ActivityOrg.deleted.is_(False), ActivityOrg.org_id.in_(tree))
    in_year = (Activity.deleted.is_(False), Activity.activity_date.between(start, end), Activity.id.in_(acts))
    n, four, served, hours, units = activity_totals(s, *in_year)
    reporting, services, s_hours, _points = reporting_totals(s, start, end, ReportingMember.org_id.in_(tree))
    homes = select(Household.id).where(Household.grid_id.in_(tree))
    adopted_items = (PairingItem.deleted.is_(False), PairingItem.kind == rules.ADOPT, PairingItem.household_id.in_(homes))
    adopted = s.scalar(select(func.count()).select_from(PairingItem).where(
        *adopted_items, *in_force(PairingItem.since, PairingItem.ended_on, start, end))) or 0
    visits = s.scalar(select(func.count()).select_from(PairingVisit)
                      .join(PairingItem, PairingItem.id == PairingVisit.item_id)
                      .where(*adopted_items, PairingVisit.deleted.is_(False),
                             PairingVisit.visit_date.between(start, end))) or 0
    members = select(Member.id).where(Member.org_id.in_(tree))
    residents = select(Resident.id).where(Resident.grid_id.in_(tree))
    care = s.scalar(select(func.count()).select_from(CareRecipient)
                    .join(CareVisit, CareVisit.id == CareRecipient.care_id)
                    .where(CareRecipient.deleted.is_(False), CareVisit.deleted.is_(False),
                           CareVisit.care_date.between(start, end),
                           CareRecipient.member_id.in_(members) | CareRecipient.resident_id.in_(residents))) or 0
    cost = linked_cost_in(s, start, end, tree)  # vouchers in the community's own books
    return CommunityFigures(
        activities=int(n), four_into=int(four), residents_served=int(served), activity_hours_tenths=int(hours),
        units_active=int(units), reporting_members=int(reporting), reporting_services=int(services),
        reporting_hours_tenths=int(s_hours), adopted=int(adopted), pairing_visits=int(visits), cost_fen=cost,
        org_id=org_id, org_name=name, care_people=int(care))


def street_figures(db: Database, year: int) -> list[CommunityFigures]:
    """Per community the street has heard from, the year's 共驻共建 figures (a total is their sum)."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        reached = scope.reach(s)  # a confined account: the communities of its own subtree, not the district's
        peers = [(p.org_id, p.org_name) for p in s.scalars(
            select(SyncPeer).where(SyncPeer.level == "community", SyncPeer.org_id.is_not(None))
            .order_by(SyncPeer.org_code)) if reached is None or p.org_id in reached]
        return [_one(s, oid, name, year) for oid, name in peers]


def community_figures(db: Database, org_id: str, name: str, year: int) -> CommunityFigures:
    """The same count for one community's own tree (what its package will add at the street)."""
    auth.require(db, "cobuilding.read")
    with db.session() as s:
        return _one(s, org_id, name, year)


def print_street_summary(db: Database, year: int, out: Path, *, today: date | None = None,
                         progress: Callable[[int], None] | None = None) -> int:
    """共驻共建街道汇总表: one line per community and the street's total. Returns the communities listed."""
    from desktop_app.reports.cobuilding import render_street_summary

    own = _own_community(db)
    # a community prints its own line, as its package will add it at the street: it hears from no community
    rows = [community_figures(db, own.id, own.name, year)] if own is not None else street_figures(db, year)
    render_street_summary(center_of(db), year, rows, out, today or date.today(), progress=progress,
                          own_line=own is not None)
    return len(rows)


def _own_community(db: Database) -> Organization | None:
    """The community this database is kept for (None at a street or district, and for an account confined
    to a part of it, which is not shown the whole community's figures)."""
    with db.session() as s:
        site = s.scalar(select(Site).limit(1))
        if site is None or site.level != "community":
            return None
        own = s.scalar(select(Organization).where(Organization.code == site.org_code,
                                                  Organization.kind == OrgKind.COMMUNITY.value))
        reached = scope.reach(s)
        return own if own is not None and (reached is None or own.id in reached) else None
