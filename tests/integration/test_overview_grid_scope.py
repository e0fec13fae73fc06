"""概览 for a 网格员: every count, figure and to-do is of their own grids, as their lists are, and says so
(本网格 / 我的网格); the 书记 keeps the community's. Services on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, overview, residents, roster, visits
from desktop_app.services.residents import ResidentFilter
from tests.integration.test_roles import PASSWORD, TODAY, as_user, fast_kdf, town, world  # noqa: F401


@pytest.fixture
def grids(db, world):
    """world plus a 预备党员 of the second grid whose probation ends this month (a to-do, a 政治生日),
    and an account holding both grids."""
    roster.create(db, MemberInput(
        name="钱预备", org_id=world["g2"], id_number=idcard.make("320102", date(1990, 2, 3), 5, "男"),
        category="预备党员", joined_date=date(2025, 6, 20)), today=TODAY)
    auth.create_user(db, "grid12", "周网格", "grid", PASSWORD, grid_ids=[world["g1"], world["g2"]])
    return world


def test_the_counts_are_the_grid_workers_own_grid_and_say_so(db, grids):
    as_user(db, "sec")
    whole = overview.overview(db, TODAY)
    assert (whole.residents, whole.households, whole.members, whole.scope) == (5, 2, 2, "")
    as_user(db, "grid1")
    mine = overview.overview(db, TODAY)
    assert (mine.residents, mine.households, mine.members, mine.probationary) == (2, 1, 1, 0)
    assert mine.orgs_by_kind == {"branch": 1} and mine.scope == "本网格（第一网格党支部）"
    # the same residents and households as the 居民 lists show this account
    assert (mine.residents, mine.households) == (len(residents.search_residents(db, ResidentFilter(), TODAY)),
                                                 len(residents.search_households(db)))
    as_user(db, "grid12")
    both = overview.overview(db, TODAY)
    assert (both.residents, both.households, both.members, both.scope) == (4, 2, 2, "我的网格（2 个）")


def test_the_figures_are_the_grid_workers_own_grid(db, grids):
    as_user(db, "sec")
    whole = overview.dashboard(db, TODAY.year, today=TODAY)
    assert (whole.values()["visits"], whole.values()["members_total"]) == (2, 2)
    assert whole.scope == "幸福里社区党委"
    as_user(db, "grid1")
    mine = overview.dashboard(db, TODAY.year, today=TODAY)
    assert mine.scope == "本网格（第一网格党支部）"
    v = mine.values()
    assert (v["visits"], v["problems_raised"], v["wishes_fulfilled"]) == (1, 1, 1)
    assert (v["members_total"], v["members_probationary"]) == (1, 0)
    assert v["visits"] == len(visits.list_visits(db, today=TODAY))  # what the 走访 list shows this account


def test_the_to_dos_are_the_grid_workers_own_grid(db, grids):
    as_user(db, "sec")
    whole = " ".join(i.text for i in overview.todo(db, TODAY).items)
    assert "钱预备" in whole and "楼下路灯不亮" in whole
    as_user(db, "grid1")
    mine = [i.text for i in overview.todo(db, TODAY).items]
    assert any("厨房水龙头漏水" in t for t in mine), mine
    assert not any("钱预备" in t or "楼下路灯不亮" in t or "曾国强" in t for t in mine), mine
    as_user(db, "grid12")
    assert "钱预备" in " ".join(i.text for i in overview.todo(db, TODAY).items)
