"""The demo's year of 共驻共建: units filled in, activities, and the roster's 在职党员 moved into the register."""

from __future__ import annotations

from datetime import date

from desktop_app.services import auth, demo, roster, site
from desktop_app.services import cobuilding as cb


def test_demo_fills_a_year_of_cobuilding(empty_db):
    db = empty_db
    auth.cli_actor(db, None, None)
    demo.generate(db, members=80, seed=6)
    year = date.today().year
    figs = cb.figures(db, year)
    assert figs.units >= 10 and figs.activities > 0 and figs.residents_served > 0
    assert figs.reporting_members > 0 and figs.reporting_services > 0 and figs.posts_taken > 0
    units = cb.list_units(db, year=year)
    assert all(u.kind for u in units)
    people = cb.list_reporting(db, year)
    assert all(p.from_roster and p.employer and p.reported_on for p in people)
    # out of the roster: the planned 80 are the roster, the register, and those who left (转出, 去世, 出党 …)
    from sqlalchemy import func, select

    from desktop_app.domain.members import GONE_STATUSES
    from desktop_app.store.models import Member
    with db.session() as s:
        gone = s.scalar(select(func.count()).select_from(Member).where(
            Member.deleted.is_(False), Member.status.in_(GONE_STATUSES))) or 0
    assert roster.stats(db).total + len(people) + gone == 80
    assert sum(v.hours_tenths for v in cb.volunteer_hours(db, year)) == sum(
        a.hours_tenths for a in cb.list_activities(db, year))
    assert cb.list_seats(db) and cb.list_contacts(db)
    care = cb.list_care(db)
    assert len(care) == 2 and all(c.people > 0 for c in care)
    assert figs.pairings > 0 and figs.adopted > 0
    # its needs, made from visits, speak the 需求清单's categories, not the visits' 问题类别
    from desktop_app.domain.service_flow import NEED_CATEGORIES
    from desktop_app.store.models_cobuilding import ListItem
    with db.session() as s:
        from_visits = set(s.scalars(select(ListItem.category).where(ListItem.visit_id.is_not(None))))
    assert from_visits and from_visits <= set(NEED_CATEGORIES)


def test_demo_has_unit_reports_inquiries_and_ledger_linked_costs(empty_db):
    db = empty_db
    auth.cli_actor(db, None, None)
    demo.generate(db, members=80, seed=6)
    year = date.today().year
    reports = cb.list_unit_reports(db, year)
    assert reports and any(r.services for r in reports) and any(r.claims for r in reports)
    assert {r.org_name for r in reports} == {site.get_site(db).org_name}  # to the community, as the dialog offers
    inquiries = cb.list_inquiries(db)
    assert len(inquiries) >= 14 and {r.party_kind for r in inquiries} == {"居民", "单位"}
    assert all(r.need_title for r in inquiries if r.state == "已转需求")
    linked = [a for a in cb.list_activities(db, year) + cb.list_activities(db, year - 1) if a.linked_cost_fen]
    assert linked
    detail = cb.get_activity(db, linked[0].id)
    assert sum(c.amount_fen for c in detail.costs if not c.reversed) == linked[0].linked_cost_fen
    assert cb.cost_of_entry(db, detail.costs[0].entry_id)[0].activity_id == detail.id
