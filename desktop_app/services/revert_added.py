"""Reverting an import's batch, the part the row-by-row trail does not cover: the members it added.

The import writes one "import" trail entry naming its batch and the instant
(`added_at`) every member it inserted was created at; those members are found
again by that created_at, no list of ids being kept anywhere (the 100,000 row
import pays nothing for it). Each is removed (tombstoned, as 删除 on the roster
page does, leaving the 应到 of meetings still planned) only while untouched since
the import: version 1, not deleted, and no record of any kind refers to it except
a planned meeting's 应到 list. Otherwise the revert is refused, naming them.

The branches (党支部) the import created, which its entry names, go too when the revert leaves them
empty: no member, no sub-organisation, no record of any kind referring to them. One that holds
anything else is kept and named in the confirmation; it never stops the revert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import DomainError
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.schema import metadata
from desktop_app.views.audit import table_label

IMPORT = "import"
FLOATING_TABLE = "floating_record"  # store.models_memberlife.FloatingRecord, not loaded for most reverts
_CHUNK = 500


class RevertRefused(DomainError):
    """The change cannot be reverted; nothing was written."""


@dataclass(frozen=True)
class Added:
    """One member the import added, as it stands now."""

    id: str
    name: str
    version: int
    deleted: bool


def after_of(e: AuditEntry) -> dict:
    try:
        value = json.loads(e.after_json) if e.after_json else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def batch_of(e: AuditEntry) -> str:
    """The batch an "import" entry of the roster names ("" for imports from before batches were named)."""
    if e.action != IMPORT or e.table_name != Member.__tablename__:
        return ""
    return str(after_of(e).get("batch") or "")


def not_stored(after: dict) -> str:
    """Why an import entry cannot bring its whole import back ("" when it can): imports from before
    the entry named its batch and when its members were added kept neither."""
    def count(key: str) -> int:
        try:
            return int(after.get(key) or 0)
        except (TypeError, ValueError):
            return 0

    try:
        dated = bool(datetime.fromisoformat(str(after.get("added_at") or "")))
    except ValueError:
        dated = False
    adds, updates = count("added"), count("updated")
    if after.get("batch") and (dated or not adds):
        return ""
    why = f"这次导入由旧版本完成，没有记下{'它新增了哪些党员' if adds else '导入批次'}，无法整批撤销"
    if updates:
        why += f"；它更新的 {updates} 条记录可选中一条“导入更新”记录后撤销整批"
    return why + "。"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def batches_like(s: Session, ref: str) -> list[str]:
    """Import batches whose id starts with `ref` (an import that only added members has no audit_undo rows)."""
    found = s.scalars(select(AuditEntry).where(
        AuditEntry.action == IMPORT, AuditEntry.table_name == Member.__tablename__, AuditEntry.deleted.is_(False),
        AuditEntry.note.like(f"%导入批次 {_like(ref)}%", escape="\\")).limit(3)).all()
    return list(dict.fromkeys(b for b in map(batch_of, found) if b.startswith(ref)))


def import_entry(s: Session, batch: str) -> AuditEntry | None:
    """The import's own entry for `batch`, if this import named one (older ones did not)."""
    if not batch:
        return None
    for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action == IMPORT, AuditEntry.table_name == Member.__tablename__,
            AuditEntry.deleted.is_(False), AuditEntry.note.like(f"%导入批次 {_like(batch)}%", escape="\\"))):
        if batch_of(e) == batch:
            return e
    return None


def _member_refs() -> list:
    """Every column of every table that refers to a member (one list, whatever tables come later)."""
    return [col for table in metadata.tables.values() for col in table.c
            if any(fk.column.table.name == Member.__tablename__ for fk in col.foreign_keys)]


@dataclass(frozen=True)
class Outing:
    """A 流出 the import registered for a member it marked 流动 (found by the import's instant and batch)."""

    id: str
    member_id: str
    name: str


def _stamp(imp: AuditEntry) -> tuple[datetime, str] | None:
    after = after_of(imp)
    try:
        at = datetime.fromisoformat(str(after.get("added_at") or ""))
    except ValueError:
        return None
    return (at, str(after.get("batch") or "")) if after.get("outings") else None


def _outing_rows(s: Session, imp: AuditEntry):
    from desktop_app.store.models_memberlife import FloatingRecord  # member life's models: only for such imports

    stamp = _stamp(imp)
    if stamp is None:
        return []
    at, batch = stamp
    return s.execute(select(FloatingRecord.id, FloatingRecord.member_id, FloatingRecord.name, FloatingRecord.version,
                            FloatingRecord.deleted).where(
        FloatingRecord.created_at == at,
        FloatingRecord.note.like(f"%导入批次 {_like(batch)}%", escape="\\"))).all()


def outings(s: Session, imp: AuditEntry) -> tuple[list[Outing], list[str]]:
    """The 流出 the import registered and still stands as registered, and why any cannot be withdrawn: one the
    worker has since ended (返回) or changed is theirs to undo on 流动与失联, not the revert's to drop."""
    live, refused = [], []
    for r in _outing_rows(s, imp):
        if r.deleted:
            continue  # withdrawn on 流动与失联 already
        if r.version != 1:
            refused.append(f"导入时为“{r.name}”登记的流出此后已办理返回或修改过，请先在“流动与失联”处理")
        else:
            live.append(Outing(r.id, r.member_id, r.name))
    return live, refused


def outings_of(s: Session, imp: AuditEntry | None, member_ids: set[str]) -> list[str]:
    """Why one update of the import cannot be reverted alone: the member's 流出 came with it (the whole import can)."""
    if imp is None or not member_ids:
        return []
    return [f"这次导入同时为“{r.name}”登记了流出：请撤销整批导入，或先在“流动与失联”撤销那条登记"
            for r in _outing_rows(s, imp) if r.member_id in member_ids and not r.deleted]


def withdraw_outings(s: Session, imp: AuditEntry, batch: str, rows: list[Outing], now: datetime) -> list[dict]:
    """Tombstone the checked 流出; returns their trail entries for the revert's one chained insert."""
    if not rows:
        return []
    from desktop_app.store.models_memberlife import FloatingRecord

    site, actor = s.info.get(SITE_KEY, ""), audit.actor_of(s)
    ids = [r.id for r in rows]
    for start in range(0, len(ids), _CHUNK):
        done = s.execute(update(FloatingRecord).where(FloatingRecord.id.in_(ids[start:start + _CHUNK]),
                                                      FloatingRecord.version == 1, FloatingRecord.deleted.is_(False))
                         .values(deleted=True, version=FloatingRecord.version + 1, updated_at=now, updated_by_site=site)
                         .execution_options(synchronize_session=False))
        if done.rowcount != len(ids[start:start + _CHUNK]):
            raise RevertRefused("导入时登记的流出刚刚有人修改，没有撤销任何更改；请重试")
    note = f"撤销导入时登记的流出（操作记录 {imp.id}，导入批次 {batch}）"
    return [audit.entry_row(s, actor, "audit_revert", FloatingRecord.__tablename__, r.id, label=r.name,
                            before={"deleted": False}, after={"deleted": True}, note=note, now=now) for r in rows]


def _referred(s: Session, ids: list[str], today: date, outings: frozenset[str] = frozenset()) -> set[str]:
    """The members some record refers to, other than a still-planned meeting's 应到 (which removal updates)
    and the 流出 the import itself registered (`outings`, withdrawn with them)."""
    from desktop_app.domain.meetings import PLANNED
    from desktop_app.store.models_meetings import Attendance, Meeting
    from desktop_app.store.models_memberlife import FloatingRecord

    out: set[str] = set()
    # the meetings whose lists the roster's 删除 updates (services/meetings/planned.follow_member)
    planned = select(Meeting.id).where(Meeting.deleted.is_(False), Meeting.status == PLANNED,
                                       Meeting.meeting_date >= today)
    for col in _member_refs():
        table: Table = col.table
        for start in range(0, len(ids), _CHUNK):
            q = select(col).where(col.in_(ids[start:start + _CHUNK])).distinct()
            if table is Attendance.__table__:
                q = q.where(Attendance.meeting_id.not_in(planned))
            elif table is FloatingRecord.__table__ and outings:
                q = q.where(FloatingRecord.id.not_in(outings))
            out.update(s.scalars(q))
    return out


def reverted(s: Session, imp: AuditEntry) -> bool:
    """Whether this import's added members were already removed by a revert (the revert names the entry)."""
    return s.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "audit_revert", AuditEntry.table_name == Member.__tablename__,
        AuditEntry.note.like(f"%操作记录 {_like(imp.id)}%", escape="\\")).limit(1)) is not None


def check(s: Session, imp: AuditEntry, today: date) -> tuple[list[Added], list[str]]:
    """The members the import added, and why any cannot be removed (one reason per member); the 流出 the
    import registered for them go with them (outings())."""
    after = after_of(imp)
    try:
        at = datetime.fromisoformat(str(after.get("added_at") or ""))
        expected = int(after.get("added") or 0)
    except ValueError:
        return [], ["这次导入的记录不完整，无法找到它新增的党员"]
    if not expected:
        return [], []
    if reverted(s, imp):
        return [], ["这次导入已经撤销过了"]
    rows = [Added(*r) for r in s.execute(
        select(Member.id, Member.name, Member.version, Member.deleted).where(Member.created_at == at)
        .order_by(Member.seq, Member.id))]
    if len(rows) != expected:
        return [], [f"这次导入新增的 {expected} 名党员现在只找到 {len(rows)} 名，无法确认是哪些，没有撤销"]
    refused = []
    referred = _referred(s, [r.id for r in rows], today, frozenset(r.id for r in _outing_rows(s, imp)))
    for r in rows:
        if r.deleted:
            refused.append(f"导入新增的党员“{r.name}”此后已删除")
        elif r.version != 1:
            refused.append(f"导入新增的党员“{r.name}”此后又修改过")
        elif r.id in referred:
            refused.append(f"导入新增的党员“{r.name}”此后已有其他记录（参会、党费、状态变更等）")
    return rows, refused


def remove(s: Session, imp: AuditEntry, batch: str, rows: list[Added], today: date, now: datetime) -> list[dict]:
    """Tombstone the checked members; returns their trail entries (before/after) for one chained insert."""
    if not rows:
        return []
    from desktop_app.services.meetings import planned

    site, actor = s.info.get(SITE_KEY, ""), audit.actor_of(s)
    ids = [r.id for r in rows]
    # Only members on a planned meeting's 应到 need the roster's per-member path; the rest go in bulk.
    from desktop_app.store.models_meetings import Attendance

    listed: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        listed.update(s.scalars(select(Attendance.member_id).where(
            Attendance.member_id.in_(ids[start:start + _CHUNK]), Attendance.deleted.is_(False)).distinct()))
    before = {mid: planned.standing_of(s, s.get(Member, mid)) for mid in listed}
    for start in range(0, len(ids), _CHUNK):
        done = s.execute(update(Member).where(Member.id.in_(ids[start:start + _CHUNK]), Member.version == 1,
                                              Member.deleted.is_(False))
                         .values(deleted=True, version=Member.version + 1, updated_at=now, updated_by_site=site)
                         .execution_options(synchronize_session=False))
        if done.rowcount != len(ids[start:start + _CHUNK]):
            raise RevertRefused("导入新增的党员刚刚有人修改，没有撤销任何更改；请重试")
    for mid, standing in before.items():
        m = s.get(Member, mid)
        s.refresh(m)  # the UPDATE went past the session
        planned.follow_member(s, m, standing, today)
    note = f"撤销导入新增的党员（操作记录 {imp.id}，导入批次 {batch}）"
    return [audit.entry_row(s, actor, "audit_revert", Member.__tablename__, r.id, label=r.name,
                            before={"deleted": False}, after={"deleted": True}, note=note, now=now)
            for r in rows]


# ---------------------------------------------------------------- the branches the import created

# Referring to a branch without keeping it: its own 会议频次 (made with it), and the rows checked apart
# (members, sub-organisations, the 流出 the import registered).
_OWN_ORG_REFS = frozenset({"branch_cadence", Member.__tablename__, Organization.__tablename__})


@dataclass(frozen=True)
class Created:
    """A branch the import created, removed with its members."""

    id: str
    name: str


def branches(s: Session, imp: AuditEntry, moving_away: set[str]) -> tuple[list[Created], list[str]]:
    """The branches the import created that the revert leaves empty, and a sentence for each one kept.
    `moving_away`: members the revert's updates take out of some branch (their 所在党支部 put back)."""
    after = after_of(imp)
    ids = [str(i) for i in after.get("branch_ids") or () if i]
    if not ids:
        return [], []
    try:
        at = datetime.fromisoformat(str(after.get("added_at") or ""))
    except ValueError:
        return [], []
    own_outings = [r.id for r in _outing_rows(s, imp)]
    refs = [col for table in metadata.tables.values() if table.name not in _OWN_ORG_REFS for col in table.c
            if any(fk.column.table.name == Organization.__tablename__ for fk in col.foreign_keys)]
    gone, kept = [], []
    for org in s.execute(select(Organization.id, Organization.name, Organization.version, Organization.deleted)
                         .where(Organization.id.in_(ids)).order_by(Organization.code)):
        if org.deleted:
            continue  # deleted by hand since
        why = []
        if org.version != 1:
            why.append("此后修改过")
        staying = set(s.scalars(select(Member.id).where(
            Member.org_id == org.id, Member.deleted.is_(False), Member.created_at != at))) - moving_away
        if staying:
            why.append(f"还有 {len(staying)} 名不是这次导入新增的党员")
        if s.scalar(select(Organization.id).where(Organization.parent_id == org.id,
                                                  Organization.deleted.is_(False)).limit(1)):
            why.append("已有下级组织")
        others = []
        for col in refs:
            q = select(col).where(col == org.id, col.table.c.deleted.is_(False)).limit(1)
            if col.table.name == FLOATING_TABLE and own_outings:
                q = q.where(col.table.c.id.not_in(own_outings))
            if s.scalar(q) is not None and table_label(col.table.name) not in others:
                others.append(table_label(col.table.name))
        if others:
            why.append(f"已有{'、'.join(others)}记录")
        if why:
            kept.append(f"保留导入新建的党支部“{org.name}”（{'，'.join(why)}）")
        else:
            gone.append(Created(org.id, org.name))
    return gone, kept


def remove_branches(s: Session, imp: AuditEntry, batch: str, rows: list[Created], now: datetime) -> list[dict]:
    """Tombstone the checked branches (after their members); returns their trail entries."""
    if not rows:
        return []
    site, actor = s.info.get(SITE_KEY, ""), audit.actor_of(s)
    done = s.execute(update(Organization).where(Organization.id.in_([r.id for r in rows]), Organization.version == 1,
                                                Organization.deleted.is_(False))
                     .values(deleted=True, version=Organization.version + 1, updated_at=now, updated_by_site=site)
                     .execution_options(synchronize_session=False))
    if done.rowcount != len(rows):
        raise RevertRefused("导入新建的党支部刚刚有人修改，没有撤销任何更改；请重试")
    note = f"撤销导入新建的党支部（操作记录 {imp.id}，导入批次 {batch}）"
    return [audit.entry_row(s, actor, "audit_revert", Organization.__tablename__, r.id, label=r.name,
                            before={"deleted": False}, after={"deleted": True}, note=note, now=now) for r in rows]
