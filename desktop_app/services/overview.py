"""Counts for the overview page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.store.models import Household, Member, Organization, Resident
from desktop_app.store.models_cobuilding import registered_member_ids


@dataclass(frozen=True)
class Overview:
    orgs_by_kind: dict[str, int]
    members: int
    full_members: int
    probationary: int
    residents: int
    households: int


def overview(db: Database) -> Overview:
    auth.require(db, "overview.read")
    with db.session() as s:
        by_kind = dict(
            s.execute(
                select(Organization.kind, func.count())
                .where(Organization.deleted.is_(False))
                .group_by(Organization.kind)
            ).all()
        )
        by_cat = dict(
            s.execute(
                select(Member.category, func.count())
                .where(Member.deleted.is_(False), Member.id.not_in(registered_member_ids()))
                .group_by(Member.category)
            ).all()
        )

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
