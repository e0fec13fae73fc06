"""Moving a visit's follow-up, shared by visits and projects.

A completed 微实事 project closes the visits it came from, and a visit can be
turned into a project: keeping the follow-up step here, below both, lets
services.visits use services.projects without projects importing visits back.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import service_flow as flow
from desktop_app.domain.service_flow import FollowUpStep
from desktop_app.store.models_service import Project, Visit, VisitFollowUp


def apply_step(s: Session, v: Visit, step: FollowUpStep) -> None:
    """Move a visit's follow-up (already checked) and keep the step in its history."""
    s.add(VisitFollowUp(visit_id=v.id, from_state=v.follow_state or "", to_state=step.state,
                        on_date=step.on, by=step.by, note=step.how))
    v.follow_state = step.state
    if step.state in flow.CLOSED_STATES:
        v.resolved_by, v.resolved_on, v.resolution = step.by, step.on, step.how
    else:
        if v.resolved_on is not None:  # reopened: the old answer no longer stands
            v.resolved_by, v.resolved_on, v.resolution = "", None, ""
        if step.by and step.state == flow.IN_PROGRESS and not v.handler:
            v.handler = step.by


def close_for_project(s: Session, project: Project, on: date, today: date) -> int:
    """Close the open visits of a completed project (within the caller's unit of work)."""
    n = 0
    for v in s.scalars(select(Visit).where(
        Visit.project_id == project.id, Visit.deleted.is_(False), Visit.follow_state.in_(flow.OPEN_STATES)
    )):
        apply_step(s, v, flow.check_follow_up(
            v.follow_state, flow.SOLVED, project.owner_name or "项目经理", max(on, v.visit_date),
            f"微实事项目“{project.name}”（{project.project_no}）已完成", v.visit_date, today))
        n += 1
    return n
