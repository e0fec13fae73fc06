"""The street's package back down to one community.

It carries
- the org tree that concerns the community: the street's own node(s) above it
  and its whole subtree as the street holds it;
- the street's reference lists (REFERENCE_TABLES, where they exist): rows the
  street made or this community gave it, never another community's own rows;
  rows tied to an organisation only when that organisation is in the tree above;
- corrections: any row of this community that the street now holds in another
  state than the one it took from it (a person's decision on a conflict, an
  edit at the street), so the community's copy catches up;
- confirmations of the packages the street merged from the community, so the
  community's next export starts after them.

The community takes it with sync.merge.import_package: the same verification,
the same merge rules.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, exists, func, or_, select

from desktop_app.domain.errors import Conflict, NotFound
from desktop_app.domain.sync_rules import DOWNSTREAM, UPSTREAM, Confirmation, SiteRef
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncImport, SyncPeer, SyncRowState, synced_tables
from desktop_app.sync import keys
from desktop_app.sync.export import Encoder, ExportResult, Progress, next_seq, record_export, resolve_out, root_org_id
from desktop_app.sync.export import snapshot, write_tables

# Reference lists the street keeps for all its communities, by table name. A
# table not (yet) in the schema is skipped; add a name here to send a new list.
REFERENCE_TABLES: tuple[str, ...] = (
    "meeting_kind_setting",  # 三会一课 cadences
    "dues_rate_rule",  # 党费 rates
    "service_list_item",  # resident tags, issue / project categories, dispute kinds
    "assessment_scheme",  # 五好党支部 indicator trees, when that module exists
    "assessment_indicator",
)
CONFIRMATIONS_SENT = 50  # the newest packages confirmed; the community needs only the latest


def communities(db: Database) -> list[SyncPeer]:
    with db.session() as s:
        return list(s.scalars(select(SyncPeer).where(SyncPeer.level == "community").order_by(SyncPeer.org_code)))


def _find_peer(conn, community: str):
    p = SyncPeer.__table__
    q = select(p).where(p.c.level == "community")
    peer = conn.execute(q.where(p.c.site_id == community)).first()
    if peer is None:
        peer = conn.execute(q.where(p.c.org_code == community)).first()
    if peer is None:
        raise NotFound(f"没有收到过“{community}”的数据包：先导入该社区的数据包，才能给它生成下发包")
    return peer


def _org_set(s, org_id: str | None) -> set[str]:
    """The community's subtree and every node above it."""
    if not org_id:
        return set()
    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = {}
    for oid, pid in s.execute(select(Organization.id, Organization.parent_id)):
        parent[oid] = pid
        children.setdefault(pid, []).append(oid)
    if org_id not in parent:
        return set()
    out = {org_id}
    stack = [org_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in out:
                out.add(child)
                stack.append(child)
    up = parent.get(org_id)
    while up and up not in out:
        out.add(up)
        up = parent.get(up)
    return out


def send_package(
    db: Database, out: Path, community: str, plain: bool = False, progress: Progress | None = None
) -> ExportResult:
    """At the street: write the package for one community (its site id or org code) to `out`."""
    site = site_service.get_site(db)
    if site is None or site.level != "street":
        raise Conflict("只有街道数据库可以生成下发包")
    auth.require(db, "sync.export")
    key, info = keys.load_key(db)
    rs = SyncRowState.__table__
    other = rs.alias("other")
    with snapshot(db) as s:
        now = utcnow()
        peer = _find_peer(s, community)
        peer_id, peer_code = peer.site_id, peer.org_code
        to_site = SiteRef(peer.site_id, peer.org_code, peer.org_name, "community", peer.org_id)
        orgs = _org_set(s, peer.org_id)
        seq = next_seq(s)
        street_org = root_org_id(s, site)
        confirm = tuple(
            Confirmation(pid, sq, until)
            for pid, sq, until in s.execute(
                select(SyncImport.package_id, SyncImport.seq, SyncImport.until)
                .where(SyncImport.from_site == peer_id, SyncImport.kind == UPSTREAM)
                .order_by(SyncImport.seq.desc())
                .limit(CONFIRMATIONS_SENT)
            )
        )
        fetched = []
        for table in synced_tables():
            enc = Encoder(table)
            t = table.c
            # ours differs from what we agreed with this community (our stamp then, when it was another)
            corrected = and_(rs.c.row_id.is_not(None),
                             or_(t.version != func.coalesce(rs.c.local_version, rs.c.version),
                                 t.updated_by_site != func.coalesce(rs.c.local_site, rs.c.site)))
            wanted = [corrected]
            if table.name == "organization":
                wanted.append(t.id.in_(orgs))
            elif table.name in REFERENCE_TABLES:
                not_others = ~exists().where(
                    other.c.row_id == t.id, other.c.table_name == table.name,
                    other.c.peer_site != peer_id, other.c.introduced.is_(True),
                )
                if "org_id" in t:
                    not_others = and_(not_others, or_(t.org_id.is_(None), t.org_id.in_(orgs)))
                wanted.append(not_others)
            rows = s.execute(enc.select(peer_id).where(or_(*wanted))).all()
            if rows or table.name == "organization":
                fetched.append((enc, rows))
    total = sum(len(r) for _, r in fetched)
    if progress:
        progress(0, total)
    tables, done = [], 0
    for enc, rows in fetched:
        tables.append((enc.table, enc.encode(rows), enc.header))
        done += len(rows)
        if progress:
            progress(done, total)
    path = resolve_out(out, peer_code, datetime.now(), plain, prefix="下发包")
    package_id = new_id()
    head = dict(
        kind=DOWNSTREAM, package_id=package_id, seq=seq, created_at=now,
        site=SiteRef(site.id, site.org_code, site.org_name, site.level, street_org),
        to_site=to_site, street_org_code=info.street_org_code, full=True, since=None, until=now,
        confirm=confirm,
    )
    manifest, size, counts = write_tables(path, key, head, tables, plain)
    record_export(db, manifest, path, size, counts, plain, to_site=peer_id, to_name=to_site.org_name)
    return ExportResult(
        path=path, package_id=package_id, kind=DOWNSTREAM, seq=seq, full=True, plain=plain, since=None,
        until=now, size=size, counts=counts, to_org_name=to_site.org_name,
    )


def send_all(db: Database, folder: Path, plain: bool = False, progress: Progress | None = None) -> list[ExportResult]:
    """At the street: one package per community it has heard from, into `folder`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise Conflict(f"请选择一个文件夹：{folder}")
    peers = [p.site_id for p in communities(db)]
    if not peers:
        raise Conflict("还没有收到任何社区的数据包")
    results = []
    for i, pid in enumerate(peers):
        results.append(send_package(db, folder, pid, plain))
        if progress:
            progress(i + 1, len(peers))
    return results
