"""共驻共建 dialogs and details: what they say about the year and the visit a need came from."""

from __future__ import annotations

from datetime import date

from desktop_app.views.cobuilding import ReportingRow


def test_service_dialog_names_the_year_the_page_shows(qtbot, app_ctx):
    from desktop_app.gui.cobuilding.reporting_dialogs import ServiceDialog

    person = ReportingRow(id="r1", name="陈医生", gender="男", mobile_masked="", employer="区人民医院",
                          employer_org="区人民医院党委", unit_id=None, job="主治医师", reported_on=date(2023, 1, 1),
                          org_id=None, org_name="", posts="", services=3, hours_tenths=60, points=6, left_on=None,
                          from_roster=False)
    dlg = ServiceDialog(None, app_ctx.db, person, [], today=date(2025, 5, 1), year=2024)
    qtbot.addWidget(dlg)
    assert "2024年已服务 3 次" in dlg.summary.text()
    assert "本年" not in dlg.summary.text()  # 2024's counts are not this year's
    this_year = ServiceDialog(None, app_ctx.db, person, [], today=date(2025, 5, 1))
    qtbot.addWidget(this_year)
    assert "2025年已服务" in this_year.summary.text()


def test_a_need_from_a_visit_says_which_visit(app_ctx):
    from desktop_app.domain.service_flow import VisitInput
    from desktop_app.gui.cobuilding.lists import item_html
    from desktop_app.services import cobuilding as cb
    from desktop_app.services import orgs, visits
    from desktop_app.services import residents as res

    db, today = app_ctx.db, date(2026, 6, 28)
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h.id), today).id
    v = visits.log_visit(db, VisitInput(visit_date=date(2026, 3, 2), resident_id=wang, category="设施",
                                        content="楼道没有扶手", other_visitors="网格员小刘"), today=today)
    need = cb.need_from_visit(db, v.id, today)
    [listed] = cb.list_items(db, "需求")
    assert (listed.visit_id, listed.visit_date, listed.visit_visitee) == (v.id, date(2026, 3, 2), "王秀英")
    assert need.visit_visitee == "王秀英"
    html = item_html(listed)
    assert "来自走访" in html and "2026" in html and "王秀英" in html
    typed = cb.save_item(db, None, cb.ListInput("需求", "想要一个阅览室", raised_on=today), today)
    assert "来自" not in item_html(typed)  # typed in, not from a visit


def test_the_need_form_offers_the_domains_categories(qtbot, app_ctx, monkeypatch):
    """One copy of the 需求清单's 类别: the form reads the domain's list, so a word added there shows here."""
    from desktop_app.domain import service_flow
    from desktop_app.gui.cobuilding.lists import ListItemDialog

    monkeypatch.setattr(service_flow, "NEED_CATEGORIES", service_flow.NEED_CATEGORIES + ("就业",))
    dlg = ListItemDialog(None, app_ctx.db, "需求", [], [], [], [])
    qtbot.addWidget(dlg)
    offered = [dlg.category.itemData(i) for i in range(dlg.category.count())]
    assert offered[1:] == list(service_flow.NEED_CATEGORIES)
