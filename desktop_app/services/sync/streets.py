"""At a district: the 街道党工委 a community's enrolment names, set after the fact.

Communities enrolled before the enrolment kept its street (migration 0036) have none: their
packages land under the 区委 (or the stand-in street they made themselves). The district's
administrator names the street here; a community already merged moves under it at once, in
the same transaction, as its first package would have put it (incoming.place_under_street),
so its next 下发包 carries the new place.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from desktop_app.domain.errors import Conflict, NotFound
from desktop_app.domain.site import DISTRICT
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.sync.incoming import place_under_street
from desktop_app.services.sync.keys import _enrol_street, _enrolment
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncEnrolment
from desktop_app.views.sync import Enrolment

__all__ = ["enrol_set_street"]


def enrol_set_street(db: Database, community: str, street: str) -> Enrolment:
    """Name the 街道党工委 of an enrolled community (its site id or organisation code) at a district.

    `street` is the street's id, code or name. The whole database's work: an account confined to
    one street is refused (it would take another street's community, or one still under the 区委).
    When the community's 社区党委 is already here it moves under the street; nothing changes on refusal.
    """
    site = site_service.get_site(db)
    if site is None or site.level != DISTRICT:
        raise Conflict("只有区数据库为社区设置所属街道：在街道数据库，登记的社区就在本街道之下")
    auth.require(db, "settings.write")
    auth.require(db, "orgs.write")
    street_id, street_name = _enrol_street(db, street)
    with UnitOfWork(db) as uow:
        s = uow.session
        e = s.get(SyncEnrolment, community) or s.scalar(
            select(SyncEnrolment).where(SyncEnrolment.org_code == community)
            .order_by(SyncEnrolment.status.asc(), SyncEnrolment.enrolled_at.desc()).limit(1))  # active first
        if e is None:
            raise NotFound(f"没有登记过“{community}”")
        old = e.street_org_id or ""
        old_node = s.get(Organization, old) if old else None
        e.street_org_id = street_id
        s.flush()
        placed = place_under_street(s, e.site_id)
        if old == street_id and not placed:
            return _enrolment(e, street_name)  # already so: nothing to write
        root = s.get(Organization, e.org_id) if e.org_id else None
        was = f"（原为{old_node.name}）" if old_node is not None and old != street_id else "（原未设置）" if not old else ""
        then = (f"；{e.org_name}置于{placed}之下" if placed
                else "；它的第一个数据包将置于该街道之下" if root is None or root.deleted else "")
        audit.record(s, "setting", SyncEnrolment.__tablename__, e.site_id,
                     f"设置{e.org_name}（{e.org_code}）所属街道为{street_name}{was}{then}",
                     label=e.org_name, before={"street_org_id": old}, after={"street_org_id": street_id})
        result = replace(_enrolment(e, street_name), moved=bool(placed))
        uow.commit()
    return result
