"""The audit trail, written automatically: every ORM insert, update and tombstone of a synced row.

An `after_flush` listener (`write_trail`, which every Database attaches to its
own sessions when it opens) reads each new and changed synced row
(the attribute history still holds the old values then) and writes one
AuditEntry per row with Core, on the flush's own connection: the trail
commits or rolls back with the change it describes. Bulk paths (imports,
demo data, sync merge) write no ORM rows, so they call `record()` once for
the whole batch; so do reveals and exports of personal data.

Who acts comes only from `session.info[ACTOR_KEY]`: the unit of work (or
`Database.session()`) puts the database's actor there when the session opens;
no actor there means nobody (a database with no accounts yet).
ID numbers and phones are masked before they are written: the trail itself
must not become a copy of the personal data.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from desktop_app.domain import idcard
from desktop_app.domain.access import Actor
from desktop_app.store.base import SITE_KEY, SyncMixin, sync_values, utcnow
from desktop_app.store.models_access import AuditEntry

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

# What a row is called in the trail: the first of these it has and fills.
_LABEL_ATTRS = ("name", "title", "display_name", "visitee_name", "wisher_name", "case_no", "wish_no",
                "project_no", "voucher_no", "head_name", "building", "claimant_name", "guest_name",
                "login", "code")


# ---------------------------------------------------------------- who acts


def actor_of(session: Session) -> Actor | None:
    """The actor the session was opened for (its unit of work put it in session.info)."""
    return session.info.get(ACTOR_KEY)


# ---------------------------------------------------------------- values as the trail keeps them


def mask_value(column: str, value: Any) -> Any:
    """ID numbers and phones masked; secrets hidden; everything else as is."""
    if value in (None, ""):
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


def _entry(session: Session, actor: Actor | None, action: str, table: str, row_id: str, *,
           label: str = "", before: dict | None = None, after: dict | None = None,
           note: str = "", now: datetime | None = None) -> dict:
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


_OPEN = "audit_open"  # Session.info: this transaction's entries, by (table, row id)


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
    return {"id": prev["id"], "action": prev["action"] if action == UPDATE else action,
            "before": b, "after": a}


def write_trail(session: Session, flush_context) -> None:
    """after_flush: one trail entry per new or changed synced row, on the flush's connection."""
    changes = _changes(session)
    if not changes:
        return
    actor = actor_of(session)
    now = utcnow()
    written = session.info.setdefault(_OPEN, {})
    conn = session.connection()
    table = AuditEntry.__table__
    rows = []
    for action, obj, before, after in changes:
        key = (obj.__tablename__, obj.id)
        label = _label(obj)
        prev = written.get(key)
        if prev is not None and UPDATE in (action, prev["action"]):
            merged = _merge(prev, action, before or {}, after or {})
            values = {"action": merged["action"], "before_json": _dump(merged["before"]),
                      "after_json": _dump(merged["after"])}
            if label:
                values["label"] = label[:120]
            if conn.execute(table.update().where(table.c.id == prev["id"]).values(**values)).rowcount:
                written[key] = merged
                continue
            # the entry went with a rolled-back savepoint: write this change afresh
        row = _entry(session, actor, action, obj.__tablename__, obj.id, label=label,
                     before=before, after=after, now=now)
        rows.append(row)
        written[key] = {"id": row["id"], "action": action, "before": dict(before or {}),
                        "after": dict(after or {})}
    if rows:
        conn.execute(table.insert(), rows)


def forget_open_entries(session: Session, transaction) -> None:
    """after_transaction_end: the next transaction starts its own entries."""
    if transaction.parent is None:
        session.info.pop(_OPEN, None)


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
    row = _entry(session, who, action, table, row_id, label=label, before=before, after=after, note=detail)
    session.connection().execute(AuditEntry.__table__.insert(), [row])
