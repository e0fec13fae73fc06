"""The demo community reads as real work done in order: what its pages show must not contradict itself.

A worker shown the demo took XM2026-008's 完工验收 done before its 施工 and an activity of 费用 200 元
with 已记账 439 元 for mistakes of the program. Checked on a few seeds, so a later change to the demo's
randomness cannot bring them back unnoticed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import service_flow as flow
from desktop_app.services import demo
from desktop_app.store.models_cobuilding import Activity, CostLink, ListItem
from desktop_app.store.models_ledger import LedgerEntry
from desktop_app.store.models_service import (
    MediationCase, MediationParty, MediationSession, Project, ProjectMilestone, Visit, VisitFollowUp, Wish, WishClaim,
)


@pytest.fixture(params=[1, 4, 7])
def demo_db(request, empty_db):
    demo.generate(empty_db, members=60, seed=request.param)
    return empty_db


def test_a_project_s_steps_are_done_in_order_and_a_finished_one_has_them_all(demo_db):
    with demo_db.session() as s:
        projects = {p.id: p for p in s.scalars(select(Project).where(Project.deleted.is_(False)))}
        steps = defaultdict(list)
        for m in s.scalars(select(ProjectMilestone).where(ProjectMilestone.deleted.is_(False))
                           .order_by(ProjectMilestone.sort_order)):
            steps[m.project_id].append(m)
    assert projects and steps
    for pid, ms in steps.items():
        p = projects[pid]
        done = [m.done_on is not None for m in ms]
        # a later step done while an earlier one is open: 完工验收 before 施工
        assert done == sorted(done, reverse=True), (p.project_no, [(m.title, m.done_on) for m in ms])
        days = [m.done_on for m in ms if m.done_on]
        assert days == sorted(days), (p.project_no, days)
        assert all(d <= date.today() and d >= p.start_date for d in days), p.project_no
        if p.status == flow.PROJECT_DONE:
            assert all(done) and days[-1] <= p.completed_on, p.project_no
        if p.status == flow.PROJECT_PLANNED:
            assert not any(done), p.project_no


def test_dates_of_the_service_work_follow_one_another(demo_db):
    today = date.today()
    with demo_db.session() as s:
        visits = {v.id: v for v in s.scalars(select(Visit))}
        assert visits
        for v in visits.values():
            assert v.visit_date <= today and (v.resolved_on is None or v.resolved_on >= v.visit_date), v.id
        for f in s.scalars(select(VisitFollowUp)):
            assert visits[f.visit_id].visit_date <= f.on_date <= today
        sessions = defaultdict(list)
        for x in s.scalars(select(MediationSession).where(MediationSession.deleted.is_(False))):
            sessions[x.case_id].append(x.session_date)
        parties = Counter(s.scalars(select(MediationParty.case_id).where(MediationParty.deleted.is_(False))))
        for c in s.scalars(select(MediationCase).where(MediationCase.deleted.is_(False))):
            held = sessions.get(c.id, [])
            assert all(c.received_on <= d <= today for d in held), c.case_no
            assert c.closed_on is None or c.closed_on >= max(held, default=c.received_on), c.case_no
            assert parties[c.id] >= 2, c.case_no  # a dispute has two sides
        wishes = {w.id: w for w in s.scalars(select(Wish))}
        for w in wishes.values():
            assert w.claimed_on is None or w.claimed_on >= w.posted_on, w.id
            assert w.fulfilled_on is None or w.fulfilled_on >= (w.claimed_on or w.posted_on), w.id
        for c in s.scalars(select(WishClaim)):
            assert c.claimed_on >= wishes[c.wish_id].posted_on and (c.ended_on is None or c.ended_on >= c.claimed_on)
        for i in s.scalars(select(ListItem)):
            assert i.claimed_on is None or i.claimed_on >= i.raised_on, i.title
            assert i.done_on is None or i.done_on >= (i.claimed_on or i.raised_on), i.title


def test_money_booked_against_work_does_not_exceed_what_it_cost(demo_db):
    with demo_db.session() as s:
        by_activity, by_project = defaultdict(int), defaultdict(int)
        for link in s.scalars(select(CostLink).where(CostLink.deleted.is_(False), CostLink.activity_id.is_not(None))):
            by_activity[link.activity_id] += link.amount_fen
        for e in s.scalars(select(LedgerEntry).where(LedgerEntry.deleted.is_(False),
                                                     LedgerEntry.project_id.is_not(None))):
            by_project[e.project_id] += e.amount_fen
        assert by_activity  # the demo links vouchers to activities: else the check below proves nothing
        for a in s.scalars(select(Activity).where(Activity.deleted.is_(False))):
            # 环境整治志愿行动 showed 已记账 439 元 against a 费用 of 200 元
            assert by_activity.get(a.id, 0) <= a.cost_fen, (a.title, a.activity_date, a.cost_fen, by_activity[a.id])
        for p in s.scalars(select(Project).where(Project.deleted.is_(False))):
            assert by_project.get(p.id, 0) <= p.actual_cost_fen, p.project_no  # 已记账 within 实际支出
