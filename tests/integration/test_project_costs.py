"""微实事 costs as ledger vouchers (已记账): posted or booked, unlinked, netted after a reversal, refused
without both rights or into a closed month, audited, and shown beside the typed 实际支出."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.service_flow import ProjectInput
from desktop_app.services import auth, ledger
from desktop_app.services import cobuilding as cb
from desktop_app.services import project_costs as pc
from desktop_app.services import projects
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import CostInput
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 28)
PARK = ProjectInput(name="口袋公园", owner_name="李书记", category="其他", deadline=date(2026, 9, 30))


@pytest.fixture
def town(db):
    p = projects.create_project(db, ProjectInput(
        name="楼道照明改造", owner_name="李书记", category="设施改造", deadline=date(2026, 9, 30), budget_fen=80_000,
        actual_cost_fen=20_000, start_date=date(2026, 4, 1)), TODAY)
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    return {"project": p.id, "account": account}


def _cost(town, amount=43_900, on=date(2026, 5, 21), **kw) -> CostInput:
    return CostInput(entry_date=on, account_id=town["account"], amount_fen=amount, counterparty="五金店", **kw)


def _trail(db, row_id: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.row_id == row_id)
                              .order_by(AuditEntry.at, AuditEntry.id)))


def test_a_cost_posts_a_voucher_booked_to_the_project(db, town):
    row = pc.record_cost(db, town["project"], _cost(town, memo="灯具"), entered_by="王会计", today=TODAY)
    entry = ledger.get_entry(db, row.entry_id)
    assert (entry.direction, entry.amount_fen, entry.project_id) == ("支出", 43_900, town["project"])
    assert entry.memo == "微实事：楼道照明改造；灯具"  # the ledger's own list names what it paid for
    detail = projects.get_project(db, town["project"], TODAY)
    assert detail.booked_fen == 43_900 and detail.actual_cost_fen == 20_000  # 实际支出 stays as typed
    assert [c.voucher_no for c in detail.costs] == [entry.voucher_no]
    listed = next(r for r in projects.list_projects(db, today=TODAY) if r.id == town["project"])
    assert listed.booked_fen == 43_900


def test_an_existing_expense_is_booked_once_and_unlinked_with_before_and_after(db, town):
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800,
                                                     memo="横幅制作")).entry
    pc.link_cost(db, town["project"], posted.id)
    assert projects.get_project(db, town["project"], TODAY).booked_fen == 8_800
    other = projects.create_project(db, PARK, TODAY).id
    with pytest.raises(Conflict, match="已记在项目“楼道照明改造”"):
        pc.link_cost(db, other, posted.id)
    income = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "收入", 100)).entry
    with pytest.raises(ValidationError, match="不是支出"):
        pc.link_cost(db, town["project"], income.id)
    pc.unlink_cost(db, town["project"], posted.id)
    assert projects.get_project(db, town["project"], TODAY).costs == ()
    assert ledger.get_entry(db, posted.id).amount_fen == 8_800  # the voucher itself stays
    booked, unbooked = [e for e in _trail(db, posted.id) if e.action == "update"]
    assert (json.loads(booked.before_json), json.loads(booked.after_json)) == (
        {"project_id": None}, {"project_id": town["project"]})
    assert json.loads(unbooked.after_json) == {"project_id": None}


def test_a_reversed_voucher_is_listed_and_counts_for_nothing(db, town):
    row = pc.record_cost(db, town["project"], _cost(town), today=TODAY)
    kept = pc.record_cost(db, town["project"], _cost(town, 5_000), today=TODAY)
    ledger.reverse_entry(db, row.entry_id, "金额录错", date(2026, 6, 3))
    detail = projects.get_project(db, town["project"], TODAY)
    assert [(c.entry_id, c.reversed) for c in detail.costs] == [(row.entry_id, True), (kept.entry_id, False)]
    assert detail.booked_fen == 5_000
    with pytest.raises(ValidationError, match="已冲销"):
        pc.link_cost(db, projects.create_project(db, PARK, TODAY).id, row.entry_id)
    pc.unlink_cost(db, town["project"], row.entry_id)  # the pair goes together: the figure stays netted
    assert projects.get_project(db, town["project"], TODAY).booked_fen == 5_000
    assert [e.project_id for e in ledger.list_entries(db) if e.amount_fen == -43_900] == [None]


def test_a_closed_month_is_refused(db, town):
    ledger.post_entry(db, ledger.EntryInput(date(2026, 4, 2), town["account"], "支出", 500, memo="文具"))
    ledger.close_month(db, date(2026, 4, 1), today=TODAY)
    with pytest.raises(Conflict, match="2026年4月已结账"):
        pc.record_cost(db, town["project"], _cost(town, on=date(2026, 4, 30)), today=TODAY)
    old = next(e for e in ledger.list_entries(db) if e.memo == "文具")
    with pytest.raises(Conflict, match="2026年4月已结账"):
        pc.link_cost(db, town["project"], old.id)
    assert len(ledger.list_entries(db)) == 1 and ledger.get_entry(db, old.id).project_id is None


def test_a_voucher_linked_to_a_cobuilding_activity_is_not_offered(db, town):
    from desktop_app.gui.cobuilding.costs import ledger_choices

    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 700)).entry
    booked = pc.record_cost(db, town["project"], _cost(town), today=TODAY)
    offered = {e.id for e in ledger_choices(db, 2026).expenses}
    assert posted.id in offered and booked.entry_id not in offered
    assert cb.linked_entries(db, [posted.id]) == set()


def test_only_read_rights_are_refused_and_leave_nothing(db, town):
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800)).entry
    auth.create_user(db, "look", "只读", "viewer", "pw-123456-Ab")
    auth.login(db, "look", "pw-123456-Ab")
    before = len(ledger.list_entries(db))
    with pytest.raises(PermissionDenied):
        pc.record_cost(db, town["project"], _cost(town), today=TODAY)
    with pytest.raises(PermissionDenied):
        pc.link_cost(db, town["project"], posted.id)
    assert len(ledger.list_entries(db)) == before and ledger.get_entry(db, posted.id).project_id is None
    assert pc.costs_of(db, town["project"]) == []  # reading is open to 只读


def test_a_failed_post_leaves_no_voucher(db, town):
    """One unit of work: the posting refused half-way (a voucher number taken) writes nothing."""
    first = pc.record_cost(db, town["project"], _cost(town), today=TODAY)
    with pytest.raises((Conflict, ValidationError)):
        pc.record_cost(db, town["project"], _cost(town, voucher_no=first.voucher_no), today=TODAY)
    assert len(ledger.list_entries(db)) == 1
    assert projects.get_project(db, town["project"], TODAY).booked_fen == 43_900


def test_the_demo_books_two_finished_projects_one_in_full_one_in_part(empty_db):
    from desktop_app.services import demo

    demo.generate(empty_db, members=60, seed=3, with_modules=False)
    demo.add_service_work(empty_db, seed=3, today=TODAY)
    demo.add_ledger(empty_db, seed=3, today=TODAY)
    demo.add_cobuilding(empty_db, seed=3, today=TODAY)
    booked = [r for r in projects.list_projects(empty_db, today=TODAY) if r.booked_fen]
    assert len(booked) == 2
    assert sorted(r.booked_fen == r.actual_cost_fen for r in booked) == [False, True]  # the street paid the rest
    for r in booked:
        for c in projects.get_project(empty_db, r.id, TODAY).costs:
            assert cb.cost_of_entry(empty_db, c.entry_id) == []  # not also a co-building cost
