"""The audit trail, written automatically: every ORM insert, update and tombstone of a synced row.

An `after_flush` listener (`write_trail`, which every Database attaches to its
own sessions when it opens) reads each new and changed synced row
(the attribute history still holds the old values then) and notes one entry
per row; `write_open_entries` (before_commit) writes them with Core on the
transaction's own connection: the trail commits or rolls back with the change
it describes. Entries are append-only: never updated once written, and each
carries the hash of its site's entry before it (`verify_chain` finds the
first broken link). Bulk paths (imports,
demo data, sync merge) write no ORM rows, so they call `record()` once for
the whole batch; so do reveals and exports of personal data. A bulk UPDATE
(an import that overwrites existing rows) calls `record_updates()` before it
runs: one entry per changed row with its old and new values, so an overwrite
can be traced to the row and reverted (services/revert.py, with audit_undo).

Who acts comes only from `session.info[ACTOR_KEY]`: the unit of work (or
`Database.session()`) puts the database's actor there when the session opens;
no actor there means nobody (a database with no accounts yet).
ID numbers and phones are masked before they are written: the trail itself
must not become a copy of the personal data.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from desktop_app.domain import idcard
from desktop_app.store import dialect
from desktop_app.domain.access import Actor
from desktop_app.store.base import SITE_KEY, SyncMixin, new_id, sync_values, utcnow
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_undo import AuditUndo

ACTOR_KEY = "actor"  # Session.info key: the domain.access.Actor doing this unit of work

# Actions written by the listener; record() callers use others (reveal, export, login …).
INSERT, UPDATE, DELETE, RESTORE = "insert", "update", "delete", "restore"

# Kept by the sync machinery or derived from other fields: not worth a line in the trail.
SKIP_COLUMNS = frozenset({
    "id", "created_at", "updated_at", "updated_by_site", "version", "deleted",
    "name_pinyin", "name_initials",
})
# Per table: bookkeeping that changes on every login and would drown the trail.
SKIP_TABLE_COLUMNS: dict[str, frozenset[str]] = {
    "app_user": frozenset({"failed_count", "locked_until", "last_login_at", "password_changed_at"}),
}
SECRET_COLUMNS = frozenset({"password_hash", "password_salt", "kdf_params"})
HIDDEN = "******"
NOT_AUDITED = frozenset({AuditEntry.__tablename__})

# What a row is called in the trail: the first of these it has and fills. `audit_label` is no column: a
# service sets it on a row that has no name of its own (a 考评 score: its branch and indicator).
_LABEL_ATTRS = ("audit_label", "name", "title", "display_name", "visitee_name", "wisher_name", "case_no", "wish_no",
                "project_no", "voucher_no", "head_name", "building", "claimant_name", "guest_name",
                "login", "code")


# ---------------------------------------------------------------- who acts


def actor_of(session: Session) -> Actor | None:
    """The actor the session was opened for (its unit of work put it in session.info)."""
    return session.info.get(ACTOR_KEY)


# ---------------------------------------------------------------- values as the trail keeps them


def masked(column: str) -> bool:
    """Whether the trail keeps this column's values masked (or hidden) rather than as they are."""
    return column in SECRET_COLUMNS or "id_number" in column or column == "mobile" or "phone" in column


def mask_value(column: str, value: Any) -> Any:
    """ID numbers and phones masked; secrets hidden; everything else as is."""
    if value in (None, "") or not masked(column):
        return value
    if column in SECRET_COLUMNS:
        return HIDDEN
    if "id_number" in column:
        return idcard.mask(str(value))
    if column == "mobile" or "phone" in column:
        return idcard.mask_phone(str(value))
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    return value


def clean(values: dict[str, Any] | None) -> dict[str, Any]:
    """Masked, JSON-ready copy of field values."""
    return {k: _plain(mask_value(k, v)) for k, v in (values or {}).items()}


def _dump(values: dict[str, Any] | None) -> str:
    return json.dumps(clean(values), ensure_ascii=False, sort_keys=True, default=str) if values else ""


def _label(obj: Any) -> str:
    for attr in _LABEL_ATTRS:
        value = getattr(obj, attr, None) if attr in obj.__dict__ else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return ""


_column_cache: dict[Any, dict[str, str]] = {}


def _columns(mapper) -> dict[str, str]:
    """Attribute key -> column name of a mapper's audited columns (computed once per mapper)."""
    found = _column_cache.get(mapper)
    if found is None:
        skip = SKIP_COLUMNS | SKIP_TABLE_COLUMNS.get(mapper.local_table.name, frozenset())
        found = {a.key: a.columns[0].name for a in mapper.column_attrs if a.columns[0].name not in skip}
        _column_cache[mapper] = found
    return found


def entry_row(session: Session, actor: Actor | None, action: str, table: str, row_id: str, *,
              label: str = "", before: dict | None = None, after: dict | None = None,
              note: str = "", now: datetime | None = None) -> dict:
    """One trail entry's column values, not yet chained; a bulk writer collects these for insert_chained."""
    site = session.info.get(SITE_KEY, "")
    now = now or utcnow()
    return {
        **sync_values(site, now),
        "at": now,
        "user_id": actor.user_id if actor else "",
        "user_name": (actor.name if actor else "")[:40],
        "site_id": site,
        "table_name": table[:40],
        "row_id": (row_id or "")[:36],
        "label": (label or "")[:120],
        "action": action[:20],
        "before_json": _dump(before),
        "after_json": _dump(after),
        "note": note or "",
    }


# ---------------------------------------------------------------- the listener


def _audited(obj: Any) -> bool:
    return isinstance(obj, SyncMixin) and obj.__tablename__ not in NOT_AUDITED


def _changes(session: Session) -> list[tuple[str, Any, dict | None, dict | None]]:
    """(action, obj, before, after) for each new or changed synced row of this flush.

    Old values come from the instance's committed state (what the attribute
    history is built from), which after_flush still holds: only the changed
    attributes are in it, so a wide row with one change costs one comparison.
    """
    found = []
    for obj in session.new:
        if not _audited(obj):
            continue
        state = inspect(obj)
        values = state.dict
        after = {name: values.get(key) for key, name in _columns(state.mapper).items()}
        found.append((DELETE if obj.deleted else INSERT, obj, None, after))
    for obj in session.dirty:
        if not _audited(obj):
            continue
        state = inspect(obj)
        columns, values, old_values = _columns(state.mapper), state.dict, state.committed_state
        before, after = {}, {}
        for key, old in old_values.items():
            name = columns.get(key)
            if name is None:
                continue
            old = None if old is NO_VALUE else old
            new = values.get(key)
            if old != new:
                before[name], after[name] = old, new
        was = old_values.get("deleted", NO_VALUE)
        now = values.get("deleted")
        if was is not NO_VALUE and was is not None and bool(was) != bool(now):
            if now:  # a tombstone: keep what the record held, so the trail shows what went
                before = {name: values.get(key) for key, name in columns.items()} | before
            found.append((DELETE if now else RESTORE, obj, before, after))
        elif before:
            found.append((UPDATE, obj, before, after))
    return found


_OPEN = "audit_open"  # Session.info: this transaction's entries, by (table, row id), written at commit


def _merge(prev: dict, action: str, before: dict, after: dict) -> dict:
    """One entry per row and transaction: a service that flushes twice still makes one line."""
    b, a = dict(prev["before"]), dict(prev["after"])
    if prev["action"] != INSERT:
        for key, value in before.items():
            b.setdefault(key, value)  # the value before the first change counts
    a.update(after)
    if prev["action"] == UPDATE and action == UPDATE:
        for key in [k for k in a if k in b and a[k] == b[k]]:
            del a[key], b[key]  # changed and changed back
    return {**prev, "action": prev["action"] if action == UPDATE else action, "before": b, "after": a}


def write_trail(session: Session, flush_context) -> None:
    """after_flush: note one trail entry per new or changed synced row; written whole at commit.

    Entries are never updated once written (the trail is append-only and
    hash-chained), so a row flushed twice in one transaction is merged here,
    in memory, and its single entry goes in at before_commit (write_open_entries).
    """
    changes = _changes(session)
    if not changes:
        return
    actor = actor_of(session)
    now = utcnow()
    pending = session.info.setdefault(_OPEN, {})
    tx = session.get_transaction()
    for action, obj, before, after in changes:
        key = (obj.__tablename__, obj.id)
        label = _label(obj)
        prev = pending.get(key)
        if prev is not None and UPDATE in (action, prev["action"]):
            merged = _merge(prev, action, before or {}, after or {})
            if label:
                merged["label"] = label
            pending[key] = merged
            continue
        if prev is not None:
            key = (obj.__tablename__, obj.id, len(pending))  # two events of one row: two lines
        pending[key] = {"action": action, "table": obj.__tablename__, "row_id": obj.id, "label": label,
                        "before": dict(before or {}), "after": dict(after or {}), "actor": actor, "at": now,
                        "tx": tx}


def write_open_entries(session: Session) -> None:
    """before_commit: flush what is left, then write this transaction's entries, chained, in one INSERT."""
    if session.info.get(_OPEN) is None and not (session.new or session.dirty or session.deleted):
        return
    session.flush()
    pending = session.info.pop(_OPEN, None)
    if not pending:
        return
    rows = [entry_row(session, p["actor"], p["action"], p["table"], p["row_id"], label=p["label"],
                   before=p["before"], after=p["after"], now=p["at"]) for p in pending.values()]
    insert_chained(session, rows)


def drop_rolled_back(session: Session, previous_transaction) -> None:
    """after_soft_rollback: entries of changes a rolled-back (savepoint) transaction undid go too."""
    pending = session.info.get(_OPEN)
    if not pending:
        return
    for key in [k for k, p in pending.items() if _inside(p["tx"], previous_transaction)]:
        del pending[key]


def _inside(tx, outer) -> bool:
    while tx is not None:
        if tx is outer:
            return True
        tx = tx.parent
    return False


def forget_open_entries(session: Session, transaction) -> None:
    """after_transaction_end: the next transaction starts its own entries."""
    if transaction.parent is None:
        session.info.pop(_OPEN, None)


# ---------------------------------------------------------------- the chain

_HASHED = ("id", "at", "user_id", "user_name", "site_id", "table_name", "row_id", "label", "action",
           "before_json", "after_json", "note", "prev_hash")


def entry_hash(row: dict) -> str:
    """SHA-256 of an entry's content and the hash before it: changing or removing one breaks the next link."""
    def text(v: Any) -> str:  # datetimes as SQLite keeps them, so a stored row hashes alike
        return v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else "" if v is None else str(v)

    payload = json.dumps([text(row.get(k)) for k in _HASHED], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def insertion_order(conn):
    """The column that orders entries as they were written: SQLite's rowid, PostgreSQL's insert_seq (0023)."""
    return literal_column("rowid" if conn.dialect.name == "sqlite" else "insert_seq")


def last_hash(conn, site: str) -> str:
    """The newest entry of this site's chain (insertion order), or "" for none yet."""
    table = AuditEntry.__table__
    got = conn.execute(
        select(table.c.hash).where(table.c.site_id == site, table.c.hash != "")
        .order_by(insertion_order(conn).desc()).limit(1)
    ).scalar()
    return got or ""


def insert_chained(session: Session, rows: list[dict]) -> None:
    """Insert entry_row() rows in order, each linked to the one before (one hash chain per site)."""
    conn = session.connection()
    site = session.info.get(SITE_KEY, "")
    # Concurrent writers on PostgreSQL take turns from here to their commit, so no two link to one entry.
    dialect.serialize(conn, "audit-chain:" + site)
    prev = last_hash(conn, site)
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(row)
    conn.execute(AuditEntry.__table__.insert(), rows)


def verify_chain(conn, site: str | None = None) -> list[tuple[str, str, str]]:
    """Each site's chain checked: [(site, entry id, what is wrong)] for the first broken link of each."""
    table = AuditEntry.__table__
    q = select(table).where(table.c.hash != "").order_by(insertion_order(conn))
    if site is not None:
        q = q.where(table.c.site_id == site)
    by_site: dict[str, list[dict]] = {}
    for r in conn.execute(q).mappings():
        by_site.setdefault(r["site_id"], []).append(dict(r))
    broken = []
    for sid, entries in by_site.items():
        problem = check_links(entries, "")
        if problem:
            broken.append((sid, *problem))
    return broken


def check_links(entries: list[dict], start: str) -> tuple[str, str] | None:
    """The first entry (in chain order from `start`) whose content or link is wrong, and why; None if whole."""
    by_prev: dict[str, list[dict]] = {}
    for e in entries:
        by_prev.setdefault(e["prev_hash"], []).append(e)
    for e in entries:
        if entry_hash(e) != e["hash"]:
            return e["id"], "内容与哈希不符（被改动过）"
    for prev, group in by_prev.items():
        if len(group) > 1:
            return group[1]["id"], "与另一条记录接在同一条之后（链分叉，可能有记录被删除或插入）"
    hashes = {e["hash"] for e in entries}
    for e in entries:
        if e["prev_hash"] not in hashes and e["prev_hash"] != start and e["prev_hash"] != "":
            return e["id"], "前一条记录不存在（被删除过）"
    return None


# ---------------------------------------------------------------- explicit entries


def record(
    session: Session, action: str, table: str, row_id: str = "", detail: str = "", *,
    label: str = "", before: dict | None = None, after: dict | None = None, actor: Actor | None = None,
) -> None:
    """One entry written now, in the session's transaction: for bulk writes, reveals, exports, logins.

    `detail` is a sentence for people ("导入党员 3000 名，文件 名册.xlsx"); `before`
    and `after` are field values (masked here like the automatic entries).
    """
    who = actor if actor is not None else actor_of(session)
    row = entry_row(session, who, action, table, row_id, label=label, before=before, after=after, note=detail)
    insert_chained(session, [row])


UNDO_DAYS = 180  # how long a bulk change's unmasked old values are kept for a revert


def keep_undo(session: Session, entries: list[tuple[dict, dict]], batch: str) -> None:
    """Keep, for each (entry, raw before values), what the trail masked: so the change can be reverted.

    Called by bulk writers (import updates, merges) with the entries they are
    about to insert. Only masked fields are kept (the rest is in the entry);
    every entry gets a row, so its batch finds it.
    """
    if not entries:
        return
    now = utcnow()
    # Old values are personal data: kept for UNDO_DAYS, long enough to notice a bad import, then gone.
    session.connection().execute(AuditUndo.__table__.delete().where(
        AuditUndo.created_at < now - timedelta(days=UNDO_DAYS)))
    rows = [{"entry_id": e["id"], "batch": batch[:36], "table_name": e["table_name"], "row_id": e["row_id"],
             "values_json": json.dumps({k: _plain(v) for k, v in raw.items() if masked(k)},
                                       ensure_ascii=False, default=str),
             "created_at": now} for e, raw in entries]
    session.connection().execute(AuditUndo.__table__.insert(), rows)


IMPORT_UPDATE = "import_update"


def record_updates(session: Session, model: Any, changes: list[dict], note: str, batch: str = "") -> int:
    """One 'import_update' entry per row a Core bulk UPDATE is about to change; call it before the UPDATE.

    `changes` are the UPDATE's parameter rows (each with "id"); the old values
    are read now, in the same transaction, and only fields whose value really
    changes are written (masked like every entry). The entries share one batch
    id (`batch`, else a new one), named in their note, by which the whole import can be
    reverted; what the trail masks is kept for that in audit_undo. Returns the entries written.
    """
    if not changes:
        return 0
    batch = batch or new_id()
    note = f"{note}（导入批次 {batch}）"
    table = model.__table__
    audited = set(_columns(inspect(model)).values())
    fields = sorted({k for c in changes for k in c} & audited)
    label_col = next((c for c in _LABEL_ATTRS if c in table.c), None)
    wanted = [table.c.id, *(table.c[f] for f in fields), *([table.c[label_col]] if label_col else [])]
    conn = session.connection()
    old: dict[str, Any] = {}
    ids = [c["id"] for c in changes]
    for start in range(0, len(ids), 500):
        for row in conn.execute(select(*wanted).where(table.c.id.in_(ids[start:start + 500]))).mappings():
            old[row["id"]] = row
    actor, now = actor_of(session), utcnow()
    entries = []
    for change in changes:
        prev = old.get(change["id"])
        if prev is None:
            continue
        before = {f: prev[f] for f in fields if f in change and prev[f] != change[f]}
        if not before:
            continue
        label = str(prev[label_col] or "") if label_col else ""
        entries.append((entry_row(session, actor, IMPORT_UPDATE, table.name, change["id"], label=label,
                               before=before, after={f: change[f] for f in before}, note=note, now=now), before))
    if entries:
        insert_chained(session, [e for e, _ in entries])
        keep_undo(session, entries, batch)
    return len(entries)
