"""导出 of the audit trail: every entry the filter matches (all of its pages, not the one shown) as XLSX.

Beside the 操作记录 sheet a 说明 sheet names the filter in words, who exported and when, and whether the
trail's hash chain checked whole at that moment. The same roles that may read the trail may export it
("audit.read"); anyone else is refused before anything is read. Values are as the page shows them:
field names in Chinese, record ids as names, ID numbers and phones masked (the trail keeps them masked).

The file is written beside the chosen name and renamed onto it only once the export's own entry is
committed (files.write_through_after): a cancelled or failed export leaves no file, no half a file and
no entry, and a file already there as it was. An empty result writes nothing and says so: a workbook of
no rows is easily mistaken for "nothing happened in that time".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain import access
from desktop_app.domain.access import ActorKind
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import audit_export
from desktop_app.files import write_through_after
from desktop_app.services import audit_chain, audit_log, auth
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.db import Database
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.audit import ACTION_LABELS, SYSTEM_ACTOR, AuditFilter, AuditRow, table_label, value_text

__all__ = ["EMPTY", "TrailExport", "export_xlsx", "filter_words", "may_export"]

PERMISSION = "audit.read"  # who may read the trail may take it away as a file; nobody else
TRAIL = "操作记录"
CHUNK = 500  # entries read (and named) at a time
EMPTY = "没有符合筛选条件的操作记录，未导出文件。请调整人员、对象、操作或日期后再导出"
_DELETED_SUMMARY = "删除（修改前的内容见下方）"  # the page's words; in the sheet the fields are to the right


@dataclass(frozen=True)
class TrailExport:
    path: Path
    rows: int
    chain_ok: bool
    chain_text: str  # the 说明 sheet's line on the hash chain


def may_export(db: Database) -> bool:
    """Whether the acting account may export the trail (the page shows 导出 only then)."""
    return auth.can(db, PERMISSION)


def _allowed(db: Database):
    """The actor, if their role reads the trail; else refused naming the export (a scoped account or
    nobody logged in gets require's own words: the whole database's trail, or 请先登录)."""
    actor = auth.current_actor(db)
    if actor is not None and not access.allowed(actor.role, PERMISSION):
        raise PermissionDenied(f"当前账户“{actor.name}”（{actor.role_label}）不能导出操作记录：导出和查看操作记录一样，"
                               "只限有“查看操作记录”权限的账户（管理员、书记/委员）", PERMISSION)
    return auth.require(db, PERMISSION)


def filter_words(db: Database, flt: AuditFilter) -> str:
    """The filter as the 说明 sheet and the trail's own entry name it: 操作人：李明；操作：修改；日期：…"""
    parts = []
    if flt.user_id is not None:
        with db.session() as s:
            name = s.scalar(select(func.max(AuditEntry.user_name)).where(AuditEntry.user_id == flt.user_id))
        parts.append(f"操作人：{name or SYSTEM_ACTOR}")
    if flt.table:
        parts.append(f"对象：{table_label(flt.table)}")
    if flt.action:
        parts.append(f"操作：{ACTION_LABELS.get(flt.action, flt.action)}")
    if flt.date_from or flt.date_to:
        parts.append(f"日期：{flt.date_from or '最早'} 至 {flt.date_to or '今天'}")
    if (flt.text or "").strip():
        parts.append(f"关键词：“{flt.text.strip()}”")
    if flt.row_id and flt.row_id.strip():
        parts.append(audit_log.record_words(flt.row_id))  # a 身份证号 typed there is masked, as everywhere in the trail
    return "；".join(parts) or "全部（未筛选）"


def _detail(r: AuditRow) -> str:
    """Each field on a line: 字段：修改前 → 修改后 for a change, 字段：值 where only one side has it."""
    lines = []
    for c in r.changes():
        before, after = value_text(c.before), value_text(c.after)
        if before == after or not before:
            lines.append(f"{c.label}：{after}")
        elif not after:
            lines.append(f"{c.label}：{before}")
        else:
            lines.append(f"{c.label}：{before} → {after}")
    return "\n".join(lines)


def _cells(r: AuditRow) -> tuple:
    summary = "删除（删除前的内容见“修改详情”）" if r.summary == _DELETED_SUMMARY else r.summary
    at = r.at.replace(tzinfo=None, microsecond=0)  # the second, as the page shows it; a cell keeps no zone
    return (at, r.who, r.action_label, r.table_label, r.label, summary, _detail(r), r.id, r.row_id)


def _chain(db: Database) -> tuple[bool, str]:
    broken = audit_chain.verify(db)
    if not broken:
        return True, "通过（操作记录完整，没有发现被修改或删除的记录）"
    return False, "未通过：" + "；".join(f"{b.site_name}的操作记录自编号 {b.entry_id} 起断链（{b.problem}）"
                                    for b in broken)


def export_xlsx(db: Database, flt: AuditFilter | None, path: str | Path, *,
                progress: Callable[[int, int], None] | None = None, now: datetime | None = None) -> TrailExport:
    """Write every entry `flt` matches, newest first, to `path` (.xlsx); the export is itself recorded.

    `progress(done, total)` is called as rows are written; an exception it raises (the GUI's 取消)
    ends the export with nothing written and nothing recorded.
    """
    path = Path(path)
    actor = _allowed(db)
    audit_export.check_target(path)
    flt = flt or AuditFilter()
    cond = audit_log.conditions(flt)
    order = (AuditEntry.at.desc(), AuditEntry.id.desc())
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(AuditEntry).where(*cond)) or 0
    if not total:
        raise DomainError(EMPTY)
    chain_ok, chain_text = _chain(db)
    words = filter_words(db, flt)
    at = now or datetime.now()
    who = actor.name or SYSTEM_ACTOR
    # an account by name, login and role; the command line and a database without accounts by what they are
    who_text = f"{who}（{actor.login}，{actor.role_label}）" if actor.kind == ActorKind.USER else who

    def rows() -> Iterator[tuple]:
        # one read transaction: entries written meanwhile (even by this export) neither shift nor repeat rows
        with db.session() as s:
            result = s.execute(select(AuditEntry).where(*cond).order_by(*order).execution_options(yield_per=CHUNK))
            for chunk in result.scalars().partitions(CHUNK):
                yield from map(_cells, audit_log.rows_of(s, chunk))

    def notes(written: int) -> list[tuple[str, str]]:
        return [
            ("导出内容", f"操作记录，共 {written} 条（按时间从新到旧）"),
            ("筛选条件", words),
            ("导出人", who_text),
            ("导出时间", f"{at:%Y-%m-%d %H:%M:%S}"),
            ("哈希链检查", chain_text),
            ("说明", "时间为本机时间。身份证号码、电话号码在操作记录中只保存遮蔽后的值（如 139****2222）。"
                   "这次导出本身也记入操作记录（操作“导出”）。"),
        ]

    written = 0

    def write(tmp: Path) -> None:
        nonlocal written
        with closing(rows()) as streamed:  # a cancel ends the read transaction at once, not at GC
            written = audit_export.write_trail(tmp, streamed, total, notes, progress)

    with write_through_after(path, write):
        with UnitOfWork(db) as uow:
            audit.record(uow.session, "export", "", "",
                         f"导出操作记录 {written} 条到 {path}（筛选：{words}）", label=TRAIL,
                         after={"list": TRAIL, "file": str(path), "rows": written})
            uow.commit()
    return TrailExport(path, written, chain_ok, chain_text)
