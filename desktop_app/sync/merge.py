"""The merge: plan what a verified package does to this database, then write it, on a session handed in.

The planner decides row by row (domain.sync_rules.decide) against the rows as
they are; the writer writes with bulk statements, table by table in
foreign-key order, under one write lock: new rows, fast-forwards, the stamps
agreed with the sender, and conflicts kept with both sides. Importing the same
package again, or an older one after a newer one, changes nothing.

A person's decision on a kept conflict is written by the same writer (settle):
the row, the stamp agreed with the peer, and the conflicts it settles.

The caller (services.sync) owns the transaction, the permission checks and the
audit trail; nothing here commits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter, ne, not_
from datetime import datetime
from functools import cache
from typing import Callable, Sequence

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.domain.sync_rules import COMMUNITY, DOWNSTREAM, UPSTREAM, Decision, Manifest, PackageRefused, Stamp, decide, table_label
from desktop_app.store import dialect as store_dialect
from desktop_app.store import pgbulk
from desktop_app.store.base import Base, new_id
from desktop_app.store.models_sync import SyncConflict, SyncExport, SyncImport, SyncPeer, SyncRowState
from desktop_app.sync import clash, trail
from desktop_app.sync.codec import codec_for, row_to_texts, self_references
from desktop_app.sync.decode import IncomingTable, Verified
from desktop_app.views.sync import TableReport

Progress = Callable[[int, int], None]
Stage = Callable[[str], None]
_CHUNK = 5000  # ids per IN (...) lookup (SQLite allows 32766 variables, PostgreSQL 65535)
_WRITE_CHUNK = 5000  # rows per executemany between two progress reports


@dataclass
class TablePlan:
    """What to do with one table of a package: row indexes by decision, stamps to agree, conflicts to keep."""

    incoming: IncomingTable
    inserts: list[int] = field(default_factory=list)  # row indexes into incoming
    updates: list[int] = field(default_factory=list)
    was: list[Stamp] = field(default_factory=list)  # our stamp of each update's row, as decided on
    states: list[tuple] = field(default_factory=list)  # (row id, peer's Stamp, introduced, our Stamp | None)
    # Rows this database never held (inserts too): their states, (id, peer's stamp, True, None), are made
    # only where written from Python (see _apply_table); SQLite copies a new community's from the rows.
    fresh: list[int] = field(default_factory=list)
    conflicts: list[tuple[int, Stamp]] = field(default_factory=list)  # row index, local stamp
    counts: dict[Decision, int] = field(default_factory=lambda: {d: 0 for d in Decision})
    # What the decisions were made on (kept for a preview): our stamps, and the sender's stamps we agreed.
    basis: tuple[dict, dict] | None = None
    agreed_before: bool = True  # False: nothing of this table agreed with the sender yet (states all new)

    @property
    def table(self) -> Table:
        return self.incoming.table

    def fresh_states(self) -> list[tuple]:
        ids, stamps, rows = self.incoming.ids, self.incoming.stamps, self.fresh
        return list(zip(map(ids.__getitem__, rows), map(stamps.__getitem__, rows), repeat(True), repeat(None)))

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
    """Rows of `sql_head ... IN (ids)` ("?" marks its own parameters), through the driver (store.dialect.rows_in).

    The ids go sorted: each chunk of the IN list then probes the index next to where the last one did
    (half the time of a package's ids in their random order, the sort included).
    """
    return store_dialect.rows_in(s.connection(), sql_head, sorted(ids), params)


def _local_stamps(s: Session, table: Table, ids: list[str]) -> dict[str, Stamp]:
    q = s.get_bind().dialect.identifier_preparer.quote(table.name)
    return {rid: Stamp(v, site) for rid, v, site in
            _lookup(s, f"SELECT id, version, updated_by_site FROM {q} WHERE id", ids)}


def _agreed(s: Session, peer: str, table: Table, ids: list[str]) -> dict[str, tuple[Stamp, Stamp | None]]:
    """Per row: the peer's stamp we last took, and our own stamp then when it was another."""
    def pair(v, site, lv, ls):
        return Stamp(v, site), (Stamp(lv, ls) if lv is not None else None)

    rs = SyncRowState.__table__
    if s.execute(select(rs.c.row_id).where(rs.c.peer_site == peer, rs.c.table_name == table.name)
                 .limit(1)).first() is None:
        return {}  # nothing of this table agreed with this peer yet (a new community): no lookups
    return {rid: pair(v, site, lv, ls) for rid, v, site, lv, ls in _lookup(
        s, "SELECT row_id, version, coalesce(site, peer_site), local_version, local_site FROM sync_row_state "
           "WHERE peer_site = ? AND table_name = ? AND row_id", ids, (peer, table.name))}


_STAMP_COLUMNS = frozenset({"created_at", "updated_at", "updated_by_site", "version"})


def _local_values(s: Session, table: Table, ids: list[str], storage: bool) -> dict[str, tuple]:
    """Whole local rows, as the same kind of values the incoming rows were decoded to."""
    names = [c.name for c in table.columns]
    out: dict[str, tuple] = {}
    q = s.get_bind().dialect.identifier_preparer.quote
    cols = ", ".join(q(n) for n in names)
    i_id = names.index("id")
    for row in _lookup(s, f"SELECT {cols} FROM {q(table.name)} WHERE id", ids):
        out[row[i_id]] = tuple(row)
    return out


# Search keys each site derives from a name (domain.pinyin, as the services save them): they travel
# with the row, but a sender's are those of its program's rule (before 0027, 于思雨 was yu-sai-yu).
DERIVED_KEYS = ("name_pinyin", "name_initials")


def own_keys(inc: IncomingTable) -> None:
    """Give a package's rows of a table with name keys this program's keys, not the sender's (in place).

    Done before anything is decided, so a row differing only in its keys is no conflict and
    what is written, and kept for a conflict, is what this site would have saved. The stamps
    stay: the keys are derived data, not an edit. Nothing is rebuilt when the keys agree
    (the sender's rule is this one), and a second plan of the same package finds them so.
    """
    names = [c.name for c in inc.table.columns]
    if not inc.values or not all(n in names for n in DERIVED_KEYS):
        return
    k_name, k_pinyin, k_initials = names.index("name"), *map(names.index, DERIVED_KEYS)
    values = inc.values
    keys = list(map(pinyin_keys, map(itemgetter(k_name), values)))
    pinyins, initials = list(map(itemgetter(0), keys)), list(map(itemgetter(1), keys))
    sent_pinyins, sent_initials = list(map(itemgetter(k_pinyin), values)), list(map(itemgetter(k_initials), values))
    if sent_pinyins == pinyins and sent_initials == initials:
        return
    for i in compress(range(len(values)), map(ne, zip(sent_pinyins, sent_initials), keys)):
        row = list(values[i])
        row[k_pinyin], row[k_initials] = keys[i]
        values[i] = tuple(row)
    encode = codec_for(inc.table.c[DERIVED_KEYS[0]])[0]
    inc.columns[k_pinyin] = list(map(encode, pinyins))  # the texts too: a kept conflict shows ours
    inc.columns[k_initials] = list(map(encode, initials))


def _plan_table(s: Session, peer: str, inc: IncomingTable, storage: bool, keep_basis: bool) -> TablePlan:
    plan = TablePlan(inc)
    local = _local_stamps(s, inc.table, inc.ids)
    here = _agreed(s, peer, inc.table, inc.ids)
    plan.agreed_before = bool(here)
    if keep_basis:
        plan.basis = (local, here)
    counts = plan.counts
    ids = inc.ids
    # Rows this database has never held are new whatever else is said of them: decided in bulk, at C speed.
    held = list(map(local.__contains__, ids))
    new_rows = list(compress(range(len(ids)), map(not_, held)))
    plan.inserts.extend(new_rows)
    plan.fresh = new_rows
    counts[Decision.INSERT] += len(new_rows)
    maybe: list[tuple[int, Stamp]] = []
    stamps = inc.stamps if any(held) else []  # (made only when some row is held)
    for i in compress(range(len(ids)), held):
        rid, incoming, there = ids[i], stamps[i], inc.base_there[i]
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
            plan.was.append(local[rid])
            plan.states.append((rid, incoming, False, None))
        elif d is Decision.UNCHANGED:
            twins = base_local is not None and incoming != local[rid]  # the agreed pair: it stays as it is
            if not twins and (base_here != incoming or base_local is not None):
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


class Contended(PackageRefused):
    """A row this merge writes was written meanwhile by another operator's merge (a server database).

    Nothing of the package is written; deciding again on what the other
    committed (services.sync retries) merges it.
    """


class _Writer:
    """Bulk INSERT / UPDATE of one table's rows.

    On SQLite the rows are already the values SQLite stores (decoded so by
    sync.decode) and go to the driver's executemany as tuples. On a server
    they stream through COPY (store.pgbulk), and an update writes a row only
    if it still holds the stamp the plan decided on: another sender's merge
    running at the same time may have changed it (a member handed over).
    """

    def __init__(self, s: Session, inc: IncomingTable, storage: bool):
        self.s, self.inc, self.table = s, inc, inc.table
        self.storage = storage
        self.cols = [c.name for c in self.table.columns]
        self.i_id = self.cols.index("id")
        self.conn = s.connection()
        if storage:
            q = self.conn.dialect.identifier_preparer.quote
            names = ", ".join(q(c) for c in self.cols)
            marks = ", ".join("?" for _ in self.cols)
            self.insert_sql = f"INSERT INTO {q(self.table.name)} ({names}) VALUES ({marks})"
            sets = ", ".join(f"{q(c)} = ?" for c in self.cols if c != "id")
            self.update_sql = f"UPDATE {q(self.table.name)} SET {sets} WHERE {q('id')} = ?"

    def insert(self, rows: list[int]) -> None:
        values = self.inc.values
        if self.storage:
            self.conn.exec_driver_sql(self.insert_sql, list(map(values.__getitem__, rows)))
        else:
            pgbulk.copy_insert(self.conn, self.table, self.cols, map(values.__getitem__, rows))

    def update(self, rows: list[int], was: list[Stamp]) -> None:
        values, k = self.inc.values, self.i_id
        if self.storage:
            self.conn.exec_driver_sql(self.update_sql, [values[i][:k] + values[i][k + 1:] + (values[i][k],)
                                                        for i in rows])
            return
        sent, written = pgbulk.copy_update(self.conn, self.table, self.cols,
                                           (values[i] + (w.version, w.site) for i, w in zip(rows, was)),
                                           guard=("version", "updated_by_site"))
        if written != sent:
            raise Contended(f"表“{table_label(self.table.name)}”的记录在合并时被另一个导入改动，数据包未导入，请重新导入")


def _sql_literal(value) -> str | None:
    """A plain value as SQLite reads it in a statement's text; None when it must be bound."""
    if type(value) is str:
        return None if "\x00" in value else "'" + value.replace("'", "''") + "'"
    return "NULL" if value is None else str(value) if type(value) is int else None


def agree(s: Session, peer: str, table: str, states: list[tuple], now: datetime | None,
          fresh: bool = False) -> None:
    """Write (row id, peer's stamp, introduced, our own stamp if another) as agreed with `peer` at `now`.

    The peer's own site is written as NULL (see SyncRowState.site); now is None at a street
    (nothing there reads when it agreed with a community: SyncRowState.agreed_at).
    fresh: none of these rows is agreed with `peer` yet (they are only inserted).
    """
    if not states:
        return
    rs = SyncRowState.__table__

    def mine(x):
        return (x.version, x.site) if x is not None else (None, None)

    if s.get_bind().dialect.name == "sqlite":
        conn = s.connection()
        at = _bound_time(conn, now)
        upsert = "" if fresh else (  # fresh: nothing to update, a plain insert
            " ON CONFLICT (peer_site, table_name, row_id) DO UPDATE SET version = excluded.version, "
            "site = excluded.site, agreed_at = excluded.agreed_at, local_version = excluded.local_version, "
            "local_site = excluded.local_site")
        peer_text = _sql_literal(peer)  # the peer's own site is NULL: nullif in C, no Python per row
        for part in _chunks(states, _WRITE_CHUNK):
            rids, stamps, news, los = zip(*part)
            # Built by C-level zip/map: a Python tuple per row was a tenth of a big merge's write phase.
            # What is the same in every row (the peer, the table, the time, mostly `introduced` and the
            # empty local stamp) is written into the statement once: binding it to each row cost a fifth.
            same_new = news.count(news[0]) == len(news)
            columns = (
                ("peer_site", peer, True), ("table_name", table, True), ("row_id", rids, False),
                ("version", map(itemgetter(0), stamps), False),
                ("site", map(itemgetter(1), stamps) if peer_text else [None if x.site == peer else x.site
                                                                       for x in stamps], False),
                ("agreed_at", at, True), ("introduced", int(news[0]) if same_new else map(int, news), same_new),
            )
            if los.count(None) == len(los):
                columns += (("local_version", None, True), ("local_site", None, True))
            else:
                lv, ls = zip(*map(mine, los))
                columns += (("local_version", lv, False), ("local_site", ls, False))
            slots, bound = [], []
            for name, value, fixed in columns:
                text = _sql_literal(value) if fixed else None
                slots.append(text or (f"nullif(?, {peer_text})" if name == "site" and peer_text else "?"))
                if text is None:
                    bound.append(repeat(value) if fixed else value)
            sql = (f"INSERT INTO sync_row_state ({', '.join(c[0] for c in columns)}) VALUES ({', '.join(slots)})"
                   + upsert)
            conn.exec_driver_sql(sql, list(zip(*bound)))  # (the row id, version and site are always bound)
        return
    cols = ["peer_site", "table_name", "row_id", "version", "site", "agreed_at", "introduced", "local_version",
            "local_site"]
    rows = ((peer, table, rid, st.version, st.site if st.site != peer else None, now, new, *mine(lo))
            for rid, st, new, lo in states)
    if fresh:  # nothing agreed with this sender for this table yet: no row to update
        pgbulk.copy_insert(s.connection(), rs, cols, rows)
    else:
        pgbulk.copy_upsert(s.connection(), rs, cols, rows, cols[:3], cols[3:6] + cols[7:])


def _bound_time(conn, now: datetime | None):
    """`now` as SQLite stores a DateTime (None stays None)."""
    return None if now is None else \
        SyncRowState.__table__.c.agreed_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)(now)


def _agree_inserted(s: Session, peer: str, table: str, n: int, last_rowid: int, now: datetime | None) -> bool:
    """SQLite, nothing of `table` agreed with `peer` yet: the stamps of the `n` rows just inserted (each
    agreed as introduced, at the stamp it came with) copied from those rows in one statement, in id order.

    The new rows are those past the rowid the table ended at (SQLite numbers new rows on from its largest).
    Neither a Python tuple nor a bound value per stamp, and in id order each stamp goes next to the last
    one instead of to a random page of the key: a sixth less than the executemany. False (nothing
    written) when the rows past that rowid are not the n inserted (a full rowid range numbers at random).
    """
    conn = s.connection()
    q = conn.dialect.identifier_preparer.quote(table)
    if conn.exec_driver_sql(f"SELECT count(*) FROM {q} WHERE rowid > ?", (last_rowid,)).scalar() != n:
        return False
    conn.exec_driver_sql(
        "INSERT INTO sync_row_state (peer_site, table_name, row_id, version, site, agreed_at, introduced, "
        f"local_version, local_site) SELECT ?1, ?2, id, version, nullif(updated_by_site, ?1), ?3, 1, NULL, NULL "
        f"FROM {q} WHERE rowid > ?4 ORDER BY +id",  # (+: sort the range, not a walk of the whole id index)
        (peer, table, _bound_time(conn, now), last_rowid))
    return True


@cache
def _live_unique() -> frozenset[str]:
    """The synced tables with a unique index on live rows only (a member's ID number, a grade per year)."""
    from desktop_app.store import schema  # noqa: F401 - every module's tables mapped before they are read

    return frozenset(t.name for t in Base.metadata.tables.values()
                     if any(ix.unique and ix.dialect_options["sqlite"].get("where") is not None for ix in t.indexes))


# What two live rows sharing a table's live unique key are, in a refusal's words
_SAME_KEY = {"member": "同一公民身份号码", "evaluation": "同一党员同一年度", "evaluation_vote": "同一党员同一年度",
             "evaluation_ballot": "同一党支部同一年度"}


def _sent_twice(inc: IncomingTable) -> str:
    """How the package's own live rows repeat a live unique key of their table ("": they do not)."""
    names = [c.name for c in inc.table.columns]
    d = names.index("deleted")
    for ix in inc.table.indexes:
        if not (ix.unique and ix.dialect_options["sqlite"].get("where") is not None):
            continue
        at = [names.index(c.name) for c in ix.columns]
        keys = [tuple(row[i] for i in at) for row in inc.values if not row[d]]
        if len(keys) != len(set(keys)):
            return _SAME_KEY.get(inc.table.name, "同一条")
    return ""


def _apply_table(s: Session, peer: str, package_id: str, plan: TablePlan, now: datetime,
                 tick: Callable[[int], None], open_rows: set[tuple[str, str]], storage: bool, source: str,
                 described: list[dict], stamped: datetime | None, upper: str = "街道") -> None:
    table = plan.table
    label = table_label(table.name)
    writer = _Writer(s, plan.incoming, storage)
    # the rows about to be overwritten, as they are, for the trail (updates only: new rows have no before)
    before = _local_values(s, table, [plan.incoming.ids[i] for i in plan.updates], storage) if plan.updates else {}
    copied = storage and not plan.agreed_before and bool(plan.inserts)
    if copied:  # every row of this table from now on is one of these inserts (see _agree_inserted)
        last_rowid = s.connection().exec_driver_sql(f'SELECT max(rowid) FROM "{table.name}"').scalar() or 0
    updates, was = plan.updates, plan.was
    # On a server a unique clash aborts the transaction: a savepoint keeps it readable, to tell a package
    # that clashes with rows here from another import that raced this one (clash.refusal)
    server = store_dialect.is_postgresql(s.connection())
    nested = s.begin_nested() if server and clash.unique_rules(table) else None
    if nested is not None:
        s.connection()  # the SAVEPOINT itself, before the writer's COPY on the driver's connection
    try:
        if plan.inserts and updates and table.name in _live_unique():
            # Removals first: the sender removed a row and added another with its unique key (a member
            # deleted and entered again, a grade of a program before 0039), which a partial unique index
            # on live rows refuses while the removed row still stands here.
            d = [c.name for c in table.columns].index("deleted")
            gone = [k for k, i in enumerate(updates) if plan.incoming.values[i][d]]
            if gone:
                writer.update([updates[k] for k in gone], [was[k] for k in gone])
                tick(len(gone))
                rest = sorted(set(range(len(updates))) - set(gone))
                updates, was = [updates[k] for k in rest], [was[k] for k in rest]
        for part in _chunks(_parents_first(plan.incoming, plan.inserts), _WRITE_CHUNK):
            writer.insert(part)
            tick(len(part))
        for k in range(0, len(updates), _WRITE_CHUNK):
            writer.update(updates[k:k + _WRITE_CHUNK], was[k:k + _WRITE_CHUNK])
            tick(len(updates[k:k + _WRITE_CHUNK]))
        if nested is not None:
            nested.commit()
    except IntegrityError as exc:
        if nested is not None:
            nested.rollback()
        twice = _sent_twice(plan.incoming) if table.name in _live_unique() else ""
        if twice:  # the sender's own copy holds the duplicate (a program before 0019 / 0039 let it in)
            raise PackageRefused(
                f"数据包中“{label}”有两条在用的记录是{twice}，数据包无法合并，未导入任何数据。"
                "这是社区使用旧版程序时可能留下的重复：请社区升级到本版程序（升级时自动保留最新的一条，"
                "其余标为删除）后重新导出，再导入") from None
        readable = nested is not None or not server
        here = clash.refusal(s, plan.incoming, [*plan.inserts, *plan.updates], upper) if readable else ""
        if here:  # a row this transaction sees: the package's own, retrying would meet it again
            raise PackageRefused(here) from None
        if store_dialect.contended(exc):
            raise Contended(f"表“{label}”的记录与另一个同时进行的导入相冲突，数据包未导入，请重新导入") from exc
        reason = "唯一性" if "UNIQUE" in str(exc.orig).upper() else "引用关系"
        raise PackageRefused(
            f"表“{label}”的记录与本库数据的{reason}不符，数据包无法合并，未导入任何数据。"
            f"若社区或{upper}的数据库曾从备份恢复，请让社区导出全部数据（完整数据包）后再导入"
        ) from None
    states = plan.states
    if copied and _agree_inserted(s, peer, str(table.name), len(plan.inserts), last_rowid, stamped):
        states = list(compress(states, map(not_, map(itemgetter(2), states))))  # the rest (not introduced)
    elif plan.fresh:
        states = plan.fresh_states() + states
    agree(s, peer, str(table.name), states, stamped, not plan.agreed_before)  # a str: sqlite3 probes subclasses
    described.extend(trail.describe(s, plan, before, source))
    _record_conflicts(s, peer, package_id, plan, now)
    settled = [rid for rid in plan.applied_ids if (table.name, rid) in open_rows] if open_rows else []
    if settled:
        supersede(s, peer, table.name, settled, now)
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


def supersede(s: Session, peer: str, table: str, ids: list[str], now: datetime) -> None:
    """Open conflicts of rows that a later package settled (a fast-forward over them)."""
    c = SyncConflict.__table__
    for part in _chunks(ids):
        s.execute(
            update(c)
            .where(c.c.peer_site == peer, c.c.table_name == table, c.c.status == "open", c.c.row_id.in_(part))
            .values(status="superseded", resolution="superseded", resolved_at=now)
        )


def _record_conflicts(s: Session, peer: str, package_id: str, plan: TablePlan, now: datetime) -> None:
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
            "id": new_id(), "peer_site": peer, "table_name": table.name, "row_id": rid,
            "package_id": package_id, "detected_at": now,
            "local_version": local.version, "local_site": local.site,
            "incoming_version": incoming.version, "incoming_site": incoming.site,
            "local_json": json.dumps(row_to_texts(table, local_rows[rid]), ensure_ascii=False),
            "incoming_json": json.dumps(dict(zip(names, inc.texts(i))), ensure_ascii=False),
            "status": "open", "resolution": "", "resolved_at": None, "resolved_by": "",
        })
    c = SyncConflict.__table__
    for part in _chunks(stale):
        s.execute(update(c).where(c.c.id.in_(part)).values(status="superseded", resolution="superseded",
                                                           resolved_at=now))
    if fresh:
        s.execute(insert(c), fresh)


MERGE_CACHE_KIB = 256 * 1024  # SQLite page cache while merging: index pages stay in memory


def begin(s: Session, write: bool) -> int | None:
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


def end(s: Session, old_cache: int | None) -> None:
    """Give the pooled connection its usual page cache back (and the memory with it)."""
    if old_cache is None:
        return
    try:
        s.connection().exec_driver_sql(f"PRAGMA cache_size = {int(old_cache)}")
    except Exception:  # noqa: BLE001 - the connection is going back to the pool either way
        pass


# --- the plan, as a whole --------------------------------------------------------------

@dataclass
class MergePlan:
    """A verified package and, per table, what merging it decides."""

    package: Verified
    tables: list[TablePlan]
    # Changes the sender made to members it had transferred out, not taken (sync.ownership.set_aside_moved):
    # member id -> the sentence naming the member (masked) for the report and the audit trail.
    set_aside: dict[str, str] = field(default_factory=dict)

    @property
    def manifest(self) -> Manifest:
        return self.package.manifest

    @property
    def upper(self) -> str:
        """What the receiver calls the database holding the key (街道 or 区), set where the package was opened."""
        return self.package.upper

    def total(self, decision: Decision) -> int:
        return sum(p.counts[decision] for p in self.tables)

    def reports(self) -> tuple[TableReport, ...]:
        return tuple(p.report() for p in self.tables)

    def counts_json(self) -> str:
        return json.dumps({p.table.name: {d.value: n for d, n in p.counts.items() if n} for p in self.tables},
                          ensure_ascii=False)


def plan(s: Session, v: Verified, keep_basis: bool = False) -> MergePlan:
    """Decide every row of a verified package against this database as the session sees it.

    keep_basis keeps the stamps the decisions were made on, so `still_holds`
    can tell later, inside the write transaction, whether they are still true.
    """
    peer = v.manifest.site.id
    for inc in v.tables:
        own_keys(inc)
    return MergePlan(v, [_plan_table(s, peer, inc, v.storage, keep_basis) for inc in v.tables])


def still_holds(s: Session, p: MergePlan) -> bool:
    """Are the rows the plan decided on still as they were (our stamps, the stamps agreed with the sender)?"""
    peer = p.manifest.site.id
    for tp in p.tables:
        if tp.basis is None:
            return False
        inc = tp.incoming
        local, here = tp.basis
        if _local_stamps(s, inc.table, inc.ids) != local or _agreed(s, peer, inc.table, inc.ids) != here:
            return False
    return True


@dataclass(frozen=True)
class Standing:
    """Where a package stands with this database: taken before, older than the last, from a new community."""

    already: bool
    new_community: bool
    older: bool
    warnings: tuple[str, ...]


def standing(s: Session, m: Manifest) -> Standing:
    peer_row = s.get(SyncPeer, m.site.id)
    return Standing(
        already=s.get(SyncImport, m.package_id) is not None,
        # Enrolment registers the peer: it is new until its first package.
        new_community=(peer_row is None or not peer_row.packages) and m.kind == UPSTREAM,
        older=peer_row is not None and m.seq < peer_row.last_seq,
        warnings=tuple(_warnings(s, m, peer_row)),
    )


def apply(s: Session, p: MergePlan, st: Standing, now: datetime, tick: Callable[[int], None], file_name: str,
          shared: frozenset[str] = frozenset()) -> int:
    """Write a plan: rows, agreed stamps, conflicts, the peer, confirmations, the import's own record.

    `shared`: tables whose new rows another sender may bring too (the same
    fixed ids: the default 党费 rates); on a server, where merges of
    different senders run at once, their new rows are written last, taking
    turns, and decided again first on what an earlier merge committed.
    Returns how many of our packages the street confirmed (downstream).
    """
    m, v = p.manifest, p.package
    peer = m.site.id
    sc = SyncConflict.__table__
    open_rows = set(s.execute(
        select(sc.c.table_name, sc.c.row_id).where(sc.c.peer_site == peer, sc.c.status == "open")
    ).tuples())
    source = f"数据包 {file_name}（{m.site.org_name}，第 {m.seq} 号）"
    stamped = None if m.kind == UPSTREAM else now  # at a street, from a community: SyncRowState.agreed_at
    described: list[dict] = []
    last = [] if v.storage else [k for k, tp in enumerate(p.tables) if tp.table.name in shared and tp.inserts]
    for k, tp in enumerate(p.tables):
        if k not in last:
            _apply_table(s, peer, m.package_id, tp, now, tick, open_rows, v.storage, source, described, stamped,
                         v.upper)
    if last:
        store_dialect.serialize(s.connection(), "sync-import-shared")
        for k in last:
            again = _plan_table(s, peer, p.tables[k].incoming, v.storage, False)
            if again.updates or again.conflicts:  # another sender's row now differs: check everything again
                raise Contended(f"表“{table_label(again.table.name)}”的记录已由另一个同时进行的导入写入，请重新导入")
            p.tables[k] = again
            _apply_table(s, peer, m.package_id, again, now, tick, open_rows, v.storage, source, described, stamped,
                         v.upper)
    trail.write(s, described, m.package_id)
    _note_peer(s, m, s.get(SyncPeer, peer), v.size, now, st.already)
    confirmed = 0
    if m.kind == DOWNSTREAM and not st.older and not st.already:
        confirmed = _take_confirmations(s, m, now)
    if not st.already:
        s.add(SyncImport(
            package_id=m.package_id, kind=m.kind, from_site=peer, seq=m.seq, created_at=m.created_at,
            until=m.until, full=m.full, imported_at=now, size=v.size, rows=v.rows, file_name=file_name,
            counts=p.counts_json(),
        ))
    return confirmed


def settle(s: Session, c: SyncConflict, table: Table, values: dict, side: str, by: str, now: datetime) -> None:
    """Write a person's decision on a kept conflict as the merge writes its own.

    The row takes `values`, with this program's name keys (a conflict kept before
    own_keys holds the sender's); the peer's version is now agreed (its next package
    builds on it); the conflict is resolved and any other open one of the same
    row and peer is superseded. Raises IntegrityError when the values do not fit.
    """
    if "name" in values and all(k in table.c for k in DERIVED_KEYS):  # the keys are ours (own_keys)
        values = {**values, **dict(zip(DERIVED_KEYS, pinyin_keys(values["name"])))}
    s.execute(update(table).where(table.c.id == c.row_id).values(**values))
    level = s.scalar(select(SyncPeer.level).where(SyncPeer.site_id == c.peer_site))
    agree(s, c.peer_site, c.table_name, [(c.row_id, Stamp(c.incoming_version, c.incoming_site), False, None)],
          None if level == COMMUNITY else now)  # (SyncRowState.agreed_at)
    c.status, c.resolution, c.resolved_at, c.resolved_by = "resolved", side, now, by
    s.flush()
    supersede(s, c.peer_site, c.table_name, [c.row_id], now)


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
        # the newest format its program reads (what it wrote in, from programs that do not say):
        # what we send it next is written in it, or in ours when that is older (outgoing.format_for)
        row.sync_format = m.reads or m.schema_version
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
