"""Costs of activities and 项目清单 items as ledger vouchers: posted or linked, shown both ways, totalled, closed months refused."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import auth, ledger, orgs
from desktop_app.services import cobuilding as cb
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import ActivityInput, CostInput, ListInput, UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    unit = cb.save_unit(db, None, UnitInput(name="区人民医院", kind="医院"), TODAY).id
    act = cb.record_activity(db, ActivityInput(date(2026, 5, 20), "义诊", "夏季义诊", residents_served=20,
                                               org_ids=[g1], unit_ids=[unit]), TODAY).id
    project = cb.save_item(db, None, ListInput("项目", "加装扶手",
                                               raised_on=date(2026, 4, 1), grid_id=g1), TODAY).id
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    return {"community": community.id, "g1": g1, "unit": unit, "act": act, "project": project, "account": account}


def _cost(town, amount=12_000, on=date(2026, 5, 21), **kw) -> CostInput:
    return CostInput(entry_date=on, account_id=town["account"], amount_fen=amount, counterparty="药房", **kw)


def test_a_cost_posts_a_voucher_and_the_link_shows_both_ways(db, town):
    row = cb.record_cost(db, _cost(town, memo="药品"), activity_id=town["act"], entered_by="王会计", today=TODAY)
    entry = ledger.get_entry(db, row.entry_id)
    assert (entry.direction, entry.amount_fen, entry.activity_id) == ("支出", 12_000, town["act"])
    assert entry.memo == "共建活动：夏季义诊；药品"  # the ledger's own lists name what it paid for
    assert [c.voucher_no for c in cb.cost_of_entry(db, entry.id)] == [entry.voucher_no]
    assert cb.cost_of_entry(db, entry.id)[0].target == "共建活动：夏季义诊"
    detail = cb.get_activity(db, town["act"])
    assert [c.entry_id for c in detail.costs] == [entry.id] and detail.row.linked_cost_fen == 12_000
    # a project of the 项目清单 carries cost too
    cb.record_cost(db, _cost(town, 3_000), item_id=town["project"], today=TODAY)
    project = next(r for r in cb.list_items(db, "项目") if r.id == town["project"])
    assert project.linked_cost_fen == 3_000
    assert cb.figures(db, 2026).cost_fen == 15_000


def test_an_existing_expense_can_be_linked_once_and_unlinked(db, town):
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800,
                                                     memo="横幅制作")).entry
    link = cb.link_cost(db, posted.id, activity_id=town["act"])
    assert cb.get_activity(db, town["act"]).row.linked_cost_fen == 8_800
    with pytest.raises(Conflict, match="已关联到“共建活动：夏季义诊”"):
        cb.link_cost(db, posted.id, item_id=town["project"])
    income = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "收入", 100)).entry
    with pytest.raises(ValidationError, match="不是支出"):
        cb.link_cost(db, income.id, activity_id=town["act"])
    cb.unlink_cost(db, link.id)
    assert cb.get_activity(db, town["act"]).costs == ()
    assert ledger.get_entry(db, posted.id).amount_fen == 8_800  # the voucher itself stays


def test_a_reversed_voucher_counts_for_nothing(db, town):
    row = cb.record_cost(db, _cost(town), activity_id=town["act"], today=TODAY)
    ledger.reverse_entry(db, row.entry_id, "金额录错", date(2026, 6, 3))
    detail = cb.get_activity(db, town["act"])
    assert detail.costs[0].reversed and detail.row.linked_cost_fen == 0
    assert cb.figures(db, 2026).cost_fen == 0
    with pytest.raises(ValidationError, match="已冲销"):
        cb.link_cost(db, row.entry_id, item_id=town["project"])


def test_a_closed_month_is_refused_with_a_clear_message(db, town):
    ledger.post_entry(db, ledger.EntryInput(date(2026, 4, 2), town["account"], "支出", 500, memo="文具"))
    ledger.close_month(db, date(2026, 4, 1), today=TODAY)
    with pytest.raises(Conflict, match="2026年4月已结账"):
        cb.record_cost(db, _cost(town, on=date(2026, 4, 30)), activity_id=town["act"], today=TODAY)
    old = next(e for e in ledger.list_entries(db) if e.memo == "文具")
    with pytest.raises(Conflict, match="2026年4月已结账"):
        cb.link_cost(db, old.id, activity_id=town["act"])
    assert len(ledger.list_entries(db)) == 1  # nothing was posted


def test_street_totals_count_linked_costs_of_each_community(db, town):
    cb.record_cost(db, _cost(town, 6_000), activity_id=town["act"], today=TODAY)
    figs = cb.community_figures(db, town["community"], "幸福里社区党委", 2026)
    assert figs.cost_fen == 6_000
    assert cb.community_figures(db, town["community"], "幸福里社区党委", 2025).cost_fen == 0


def test_costs_need_both_cobuilding_and_ledger_rights(db, town):
    auth.create_user(db, "look", "只读", "viewer", "pw-123456-Ab")
    auth.login(db, "look", "pw-123456-Ab")
    with pytest.raises(PermissionDenied):
        cb.record_cost(db, _cost(town), activity_id=town["act"], today=TODAY)
    assert cb.costs_of(db, activity_id=town["act"]) == []


# A 项目清单 item carried out by a 微实事: its vouchers count in that project's 已记账 however attached.

def _tied(db, town):
    from desktop_app.domain.service_flow import ProjectInput
    from desktop_app.services import projects

    def make(name):
        return projects.create_project(db, ProjectInput(name=name, owner_name="李书记", category="设施改造",
                                                        deadline=date(2026, 9, 30)), TODAY).id
    lights, park = make("楼道照明改造"), make("口袋公园")
    cb.link_project(db, town["project"], lights)
    return lights, park


def _booked(db, project_id):
    from desktop_app.services import projects
    return projects.get_project(db, project_id, TODAY).booked_fen


def _project_updates(db, entry_id):
    import json

    from sqlalchemy import select

    from desktop_app.store.models_access import AuditEntry
    with db.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.row_id == entry_id, AuditEntry.action == "update")
                         .order_by(AuditEntry.at, AuditEntry.id))
        return [(json.loads(e.before_json), json.loads(e.after_json)) for e in rows]


def test_linking_a_voucher_to_a_tied_item_books_it_to_the_project_and_unlinking_clears_it(db, town):
    lights, _ = _tied(db, town)
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800)).entry
    link = cb.link_cost(db, posted.id, item_id=town["project"])
    assert ledger.get_entry(db, posted.id).project_id == lights
    assert _booked(db, lights) == 8_800  # the same figure as a cost posted from the item
    cb.unlink_cost(db, link.id)
    assert ledger.get_entry(db, posted.id).project_id is None and _booked(db, lights) == 0
    assert _project_updates(db, posted.id) == [({"project_id": None}, {"project_id": lights}),
                                               ({"project_id": lights}, {"project_id": None})]
    # a cost posted from the item is taken off the project the same way
    row = cb.record_cost(db, _cost(town, 3_000), item_id=town["project"], today=TODAY)
    assert _booked(db, lights) == 3_000
    cb.unlink_cost(db, row.id)
    assert _booked(db, lights) == 0 and ledger.get_entry(db, row.entry_id).project_id is None


def test_a_voucher_already_booked_to_its_items_project_stays_booked_to_it(db, town):
    from desktop_app.services import project_costs as pc
    lights, _ = _tied(db, town)
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800)).entry
    pc.link_cost(db, lights, posted.id)
    link = cb.link_cost(db, posted.id, item_id=town["project"])
    assert _booked(db, lights) == 8_800
    cb.unlink_cost(db, link.id)
    assert _booked(db, lights) == 0  # it was this item's project: the item's link carried it


def test_a_voucher_booked_to_another_project_is_refused_and_nothing_is_written(db, town):
    from desktop_app.services import project_costs as pc
    lights, park = _tied(db, town)
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800)).entry
    pc.link_cost(db, park, posted.id)
    with pytest.raises(Conflict, match="已记在微实事项目“口袋公园”，而“加装扶手”关联的是微实事项目“楼道照明改造”"):
        cb.link_cost(db, posted.id, item_id=town["project"])
    assert cb.costs_of(db, item_id=town["project"]) == [] and cb.linked_entries(db, [posted.id]) == set()
    assert ledger.get_entry(db, posted.id).project_id == park
    assert (_booked(db, park), _booked(db, lights)) == (8_800, 0)
    # linked to an activity or an untied item, a voucher keeps its project
    cb.link_project(db, town["project"], None)
    link = cb.link_cost(db, posted.id, item_id=town["project"])
    cb.unlink_cost(db, link.id)
    assert ledger.get_entry(db, posted.id).project_id == park


@pytest.mark.parametrize("right", ["ledger.write", "projects.write"])
def test_booking_through_a_link_needs_the_ledgers_and_the_projects_write_rights(db, town, monkeypatch, right):
    """Booking to a 微实事 changes its 已记账 and the voucher: as on the 微实事 page, both rights are needed."""
    from desktop_app.domain import access
    lights, _ = _tied(db, town)
    posted = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 8_800)).entry
    untied = ledger.post_entry(db, ledger.EntryInput(date(2026, 6, 2), town["account"], "支出", 500)).entry
    link = cb.link_cost(db, untied.id, activity_id=town["act"])
    auth.create_user(db, "sec", "书记", "secretary", "pw-123456-Ab")
    auth.login(db, "sec", "pw-123456-Ab")
    monkeypatch.setitem(access.ROLE_PERMISSIONS, access.Role.SECRETARY,
                        access.ROLE_PERMISSIONS[access.Role.SECRETARY] - {right})
    with pytest.raises(PermissionDenied):
        cb.link_cost(db, posted.id, item_id=town["project"])
    assert cb.linked_entries(db, [posted.id]) == set() and ledger.get_entry(db, posted.id).project_id is None
    with pytest.raises(PermissionDenied):  # nor posted straight to the tied item's 微实事
        cb.record_cost(db, _cost(town, 3_000), item_id=town["project"], today=TODAY)
    assert len(ledger.list_entries(db)) == 2
    cb.unlink_cost(db, link.id)  # an activity's link books nothing: co-building's own right is enough


def test_unlinking_a_reversed_voucher_takes_its_reversal_off_the_project_too(db, town):
    lights, _ = _tied(db, town)
    row = cb.record_cost(db, _cost(town, 3_000), item_id=town["project"], today=TODAY)
    ledger.reverse_entry(db, row.entry_id, "金额录错", date(2026, 6, 3))
    cb.unlink_cost(db, row.id)
    assert [e.project_id for e in ledger.list_entries(db)] == [None, None]  # not a lone -3 000 left on the project
    assert _booked(db, lights) == 0
