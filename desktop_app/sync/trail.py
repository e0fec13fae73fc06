"""The merge's own trail: what a package changed, row by row, in the audit trail an auditor reads.

A merge writes with bulk statements, so the audit listener sees none of it;
this writes what it changed, in the same transaction:
- each existing row a package overwrote (a fast-forward, a tombstone): one entry
  with the fields that changed, before and after (masked like every entry), and
  the package and sender in its note, so `dangqun audit --row ID` shows who
  changed it when, by which package;
- each new member (PER_ROW): one entry; other new rows, one entry per table
  with their count (they overwrite nothing, and each row keeps its own stamp).
What the trail masks of an overwritten row is kept unmasked in audit_undo
(local, never synced), under the package id, so the change can be reverted.
Conflicts change nothing here: they wait in sync_conflict for a person, whose
decision is audited when made. The sender's own trail (audit_entry) is kept as
received, not described again.
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy.orm import Session

from desktop_app.domain.sync_rules import table_label
from desktop_app.store import audit

NOT_DESCRIBED = frozenset({"audit_entry"})
PER_ROW = frozenset({"member"})  # new rows worth an entry each (personal records)
STAMPS = frozenset({"created_at", "updated_at", "updated_by_site", "version"})
_LABELS = ("name", "title", "voucher_no", "label", "code", "number")
_SHOWN = 60  # characters of one value in a note
_UNDO = "_undo"  # an entry's own key for its raw old values until write() keeps them apart


def _text(column: str, value) -> str:
    v = audit.mask_value(column, value)
    t = "空" if v in (None, "") else str(v)
    return t if len(t) <= _SHOWN else t[:_SHOWN] + "…"


def _label(names: Sequence[str], row: Sequence) -> str:
    for key in _LABELS:
        if key in names:
            v = row[names.index(key)]
            if isinstance(v, str) and v.strip():
                return v.strip()[:120]
    return ""


def describe(s: Session, plan, before: dict[str, tuple], source: str) -> list[dict]:
    """Entries for one table's merged rows; `before` holds the overwritten rows as they were."""
    table = plan.table.name
    if table in NOT_DESCRIBED:
        return []
    inc = plan.incoming
    names = [c.name for c in plan.table.columns]
    content = [k for k, n in enumerate(names) if n not in STAMPS]
    k_deleted = names.index("deleted") if "deleted" in names else None
    label = table_label(table)
    rows: list[dict] = []
    actor = audit.actor_of(s)
    for i in plan.updates:
        rid, new = inc.ids[i], inc.values[i]
        old = before.get(rid)
        if old is None:
            continue
        changed = [k for k in content if old[k] != new[k]]
        if not changed:
            continue
        gone = k_deleted is not None and new[k_deleted] and not old[k_deleted]
        diff = "；".join(f"{names[k]}：{_text(names[k], old[k])} → {_text(names[k], new[k])}" for k in changed)
        was = {names[k]: old[k] for k in changed}
        entry = audit.entry_row(  # the merge writes its entries in bulk, chained as one
            s, actor, "sync_delete" if gone else "sync_update", table, rid, label=_label(names, new),
            before=was, after={names[k]: new[k] for k in changed},
            note=f"{source}{'删除' if gone else '更新'}{label}：{diff}")
        entry[_UNDO] = was  # the unmasked old values, kept apart (audit_undo) so the change can be reverted
        rows.append(entry)
    if table in PER_ROW:
        for i in plan.inserts:
            new = inc.values[i]
            rows.append(audit.entry_row(
                s, actor, "sync_insert", table, inc.ids[i], label=_label(names, new),
                note=f"{source}新增{label}“{_label(names, new)}”"))
    elif plan.inserts:
        rows.append(audit.entry_row(
            s, actor, "sync_insert", table, "", note=f"{source}新增{label} {len(plan.inserts)} 条"))
    return rows


def write(s: Session, rows: list[dict], package_id: str = "") -> None:
    """A whole package's entries, chained in one go (finding the chain's end once, not per table).

    What the overwritten rows held goes to audit_undo under the package id, so
    `dangqun audit revert --batch <package id>` can put it back.
    """
    undo = [(r, r.pop(_UNDO)) for r in rows if _UNDO in r]
    for r in rows if package_id else ():
        r["note"] += f"（数据包编号 {package_id}）"
    if rows:
        audit.insert_chained(s, rows)
        audit.keep_undo(s, undo, package_id)
