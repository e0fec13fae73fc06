"""This database's identity: set up once, read everywhere."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import orgs as org_rules
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import DISTRICT, STREET, is_top, root_kind, upper_name
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import scope
from desktop_app.store.base import SITE_KEY
from desktop_app.store.db import Database
from desktop_app.store.models import Organization, Site
from desktop_app.views.site import LEVELS, SiteInfo

if TYPE_CHECKING:
    from desktop_app.store.models_sync import SyncIdentity

__all__ = ["LEVELS", "SiteInfo", "center_name", "center_of", "get_site", "init_site", "create_in", "is_confined", "seen_by"]


def center_name(s: Session) -> str:
    """The name at the head of every printed form and export: the organisation this database belongs to,
    or, for an account confined to one street or community (the session's actor), that organisation:
    its 签到表, 花名册 and 党费收据 are its own, not the district's. The form's own name, without the
    one above that seen_by adds for the window (a receipt's 收款单位 is the community, not a pair).
    """
    names = scope.confined_to(s)  # a dictionary lookup for an account that is not confined
    if names is not None:
        return names[0]
    return s.scalar(select(Site.org_name).limit(1)) or ""


def center_of(db: Database) -> str:
    """center_name in a session of its own, for a print call that reads nothing else (it checks its own read)."""
    with db.session() as s:
        return center_name(s)


def get_site(db: Database) -> SiteInfo | None:
    with db.session() as s:
        row = s.scalar(select(Site).limit(1))
        return SiteInfo(row.id, row.org_code, row.org_name, row.level) if row else None


def is_confined(db: Database) -> bool:
    """Whether the signed-in account is confined to one street or community: read from the account held in
    memory, so the window asks it on the GUI thread and reads the database only for such an account."""
    return bool(getattr(db.actor, "org_id", "") or "")


def seen_by(db: Database) -> SiteInfo | None:
    """The site as the signed-in account sees it. An account confined to one street or community reads and
    writes that subtree only, so what names the window, its 范围 and the statistics is that organisation
    with the one above it (梅园社区党委（梅园街道党工委）), not the district the database belongs to.
    Code and level stay the database's: they decide what the program does (sync, the street's pages).
    """
    with db.session() as s:
        row = s.scalar(select(Site).limit(1))
        if row is None:
            return None
        info = SiteInfo(row.id, row.org_code, row.org_name, row.level)
        names = scope.confined_to(s)
    if names is None:
        return info
    own, above = names
    return replace(info, org_name=f"{own}（{above}）" if above else own, confined=True)


def init_site(
    db: Database, org_code: str, org_name: str, level: str = "community", street_name: str = ""
) -> SiteInfo:
    """Record who this database belongs to and create the root of its org tree.

    A community gets its 社区党委 (under a street office node when street_name is
    given); a street office gets its 街道党工委; a district its 区委, the streets are added under it.
    """
    with UnitOfWork(db) as uow:
        info = create_in(uow, org_code, org_name, level, street_name)
        uow.commit()
    db.site_id = info.id
    return info


def create_in(
    uow: UnitOfWork, org_code: str, org_name: str, level: str = "community", street_name: str = ""
) -> SiteInfo:
    """init_site's work inside a caller's unit of work (demo data commits it with the rest)."""
    code = org_rules.check_code(org_code)
    name = org_rules.check_name(org_name)
    if level not in LEVELS:
        raise ValidationError("级别", "应为 community（社区）、street（街道）或 district（区）")
    s = uow.session
    if s.scalar(select(Site.id).limit(1)):
        raise Conflict("此数据库已经设置过所属单位，不能再次初始化")
    site = Site(org_code=code, org_name=name, level=level)
    s.add(site)
    s.flush()
    s.info[SITE_KEY] = site.id
    if is_top(level):
        s.add(Organization(code=code, name=name, kind=root_kind(level).value))
    else:
        parent_id = None
        if street_name.strip():
            street = Organization(
                code=code[:-3] if len(code) > 6 else f"{code}-S",
                name=org_rules.check_name(street_name),
                kind=OrgKind.STREET.value,
            )
            s.add(street)
            s.flush()
            parent_id = street.id
        s.add(Organization(code=code, name=name, kind=OrgKind.COMMUNITY.value, parent_id=parent_id))
    s.flush()
    return SiteInfo(site.id, site.org_code, site.org_name, site.level)


def upper_level_in(s, ident: SyncIdentity | None) -> str:
    """The level of the database holding the key (district | street), for the words that name it.

    At the top it is the database itself. A community learns it from the enrolment reply (kept as
    the peer's level until its first 下发包) and then from its own tree, where that 下发包 puts the
    区委 above its street; a community enrolled before either knew says 街道 until then.
    """
    site = s.scalar(select(Site).limit(1))
    if site is not None and is_top(site.level):
        return site.level
    if ident is None or not ident.street_org_code:
        return STREET
    if s.scalar(select(Organization.id).where(
            Organization.code == ident.street_org_code, Organization.kind == OrgKind.DISTRICT.value,
            Organization.deleted.is_(False)).limit(1)) is not None:
        return DISTRICT
    from desktop_app.store.models_sync import SyncPeer  # the sync tables load when sync is first used, not at start

    level = s.scalar(select(SyncPeer.level).where(SyncPeer.site_id == ident.street_site_id))
    return DISTRICT if level == DISTRICT else STREET


def upper_in(s: Session) -> str:
    """街道 or 区: what this database calls the one it sends to (or, at the top, itself) — one word for every
    message that names it, sync's and the services' own (a community's place, the 党费 rate table)."""
    from desktop_app.store.models_sync import SyncIdentity  # as in upper_level_in

    return upper_name(upper_level_in(s, s.get(SyncIdentity, 1)))
