"""The shapes every record module repeats (visits, wishes, projects, mediation, dues, ledger …), written once.

Lists: a filter is a list of SQL conditions built from the fields a user filled in
(`given`, `within`, `in_year`, `any_like`); ids go to `IN (...)` in chunks SQLite
accepts. Writes: a changed field is written only when it differs (`assign`, so the
audit trail and the sync version see real changes only), a record's children are
tombstoned with it (`tombstone_children`), and a write ends by reading back what
it changed inside the same unit of work (`settle`); a new record's paper number is
the next of its year (`next_year_number`). A write whose permission does
not depend on the row is declared with `@writes("perm")`: the check, the unit of
work (whose session carries the actor to the audit trail) and the commit are one line.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

import unicodedata

from desktop_app.domain.clock import local_text
from desktop_app.domain.errors import ConcurrentEditError, NotFound, ValidationError
from desktop_app.services import attachments, auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.db import Database, take_write_lock

R = TypeVar("R")
CHUNK = 500  # ids per IN (...): well under SQLite's limit of bound parameters


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_terms(text: str) -> list[str]:
    """The words of a search box (full-width letters and digits folded), each to be matched on its own."""
    return unicodedata.normalize("NFKC", text or "").split()


def live(s: Session, model, row_id: str | None, what: str) -> Any:
    """The live row of `model` with this id; NotFound("该{what}不存在或已删除") when it is gone."""
    row = s.get(model, row_id) if row_id else None
    if row is None or row.deleted:
        raise NotFound(f"该{what}不存在或已删除")
    return row


def live_in_grid(db: Database, s: Session, model, row_id: str | None, what: str, permission: str) -> Any:
    """The live row of a grid's record (a visit, a wish, a household …), refused unless the user
    holds `permission` in the row's grid: a 网格员 reads and writes only their own grid's rows."""
    row = live(s, model, row_id, what)
    auth.require(db, permission, grid_id=row.grid_id)
    return row


def unchanged_since(s: Session, row: Any, expected_version: int | None, what: str, part_of: Any = None) -> None:
    """Refuse to save a form over a change made after it was read (optimistic concurrency).

    `expected_version` is the row's version when the form read it (None: the caller, the
    command line or an old one, does not say; nothing is checked). Call it before changing
    the row: it takes the write lock and reads the row again, locking it on PostgreSQL, so
    a save committing meanwhile is either seen here or waits for this one. `what` names the
    record in the refusal ("党员 张三"). A form that also saves the row's children (a
    meeting's attendance, a case's parties) gives their column pointing at the row
    (`part_of`, or a tuple of such columns) and read `record_version` of it: a change to a
    child then counts too.
    """
    if expected_version is None:
        return
    take_write_lock(s)
    s.refresh(row, with_for_update=True)
    if record_version(s, row, part_of) == expected_version:
        return
    latest = row
    for fk in _columns(part_of):
        child = s.scalar(select(fk.class_).where(fk == row.id).order_by(fk.class_.updated_at.desc()).limit(1))
        if child is not None and child.updated_at > latest.updated_at:
            latest = child  # who saved the children last is who the form was read before
    lead, detail = _last_change(s, latest)
    raise ConcurrentEditError(f"这条记录（{what}）在你打开后{lead}（{detail}）。"
                              "你的修改没有保存；请关闭后重新打开，再改一次。")


def record_version(s: Session, row: Any, part_of: Any = None) -> int:
    """The row's version, plus its children's (tombstoned ones too) when `part_of` names them (a column or a tuple).

    Versions only grow and children are never removed, so the sum grows with every change to
    the row or any child, a child added or tombstoned included: one number a form can carry.
    """
    return row.version + sum(int(s.scalar(select(func.coalesce(func.sum(fk.class_.version), 0)).where(fk == row.id)))
                             for fk in _columns(part_of))


def _columns(part_of: Any) -> tuple:
    return () if part_of is None else part_of if isinstance(part_of, tuple) else (part_of,)


def _last_change(s: Session, row: Any) -> tuple[str, str]:
    """Who changed the row last and when, as far as the sync columns and the audit trail tell."""
    from desktop_app.store.audit import ACTOR_KEY
    from desktop_app.store.models import Site
    from desktop_app.store.models_access import AuditEntry
    from desktop_app.store.models_sync import SyncPeer

    when = local_text(row.updated_at)
    here = s.scalar(select(Site.id).limit(1))
    if row.updated_by_site and here and row.updated_by_site != here:
        peer = s.scalar(select(SyncPeer.org_name).where(SyncPeer.site_id == row.updated_by_site)) or "其他单位"
        return "已被他人修改", f"{when} 随{peer}的同步数据包收到"
    last = s.execute(select(AuditEntry.user_id, AuditEntry.user_name)
                     .where(AuditEntry.table_name == row.__tablename__, AuditEntry.row_id == row.id)
                     .order_by(AuditEntry.at.desc()).limit(1)).first()
    me = s.info.get(ACTOR_KEY)
    if last and me is not None and last.user_id and last.user_id == me.user_id:
        # the same account: another window or PC, or a register opened from the form (党员动态 moves a member)
        return "已在别处修改", f"你的账户于 {when} 保存过，在另一个窗口、另一台电脑或从本窗口打开的登记里"
    return "已被他人修改", f"{last.user_name} 于 {when} 保存" if last and last.user_name else f"于 {when} 保存"


def stored_file(db, model, row_id: str, what: str) -> Path:
    """The file kept for a live row of a StoredFileMixin table (a photo, a scan), from the data folder.

    A package carries the row, not the file: a row written at another site whose file is not here
    says where the file is, rather than that it was lost from this folder.
    """
    from desktop_app.store.models import Site
    from desktop_app.store.models_sync import SyncPeer

    with db.session() as s:
        row = live(s, model, row_id, what)
        stored, written_at = row.stored_name, row.updated_by_site
        here = s.scalar(select(Site.id).limit(1))
        sender = None
        if written_at and here and written_at != here:
            sender = s.scalar(select(SyncPeer.org_name).where(SyncPeer.site_id == written_at)) or "其他单位"
    try:
        return attachments.path_of(stored)
    except NotFound:
        if sender is None:
            raise
        raise NotFound(f"这份{what}随{sender}的同步数据包收到：数据包只带{what}的记录，不带文件本身，"
                       f"文件在{sender}的电脑上。需要时请向{sender}索取。") from None


def keep_file(db, source: Path, folder: str, record: Callable[[Session, dict[str, Any]], R],
              max_bytes: int = attachments.MAX_BYTES) -> R:
    """One file, as `keep_files`."""
    return keep_files(db, [source], folder, record, max_bytes)[0]


def keep_files(db, sources: Sequence[Path], folder: str, record: Callable[[Session, dict[str, Any]], R],
               max_bytes: int = attachments.MAX_BYTES) -> list[R]:
    """Copy every source into the data folder under `folder` and record each, in one unit of work.

    `record(session, columns)` makes the row (a StoredFileMixin table) from a file's `columns`
    and returns it. Several files picked together are one act: every file is checked before any
    is copied (each refusal names its file), and when a copy or a record fails no row is written
    and every copy goes, since a file without its record would never be found again.
    """
    sources = attachments.check_sources(sources, max_bytes)
    with copied(sources, folder, max_bytes) as files, UnitOfWork(db) as uow:
        rows = [record(uow.session, file) for file in files]
        uow.session.add_all(rows)
        uow.commit()
        return rows


@contextmanager
def copied(sources: Sequence[Path], folder: str, max_bytes: int = attachments.MAX_BYTES) -> Iterator[list[dict]]:
    """The sources copied into the data folder, as the columns of their rows, for a caller that writes
    the rows in its own unit of work inside this block; if the block (or a copy) fails, every copy goes."""
    kept: list[attachments.StoredFile] = []
    try:
        files = []
        for source in sources:
            stored = attachments.store(
                source, f"{folder}/{uuid.uuid4().hex[:8]}-{attachments.safe_name(source.name)}", max_bytes)
            kept.append(stored)
            files.append({"file_name": source.name[:200], "stored_name": stored.relative,
                          "size": stored.size, "sha256": stored.sha256})
        yield files
    except BaseException:
        for stored in kept:
            attachments.discard(stored)
        raise


def chosen(s: Session, model, row_id: str, field: str, what: str, where: str = "") -> Any:
    """A row the user picked from a list, refused by field name when it was deleted in the meantime."""
    row = s.get(model, row_id)
    if row is None or row.deleted:
        raise ValidationError(field, f"{where}所选{what}不存在或已删除")
    return row


def given(*pairs: tuple[Any, Any]) -> list[ColumnElement]:
    """`column == value` for each pair whose value was chosen (None, "" and 0 mean "any")."""
    return [col == value for col, value in pairs if value]


def within(col, first: date | None, last: date | None) -> list[ColumnElement]:
    """`col` from `first` to `last`, either end open when not given."""
    return ([col >= first] if first else []) + ([col <= last] if last else [])


def in_force(since, until, first: date, last: date) -> list[ColumnElement]:
    """A row that runs from `since` until `until` (open while None) was in force at some time from `first` to
    `last`: begun by `last`, not ended before `first` (a pairing, an adopted household, a unit's 报到 in a year)."""
    return [since <= last, until.is_(None) | (until >= first)]


def in_year(year: int | None, *cols) -> list[ColumnElement]:
    """Any of `cols` falls in `year` (nothing when no year is chosen)."""
    if not year:
        return []
    first, last = date(year, 1, 1), date(year, 12, 31)
    return [or_(*(col.between(first, last) for col in cols))]


def any_like(term: str, *cols) -> list[ColumnElement]:
    """The term's text appears in any of `cols` (LIKE wildcards in the term are taken literally)."""
    t = like_escape(term)
    return [col.like(f"%{t}%", escape="\\") for col in cols]


@dataclass
class OpenFilter:
    """What the lists of records that stay open until settled (visits' follow-ups, 微实事 projects) filter alike."""

    text: str = ""
    grid_id: str | None = None
    category: str | None = None
    open_only: bool = False
    overdue_only: bool = False  # open, and past its due date

    def open_conditions(self, state_col, open_states, due_col, today: date) -> list[ColumnElement]:
        """Open only: the state is one of `open_states`; overdue only: open, and due before `today`."""
        if not (self.open_only or self.overdue_only):
            return []
        return [state_col.in_(open_states), *([due_col < today] if self.overdue_only else [])]


def number_like(term: str, id_col, phone_col) -> list[ColumnElement]:
    """A term of digits (and X) may be part of an ID number; one of digits only, part of a phone number too."""
    if not re.fullmatch(r"[0-9xX]+", term):
        return []
    t = like_escape(term)
    alts = [id_col.like(f"%{t.upper()}%", escape="\\")]
    if term.isdigit():
        alts.append(phone_col.like(f"%{t}%", escape="\\"))
    return alts


def chunked(ids: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def live_children(model, fk, parent_id: str):
    """The live rows of `model` under a parent (`fk` is the model's column that points to it)."""
    return select(model).where(fk == parent_id, model.deleted.is_(False))


def over_children(s: Session, aggregate, fk, parent_id: str) -> Any:
    """`aggregate` over the live rows under a parent (e.g. `func.max(ProjectMilestone.sort_order)` with
    `ProjectMilestone.project_id`: the last place taken); None when the parent has none."""
    return s.scalar(select(aggregate).where(fk == parent_id, fk.class_.deleted.is_(False)))


def next_year_number(s: Session, column, prefix: str, year: int) -> str:
    """The next paper number of `year` in `column` (prefix2024-001, -002 …); tombstoned rows keep
    theirs, so a number printed on paper is never handed out again."""
    from desktop_app.domain import service_flow as flow  # the workflows' rules: not for every page that lists

    taken = s.scalars(select(column).where(column.like(f"{prefix}{year}-%")))
    return flow.next_number(prefix, year, taken)


def assign(row: Any, values: Mapping[str, Any]) -> None:
    """Set the attributes that differ; an unchanged field is not touched (no empty audit line, no new version)."""
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def upsert(s: Session, model, key: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    """The row with these key columns, created when missing (a tombstoned one comes back), with `values` set."""
    row = s.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        s.add(row)
    assign(row, {**values, "deleted": False})
    return row


def tombstone(s: Session, model, row_id: str, missing: str) -> Any:
    """Tombstone one live row; `missing` is the refusal when it is not there (or gone already)."""
    row = s.get(model, row_id)
    if row is None or row.deleted:
        raise NotFound(missing)
    row.deleted = True
    return row


def tombstone_children(s: Session, parent_id: str, *fks) -> None:
    """Tombstone the live rows under a parent, for each child column in `fks` (e.g. `VisitMember.visit_id`)."""
    for fk in fks:
        for row in s.scalars(live_children(fk.class_, fk, parent_id)):
            row.deleted = True


def settle(uow: UnitOfWork, read: Callable[..., R], *args: Any) -> R:
    """End a write: flush, read back what it changed (`read(session, *args)`), commit, return that."""
    s = uow.session
    s.flush()
    result = read(s, *args)
    uow.commit()
    return result


def writes(permission: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Declare a service write: check `permission`, run the body in one unit of work, commit.

    The caller passes the database (`add_x(db, ...)`); the body is written as
    `def add_x(uow, ...)` and gets the open unit of work. What it returns is
    returned (flush first when that needs new ids, or end with `settle`, whose
    commit leaves this one nothing to do); when it raises, nothing is kept. A write checked against the row's own grid checks inside instead.
    tests/integration/test_roles.py reads the permission from this decorator.
    """
    def decorate(body: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(body)
        def run(db, *args: Any, **kwargs: Any) -> R:
            auth.require(db, permission)
            with UnitOfWork(db) as uow:
                result = body(uow, *args, **kwargs)
                uow.commit()
            return result
        return run
    return decorate
