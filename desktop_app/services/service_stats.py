"""Per grid and month: what residents raised and what was done about it.

Counts come from group-by queries on the dates that mark each event: a visit
on its visit date, a problem solved on its resolution date, a wish fulfilled
on its fulfilment date, a project completed on its completion date. "Still
open" and "overdue" are as they stood at the end of the period, or today for a
period still running (a follow-up due on the 20th is not overdue on the 4th).
办结率 is 办结 / 受理: of the problems raised in the period, the share closed by
then, so a month of unanswered problems shows as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import date
from pathlib import Path

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import access
from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import Period
from desktop_app.services import auth, visits
from desktop_app.services.residents import NO_GRID, grids
from desktop_app.services.site import center_of
from desktop_app.store.db import Database
from desktop_app.store.models import Household
from desktop_app.store.models_service import MediationCase, Project, Visit, Wish
from desktop_app.views.service import GridStats, ServiceSummary

COMMUNITY_ROW = "社区（未分网格）"


_COUNTS = tuple(f.name for f in fields(GridStats) if f.name not in ("grid_id", "label"))


def _add(into: dict[str | None, dict[str, int]], name: str, pairs) -> None:
    for grid_id, value in pairs:
        into.setdefault(grid_id, {})[name] = int(value or 0)


def _collect(s: Session, p: Period, today: date) -> tuple[dict[str | None, dict[str, int]], dict[str | None, dict[str, int]]]:
    start = p.start
    end = min(p.end, today) if today >= p.start else p.end  # a running period stands as of today
    counts: dict[str | None, dict[str, int]] = {}
    cats: dict[str | None, dict[str, int]] = {}

    def by_grid(col, model, *where, value=None):
        q = select(col, value if value is not None else func.count()).select_from(model).where(
            model.deleted.is_(False), *where).group_by(col)
        return s.execute(q).all()

    v_in = Visit.visit_date.between(start, end)
    _add(counts, "visits", by_grid(Visit.grid_id, Visit, v_in))
    _add(counts, "raised", by_grid(Visit.grid_id, Visit, v_in, Visit.raised_issue.is_(True)))
    closed_in = Visit.resolved_on.between(start, end)
    _add(counts, "solved", by_grid(Visit.grid_id, Visit, closed_in, Visit.follow_state == flow.SOLVED))
    _add(counts, "no_action", by_grid(Visit.grid_id, Visit, closed_in, Visit.follow_state == flow.NO_ACTION,
                                      Visit.raised_issue.is_(True)))
    still_open = and_(
        Visit.raised_issue.is_(True), Visit.visit_date <= end,
        not_(and_(Visit.follow_state.in_(flow.CLOSED_STATES), Visit.resolved_on <= end)),
    )
    raised_closed = and_(Visit.raised_issue.is_(True), Visit.follow_state.in_(flow.CLOSED_STATES),
                         Visit.resolved_on <= end)
    _add(counts, "raised_closed", by_grid(Visit.grid_id, Visit, v_in, raised_closed))
    _add(counts, "open_at_end", by_grid(Visit.grid_id, Visit, still_open))
    _add(counts, "overdue_at_end", by_grid(Visit.grid_id, Visit, still_open, Visit.due_date < end))
    for grid_id, category, n in s.execute(
        select(Visit.grid_id, Visit.category, func.count()).where(
            Visit.deleted.is_(False), v_in, Visit.raised_issue.is_(True)
        ).group_by(Visit.grid_id, Visit.category)
    ):
        cats.setdefault(grid_id, {})[category or "未分类"] = n

    _add(counts, "wishes_posted", by_grid(Wish.grid_id, Wish, Wish.posted_on.between(start, end)))
    _add(counts, "wishes_claimed", by_grid(Wish.grid_id, Wish, Wish.claimed_on.between(start, end)))
    fulfilled = (Wish.state == flow.WISH_FULFILLED, Wish.fulfilled_on.between(start, end))
    _add(counts, "wishes_fulfilled", by_grid(Wish.grid_id, Wish, *fulfilled))
    _add(counts, "wish_value_fen", by_grid(Wish.grid_id, Wish, *fulfilled, value=func.sum(Wish.estimated_fen)))

    _add(counts, "projects_started", by_grid(Project.grid_id, Project, Project.start_date.between(start, end),
                                             Project.status != flow.PROJECT_PLANNED))
    done = (Project.status == flow.PROJECT_DONE, Project.completed_on.between(start, end))
    _add(counts, "projects_completed", by_grid(Project.grid_id, Project, *done))
    _add(counts, "project_cost_fen", by_grid(Project.grid_id, Project, *done, value=func.sum(Project.actual_cost_fen)))
    open_at_end = or_(
        Project.status.in_(flow.PROJECT_OPEN),
        and_(Project.status == flow.PROJECT_DONE, Project.completed_on > end),
    )
    _add(counts, "projects_overdue", by_grid(Project.grid_id, Project, open_at_end, Project.deadline < end))

    _add(counts, "cases_received", by_grid(MediationCase.grid_id, MediationCase,
                                           MediationCase.received_on.between(start, end)))
    closed_case = MediationCase.closed_on.between(start, end)
    _add(counts, "cases_closed", by_grid(MediationCase.grid_id, MediationCase, closed_case))
    _add(counts, "cases_success", by_grid(MediationCase.grid_id, MediationCase, closed_case,
                                          MediationCase.state == flow.MEDIATION_SUCCESS))
    return counts, cats


def _total(rows, label: str) -> GridStats:
    return GridStats(None, label, **{k: sum(getattr(r, k) for r in rows) for k in _COUNTS})


def summary(db: Database, period: Period, grid_id: str | None = None, today: date | None = None) -> ServiceSummary:
    """Counts per grid for a period (Period.month(y, m) for the monthly summary).

    A 网格员 gets the rows of their own grids only (and totals over those).
    Open and overdue counts stand at the period's end, or at `today` while it runs.
    """
    actor = auth.require(db, "overview.read")
    own = actor.grid_ids if access.grid_bound(actor.role, "visits.read") else None
    known = grids(db)
    names = {g.id: g.name for g in known}
    with db.session() as s:
        counts, cats = _collect(s, period, today or date.today())
        # A grid is a branch that covers households; a branch of retired members, say, is not one.
        covering = set(s.scalars(select(Household.grid_id).where(Household.deleted.is_(False)).distinct()))
    if covering & set(names):
        known = [g for g in known if g.id in covering or any(counts.get(g.id, {}).values())]
    order: list[str | None] = [g.id for g in known if grid_id in (None, g.id)]
    if grid_id is None:
        order += [g for g in counts if g not in names and g is not None]  # a grid since deleted
        if any(counts.get(None, {}).values()):
            order.append(None)
    if own is not None:
        order = [g for g in order if g in own]

    def label(g: str | None) -> str:
        return names.get(g, NO_GRID) if g else COMMUNITY_ROW

    rows = tuple(GridStats(g, label(g), **{k: counts.get(g, {}).get(k, 0) for k in _COUNTS}) for g in order)
    by_category = {label(g): dict(sorted(cats[g].items(), key=lambda kv: -kv[1])) for g in order if cats.get(g)}
    return ServiceSummary(period, rows, _total(rows, "合计"), by_category)


def monthly(db: Database, year: int, month: int, grid_id: str | None = None,
            today: date | None = None) -> ServiceSummary:
    auth.require(db, "overview.read")
    return summary(db, Period.month(year, month), grid_id, today)


def year_by_month(db: Database, year: int, grid_id: str | None = None, today: date | None = None) -> list[GridStats]:
    """Twelve rows (one per month, up to the current one) for one grid or the whole community."""
    auth.require(db, "overview.read")
    today = today or date.today()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    out = []
    for month in range(1, last + 1):
        sm = monthly(db, year, month, grid_id, today)
        out.append(GridStats(grid_id, f"{month}月", **{k: getattr(sm.total, k) for k in _COUNTS}))
    return out


def print_service_summary(db: Database, out: Path, year: int, month: int, grid_id: str | None = None, *,
                          today: date | None = None, progress: Callable[[int], None] | None = None) -> ServiceSummary:
    """服务群众工作月报 of one month (one grid or all) to `out`: the counts, then each grid's problems."""
    from desktop_app.reports.service_summary import render_service_summary  # reportlab loads only when printing

    auth.require(db, "overview.read")
    if grid_id:
        auth.require(db, "visits.read", grid_id=grid_id)
    today = today or date.today()
    sm = monthly(db, year, month, grid_id, today)
    raised = [r for r in visits.list_visits(
        db, visits.VisitFilter(grid_id=grid_id, date_from=sm.period.start, date_to=sm.period.end),
        today, oldest_first=True) if r.raised_issue]
    labels = {g.grid_id: g.label for g in sm.rows}
    items: dict[str, list[visits.VisitRow]] = {}
    for r in raised:
        items.setdefault(labels.get(r.grid_id, r.grid_name), []).append(r)
    render_service_summary(center_of(db), sm, items, out, today, progress=progress)
    return sm
