"""Rows going out: which rows a package carries, as CSV text, sealed into a package file.

Upstream (a community's package for the street): what changed since the
street last confirmed, tombstones too; rows taken from the street since then
go back too, so the street learns this community now holds them.

Downstream (the street's package for one community):
- the org tree that concerns the community: the street's own node(s) above it
  and its whole subtree as the street holds it;
- the street's reference lists (REFERENCE_TABLES, where they exist): rows the
  street made or this community gave it, never another community's own rows;
  rows tied to an organisation only when that organisation is in the tree above;
- corrections: any row of this community that the street now holds in another
  state than the one it took from it (a person's decision on a conflict, an
  edit at the street), so the community's copy catches up;
- members another community transferred out to this one, with their history
  (sync.handover), until this community records the 转入;
- confirmations of the packages the street merged from the community, so the
  community's next export starts after them.

Everything here reads through a connection handed in (one snapshot); the
caller (services.sync) owns it, the permission checks and the record.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import Connection, Table, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from desktop_app import __version__
from desktop_app.domain.clock import local_text
from desktop_app.domain.errors import Conflict, NotFound
from desktop_app.domain.site import root_kind
from desktop_app.domain.sync_rules import UPSTREAM, Confirmation, Manifest, TableEntry, table_file
from desktop_app.files import write_through_after
from desktop_app.store.migrate import SYNC_FORMAT, SYNC_FORMAT_OLDEST, SYNCED_SINCE
from desktop_app.store.models import Organization
from desktop_app.store.models_sync import SyncExport, SyncImport, SyncPeer, SyncRowState
from desktop_app.sync import handover, package
from desktop_app.sync.codec import codec_for, encode_value, synced_tables
from desktop_app.sync.crypto import SiteKeys

Progress = Callable[[int, int], None]
Fetched = list[tuple["Encoder", list]]
_REPORT_EVERY = 2000

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


# --- file names ---------------------------------------------------------------------

def default_file_name(org_code: str, when: datetime, plain: bool, prefix: str = "同步包") -> str:
    suffix = package.PLAIN_SUFFIX if plain else package.SUFFIX
    return f"{prefix}_{org_code}_{local_text(when, '%Y%m%d-%H%M%S')}{suffix}"  # as the worker's clock reads


def resolve_out(out: Path, org_code: str, when: datetime, plain: bool, prefix: str = "同步包") -> Path:
    """A folder (a USB drive) gets a dated file name; a file name is taken as given.

    Two packages made within one second (a second 导出 at once) are named _2, _3...: the newer one must
    not replace the first on the stick, whose changes it no longer carries."""
    out = Path(out)
    if out.is_dir():
        first = out / default_file_name(org_code, when, plain, prefix)
        path, n = first, 2
        while path.exists():
            path = first.with_name(f"{first.stem}_{n}{first.suffix}")
            n += 1
        return path
    if not out.parent.exists():
        raise Conflict(f"文件夹不存在：{out.parent}")
    return out


# --- small reads --------------------------------------------------------------------

def root_org_id(s: Session | Connection, level: str, org_code: str) -> str | None:
    kind = root_kind(level).value
    return s.scalar(
        select(Organization.id)
        .where(Organization.kind == kind, Organization.deleted.is_(False))
        .order_by((Organization.code == org_code).desc(), Organization.created_at)
        .limit(1)
    )


def next_seq(s: Session | Connection) -> int:
    return (s.scalar(select(func.max(SyncExport.seq))) or 0) + 1


def confirmed_until(s: Session | Connection) -> datetime | None:
    """The end of the newest upstream package the street said it merged."""
    return s.scalar(
        select(SyncExport.until)
        .where(SyncExport.kind == UPSTREAM, SyncExport.confirmed_at.is_not(None))
        .order_by(SyncExport.seq.desc())
        .limit(1)
    )


def carried_until(s: Session | Connection, table_name: str) -> datetime | None:
    """The end of the newest upstream package the street said it merged that carried `table_name`.

    A table added within the range of formats (SYNCED_SINCE) is left out of packages written for a street
    on an older program; once the street reads it, its rows go from here, not from the last confirmed package.
    """
    return s.scalar(
        select(SyncExport.until)
        .where(SyncExport.kind == UPSTREAM, SyncExport.confirmed_at.is_not(None),
               SyncExport.counts.contains(f'"{table_name}":', autoescape=True))
        .order_by(SyncExport.seq.desc())
        .limit(1)
    )


# --- rows as text ---------------------------------------------------------------------

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
        # (the peer's own site is stored as NULL: SyncRowState.site)
        return select(*t.columns, rs.c.version, func.coalesce(rs.c.site, rs.c.peer_site)).select_from(joined)

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


def encode_all(fetched: Fetched, progress: Progress | None, every: int | None = _REPORT_EVERY
               ) -> list[tuple[Table, list[list[str]], list[str]]]:
    """Every fetched table as text; `progress` may raise to cancel (nothing is written yet)."""
    total = sum(len(rows) for _, rows in fetched)
    done = 0
    if progress:
        progress(0, total)
    tables = []
    for enc, rows in fetched:
        step = every or max(len(rows), 1)
        texts: list[list[str]] = []
        for start in range(0, len(rows), step):
            texts.extend(enc.encode(rows[start:start + step]))
            done += min(step, len(rows) - start)
            if progress:
                progress(done, total)
        if not rows and every is None and progress:
            progress(done, total)
        tables.append((enc.table, texts, enc.header))
    return tables


@contextmanager
def write_tables(
    path: Path,
    signer: SiteKeys,
    reader_box_public: bytes,
    head: dict,
    tables: list[tuple[Table, list[list[str]], list[str]]],
    plain: bool,
    *,
    sync_format: str,
) -> Iterator[tuple[Manifest, int, dict[str, int]]]:
    """Seal already-encoded tables and the manifest fields in `head` into one package file, beside `path`;
    renamed onto `path` only when the block (the caller's record of the package) ends without an error.

    A package on the stick that the database never recorded would share its sequence number with
    the next one (the street refuses one of them as a replay); a failed write records nothing.
    `sync_format` names the data format in the manifest (format_for: the reader's own, or today's).
    """
    files: dict[str, bytes] = {}
    entries: list[TableEntry] = []
    counts: dict[str, int] = {}
    for table, texts, header in tables:
        if SYNCED_SINCE.get(table.name, "") > sync_format:
            continue  # a program of that format refuses a table it does not have
        data = package.csv_bytes(header, texts)
        files[table.name] = data
        entries.append(TableEntry(table.name, table_file(table.name), len(texts), package.sha256(data),
                                  tuple(header)))
        counts[table.name] = len(texts)
    manifest = Manifest(tables=tuple(entries), schema_version=sync_format, app_version=__version__, reads=SYNC_FORMAT,
                        key_fingerprint=signer.fingerprint, **head)
    sizes: list[int] = []
    # Sealed straight into the file beside `path`; the bytes are let go once written and read back.
    with write_through_after(path, lambda tmp: sizes.append(
            _written(tmp, package.seal(signer, reader_box_public, manifest, files, plain))), keep_suffix=False):
        yield manifest, sizes[0], counts


def _written(tmp: Path, data: bytes) -> int:
    """`data` into the new file `tmp`, flushed to the disk and read back (as package.write); its size."""
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    # A bad stick or a full disk shows now, not at the street office next month.
    if tmp.read_bytes() != data:
        raise OSError(f"写入后读回的内容不一致，U 盘或磁盘可能有问题：{tmp.name}")
    return len(data)


def format_for(recorded: str | None) -> str:
    """The data format to write for a peer whose newest package named `recorded`.

    A program reads only its own format (those before SYNC_FORMAT_OLDEST's
    range did too), so a peer still on an older program in the range is
    written to in its own: the same tables, columns and text forms under its
    name. Not known ("", a peer before 0033 or silent so far) or out of the
    range: today's, as sync_rules.validate_manifest would refuse the other.
    """
    r = recorded or ""
    if len(r) == len(SYNC_FORMAT) and r.isascii() and r.isdigit() and SYNC_FORMAT_OLDEST <= r <= SYNC_FORMAT:
        return r
    return SYNC_FORMAT


def peer_format(conn: Connection, site_id: str) -> str:
    """format_for the peer `site_id` (at a community: its street)."""
    return format_for(conn.scalar(select(SyncPeer.sync_format).where(SyncPeer.site_id == site_id)))


# --- upstream -------------------------------------------------------------------------

def upstream_rows(conn: Connection, street_site: str, since: datetime | None,
                  since_of: dict[str, datetime | None] | None = None) -> Fetched:
    """Every synced table's rows changed (or taken from the street) since `since`; all of them for None.
    `since_of` gives some tables their own start (carried_until)."""
    fetched: Fetched = []
    rs = SyncRowState.__table__
    for table in synced_tables():
        enc = Encoder(table)
        q = enc.select(street_site)
        start = (since_of or {}).get(table.name, since)
        if start is not None:
            q = q.where(or_(table.c.updated_at >= start, rs.c.agreed_at >= start))
        fetched.append((enc, conn.execute(q).all()))
    return fetched


# --- downstream -----------------------------------------------------------------------

def find_peer(conn: Connection, community: str):
    """A community the street heard from, by its site id or its org code."""
    p = SyncPeer.__table__
    q = select(p).where(p.c.level == "community")
    peer = conn.execute(q.where(p.c.site_id == community)).first()
    if peer is None:
        peer = conn.execute(q.where(p.c.org_code == community)).first()
    if peer is None:
        raise NotFound(f"没有收到过“{community}”的数据包：先导入该社区的数据包，才能给它生成下发包")
    return peer


def community_ids(s: Session | Connection) -> list[str]:
    """Site ids of every community the street heard from, by org code."""
    p = SyncPeer.__table__
    return list(s.scalars(select(p.c.site_id).where(p.c.level == "community").order_by(p.c.org_code)))


def org_set(conn: Connection, org_id: str | None) -> set[str]:
    """The community's subtree and every node above it."""
    if not org_id:
        return set()
    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = {}
    for oid, pid in conn.execute(select(Organization.id, Organization.parent_id)):
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


def confirmations(conn: Connection, peer_id: str) -> tuple[Confirmation, ...]:
    return tuple(
        Confirmation(pid, sq, until)
        for pid, sq, until in conn.execute(
            select(SyncImport.package_id, SyncImport.seq, SyncImport.until)
            .where(SyncImport.from_site == peer_id, SyncImport.kind == UPSTREAM)
            .order_by(SyncImport.seq.desc())
            .limit(CONFIRMATIONS_SENT)
        )
    )


def downstream_rows(conn: Connection, peer_id: str, orgs: set[str]) -> Fetched:
    """What the street sends one community: its org tree, reference lists, corrections."""
    rs = SyncRowState.__table__
    other = rs.alias("other")
    fetched: Fetched = []
    moving = handover.pending(conn, peer_id, orgs)  # transferred out to this community by another
    for table in synced_tables():
        enc = Encoder(table)
        t = table.c
        # ours differs from what we agreed with this community (our stamp then, when it was another)
        corrected = and_(rs.c.row_id.is_not(None),
                         or_(t.version != func.coalesce(rs.c.local_version, rs.c.version),
                             t.updated_by_site != func.coalesce(rs.c.local_site, rs.c.site, rs.c.peer_site)))
        if table.name == handover.MOVED:
            corrected = and_(corrected, handover.not_handed_on(table, peer_id))
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
        rows = conn.execute(enc.select(peer_id).where(or_(*wanted))).all()
        if moving:
            rows = handover.add_rows(conn, enc, peer_id, rows, moving)
        if rows or table.name == "organization":
            fetched.append((enc, rows))
    return fetched
