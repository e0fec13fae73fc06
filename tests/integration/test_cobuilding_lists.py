"""三单: a need from a visit, a unit's resource, a project matching them claimed and done, tied to a 微实事."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import VisitInput
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, visits
from desktop_app.services import residents as res
from desktop_app.services.cobuilding import ListInput, UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id), TODAY).id
    v = visits.log_visit(db, VisitInput(visit_date=date(2026, 3, 2), resident_id=wang, category="设施",
                                        content="楼道没有扶手，老人上下楼困难", other_visitors="网格员小刘"), today=TODAY)
    unit = cb.save_unit(db, None, UnitInput(name="市建工集团", kind="企事业单位"), TODAY).id
    return {"g1": g1, "visit": v.id, "unit": unit, "wang": wang}


def test_need_resource_project_claimed_and_done(db, town):
    need = cb.need_from_visit(db, town["visit"], TODAY)
    assert (need.title, need.state, need.grid_id) == ("楼道没有扶手，老人上下楼困难", "待对接", town["g1"])
    with pytest.raises(ValidationError):
        cb.need_from_visit(db, town["visit"], TODAY)  # once
    with pytest.raises(ValidationError) as e:
        cb.save_item(db, None, ListInput(rules.RESOURCE, "施工队", raised_on=TODAY), TODAY)
    assert e.value.field == "提供单位"
    resource = cb.save_item(db, None, ListInput(rules.RESOURCE, "施工队和材料", category="专业服务",
                                                raised_on=date(2026, 3, 5), unit_id=town["unit"]), TODAY)
    project = cb.save_item(db, None, ListInput(rules.PROJECT, "老旧楼道加装扶手", raised_on=date(2026, 3, 10),
                                               grid_id=town["g1"], need_id=need.id, resource_id=resource.id), TODAY)
    assert (project.state, project.need_title, project.resource_title) == ("待认领", need.title, "施工队和材料")
    assert cb.list_items(db, rules.NEED)[0].state == "已立项"
    claimed = cb.claim_project(db, project.id, town["unit"], date(2026, 3, 12), TODAY)
    assert (claimed.state, claimed.unit_name) == ("已认领", "市建工集团")
    with pytest.raises(ValidationError):
        cb.claim_project(db, project.id, town["unit"], date(2026, 3, 12), TODAY)
    with pytest.raises(ValidationError):
        cb.delete_item(db, need.id)  # a project answers it
    done = cb.complete_project(db, project.id, date(2026, 5, 1), TODAY)
    assert done.state == "已完成" and cb.list_items(db, rules.NEED)[0].state == "已解决"
    assert [r.title for r in cb.list_items(db, rules.PROJECT, 2026, state="已完成")] == ["老旧楼道加装扶手"]
    assert cb.link_project(db, project.id, None).project_id is None


def test_a_need_from_a_visit_takes_the_lists_category(db, town):
    """The visit's 问题类别 (供水, 养老服务 …) becomes the 需求清单's word for it (设施, 助老 …)."""
    made = []
    for category, content in (("供水", "厨房水龙头漏水"), ("养老服务", "想报名老年助餐"), ("政策咨询", "医保缴费怎么办")):
        v = visits.log_visit(db, VisitInput(visit_date=date(2026, 3, 3), resident_id=town["wang"], category=category,
                                            content=content, other_visitors="网格员小刘"), today=TODAY)
        made.append(cb.need_from_visit(db, v.id, TODAY).category)
    assert made == ["设施", "助老", "其他"]
    assert cb.need_from_visit(db, town["visit"], TODAY).category == "设施"  # already the list's word
