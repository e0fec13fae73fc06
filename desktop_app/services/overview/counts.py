"""Counts for the overview page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from desktop_app.domain.orgs import OrgKind
from desktop_app.services import auth
from desktop_app.services.membership import members_on
from desktop_app.services.database import Database
from desktop_app.store.models import Household, Organization, Resident


@dataclass(frozen=True)
class Overview:
    orgs_by_kind: dict[str, int]
    members: int
    full_members: int
    probationary: int
    residents: int
    households: int

    @property
    def organisations(self) -> int:
        """党组织 here (社区党委, 党支部): 党小组 are not organisations, the street above is not ours."""
        return sum(self.orgs_by_kind.get(kind, 0) for kind in (OrgKind.COMMUNITY, OrgKind.BRANCH))


def overview(db: Database, on: date | None = None) -> Overview:
    """Counts as of `on` (default today): members still on the roster that day, as they were then.

    Members who had died or transferred out by then are not counted; 党小组 are
    counted apart from the 党组织 (organisations_count: 党委 and 党支部).
    """
    auth.require(db, "overview.read")
    on = on or date.today()
    with db.session() as s:
        by_kind = dict(
            s.execute(
                select(Organization.kind, func.count())
                .where(Organization.deleted.is_(False))
                .group_by(Organization.kind)
            ).all()
        )
        by_cat = Counter(one.category for one in members_on(s, on).values())

        def live(model) -> int:
            return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False))) or 0

        return Overview(
            orgs_by_kind=by_kind,
            members=sum(by_cat.values()),
            full_members=by_cat.get("正式党员", 0),
            probationary=by_cat.get("预备党员", 0),
            residents=live(Resident),
            households=live(Household),
        )
