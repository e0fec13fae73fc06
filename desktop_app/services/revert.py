"""Reverting a change from the audit trail: one entry, or every row of one import or one package.

Bulk writers (member import updates, the street's merge) leave one trail entry
per changed row with its fields before and after, masked, plus the unmasked
old values of masked fields in audit_undo (store/models_undo.py). Reverting
puts the before values back in one unit of work, all or nothing, and only
when nothing changed the row since: every field the change wrote still holds
what it wrote, and no later entry touched those fields. A before value the
trail masked and audit_undo does not hold (an edit in a form, an entry from
before audit_undo) is refused by name rather than written back masked.
Each reverted row gets its own `audit_revert` entry with before and after;
its audit_undo row is deleted, so the old values are kept no longer than needed.

Reverting a member import's batch also removes the members it added
(services/revert_added.py), all in the same unit of work.

Administrators only ("audit.revert"). The row gets a new version and this
site's stamp, so a merge downstream carries the revert on like any edit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.domain import clock
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.services import auth
from desktop_app.services import revert_added as added
from desktop_app.services import revert_imported as imported
from desktop_app.services.revert_added import RevertRefused
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY, sync_values, utcnow
from desktop_app.store.db import Database, take_write_lock
from desktop_app.store.models import Member, MemberStatusChange, Organization
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_undo import AuditUndo
from desktop_app.store.schema import metadata
from desktop_app.views.audit import ACTION_LABELS, field_label
from desktop_app.views.revert import RevertItem, RevertOutcome

__all__ = ["BATCHED", "REVERT", "REVERTIBLE", "RevertItem", "RevertOutcome", "RevertRefused", "batch_revertible",
           "check_batch_of", "check_entry", "revert_batch", "revert_entry", "revertible"]

REVERT = "audit_revert"
BATCHED = frozenset({audit.IMPORT_UPDATE, "sync_update", "sync_delete"})  # written by an import or a package
REVERTIBLE = BATCHED | {"update"}
# The trail itself, and accounts (secrets, and a revert must not re-open a closed login).
NOT_REVERTIBLE_TABLES = frozenset({AuditEntry.__tablename__, "app_user"})
# Money keeps its own rules (closed months, posted vouchers corrected by reversal): never written back raw.
MONEY_TABLES = frozenset({"account", "budget", "ledger_entry", "ledger_attachment", "closed_month",
                          "ledger_month_balance", "dues_rate_rule", "dues_base", "dues_record"})
_MIN_REF = 8  # characters of an entry or batch id that must be typed
_SHOWN = 5  # stale rows named in a refusal
_CHUNK = 500  # ids per IN (...)


def revertible(action: str) -> bool:
    """Whether the audit page offers 撤销此更改 for an entry of this action."""
    return action in REVERTIBLE


def batch_revertible(action: str, table: str) -> bool:
    """Whether the audit page offers reverting the whole batch: an import's or package's change, or an import
    (the roster's, or a history import's: 三会一课, 发展党员, 居民, 走访台账, 经费)."""
    return action in BATCHED or (action == added.IMPORT and (table == Member.__tablename__ or imported.kept(table)))


def batch_refused(action: str, table: str, after: dict) -> str:
    """Why the audit page cannot offer reverting this entry's whole batch although its kind is batched
    ("" when it can): a roster import from before its entry kept what it added (`after` is the entry's)."""
    if action == added.IMPORT and table == Member.__tablename__:
        return added.not_stored(after)
    if action == added.IMPORT and imported.kept(table):
        return imported.not_stored(after)
    return ""


# ---------------------------------------------------------------- finding what to revert


def _entry(s: Session, ref: str) -> AuditEntry:
    ref = (ref or "").strip().lower()
    if len(ref) < _MIN_REF:
        raise RevertRefused(f"请给出操作记录编号（至少 {_MIN_REF} 位）")
    found = s.scalars(select(AuditEntry).where(AuditEntry.id.like(_like(ref), escape="\\"),
                                               AuditEntry.deleted.is_(False)).limit(2)).all()
    if not found:
        raise RevertRefused(f"没有编号为 {ref} 的操作记录")
    if len(found) > 1:
        raise RevertRefused(f"编号 {ref} 对应多条操作记录，请给出更长的编号")
    return found[0]


def _like(ref: str) -> str:
    return ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _nothing(ref: str) -> RevertRefused:
    return RevertRefused(f"没有编号为 {ref} 的导入批次或数据包可撤销（编号不对、它的更改都已撤销，"
                         f"或已超过 {audit.UNDO_DAYS} 天的保留期）")


def _batch(s: Session, ref: str) -> tuple[str, list[AuditEntry]]:
    ref = (ref or "").strip().lower()
    if len(ref) < _MIN_REF:
        raise RevertRefused(f"请给出导入批次或数据包编号（至少 {_MIN_REF} 位）")
    batches = s.scalars(select(AuditUndo.batch).where(AuditUndo.batch.like(_like(ref), escape="\\"))
                        .distinct().limit(2)).all()
    batches = list(dict.fromkeys([*batches, *added.batches_like(s, ref)]))
    if not batches:
        raise _nothing(ref)
    if len(batches) > 1:
        raise RevertRefused(f"编号 {ref} 对应多个批次，请给出更长的编号")
    ids = s.scalars(select(AuditUndo.entry_id).where(AuditUndo.batch == batches[0])).all()
    entries = []
    for start in range(0, len(ids), _CHUNK):
        entries += s.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids[start:start + _CHUNK]))).all()
    return batches[0], sorted(entries, key=lambda e: (e.at, e.id))


# ---------------------------------------------------------------- values


def _typed(table: Table, column: str, value: Any) -> Any:
    """A trail value (JSON: dates as ISO text) as the column holds it, so it can be compared and written."""
    if value is None:
        return None
    try:
        kind = table.c[column].type.python_type
    except NotImplementedError:
        return value
    if kind is str:
        return str(value)
    if value == "":
        return None
    if kind is bool:
        return value.strip().lower() in ("1", "true") if isinstance(value, str) else bool(value)
    if kind is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if kind is date:
        plain_date = isinstance(value, date) and not isinstance(value, datetime)
        return value if plain_date else date.fromisoformat(str(value)[:10])
    if kind is int:
        return int(value)
    if kind is Decimal:
        return Decimal(str(value))
    return value


def _load(text: str) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _what(e: AuditEntry, table: str) -> str:
    return f"“{e.label}”" if e.label else f"记录 {e.row_id}"


@dataclass
class _Known:
    """What the checks need about every row of a revert, read in a few queries rather than three per row."""

    site: str = ""  # this database's site: only its own trail is reverted here
    rows: dict[tuple[str, str], Any] = field(default_factory=dict)  # (table, id) -> the row as it is
    trail: dict[tuple[str, str], list] = field(default_factory=dict)  # (table, id) -> its entries (at, id, action, …)


def _known(s: Session, entries: list[AuditEntry]) -> _Known:
    known = _Known(site=s.info.get(SITE_KEY, ""))
    since = min((e.at for e in entries), default=None)
    by_table: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e.table_name in metadata.tables and e.row_id:
            by_table[e.table_name].append(e.row_id)
    for name, ids in by_table.items():
        table = metadata.tables[name]
        for start in range(0, len(ids), _CHUNK):
            part = ids[start:start + _CHUNK]
            for row in s.execute(select(table).where(table.c.id.in_(part))).mappings():
                known.rows[(name, row["id"])] = row
            for t in s.execute(select(AuditEntry.row_id, AuditEntry.at, AuditEntry.id, AuditEntry.action,
                                      AuditEntry.note, AuditEntry.before_json, AuditEntry.after_json).where(
                    AuditEntry.table_name == name, AuditEntry.row_id.in_(part), AuditEntry.at >= since,
                    AuditEntry.deleted.is_(False))):
                known.trail.setdefault((name, t.row_id), []).append(t)
    return known


def _plan(e: AuditEntry, kept: dict | None, known: _Known) -> tuple[Table, dict, dict]:
    """(table, current values of the fields, values they return to) for one entry; refuses when it cannot."""
    if e.action not in REVERTIBLE:
        raise RevertRefused(f"“{ACTION_LABELS.get(e.action, e.action)}”这类操作记录不能撤销（只有修改、导入更新和数据包带来的更改可以）")
    if e.site_id and known.site and e.site_id != known.site:
        raise RevertRefused("这是另一个单位写下、随数据包传来的操作记录：请在那个单位撤销，它的下一个数据包会带来结果")
    if e.table_name in MONEY_TABLES:
        raise RevertRefused("经费和党费的记录有结账、冲销的规则，不能按操作记录撤销；请在经费台账或党费页面更正")
    table = metadata.tables.get(e.table_name)
    if table is None or e.table_name in NOT_REVERTIBLE_TABLES or "version" not in table.c or not e.row_id:
        raise RevertRefused(f"这条记录（{e.table_name or '无数据表'}）不能按操作记录撤销")
    before, after = _load(e.before_json), _load(e.after_json)
    if not before:
        raise RevertRefused("这条操作记录没有修改前的内容，无法撤销")
    if set(before) - set(table.c.keys()):
        raise RevertRefused(f"这条操作记录的字段与当前数据表不符（{'、'.join(sorted(set(before) - set(table.c.keys())))}），无法撤销")
    row = known.rows.get((e.table_name, e.row_id))
    if row is None:
        raise RevertRefused(f"{_what(e, e.table_name)}已不存在，无法撤销")
    trail = known.trail.get((e.table_name, e.row_id), [])
    if any(t.action == REVERT and e.id in (t.note or "") for t in trail):
        raise RevertRefused(f"{_what(e, e.table_name)}的这次更改已经撤销过了")
    for k, v in after.items():
        if k not in table.c:
            continue
        now = row[k]
        same = audit.mask_value(k, now) == v if audit.masked(k) else _typed(table, k, now) == _typed(table, k, v)
        if not same:
            raise RevertRefused(f"{_what(e, e.table_name)}的“{field_label(e.table_name, k)}”此后又改过了，"
                                "为免覆盖后来的修改，没有撤销")
    later = _later_fields(e, trail)
    touched = sorted(later & (set(before) | set(after)))
    if touched:
        raise RevertRefused(f"{_what(e, e.table_name)}的“{field_label(e.table_name, touched[0])}”此后又改过了，"
                            "为免覆盖后来的修改，没有撤销")
    restored: dict[str, Any] = {}
    for k, v in before.items():
        if kept is not None and k in kept:
            v = kept[k]
        elif audit.masked(k) and v not in (None, ""):
            raise RevertRefused(
                f"{_what(e, e.table_name)}修改前的“{field_label(e.table_name, k)}”在操作记录中是遮蔽的（{v}），"
                "无法自动恢复；请在记录中手动改回")
        restored[k] = _typed(table, k, v)
    if "name" in restored and "name_pinyin" in table.c and "name_pinyin" not in restored:
        restored["name_pinyin"], restored["name_initials"] = pinyin_keys(restored["name"] or "")
    return table, {k: row[k] for k in restored}, restored


def _later_fields(e: AuditEntry, trail: list) -> set[str]:
    """The fields later entries of the same row changed (a change since, even one changed back)."""
    fields: set[str] = set()
    for t in trail:
        if t.at > e.at and t.id != e.id:
            fields |= set(_load(t.before_json)) | set(_load(t.after_json))
    return fields - audit.SKIP_COLUMNS | (fields & {"deleted"})


def _kept(s: Session, ids: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        for eid, text in s.execute(select(AuditUndo.entry_id, AuditUndo.values_json)
                                   .where(AuditUndo.entry_id.in_(ids[start:start + _CHUNK]))):
            out[eid] = _load(text)
    return out


# ---------------------------------------------------------------- reverting


def _run(db: Database, pick, write: bool, whole: bool = False, today: date | None = None) -> RevertOutcome:
    """Check (and with `write`, do) a revert; `whole`: the batch's import entry brings its added members too."""
    auth.require(db, "audit.revert")
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        if write:
            take_write_lock(s)  # the added members' checks must hold until they are removed
        batch, entries = pick(s)
        imp = added.import_entry(s, batch) if whole else None
        kept = _kept(s, [e.id for e in entries])
        known = _known(s, entries)
        planned, refused = [], []
        for e in entries:
            try:
                planned.append((e, *_plan(e, kept.get(e.id), known)))
            except RevertRefused as exc:
                refused.append(str(exc))
        members, gone = added.check(s, imp, today) if imp is not None else ([], [])
        outings, held = added.outings(s, imp) if imp is not None else ([], [])
        refused += gone + held
        # the import's 所在党支部 changes put back take those members out of the branches it created
        moving_away = {e.row_id for e, _, _, back in planned if e.table_name == Member.__tablename__ and "org_id" in back}
        branches, kept_branches = added.branches(s, imp, moving_away) if imp is not None else ([], [])
        if not whole and batch:  # one update alone would leave the 流出 the import registered with it open
            refused += added.outings_of(s, added.import_entry(s, batch), {
                e.row_id for e in entries if e.action == audit.IMPORT_UPDATE and e.table_name == Member.__tablename__})
        if refused:
            more = f"（另有 {len(refused) - _SHOWN} 条同样无法撤销）" if len(refused) > _SHOWN else ""
            head = "没有撤销任何更改：" if len(entries) + len(members) > 1 else ""
            raise RevertRefused(head + "；".join(refused[:_SHOWN]) + more)
        items = tuple(RevertItem(e.id, e.table_name, e.row_id, e.label, audit.clean(now), audit.clean(back))
                      for e, _, now, back in planned)
        items += tuple(RevertItem(imp.id, added.FLOATING_TABLE, o.id, o.name, {"deleted": False}, {"deleted": True})
                       for o in outings)
        items += tuple(RevertItem(imp.id, Member.__tablename__, m.id, m.name, {"deleted": False}, {"deleted": True})
                       for m in members)
        items += tuple(RevertItem(imp.id, Organization.__tablename__, b.id, b.name, {"deleted": False}, {"deleted": True})
                       for b in branches)
        if whole and not items:  # an import that only updated, its updates all reverted one by one since
            raise _nothing(batch)
        shown = {"removed": len(members), "withdrawn": len(outings), "branches": tuple(b.name for b in branches),
                 "note": "；".join(kept_branches)}
        if not write:
            return RevertOutcome(items, batch, **shown)
        _write(s, planned, batch, lambda now: (added.withdraw_outings(s, imp, batch, outings, now)
                                               + (added.remove(s, imp, batch, members, today, now) if members else [])
                                               + added.remove_branches(s, imp, batch, branches, now)))
        uow.commit()
    return RevertOutcome(items, batch, done=True, **shown)


def _write(s: Session, planned: list, batch: str, removing) -> None:
    site, now = s.info.get(SITE_KEY, ""), utcnow()
    actor = audit.actor_of(s)
    entries = []
    try:
        for e, table, was, back in planned:
            s.execute(update(table).where(table.c.id == e.row_id)
                      .values(**back, version=table.c.version + 1, updated_at=now, updated_by_site=site))
            if e.table_name == Member.__tablename__ and back.get("status", was.get("status")) != was.get("status"):
                # the roster's status history says when and why the status went back
                s.execute(insert(MemberStatusChange.__table__).values(
                    **sync_values(site, now), member_id=e.row_id, status=back["status"],
                    changed_on=clock.to_local(now).date(), destination="", note="撤销导入或数据包带来的更改"))
            origin = f"，{'导入批次' if e.action == audit.IMPORT_UPDATE else '数据包'} {batch}" if batch else ""
            entries.append(audit.entry_row(  # one chained insert for the whole revert
                s, actor, REVERT, e.table_name, e.row_id, label=e.label, before=was, after=back,
                note=f"撤销{ACTION_LABELS.get(e.action, e.action)}（操作记录 {e.id}{origin}）", now=now))
        s.flush()
    except IntegrityError:
        raise RevertRefused("撤销后会与现有记录重复（如另一名党员已使用原来的公民身份号码），没有撤销任何更改") from None
    entries += removing(now)
    audit.insert_chained(s, entries)
    ids = [e.id for e, *_ in planned]
    for start in range(0, len(ids), _CHUNK):
        s.execute(delete(AuditUndo).where(AuditUndo.entry_id.in_(ids[start:start + _CHUNK])))


def _single(entry_id: str):
    def pick(s: Session) -> tuple[str, list[AuditEntry]]:
        e = _entry(s, entry_id)
        if e.action == added.IMPORT:  # the import's own entry: it names its batch
            return added.batch_of(e), [e]
        return s.scalar(select(AuditUndo.batch).where(AuditUndo.entry_id == e.id)) or "", [e]
    return pick


def check_entry(db: Database, entry_id: str) -> RevertOutcome:
    """What reverting one entry would do, or RevertRefused with the reason; nothing is written."""
    return _run(db, _single(entry_id), write=False)


def revert_entry(db: Database, entry_id: str) -> RevertOutcome:
    """Put back what one trail entry changed (administrators; audited as audit_revert)."""
    return _run(db, _single(entry_id), write=True)


def check_batch_of(db: Database, entry_id: str, today: date | None = None) -> RevertOutcome:
    """What reverting the whole import or package this entry came from would do; nothing is written."""
    def history(s: Session):
        return imported.find_entry(s, _entry(s, entry_id))

    if _is_history(db, history):
        return imported.run(db, history, write=False)

    def pick(s: Session) -> tuple[str, list[AuditEntry]]:
        batch, [e] = _single(entry_id)(s)
        if not batch:
            raise RevertRefused(batch_refused(e.action, e.table_name, added.after_of(e))
                                or "这条记录不属于可整批撤销的导入或数据包（或这一批已撤销）")
        return _batch(s, batch)
    return _run(db, pick, write=False, whole=True, today=today)


def revert_batch(db: Database, batch: str, *, dry_run: bool = False, today: date | None = None) -> RevertOutcome:
    """Put back every row one import or one package changed, and remove the members an import added,
    all or nothing, or take back a history import (administrators; audited)."""
    def history(s: Session):
        return imported.find_batch(s, batch)

    if _is_history(db, history):
        return imported.run(db, history, write=not dry_run)
    return _run(db, lambda s: _batch(s, batch), write=not dry_run, whole=True, today=today)


def _is_history(db: Database, find) -> bool:
    """Whether the entry or batch asked for is a history import's (services/revert_imported.py takes those)."""
    auth.require(db, "audit.revert")
    with db.session() as s:
        try:
            return find(s) is not None
        except RevertRefused:
            return True  # its own run says why
