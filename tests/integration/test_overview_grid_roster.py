"""A 网格员's 党员 figures open the roster on the members they count: the roster's organisation filter
takes their grids (several_orgs, each grid with the 党小组 under it) and lists exactly the members the
概览 counted; a 书记's figures stay the whole roster's. Services on a real migrated database."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import orgs, overview, roster
from desktop_app.views.roster import MemberFilter, several_orgs
from tests.integration.test_overview_grid_scope import grids  # noqa: F401
from tests.integration.test_roles import TODAY, as_user, fast_kdf, town, world  # noqa: F401


@pytest.fixture
def spread(db, grids):  # noqa: F811
    """grids plus a member outside them (a branch that is no grid) and one in a 党小组 of the second grid."""
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    other = orgs.create(db, "机关党支部", "J1", "branch", community.id).id
    group = orgs.create(db, "第二网格第一党小组", "G21", "group", grids["g2"]).id
    for seq, (name, org) in enumerate((("孙机关", other), ("周小组", group)), start=11):
        roster.create(db, MemberInput(name=name, org_id=org, id_number=idcard.make("320102", date(1970, 1, seq), seq,
                                                                                   "男"),
                                      joined_date=date(2000, 7, 1), confirmed_date=date(2001, 7, 1)), today=TODAY)
    return grids


def _listed(db, org: str) -> set[str]:
    """The names the roster shows under its default filter (在册党员) and the organisation filter."""
    ids = roster.search_ids(db, MemberFilter(active_only=True, org_id=org or None), today=TODAY)
    return {r.name for r in roster.rows(db, ids, TODAY)}


@pytest.mark.parametrize("login, names", [
    ("grid1", {"张三"}),
    ("grid12", {"张三", "钱预备", "周小组"}),
    ("sec", {"张三", "钱预备", "周小组", "孙机关"}),
])
def test_the_roster_lists_the_members_the_overview_counts(db, spread, login, names):
    as_user(db, login)
    counted = overview.overview(db, TODAY)
    figure = overview.dashboard(db, TODAY.year, today=TODAY).values()["members_total"]
    shown = _listed(db, several_orgs(counted.grids))
    assert shown == names
    assert counted.members == figure == len(shown)
    assert counted.grids == ((spread["g1"],) if login == "grid1" else
                             tuple(sorted((spread["g1"], spread["g2"]))) if login == "grid12" else ())


def test_one_organisation_is_the_filter_it_always_was(db, spread):
    assert several_orgs([spread["g2"]]) == spread["g2"]
    assert _listed(db, spread["g2"]) == {"钱预备", "周小组"}
    assert roster.stats(db, MemberFilter(active_only=True, org_id=several_orgs((spread["g1"], spread["g2"])))).total == 3
