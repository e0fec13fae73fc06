"""Attendance import: preview a file (CSV, .xlsx, .xls or .ods) against the database, then apply that preview.

A row names its meeting by the number printed on the sheet (the whole number,
or without the site code: 2025-0007), the person by ID number or by name (a
name must be unambiguous: first among the meeting's own list, then the branch,
then the roster, or within the 所在党组织 the row names by code or path), and the
status 出席 / 请假 / 缺席 / 列席. Someone not on the roster may only be 列席. An
organisation named by a name several share (every branch has a 第一党小组) is
refused with the candidates' paths and codes.

`preview` writes nothing and lists every problem by row and column; `apply`
writes the preview's rows in one transaction (re-checking each meeting and
member inside it), or nothing when any row is wrong unless told to skip the
invalid rows. The file is read once.

What apply changes is kept as the roster import keeps its updates: one
"import_update" entry per changed row (an attendance's status, reason, 列席;
a meeting become held) with its values before and after, and a row it adds
(a walk-in, a guest) as one going from deleted to live, all under one batch
with audit_undo rows, so 操作记录 (撤销这次导入…, or dangqun audit revert
--batch) puts the meetings back as they were, refused by name for a row
changed since.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import inspect, select, update

from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import attendance as files
from desktop_app.services import auth
from desktop_app.services.database import Database
from desktop_app.services.meetings.attendance import people_index, record_many
from desktop_app.services.meetings.queries import get, resolve
from desktop_app.services.orgtree import org_name_map
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.base import SITE_KEY, new_id, utcnow
from desktop_app.store.models import Member, Organization
from desktop_app.store.models_meetings import Attendance, Meeting
from desktop_app.views.meetings import (
    AttendanceCheck, AttendanceEntry, AttendanceImportResult, BulkAttendance, MeetingDetail, PersonRef, RowError,
)

COLUMNS = files.COLUMNS
TEMPLATE_NAME = files.TEMPLATE_NAME
# Within a row, problems are listed in the order of the columns they are about.
_FIELD_ORDER = {"会议编号": 0, "出勤情况": 1, "请假原因": 2, "公民身份号码": 3, "姓名": 3, "所在党组织": 4}


class AttendanceImportError(DomainError):
    """The file has problems; nothing was written. `errors` lists them all."""

    def __init__(self, file_name: str, errors: list[RowError]):
        self.file_name = file_name
        self.errors = errors
        shown = "\n".join(e.message(file_name) for e in errors[:10])
        more = f"\n…… 另有 {len(errors) - 10} 处错误" if len(errors) > 10 else ""
        super().__init__(f"{file_name}：有 {len(errors)} 处错误，未导入任何记录\n{shown}{more}")


class _OrgNames:
    """Organisations named in the file: by code, by path (社区 / 支部 / 小组) or by a name only one bears."""

    def __init__(self, db: Database):
        auth.require(db, "meetings.read")
        with db.session() as s:
            self.lookup = org_name_map(s)
            self.parent = dict(s.execute(select(Organization.id, Organization.parent_id)
                                         .where(Organization.deleted.is_(False))).all())

    def resolve(self, text: str) -> tuple[str | None, str]:
        found = self.lookup.get(text)
        if found:
            return found, ""
        if self.lookup.candidates(text):
            return None, f"有几个党组织叫这个名字，请写路径（社区 / 支部 / 小组）或代码：{self.lookup.candidates(text)}"
        return None, "找不到这个党组织（可写代码，或路径 社区 / 支部 / 小组）"

    def within(self, org_id: str | None, root: str) -> bool:
        seen = set()
        while org_id is not None and org_id not in seen:
            if org_id == root:
                return True
            seen.add(org_id)
            org_id = self.parent.get(org_id)
        return False


class _People:
    """The roster by ID number and by name, read once per file."""

    def __init__(self, db: Database):
        self.by_id: dict[str, PersonRef] = {}
        self.by_name: dict[str, list[PersonRef]] = defaultdict(list)
        for p in people_index(db):
            self.by_id[p.id_number] = p
            self.by_name[p.name].append(p)


def preview(db: Database, path: str | Path, today: date | None = None) -> AttendanceCheck:
    """Read the file and check it against the database; writes nothing."""
    auth.require(db, "meetings.read")
    today = today or date.today()
    parsed = files.parse(path)
    with db.one_moment():  # the roster, the meetings and the organisations as of one moment
        return _check(db, parsed, today)


def _check(db: Database, parsed: files.AttendanceFile, today: date) -> AttendanceCheck:
    people = _People(db)
    org_names: _OrgNames | None = None
    meetings: dict[str, MeetingDetail | None] = {}  # number as written -> meeting
    bad: dict[str, str] = {}  # number as written -> why it cannot be used
    errors: list[RowError] = list(parsed.errors)
    flawed = {e.row_number for e in parsed.errors}
    entries: dict[str, list[AttendanceEntry]] = defaultdict(list)
    numbers: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    valid = 0

    for line in parsed.lines:
        row_no, name, status = line.row_number, line.name, line.status

        def fail(column: str, value: str, reason: str) -> None:
            errors.append(RowError(row_no, column, value, reason))

        before = len(errors)
        meeting = None
        if line.number:
            if line.number not in meetings:
                meetings[line.number], bad[line.number] = _meeting(db, line.number, today)
            if meetings[line.number] is None:
                fail("会议编号", line.number, bad[line.number])
            meeting = meetings[line.number]

        org_id = None
        if line.org:
            org_names = org_names or _OrgNames(db)
            org_id, problem = org_names.resolve(line.org)
            if problem:
                fail("所在党组织", line.org, problem)

        person: PersonRef | None = None
        guest_name = ""
        if line.id_number:
            person = people.by_id.get(line.id_number)
            if person is None:
                fail("公民身份号码", line.id_raw, "名册中没有这个号码的党员")
            elif name and name != person.name:
                fail("姓名", name, f"与公民身份号码不符（名册中该号码是{person.name}）")
            elif org_id and not org_names.within(person.org_id, org_id):
                fail("所在党组织", line.org, f"{person.name}不在这个党组织")
        elif name and not line.id_raw and org_id:
            person, problem = _by_name_in(people, name, org_names, org_id)
            if problem:
                fail("姓名", name, problem)
        elif name and not line.id_raw and not line.org:
            person, problem = _by_name(people, name, meeting)
            if problem:
                fail("姓名", name, problem)
            elif person is None:
                if status == rules.GUEST:
                    guest_name = name
                elif status:
                    fail("姓名", name, "名册中没有此人；不在名册中的人只能登记为列席")

        if len(errors) > before or row_no in flawed or meeting is None:
            continue
        who = person.member_id if person else f"guest:{guest_name}"
        if (meeting.id, who) in seen:
            fail("姓名", name or line.id_raw, f"与第 {seen[(meeting.id, who)]} 行重复（同一会议同一人）")
            continue
        seen[(meeting.id, who)] = row_no
        numbers[meeting.id] = meeting.number
        entries[meeting.id].append(AttendanceEntry(
            status=status, reason=line.reason if status == rules.LEAVE else "",
            member_id=person.member_id if person else None,
            guest_name=guest_name, guest_unit=line.unit if guest_name else "",
        ))
        valid += 1

    errors.sort(key=lambda e: (e.row_number, _FIELD_ORDER.get(e.field, 9)))
    batches = [BulkAttendance(mid, tuple(e)) for mid, e in entries.items()]
    return AttendanceCheck(parsed.path, batches, numbers, len(parsed.lines), valid, errors)


def _meeting(db: Database, number: str, today: date) -> tuple[MeetingDetail | None, str]:
    try:
        m = get(db, resolve(db, number))
    except DomainError as exc:
        return None, getattr(exc, "message", str(exc))
    if m.status == rules.CANCELLED:
        return None, "该会议已取消，不能登记出勤"
    if m.meeting_date > today:
        return None, f"会议日期 {m.meeting_date:%Y-%m-%d} 还没到，不能登记出勤"
    return m, ""


def _by_name(people: _People, name: str, meeting: MeetingDetail | None) -> tuple[PersonRef | None, str]:
    """The one member a name means: on the meeting's list, else in its branch, else on the roster."""
    if meeting is not None:
        listed = [a for a in meeting.attendees if a.name == name and a.member_id]
        if len(listed) == 1:
            return next((p for p in people.by_name.get(name, []) if p.member_id == listed[0].member_id),
                        PersonRef(listed[0].member_id, name, "", None)), ""
        if len(listed) > 1:
            return None, f"本次会议名单中有 {len(listed)} 名同名党员，请填写公民身份号码"
    everyone = people.by_name.get(name, [])
    if meeting is not None and meeting.branch_id:
        same_branch = [p for p in everyone if p.branch_id == meeting.branch_id]
        if len(same_branch) == 1:
            return same_branch[0], ""
        if len(same_branch) > 1:
            return None, f"{meeting.branch_name}有 {len(same_branch)} 名同名党员，请填写公民身份号码"
    if len(everyone) == 1:
        return everyone[0], ""
    if len(everyone) > 1:
        return None, f"名册中有 {len(everyone)} 名同名党员，请填写公民身份号码"
    return None, ""


def _by_name_in(people: _People, name: str, orgs: _OrgNames, root: str) -> tuple[PersonRef | None, str]:
    """The one member of that name in the named organisation (its 党小组 included)."""
    found = [p for p in people.by_name.get(name, []) if orgs.within(p.org_id, root)]
    if len(found) == 1:
        return found[0], ""
    if len(found) > 1:
        return None, f"该党组织有 {len(found)} 名同名党员，请填写公民身份号码"
    return None, "该党组织中没有此人"


def apply(db: Database, checked: AttendanceCheck, skip_invalid: bool = False, dry_run: bool = False,
          today: date | None = None) -> AttendanceImportResult:
    """Record a preview's rows in one transaction (each meeting becomes held).

    Any error and nothing is written, unless skip_invalid: then the good rows go
    in and the result lists the rows left out. The write re-checks every meeting
    (still there, not cancelled, not in the future) and member inside its transaction.
    """
    auth.require(db, "meetings.write")
    if checked.errors and not skip_invalid:
        raise AttendanceImportError(checked.path.name, checked.errors)
    if not dry_run and checked.batches:
        _record_kept(db, checked, today)
    return AttendanceImportResult(
        meetings=len(checked.batches), rows=checked.valid_rows,
        skipped_invalid=checked.invalid_rows if skip_invalid else 0,
        errors=tuple(checked.errors) if skip_invalid else (), dry_run=dry_run,
    )


_KEPT = {Attendance: ("status", "reason", "is_guest"), Meeting: ("status",)}  # what an attendance import changes


def _record_kept(db: Database, checked: AttendanceCheck, today: date | None) -> str:
    """record_many's changes in one unit of work, each kept with its values before (see the module); returns the batch."""
    auth.require(db, "meetings.write")
    with UnitOfWork(db) as uow:
        s = uow.session
        with s.no_autoflush:  # nothing reaches the database until the changes are read below
            record_many.__wrapped__(uow, checked.batches, today=today)
        changed: list[tuple[object, dict, dict, int]] = []
        for obj in [o for o in s.dirty if type(o) in _KEPT]:
            state = inspect(obj)
            before, after = {}, {}
            for name in _KEPT[type(obj)]:
                hist = state.attrs[name].history
                if hist.added and hist.deleted and hist.added[0] != hist.deleted[0]:
                    before[name], after[name] = hist.deleted[0], hist.added[0]
            version = state.committed_state.get("version", obj.version)
            s.expire(obj)  # written below past the ORM, so the trail holds one entry with its values before
            if before:
                changed.append((obj, before, after, version))
        added = [o for o in s.new if isinstance(o, Attendance)]
        s.flush()  # the rows it adds (a walk-in, a guest)
        batch, now, site = new_id(), utcnow(), s.info.get(SITE_KEY, "")
        note = f"导入出勤（{checked.path.name}，导入批次 {batch}）"
        labels = _labels(s, [o.id for o, *_ in changed if isinstance(o, Attendance)] + [a.id for a in added])
        entries = []
        for obj, before, after, version in changed:
            table = type(obj).__table__
            done = s.execute(update(table).where(table.c.id == obj.id, table.c.version == version)
                             .values(**after, version=table.c.version + 1, updated_at=now, updated_by_site=site))
            if done.rowcount != 1:
                raise DomainError("会议的出勤刚刚有人修改，未导入任何记录；请重新预览")
            label = labels.get(obj.id) or _meeting_label(s, obj.id)
            entries.append((audit.entry_row(s, audit.actor_of(s), audit.IMPORT_UPDATE, table.name, obj.id, label=label,
                                            before=before, after=after, note=note, now=now), before))
        for a in added:
            entries.append((audit.entry_row(s, audit.actor_of(s), audit.IMPORT_UPDATE, Attendance.__tablename__, a.id,
                                            label=labels.get(a.id, ""), before={"deleted": True},
                                            after={"deleted": False}, note=note, now=now), {}))
        if entries:
            audit.insert_chained(s, [e for e, _ in entries])
            audit.keep_undo(s, entries, batch)
        uow.commit()
    return batch


def _labels(s, ids: list[str]) -> dict[str, str]:
    """An attendance named as the worker knows it: the meeting's number and the person (2025-0007 张三)."""
    a, m, who = Attendance.__table__, Meeting.__table__, Member.__table__
    q = (select(a.c.id, m.c.number, who.c.name, a.c.guest_name).join(m, m.c.id == a.c.meeting_id)
         .outerjoin(who, who.c.id == a.c.member_id).where(a.c.id.in_(ids)))
    return {rid: f"{number} {name or guest}".strip() for rid, number, name, guest in s.execute(q)} if ids else {}


def _meeting_label(s, meeting_id: str) -> str:
    row = s.execute(select(Meeting.number, Meeting.kind).where(Meeting.id == meeting_id)).first()
    return f"{row.number} {row.kind}" if row else ""


def import_file(db: Database, path: str | Path, skip_invalid: bool = False, dry_run: bool = False,
                today: date | None = None) -> AttendanceImportResult:
    """Preview then apply, for the command line: `dangqun import attendance FILE`."""
    return apply(db, preview(db, path, today), skip_invalid=skip_invalid, dry_run=dry_run, today=today)


def write_template(db: Database, path: str | Path, meeting_ref: str | None = None) -> Path:
    """A file to fill in, .xlsx or .csv by the name's suffix (see exchange.attendance); with a meeting, its list."""
    auth.require(db, "meetings.read")
    meeting = get(db, resolve(db, meeting_ref)) if meeting_ref else None
    return files.write_template(path, meeting)
