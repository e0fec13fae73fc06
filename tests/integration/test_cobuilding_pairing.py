"""双进双认: pair a unit, take a post and adopt a household, visit it; the unit's page and the figures show it."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.services import cobuilding as cb
from desktop_app.services import orgs
from desktop_app.services import residents as res
from desktop_app.services.cobuilding import UnitInput

TODAY = date(2026, 6, 28)


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    h = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室",
                                                    head_name="王秀英"))
    unit = cb.save_unit(db, None, UnitInput(name="区税务局", kind="机关", party_org="区税务局机关党委"), TODAY).id
    return {"h": h.id, "unit": unit}


def test_pair_take_a_post_adopt_and_visit(db, town):
    p = cb.pair_unit(db, town["unit"], date(2026, 1, 10), "双进双认协议", TODAY)
    assert (p.row.unit_name, p.row.party_org) == ("区税务局", "区税务局机关党委")
    with pytest.raises(Conflict):
        cb.pair_unit(db, town["unit"], date(2026, 2, 1), today=TODAY)
    cb.take_on(db, p.id, "认岗位", "政策宣传岗", since=date(2026, 2, 1), today=TODAY)
    d = cb.take_on(db, p.id, "认亲戚", household_id=town["h"], since=date(2026, 2, 1), today=TODAY)
    adopted = next(i for i in d.items if i.kind == "认亲戚")
    assert adopted.name == "王秀英 梅园新村3栋2单元302室"
    with pytest.raises(Conflict):
        cb.take_on(db, p.id, "认亲戚", household_id=town["h"], since=date(2026, 2, 1), today=TODAY)
    with pytest.raises(ValidationError) as e:
        cb.take_on(db, p.id, "认岗位", "早于结对", since=date(2026, 1, 1), today=TODAY)
    assert e.value.field == "开始日期"
    d = cb.log_pairing_visit(db, adopted.id, date(2026, 3, 8), "李科长", "送米送油，了解身体情况", TODAY)
    assert d.row.visits == 1 and d.row.posts == 1 and d.row.households == 1
    page = cb.unit_year(db, town["unit"], 2026)
    assert "认亲戚：王秀英 梅园新村3栋2单元302室（走访 1 次）" in page.pairing
    figs = cb.figures(db, 2026)
    assert (figs.pairings, figs.pairing_posts, figs.adopted, figs.pairing_visits) == (1, 1, 1, 1)
    ended = cb.end_pairing(db, p.id, date(2026, 6, 1), TODAY)
    assert all(i.ended_on == date(2026, 6, 1) for i in ended.items)
    with pytest.raises(Conflict):
        cb.take_on(db, p.id, "认岗位", "又一个岗", since=date(2026, 6, 2), today=TODAY)
    assert [r.ended_on for r in cb.list_pairings(db, 2026)] == [date(2026, 6, 1)]


def test_the_street_counts_each_community_by_the_organisations_rows_hang_on(db, town, tmp_path, monkeypatch):
    from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.models_sync import SyncPeer

    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = next(n for n in orgs.list_tree(db) if n.kind == "branch")
    cb.record_activity(db, cb.ActivityInput(date(2026, 5, 1), "法律进社区", "法律讲座", residents_served=30,
                                            org_ids=[branch.id], unit_ids=[town["unit"]],
                                            people=[cb.PersonInput("志愿者", "小王", 20)]), TODAY)
    r = cb.register_reporting(db, cb.ReportingInput(name="陈科长", employer="区税务局", org_id=branch.id,
                                                    reported_on=date(2026, 1, 5)), TODAY)
    cb.log_service(db, r.id, cb.ServiceInput(date(2026, 2, 1), "政策宣传", 15), TODAY)
    p = cb.pair_unit(db, town["unit"], date(2026, 1, 10), today=TODAY)
    d = cb.take_on(db, p.id, "认亲戚", household_id=town["h"], since=date(2026, 1, 10), today=TODAY)
    cb.log_pairing_visit(db, d.items[0].id, date(2026, 3, 1), "", "看望", TODAY)
    from desktop_app.services import ledger

    account = next(a for a in ledger.list_accounts(db) if not a.is_dues).id
    act = cb.list_activities(db, 2026)[0]
    cb.record_cost(db, cb.CostInput(date(2026, 5, 2), account, 45_600), activity_id=act.id, today=TODAY)
    with UnitOfWork(db) as uow:  # as the street knows a community that sent packages
        uow.session.add(SyncPeer(site_id="c1", level="community", org_code="C1", org_name=community.name,
                                 org_id=community.id))
        uow.commit()
    [c] = cb.street_figures(db, 2026)
    assert (c.activities, c.four_into, c.residents_served, c.activity_hours_tenths, c.units_active) == (1, 1, 30, 20, 1)
    assert (c.reporting_members, c.reporting_services, c.reporting_hours_tenths) == (1, 1, 15)
    assert (c.adopted, c.pairing_visits) == (1, 1)
    assert c.cost_fen == 45_600  # the community's own books
    assert cb.community_figures(db, community.id, community.name, 2026) == c
    assert cb.street_figures(db, 2025)[0].activities == 0
    out = tmp_path / "street.pdf"
    assert cb.print_street_summary(db, 2026, out, today=TODAY) == 1
    assert out.stat().st_size > 1000
    from io import BytesIO

    from pypdf import PdfReader
    assert "456.00" in "".join(pg.extract_text() for pg in PdfReader(BytesIO(out.read_bytes())).pages)
