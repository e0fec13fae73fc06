"""三单: a need 已立项 whose project is deleted, or pointed at another need, is 待对接 again, unless another
project still answers it; a need a finished project solved stays 已解决."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import cobuilding as rules
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from desktop_app.services.cobuilding import ListInput, UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture
def lists(db):
    community = next(n.id for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community).id
    needs = {title: cb.save_item(db, None, ListInput(rules.NEED, title, raised_on=date(2026, 3, 1), grid_id=g1),
                                 TODAY).id for title in ("楼道没有扶手", "路灯不亮")}
    return {"g1": g1, "rail": needs["楼道没有扶手"], "light": needs["路灯不亮"]}


def project(db, lists, need_id, title="加装扶手"):
    return cb.save_item(db, None, ListInput(rules.PROJECT, title, raised_on=date(2026, 3, 10), grid_id=lists["g1"],
                                            need_id=need_id), TODAY)


def states(db):
    return {r.title: r.state for r in cb.list_items(db, rules.NEED)}


def test_deleting_the_project_puts_its_need_back_to_be_matched(db, lists):
    p = project(db, lists, lists["rail"])
    assert states(db)["楼道没有扶手"] == "已立项"
    cb.delete_item(db, p.id)
    assert states(db)["楼道没有扶手"] == "待对接"


def test_a_need_another_project_still_answers_stays_matched(db, lists):
    first = project(db, lists, lists["rail"])
    project(db, lists, lists["rail"], "扶手材料")
    cb.delete_item(db, first.id)
    assert states(db)["楼道没有扶手"] == "已立项"


def test_pointing_the_project_at_another_need_frees_the_first(db, lists):
    p = project(db, lists, lists["rail"])
    edited = cb.save_item(db, p.id, ListInput(rules.PROJECT, "加装路灯", raised_on=date(2026, 3, 10),
                                              grid_id=lists["g1"], need_id=lists["light"]), TODAY,
                          expected_version=p.version)
    assert edited.need_title == "路灯不亮"
    assert states(db) == {"楼道没有扶手": "待对接", "路灯不亮": "已立项"}
    cb.save_item(db, p.id, ListInput(rules.PROJECT, "加装路灯", raised_on=date(2026, 3, 10), grid_id=lists["g1"]),
                 TODAY, expected_version=edited.version)
    assert states(db) == {"楼道没有扶手": "待对接", "路灯不亮": "待对接"}  # 不对应某条需求 any more


def test_a_solved_need_stays_solved_when_its_done_project_is_deleted(db, lists):
    p = project(db, lists, lists["rail"])
    unit = cb.save_unit(db, None, UnitInput(name="市建工集团", kind="企事业单位"), TODAY).id
    cb.claim_project(db, p.id, unit, date(2026, 3, 12), TODAY)
    cb.complete_project(db, p.id, date(2026, 4, 1), TODAY)
    cb.delete_item(db, p.id)
    assert states(db)["楼道没有扶手"] == "已解决"
