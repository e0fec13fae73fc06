"""Take a package: verify all of it first, then merge it in one transaction.

Verification reads the whole package before a single row is written: the
signature under this street's key, every checksum, the schema version, the
file list, every row count and every value against its column's type. A
tampered, truncated, foreign or wrong-key package is refused whole, with a
message that says what to do.

The merge then decides row by row (domain.sync_rules.decide) and writes with
bulk statements, table by table in foreign-key order, under one write lock:
new rows, fast-forwards, the stamps agreed with the sender, and conflicts kept
with both sides. Importing the same package again, or an older one after a
newer one, changes nothing.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import Any, Callable, Sequence

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Table, Time, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain.errors import Conflict
from desktop_app.domain.sync_rules import (
    DOWNSTREAM, UPSTREAM, Decision, Manifest, PackageRefused, SiteRef, Stamp, decide, table_label,
)
from desktop_app.services import auth
from desktop_app.services import site as site_service
from desktop_app.services.site import SiteInfo
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.db import Database
from desktop_app.store.migrate import SCHEMA_HEAD
from desktop_app.store.models_sync import (
    NULL, SyncConflict, SyncExport, SyncImport, SyncPeer, SyncRowState, codec_for, row_to_texts,
    self_references, synced_tables,
)
from desktop_app.sync import keys, package
from desktop_app.sync.keys import KeyInfo

Progress = Callable[[int, int], None]
Stage = Callable[[str], None]
_CHUNK = 5000  # ids per IN (...) lookup (SQLite allows 32766 variables, PostgreSQL 65535)
_WRITE_CHUNK = 5000  # rows per executemany between two progress reports


@dataclass(frozen=True)
class TableReport:
    table: str
    label: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.older + self.conflicts

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass(frozen=True)
class ImportReport:
    path: Path
    package_id: str
    kind: str
    seq: int
    from_site: SiteRef
    created_at: datetime
    full: bool
    size: int
    encrypted: bool
    dry_run: bool
    new_community: bool
    already_imported: bool
    older_package: bool
    tables: tuple[TableReport, ...]
    confirmed: int = 0  # downstream: how many of our packages the street confirmed
    warnings: tuple[str, ...] = ()

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)

    @property
    def changes_nothing(self) -> bool:
        return all(t.changed == 0 and t.conflicts == 0 for t in self.tables)

    def lines(self) -> list[str]:
        """The report as plain text, for the command line: a head, notes, and a table per table."""
        src = self.from_site
        what = "下发包" if self.kind == DOWNSTREAM else "数据包"
        head = (f"{'预览（未写入）' if self.dry_run else '已导入'}：{src.org_name}（{src.org_code}）的{what}，"
                f"生成于 {self.created_at:%Y-%m-%d %H:%M}（UTC），{'全部数据' if self.full else '变化部分'}，"
                f"{self.size / 1024:,.0f} KB，{'已加密' if self.encrypted else '未加密'}")
        out = [head]
        if self.new_community:
            out.append("新社区：第一次收到它的数据包，" + ("导入时登记" if self.dry_run else "已登记"))
        if self.already_imported:
            out.append("这个数据包以前导入过，再次导入不改变任何数据")
        out.extend(self.warnings)
        if self.confirmed:
            out.append(f"街道已确认收到本社区的 {self.confirmed} 个数据包")
        width = max([_cols(t.label) for t in self.tables] + [4])
        out.append(_pad("表", width) + "  " + " ".join(" " * 5 + h for h in ("新增", "更新", "未变", "较旧", "冲突")))
        for t in self.tables:
            if t.total:
                out.append(_pad(t.label, width) + "  " + " ".join(
                    f"{n:>9,}" for n in (t.inserted, t.updated, t.unchanged, t.older, t.conflicts)))
        out.append(_pad("合计", width) + "  " + " ".join(
            f"{self.total(k):>9,}" for k in ("inserted", "updated", "unchanged", "older", "conflicts")))
        if self.total("conflicts"):
            out.append(f"{self.total('conflicts')} 条记录两边都改过：保留双方版本，请在“数据同步 → 冲突”中逐条处理")
        return out


def _cols(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - _cols(text))


# --- verification ---------------------------------------------------------------

@dataclass
class IncomingTable:
    """One table of a package, read and checked: each row as its CSV texts and as the database takes it."""

    table: Table
    texts: list[list[str]]  # every column's text (models_sync's codec), then the base stamp
    values: list[tuple]  # the same rows as written: storage values on SQLite, Python values elsewhere
    ids: list[str]
    stamps: list[Stamp]
    base_there: list[Stamp | None]

    def __len__(self) -> int:
        return len(self.values)

    def as_dicts(self, indexes: Sequence[int]) -> list[dict[str, Any]]:
        names = [c.name for c in self.table.columns]
        return [dict(zip(names, self.values[i])) for i in indexes]


@dataclass
class Verified:
    manifest: Manifest
    tables: list[IncomingTable]  # foreign-key order
    size: int
    encrypted: bool
    site: SiteInfo
    key_info: KeyInfo

    @property
    def rows(self) -> int:
        return sum(len(t) for t in self.tables)


def verify(db: Database, path: Path) -> Verified:
    """Everything about a package that can be checked without writing; raises PackageRefused."""
    path = Path(path)
    site = site_service.get_site(db)
    if site is None:
        raise Conflict("本库尚未设置所属单位")
    auth.require(db, "sync.import")
    key, info = keys.load_key(db)
    try:
        opened = package.open_file(path, key, SCHEMA_HEAD)
        m = opened.manifest
        _check_parties(m, site, info)
        tables = _decode_tables(m, opened.files, storage=_storage_dialect(db))
    except PackageRefused as exc:
        raise PackageRefused(f"数据包“{path.name}”未导入：{exc}") from None
    return Verified(manifest=m, tables=tables, size=opened.size, encrypted=opened.encrypted, site=site,
                    key_info=info)


def _check_parties(m: Manifest, site: SiteInfo, info: KeyInfo) -> None:
    if m.site.id == site.id:
        raise PackageRefused("这是本库自己生成的数据包")
    if info.role == keys.STREET:
        if m.kind != UPSTREAM:
            raise PackageRefused("这是街道下发给社区的数据包，应在社区导入")
        if m.site.level != "community":
            raise PackageRefused("数据包不是社区生成的")
    else:
        if m.kind != DOWNSTREAM:
            raise PackageRefused("社区只能导入街道下发的数据包；社区数据包请拿到街道导入")
        if m.to_site is None or m.to_site.id != site.id:
            to = m.to_site.org_name if m.to_site else "其他社区"
            raise PackageRefused(f"这个下发包是给“{to}”的，不是本社区的")
        if info.street_site_id and m.site.id != info.street_site_id:
            raise PackageRefused("这个下发包不是本街道数据库生成的")


def _storage_dialect(db: Database):
    """SQLite takes rows as its own storage values straight from the texts (see _column_reader)."""
    dialect = db.engine.dialect
    return dialect if dialect.name == "sqlite" else None


def _decode_tables(m: Manifest, files: dict[str, bytes], storage=None) -> list[IncomingTable]:
    known = {t.name: t for t in synced_tables()}
    for entry in m.tables:
        if entry.name not in known:
            raise PackageRefused(f"数据包含有本库没有的表 {entry.name}，请先升级程序")
    out = []
    for table in known.values():
        entry = m.table(table.name)
        if entry is None:
            continue
        expected = tuple(c.name for c in table.columns) + package.BASE_COLUMNS
        label = table_label(table.name)
        if entry.columns != expected:
            raise PackageRefused(f"表“{label}”的列与本库不一致，请双方使用同一版本的程序")
        try:
            lines = package.read_csv(files[table.name])
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageRefused(f"表“{label}”无法读取（{exc}）") from None
        if not lines or tuple(lines[0]) != expected:
            raise PackageRefused(f"表“{label}”的表头与清单不符")
        body = lines[1:]
        if len(body) != entry.rows:
            raise PackageRefused(f"表“{label}”应有 {entry.rows} 行，实有 {len(body)} 行：数据包不完整或被改动过")
        out.append(_decode_rows(table, label, body, storage))
    return out


_PARSERS = {  # python type name -> (parse, C-level re-encoding to the canonical text)
    "datetime": (datetime.fromisoformat, methodcaller("isoformat", " ", "microseconds")),
    "date": (date.fromisoformat, methodcaller("isoformat")),
    "time": (time.fromisoformat, methodcaller("isoformat", "microseconds")),
}
_PROBE_VALUES = {"datetime": datetime(987, 6, 5, 4, 3, 2, 10), "date": date(987, 6, 5), "time": time(4, 3, 2, 10)}
_BOOL_STORED = {"1": 1, "0": 0}
_BOOL_VALUES = {"1": True, "0": False}

Reader = Callable[[list[str]], list]


def _with_nulls(read: Reader) -> Reader:
    def reader(col: list[str]) -> list:
        if NULL not in col:
            return read(col)
        values = iter(read([t for t in col if t != NULL]))
        return [None if t == NULL else next(values) for t in col]
    return reader


def _column_reader(column, storage) -> Reader:
    """Decode one whole column of texts (NULL included) at once; raises ValueError, KeyError or TypeError.

    Column by column, with C-level map() where a type allows, because a big
    package is millions of values. On SQLite (`storage` is its dialect) the
    values come out as SQLite keeps them (what the dialect's bind processors
    would make, checked on a probe), ready for the driver's executemany.
    The codec's strict per-value decoder names the bad value on an error.
    """
    t = column.type
    if isinstance(t, String):
        return lambda col: [None if x == NULL else (x[1:] if x[:1] == "\\" else x) for x in col]
    if isinstance(t, Boolean):
        table = _BOOL_STORED if storage is not None else _BOOL_VALUES
        return _with_nulls(lambda col: list(map(table.__getitem__, col)))
    if isinstance(t, Integer):
        return _with_nulls(lambda col: list(map(int, col)))
    for kind_type, kind in ((DateTime, "datetime"), (Date, "date"), (Time, "time")):
        if not isinstance(t, kind_type):
            continue
        parse, canon = _PARSERS[kind]
        if storage is None:
            return _with_nulls(lambda col: list(map(parse, col)))
        proc = t.dialect_impl(storage).bind_processor(storage)
        probe = _PROBE_VALUES[kind]
        if proc is None or proc(probe) == canon(probe):
            return _with_nulls(lambda col: list(map(canon, map(parse, col))))
        return _with_nulls(lambda col: [proc(v) for v in map(parse, col)])
    dec = codec_for(column)[1]
    proc = t.dialect_impl(storage).bind_processor(storage) if storage is not None else None
    if proc is None:
        return _with_nulls(lambda col: [dec(x) for x in col])
    return _with_nulls(lambda col: [proc(dec(x)) for x in col])


def _decode_rows(table: Table, label: str, body: list[list[str]], storage=None) -> IncomingTable:
    cols = list(table.columns)
    names = [c.name for c in cols]
    n = len(cols)
    width = n + len(package.BASE_COLUMNS)
    if body and set(map(len, body)) != {width}:
        line_no = next(i for i, texts in enumerate(body, start=2) if len(texts) != width)
        raise PackageRefused(f"表“{label}”第 {line_no} 行的列数不对")
    columns_text = list(zip(*body)) if body else [()] * width
    decoded = []
    for i, c in enumerate(cols):
        texts = list(columns_text[i])
        try:
            values = _column_reader(c, storage)(texts)
        except (ValueError, TypeError, KeyError):
            raise _bad_value(label, c, texts) from None
        if not c.nullable and None in values:
            raise PackageRefused(f"表“{label}”第 {values.index(None) + 2} 行：{c.name} 不能为空")
        decoded.append(values)
    ids = decoded[names.index("id")]
    if len(set(ids)) != len(ids) or "" in ids:
        seen: set[str] = set()
        for line_no, rid in enumerate(ids, start=2):
            if not rid or rid in seen:
                raise PackageRefused(f"表“{label}”第 {line_no} 行：记录编号为空或重复")
            seen.add(rid)
    # Stamps made by C-level map (tuple.__new__): a Python call per row was a tenth of the decoding.
    stamps = list(map(partial(tuple.__new__, Stamp),
                      zip(map(int, decoded[names.index("version")]), decoded[names.index("updated_by_site")])))
    bases: list[Stamp | None] = []
    for line_no, (bv, bs) in enumerate(zip(columns_text[n], columns_text[n + 1]) if body else (), start=2):
        if bv == "" and bs == "":
            bases.append(None)
        elif bv.isdigit() and bs:
            bases.append(Stamp(int(bv), bs))
        else:
            raise PackageRefused(f"表“{label}”第 {line_no} 行：基准版本格式错误")
    values = list(zip(*decoded)) if body else []
    return IncomingTable(table=table, texts=body, values=values, ids=list(ids), stamps=stamps, base_there=bases)


def _bad_value(label: str, column, texts: list[str]) -> PackageRefused:
    """Find which value of a column did not read, for the message."""
    dec = codec_for(column)[1]
    for line_no, t in enumerate(texts, start=2):
        if t == NULL:
            continue
        try:
            dec(t)
        except (ValueError, TypeError) as exc:
            return PackageRefused(f"表“{label}”第 {line_no} 行 {column.name}：{exc}")
    return PackageRefused(f"表“{label}”的 {column.name} 列无法读取")


# --- the merge ----------------------------------------------------------------------

@dataclass
class _TablePlan:
    incoming: IncomingTable
    inserts: list[int] = field(default_factory=list)  # row indexes into incoming
    updates: list[int] = field(default_factory=list)
    states: list[tuple] = field(default_factory=list)  # (row id, peer's Stamp, introduced, our Stamp | None)
    conflicts: list[tuple[int, Stamp]] = field(default_factory=list)  # row index, local stamp
    counts: dict[Decision, int] = field(default_factory=lambda: {d: 0 for d in Decision})

    @property
    def table(self) -> Table:
        return self.incoming.table

    @property
    def applied_ids(self) -> list[str]:
        ids = self.incoming.ids
        return [ids[i] for i in self.inserts] + [ids[i] for i in self.updates]

    def report(self) -> TableReport:
        c = self.counts
        return TableReport(
            self.table.name, table_label(self.table.name), inserted=c[Decision.INSERT],
            updated=c[Decision.UPDATE], unchanged=c[Decision.UNCHANGED], older=c[Decision.OLDER],
            conflicts=c[Decision.CONFLICT],
        )


def _chunks(items: Sequence, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _lookup(s: Session, sql_head: str, ids: list[str], params: tuple = ()) -> list[tuple]:
    """Rows of `sql_head ... IN (ids)`, in chunks, through a qmark driver (no per-id bind objects)."""
    conn = s.connection()
    out: list[tuple] = []
    for part in _chunks(ids):
        marks = ", ".join("?" for _ in part)
        out.extend(conn.exec_driver_sql(f"{sql_head} IN ({marks})", (*params, *part)).fetchall())
    return out


def _local_stamps(s: Session, table: Table, ids: list[str]) -> dict[str, Stamp]:
    if s.get_bind().dialect.paramstyle != "qmark":
        out: dict[str, Stamp] = {}
        q = select(table.c.id, table.c.version, table.c.updated_by_site)
        for part in _chunks(ids):
            for rid, v, site in s.execute(q.where(table.c.id.in_(part))):
                out[rid] = Stamp(v, site)
        return out
    q = s.get_bind().dialect.identifier_preparer.quote(table.name)
    return {rid: Stamp(v, site) for rid, v, site in
            _lookup(s, f"SELECT id, version, updated_by_site FROM {q} WHERE id", ids)}


def _agreed(s: Session, peer: str, table: Table, ids: list[str]) -> dict[str, tuple[Stamp, Stamp | None]]:
    """Per row: the peer's stamp we last took, and our own stamp then when it was another."""
    def pair(v, site, lv, ls):
        return Stamp(v, site), (Stamp(lv, ls) if lv is not None else None)

    if s.get_bind().dialect.paramstyle != "qmark":
        rs = SyncRowState.__table__
        out = {}
        q = select(rs.c.row_id, rs.c.version, rs.c.site, rs.c.local_version, rs.c.local_site).where(
            rs.c.peer_site == peer, rs.c.table_name == table.name)
        for part in _chunks(ids):
            for rid, v, site, lv, ls in s.execute(q.where(rs.c.row_id.in_(part))):
                out[rid] = pair(v, site, lv, ls)
        return out
    return {rid: pair(v, site, lv, ls) for rid, v, site, lv, ls in _lookup(
        s, "SELECT row_id, version, site, local_version, local_site FROM sync_row_state "
           "WHERE peer_site = ? AND table_name = ? AND row_id", ids, (peer, table.name))}


_STAMP_COLUMNS = frozenset({"created_at", "updated_at", "updated_by_site", "version"})


def _local_values(s: Session, table: Table, ids: list[str], storage: bool) -> dict[str, tuple]:
    """Whole local rows, as the same kind of values the incoming rows were decoded to."""
    names = [c.name for c in table.columns]
    out: dict[str, tuple] = {}
    if storage:
        q = s.get_bind().dialect.identifier_preparer.quote
        cols = ", ".join(q(n) for n in names)
        i_id = names.index("id")
        for row in _lookup(s, f"SELECT {cols} FROM {q(table.name)} WHERE id", ids):
            out[row[i_id]] = tuple(row)
        return out
    for part in _chunks(ids):
        for row in s.execute(select(*table.columns).where(table.c.id.in_(part))):
            out[row.id] = tuple(row)
    return out


def _plan_table(s: Session, peer: str, inc: IncomingTable, storage: bool) -> _TablePlan:
    plan = _TablePlan(inc)
    local = _local_stamps(s, inc.table, inc.ids)
    here = _agreed(s, peer, inc.table, inc.ids)
    counts = plan.counts
    maybe: list[tuple[int, Stamp]] = []
    for i, (rid, incoming, there) in enumerate(zip(inc.ids, inc.stamps, inc.base_there)):
        base_here, base_local = here.get(rid, (None, None))
        d = decide(incoming, local.get(rid), base_here, there, base_local)
        if d is Decision.CONFLICT:
            maybe.append((i, local[rid]))
            continue
        counts[d] += 1
        if d is Decision.INSERT:
            plan.inserts.append(i)
            plan.states.append((rid, incoming, True, None))
        elif d is Decision.UPDATE:
            plan.updates.append(i)
            plan.states.append((rid, incoming, False, None))
        elif d is Decision.UNCHANGED:
            if base_here != incoming or base_local is not None:
                plan.states.append((rid, incoming, False, None))
    if maybe:
        # Two stamps, one content (rows both ends seeded with the same fixed ids, or
        # the same edit made twice) is no conflict: remember the pair, change nothing.
        names = [c.name for c in inc.table.columns]
        content = [k for k, n in enumerate(names) if n not in _STAMP_COLUMNS]
        rows = _local_values(s, inc.table, [inc.ids[i] for i, _ in maybe], storage)
        for i, local_stamp in maybe:
            mine, theirs = rows[inc.ids[i]], inc.values[i]
            if all(mine[k] == theirs[k] for k in content):
                counts[Decision.UNCHANGED] += 1
                plan.states.append((inc.ids[i], inc.stamps[i], False, local_stamp))
            else:
                counts[Decision.CONFLICT] += 1
                plan.conflicts.append((i, local_stamp))
    return plan


def _parents_first(inc: IncomingTable, rows: list[int]) -> list[int]:
    """Order new rows of a self-referencing table so a parent goes in before its children."""
    names = [c.name for c in inc.table.columns]
    refs = [names.index(c) for c in self_references(inc.table)]
    if not refs or len(rows) < 2:
        return rows
    by_id = {inc.ids[i]: i for i in rows}
    done: set[int] = set()
    out: list[int] = []
    for i in rows:
        chain: list[int] = []
        cur: int | None = i
        while cur is not None and cur not in done and cur not in chain:
            chain.append(cur)
            nxt = None
            for r in refs:
                j = by_id.get(inc.values[cur][r])
                if j is not None and j not in done:
                    nxt = j
                    break
            cur = nxt
        for item in reversed(chain):
            if item not in done:
                done.add(item)
                out.append(item)
    return out


class _Writer:
    """Bulk INSERT / UPDATE of one table's rows.

    On SQLite the rows are already the values SQLite stores (decoded so by
    _storage_decoder) and go to the driver's executemany as tuples; other
    databases take the ordinary Core executemany of dicts.
    """

    def __init__(self, s: Session, inc: IncomingTable, storage: bool):
        self.s, self.inc, self.table = s, inc, inc.table
        self.storage = storage
        self.cols = [c.name for c in self.table.columns]
        self.i_id = self.cols.index("id")
        if storage:
            conn = s.connection()
            q = conn.dialect.identifier_preparer.quote
            self.conn = conn
            names = ", ".join(q(c) for c in self.cols)
            marks = ", ".join("?" for _ in self.cols)
            self.insert_sql = f"INSERT INTO {q(self.table.name)} ({names}) VALUES ({marks})"
            sets = ", ".join(f"{q(c)} = ?" for c in self.cols if c != "id")
            self.update_sql = f"UPDATE {q(self.table.name)} SET {sets} WHERE {q('id')} = ?"

    def insert(self, rows: list[int]) -> None:
        values = self.inc.values
        if self.storage:
            self.conn.exec_driver_sql(self.insert_sql, [values[i] for i in rows])
        else:
            self.s.execute(insert(self.table), self.inc.as_dicts(rows))

    def update(self, rows: list[int]) -> None:
        values, k = self.inc.values, self.i_id
        if self.storage:
            self.conn.exec_driver_sql(self.update_sql, [values[i][:k] + values[i][k + 1:] + (values[i][k],)
                                                        for i in rows])
        else:
            stmt = update(self.table).where(self.table.c.id == bindparam("pk_"))
            cols = [c for c in self.cols if c != "id"]
            self.s.execute(stmt, [{**{c: r[c] for c in cols}, "pk_": r["id"]} for r in self.inc.as_dicts(rows)])


def _upsert_states(s: Session, peer: str, table: str, states: list[tuple], now: datetime) -> None:
    """Write (row id, peer's stamp, introduced, our own stamp if another) as agreed with `peer`."""
    if not states:
        return
    rs = SyncRowState.__table__

    def mine(x):
        return (x.version, x.site) if x is not None else (None, None)

    if s.get_bind().dialect.name == "sqlite":
        conn = s.connection()
        at = rs.c.agreed_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)(now)
        sql = (
            "INSERT INTO sync_row_state (peer_site, table_name, row_id, version, site, agreed_at, introduced, "
            "local_version, local_site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (peer_site, table_name, row_id) DO UPDATE SET version = excluded.version, "
            "site = excluded.site, agreed_at = excluded.agreed_at, local_version = excluded.local_version, "
            "local_site = excluded.local_site"
        )
        for part in _chunks(states, _WRITE_CHUNK):
            conn.exec_driver_sql(sql, [(peer, table, rid, st.version, st.site, at, 1 if new else 0, *mine(lo))
                                       for rid, st, new, lo in part])
        return
    from sqlalchemy.dialects.postgresql import insert as dialect_insert

    stmt = dialect_insert(rs)
    stmt = stmt.on_conflict_do_update(
        index_elements=[rs.c.peer_site, rs.c.table_name, rs.c.row_id],
        set_={k: getattr(stmt.excluded, k) for k in ("version", "site", "agreed_at", "local_version", "local_site")},
    )
    for part in _chunks(states, _WRITE_CHUNK):
        s.execute(stmt, [{"peer_site": peer, "table_name": table, "row_id": rid, "version": st.version,
                          "site": st.site, "agreed_at": now, "introduced": new,
                          "local_version": mine(lo)[0], "local_site": mine(lo)[1]}
                         for rid, st, new, lo in part])


def _apply_table(s: Session, peer: str, package_id: str, plan: _TablePlan, now: datetime,
                 tick: Callable[[int], None], open_rows: set[tuple[str, str]], storage: bool) -> None:
    table = plan.table
    label = table_label(table.name)
    writer = _Writer(s, plan.incoming, storage)
    try:
        for part in _chunks(_parents_first(plan.incoming, plan.inserts), _WRITE_CHUNK):
            writer.insert(part)
            tick(len(part))
        for part in _chunks(plan.updates, _WRITE_CHUNK):
            writer.update(part)
            tick(len(part))
    except IntegrityError as exc:
        reason = "唯一性" if "UNIQUE" in str(exc.orig).upper() else "引用关系"
        raise PackageRefused(
            f"表“{label}”的记录与本库数据的{reason}不符，数据包无法合并，未导入任何数据。"
            "若社区或街道的数据库曾从备份恢复，请让社区导出全部数据（完整数据包）后再导入"
        ) from None
    _upsert_states(s, peer, str(table.name), plan.states, now)  # a plain str: sqlite3 probes subclasses
    _record_conflicts(s, peer, package_id, plan, now)
    settled = [rid for rid in plan.applied_ids if (table.name, rid) in open_rows]
    if settled:
        _supersede(s, peer, table.name, settled, now)
    tick(plan.counts[Decision.UNCHANGED] + plan.counts[Decision.OLDER] + plan.counts[Decision.CONFLICT])


def _open_conflicts(s: Session, peer: str, table: str, ids: list[str]) -> dict[str, list[tuple[str, Stamp]]]:
    c = SyncConflict.__table__
    out: dict[str, list[tuple[str, Stamp]]] = defaultdict(list)
    q = select(c.c.row_id, c.c.id, c.c.incoming_version, c.c.incoming_site).where(
        c.c.peer_site == peer, c.c.table_name == table, c.c.status == "open"
    )
    for part in _chunks(ids):
        for rid, cid, v, site in s.execute(q.where(c.c.row_id.in_(part))):
            out[rid].append((cid, Stamp(v, site)))
    return out


def _supersede(s: Session, peer: str, table: str, ids: list[str], now: datetime) -> None:
    """Open conflicts of rows that a later package settled (a fast-forward over them)."""
    c = SyncConflict.__table__
    for part in _chunks(ids):
        s.execute(
            update(c)
            .where(c.c.peer_site == peer, c.c.table_name == table, c.c.status == "open", c.c.row_id.in_(part))
            .values(status="superseded", resolution="superseded", resolved_at=now)
        )


def _record_conflicts(s: Session, peer: str, package_id: str, plan: _TablePlan, now: datetime) -> None:
    if not plan.conflicts:
        return
    inc, table = plan.incoming, plan.table
    names = [c.name for c in table.columns]
    ids = [inc.ids[i] for i, _ in plan.conflicts]
    existing = _open_conflicts(s, peer, table.name, ids)
    local_rows: dict[str, dict] = {}
    for part in _chunks(ids):
        for r in s.execute(select(table).where(table.c.id.in_(part))).mappings():
            local_rows[r["id"]] = dict(r)
    fresh, stale = [], []
    for i, local in plan.conflicts:
        rid, incoming = inc.ids[i], inc.stamps[i]
        kept = existing.get(rid, [])
        if any(st == incoming for _, st in kept):
            continue  # the same package (or the same state) again: already kept
        stale.extend(cid for cid, _ in kept)
        fresh.append({
            "id": _new_id(), "peer_site": peer, "table_name": table.name, "row_id": rid,
            "package_id": package_id, "detected_at": now,
            "local_version": local.version, "local_site": local.site,
            "incoming_version": incoming.version, "incoming_site": incoming.site,
            "local_json": json.dumps(row_to_texts(table, local_rows[rid]), ensure_ascii=False),
            "incoming_json": json.dumps(dict(zip(names, inc.texts[i])), ensure_ascii=False),
            "status": "open", "resolution": "", "resolved_at": None, "resolved_by": "",
        })
    c = SyncConflict.__table__
    for part in _chunks(stale):
        s.execute(update(c).where(c.c.id.in_(part)).values(status="superseded", resolution="superseded",
                                                           resolved_at=now))
    if fresh:
        s.execute(insert(c), fresh)


def _new_id() -> str:
    from desktop_app.store.base import new_id

    return new_id()


MERGE_CACHE_KIB = 256 * 1024  # SQLite page cache while merging: index pages stay in memory


def _begin(s: Session, write: bool) -> int | None:
    """Take SQLite's write lock up front, so what we decide on is what we write over.

    Also widens the page cache for the merge (SQLite's default 2 MB makes
    every index insert of a big package a disk read); returns the old size.
    """
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        return None
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{MERGE_CACHE_KIB}")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
    return old


def _end(s: Session, old_cache: int | None) -> None:
    """Give the pooled connection its usual page cache back (and the memory with it)."""
    if old_cache is None:
        return
    try:
        s.connection().exec_driver_sql(f"PRAGMA cache_size = {int(old_cache)}")
    except Exception:  # noqa: BLE001 - the connection is going back to the pool either way
        pass


def import_package(
    db: Database,
    path: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> ImportReport:
    """Verify a package whole, then merge it (or, with dry_run, only say what merging would do)."""
    path = Path(path)
    if stage:
        stage("verify")
    v = verify(db, path)
    m = v.manifest
    peer = m.site.id
    total = v.rows
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)  # may raise to cancel: the transaction rolls back

    storage = _storage_dialect(db) is not None
    with UnitOfWork(db) as uow:
        s = uow.session
        old_cache = _begin(s, write=not dry_run)
        try:
            now = utcnow()
            if stage:
                stage("plan")
            plans = [_plan_table(s, peer, inc, storage) for inc in v.tables]
            already = s.get(SyncImport, m.package_id) is not None
            peer_row = s.get(SyncPeer, peer)
            new_community = peer_row is None and m.kind == UPSTREAM
            older = peer_row is not None and m.seq < peer_row.last_seq
            warnings = _warnings(s, m, peer_row)
            confirmed = 0
            if not dry_run:
                if stage:
                    stage("merge")
                if progress:
                    progress(0, total)
                sc = SyncConflict.__table__
                open_rows = set(s.execute(
                    select(sc.c.table_name, sc.c.row_id).where(sc.c.peer_site == peer, sc.c.status == "open")
                ).tuples())
                for plan in plans:
                    _apply_table(s, peer, m.package_id, plan, now, tick, open_rows, storage)
                peer_row = _note_peer(s, m, peer_row, v.size, now, already)
                if m.kind == DOWNSTREAM and not older and not already:
                    confirmed = _take_confirmations(s, m, now)
                if not already:
                    done_ = {k: sum(p.counts[d] for p in plans) for k, d in (
                        ("新增", Decision.INSERT), ("更新", Decision.UPDATE), ("冲突", Decision.CONFLICT))}
                    audit.record(
                        s, "sync_import", SyncImport.__tablename__, m.package_id,
                        f"导入{m.site.org_name}的数据包 {path.name}：" + "，".join(f"{k} {n}" for k, n in done_.items()),
                        label=path.name,
                    )
                    s.add(SyncImport(
                        package_id=m.package_id, kind=m.kind, from_site=peer, seq=m.seq, created_at=m.created_at,
                        until=m.until, full=m.full, imported_at=now, size=v.size, rows=v.rows,
                        file_name=path.name,
                        counts=json.dumps({p.table.name: {d.value: n for d, n in p.counts.items() if n}
                                           for p in plans}, ensure_ascii=False),
                    ))
                if stage:
                    stage("commit")
                _end(s, old_cache)  # on this very connection, before it goes back to the pool
                old_cache = None
                uow.commit()
        finally:
            _end(s, old_cache)
    return ImportReport(
        path=path, package_id=m.package_id, kind=m.kind, seq=m.seq, from_site=m.site, created_at=m.created_at,
        full=m.full, size=v.size, encrypted=v.encrypted, dry_run=dry_run, new_community=new_community,
        already_imported=already, older_package=older, tables=tuple(p.report() for p in plans),
        confirmed=confirmed, warnings=tuple(warnings),
    )


def _warnings(s: Session, m: Manifest, peer_row: SyncPeer | None) -> list[str]:
    out = []
    if m.kind == UPSTREAM:
        twin = s.scalar(select(SyncPeer).where(SyncPeer.org_code == m.site.org_code, SyncPeer.site_id != m.site.id))
        if twin is not None:
            out.append(f"已登记的“{twin.org_name}”也使用组织代码 {m.site.org_code}，请核对两个社区的设置")
    if peer_row is not None and m.seq < peer_row.last_seq:
        out.append(f"这是较旧的数据包（第 {m.seq} 号，已导入第 {peer_row.last_seq} 号），其中较旧的记录不会覆盖本库")
    return out


def _note_peer(s: Session, m: Manifest, row: SyncPeer | None, size: int, now: datetime, already: bool) -> SyncPeer:
    if row is None:
        row = SyncPeer(site_id=m.site.id, first_seen=now, last_package_id="", last_seq=0, last_size=0,
                       last_rows=0, last_counts="{}", packages=0)
        s.add(row)
    if already:
        return row
    row.packages = (row.packages or 0) + 1
    if m.seq > (row.last_seq or 0):  # an older package does not make the community look fresher
        row.level = m.site.level or row.level or "community"
        row.org_code = m.site.org_code
        row.org_name = m.site.org_name
        row.org_id = m.site.org_id or row.org_id
        row.last_package_id = m.package_id
        row.last_seq = m.seq
        row.last_package_at = m.created_at
        row.last_imported_at = now
        row.last_size = size
        row.last_rows = m.total_rows
        row.last_counts = json.dumps({t.name: t.rows for t in m.tables if t.rows}, ensure_ascii=False)
    s.flush()
    return row


def _take_confirmations(s: Session, m: Manifest, now: datetime) -> int:
    """The street's latest word on what it merged of ours replaces what it said before."""
    e = SyncExport.__table__
    s.execute(update(e).where(e.c.kind == UPSTREAM).values(confirmed_at=None))
    ids = [c.package_id for c in m.confirm]
    n = 0
    for part in _chunks(ids):
        n += s.execute(
            update(e).where(e.c.kind == UPSTREAM, e.c.package_id.in_(part)).values(confirmed_at=now)
        ).rowcount or 0
    return n
