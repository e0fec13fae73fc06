"""Taking back a history import done by mistake: 三会一课, 发展党员, 居民, 走访台账, 党费 and 经费 imports.

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

The ledger keeps its own rule: a posted voucher is never deleted, only
reversed (红字冲销). The import closes the year's ended months, and those
closings are taken back with it while nothing else depends on them: no entry
in those months but the import's own, no later month closed since, no package
made since (the street would refuse a reopened month). Its vouchers in those
months are then reversed on their own dates, inside the reopened months, so
each month's income, expense and balance read as before the import and its
month balances are gone as they were; a voucher in a month that was open is
reversed today. A voucher in a month closed otherwise refuses, naming the month.

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
CLOSED = "closed_month"
# The import entry's table -> the tables whose inserted rows it keeps, parents first, with how a count reads.
KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting": (("meeting", "次会议"), ("attendance", "条出席记录"), ("meeting_topic", "个议题")),
    "resident": (("household", "户住户"), ("resident", "名居民")),
    "applicant": (("applicant", "名发展对象"), ("development_step", "条发展步骤")),
    "visit": (("visit", "条走访记录"), ("visit_member", "条走访党员"), ("visit_follow_up", "条跟进记录")),
    LEDGER: ((LEDGER, "笔凭证"), (CLOSED, "个月结账")),
    "dues_record": (("dues_record", "个月的党费交纳记录"),),
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
    added = {name: ids for name, ids in imp.added.items() if name != CLOSED}  # the ledger plan checks those
    for name, ids in added.items():
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
    mine = {name: set(ids) for name, ids in added.items()}
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


@dataclass
class _LedgerPlan:
    targets: list[tuple[str, str, date]]  # (id, voucher, date) of the vouchers a 红字冲销 takes back
    reopen: list[str]  # the import's closings to take back (empty: they stay)
    months: list[date]  # their months
    stays: str  # why the import's closings stay, when they do
    refused: list[str]


def _span(months: list[date]) -> str:
    """2025 年 1-12 月, or each month named when they are not one run of one year."""
    ms = sorted(months)
    if len({m.year for m in ms}) == 1 and ms[-1].month - ms[0].month == len(ms) - 1:
        run = f"{ms[0].month}" if len(ms) == 1 else f"{ms[0].month}-{ms[-1].month}"
        return f"{ms[0].year} 年 {run} 月"
    return "、".join(f"{m.year} 年 {m.month} 月" for m in ms)


def _some(vouchers: list[str]) -> str:
    return "、".join(vouchers[:3]) + (" 等" if len(vouchers) > 3 else "")


def _ledger_plan(s: Session, imp: _Import) -> _LedgerPlan:
    from desktop_app.domain import ledger as rules
    from desktop_app.services.ledger import closed_set_in
    from desktop_app.services.ledger.posting import reopening_refusal
    from desktop_app.store.models_ledger import ClosedMonth, LedgerEntry

    ids = imp.added.get(LEDGER, [])
    rows = s.execute(select(LedgerEntry.id, LedgerEntry.org_id, LedgerEntry.voucher_no, LedgerEntry.entry_date,
                            LedgerEntry.reversal_of).where(LedgerEntry.id.in_(ids))
                     .order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)).all() if ids else []
    closing_ids = imp.added.get(CLOSED, [])
    closings = dict(s.execute(select(ClosedMonth.id, ClosedMonth.month).where(ClosedMonth.id.in_(closing_ids))).all()) \
        if closing_ids else {}
    months = sorted(closings.values())
    stays = reopening_refusal(s, closing_ids) if closing_ids else ""
    if closings and not stays:
        book = s.scalar(select(ClosedMonth.org_id).where(ClosedMonth.id == closing_ids[0]))
        stays = _others_in(s, imp, book, months)
    reopened = set() if stays else set(months)
    closed_in: dict[date, list[str]] = {}
    refused, mine = [], set(ids)
    books: dict[str, set] = {}
    for r in rows:
        if r.org_id not in books:
            books[r.org_id] = set(closed_set_in(s, r.org_id))
        month = rules.month_of(r.entry_date)
        if month in books[r.org_id] and month not in reopened:
            closed_in.setdefault(month, []).append(r.voucher_no)
        elif r.reversal_of and r.reversal_of not in mine:
            refused.append(f"导入的红字冲销 {r.voucher_no} 冲销的是账上原有的凭证，不能再冲销；请在经费台账中重新记一笔")
    # one line a month (or one for the months the import closed): a year's import would otherwise name hundreds
    held = [v for m, vs in sorted(closed_in.items()) if m in closings.values() for v in vs]
    refused[:0] = ([f"导入的凭证（{_some(held)}）在本次导入结账的 {_span(months)}，而{stays}"] if held else []) + [
        f"{m.year} 年 {m.month} 月已结账（凭证 {_some(v)}）：已结账的月份不能撤销，请在经费台账中对需要更正的凭证红字冲销"
        for m, v in sorted(closed_in.items()) if m not in closings.values()]
    cancelled = {r.reversal_of for r in rows if r.reversal_of}
    today = date.today()
    targets = [(r.id, r.voucher_no, r.entry_date if rules.month_of(r.entry_date) in reopened else today)
               for r in rows if not r.reversal_of and r.id not in cancelled]
    return _LedgerPlan(targets, [] if stays else list(closings), [] if stays else months, stays, refused)


def _others_in(s: Session, imp: _Import, book: str | None, months: list[date]) -> str:
    """The first voucher not the import's (nor reversing one of its) in the months it closed, as a reason; "" if none."""
    from desktop_app.domain import ledger as rules
    from desktop_app.services.ledger.books import in_book
    from desktop_app.store.models_ledger import LedgerEntry

    mine = set(imp.added.get(LEDGER, []))
    wanted = set(months)
    for voucher, on, rid, of in s.execute(
            select(LedgerEntry.voucher_no, LedgerEntry.entry_date, LedgerEntry.id, LedgerEntry.reversal_of)
            .where(in_book(LedgerEntry.org_id, book), LedgerEntry.entry_date >= months[0], LedgerEntry.entry_date <= rules.month_end(months[-1]),
                   LedgerEntry.deleted.is_(False)).order_by(LedgerEntry.entry_date, LedgerEntry.voucher_no)):
        if rules.month_of(on) in wanted and rid not in mine and of not in mine:
            return f"{rules.month_label(rules.month_of(on))}另有不是这次导入的凭证 {voucher}"
    return ""


# ---------------------------------------------------------------- reverting


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
        books = _ledger_plan(s, imp) if ledger else None
        refused = books.refused if books else []
        refused = refused or _refusals(s, imp, names)  # closed months say all there is to say
        if refused:
            more = f"（另有 {len(refused) - _SHOWN} 条同样无法撤销）" if len(refused) > _SHOWN else ""
            raise RevertRefused("没有撤销这次导入：" + "；".join(refused[:_SHOWN]) + more)
        if books:
            items = tuple(RevertItem(imp.entry.id, LEDGER, rid, voucher) for rid, voucher, _ in books.targets)
            counts = ((len(books.targets), "笔凭证"),)
        else:
            order = [t for t, _ in KINDS[imp.entry.table_name] if t in imp.added]
            order += [t for t in imp.added if t not in order]
            items = tuple(RevertItem(imp.entry.id, t, rid, names.get((t, rid), ""), {"deleted": False}, {"deleted": True})
                          for t in order for rid in imp.added[t])
            words = dict(KINDS[imp.entry.table_name])
            counts = tuple((len(imp.added[t]), words.get(t, f"条{table_label(t)}")) for t in order)
        if not items:
            raise RevertRefused("这次导入没有留下可撤销的记录")
        outcome = dict(batch=imp.batch, deleting=counts, reversing=ledger)
        if not write:
            return RevertOutcome(items, note=_ledger_note(imp, books, "将") if books else "", **outcome)
        if books:
            _reverse(s, imp, books)
        else:
            _remove(s, imp, items)
        s.execute(AuditUndo.__table__.delete().where(AuditUndo.entry_id == imp.entry.id))
        uow.commit()
    return RevertOutcome(items, done=True, note=_ledger_note(imp, books, "已") if books else "", **outcome)


def _ledger_note(imp: _Import, books: _LedgerPlan, done: str) -> str:
    """What becomes of the months the import closed, said after the summary."""
    if books.months:
        return (f"本次导入结账的 {_span(books.months)}{done}撤销结账，其中的凭证在原日期红字冲销，"
                "这些月份的收支回到导入前")
    months = int(after_of(imp.entry).get("months_closed") or 0)
    if not months:
        return ""
    return f"导入时结账的 {months} 个月仍然结账（{books.stays or '已结账的月份不能撤销'}）"


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


def _reverse(s: Session, imp: _Import, books: _LedgerPlan) -> None:
    from desktop_app.services.ledger.posting import reopen_unsent_in, reverse_in

    now, actor = utcnow(), audit.actor_of(s)
    note = f"撤销导入（操作记录 {imp.entry.id}，导入批次 {imp.batch}）"
    try:
        gone = reopen_unsent_in(s, books.reopen) if books.reopen else []
    except DomainError as exc:
        raise RevertRefused(f"没有撤销这次导入：{exc}") from None
    audit.insert_chained(s, [audit.entry_row(s, actor, REVERT, CLOSED, c.id, label=f"{c.month.year} 年 {c.month.month} 月",
                                             before={"month": c.month.isoformat(), "closed_by": c.closed_by},
                                             after={"deleted": True}, note=note, now=now) for c in gone])
    for rid, voucher, on in books.targets:
        try:
            reverse_in(s, rid, f"撤销导入批次 {imp.batch}", on, entered_by="撤销导入")
        except DomainError as exc:
            raise RevertRefused(f"没有撤销这次导入：凭证 {voucher}：{exc}") from None
    reopened = f"，撤销 {_span([c.month for c in gone])} 的结账" if gone else ""
    audit.record(s, REVERT, LEDGER, "", f"撤销导入的账目：红字冲销 {len(books.targets)} 笔凭证{reopened}"
                 f"（操作记录 {imp.entry.id}，导入批次 {imp.batch}）",
                 after={"entries": len(books.targets), "months_reopened": len(gone)})
