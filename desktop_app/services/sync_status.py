"""What the sync page shows, and the one decision it lets a person make.

Reads: this database's key and role, its packages made and taken, at the street
every community with the date and size of its last package (and a warning when
one has been silent for over 30 days), the conflicts kept by merges with both
sides. Write: resolve a conflict by choosing a side, in one transaction. The
choice is a new edit of this site that follows both versions, so it travels on
like any other edit and the other end catches up (the street sends it down).
The street is the one arbiter: a community may take the street's version, but
"keep ours" is the street's call, or the two decisions would conflict anew.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Boolean, DateTime, func, select, update
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.sync_rules import (
    SILENT_DAYS, Stamp, column_label, is_silent, resolved_version, silent_days, table_label,
)
from desktop_app.services import auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Organization, Site
from desktop_app.store.models_sync import (
    NULL, SyncConflict, SyncExport, SyncIdentity, SyncImport, SyncPeer, SyncRowState, row_to_texts, synced_tables, texts_to_row,
)

LOCAL = "local"
INCOMING = "incoming"
SIDE_LABELS = {LOCAL: "采用本地", INCOMING: "采用来件", "superseded": "已由后续数据包解决"}
STATUS_LABELS = {"open": "待处理", "resolved": "已处理", "superseded": "已自动解决"}
# Columns that name a row for a person, in the order tried.
_ROW_NAMES = ("name", "title", "wisher_name", "visitee_name", "head_name", "guest_name", "claimant_name",
              "number", "case_no", "wish_no", "project_no", "voucher_no", "code", "kind", "category")


@dataclass(frozen=True)
class PackageInfo:
    package_id: str
    kind: str
    seq: int
    created_at: datetime
    full: bool
    rows: int
    size: int
    file_name: str
    peer_name: str = ""
    confirmed_at: datetime | None = None  # exports only
    imported_at: datetime | None = None  # imports only

    @property
    def kind_label(self) -> str:
        return "上报" if self.kind == "upstream" else "下发"


@dataclass(frozen=True)
class SyncState:
    level: str  # community | street | "" (no site yet)
    has_key: bool
    fingerprint: str
    street_org_name: str
    key_set_at: datetime | None
    last_export: PackageInfo | None
    last_confirmed: PackageInfo | None
    last_import: PackageInfo | None
    open_conflicts: int


@dataclass(frozen=True)
class CommunityStatus:
    site_id: str
    org_code: str
    org_name: str
    org_id: str | None
    first_seen: datetime
    last_package_at: datetime | None
    last_imported_at: datetime | None
    last_size: int
    last_rows: int
    counts: dict[str, int]
    packages: int
    silent_days: int | None
    silent: bool
    open_conflicts: int
    members: int

    @property
    def warning(self) -> str:
        if not self.silent:
            return ""
        if self.silent_days is None:
            return "从未报送"
        return f"已 {self.silent_days} 天未报送"


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table: str
    table_label: str
    row_id: str
    row_label: str
    peer_site: str
    peer_name: str
    detected_at: datetime
    local_version: int
    incoming_version: int
    status: str
    resolution: str
    resolved_at: datetime | None
    resolved_by: str

    @property
    def status_label(self) -> str:
        if self.status == "resolved":
            return SIDE_LABELS.get(self.resolution, "已处理")
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class FieldDiff:
    column: str
    label: str
    local: str
    incoming: str

    @property
    def differs(self) -> bool:
        return self.local != self.incoming


@dataclass(frozen=True)
class ConflictDetail:
    conflict: ConflictRow
    fields: tuple[FieldDiff, ...]
    local_changed_since: bool  # the local row was edited after the conflict was found
    local_site_name: str
    incoming_site_name: str

    @property
    def differing(self) -> tuple[FieldDiff, ...]:
        return tuple(f for f in self.fields if f.differs)


# --- reads --------------------------------------------------------------------

def _export_info(e: SyncExport, names: dict[str, str]) -> PackageInfo:
    return PackageInfo(e.package_id, e.kind, e.seq, e.created_at, e.full, e.rows, e.size, e.file_name,
                       names.get(e.to_site, ""), confirmed_at=e.confirmed_at)


def _import_info(i: SyncImport, names: dict[str, str]) -> PackageInfo:
    return PackageInfo(i.package_id, i.kind, i.seq, i.created_at, i.full, i.rows, i.size, i.file_name,
                       names.get(i.from_site, ""), imported_at=i.imported_at)


def _site_names(s) -> dict[str, str]:
    names = {sid: name for sid, name in s.execute(select(SyncPeer.site_id, SyncPeer.org_name))}
    own = s.scalar(select(Site).limit(1))
    if own is not None:
        names[own.id] = f"本库（{own.org_name}）"
    return names


def sync_state(db: Database) -> SyncState:
    with db.session() as s:
        site = s.scalar(select(Site).limit(1))
        ident = s.get(SyncIdentity, 1)
        names = _site_names(s)
        last_export = s.scalar(select(SyncExport).order_by(SyncExport.seq.desc()).limit(1))
        last_confirmed = s.scalar(
            select(SyncExport).where(SyncExport.confirmed_at.is_not(None)).order_by(SyncExport.seq.desc()).limit(1)
        )
        last_import = s.scalar(select(SyncImport).order_by(SyncImport.imported_at.desc()).limit(1))
        n_open = s.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.status == "open")) or 0
        return SyncState(
            level=site.level if site else "",
            has_key=ident is not None,
            fingerprint=ident.fingerprint if ident else "",
            street_org_name=ident.street_org_name if ident else "",
            key_set_at=ident.set_at if ident else None,
            last_export=_export_info(last_export, names) if last_export else None,
            last_confirmed=_export_info(last_confirmed, names) if last_confirmed else None,
            last_import=_import_info(last_import, names) if last_import else None,
            open_conflicts=n_open,
        )


def exports(db: Database, limit: int = 100) -> list[PackageInfo]:
    with db.session() as s:
        names = _site_names(s)
        return [_export_info(e, names)
                for e in s.scalars(select(SyncExport).order_by(SyncExport.seq.desc()).limit(limit))]


def imports(db: Database, limit: int = 100, community: str | None = None) -> list[PackageInfo]:
    with db.session() as s:
        names = _site_names(s)
        q = select(SyncImport).order_by(SyncImport.imported_at.desc()).limit(limit)
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
                .where(SyncPeer.level == "community", SyncPeer.org_id.is_not(None))
                .order_by(SyncPeer.org_code)
            )
        ]


def communities(db: Database, today: date | None = None, days: int = SILENT_DAYS) -> list[CommunityStatus]:
    """At the street: every community heard from, newest silence first flagged."""
    today = today or date.today()
    with db.session() as s:
        peers = list(s.scalars(
            select(SyncPeer).where(SyncPeer.level == "community").order_by(SyncPeer.org_code)
        ))
        roots = _org_roots(s, {p.org_id for p in peers if p.org_id})
        members: dict[str, int] = {}
        for org_id, n in s.execute(
            select(Member.org_id, func.count()).where(Member.deleted.is_(False)).group_by(Member.org_id)
        ):
            root = roots.get(org_id)
            if root:
                members[root] = members.get(root, 0) + n
        open_by_peer = dict(s.execute(
            select(SyncConflict.peer_site, func.count()).where(SyncConflict.status == "open")
            .group_by(SyncConflict.peer_site)
        ).all())
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
                silent=is_silent(p.last_package_at, today, days),
                open_conflicts=open_by_peer.get(p.site_id, 0),
                members=members.get(p.org_id, 0) if p.org_id else 0,
            ))
        return out


@dataclass(frozen=True)
class CommunityCounts:
    """One community's figures at the street (for a street overview and its community filter)."""

    org_id: str
    org_name: str
    orgs: int
    members: int
    full_members: int
    probationary: int
    residents: int
    households: int


def community_counts(db: Database, org_id: str | None = None) -> list[CommunityCounts]:
    """Live counts per community the street has heard from (only `org_id`'s when given).

    One GROUP BY per table over the organisation each row hangs on, mapped to
    its community in Python: cheap at street scale (a few hundred organisations).
    """
    from desktop_app.store.models import Household, Resident

    with db.session() as s:
        peers = [(p.org_id, p.org_name) for p in s.scalars(
            select(SyncPeer).where(SyncPeer.level == "community", SyncPeer.org_id.is_not(None))
            .order_by(SyncPeer.org_code))
            if org_id is None or p.org_id == org_id]
        roots = _org_roots(s, {oid for oid, _ in peers})
        totals: dict[str, dict[str, int]] = {oid: {} for oid, _ in peers}

        def add(key: str, rows) -> None:
            for org, n in rows:
                root = roots.get(org)
                if root is not None:
                    totals[root][key] = totals[root].get(key, 0) + n

        add("orgs", s.execute(select(Organization.id, func.count()).where(Organization.deleted.is_(False))
                              .group_by(Organization.id)))
        for category, key in (("正式党员", "full"), ("预备党员", "prob")):
            add(key, s.execute(select(Member.org_id, func.count()).where(
                Member.deleted.is_(False), Member.category == category).group_by(Member.org_id)))
        add("members", s.execute(select(Member.org_id, func.count()).where(Member.deleted.is_(False))
                                 .group_by(Member.org_id)))
        add("residents", s.execute(select(Resident.grid_id, func.count()).where(Resident.deleted.is_(False))
                                   .group_by(Resident.grid_id)))
        add("households", s.execute(select(Household.grid_id, func.count()).where(Household.deleted.is_(False))
                                    .group_by(Household.grid_id)))
        return [
            CommunityCounts(oid, name, t.get("orgs", 0), t.get("members", 0), t.get("full", 0), t.get("prob", 0),
                            t.get("residents", 0), t.get("households", 0))
            for oid, name in peers for t in (totals[oid],)
        ]


def silent_warnings(db: Database, today: date | None = None, days: int = SILENT_DAYS) -> list[str]:
    return [f"{c.org_name}：{c.warning}" for c in communities(db, today, days) if c.silent]


def _row_label(texts: dict[str, str]) -> str:
    for col in _ROW_NAMES:
        v = texts.get(col)
        if v and v != NULL:
            return v.removeprefix("\\")
    return texts.get("id", "")[:8]


def _conflict_row(c: SyncConflict, names: dict[str, str]) -> ConflictRow:
    try:
        texts = json.loads(c.incoming_json)
    except ValueError:
        texts = {}
    return ConflictRow(
        id=c.id, table=c.table_name, table_label=table_label(c.table_name), row_id=c.row_id,
        row_label=_row_label(texts), peer_site=c.peer_site, peer_name=names.get(c.peer_site, c.peer_site[:8]),
        detected_at=c.detected_at, local_version=c.local_version, incoming_version=c.incoming_version,
        status=c.status, resolution=c.resolution, resolved_at=c.resolved_at, resolved_by=c.resolved_by,
    )


def conflicts(db: Database, status: str | None = "open", community: str | None = None) -> list[ConflictRow]:
    """Kept conflicts, newest first; `community` is a peer's site id."""
    with db.session() as s:
        names = _site_names(s)
        q = select(SyncConflict).order_by(SyncConflict.detected_at.desc(), SyncConflict.table_name)
        if status:
            q = q.where(SyncConflict.status == status)
        if community:
            q = q.where(SyncConflict.peer_site == community)
        return [_conflict_row(c, names) for c in s.scalars(q)]


def _table(name: str):
    for t in synced_tables():
        if t.name == name:
            return t
    raise NotFound(f"本库没有表 {name}")


def _display(column, text: str, org_names: dict[str, str], site_names: dict[str, str]) -> str:
    """A stored text as a person reads it: 是/否, names for ids, times on this PC's clock."""
    if text == NULL:
        return "（空）"
    name = column.name
    text = text[1:] if text.startswith("\\") else text
    if name == "updated_by_site":
        return site_names.get(text, text[:8])
    if isinstance(column.type, Boolean):
        return {"1": "是", "0": "否"}.get(text, text)
    if isinstance(column.type, DateTime):
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return text
        if name in ("created_at", "updated_at"):  # kept in UTC by the sync columns
            when = when.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
        return when.strftime("%Y-%m-%d %H:%M:%S")
    if name.endswith("_id") and text in org_names:
        return org_names[text]
    return text


def conflict_detail(db: Database, conflict_id: str) -> ConflictDetail:
    """Both versions side by side; "local" is the row as it is now in this database."""
    with db.session() as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound("找不到这条冲突记录")
        names = _site_names(s)
        table = _table(c.table_name)
        current = s.execute(select(table).where(table.c.id == c.row_id)).mappings().first()
        local = row_to_texts(table, dict(current)) if current else json.loads(c.local_json)
        incoming = json.loads(c.incoming_json)
        org_names = dict(s.execute(select(Organization.id, Organization.name)).all())
        fields = tuple(
            FieldDiff(col.name, column_label(col.name),
                      _display(col, local.get(col.name, NULL), org_names, names),
                      _display(col, incoming.get(col.name, NULL), org_names, names))
            for col in table.columns if col.name != "id"
        )
        changed = current is not None and (current["version"], current["updated_by_site"]) != (
            c.local_version, c.local_site)
        return ConflictDetail(
            conflict=_conflict_row(c, names), fields=fields, local_changed_since=changed,
            local_site_name=names.get(str(current["updated_by_site"]) if current else c.local_site, ""),
            incoming_site_name=names.get(c.incoming_site, c.incoming_site[:8]),
        )


# --- the decision ------------------------------------------------------------------

def resolve_conflict(db: Database, conflict_id: str, side: str, by: str = "") -> ConflictRow:
    """A person chooses a side. One transaction: the row, the agreed stamp, the conflict's status."""
    if side not in (LOCAL, INCOMING):
        raise ValidationError("处理方式", "应为“采用本地”或“采用来件”")
    by = (by or "").strip()[:40]
    auth.require(db, "sync.import")
    with UnitOfWork(db) as uow:
        s = uow.session
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound("找不到这条冲突记录")
        if c.status != "open":
            raise Conflict("这条冲突已经处理过了")
        ident = s.get(SyncIdentity, 1)
        if side == LOCAL and ident is not None and ident.role == "community":
            # The street is the one arbiter: two ends deciding apart would only
            # make a new conflict of their two decisions.
            raise Conflict(
                "社区与街道的冲突由街道决定：本社区的版本会随下次数据包报送街道，街道处理后会下发结果。"
                "如果街道的版本是对的，可以“采用来件”"
            )
        table = _table(c.table_name)
        current = s.execute(select(table).where(table.c.id == c.row_id)).mappings().first()
        if current is None:
            raise NotFound("本地已没有这条记录")
        incoming_stamp = Stamp(c.incoming_version, c.incoming_site)
        now = utcnow()
        values: dict = {}
        if side == INCOMING:
            try:
                incoming = texts_to_row(table, json.loads(c.incoming_json))
            except ValueError:
                raise Conflict("来件版本的数据无法读取") from None
            values = {k: v for k, v in incoming.items() if k not in ("id", "created_at")}
        values.update(
            version=resolved_version(Stamp(current["version"], current["updated_by_site"]), incoming_stamp),
            updated_by_site=uow.site_id, updated_at=now,
        )
        audit.record(
            s, "update", c.table_name, c.row_id,
            f"处理同步冲突：{SIDE_LABELS[side]}（来自 {_site_names(s).get(c.peer_site, c.peer_site[:8])}）",
            label=_row_label(json.loads(c.incoming_json)),
            before={k: current[k] for k in values if k in current},
            after={k: v for k, v in values.items()},
        )
        try:
            s.execute(update(table).where(table.c.id == c.row_id).values(**values))
        except IntegrityError:
            raise Conflict("采用来件后与本库其他记录冲突（引用的记录不存在或重复），未作更改") from None
        # We have now seen the peer's version: its next package builds on it.
        s.merge(SyncRowState(peer_site=c.peer_site, table_name=c.table_name, row_id=c.row_id,
                             version=incoming_stamp.version, site=incoming_stamp.site, agreed_at=now,
                             local_version=None, local_site=None))
        sc = SyncConflict.__table__
        s.execute(
            update(sc).where(sc.c.table_name == c.table_name, sc.c.row_id == c.row_id, sc.c.status == "open",
                             sc.c.peer_site == c.peer_site, sc.c.id != c.id)
            .values(status="superseded", resolution="superseded", resolved_at=now)
        )
        c.status, c.resolution, c.resolved_at, c.resolved_by = "resolved", side, now, by
        s.flush()
        row = _conflict_row(c, _site_names(s))
        uow.commit()
    return row
