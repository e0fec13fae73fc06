"""Taking back a history import done by mistake: 三会一课, 发展党员, 居民, 走访台账 and 经费 imports.

Each of these imports writes its "import" trail entry with a batch id and keeps,
in audit_undo (local, never synced, pruned after audit.UNDO_DAYS like the
roster's undo values), the ids of every row it inserted, table by table: the
rows are found again by id, not by an instant, since a flush spreads
created_at over microseconds and another writer's rows may fall between.

Reverting tombstones those rows (version + 1, this site's stamp, one
`audit_revert` entry each), so a street that merged them gets the removal, in
one unit of work, all or nothing, and only while every row is untouched since
the import: at the version the import left it (a visit's follow-up is written
after the visit, in the same import), not deleted, and no record outside the import
refers to it (a visit recorded for an imported resident, a step added to an
imported applicant, an attachment, a voucher naming an imported meeting). A
refusal names the records and changes nothing.

The ledger keeps its own rule: a posted voucher is never deleted, and a closed
month is never reopened. An import with a voucher in a closed month (closed by
the import itself, which closes the year's ended months, or since) cannot be
taken back; otherwise every voucher it posted gets a 红字冲销 dated today, so
each balance returns to what it was, and the months it closed stay closed.

Administrators only ("audit.revert"), as every revert.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import DomainError
from desktop_app.services import auth
from desktop_app.services.revert_added import IMPORT, RevertRefused, after_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY, SyncMixin, new_id, utcnow
from desktop_app.store.db import Database, take_write_lock
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_undo import AuditUndo
from desktop_app.store.schema import metadata
from desktop_app.views.audit import table_label
from desktop_app.views.revert import RevertItem, RevertOutcome

REVERT = "audit_revert"
LEDGER = "ledger_entry"
# The import entry's table -> the tables whose inserted rows it keeps, parents first, with how a count reads.
KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting": (("meeting", "次会议"), ("attendance", "条出席记录"), ("meeting_topic", "个议题")),
    "resident": (("household", "户住户"), ("resident", "名居民")),
    "applicant": (("applicant", "名发展对象"), ("development_step", "条发展步骤")),
    "visit": (("visit", "条走访记录"), ("visit_member", "条走访党员"), ("visit_follow_up", "条跟进记录")),
    LEDGER: ((LEDGER, "笔凭证"),),
}
_SHOWN = 5
_CHUNK = 500
# The columns that name a row, first that is filled wins (a group is read together: 梅园新村3栋2单元301).
_LABEL_COLUMNS = (("title",), ("name",), ("visitee_name",), ("voucher_no",), ("guest_name",), ("step",),
                  ("building", "unit", "room"), ("address",))


def kept(table: str) -> bool:
    """Whether imports into this table keep what they added, so the audit page can offer 撤销这次导入."""
    return table in KINDS


def not_stored(after: dict) -> str:
    """Why this import cannot be taken back as a whole ("" when it can): an import from before this kept nothing."""
    if after.get("batch"):
        return ""
    return "这次导入由旧版本完成，没有记下它新增了哪些记录，无法整批撤销。"


# ---------------------------------------------------------------- what an import keeps


@contextmanager
def tracking(s: Session) -> Iterator[dict[str, list[str]]]:
    """Collect the ids of the synced rows inserted in `s` while inside, table by table."""
    added: dict[str, list[str]] = {}

    def seen(session: Session, _ctx) -> None:
        for obj in session.new:  # after_flush still holds the flush's new objects, ids assigned
            if isinstance(obj, SyncMixin):
                added.setdefault(obj.__table__.name, []).append(obj.id)

    event.listen(s, "after_flush", seen)
    try:
        yield added
    finally:
        event.remove(s, "after_flush", seen)


def record(s: Session, table: str, detail: str, after: dict, added: dict[str, list[str]]) -> str:
    """The import's one trail entry, naming its batch, and what it added kept for a revert; returns the batch."""
    s.flush()
    batch = new_id()
    wanted = {t: list(dict.fromkeys(added.get(t, []))) for t, _ in KINDS[table]}
    versions: dict[str, dict[str, int]] = {}  # only the rows the import itself wrote again (most stay at 1)
    for name, ids in wanted.items():
        c = metadata.tables[name].c
        for start in range(0, len(ids), _CHUNK):
            for rid, version in s.execute(select(c.id, c.version).where(c.id.in_(ids[start:start + _CHUNK]),
                                                                        c.version != 1)):
                versions.setdefault(name, {})[rid] = version
    note = f"{detail[:-1]}，导入批次 {batch}）" if detail.endswith("）") else f"{detail}（导入批次 {batch}）"
    row = audit.entry_row(s, audit.actor_of(s), IMPORT, table, "", after={**after, "batch": batch}, note=note)
    audit.insert_chained(s, [row])
    s.connection().execute(AuditUndo.__table__.insert(), [{
        "entry_id": row["id"], "batch": batch, "table_name": table, "row_id": "",
        "values_json": json.dumps({"added": {t: ids for t, ids in wanted.items() if ids}, "versions": versions}),
        "created_at": utcnow()}])
    return batch


# ---------------------------------------------------------------- finding an import


@dataclass
class _Import:
    entry: AuditEntry
    batch: str
    added: dict[str, list[str]]
    versions: dict[str, dict[str, int]]  # rows the import left at a version other than 1

    def left(self, table: str, row_id: str) -> int:
        return self.versions.get(table, {}).get(row_id, 1)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _load(s: Session, undo: AuditUndo) -> _Import | None:
    e = s.get(AuditEntry, undo.entry_id)
    if e is None or e.action != IMPORT or e.table_name not in KINDS:
        return None
    try:
        kept = json.loads(undo.values_json or "{}")
        added, versions = kept.get("added") or {}, kept.get("versions") or {}
    except (ValueError, AttributeError):
        added, versions = {}, {}
    return _Import(e, undo.batch, {t: list(ids) for t, ids in added.items() if t in metadata.tables}, versions)


def find_batch(s: Session, ref: str) -> _Import | None:
    """The history import whose batch starts with `ref`, None when `ref` is no such import's (a roster one, a package)."""
    ref = (ref or "").strip().lower()
    if len(ref) < 8:
        return None  # the roster's path refuses a short ref with its own words
    found = s.scalars(select(AuditUndo).where(AuditUndo.batch.like(_like(ref), escape="\\"),
                                              AuditUndo.table_name.in_(list(KINDS)), AuditUndo.row_id == "")
                      .limit(2)).all()
    imports = [i for i in map(lambda u: _load(s, u), found) if i is not None]
    if len(imports) > 1:
        raise RevertRefused(f"编号 {ref} 对应多个批次，请给出更长的编号")
    return imports[0] if imports else None


def find_entry(s: Session, entry: AuditEntry) -> _Import | None:
    """The import this "import" entry wrote, None when the entry is no history import's."""
    if entry.action != IMPORT or entry.table_name not in KINDS:
        return None
    undo = s.get(AuditUndo, entry.id)
    if undo is None:
        raise RevertRefused(not_stored(after_of(entry))
                            or f"这次导入已经撤销过了，或已超过 {audit.UNDO_DAYS} 天的保留期，无法整批撤销")
    return _load(s, undo)


# ---------------------------------------------------------------- checking


def _labels(s: Session, imp: _Import) -> dict[tuple[str, str], str]:
    """A name for every row the import added, for the confirmation and the refusals: a part of a record
    (an attendance, a topic, a step) with its record's name, which is what the worker knows."""
    names: dict[tuple[str, str], str] = {}
    for name, ids in imp.added.items():
        table = metadata.tables[name]
        groups = [[table.c[c] for c in group if c in table.c] for group in _LABEL_COLUMNS]
        groups = [g for g in groups if g]
        cols = [c for g in groups for c in g]
        dated = "meeting_date" in table.c
        extra = [table.c.meeting_date] if dated else []
        person = metadata.tables["member"]  # an attendance, a visit's 走访党员: named by the member
        who = [person.c.name] if "member_id" in table.c else []
        for start in range(0, len(ids), _CHUNK):
            q = select(table.c.id, *cols, *who, *extra).where(table.c.id.in_(ids[start:start + _CHUNK]))
            for r in s.execute(q.outerjoin(person, person.c.id == table.c.member_id) if who else q):
                values = dict(zip([c.name for c in cols], r[1:1 + len(cols)]))
                text = next((x for g in groups if (x := "".join(str(values[c.name] or "") for c in g))), "")
                text = text or (r[1 + len(cols)] or "" if who else "")
                if dated and r[-1]:
                    text = f"{r[-1].isoformat()} {text}".strip()
                names[(name, r[0])] = text
    main = KINDS[imp.entry.table_name][0][0]
    for name, ids in imp.added.items():
        table = metadata.tables[name]
        fks = [(col, fk.column.table.name) for col in table.c for fk in col.foreign_keys
               if fk.column.table.name in imp.added and fk.column.table.name != name]
        if not fks or name == imp.entry.table_name:
            continue
        col, parent = fks[0]
        for start in range(0, len(ids), _CHUNK):
            for rid, pid in s.execute(select(table.c.id, col).where(table.c.id.in_(ids[start:start + _CHUNK]))):
                own = names.get((name, rid), "")
                if parent == main or not own:
                    names[(name, rid)] = " ".join(x for x in (names.get((parent, pid), ""), own) if x)
    return names


def _what(names: dict, table: str, rid: str) -> str:
    text = names.get((table, rid), "")
    return f"{table_label(table)}“{text}”" if text else table_label(table)


def _refusals(s: Session, imp: _Import, names: dict) -> list[str]:
    """Why any row the import added cannot go: changed, deleted, or referred to by a record made since."""
    refused: list[str] = []
    for name, ids in imp.added.items():
        table = metadata.tables[name]
        seen = set()
        for start in range(0, len(ids), _CHUNK):
            part = ids[start:start + _CHUNK]
            for rid, version, deleted in s.execute(select(table.c.id, table.c.version, table.c.deleted)
                                                   .where(table.c.id.in_(part))):
                seen.add(rid)
                if version != imp.left(name, rid) or deleted:
                    refused.append(f"{_what(names, name, rid)}此后{'已删除' if deleted else '又修改过'}")
        if len(seen) != len(ids):
            refused.append(f"导入的 {len(ids) - len(seen)} 条{table_label(name)}已不在本机数据库中")
    mine = {name: set(ids) for name, ids in imp.added.items()}
    for referrer in metadata.tables.values():
        if "deleted" not in referrer.c:
            continue
        for col in referrer.c:
            targets = [fk.column.table.name for fk in col.foreign_keys if fk.column.table.name in mine]
            if not targets:
                continue
            ids, own = imp.added[targets[0]], mine.get(referrer.name, set())
            for start in range(0, len(ids), _CHUNK):
                for by, rid in s.execute(select(referrer.c.id, col).where(col.in_(ids[start:start + _CHUNK]),
                                                                          referrer.c.deleted.is_(False))):
                    if by in own:  # the import's own rows (a meeting's attendance) go with it
                        continue
                    refused.append(f"{_what(names, targets[0], rid)}此后已有其他记录（{table_label(referrer.name)}）")
    return list(dict.fromkeys(refused))


def _ledger_refusals(s: Session, imp: _Import) -> list[str]:
    from desktop_app.domain import ledger as rules
    from desktop_app.services.ledger import closed_set_in
    from desktop_app.store.models_ledger import LedgerEntry

    ids = imp.added.get(LEDGER, [])
    rows = s.execute(select(LedgerEntry.id, LedgerEntry.org_id, LedgerEntry.voucher_no, LedgerEntry.entry_date,
                            LedgerEntry.reversal_of).where(LedgerEntry.id.in_(ids))).all() if ids else []
    closed_in: dict[date, list[str]] = {}
    refused, mine = [], set(ids)
    books: dict[str, set] = {}
    for r in rows:
        if r.org_id not in books:
            books[r.org_id] = set(closed_set_in(s, r.org_id))
        if rules.month_of(r.entry_date) in books[r.org_id]:
            closed_in.setdefault(rules.month_of(r.entry_date), []).append(r.voucher_no)
        elif r.reversal_of and r.reversal_of not in mine:
            refused.append(f"导入的红字冲销 {r.voucher_no} 冲销的是账上原有的凭证，不能再冲销；请在经费台账中重新记一笔")
    # one line a month: a year's import would otherwise name hundreds of vouchers
    refused[:0] = [f"{m.year} 年 {m.month} 月已结账（凭证 {'、'.join(v[:3])}{' 等' if len(v) > 3 else ''}）："
                   "已结账的月份不能撤销，请在经费台账中对需要更正的凭证红字冲销" for m, v in sorted(closed_in.items())]
    return refused


# ---------------------------------------------------------------- reverting


def _ledger_targets(s: Session, imp: _Import) -> list[tuple[str, str]]:
    """(id, voucher) of the imported vouchers a 红字冲销 takes back: not the import's own reversals nor what they cancel."""
    from desktop_app.store.models_ledger import LedgerEntry

    ids = imp.added.get(LEDGER, [])
    rows = s.execute(select(LedgerEntry.id, LedgerEntry.voucher_no, LedgerEntry.reversal_of)
                     .where(LedgerEntry.id.in_(ids)).order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)).all()
    cancelled = {r.reversal_of for r in rows if r.reversal_of}
    return [(r.id, r.voucher_no) for r in rows if not r.reversal_of and r.id not in cancelled]


def run(db: Database, pick, write: bool) -> RevertOutcome:
    """Check (and with `write`, do) taking back one history import; `pick(session)` finds it."""
    auth.require(db, "audit.revert")
    with UnitOfWork(db) as uow:
        s = uow.session
        if write:
            take_write_lock(s)  # the checks must hold until the rows are gone
        imp = pick(s)
        if imp is None:
            raise RevertRefused("这条记录不属于可整批撤销的导入")
        site = s.info.get(SITE_KEY, "")
        if imp.entry.site_id and site and imp.entry.site_id != site:
            raise RevertRefused("这是另一个单位的导入，随数据包传来：请在那个单位撤销，它的下一个数据包会带来结果")
        ledger = imp.entry.table_name == LEDGER
        names = _labels(s, imp)
        refused = _ledger_refusals(s, imp) if ledger else []
        refused = refused or _refusals(s, imp, names)  # closed months say all there is to say
        if refused:
            more = f"（另有 {len(refused) - _SHOWN} 条同样无法撤销）" if len(refused) > _SHOWN else ""
            raise RevertRefused("没有撤销这次导入：" + "；".join(refused[:_SHOWN]) + more)
        if ledger:
            targets = _ledger_targets(s, imp)
            items = tuple(RevertItem(imp.entry.id, LEDGER, rid, voucher) for rid, voucher in targets)
            counts = ((len(targets), "笔凭证"),)
        else:
            order = [t for t, _ in KINDS[imp.entry.table_name] if t in imp.added]
            order += [t for t in imp.added if t not in order]
            items = tuple(RevertItem(imp.entry.id, t, rid, names.get((t, rid), ""), {"deleted": False}, {"deleted": True})
                          for t in order for rid in imp.added[t])
            words = dict(KINDS[imp.entry.table_name])
            counts = tuple((len(imp.added[t]), words.get(t, f"条{table_label(t)}")) for t in order)
        if not items:
            raise RevertRefused("这次导入没有留下可撤销的记录")
        months = int(after_of(imp.entry).get("months_closed") or 0) if ledger else 0
        outcome = dict(batch=imp.batch, deleting=counts, reversing=ledger,
                       note=f"导入时结账的 {months} 个月仍然结账（已结账的月份不能撤销）" if months else "")
        if not write:
            return RevertOutcome(items, **outcome)
        if ledger:
            _reverse(s, imp, targets)
        else:
            _remove(s, imp, items)
        s.execute(AuditUndo.__table__.delete().where(AuditUndo.entry_id == imp.entry.id))
        uow.commit()
    return RevertOutcome(items, done=True, **outcome)


def _remove(s: Session, imp: _Import, items: tuple[RevertItem, ...]) -> None:
    now, site, actor = utcnow(), s.info.get(SITE_KEY, ""), audit.actor_of(s)
    for name, ids in imp.added.items():
        table = metadata.tables[name]
        by_version: dict[int, list[str]] = {}
        for rid in ids:
            by_version.setdefault(imp.left(name, rid), []).append(rid)
        for version, part in ((v, rows[i:i + _CHUNK]) for v, rows in by_version.items()
                              for i in range(0, len(rows), _CHUNK)):
            done = s.execute(update(table).where(table.c.id.in_(part), table.c.version == version,
                                                 table.c.deleted.is_(False))
                             .values(deleted=True, version=table.c.version + 1, updated_at=now,
                                     updated_by_site=site))
            if done.rowcount != len(part):
                raise RevertRefused("导入的记录刚刚有人修改，没有撤销任何更改；请重试")
    note = f"撤销导入（操作记录 {imp.entry.id}，导入批次 {imp.batch}）"
    audit.insert_chained(s, [audit.entry_row(s, actor, REVERT, i.table, i.row_id, label=i.label,
                                             before={"deleted": False}, after={"deleted": True}, note=note, now=now)
                             for i in items])
    s.expire_all()  # the UPDATEs went past the session


def _reverse(s: Session, imp: _Import, targets: list[tuple[str, str]]) -> None:
    from desktop_app.services.ledger.posting import reverse_in

    today = date.today()
    for rid, voucher in targets:
        try:
            reverse_in(s, rid, f"撤销导入批次 {imp.batch}", today, entered_by="撤销导入")
        except DomainError as exc:
            raise RevertRefused(f"没有撤销这次导入：凭证 {voucher}：{exc}") from None
    audit.record(s, REVERT, LEDGER, "", f"撤销导入的账目：红字冲销 {len(targets)} 笔凭证"
                 f"（操作记录 {imp.entry.id}，导入批次 {imp.batch}）", after={"entries": len(targets)})

