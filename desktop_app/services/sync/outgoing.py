"""Packages out: a community's export for the street, and the street's send-down to its communities.

The change window of an export runs on `updated_at` from the last package the
street said it merged (less a small margin; importing a row twice changes
nothing). `full` carries every row. All rows are read in one snapshot, so a
package never holds half of a change made meanwhile. Which rows go and how
they are written is desktop_app.sync.outgoing; here are the permission
checks, the snapshot, and the record of what left (audit trail included).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, select

from desktop_app.domain.errors import Conflict, DomainError, SavedButNotPlaced
from desktop_app.domain.site import is_top, sync_role
from desktop_app.domain.sync_rules import COMMUNITY, DOWNSTREAM, UPSTREAM, Manifest, SiteRef, watermark_since
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.sync.keys import load_keys, reader_public
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.migrate import SYNC_FORMAT, SYNCED_SINCE
from desktop_app.store.models_sync import SyncEnrolment, SyncExport, SyncPeer
from desktop_app.sync import outgoing
from desktop_app.sync.outgoing import REFERENCE_TABLES, Progress
from desktop_app.views.sync import ExportResult, SentAll

__all__ = ["REFERENCE_TABLES", "WATERMARK_MARGIN", "export_package", "send_all", "send_package"]

# A writer stamps updated_at just before it waits for the write lock (at most
# the 15 s busy timeout), so it may commit rows stamped a little before an
# export's `until`: the next export starts this much earlier to catch them.
WATERMARK_MARGIN = timedelta(minutes=2)


@contextmanager
def snapshot(db: Database) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database, with no write half done.

    pysqlite begins transactions only before writes, so SELECTs would each see
    their own moment; BEGIN IMMEDIATE makes them share one, and waits for a
    writer in progress to finish first (a second or so of the export during
    which others wait to write), so rows stamped before `until` are all in it.
    """
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            yield conn
        finally:
            conn.rollback()


def export_package(
    db: Database, out: Path, full: bool = False, plain: bool = False, progress: Progress | None = None
) -> ExportResult:
    """Write this community's package to `out` (a file, or a folder for a dated file name)."""
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("本库尚未设置所属单位")
    auth.require(db, "sync.export")
    if site.level != COMMUNITY:
        raise Conflict(f"{site.level_label}数据库不导出社区数据包：请用“生成下发包”（dangqun sync send）给社区发数据")
    keys, info = load_keys(db)
    reader = reader_public(db)
    path = outgoing.resolve_out(out, site.org_code, datetime.now(), plain)
    street = info.street_site_id
    with snapshot(db) as conn:
        now = utcnow()  # after the lock: every row stamped before it is committed
        since = None if full else watermark_since(outgoing.confirmed_until(conn), now, WATERMARK_MARGIN)
        seq = outgoing.next_seq(conn)
        org_id = outgoing.root_org_id(conn, site.level, site.org_code)
        # a table left out while the street's program was older goes from the last package that carried it
        since_of = {} if since is None else {
            t: watermark_since(outgoing.carried_until(conn, t), now, WATERMARK_MARGIN) for t in SYNCED_SINCE}
        fetched = outgoing.upstream_rows(conn, street, since, since_of)
        sync_format = outgoing.peer_format(conn, street)  # a street still on an older program reads it
    tables = outgoing.encode_all(fetched, progress)
    package_id = new_id()
    head = dict(
        kind=UPSTREAM, package_id=package_id, seq=seq, created_at=now,
        site=SiteRef(site.id, site.org_code, site.org_name, site.level, org_id),
        street_org_code=info.street_org_code, full=since is None, since=since, until=now,
    )
    # Recorded before it is in place: a package the database never logged would reuse its sequence number.
    with outgoing.write_tables(path, keys, reader, head, tables, plain, sync_format=sync_format) as (
            manifest, size, counts):
        _record(db, manifest, path, size, counts, plain, to_site=street, to_name=info.street_org_name)
    return ExportResult(
        path=path, package_id=package_id, kind=UPSTREAM, seq=seq, full=since is None, plain=plain, since=since,
        until=now, size=size, counts=counts, to_org_name=info.street_org_name,
    )


def send_package(
    db: Database, out: Path, community: str, plain: bool = False, progress: Progress | None = None
) -> ExportResult:
    """At the street: write the package for one community (its site id or org code) to `out`."""
    site = site_service.get_site(db)
    if site is None or not is_top(site.level):
        raise Conflict("只有街道（或区）数据库可以生成下发包")
    auth.require(db, "sync.export")
    keys, info = load_keys(db)
    with snapshot(db) as conn:
        now = utcnow()
        peer = outgoing.find_peer(conn, community)
        peer_id, peer_code = peer.site_id, peer.org_code
        sync_format = outgoing.format_for(peer.sync_format)  # a community still on an older program reads it
        to_site = SiteRef(peer.site_id, peer.org_code, peer.org_name, COMMUNITY, peer.org_id)
        orgs = outgoing.org_set(conn, peer.org_id)
        seq = outgoing.next_seq(conn)
        street_org = outgoing.root_org_id(conn, site.level, site.org_code)
        confirm = outgoing.confirmations(conn, peer_id)
        fetched = outgoing.downstream_rows(conn, peer_id, orgs)
    tables = outgoing.encode_all(fetched, progress, every=None)
    reader = reader_public(db, peer_id)
    path = outgoing.resolve_out(out, peer_code, datetime.now(), plain, prefix="下发包")
    package_id = new_id()
    head = dict(
        kind=DOWNSTREAM, package_id=package_id, seq=seq, created_at=now,
        site=SiteRef(site.id, site.org_code, site.org_name, sync_role(site.level), street_org),  # a district as a street
        to_site=to_site, street_org_code=info.street_org_code, full=True, since=None, until=now,
        confirm=confirm,
    )
    with outgoing.write_tables(path, keys, reader, head, tables, plain, sync_format=sync_format) as (
            manifest, size, counts):
        _record(db, manifest, path, size, counts, plain, to_site=peer_id, to_name=to_site.org_name)
    return ExportResult(
        path=path, package_id=package_id, kind=DOWNSTREAM, seq=seq, full=True, plain=plain, since=None,
        until=now, size=size, counts=counts, to_org_name=to_site.org_name,
    )


def send_all(db: Database, folder: Path, plain: bool = False, progress: Progress | None = None) -> SentAll:
    """At the street: one package per enrolled community it has heard from, into `folder`.

    A community whose key was revoked (作废) or that never enrolled cannot be sealed to: it is
    skipped and named (SentAll.skipped), and the others still get theirs.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise Conflict(f"请选择一个文件夹：{folder}")
    with db.session() as s:
        peers = outgoing.community_ids(s)
        names = dict(s.execute(select(SyncPeer.site_id, SyncPeer.org_name)).all())
        status = dict(s.execute(select(SyncEnrolment.site_id, SyncEnrolment.status)).all())
    if not peers:
        raise Conflict("还没有收到任何社区的数据包")
    sent = SentAll(skipped=[f"{names.get(p) or p}（{_NOT_SEALABLE.get(status.get(p), '尚未登记')}）"
                            for p in peers if status.get(p) != "active"])
    active = [p for p in peers if status.get(p) == "active"]
    if not active:
        raise Conflict(f"没有可以生成下发包的社区：{sent.skipped_text()}。请让这些社区在“数据同步”中“重新登记”")
    kept: list[str] = []  # recorded, but the file kept another name: said once all the others are made
    for i, pid in enumerate(active):
        try:
            sent.append(send_package(db, folder, pid, plain))
        except SavedButNotPlaced as exc:  # (a file held open blocks its own name only: the others go on)
            kept.append(str(exc))
        except DomainError as exc:
            if not sent and not kept:
                if not sent.skipped:
                    raise
                # the very first one failed: the message still names those left out as revoked
                raise Conflict(f"{exc}{_also(sent)}") from exc
            made = "、".join([r.to_org_name for r in sent] + ([f"{len(kept)} 个待改名"] if kept else []))
            raise SentInPart(f"已生成 {len(sent) + len(kept)} 个下发包（{made}），在 {folder}；其余社区的没有生成：{exc}"
                             + "".join(f"\n{k}" for k in kept) + _also(sent)) from None
        if progress:
            progress(i + 1, len(active))
    if kept:
        raise SavedButNotPlaced(f"已生成 {len(sent) + len(kept)} 个下发包，在 {folder}，其中 {len(kept)} 个未能用原名：\n"
                                + "\n".join(kept) + _also(sent))
    return sent


def _also(sent: SentAll) -> str:
    return f"\n{sent.skipped_text()}" if sent.skipped else ""


_NOT_SEALABLE = {"revoked": "密钥已作废"}


class SentInPart(Conflict):
    """send_all stopped at one community: those before it have their packages, recorded (the page shows them)."""

    committed = True


def _record(db: Database, m: Manifest, path: Path, size: int, counts: dict[str, int], plain: bool,
            to_site: str, to_name: str) -> None:
    """Log the package (and, in the audit trail, that personal data left in it)."""
    with UnitOfWork(db) as uow:
        rows = sum(counts.values())
        audit.record(
            uow.session, "sync_export", SyncExport.__tablename__, m.package_id,
            f"{'下发' if m.kind != UPSTREAM else '报送'}数据包给{to_name}：{rows} 条记录，"
            f"{'全部数据' if m.full else '变化部分'}，{'未加密' if plain else '已加密'}，文件 {path.name}"
            + ("" if m.schema_version == SYNC_FORMAT else f"，按对方较旧程序的数据版本 {m.schema_version} 写出"),
            label=path.name,
        )
        uow.session.add(SyncExport(
            package_id=m.package_id, kind=m.kind, seq=m.seq, to_site=to_site, created_at=m.created_at,
            since=m.since, until=m.until, full=m.full, plain=plain, rows=rows, size=size,
            file_name=str(path), counts=json.dumps(counts, ensure_ascii=False), confirmed_at=None,
        ))
        uow.commit()
