"""A community's package for the street: what changed since the street last confirmed, tombstones too.

The change window runs on `updated_at` from the last package the street said
it merged (less a small margin; importing a row twice changes nothing). Rows
taken from the street since then go back too, so the street learns this
community now holds them. `full` carries every row. All rows are read in one
snapshot, so a package never holds half of a change made meanwhile.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import Connection, Table, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop_app import __version__
from desktop_app.domain.errors import Conflict
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.sync_rules import (
    UPSTREAM, Manifest, SiteRef, TableEntry, table_file, watermark_since,
)
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.site import SiteInfo
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import new_id, utcnow
from desktop_app.store.db import Database
from desktop_app.store.migrate import SCHEMA_HEAD
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncExport, SyncRowState, codec_for, encode_value, synced_tables
from desktop_app.sync import keys, package
from desktop_app.sync.keys import StreetKey

Progress = Callable[[int, int], None]
_REPORT_EVERY = 2000
# A writer stamps updated_at just before it waits for the write lock (at most
# the 15 s busy timeout), so it may commit rows stamped a little before an
# export's `until`: the next export starts this much earlier to catch them.
WATERMARK_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    kind: str
    seq: int
    full: bool
    plain: bool
    since: datetime | None
    until: datetime
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows carried
    to_org_name: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """A summary for the command line."""
        from desktop_app.domain.sync_rules import table_label

        scope = "全部数据" if self.full else f"{self.since:%Y-%m-%d %H:%M}（UTC）之后的变化"
        to = f"给{self.to_org_name}" if self.to_org_name else ""
        out = [f"已生成数据包{to}：{self.path}",
               f"{scope}，{self.rows:,} 条记录，{self.size / 1024:,.0f} KB，{'未加密（明文 CSV）' if self.plain else '已加密'}"]
        out.extend(f"  {table_label(k)} {v:,}" for k, v in self.counts.items() if v)
        return out


def default_file_name(org_code: str, when: datetime, plain: bool, prefix: str = "同步包") -> str:
    suffix = package.PLAIN_SUFFIX if plain else package.SUFFIX
    return f"{prefix}_{org_code}_{when:%Y%m%d-%H%M%S}{suffix}"


def resolve_out(out: Path, org_code: str, when: datetime, plain: bool, prefix: str = "同步包") -> Path:
    """A folder (a USB drive) gets a dated file name; a file name is taken as given."""
    out = Path(out)
    if out.is_dir():
        return out / default_file_name(org_code, when, plain, prefix)
    if not out.parent.exists():
        raise Conflict(f"文件夹不存在：{out.parent}")
    return out


def root_org_id(s: Session | Connection, site: SiteInfo) -> str | None:
    kind = OrgKind.STREET.value if site.level == "street" else OrgKind.COMMUNITY.value
    return s.scalar(
        select(Organization.id)
        .where(Organization.kind == kind, Organization.deleted.is_(False))
        .order_by((Organization.code == site.org_code).desc(), Organization.created_at)
        .limit(1)
    )


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


def next_seq(s: Session | Connection) -> int:
    return (s.scalar(select(func.max(SyncExport.seq))) or 0) + 1


class Encoder:
    """Rows of one table as CSV text rows: every column, then the base stamp."""

    def __init__(self, table: Table):
        self.table = table
        self.codecs = [codec_for(c) for c in table.columns]
        self.header = [c.name for c in table.columns] + list(package.BASE_COLUMNS)

    def select(self, peer_site: str):
        rs = SyncRowState.__table__
        t = self.table
        joined = t.outerjoin(
            rs, and_(rs.c.row_id == t.c.id, rs.c.peer_site == peer_site, rs.c.table_name == t.name)
        )
        return select(*t.columns, rs.c.version, rs.c.site).select_from(joined)

    def encode(self, rows: Iterable[Sequence]) -> list[list[str]]:
        n = len(self.codecs)
        codecs = self.codecs
        out = []
        for r in rows:
            texts = [encode_value(codecs[i], r[i]) for i in range(n)]
            base_v, base_s = r[n], r[n + 1]
            texts.append("" if base_v is None else str(base_v))
            texts.append("" if base_s is None else base_s)
            out.append(texts)
        return out


def write_tables(
    path: Path,
    key: StreetKey,
    head: dict,
    tables: list[tuple[Table, list[list[str]], list[str]]],
    plain: bool,
) -> tuple[Manifest, int, dict[str, int]]:
    """Seal already-encoded tables and the manifest fields in `head` into one package file."""
    files: dict[str, bytes] = {}
    entries: list[TableEntry] = []
    counts: dict[str, int] = {}
    for table, texts, header in tables:
        data = package.csv_bytes(header, texts)
        files[table.name] = data
        entries.append(TableEntry(table.name, table_file(table.name), len(texts), package.sha256(data),
                                  tuple(header)))
        counts[table.name] = len(texts)
    manifest = Manifest(tables=tuple(entries), schema_version=SCHEMA_HEAD, app_version=__version__,
                        key_fingerprint=key.fingerprint, **head)
    size = package.write(path, key, manifest, files, plain)
    return manifest, size, counts


def export_package(
    db: Database, out: Path, full: bool = False, plain: bool = False, progress: Progress | None = None
) -> ExportResult:
    """Write this community's package to `out` (a file, or a folder for a dated file name)."""
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("本库尚未设置所属单位")
    auth.require(db, "sync.export")
    if site.level != "community":
        raise Conflict("街道数据库不导出社区数据包：请用“生成下发包”（dangqun sync send）给社区发数据")
    key, info = keys.load_key(db)
    path = resolve_out(out, site.org_code, datetime.now(), plain)
    street = info.street_site_id
    with snapshot(db) as s:
        now = utcnow()  # after the lock: every row stamped before it is committed
        confirmed = s.scalar(
            select(SyncExport.until)
            .where(SyncExport.kind == UPSTREAM, SyncExport.confirmed_at.is_not(None))
            .order_by(SyncExport.seq.desc())
            .limit(1)
        )
        since = None if full else watermark_since(confirmed, now, WATERMARK_MARGIN)
        is_full = since is None
        seq = next_seq(s)
        org_id = root_org_id(s, site)
        fetched: list[tuple[Encoder, list]] = []
        rs = SyncRowState.__table__
        for table in synced_tables():
            enc = Encoder(table)
            q = enc.select(street)
            if since is not None:
                q = q.where(or_(table.c.updated_at >= since, rs.c.agreed_at >= since))
            fetched.append((enc, s.execute(q).all()))
    total = sum(len(rows) for _, rows in fetched)
    done = 0
    if progress:
        progress(0, total)
    tables = []
    for enc, rows in fetched:
        texts: list[list[str]] = []
        for start in range(0, len(rows), _REPORT_EVERY):
            texts.extend(enc.encode(rows[start:start + _REPORT_EVERY]))
            done += min(_REPORT_EVERY, len(rows) - start)
            if progress:
                progress(done, total)  # may raise to cancel: nothing is written yet
        tables.append((enc.table, texts, enc.header))
    package_id = new_id()
    head = dict(
        kind=UPSTREAM, package_id=package_id, seq=seq, created_at=now,
        site=SiteRef(site.id, site.org_code, site.org_name, site.level, org_id),
        street_org_code=info.street_org_code, full=is_full, since=since, until=now,
    )
    manifest, size, counts = write_tables(path, key, head, tables, plain)
    record_export(db, manifest, path, size, counts, plain, to_site=street, to_name=info.street_org_name)
    return ExportResult(
        path=path, package_id=package_id, kind=UPSTREAM, seq=seq, full=is_full, plain=plain, since=since,
        until=now, size=size, counts=counts, to_org_name=info.street_org_name,
    )


def record_export(db: Database, m: Manifest, path: Path, size: int, counts: dict[str, int], plain: bool,
                  to_site: str, to_name: str) -> None:
    """Log the package (and, in the audit trail, that personal data left in it)."""
    with UnitOfWork(db) as uow:
        rows = sum(counts.values())
        audit.record(
            uow.session, "sync_export", SyncExport.__tablename__, m.package_id,
            f"{'下发' if m.kind != UPSTREAM else '报送'}数据包给{to_name}：{rows} 条记录，"
            f"{'全部数据' if m.full else '变化部分'}，{'未加密' if plain else '已加密'}，文件 {path.name}",
            label=path.name,
        )
        uow.session.add(SyncExport(
            package_id=m.package_id, kind=m.kind, seq=m.seq, to_site=to_site, created_at=m.created_at,
            since=m.since, until=m.until, full=m.full, plain=plain, rows=sum(counts.values()), size=size,
            file_name=str(path), counts=json.dumps(counts, ensure_ascii=False), confirmed_at=None,
        ))
        uow.commit()
