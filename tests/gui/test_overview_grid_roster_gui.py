"""A 网格员's 党员 figure opens 党员名册 on the members it counted (their grid, or both of two grids);
the 书记's on the whole roster. The figure and the rows the roster shows agree."""

from __future__ import annotations

import pytest

from tests.gui.test_overview_grid_folder_gui import overview_as
from tests.integration.test_overview_grid_roster import spread  # noqa: F401
from tests.integration.test_overview_grid_scope import grids  # noqa: F401
from tests.integration.test_roles import TODAY, fast_kdf, town, world  # noqa: F401


@pytest.mark.parametrize("login, members, shown_org", [
    ("grid1", 1, "本网格"), ("grid12", 3, "我的网格"), ("sec", 4, "全部党组织")])
def test_the_members_figure_opens_the_roster_on_what_it_counts(qtbot, app_ctx, wait_ops, spread, shot,  # noqa: F811
                                                               login, members, shown_org):
    w, page = overview_as(qtbot, app_ctx, wait_ops, login)
    page.year.setCurrentIndex(page.year.findData(TODAY.year))
    wait_ops()
    assert page.cards["members"].value.text() == str(members)
    tile = page.tile_of["members_total"]
    assert tile.text().splitlines()[1] == str(members)
    tile.click()
    wait_ops()
    roster = w.pages["党员名册"]
    assert w.stack.currentWidget() is roster
    qtbot.waitUntil(lambda: roster.count_label.text() == f"共 {members} 名", timeout=20_000)
    assert roster.branch.currentText() == shown_org
    shot(w, f"grid_roster_{login}.png")
