"""What the sync page shows: this database's key and role, its packages made and taken, the street's communities.

At the street: every community with the date and size of its last package
(and a warning when one has been silent for over 30 days), and its live figures
for the street overview.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.site import DISTRICT, is_top, upper_name
from desktop_app.services.site import upper_level_in  # noqa: F401 - where sync's callers found it
from desktop_app.domain.sync_rules import SILENT_DAYS, is_silent, silent_days
from desktop_app.store import scope
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_sync import SyncConflict, SyncEnrolment, SyncExport, SyncIdentity, SyncImport, SyncPeer
from desktop_app.views.sync import CommunityCounts, CommunityStatus, PackageInfo, SyncState


def _export_info(e: SyncExport, names: dict[str, str]) -> PackageInfo:
    return PackageInfo(e.package_id, e.kind, e.seq, e.created_at, e.full, e.rows, e.size, e.file_name,
                       names.get(e.to_site, ""), confirmed_at=e.confirmed_at)


def _import_info(i: SyncImport, names: dict[str, str]) -> PackageInfo:
    return PackageInfo(i.package_id, i.kind, i.seq, i.created_at, i.full, i.rows, i.size, i.file_name,
                       names.get(i.from_site, ""), imported_at=i.imported_at)


def site_names(s) -> dict[str, str]:
    names = {sid: name for sid, name in s.execute(select(SyncPeer.site_id, SyncPeer.org_name))}
    own = s.scalar(select(Site).limit(1))
    if own is not None:
        names[own.id] = f"本库（{own.org_name}）"
    return names


def reached_peers(s) -> set[str] | None:
    """Site ids of the communities whose root lies in a confined account's subtree; None: not confined.

    The sync records name sites, not organisations, so the session's confinement does not reach
    them: a street's operator at the district is shown its own communities' records only.
    """
    ids = scope.reach(s)
    if ids is None:
        return None
    return {sid for sid, org_id in s.execute(select(SyncPeer.site_id, SyncPeer.org_id)) if org_id in ids}


def _from(column, peers: set[str] | None):
    """The condition keeping the records of `peers` (no condition when not confined)."""
    return [] if peers is None else [column.in_(peers)]


def upper(db: Database) -> str:
    """街道 or 区: what the page and the command line call the database holding the key (upper_level_in)."""
    with db.session() as s:
        return upper_name(upper_level_in(s, s.get(SyncIdentity, 1)))


def sync_state(db: Database) -> SyncState:
    with db.session() as s:
        site = s.scalar(select(Site).limit(1))
        ident = s.get(SyncIdentity, 1)
        names = site_names(s)
        peers = reached_peers(s)
        sent = _from(SyncExport.to_site, peers)
        last_export = s.scalar(select(SyncExport).where(*sent).order_by(SyncExport.seq.desc()).limit(1))
        last_confirmed = s.scalar(
            select(SyncExport).where(SyncExport.confirmed_at.is_not(None), *sent)
            .order_by(SyncExport.seq.desc()).limit(1)
        )
        last_import = s.scalar(select(SyncImport).where(*_from(SyncImport.from_site, peers))
                               .order_by(SyncImport.imported_at.desc()).limit(1))
        n_open = s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.status == "open", *_from(SyncConflict.peer_site, peers))) or 0
        return SyncState(
            level=site.level if site else "",
            has_key=ident is not None and ident.state in ("enrolled", "street"),  # "requested": not yet
            fingerprint=ident.fingerprint if ident else "",
            street_org_name=ident.street_org_name if ident else "",
            key_set_at=ident.set_at if ident else None,
            last_export=_export_info(last_export, names) if last_export else None,
            last_confirmed=_export_info(last_confirmed, names) if last_confirmed else None,
            last_import=_import_info(last_import, names) if last_import else None,
            open_conflicts=n_open,
            upper_level=upper_level_in(s, ident),
        )


def exports(db: Database, limit: int = 100) -> list[PackageInfo]:
    with db.session() as s:
        names = site_names(s)
        q = select(SyncExport).where(*_from(SyncExport.to_site, reached_peers(s)))
        return [_export_info(e, names) for e in s.scalars(q.order_by(SyncExport.seq.desc()).limit(limit))]


def imports(db: Database, limit: int = 100, community: str | None = None) -> list[PackageInfo]:
    with db.session() as s:
        names = site_names(s)
        q = (select(SyncImport).where(*_from(SyncImport.from_site, reached_peers(s)))
             .order_by(SyncImport.imported_at.desc()).limit(limit))
        if community:
            q = q.where(SyncImport.from_site == community)
        return [_import_info(i, names) for i in s.scalars(q)]


def _org_roots(s, roots: set[str]) -> dict[str, str]:
    """Every organisation under one of `roots`, mapped to that root."""
    children: dict[str | None, list[str]] = {}
    for oid, pid in s.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(pid, []).append(oid)
    out: dict[str, str] = {}
    for root in roots:
        stack = [root]
        while stack:
            cur = stack.pop()
            if cur in out:
                continue
            out[cur] = root
            stack.extend(children.get(cur, []))
    return out


def community_org_ids(db: Database, org_id: str) -> set[str]:
    """A community's organisation and everything under it (for a community filter)."""
    with db.session() as s:
        return set(_org_roots(s, {org_id}))


def community_choices(db: Database) -> list[tuple[str, str]]:
    """(org id, name) of every community the street has heard from, for a filter box."""
    with db.session() as s:
        return [
            (oid, name) for oid, name in s.execute(
                select(SyncPeer.org_id, SyncPeer.org_name)
                .where(SyncPeer.level == "community", SyncPeer.org_id.is_not(None),
                       *_from(SyncPeer.site_id, reached_peers(s)))
                .order_by(SyncPeer.org_code)
            )
        ]


def _on_roster() -> tuple:
    """Members a community's figures count: not gone, and not in the 双报到 register, which the street's own
    党员 card leaves out too (membership.members_on): 各社区 added up to more than the total above it."""
    from desktop_app.store.models_cobuilding import registered_member_ids

    return Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES), Member.id.not_in(registered_member_ids())


def communities(db: Database, today: date | None = None, days: int = SILENT_DAYS) -> list[CommunityStatus]:
    """At the street: every community heard from, newest silence first flagged."""
    today = today or date.today()
    with db.session() as s:
        peers = list(s.scalars(
            select(SyncPeer).where(SyncPeer.level == "community", *_from(SyncPeer.site_id, reached_peers(s)))
            .order_by(SyncPeer.org_code)
        ))
        roots = _org_roots(s, {p.org_id for p in peers if p.org_id})
        members: dict[str, int] = {}
        for org_id, n in s.execute(
            select(Member.org_id, func.count())
            .where(*_on_roster()).group_by(Member.org_id)
        ):
            root = roots.get(org_id)
            if root:
                members[root] = members.get(root, 0) + n
        open_by_peer = dict(s.execute(
            select(SyncConflict.peer_site, func.count()).where(SyncConflict.status == "open")
            .group_by(SyncConflict.peer_site)
        ).all())
        streets = _enrolled_streets(s)
        out = []
        for p in peers:
            try:
                counts = json.loads(p.last_counts or "{}")
            except ValueError:
                counts = {}
            out.append(CommunityStatus(
                site_id=p.site_id, org_code=p.org_code, org_name=p.org_name, org_id=p.org_id,
                first_seen=p.first_seen, last_package_at=p.last_package_at, last_imported_at=p.last_imported_at,
                last_size=p.last_size, last_rows=p.last_rows, counts=counts, packages=p.packages,
                silent_days=silent_days(p.last_package_at, today),
                silent=is_silent(p.last_package_at, today, days, since=p.first_seen),
                enrolled_days=silent_days(p.first_seen, today),
                open_conflicts=open_by_peer.get(p.site_id, 0),
                members=members.get(p.org_id, 0) if p.org_id else 0,
                street_name=None if streets is None else streets.get(p.site_id, ""),
            ))
        return out


def _enrolled_streets(s) -> dict[str, str] | None:
    """At a district: each enrolled community's 街道党工委 by site id (those with none left out); None elsewhere,
    where every community is under this street."""
    own = s.scalar(select(Site).limit(1))
    if own is None or own.level != DISTRICT:
        return None
    return dict(s.execute(
        select(SyncEnrolment.site_id, Organization.name)
        .join(Organization, Organization.id == SyncEnrolment.street_org_id)
        .where(Organization.deleted.is_(False))
    ).all())


def community_counts(db: Database, org_id: str | None = None) -> list[CommunityCounts]:
    """Live counts per community the street has heard from (only `org_id`'s when given).

    One GROUP BY per table over the organisation each row hangs on, mapped to
    its community in Python: cheap at street scale (a few hundred organisations).
    """
    from desktop_app.store.models import Household, Resident

    with db.session() as s:
        peers = [(p.org_id, p.org_name, p.site_id) for p in s.scalars(
            select(SyncPeer).where(SyncPeer.level == "community", SyncPeer.org_id.is_not(None),
                                   *_from(SyncPeer.site_id, reached_peers(s)))
            .order_by(SyncPeer.org_code))
            if org_id is None or p.org_id == org_id]
        roots = _org_roots(s, {oid for oid, _, _ in peers})
        totals: dict[str, dict[str, int]] = {oid: {} for oid, _, _ in peers}

        def add(key: str, rows) -> None:
            for org, n in rows:
                root = roots.get(org)
                if root is not None:
                    totals[root][key] = totals[root].get(key, 0) + n

        # 党小组 are not organisations; members who died or transferred out are no longer counted.
        add("orgs", s.execute(select(Organization.id, func.count()).where(Organization.deleted.is_(False),
                                                                         Organization.kind != "group")
                              .group_by(Organization.id)))
        here = _on_roster()
        for category, key in (("正式党员", "full"), ("预备党员", "prob")):
            add(key, s.execute(select(Member.org_id, func.count()).where(
                *here, Member.category == category).group_by(Member.org_id)))
        add("members", s.execute(select(Member.org_id, func.count()).where(*here)
                                 .group_by(Member.org_id)))
        add("residents", s.execute(select(Resident.grid_id, func.count()).where(Resident.deleted.is_(False))
                                   .group_by(Resident.grid_id)))
        add("households", s.execute(select(Household.grid_id, func.count()).where(Household.deleted.is_(False))
                                    .group_by(Household.grid_id)))
        streets = _enrolled_streets(s)
        return [
            CommunityCounts(oid, name, t.get("orgs", 0), t.get("members", 0), t.get("full", 0), t.get("prob", 0),
                            t.get("residents", 0), t.get("households", 0),
                            None if streets is None else streets.get(site_id, ""))
            for oid, name, site_id in peers for t in (totals[oid],)
        ]


def silent_warnings(db: Database, today: date | None = None, days: int = SILENT_DAYS) -> list[str]:
    return [f"{c.org_name}：{c.warning}" for c in communities(db, today, days) if c.silent]
