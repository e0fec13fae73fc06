"""A voucher's 微实事 stays one truth between the 三单 and the 微实事 page.

Tying a 项目清单 item to a 微实事 (关联微实事) after costs were linked to the item books
those vouchers to the project (untying or re-tying moves them back or on), audited per
voucher; one booked to another project, or dated in a closed month, refuses the tie
with nothing changed. 取消费用关联 on the 微实事 page refuses a voucher the project
carries through a tied item, naming the item: the 三单 is where it is undone.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import Conflict
from desktop_app.domain.service_flow import ProjectInput
from desktop_app.services import auth, ledger, orgs, projects
from desktop_app.services import cobuilding as cb
from desktop_app.services import project_costs as pc
from desktop_app.services.auth import PermissionDenied
from desktop_app.services.cobuilding import ActivityInput, CostInput, ListInput
from desktop_app.store.models_access import AuditEntry

TODAY = date(2026, 6, 28)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    item = cb.save_item(db, None, ListInput("项目", "加装扶手", raised_on=date(2026, 4, 1), grid_id=g1), TODAY).id
    act = cb.record_activity(db, ActivityInput(date(2026, 5, 20), "义诊", "夏季义诊", org_ids=[g1]), TODAY).id
    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id

    def make(name):
        return projects.create_project(db, ProjectInput(name=name, owner_name="李书记", category="设施改造",
                                                        deadline=date(2026, 9, 30)), TODAY).id
    return {"db": db, "item": item, "act": act, "account": account,
            "lights": make("楼道照明改造"), "park": make("口袋公园")}


def _expense(town, amount, on=date(2026, 6, 2)):
    return ledger.post_entry(town["db"], ledger.EntryInput(on, town["account"], "支出", amount)).entry


@pytest.fixture
def costs(db, town):
    """Three vouchers linked to the untied item: one posted from it, one linked, one posted then reversed."""
    posted = cb.record_cost(db, CostInput(entry_date=date(2026, 5, 21), account_id=town["account"], amount_fen=3_000,
                                          counterparty="五金店"), item_id=town["item"], today=TODAY).entry_id
    linked = _expense(town, 8_800).id
    cb.link_cost(db, linked, item_id=town["item"])
    wrong = cb.record_cost(db, CostInput(entry_date=date(2026, 5, 22), account_id=town["account"], amount_fen=500,
                                         counterparty="五金店"), item_id=town["item"], today=TODAY).entry_id
    ledger.reverse_entry(db, wrong, "金额录错", date(2026, 6, 3))
    return [posted, linked, wrong]


def _booked(db, project_id):
    return projects.get_project(db, project_id, TODAY).booked_fen


def _projects(db):
    """Every voucher's project, reversals included, by amount."""
    return {e.amount_fen: e.project_id for e in ledger.list_entries(db)}


def _item_project(db, item_id):
    return next(r for r in cb.list_items(db, "项目") if r.id == item_id).project_id


def _project_updates(db, entry_id):
    with db.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.row_id == entry_id, AuditEntry.action == "update")
                         .order_by(AuditEntry.at, AuditEntry.id))
        return [(json.loads(e.before_json), json.loads(e.after_json)) for e in rows]


def test_tying_an_item_books_its_vouchers_to_the_project_and_untying_takes_them_off(db, town, costs):
    posted, linked, wrong = costs
    assert _booked(db, town["lights"]) == 0
    cb.link_project(db, town["item"], town["lights"])
    assert _booked(db, town["lights"]) == 11_800  # the reversed voucher is listed and counts for nothing
    assert set(_projects(db).values()) == {town["lights"]}  # the reversal goes with its voucher
    assert sorted(c.entry_id for c in projects.get_project(db, town["lights"], TODAY).costs) == sorted(costs)
    for entry_id in costs:
        assert _project_updates(db, entry_id) == [({"project_id": None}, {"project_id": town["lights"]})]
    # tied to another 微实事: the vouchers move on
    cb.link_project(db, town["item"], town["park"])
    assert (_booked(db, town["lights"]), _booked(db, town["park"])) == (0, 11_800)
    assert _project_updates(db, linked)[-1] == ({"project_id": town["lights"]}, {"project_id": town["park"]})
    # untied: off the project again, the links to the item stay
    cb.link_project(db, town["item"], None)
    assert _booked(db, town["park"]) == 0 and set(_projects(db).values()) == {None}
    assert _project_updates(db, posted)[-1] == ({"project_id": town["park"]}, {"project_id": None})
    assert next(r for r in cb.list_items(db, "项目") if r.id == town["item"]).linked_cost_fen == 11_800


def test_a_voucher_booked_to_another_project_refuses_the_tie_by_name_and_nothing_changes(db, town):
    other = _expense(town, 700)
    pc.link_cost(db, town["park"], other.id)
    cb.link_cost(db, other.id, item_id=town["item"])  # the item is not tied: the voucher keeps its project
    mine = _expense(town, 900)
    cb.link_cost(db, mine.id, item_id=town["item"])
    with pytest.raises(Conflict, match=f"凭证 {other.voucher_no} 已记在微实事项目“口袋公园”"):
        cb.link_project(db, town["item"], town["lights"])
    assert _item_project(db, town["item"]) is None
    assert _projects(db) == {700: town["park"], 900: None}
    assert _project_updates(db, mine.id) == []


def test_a_closed_month_refuses_tying_by_voucher_and_nothing_changes(db, town):
    april = _expense(town, 600, on=date(2026, 4, 2))
    cb.link_cost(db, april.id, item_id=town["item"])
    cb.link_cost(db, _expense(town, 900).id, item_id=town["item"])
    ledger.close_month(db, date(2026, 4, 1), today=TODAY)
    with pytest.raises(Conflict, match="2026年4月已结账") as refused:
        cb.link_project(db, town["item"], town["lights"])
    assert f"费用凭证 {april.voucher_no} " in str(refused.value)
    assert _item_project(db, town["item"]) is None and _projects(db) == {600: None, 900: None}
    # an item whose vouchers are all in open months ties
    fresh = cb.save_item(db, None, ListInput("项目", "修路灯", raised_on=date(2026, 4, 1)), TODAY).id
    cb.link_cost(db, _expense(town, 1_500).id, item_id=fresh)
    cb.link_project(db, fresh, town["lights"])
    assert _booked(db, town["lights"]) == 1_500


def test_untying_in_a_closed_month_is_refused(db, town):
    april = _expense(town, 600, on=date(2026, 4, 2))
    cb.link_cost(db, april.id, item_id=town["item"])
    cb.link_project(db, town["item"], town["lights"])
    ledger.close_month(db, date(2026, 4, 1), today=TODAY)
    with pytest.raises(Conflict, match="2026年4月已结账"):
        cb.link_project(db, town["item"], None)
    assert _item_project(db, town["item"]) == town["lights"] and _booked(db, town["lights"]) == 600


def test_moving_vouchers_needs_the_ledgers_write_right_as_well(db, town, monkeypatch):
    from desktop_app.domain import access
    cb.link_cost(db, _expense(town, 900).id, item_id=town["item"])
    bare = cb.save_item(db, None, ListInput("项目", "修路灯", raised_on=date(2026, 4, 1)), TODAY).id
    auth.create_user(db, "sec", "书记", "secretary", "pw-123456-Ab")
    auth.login(db, "sec", "pw-123456-Ab")
    monkeypatch.setitem(access.ROLE_PERMISSIONS, access.Role.SECRETARY,
                        access.ROLE_PERMISSIONS[access.Role.SECRETARY] - {"ledger.write"})
    with pytest.raises(PermissionDenied):
        cb.link_project(db, town["item"], town["lights"])
    assert _item_project(db, town["item"]) is None and _projects(db) == {900: None}
    cb.link_project(db, bare, town["lights"])  # no voucher moves: co-building's own right is enough
    assert _item_project(db, bare) == town["lights"]


def test_a_viewer_cannot_tie(db, town):
    auth.create_user(db, "look", "只读", "viewer", "pw-123456-Ab")
    auth.login(db, "look", "pw-123456-Ab")
    with pytest.raises(PermissionDenied):
        cb.link_project(db, town["item"], town["lights"])


def test_unlinking_on_the_project_page_a_voucher_its_tied_item_carries_names_the_item(db, town):
    cb.link_project(db, town["item"], town["lights"])
    row = cb.record_cost(db, CostInput(entry_date=date(2026, 5, 21), account_id=town["account"], amount_fen=3_000,
                                       counterparty="五金店"), item_id=town["item"], today=TODAY)
    with pytest.raises(Conflict, match="先在“三单”的项目清单“加装扶手”中取消"):
        pc.unlink_cost(db, town["lights"], row.entry_id)
    assert _booked(db, town["lights"]) == 3_000
    assert [c.entry_id for c in cb.costs_of(db, item_id=town["item"])] == [row.entry_id]
    assert _project_updates(db, row.entry_id) == []
    # undone in the 三单, it leaves both
    cb.unlink_cost(db, row.id)
    assert _booked(db, town["lights"]) == 0


def test_a_voucher_booked_directly_and_paid_for_an_activity_unlinks_from_the_project_only(db, town):
    e = _expense(town, 2_000)
    pc.link_cost(db, town["lights"], e.id)
    cb.link_cost(db, e.id, activity_id=town["act"])  # an activity names no 微实事: the two are independent
    pc.unlink_cost(db, town["lights"], e.id)
    assert _booked(db, town["lights"]) == 0
    assert [c.entry_id for c in cb.costs_of(db, activity_id=town["act"])] == [e.id]


def test_an_item_tied_before_vouchers_followed_is_repaired_by_tying_again(db, town):
    """Data from before the vouchers followed the tie: booking one to another 微实事 is refused by name,
    and choosing the item's 微实事 again books them."""
    from desktop_app.store.models_cobuilding import ListItem
    e = _expense(town, 900)
    cb.link_cost(db, e.id, item_id=town["item"])
    with db.session() as s:  # tied as an older version did, leaving the voucher where it was
        s.get(ListItem, town["item"]).project_id = town["lights"]
        s.commit()
    with pytest.raises(Conflict, match="项目清单“加装扶手”的费用，该条目关联的是微实事项目“楼道照明改造”"):
        pc.link_cost(db, town["park"], e.id)
    assert _projects(db) == {900: None}
    cb.link_project(db, town["item"], town["lights"])
    assert _booked(db, town["lights"]) == 900
