"""Reading the audit trail: filter by person, table, action, dates or record; one page at a time.

The trail is written by store/audit.py and never changed afterwards; this
module only reads it (and needs "audit.read"). Times are stored in UTC and
shown in the PC's local time.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from desktop_app.domain import clock, idcard
from desktop_app.services import auth
from desktop_app.store.db import Database
from desktop_app.store.models import Member, Resident
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.audit import (  # noqa: F401  (re-exported: the page and tests import them from here)
    ACTION_LABELS, FIELD_LABELS, PAGE_SIZE, TABLE_FIELD_LABELS, TABLE_LABELS, AuditFilter, AuditRow, FieldChange,
    SYSTEM_ACTOR, FilterChoices, TrailPage, field_label,
)


_utc = clock.local_day_start  # a day's bounds in the trail's UTC


def local_time(at: datetime) -> datetime:
    return clock.to_local(at)


def _load(text: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"?": text}
    return value if isinstance(value, dict) else {"?": value}


def _row(e: AuditEntry) -> AuditRow:
    return AuditRow(
        e.id, local_time(e.at), e.user_id, e.user_name, e.site_id, e.table_name, e.row_id, e.label,
        e.action, e.note, _load(e.before_json), _load(e.after_json),
    )


_ID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)


def _names(s, ids: set[str]) -> dict[str, str]:
    """The people, organisations and accounts that these record ids stand for, by name."""
    from desktop_app.store.models import Member, Organization, Resident
    from desktop_app.store.models_access import User

    found: dict[str, str] = {}
    ids = {i for i in ids if _ID.match(i)}
    for model, column in ((Organization, Organization.name), (Member, Member.name),
                          (Resident, Resident.name), (User, User.display_name)):
        if not ids - found.keys():
            break
        for row_id, name in s.execute(select(model.id, column).where(model.id.in_(ids - found.keys()))):
            found[row_id] = name
    return found


def _named(s, rows: list[AuditRow]) -> list[AuditRow]:
    """Rows whose record ids (the record itself, and *_id fields) read as names, never raw UUIDs."""
    def ids_in(values: dict) -> set[str]:
        return {v for k, v in values.items() if isinstance(v, str) and (k == "id" or k.endswith("_id"))}

    wanted = set().union(*[{r.row_id} | ids_in(r.before) | ids_in(r.after) for r in rows]) if rows else set()
    names = _names(s, {i for i in wanted if i})
    if not names:
        return rows

    def swap(values: dict) -> dict:
        return {k: names.get(v, v) if isinstance(v, str) and (k == "id" or k.endswith("_id")) else v
                for k, v in values.items()}

    return [replace(r, label=r.label or names.get(r.row_id, ""), before=swap(r.before), after=swap(r.after))
            for r in rows]


def rows_of(s, entries) -> list[AuditRow]:
    """The trail's entries as the page shows them (names looked up), for the page and its export alike."""
    return _named(s, [_row(e) for e in entries])


SHORTEST_PREFIX = 8  # of a record's number: as `audit revert` takes an entry's


def _escaped(text: str) -> str:
    """`text` matched as it is inside a LIKE pattern (escape character \\)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _id_number(text: str) -> str:
    """`text` as a 公民身份号码 when it is shaped like one ("": it is not)."""
    number = idcard.normalize(text)
    return number if len(number) == 18 and number[:17].isdigit() and number[17] in "0123456789X" else ""


def record_condition(text: str):
    """The 记录编号 box: what a worker can see of a record. Its number as an entry's detail shows it
    (记录编号 …), whole or its first 8 characters or more; or a member's or resident's 公民身份号码, for the
    entries of that person's record (the trail shows the number masked, the roster and 居民 lists in full
    to whoever may see it)."""
    text = text.strip()
    number = _id_number(text)
    if number:
        return or_(*(and_(AuditEntry.table_name == model.__tablename__,
                          AuditEntry.row_id.in_(select(model.id).where(model.id_number == number)))
                     for model in (Member, Resident)))
    if len(text) >= SHORTEST_PREFIX:
        return AuditEntry.row_id.like(_escaped(text) + "%", escape="\\")
    return AuditEntry.row_id == text


def record_words(text: str) -> str:
    """The 记录编号 filter as the export's 说明 sheet and its own trail entry name it: a 公民身份号码 masked."""
    number = _id_number(text)
    return f"身份证号：{idcard.mask(number)}" if number else f"记录编号：{text.strip()}"


def conditions(flt: AuditFilter) -> list:
    c = [AuditEntry.deleted.is_(False)]
    if flt.user_id is not None:
        c.append(AuditEntry.user_id == flt.user_id)
    if flt.table:
        c.append(AuditEntry.table_name == flt.table)
    if flt.action:
        c.append(AuditEntry.action == flt.action)
    if flt.row_id and flt.row_id.strip():
        c.append(record_condition(flt.row_id))
    if flt.date_from:
        c.append(AuditEntry.at >= _utc(flt.date_from))
    if flt.date_to:
        c.append(AuditEntry.at < _utc(flt.date_to + timedelta(days=1)))
    text = (flt.text or "").strip()
    if text:
        like = "%" + _escaped(text) + "%"
        c.append(or_(AuditEntry.label.like(like, escape="\\"), AuditEntry.note.like(like, escape="\\"),
                     AuditEntry.user_name.like(like, escape="\\")))
    return c


def search(db: Database, flt: AuditFilter | None = None, page: int = 0, page_size: int = PAGE_SIZE) -> TrailPage:
    """Entries matching `flt`, newest first, one page of them."""
    auth.require(db, "audit.read")
    flt = flt or AuditFilter()
    page_size = max(1, min(page_size, 1000))
    cond = conditions(flt)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(AuditEntry).where(*cond)) or 0
        page = max(0, min(page, max(0, (total - 1) // page_size)))
        rows = s.scalars(
            select(AuditEntry).where(*cond)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(page * page_size).limit(page_size)
        ).all()
        return TrailPage(rows_of(s, rows), total, page, page_size)


def history(db: Database, table: str, row_id: str) -> list[AuditRow]:
    """Every entry of one record, oldest first ("who changed this member, and when?")."""
    auth.require(db, "audit.read")
    with db.session() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id, AuditEntry.deleted.is_(False))
            .order_by(AuditEntry.at, AuditEntry.id)
        ).all()
        return rows_of(s, rows)


def choices(db: Database) -> FilterChoices:
    """What the filter boxes offer: the people, tables and actions that occur in the trail."""
    auth.require(db, "audit.read")
    with db.session() as s:
        users = s.execute(
            select(AuditEntry.user_id, func.max(AuditEntry.user_name)).group_by(AuditEntry.user_id)
        ).all()
        tables = s.scalars(select(AuditEntry.table_name).distinct()).all()
        actions = s.scalars(select(AuditEntry.action).distinct()).all()
    return FilterChoices(
        sorted(((u, n or SYSTEM_ACTOR) for u, n in users), key=lambda x: x[1]),
        sorted(((t, TABLE_LABELS.get(t, t or "（其他）")) for t in tables), key=lambda x: x[1]),
        sorted(((a, ACTION_LABELS.get(a, a)) for a in actions), key=lambda x: list(ACTION_LABELS).index(x[0])
               if x[0] in ACTION_LABELS else 99),
    )
