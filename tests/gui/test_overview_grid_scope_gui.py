"""The 概览 a 网格员 opens names their grid in its title, on the standing counts and above the figures,
and counts only it; the 书记's stays the community's."""

from __future__ import annotations

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site
from tests.integration.test_overview_grid_scope import grids  # noqa: F401
from tests.integration.test_roles import TODAY, as_user, fast_kdf, town, world  # noqa: F401


def _overview(qtbot, wait_ops, db, login):
    as_user(db, login)
    w = MainWindow(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait_ops()
    page = w.pages["概览"]
    page.year.setCurrentIndex(page.year.findData(TODAY.year))  # the fixtures' year, whatever today's is
    wait_ops()
    return w, page


@pytest.mark.parametrize("login, scope, residents, households, members", [
    ("grid1", " · 本网格（第一网格党支部）", "2", "住户 1 户 · 本网格", "1"),
    ("sec", "", "5", "住户 2 户", "2"),
])
def test_the_overview_names_and_counts_what_the_account_sees(qtbot, app_ctx, wait_ops, grids, shot,  # noqa: F811
                                                              login, scope, residents, households, members):
    w, page = _overview(qtbot, wait_ops, app_ctx.db, login)
    assert page.title.text() == f"概览 · 幸福里社区党委{scope}"
    cards = page.cards
    assert (cards["residents"].value.text(), cards["residents"].detail.text()) == (residents, households)
    assert cards["members"].value.text() == members
    assert page.left_note.text().startswith("范围：本网格（第一网格党支部）；") == bool(scope)
    assert page.tile_of["visits"].text().splitlines()[1] == ("1" if scope else "2")
    shot(w, f"overview_{login}.png")


def test_an_account_of_two_grids_reads_my_grids(qtbot, app_ctx, wait_ops, grids):  # noqa: F811
    w, page = _overview(qtbot, wait_ops, app_ctx.db, "grid12")
    assert page.title.text() == "概览 · 幸福里社区党委 · 我的网格（2 个）"
    assert page.cards["residents"].detail.text() == "住户 2 户 · 我的网格"
    assert page.left_note.text().startswith("范围：我的网格（2 个）；")
