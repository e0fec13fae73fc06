"""Member import: preview a file against the roster, then apply that preview in one transaction.

The file is parsed by exchange.members (cells -> values and cell errors); this
module checks the rows against the rules and the roster, resolves 所在党支部 to
organisations and diffs the existing members once, in preview_import().
apply_import() takes that preview, re-checks inside the write transaction that
the roster still is as previewed (no ID number taken meanwhile, the members to
update unchanged, the organisations still there) and writes it; it never
derives the preview a second time. import_members() is the same write for rows
that come from code rather than a file.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import members as rules
from desktop_app.domain import orgs as org_rules
from desktop_app.domain.errors import Conflict, DomainError, ValidationError
from desktop_app.domain.members import MEMBER_FIELDS, MemberInput
from desktop_app.domain.members_bulk import check_columns
from desktop_app.domain.orgs import OrgKind
from desktop_app.domain.pinyin import keys as pinyin_keys
from desktop_app.exchange import members as member_files
from desktop_app.services import auth, orgs
from desktop_app.services.database import Database
from desktop_app.services.orgtree import org_name_map
from desktop_app.services.roster import all_sheets, branch_names
from desktop_app.services.roster import outings as outing_rows
from desktop_app.services.roster._common import _chunks, _live_org, _next_seq, _today
from desktop_app.services.roster.queries import _root_org_id
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store import bulk, dialect
from desktop_app.store.base import new_id, sync_values, utcnow
from desktop_app.store.db import take_read_snapshot
from desktop_app.store.models import Member, MemberStatusChange, Organization
from desktop_app.views.roster import ImportPreview, ImportResult, MemberBatch, PlannedOuting, PlannedUpdate, RowError


# MemberInput fields an import writes when its file has the column.
TEMPLATE_FIELDS: tuple[str, ...] = tuple(rules.COLUMN_FIELDS.values())


def _create_branches(s: Session, names: Sequence[str], parent_org_id: str | None) -> dict[str, str]:
    """Branches under `parent_org_id`, coded as the orgs service does: parent code + next free 01..99."""
    if not names:
        return {}
    parent = _live_org(s, parent_org_id)
    org_rules.check_child(OrgKind(parent.kind), OrgKind.BRANCH)
    taken = set(s.scalars(select(Organization.code).where(Organization.deleted.is_(False))))
    order = s.scalar(
        select(func.max(Organization.sort_order)).where(
            Organization.parent_id == parent.id, Organization.deleted.is_(False)
        )
    ) or 0
    created: dict[str, str] = {}
    n = 0
    for raw in names:
        name = org_rules.check_name(raw)
        if name in created:
            continue
        while True:
            n += 1
            if n > 999:
                raise Conflict("无法为新党支部生成组织代码，请先在组织架构中手工建立")
            code = f"{parent.code}{n:02d}"
            if code not in taken:
                break
        taken.add(code)
        order += 1
        org = Organization(name=name, code=org_rules.check_code(code), kind=OrgKind.BRANCH.value,
                           parent_id=parent.id, sort_order=order)
        s.add(org)
        s.flush()
        orgs.start_tracking(s, org.id)  # its 三会一课 are owed from this month, as for one made on the 党组织 page
        created[name] = org.id
    return created


def _take_write_lock(s: Session) -> None:
    """Begin the write transaction before the duplicate checks, not at the first INSERT.

    SQLite (through Python's sqlite3) opens a transaction only when the first
    row is written, so checks made before it read a roster another import may
    be filling at the same moment. BEGIN IMMEDIATE takes the write lock first:
    a second import waits, then sees the first one's members and stops.
    """
    conn = s.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _insert_checked(s: Session, site_id: str, now: datetime, batch: MemberBatch, org_ids: Sequence[str | None]) -> int:
    """Insert new members; the live-ID-number index turns a duplicate that slipped past the checks into a Conflict."""
    try:
        return _insert_new(s, site_id, now, batch, org_ids)
    except IntegrityError as exc:
        if "id_number" not in str(exc.orig):
            raise
        raise Conflict(_STALE.format(what="有党员的公民身份号码已被另一次导入或录入登记")) from None


@contextmanager
def _no_cyclic_gc():
    """Pause the cycle collector while a bulk import builds 100,000s of rows that all stay alive.

    Each collection would rescan every one of them to free nothing (30-40% of a
    preview's time); reference counting still frees garbage meanwhile.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


CACHE_KIB = 16384  # the insert when the indexes are built after it, and their rebuild
INTO_INDEXES_CACHE_KIB = 65536  # rows going one by one into the indexes of a bigger roster


def cache_kib(rebuilt: bool) -> int:
    """The page cache for a bulk insert of members.

    Into a roster bigger than the file every row goes into each member index as it is written, the
    live ID number's with keys spread over its whole range: 64 MB keeps more of their pages cached
    (1,000,000 members as ten files of 100,000: about 8% less CPU, peak about 430 MB). The cache grows only with the pages touched, so a
    small file into a big roster costs no more memory.
    """
    return CACHE_KIB if rebuilt else INTO_INDEXES_CACHE_KIB


def _set_cache(conn, kib: int) -> None:
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")


@contextmanager
def _big_cache(s: Session, kib: int = CACHE_KIB):
    """A bigger SQLite page cache while a bulk insert fills the member indexes (about 2x faster)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    _set_cache(conn, kib)
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old)}")


def _insert_new(s: Session, site_id: str, now: datetime, batch: MemberBatch, org_ids: Sequence[str | None]) -> int:
    """Insert the batch's members (org_ids: each one's organisation), column by column; 序号 0 takes the next free number.

    The columns the program adds (ids, pinyin keys, status, sync stamps) are made a few thousand rows at
    a time, as they are written, so that 100,000 of each never sit in memory together.
    """
    n = len(batch)
    if not n:
        return 0
    columns: dict[str, Sequence] = {f: batch.column(f) for f in MEMBER_FIELDS}
    columns["org_id"] = org_ids
    seq = _next_seq(s) - 1
    numbers = []
    for given in columns["seq"]:
        if not given:
            seq += 1
            given = seq
        elif given > seq:
            seq = given
        numbers.append(given)
    columns["seq"] = numbers
    conn = s.connection()
    memo: dict[str, dict] = {}  # the stored form of each date, flag ... once for the whole import
    ids = bulk.new_ids(n, ordered=True)  # in ascending order: the primary key's b-tree grows at its end
    with _big_cache(s), bulk.indexes_built_after(conn, Member.__table__, n) as rebuilt:
        if not rebuilt and conn.dialect.name == "sqlite":
            _set_cache(conn, cache_kib(rebuilt))  # _big_cache puts the caller's size back after
        if not rebuilt and n > bulk.BATCH:
            # Into a roster bigger than the file, each row goes into each index as it is written. In the order
            # of their ID numbers, with the (sorted) new ids given in that order too, the live-ID-number index
            # and the primary key take them in one sweep each rather than at random places: 100,000 added to
            # 300,000 members cost about 1 s less.
            order = sorted(range(n), key=columns["id_number"].__getitem__)
            columns = {name: list(map(values.__getitem__, order)) for name, values in columns.items()}
        for start in range(0, n, bulk.BATCH):
            part = {name: values[start:start + bulk.BATCH] for name, values in columns.items()}
            m = len(part["name"])
            keys = list(map(pinyin_keys, part["name"]))
            part |= {
                "name_pinyin": [k[0] for k in keys], "name_initials": [k[1] for k in keys],
                # rules.derived_status, a column at a time
                "status": [rules.SUSPENDED if party == rules.SUSPENDED else rules.LOST if lost
                           else rules.FLOATING if floating else rules.NORMAL
                           for party, lost, floating in zip(part["party_status"], part["is_lost"], part["is_floating"])],
                "id": ids[start:start + m], "created_at": [now] * m, "updated_at": [now] * m,
                "updated_by_site": [site_id] * m, "version": [1] * m, "deleted": [False] * m,
            }
            bulk.insert_columns(s, Member.__table__, part, m, memo)
    return n


def _update_values(
    mid: str, old: dict, inp: MemberInput, diff: Sequence[str], fields: Collection[str],
    site_id: str, now: datetime, today: date, history: list[dict],
) -> dict:
    """The UPDATE values for one member whose `diff` fields change; a status change goes to `history`."""
    row = {f: getattr(inp, f) for f in diff}
    if "name" in row:
        row["name_pinyin"], row["name_initials"] = pinyin_keys(inp.name)
    if old["status"] not in rules.GONE_STATUSES:
        merged = replace(inp, **{f: old[f] for f in MEMBER_FIELDS if f not in fields})
        status = rules.derived_status(merged)
        if status != old["status"]:
            row["status"] = status
            history.append(sync_values(site_id, now) | {
                "member_id": mid, "status": status, "changed_on": today,
                "destination": merged.floating_to, "note": "导入党员信息",
            })
    row.update(id=mid, version=old["version"] + 1, updated_at=now, updated_by_site=site_id)
    return row


def _write_updates(s: Session, changes: list[dict], history: list[dict], batch: str) -> None:
    if changes:
        audit.record_updates(s, Member, changes, "导入党员名册时按公民身份号码更新", batch)  # per-row before/after
        s.execute(sql_update(Member), changes)
    if history:
        s.execute(insert(MemberStatusChange.__table__), history)


def _standings(s: Session, member_ids: Sequence[str]) -> dict:
    """How plan() saw the members whose branch or status the import changes (few, as a rule), before it."""
    from desktop_app.services.meetings import planned  # the meetings package is big; most imports change no one

    return {mid: planned.standing_of(s, s.get(Member, mid)) for mid in member_ids}


def _follow_planned_meetings(s: Session, before: dict, today: date) -> None:
    """Members moved to another branch or out of the party by the file leave (or join) the 应到 of meetings
    still planned from today on, as the same change made on the roster page does."""
    if not before:
        return
    from desktop_app.services.meetings import planned

    for mid, standing in before.items():
        m = s.get(Member, mid)
        s.refresh(m)  # the UPDATE went past the session
        planned.follow_member(s, m, standing, today)


def _record(s: Session, added: int, updated: int, branches: Sequence[str], batch: str, now: datetime,
            outings: int = 0) -> None:
    # Core inserts and updates pass no ORM listener: one trail entry for the whole batch. It names the
    # batch (its updates' entries share it) and the instant every member it added was created at, which
    # is how reverting the batch finds them again without a list of ids kept anywhere. The branches it
    # created are few: their ids are kept, so that the revert can remove those left empty.
    audit.record(s, "import", "member", "", f"导入党员 {added + updated} 名（导入批次 {batch}）",
                 after={"added": added, "updated": updated, "branches_created": len(branches),
                        "batch": batch, "added_at": now.isoformat()}
                 | ({"branch_ids": list(branches)} if branches else {}) | ({"outings": outings} if outings else {}))


def import_members(
    db: Database,
    rows: list[MemberInput],
    update_existing: bool,
    create_branches: list[str],
    parent_org_id: str | None,
    fields: Collection[str] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Write rows that come from code (not a file) in one transaction.

    Creates the missing branches under `parent_org_id`, bulk-inserts new
    members and (with update_existing) updates members matched by ID number.
    Only the `fields` given are compared and written (default: all template
    fields). A row's org is its org_id, else its org_name, else `parent_org_id`.
    A file goes through preview_import() and apply_import() instead.
    """
    auth.require(db, "members.import")
    today = _today(today)
    fields = set(TEMPLATE_FIELDS if fields is None else fields) & set(MEMBER_FIELDS)
    cleaned: list[MemberInput] = []
    seen: dict[str, int] = {}
    for i, inp in enumerate(rows, start=1):
        clean, errors, _ = rules.check(inp, today)
        if errors:
            raise ValidationError(errors[0].field, f"第 {i} 条（{inp.name}）：{errors[0].message}")
        if clean.id_number in seen:
            raise ValidationError("公民身份号码", f"第 {i} 条与第 {seen[clean.id_number]} 条重复：{clean.id_number}")
        seen[clean.id_number] = i
        cleaned.append(clean)

    with UnitOfWork(db) as uow:
        s = uow.session
        _take_write_lock(s)
        site_id = uow.site_id
        now, batch = utcnow(), new_id()
        by_name = org_name_map(s)
        live_orgs = set(s.scalars(select(Organization.id).where(Organization.deleted.is_(False))))
        wanted = [n for n in dict.fromkeys(create_branches) if n.strip() and n.strip() not in by_name]
        created = _create_branches(s, wanted, parent_org_id)
        by_name.update(created)
        live_orgs.update(created.values())

        def org_of(inp: MemberInput) -> str | None:
            """The row's org; None when it names none (new members then go to parent_org_id)."""
            if inp.org_id:
                if inp.org_id not in live_orgs:
                    raise ValidationError("所在党支部", f"{inp.name}：所选党组织不存在或已删除")
                return inp.org_id
            if inp.org_name:
                if inp.org_name not in by_name and by_name.candidates(inp.org_name):
                    raise ValidationError("所在党支部", f"{inp.name}：有多个党组织名为“{inp.org_name}”："
                                          f"{by_name.candidates(inp.org_name)}，请写明路径或组织代码")
                if inp.org_name not in by_name:
                    raise ValidationError("所在党支部", f"{inp.name}：党组织“{inp.org_name}”不存在")
                return by_name[inp.org_name]
            return None

        existing = dict(
            s.execute(select(Member.id_number, Member.id).where(Member.deleted.is_(False))).all()
        )
        new: list[tuple[MemberInput, str | None]] = []
        matched: dict[str, MemberInput] = {}
        for inp in cleaned:
            org_id = org_of(inp)
            mid = existing.get(inp.id_number)
            if mid is not None:
                matched[mid] = replace(inp, org_id=org_id)
            else:
                new.append((inp, org_id or parent_org_id))
        added = _insert_checked(s, site_id, now, MemberBatch.of([inp for inp, _ in new]), [o for _, o in new])

        updated = unchanged = 0
        if matched and update_existing:
            stored = {d["id"]: d for d in _stored(s.connection(), Member.id, list(matched))}
            changes: list[dict] = []
            history: list[dict] = []
            for mid, inp in matched.items():
                diff = changed_fields(stored[mid], inp, fields)
                if diff:
                    changes.append(_update_values(mid, stored[mid], inp, diff, fields, site_id, now, today, history))
            updated, unchanged = len(changes), len(matched) - len(changes)
            _write_updates(s, changes, history, batch)
        _record(s, added, updated, list(created.values()), batch, now)
        uow.commit()
    return ImportResult(
        added=added,
        updated=updated,
        unchanged=unchanged,
        skipped_existing=0 if update_existing else len(matched),
        branches_created=tuple(created),
    )


_STORED_NAMES = ("id", "status", "version", *MEMBER_FIELDS)
_STORED_COLUMNS = [getattr(Member, n) for n in _STORED_NAMES]


LOOKUP_MAX = 5000  # members looked up by index without asking how big the roster is
SCAN_SHARE = 5  # the roster is read whole only when the file holds this many times its members or more


def _scan_instead(conn, wanted: int) -> bool | None:
    """How to find `wanted` members on the roster: None when the roster is empty (nothing to find), True when
    the roster is small beside that (a fifth of it or less: one sequential pass beats as many index lookups),
    else False (look them up). A file's numbers are looked up in one statement (dialect.conditions_in); a
    file of 100,000 previewed against a roster of (CPU, pass / lookups): 10,000, 1.35-1.37 / 1.38-1.39 s;
    30,000, 1.45-1.52 / 1.46-1.49 s; 60,000, 1.63-1.65 / 1.44-1.47 s; 100,000, 1.82-1.87 / 1.52-1.55 s.
    Deciding by the roster's size keeps a file added to a big roster at the cost of its own rows."""
    if wanted <= LOOKUP_MAX:
        return False
    # Counted only as far as the answer needs, not to the end: a file added to a big roster does not pay for
    # walking all of it (twice per import: preview, then the check before writing).
    most = wanted // SCAN_SHARE
    live = conn.execute(select(func.count()).select_from(
        select(Member.id).where(Member.deleted.is_(False)).limit(most + 1).subquery())).scalar()
    if not live:
        return None
    return live <= most


def _stored(conn, key: ColumnElement, values: Sequence[str]) -> list[dict]:
    wanted = set(values)
    how = _scan_instead(conn, len(wanted)) if wanted else None
    if how is None:
        return []
    if how:
        index = _STORED_NAMES.index(key.key)
        live = select(*_STORED_COLUMNS).where(Member.deleted.is_(False))
        return [dict(zip(_STORED_NAMES, r)) for r in conn.execute(live) if r[index] in wanted]
    out: list[dict] = []
    lookup = select(*_STORED_COLUMNS).where(Member.deleted.is_(False))
    for among in dialect.conditions_in(conn, key, wanted):
        out.extend(dict(zip(_STORED_NAMES, r)) for r in conn.execute(lookup.where(among)))
    return out


def _live_numbers(conn, numbers: Sequence[str]) -> set[str]:
    """Which of these ID numbers a live member holds."""
    wanted = set(numbers)
    how = _scan_instead(conn, len(wanted)) if wanted else None
    if how is None:
        return set()
    if how:
        return wanted.intersection(conn.scalars(select(Member.id_number).where(Member.deleted.is_(False))))
    taken: set[str] = set()
    lookup = select(Member.id_number).where(Member.deleted.is_(False))
    for among in dialect.conditions_in(conn, Member.id_number, wanted):
        taken.update(conn.scalars(lookup.where(among)))
    return taken


def stored_by_id_number(db: Database, id_numbers: Sequence[str]) -> dict[str, dict]:
    """Stored MEMBER_FIELDS (plus id, status, version) of live members, by ID number."""
    # Unmasked whole records, for an import preview: only for those who may import.
    auth.require(db, "members.import")
    with db.engine.connect() as conn:
        return {d["id_number"]: d for d in _stored(conn, Member.id_number, id_numbers)}


def changed_fields(stored: dict, inp: MemberInput, fields: Collection[str]) -> list[str]:
    """MemberInput fields whose value differs from the stored one.

    A seq of 0 or an org_id of None means "not given" and keeps what is stored.
    """
    out = []
    for f in MEMBER_FIELDS:
        if f not in fields:
            continue
        new = getattr(inp, f)
        if (f == "seq" and not new) or (f == "org_id" and new is None):
            continue
        if stored[f] != new:
            out.append(f)
    return out


# ---------------------------------------------------------------- a file: preview, then apply

def _resolve_orgs(sheet: member_files.MemberSheet, names, org_ids, row_errors: dict[int, list[RowError]]) -> list | None:
    """Each row's organisation id by its 所在党支部 (None: none, or a branch to create); each name looked up once."""
    if names is None:
        return None
    resolved: dict[str, str] = {}
    problems: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if name in org_ids:
            resolved[name] = org_ids[name]
        elif name and getattr(org_ids, "candidates", None) and org_ids.candidates(name):
            # Several organisations bear this name: the row must say which, by path or code.
            problems[name] = (f"有多个党组织名为“{name}”：{org_ids.candidates(name)}；"
                              "请写明路径（如 幸福里社区党委 / 第一网格党支部 / 第一党小组）或组织代码")
        elif name:  # a branch this import would create: its name must be usable
            try:
                org_rules.check_name(name)
            except ValidationError as exc:
                problems[name] = f"不能作为新党支部名称：{exc.message}"
    if problems:
        for i, name in enumerate(names):
            if name in problems:
                row_errors.setdefault(i, []).append(RowError(sheet.row_numbers[i], "所在党支部", name, problems[name]))
    return [resolved.get(name) for name in names]


def _check_rows(
    sheet: member_files.MemberSheet, org_ids, today: date
) -> tuple[list[int], dict[str, list], list[RowError], list[RowError], int]:
    """The rows that pass every check (indexes), every row's normalized values (columns), the errors and
    warnings, and how many rows failed. The rules run over columns (domain.members_bulk)."""
    row_errors = {i: list(errs) for i, errs in sheet.errors.items()}  # a row's later errors join its parse errors
    values = dict(sheet.values)
    for key in member_files.OUTING_KEYS:  # the 流出's start and details, not fields of the member record
        values.pop(key, None)
    names = values.get("org_name")
    from_sheet = branch_names.sheet_branch(sheet.sheet, sheet.sheets, names is not None)
    if from_sheet is not None:  # one sheet per branch: the sheet's name is its rows' 所在党支部
        names = [from_sheet] * len(sheet)
    said = branch_names.sheet_notes(sheet.sheet, sheet.sheets, from_sheet)
    if names is not None:
        names, spelt = branch_names.unify(names, org_ids, sheet.row_numbers)
        said += spelt
        values["org_name"] = names
    if (org_col := _resolve_orgs(sheet, names, org_ids, row_errors)) is not None:
        values["org_id"] = org_col
    n = len(sheet)
    if "category" not in sheet.fields:  # no 人员类别 column: each row's from its dates, not 正式党员 for all
        blank = [None] * n
        read = _categories_by_dates(values.get("joined_date") or blank, values.get("confirmed_date") or blank, today)
        values["category"] = [category for category, _ in read]
    clean, problems, notes = check_columns(values, n, today)
    del values
    ids, row_numbers = clean["id_number"], sheet.row_numbers
    if not row_errors and not problems and all(ids) and len(set(ids)) == n:
        # Every row passed and no ID number repeats (a clean file, the common case): no loop over the rows.
        warnings = said + [RowError(row_numbers[i], "", "", note) for i in sorted(notes) for note in notes[i]]
        return list(range(n)), clean, [], warnings, 0
    first_seen: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[RowError] = said
    good: list[int] = []
    for i in range(n):
        row_no = row_numbers[i]
        errs = row_errors.get(i)
        if i in problems:
            errs = errs if errs is not None else []
            failed = {e.field for e in errs}
            errs.extend(RowError(row_no, p.field, sheet.shown(p.field, i), p.message)
                        for p in problems[i] if p.field not in failed)  # a cell that did not parse is reported once
        number = ids[i]
        if number and not (errs and any(e.field == "公民身份号码" for e in errs)):
            if number in first_seen:
                errs = errs if errs is not None else []
                errs.append(RowError(row_no, "公民身份号码", number, f"与第 {first_seen[number]} 行重复"))
            else:
                first_seen[number] = row_no
        if errs:
            errors.extend(errs)
            continue
        if i in notes:
            warnings.extend(RowError(row_no, "", "", note) for note in notes[i])
        good.append(i)
    return good, clean, errors, warnings, n - len(good)


def _categories_by_dates(joined: Sequence, confirmed: Sequence, today: date) -> list[tuple[str, str]]:
    """rules.category_not_given() of each row, once per distinct pair of dates (a file repeats them); a cell
    that would not parse counts as blank (its row is an error already)."""
    seen: dict[tuple, tuple[str, str]] = {}
    out = []
    for pair in zip(joined, confirmed):
        if (got := seen.get(pair)) is None:
            got = seen[pair] = rules.category_not_given(*(d if isinstance(d, date) else None for d in pair), today)
        out.append(got)
    return out


def _said_of_categories(clean: dict[str, list], rows: Sequence[int], row_numbers: Sequence[int], today: date,
                        warnings: list[RowError]) -> tuple[list[RowError], tuple[int, ...]]:
    """A file with no 人员类别 column: the preview's warnings with each new member's category and why in them
    (the plain 未填转正日期 note gives way to the row that asks more), and the rows read as 预备党员."""
    said, asked, probationary = [], set(), []
    read = _categories_by_dates([clean["joined_date"][i] for i in rows], [clean["confirmed_date"][i] for i in rows],
                                today)
    for i, (category, why) in zip(rows, read):
        if why:
            said.append(RowError(row_numbers[i], "人员类别", "", why))
            if category == rules.PROBATIONARY:
                probationary.append(row_numbers[i])
            else:
                asked.add(row_numbers[i])
    kept = [w for w in warnings if not (w.row_number in asked and w.reason == rules.NO_CONFIRMED_DATE)]
    return sorted(kept + said, key=lambda w: w.row_number), tuple(probationary)


def preview_import(db: Database, path: str | Path, today: date | None = None, mapping=None,
                   sheet: str | None = None) -> ImportPreview:
    """Read and check a member file against the roster; writes nothing (`mapping`: see services.imports).
    `sheet` "全部工作表" (all_sheets.ALL_SHEETS) reads every sheet of a workbook whose header is a roster's."""
    # The preview compares the file with whole stored records: only for those who may import.
    auth.require(db, "members.import")
    path = Path(path)
    today = _today(today)
    with _no_cyclic_gc():
        if sheet == all_sheets.ALL_SHEETS:
            return all_sheets.preview(path, mapping, lambda read: _preview(db, path, today, mapping, read=read))
        return _preview(db, path, today, mapping, sheet)


def _preview(db: Database, path: Path, today: date, mapping=None, sheet_name: str | None = None,
             read: member_files.MemberSheet | None = None) -> ImportPreview:
    sheet = read or member_files.read_member_file(path, mapping, sheet_name)
    with db.session() as s:
        take_read_snapshot(s)  # organisations and members as of one moment, whoever commits meanwhile
        parent_org_id = _root_org_id(s)
        if parent_org_id is None:
            raise DomainError("本数据库还没有设置所属单位，请先完成初始化（dangqun init）再导入党员")
        org_ids = org_name_map(s)
        good, clean, errors, warnings, bad_rows = _check_rows(sheet, org_ids, today)
        since = outing_rows.cells(sheet)
        good, bad_rows = outing_rows.check_cells(sheet, clean, since, good, errors, bad_rows, today)
        ids = clean["id_number"]
        stored = {d["id_number"]: d for d in _stored(s.connection(), Member.id_number, [ids[i] for i in good])}
        away = outing_rows.open_outings(s) if stored and "is_floating" in sheet.fields else {}
    row_numbers = sheet.row_numbers
    fields = sheet.fields
    bad = {e.row_number for e in errors}  # a worker finds a bad row by its name as well as its number
    error_names = {no: sheet.shown("姓名", i) for i, no in enumerate(row_numbers) if no in bad} if bad else {}
    total, skipped, ignored, hidden = len(sheet), sheet.skipped, sheet.ignored_columns, (sheet.hidden, sheet.hidden_columns)
    file_columns = [c for c in member_files.TEMPLATE_COLUMNS if c in sheet.columns]
    del sheet  # the cells as written are no longer needed: the preview keeps the clean columns only

    org_col, name_col = clean["org_id"], clean["org_name"]
    new_branches = dict.fromkeys(name_col[i] for i in good if name_col[i] and not org_col[i])
    org_ids_used = frozenset(org_col[i] for i in good if org_col[i])
    adding = [i for i in good if ids[i] not in stored] if stored else good
    if len(adding) == total:
        add_columns = clean  # every row is new (a first import): the columns as they are
    else:
        add_columns = {f: [c[i] for i in adding] for f, c in clean.items()}
    # A row naming no branch goes under the unit itself (a blank 所在党支部 of a stored member keeps theirs).
    add_columns["org_id"] = [parent_org_id if not name else oid
                             for oid, name in zip(add_columns["org_id"], add_columns["org_name"])]
    to_add = MemberBatch(add_columns, len(adding))
    probationary: tuple[int, ...] = ()
    if "category" not in fields:  # only the new: a member on the roster keeps the category recorded
        warnings, probationary = _said_of_categories(clean, adding, row_numbers, today, warnings)
    outings: list[PlannedOuting] = []
    if "is_floating" in fields and any(clean["is_floating"]):
        outings.extend(outing_rows.planned(i, None, clean, since, row_numbers, today) for i in adding if outing_rows.goes_out(clean, i))

    to_update: list[tuple[str, MemberInput, list[str]]] = []
    planned: dict[str, PlannedUpdate] = {}
    unchanged = 0
    for i in good if stored else ():
        old = stored.get(ids[i])
        if old is None:
            continue
        inp = MemberInput(**{f: c[i] for f, c in clean.items()})
        if not inp.org_name:  # a blank 所在党支部 keeps the member where they are
            inp = replace(inp, org_id=old["org_id"])
        outing = away.get(old["id"])
        if outing is not None and "is_floating" in fields:
            # The open 流出 is 流动's truth: only its 返回 ends it (with its day), and a new 去向 is a new 流出.
            said = inp.is_floating, inp.floating_to
            inp = replace(inp, is_floating=old["is_floating"], floating_to=old["floating_to"])
            if said[0] and said[1] != outing[1]:
                warnings.append(RowError(row_numbers[i], "外出流向", said[1], (
                    f"{inp.name}已登记流出，去向为{outing[1]}：导入不改变它；去向变了请在“流动与失联”"
                    "对那条登记办理“返回/离开”后登记新的流出")))
            elif not said[0]:
                warnings.append(RowError(row_numbers[i], "是否为流动党员", "否", (
                    f"{inp.name}已登记流出（{outing[0].isoformat()} 起，{outing[1]}），尚未返回：导入不改变其流动状态；"
                    "已返回的请在“流动与失联”对那条登记办理“返回/离开”")))
        diff = changed_fields(old, inp, fields)
        if inp.org_name and not inp.org_id:
            diff.append("org_id")  # moves to a branch this import creates
        if diff:
            changed = tuple(dict.fromkeys(diff))
            to_update.append((old["id"], inp, [rules.FIELD_LABELS[f] for f in changed]))
            planned[old["id"]] = PlannedUpdate(old["id"], old["version"], old["status"], old, changed)
            if ("is_floating" in fields and outing is None and old["status"] not in rules.GONE_STATUSES
                    and outing_rows.goes_out(clean, i)):
                outings.append(outing_rows.planned(i, old["id"], clean, since, row_numbers, today))
        else:
            unchanged += 1
    return ImportPreview(
        path=path,
        columns=file_columns,
        ignored_columns=ignored,
        to_add=to_add,
        to_update=to_update,
        unchanged=unchanged,
        errors=errors,
        warnings=([RowError(k.row_number, "", k.text, f"{k.reason}，已跳过") for k in skipped] + warnings
                  + outing_rows.notes(outings)),
        new_branches=list(new_branches),
        parent_org_id=parent_org_id,
        total_rows=total,
        invalid_rows=bad_rows,
        fields=fields,
        planned=planned,
        org_ids=org_ids_used,
        outings=tuple(outings),
        read_as_probationary=probationary,
        error_names=error_names,
        hidden_rows=tuple(hidden[0]),
        hidden_columns=hidden[1],
    )


_STALE = "名册在预览之后已被修改（{what}），未导入任何数据。请重新选择文件预览后再导入。"


def _recheck(s: Session, preview: ImportPreview, branches: Sequence[str], update_existing: bool) -> None:
    """Inside the write transaction: is the roster still as the preview saw it?"""
    live_orgs = set(s.scalars(select(Organization.id).where(Organization.deleted.is_(False))))
    gone = preview.org_ids - live_orgs
    if preview.parent_org_id not in live_orgs:
        gone = gone | {preview.parent_org_id}
    if gone:
        raise Conflict(_STALE.format(what="有党组织已被删除"))
    if branches:
        by_name = org_name_map(s)
        if clash := [b for b in branches if b in by_name]:
            raise Conflict(_STALE.format(what=f"已有党组织“{clash[0]}”"))
    if preview.to_add:
        adding = _batch(preview)
        numbers = adding.column("id_number")
        if taken := _live_numbers(s.connection(), numbers):
            at = next(i for i, number in enumerate(numbers) if number in taken)
            raise Conflict(_STALE.format(what=f"{adding.column('name')[at]}（{numbers[at]}）已登记"))
    if update_existing and preview.planned:
        current: dict[str, int] = {}
        ids = list(preview.planned)
        for chunk in _chunks(ids):
            current.update(s.execute(
                select(Member.id, Member.version).where(Member.id.in_(chunk), Member.deleted.is_(False))
            ).all())
        if stale := next((p for p in preview.planned.values() if current.get(p.member_id) != p.version), None):
            raise Conflict(_STALE.format(what=f"{stale.stored['name']} 的信息已被修改或删除"))


def _batch(preview: ImportPreview) -> MemberBatch:
    """The members to add as columns (a preview made by code may hold a plain list)."""
    return preview.to_add if isinstance(preview.to_add, MemberBatch) else MemberBatch.of(preview.to_add)


def apply_import(
    db: Database, preview: ImportPreview, skip_invalid: bool = False, update_existing: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Write a previewed import in one transaction.

    With errors in the file nothing is written unless skip_invalid, which
    imports the good rows only. Members already on the roster are updated only
    with update_existing; rows that match the roster exactly are left alone.
    What is written is the preview's plan: if the roster has changed under it
    since, nothing is written (Conflict) and the file must be previewed again.
    """
    auth.require(db, "members.import")
    if preview.errors and not skip_invalid:
        raise DomainError(
            f"{preview.file_name}：有 {preview.invalid_rows} 行数据有误（共 {len(preview.errors)} 处），"
            "未导入任何数据。请改正后重新导入，或选择“跳过有误的行”。\n"
            + "\n".join(preview.error_lines(limit=20))
        )
    today = _today(today)
    updates = preview.to_update if update_existing else []
    adding = _batch(preview)
    used = {name for name, org_id in zip(adding.column("org_name"), adding.column("org_id")) if name and not org_id}
    used |= {inp.org_name for _, inp, _ in updates if inp.org_name and not inp.org_id}
    branches = [b for b in preview.new_branches if b in used]
    fields = set(preview.fields) & set(MEMBER_FIELDS)

    with UnitOfWork(db) as uow, _no_cyclic_gc():
        s = uow.session
        _take_write_lock(s)
        site_id = uow.site_id
        now, batch = utcnow(), new_id()
        _recheck(s, preview, branches, update_existing)
        created = _create_branches(s, branches, preview.parent_org_id)

        def org_of(inp: MemberInput) -> str | None:
            return inp.org_id or created.get(inp.org_name) or None

        named = adding.column("org_name")
        added = _insert_checked(s, site_id, now, adding, [
            org_id or created.get(name) or None for org_id, name in zip(adding.column("org_id"), named)
        ])
        changes: list[dict] = []
        history: list[dict] = []
        for mid, inp, _ in updates:
            plan = preview.planned[mid]
            if "org_id" in plan.changed and not inp.org_id:
                inp = replace(inp, org_id=org_of(inp))
            old = plan.stored | {"status": plan.status, "version": plan.version}
            changes.append(_update_values(mid, old, inp, plan.changed, fields, site_id, now, today, history))
        starts = {o.member_id: o.start_date for o in preview.outings if o.member_id}
        for h in history:  # 流动 from the 外出日期, as the 流出 registered with it says
            if h["status"] == rules.FLOATING and h["member_id"] in starts:
                h["changed_on"] = starts[h["member_id"]]
        moving = _standings(s, [c["id"] for c in changes if "org_id" in c or "status" in c])
        _write_updates(s, changes, history, batch)
        _follow_planned_meetings(s, moving, today)
        outings = outing_rows.register(s, preview, {c["id"] for c in changes}, batch, now, _STALE)
        _record(s, added, len(changes), list(created.values()), batch, now, outings)
        uow.commit()
    return ImportResult(
        added=added,
        updated=len(changes),
        unchanged=preview.unchanged,
        skipped_existing=0 if update_existing else len(preview.to_update),
        skipped_invalid=preview.invalid_rows,
        branches_created=tuple(created),
        outings=outings,
    )
