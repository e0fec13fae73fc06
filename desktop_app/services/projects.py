"""微实事 / 项目清单: projects with an owner (项目经理), residents concerned, milestones, budget and cost.

Budget and actual cost are integer fen. The actual cost (实际支出) is typed in here;
the ledger books its vouchers against a project through LedgerEntry.project_id
(services.project_costs), and the list and detail carry their sum (已记账) beside it.

Completing a project closes the visits that were turned into it or joined to
it (services.visit_steps.close_for_project), so "problems solved" counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import MilestoneInput, ProjectInput
from desktop_app.services import auth
from desktop_app.services.project_costs import booked_rows, booked_totals
from desktop_app.services.records import (
    OpenFilter, any_like, assign, chosen, chunked, given, in_year, live_children, next_year_number, over_children,
    settle, tombstone_children, unchanged_since, within, writes,
)
from desktop_app.services.residents import check_grid, grid_names, live, resident_place, text_terms
from desktop_app.services.uow import UnitOfWork
from desktop_app.services.visit_steps import close_for_project
from desktop_app.store.db import Database
from desktop_app.store.models import Member
from desktop_app.store.models_service import Project, ProjectMilestone, ProjectResident, Visit
from desktop_app.views.projects import (  # noqa: F401  re-exported
    ConcernedRow, LinkedVisit, MilestoneRow, ProjectDetail, ProjectRow,
)

PREFIX = "XM"  # 项目编号 XM2024-001
COMMUNITY_WIDE = "全社区"

# ---------------------------------------------------------------- value types


@dataclass
class ProjectFilter(OpenFilter):
    """Open: 待启动 or 实施中."""

    status: str | None = None
    completed_from: date | None = None
    completed_to: date | None = None
    year: int | None = None  # started, due or completed in this year


# ---------------------------------------------------------------- session-level helpers (also used by visits)


def new_project(s: Session, clean: ProjectInput, today: date) -> Project:
    """Insert a checked project as 待启动 (实施中 when its start date has come)."""
    grid = check_grid(s, clean.grid_id)
    owner_id = _check_owner(s, clean.owner_member_id)
    number = next_year_number(s, Project.project_no, PREFIX, (clean.start_date or today).year)
    started = clean.start_date is not None and clean.start_date <= today
    p = Project(
        project_no=number,
        **{f.name: getattr(clean, f.name) for f in fields(ProjectInput) if f.name not in ("grid_id", "owner_member_id")},
        grid_id=grid, owner_member_id=owner_id,
        status=flow.PROJECT_ACTIVE if started else flow.PROJECT_PLANNED, status_note="",
    )
    s.add(p)
    s.flush()
    return p


def add_concerned(s: Session, p: Project, resident_id: str | None, household_id: str | None,
                  name: str, note: str = "") -> ProjectResident:
    if resident_id or household_id:
        resident, household, _grid, found = resident_place(s, resident_id, household_id)
        resident_id = resident.id if resident else None
        household_id = household.id if household else None
        name = name or found
    name = flow.required(name, "涉及居民", "请选择居民或填写姓名", 60)
    row = ProjectResident(project_id=p.id, resident_id=resident_id, household_id=household_id,
                          name=name, note=flow.optional(note, "诉求说明", 200))
    s.add(row)
    return row


def _check_owner(s: Session, member_id: str | None) -> str | None:
    if not member_id:
        return None
    m = chosen(s, Member, member_id, "项目经理", "党员")
    return m.id


def detail_of(s: Session, p: Project, today: date) -> ProjectDetail:
    milestones = s.scalars(
        live_children(ProjectMilestone, ProjectMilestone.project_id, p.id)
        .order_by(ProjectMilestone.sort_order, ProjectMilestone.created_at)
    ).all()
    concerned = s.scalars(
        live_children(ProjectResident, ProjectResident.project_id, p.id)
        .order_by(ProjectResident.created_at)
    ).all()
    visits = s.scalars(
        live_children(Visit, Visit.project_id, p.id).order_by(Visit.visit_date)
    ).all()
    costs = tuple(booked_rows(s, [p.id]).get(p.id, ()))
    return ProjectDetail(
        **{f.name: getattr(p, f.name) for f in fields(ProjectInput)},
        id=p.id, project_no=p.project_no, status=p.status, status_note=p.status_note,
        completed_on=p.completed_on, grid_name=grid_names(s).get(p.grid_id or "", COMMUNITY_WIDE),
        overdue=flow.is_project_overdue(p.status, p.deadline, today),
        milestones=tuple(
            MilestoneRow(m.id, m.title, m.due_date, m.done_on, m.note,
                         m.done_on is None and m.due_date is not None and m.due_date < today, m.version)
            for m in milestones
        ),
        concerned=tuple(ConcernedRow(c.id, c.resident_id, c.household_id, c.name, c.note) for c in concerned),
        visits=tuple(LinkedVisit(v.id, v.visit_date, v.visitee_name or v.place, v.content, v.follow_state)
                     for v in visits),
        costs=costs, booked_fen=sum(c.amount_fen for c in costs if not c.reversed),
        version=p.version, updated_at=p.updated_at,
    )


# ---------------------------------------------------------------- reading


def _conditions(flt: ProjectFilter, today: date) -> list[ColumnElement]:
    c: list[ColumnElement] = [
        Project.deleted.is_(False),
        *given((Project.status, flt.status), (Project.category, flt.category), (Project.grid_id, flt.grid_id)),
        *within(Project.completed_on, flt.completed_from, flt.completed_to),
        *in_year(flt.year, Project.start_date, Project.deadline, Project.completed_on),
    ]
    c += flt.open_conditions(Project.status, flow.PROJECT_OPEN, Project.deadline, today)
    for term in text_terms(flt.text):
        c.append(or_(*any_like(term, Project.name, Project.project_no, Project.owner_name, Project.description,
                               Project.category)))
    return c


def list_projects(db: Database, flt: ProjectFilter | None = None, today: date | None = None) -> list[ProjectRow]:
    """Projects matching `flt`: open ones by deadline first, then the finished ones, latest first."""
    auth.require(db, "projects.read")
    flt = flt or ProjectFilter()
    today = today or date.today()
    q = select(Project).where(*_conditions(flt, today)).order_by(
        Project.status.not_in(flow.PROJECT_OPEN), Project.deadline.is_(None), Project.deadline,
        Project.completed_on.desc(), Project.project_no,
    )
    with db.session() as s:
        found = list(s.scalars(q))
        counts: dict[str, tuple[int, int]] = {}
        ids = [p.id for p in found]
        for chunk in chunked(ids):
            for pid, total, done in s.execute(
                select(ProjectMilestone.project_id, func.count(), func.count(ProjectMilestone.done_on))
                .where(ProjectMilestone.project_id.in_(chunk), ProjectMilestone.deleted.is_(False))
                .group_by(ProjectMilestone.project_id)
            ):
                counts[pid] = (done, total)
        names = grid_names(s)
        booked = booked_totals(s, ids)
        return [
            ProjectRow(
                id=p.id, project_no=p.project_no, name=p.name, category=p.category, grid_id=p.grid_id,
                grid_name=names.get(p.grid_id or "", COMMUNITY_WIDE), owner_name=p.owner_name,
                budget_fen=p.budget_fen, actual_cost_fen=p.actual_cost_fen, start_date=p.start_date,
                deadline=p.deadline, completed_on=p.completed_on, status=p.status,
                overdue=flow.is_project_overdue(p.status, p.deadline, today),
                milestones_done=counts.get(p.id, (0, 0))[0], milestones_total=counts.get(p.id, (0, 0))[1],
                booked_fen=booked.get(p.id, 0),
            )
            for p in found
        ]


def overdue_projects(db: Database, today: date | None = None) -> list[ProjectRow]:
    auth.require(db, "projects.read")
    return list_projects(db, ProjectFilter(overdue_only=True), today)


def completed_projects(db: Database, date_from: date | None = None, date_to: date | None = None,
                       today: date | None = None) -> list[ProjectRow]:
    auth.require(db, "projects.read")
    rows = list_projects(db, ProjectFilter(status=flow.PROJECT_DONE, completed_from=date_from,
                                           completed_to=date_to), today)
    return sorted(rows, key=lambda r: (r.completed_on or date.min, r.project_no), reverse=True)


def get_project(db: Database, project_id: str, today: date | None = None) -> ProjectDetail:
    auth.require(db, "projects.read")
    with db.session() as s:
        return detail_of(s, live(s, Project, project_id, "项目"), today or date.today())


def default_owner(db: Database, grid_id: str | None) -> str:
    """项目经理 to suggest: the last one named for this grid's projects, else for any project.

    A branch keeps the same secretary for years, so after the first project the
    form offers the secretary without anyone retyping the name.
    """
    auth.require(db, "projects.read")
    with db.session() as s:
        q = select(Project.owner_name).where(Project.deleted.is_(False), Project.owner_name != "")
        q = q.order_by(Project.created_at.desc()).limit(1)
        if grid_id:
            found = s.scalar(q.where(Project.grid_id == grid_id))
            if found:
                return found
        return s.scalar(q) or ""


# ---------------------------------------------------------------- writing


@writes("projects.write")
def create_project(uow: UnitOfWork, inp: ProjectInput, today: date | None = None) -> ProjectDetail:
    today = today or date.today()
    clean = flow.check_project(inp)
    s = uow.session
    p = new_project(s, clean, today)
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def update_project(uow: UnitOfWork, project_id: str, inp: ProjectInput, today: date | None = None,
                   expected_version: int | None = None) -> ProjectDetail:
    """Save edited fields; the status moves only by change_status().

    `expected_version`: the version the form was read at; a project changed since is refused."""
    today = today or date.today()
    clean = flow.check_project(inp)
    s = uow.session
    p = live(s, Project, project_id, "项目")
    unchanged_since(s, p, expected_version, f"项目 {p.name}")
    clean = replace(clean, grid_id=check_grid(s, clean.grid_id),
                    owner_member_id=_check_owner(s, clean.owner_member_id))
    if p.completed_on and clean.start_date and clean.start_date > p.completed_on:
        raise ValidationError("开始日期", f"不能晚于完成日期（{p.completed_on.isoformat()}）")
    assign(p, {f.name: getattr(clean, f.name) for f in fields(ProjectInput)})
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def change_status(uow: UnitOfWork, project_id: str, target: str, on: date | None, note: str = "",
                  actual_cost_fen: int | None = None, today: date | None = None) -> ProjectDetail:
    """待启动 → 实施中 → 已完成 (or 已终止; a finished project can be reopened with a reason).

    Completing records the date (and the final cost, when given) and closes the
    project's open visits as 已解决.
    """
    today = today or date.today()
    s = uow.session
    p = live(s, Project, project_id, "项目")
    step = flow.check_project_move(p.status, target, on, p.start_date, today, note)
    p.status, p.status_note = step.status, step.note
    if step.status == flow.PROJECT_ACTIVE and (p.start_date is None or p.start_date > step.on):
        p.start_date = step.on  # started now, or earlier than planned
    if step.status == flow.PROJECT_DONE:
        p.completed_on = step.on
        if actual_cost_fen is not None:
            p.actual_cost_fen = flow.check_fen(actual_cost_fen, "实际支出")
        close_for_project(s, p, step.on, today)
    else:
        p.completed_on = None
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def delete_project(uow: UnitOfWork, project_id: str) -> None:
    """Tombstone a project with its milestones and concerned residents; its visits are let go
    (they keep their follow-up state and lose the link)."""
    s = uow.session
    p = live(s, Project, project_id, "项目")
    tombstone_children(s, p.id, ProjectMilestone.project_id, ProjectResident.project_id)
    for v in s.scalars(select(Visit).where(Visit.project_id == p.id)):
        v.project_id = None
    p.deleted = True


@writes("projects.write")
def add_milestone(uow: UnitOfWork, project_id: str, inp: MilestoneInput, today: date | None = None) -> ProjectDetail:
    today = today or date.today()
    clean = flow.check_milestone(inp, today)
    s = uow.session
    p = live(s, Project, project_id, "项目")
    last = over_children(s, func.max(ProjectMilestone.sort_order), ProjectMilestone.project_id, p.id) or 0
    s.add(ProjectMilestone(project_id=p.id, title=clean.title, due_date=clean.due_date,
                           done_on=clean.done_on, note=clean.note, sort_order=last + 1))
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def update_milestone(uow: UnitOfWork, milestone_id: str, inp: MilestoneInput, today: date | None = None,
                     expected_version: int | None = None) -> ProjectDetail:
    """Edit a milestone; set done_on to mark it reached (None to undo). `expected_version`: as for update_project."""
    today = today or date.today()
    clean = flow.check_milestone(inp, today)
    s = uow.session
    m = live(s, ProjectMilestone, milestone_id, "项目节点")
    unchanged_since(s, m, expected_version, f"项目节点 {m.title}")
    assign(m, {key: getattr(clean, key) for key in ("title", "due_date", "done_on", "note")})
    p = live(s, Project, m.project_id, "项目")
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def delete_milestone(uow: UnitOfWork, milestone_id: str, today: date | None = None) -> ProjectDetail:
    return _drop_part(uow, ProjectMilestone, milestone_id, "项目节点", today)


@writes("projects.write")
def add_resident(uow: UnitOfWork, project_id: str, resident_id: str | None = None, household_id: str | None = None,
                 name: str = "", note: str = "", today: date | None = None) -> ProjectDetail:
    """Add a resident (or household, or a name) the project concerns."""
    today = today or date.today()
    s = uow.session
    p = live(s, Project, project_id, "项目")
    if resident_id and s.scalar(select(ProjectResident.id).where(
        ProjectResident.project_id == p.id, ProjectResident.resident_id == resident_id,
        ProjectResident.deleted.is_(False),
    )):
        raise ValidationError("涉及居民", "该居民已在本项目中")
    add_concerned(s, p, resident_id, household_id, name, note)
    return settle(uow, detail_of, p, today)


@writes("projects.write")
def remove_resident(uow: UnitOfWork, concerned_id: str, today: date | None = None) -> ProjectDetail:
    return _drop_part(uow, ProjectResident, concerned_id, "记录", today)


def _drop_part(uow: UnitOfWork, model, row_id: str, what: str, today: date | None) -> ProjectDetail:
    """Tombstone a milestone or a concerned resident; the project as it now stands."""
    s = uow.session
    row = live(s, model, row_id, what)
    row.deleted = True
    return settle(uow, detail_of, live(s, Project, row.project_id, "项目"), today or date.today())

