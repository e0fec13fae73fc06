"""A year of 共驻共建 in figures, and the printed unit register and yearly summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.services import auth
from desktop_app.services.cobuilding.common import activity_totals, reporting_totals, year_span
from desktop_app.services.cobuilding.costs import linked_cost_in
from desktop_app.services.cobuilding.pairing import pairing_figures
from desktop_app.services.cobuilding.units import list_units, unit_year
from desktop_app.services.records import in_force
from desktop_app.services.site import center_of
from desktop_app.store.db import Database
from desktop_app.store.models_cobuilding import (
    Activity, Inquiry, PartnerUnit, PostClaim, ReportingPost, UnitReport,
)
from desktop_app.views.cobuilding import CobuildingFigures


def figures(db: Database, year: int) -> CobuildingFigures:
    """The year's counts: units, activities (四进 among them), residents served, hours, 双报到."""
    auth.require(db, "cobuilding.read")
    start, end = year_span(year)
    in_year = (Activity.deleted.is_(False), Activity.activity_date.between(start, end))
    with db.session() as s:
        units = s.scalar(select(func.count()).select_from(PartnerUnit).where(PartnerUnit.deleted.is_(False))) or 0
        acts, four, served, hours, active = activity_totals(s, *in_year)
        reporting, services, s_hours, points = reporting_totals(s, start, end)
        posts = s.scalar(select(func.count()).select_from(ReportingPost).where(ReportingPost.deleted.is_(False))) or 0
        taken = s.scalar(select(func.count(func.distinct(PostClaim.post_id))).where(
            PostClaim.deleted.is_(False), PostClaim.ended_on.is_(None))) or 0
        pairings, pairing_posts, adopted, visits = pairing_figures(s, year)
        cost = linked_cost_in(s, start, end)
        inquiries = s.scalar(select(func.count()).select_from(Inquiry).where(
            Inquiry.deleted.is_(False), Inquiry.inquiry_date.between(start, end))) or 0
        reported = s.scalar(select(func.count(func.distinct(UnitReport.unit_id))).where(
            UnitReport.deleted.is_(False), *in_force(UnitReport.reported_on, UnitReport.ended_on, start, end))) or 0
    return CobuildingFigures(
        activities=int(acts), four_into=int(four), residents_served=int(served), activity_hours_tenths=int(hours),
        units_active=int(active), reporting_members=int(reporting), reporting_services=int(services),
        reporting_hours_tenths=int(s_hours), adopted=adopted, pairing_visits=visits, cost_fen=cost,
        year=year, units=int(units), reporting_points=int(points), posts=int(posts), posts_taken=int(taken),
        pairings=pairings, pairing_posts=pairing_posts, inquiries=int(inquiries), units_reported=int(reported))


def print_unit_register(db: Database, year: int, out: Path, *, today: date | None = None,
                        progress: Callable[[int], None] | None = None) -> int:
    """共建单位名册 with each unit's activities in `year`. Returns the units listed."""
    from desktop_app.reports.cobuilding import render_unit_register

    rows = list_units(db, year=year)
    render_unit_register(center_of(db), year, rows, out, today or date.today(), progress=progress)
    return len(rows)


def print_unit_page(db: Database, unit_id: str, year: int, out: Path, *, today: date | None = None) -> str:
    """One unit's year with the community (activities, reporting members, wishes). Returns the unit's name."""
    from desktop_app.reports.cobuilding import render_unit_year

    page = unit_year(db, unit_id, year)
    render_unit_year(center_of(db), page, out, today or date.today())
    return page.unit.name


def print_summary(db: Database, year: int, out: Path, *, today: date | None = None,
                  progress: Callable[[int], None] | None = None) -> CobuildingFigures:
    """共驻共建年度汇总: the figures, then every unit that took part, with what it did."""
    from desktop_app.reports.cobuilding import render_summary

    figs = figures(db, year)
    pages = [unit_year(db, u.id, year) for u in list_units(db, year=year)]
    render_summary(center_of(db), figs, pages, out, today or date.today(), progress=progress)
    return figs
