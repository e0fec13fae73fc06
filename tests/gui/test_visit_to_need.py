"""A resident's need raised on a visit goes onto 三单's 需求清单 from the 走访 page (the service could, no page did:
the worker typed it again on 三单)."""

from datetime import date

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.service_flow import VisitInput
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs, visits
from desktop_app.services import residents as res


def test_a_visit_s_need_goes_onto_the_need_list_once(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id)).id
    today = date.today()
    v = visits.log_visit(db, VisitInput(visit_date=today, resident_id=wang, category="设施",
                                        content="楼道没有扶手，老人上下楼困难", other_visitors="网格员小刘"), today=today)
    greeting = visits.log_visit(db, VisitInput(visit_date=today, resident_id=wang, category="设施", content="节日问候",
                                               raised_issue=False, other_visitors="网格员小刘"), today=today)
    page = VisitsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.panel.select_id(greeting.id)
    wait_ops()
    assert not page.act_need.isEnabled()  # nothing raised, nothing to put on the list
    page.panel.select_id(v.id)
    wait_ops()
    assert page.act_need.isEnabled()
    page.act_need.trigger()
    wait_ops()
    [need] = cb.list_items(db, rules.NEED)
    assert (need.title, need.state, need.grid_id) == ("楼道没有扶手，老人上下楼困难", rules.NEED_OPEN, g1)
    assert "已转入需求清单" in page.message.text()
