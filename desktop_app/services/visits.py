"""走访 / 民情恳谈: log a visit fast, move its follow-up to a close, list what is overdue.

A visit records who went (party members, plus others by name), whom they saw
(a resident or household on record, or a name and place), what was raised and
its follow-up: 待处理 → 处理中 → 已解决 / 无需处理. Every move of the
follow-up is kept in visit_follow_up with who, when and how, so the record
shows the path as well as the end. A visit can become a 微实事 project; when
that project is completed, its open visits are closed with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import GONE_STATUSES
from desktop_app.domain.service_flow import FollowUpStep, ProjectInput, VisitInput
from desktop_app.services import auth, projects
from desktop_app.services.records import (
    OpenFilter, any_like, assign, chunked, given, live_children, live_in_grid, settle, tombstone_children, unchanged_since, within,
)
from desktop_app.services.residents import (
    NO_GRID, check_grid, grid_names, household_label, live, name_match, resident_place,
    text_terms,
)
from desktop_app.services.site import center_name, center_of
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.visit_steps import apply_step, close_for_project  # noqa: F401  close_for_project re-exported
from desktop_app.store.db import Database
from desktop_app.store.models import Household, Member, Organization, Resident
from desktop_app.store.models_service import Project, Visit, VisitFollowUp, VisitMember
from desktop_app.views.visits import FollowUpRow, MemberChoice, Scope, VisitDetail, VisitRow  # noqa: F401  re-exported

# ---------------------------------------------------------------- value types


@dataclass
class VisitFilter(OpenFilter):
    """`text`: visitee, content, place, visitor names, pinyin of the visitee; open: 待处理 or 处理中."""

    state: str | None = None  # one follow-up state
    form: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    member_id: str | None = None  # visits this member took part in
    # the 工作台's 反映问题 and 办结: visits that raised a problem; of those, the ones closed by `date_to`
    raised_only: bool = False
    closed_only: bool = False


# ---------------------------------------------------------------- reading


def _visitors(s, visit_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """visit id -> [(member id, name)] in the order they were added."""
    out: dict[str, list[tuple[str, str]]] = {}
    ids = list(visit_ids)
    for chunk in chunked(ids):
        q = (
            select(VisitMember.visit_id, Member.id, Member.name)
            .join(Member, Member.id == VisitMember.member_id)
            .where(VisitMember.visit_id.in_(chunk), VisitMember.deleted.is_(False))
            .order_by(VisitMember.created_at, Member.seq)
        )
        for vid, mid, name in s.execute(q):
            out.setdefault(vid, []).append((mid, name))
    return out


def _visitor_text(members: list[tuple[str, str]], other: str) -> str:
    return "、".join([n for _, n in members] + ([other] if other else []))


# Plain columns, not entities: building a thousand ORM objects costs more than the query.
_ROW_COLUMNS = (
    *(Visit.__table__.c[k] for k in (
        "id", "visit_date", "form", "grid_id", "visitee_name", "place", "other_visitors", "category", "content",
        "raised_issue", "follow_state", "handler", "due_date", "resolved_by", "resolved_on", "resolution",
        "project_id")),
    Household.building.label("h_building"), Household.unit.label("h_unit"), Household.room.label("h_room"),
    Household.address.label("h_address"),
)


def _rows(s, q, today: date) -> list[VisitRow]:
    found = list(s.execute(q))
    visitors = _visitors(s, [v.id for v in found])
    names = grid_names(s)
    out = []
    for v in found:
        address = household_label(v.h_building or "", v.h_unit or "", v.h_room or "", v.h_address or "") or v.place
        out.append(VisitRow(
            id=v.id, visit_date=v.visit_date, form=v.form, grid_id=v.grid_id,
            grid_name=names.get(v.grid_id or "", NO_GRID), visitee=v.visitee_name or v.place,
            address=address, visitors=_visitor_text(visitors.get(v.id, []), v.other_visitors),
            category=v.category, content=v.content, raised_issue=v.raised_issue,
            follow_state=v.follow_state, handler=v.handler, due_date=v.due_date,
            resolved_by=v.resolved_by, resolved_on=v.resolved_on, resolution=v.resolution,
            overdue=flow.is_overdue(v.follow_state, v.due_date, today), project_id=v.project_id,
        ))
    return out


def _conditions(flt: VisitFilter, today: date) -> list[ColumnElement]:
    c: list[ColumnElement] = [
        Visit.deleted.is_(False),
        *given((Visit.grid_id, flt.grid_id), (Visit.follow_state, flt.state), (Visit.category, flt.category),
               (Visit.form, flt.form)),
        *within(Visit.visit_date, flt.date_from, flt.date_to),
    ]
    c += flt.open_conditions(Visit.follow_state, flow.OPEN_STATES, Visit.due_date, today)
    if flt.raised_only or flt.closed_only:
        c.append(Visit.raised_issue.is_(True))
    if flt.closed_only:
        c += [Visit.follow_state.in_(flow.CLOSED_STATES), *within(Visit.resolved_on, None, flt.date_to)]
    if flt.member_id:
        c.append(Visit.id.in_(select(VisitMember.visit_id).where(
            VisitMember.member_id == flt.member_id, VisitMember.deleted.is_(False))))
    for term in text_terms(flt.text):
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        members = select(VisitMember.visit_id).join(Member, Member.id == VisitMember.member_id).where(
            VisitMember.deleted.is_(False),
            or_(*name_match(term, Member.name, Member.name_pinyin, Member.name_initials)),
        )
        c.append(or_(
            *any_like(term, Visit.visitee_name, Visit.content, Visit.place, Visit.other_visitors, Visit.resolution,
                      Household.address, Household.building + Household.unit + Household.room),
            Visit.category == term, Visit.resident_id.in_(residents), Visit.id.in_(members),
        ))
    return c


def list_visits(db: Database, flt: VisitFilter | None = None, today: date | None = None,
                oldest_first: bool = False) -> list[VisitRow]:
    """Visits matching `flt`, newest first (or oldest first, as a printed record lists them)."""
    flt = flt or VisitFilter()
    today = today or date.today()
    order = (Visit.visit_date, Visit.created_at) if oldest_first else (Visit.visit_date.desc(), Visit.created_at.desc())
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Household, Household.id == Visit.household_id)
        .where(*_conditions(flt, today))
        .where(auth.scoped(db, "visits.read", Visit.grid_id))
        .order_by(*order, Visit.id)
    )
    with db.engine.connect() as conn:
        return _rows(conn, q, today)


def find_visits(db: Database, text: str, limit: int = 20, today: date | None = None) -> list[VisitRow]:
    """Visits by whom they visited: the visitee's name, or the resident by pinyin too (查找); newest first.
    The list's search reads content, place and visitors as well."""
    terms = text_terms(text)
    if not terms:
        return []
    today = today or date.today()
    c: list[ColumnElement] = [Visit.deleted.is_(False)]
    for term in terms:
        residents = select(Resident.id).where(or_(*name_match(
            term, Resident.name, Resident.name_pinyin, Resident.name_initials)))
        c.append(or_(*any_like(term, Visit.visitee_name), Visit.resident_id.in_(residents)))
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Household, Household.id == Visit.household_id)
        .where(*c, auth.scoped(db, "visits.read", Visit.grid_id))
        .order_by(Visit.visit_date.desc(), Visit.created_at.desc(), Visit.id)
        .limit(limit)
    )
    with db.engine.connect() as conn:
        return _rows(conn, q, today)


def overdue(db: Database, today: date | None = None, grid_id: str | None = None) -> list[VisitRow]:
    """Open follow-ups past their due date, the longest overdue first."""
    today = today or date.today()
    q = (
        select(*_ROW_COLUMNS)
        .outerjoin(Household, Household.id == Visit.household_id)
        .where(*_conditions(VisitFilter(grid_id=grid_id, overdue_only=True), today))
        .where(auth.scoped(db, "visits.read", Visit.grid_id))
        .order_by(Visit.due_date, Visit.visit_date, Visit.id)
    )
    with db.engine.connect() as conn:
        return _rows(conn, q, today)


def _writable(db: Database, s: Session, visit_id: str) -> Visit:
    """The live visit, refused unless the user may write in its grid."""
    return live_in_grid(db, s, Visit, visit_id, "走访记录", "visits.write")


def _detail(s: Session, v: Visit, today: date) -> VisitDetail:
    members = _visitors(s, [v.id]).get(v.id, [])
    history = s.scalars(
        select(VisitFollowUp).where(VisitFollowUp.visit_id == v.id, VisitFollowUp.deleted.is_(False))
        .order_by(VisitFollowUp.on_date, VisitFollowUp.created_at)
    ).all()
    household = s.get(Household, v.household_id) if v.household_id else None
    project = s.get(Project, v.project_id) if v.project_id else None
    return VisitDetail(
        visit_date=v.visit_date, form=v.form, member_ids=tuple(m for m, _ in members),
        other_visitors=v.other_visitors, household_id=v.household_id, resident_id=v.resident_id,
        visitee_name=v.visitee_name, grid_id=v.grid_id, place=v.place, category=v.category,
        content=v.content, raised_issue=v.raised_issue, handler=v.handler, due_date=v.due_date,
        recorder=v.recorder, notes=v.notes,
        id=v.id, follow_state=v.follow_state, resolved_by=v.resolved_by, resolved_on=v.resolved_on,
        resolution=v.resolution, project_id=v.project_id,
        project_name=project.name if project and not project.deleted else "",
        grid_name=grid_names(s).get(v.grid_id or "", NO_GRID),
        address=household_label(household.building, household.unit, household.room, household.address)
        if household else v.place,
        visitor_names=tuple(n for _, n in members) + ((v.other_visitors,) if v.other_visitors else ()),
        overdue=flow.is_overdue(v.follow_state, v.due_date, today),
        history=tuple(FollowUpRow(h.from_state, h.to_state, h.on_date, h.by, h.note) for h in history),
        version=v.version, updated_at=v.updated_at,
    )


def get_visit(db: Database, visit_id: str, today: date | None = None) -> VisitDetail:
    with db.session() as s:
        v = live_in_grid(db, s, Visit, visit_id, "走访记录", "visits.read")
        return _detail(s, v, today or date.today())


def member_choices(db: Database, text: str = "", limit: int = 30) -> list[MemberChoice]:
    """Members still on the roster who may go on a visit, by name, pinyin or initials."""
    auth.require(db, "members.read")
    q = (
        select(Member.id, Member.name, Organization.name)
        .outerjoin(Organization, Organization.id == Member.org_id)
        .where(Member.deleted.is_(False), Member.status.not_in(GONE_STATUSES))
    )
    for term in text_terms(text):
        q = q.where(or_(*name_match(term, Member.name, Member.name_pinyin, Member.name_initials)))
    q = q.order_by(Member.name_pinyin, Member.seq).limit(limit)
    with db.session() as s:
        return [MemberChoice(i, n, o or "") for i, n, o in s.execute(q)]


def members_by_id(db: Database, ids: Sequence[str]) -> list[MemberChoice]:
    auth.require(db, "members.read")
    if not ids:
        return []
    with db.session() as s:
        found = {
            i: MemberChoice(i, n, o or "")
            for i, n, o in s.execute(
                select(Member.id, Member.name, Organization.name)
                .outerjoin(Organization, Organization.id == Member.org_id)
                .where(Member.id.in_(list(ids)), Member.deleted.is_(False))
            )
        }
    return [found[i] for i in ids if i in found]


def last_visitors(db: Database) -> tuple[list[MemberChoice], str]:
    """Who went on the most recently logged visit: a grid worker's default companions."""
    auth.require(db, "members.read")
    with db.session() as s:
        last = s.scalars(
            select(Visit).where(Visit.deleted.is_(False), auth.scoped(db, "visits.read", Visit.grid_id))
            .order_by(Visit.created_at.desc()).limit(1)
        ).first()
        if last is None:
            return [], ""
        ids = [m for m, _ in _visitors(s, [last.id]).get(last.id, [])]
        other = last.other_visitors
    return members_by_id(db, ids), other


# ---------------------------------------------------------------- writing


def _check_members(s: Session, ids: Sequence[str]) -> None:
    if not ids:
        return
    found = set(s.scalars(select(Member.id).where(Member.id.in_(list(ids)), Member.deleted.is_(False))))
    if missing := [i for i in ids if i not in found]:
        raise ValidationError("走访党员", f"有 {len(missing)} 名走访党员不存在或已删除")


def _place(s: Session, clean: VisitInput) -> tuple[str | None, str | None, str | None, str]:
    """(resident id, household id, grid id, visitee name) from what the form chose."""
    if clean.resident_id or clean.household_id:
        resident, household, grid, name = resident_place(s, clean.resident_id, clean.household_id)
        return (resident.id if resident else None, household.id if household else None,
                grid or check_grid(s, clean.grid_id), clean.visitee_name or name)
    return None, None, check_grid(s, clean.grid_id), clean.visitee_name


def _set_members(s: Session, v: Visit, ids: Sequence[str]) -> None:
    current = {
        row.member_id: row
        for row in s.scalars(live_children(VisitMember, VisitMember.visit_id, v.id))
    }
    for mid, row in current.items():
        if mid not in ids:
            row.deleted = True
    for mid in ids:
        if mid not in current:
            s.add(VisitMember(visit_id=v.id, member_id=mid))


def _visitor_names(s: Session, clean: VisitInput) -> str:
    names = dict(s.execute(select(Member.id, Member.name).where(Member.id.in_(list(clean.member_ids)))).all())
    return "、".join([names[m] for m in clean.member_ids if m in names] + ([clean.other_visitors] if clean.other_visitors else []))


def log_visit(
    db: Database, inp: VisitInput, solved_how: str = "", solved_by: str = "", today: date | None = None,
) -> VisitDetail:
    """Record a visit in one go.

    Nothing raised: the follow-up is closed as 无需处理 at once. A problem
    answered on the spot (`solved_how`): closed as 已解决 by `solved_by` (the
    visitors by default) on the visit's day. Otherwise it waits as 待处理.
    """
    today = today or date.today()
    clean = flow.check_visit(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        _check_members(s, clean.member_ids)
        auth.require(db, "visits.write", grid_id=_place(s, clean)[2])
        v = add_visit(s, clean, solved_how, solved_by, None, today)
        return settle(uow, _detail, v, today)


def add_visit(s: Session, clean: VisitInput, solved_how: str, solved_by: str, solved_on: date | None,
              today: date) -> Visit:
    """Write a checked visit (members checked, grid allowed) with its first follow-up steps, as
    log_visit() describes, in the caller's unit of work; `solved_on`: the day it was solved, else
    the visit's day. The visits import writes its rows through here too."""
    resident_id, household_id, grid_id, visitee = _place(s, clean)
    v = Visit(
        visit_date=clean.visit_date, form=clean.form, grid_id=grid_id, household_id=household_id,
        resident_id=resident_id, visitee_name=visitee, place=clean.place,
        other_visitors=clean.other_visitors, category=clean.category, content=clean.content,
        raised_issue=clean.raised_issue, follow_state="", handler=clean.handler,
        due_date=clean.due_date, resolved_by="", resolution="", recorder=clean.recorder,
        notes=clean.notes,
    )
    s.add(v)
    s.flush()
    _set_members(s, v, clean.member_ids)
    visitors = _visitor_names(s, clean)
    apply_step(s, v, FollowUpStep(flow.PENDING, clean.recorder or visitors, clean.visit_date, "登记"))
    if not clean.raised_issue:
        apply_step(s, v, flow.check_follow_up(
            flow.PENDING, flow.NO_ACTION, visitors, clean.visit_date, flow.NOTHING_RAISED,
            clean.visit_date, today))
    elif solved_how.strip():
        apply_step(s, v, flow.check_follow_up(
            flow.PENDING, flow.SOLVED, solved_by or visitors, solved_on or clean.visit_date, solved_how,
            clean.visit_date, today))
    return v


def update_visit(db: Database, visit_id: str, inp: VisitInput, today: date | None = None,
                 expected_version: int | None = None) -> VisitDetail:
    """Correct a visit's record. Its follow-up moves only by move_follow_up(), except that
    unticking 反映问题 closes an open follow-up as 无需处理 and ticking it again reopens one
    that was closed for that reason. `expected_version`: the version the form was read at;
    a visit changed since is refused."""
    today = today or date.today()
    clean = flow.check_visit(inp, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        v = _writable(db, s, visit_id)
        unchanged_since(s, v, expected_version, f"走访 {v.visitee_name} {v.visit_date.isoformat()}")
        _check_members(s, clean.member_ids)
        resident_id, household_id, grid_id, visitee = _place(s, clean)
        auth.require(db, "visits.write", grid_id=grid_id)  # and the grid it moves to
        if v.resolved_on is not None and clean.visit_date > v.resolved_on:
            raise ValidationError("走访日期", f"不能晚于办结日期（{v.resolved_on.isoformat()}）")
        values = {
            "visit_date": clean.visit_date, "form": clean.form, "grid_id": grid_id,
            "household_id": household_id, "resident_id": resident_id, "visitee_name": visitee,
            "place": clean.place, "other_visitors": clean.other_visitors, "category": clean.category,
            "content": clean.content, "raised_issue": clean.raised_issue, "handler": clean.handler,
            "due_date": clean.due_date, "recorder": clean.recorder, "notes": clean.notes,
        }
        was_raised = v.raised_issue
        assign(v, values)
        _set_members(s, v, clean.member_ids)
        visitors = _visitor_names(s, clean)
        if was_raised and not clean.raised_issue and v.follow_state in flow.OPEN_STATES:
            apply_step(s, v, flow.check_follow_up(
                v.follow_state, flow.NO_ACTION, visitors, today, flow.NOTHING_RAISED, clean.visit_date, today))
        elif not was_raised and clean.raised_issue and v.follow_state == flow.NO_ACTION:
            apply_step(s, v, flow.check_follow_up(
                v.follow_state, flow.IN_PROGRESS, clean.handler or visitors, today,
                "更正：走访中反映了需要跟进的问题", clean.visit_date, today))
        return settle(uow, _detail, v, today)


def move_follow_up(
    db: Database, visit_id: str, target: str, by: str, on: date | None, how: str = "",
    today: date | None = None,
) -> VisitDetail:
    """待处理 → 处理中 → 已解决 / 无需处理 (or reopen a closed one); closing needs who, when and how."""
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        v = _writable(db, s, visit_id)
        step = flow.check_follow_up(v.follow_state, target, by, on, how, v.visit_date, today)
        apply_step(s, v, step)
        return settle(uow, _detail, v, today)


def delete_visit(db: Database, visit_id: str) -> None:
    """Tombstone a visit with its visitor links and follow-up history."""
    with UnitOfWork(db) as uow:
        s = uow.session
        v = _writable(db, s, visit_id)
        tombstone_children(s, v.id, VisitMember.visit_id, VisitFollowUp.visit_id)
        v.deleted = True
        uow.commit()


def to_project(db: Database, visit_id: str, inp: ProjectInput, today: date | None = None):
    """Turn a visit's problem into a 微实事 project; the visit moves to 处理中 and points at it.

    Returns the new project's detail (services.projects.ProjectDetail).
    """
    auth.require(db, "projects.write")
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        v = _writable(db, s, visit_id)
        if v.project_id:
            p = s.get(Project, v.project_id)
            if p is not None and not p.deleted:
                raise ValidationError("项目", f"该走访已转为项目“{p.name}”")
        if v.follow_state not in flow.OPEN_STATES:
            raise ValidationError("办理状态", f"“{v.follow_state}”的走访不需要再转为项目")
        grid = inp.grid_id or v.grid_id
        clean = flow.check_project(ProjectInput(**{**{f.name: getattr(inp, f.name) for f in fields(ProjectInput)},
                                                   "grid_id": grid}))
        project = projects.new_project(s, clean, today)
        projects.add_concerned(s, project, v.resident_id, v.household_id, v.visitee_name or v.place,
                               f"{v.visit_date.isoformat()} {v.form}反映：{v.content[:150]}")
        v.project_id = project.id
        if v.follow_state == flow.PENDING:
            apply_step(s, v, flow.check_follow_up(
                v.follow_state, flow.IN_PROGRESS, clean.owner_name, max(today, v.visit_date),
                f"转为微实事项目“{clean.name}”（{project.project_no}）", v.visit_date, today))
        return settle(uow, projects.detail_of, project, today)


def link_to_project(db: Database, visit_id: str, project_id: str | None, today: date | None = None) -> VisitDetail:
    """Attach a visit to an existing project (several residents raised the same streetlight), or detach it."""
    auth.require(db, "projects.write")
    today = today or date.today()
    with UnitOfWork(db) as uow:
        s = uow.session
        v = _writable(db, s, visit_id)
        if project_id:
            p = live(s, Project, project_id, "项目")
            v.project_id = p.id
            if v.follow_state == flow.PENDING:
                apply_step(s, v, flow.check_follow_up(
                    v.follow_state, flow.IN_PROGRESS, p.owner_name, max(today, v.visit_date),
                    f"并入微实事项目“{p.name}”（{p.project_no}）", v.visit_date, today))
        else:
            v.project_id = None
        return settle(uow, _detail, v, today)


# ---------------------------------------------------------------- printing


def print_visit_register(db: Database, out: Path, flt: VisitFilter | None = None, *, today: date | None = None,
                         progress: Callable[[int], None] | None = None) -> int:
    """走访记录表 of the visits matching `flt`, oldest first, to `out`. Returns the visits printed."""
    from desktop_app.reports.visit import render_visit_register  # reportlab loads only when printing

    flt = flt or VisitFilter()
    if flt.grid_id:
        auth.require(db, "visits.read", grid_id=flt.grid_id)
    today = today or date.today()
    rows = list_visits(db, flt, today, oldest_first=True)
    with db.session() as s:
        grid_name = grid_names(s).get(flt.grid_id, "") if flt.grid_id else ""
        visitor = s.get(Member, flt.member_id) if flt.member_id else None
        center = center_name(s)
    render_visit_register(center, rows, out, _scope(flt, grid_name, visitor.name if visitor else ""), today,
                          progress=progress)
    return len(rows)


# The list's state choices that are flags rather than one follow-up state, as the list names them.
_STATE_FLAGS = (("overdue_only", "逾期"), ("open_only", "未办结"), ("raised_only", "反映问题"), ("closed_only", "已办结"))


def _scope(flt: VisitFilter, grid_name: str, visitor: str) -> Scope:
    """Everything `flt` narrows the register by, for the line under its title."""
    state = flt.state or next((label for attr, label in _STATE_FLAGS if getattr(flt, attr)), "")
    return Scope(flt.date_from, flt.date_to, grid_name, keyword=flt.text, category=flt.category or "",
                 state=state, form=flt.form or "", visitor=visitor)


def print_visit_forms(db: Database, out: Path, visit_ids: Sequence[str], *, today: date | None = None,
                      progress: Callable[[int], None] | None = None) -> int:
    """One 走访记录表 form per visit (to file, or for the resident to sign). Returns the visits printed."""
    from desktop_app.reports.visit import render_visit_forms

    auth.require(db, "visits.read")
    today = today or date.today()
    details = [get_visit(db, vid, today) for vid in visit_ids]  # each checks the visit's grid
    render_visit_forms(center_of(db), details, out, today, progress=progress)
    return len(details)
