"""工作台 at a street (and a district, whose own books read 区本级): each figure tile's label is read whole at
1366 and 1024 px, not cut at its end."""

from __future__ import annotations

import os

import pytest

from desktop_app.gui.overview.page import TILE_PADDING, OverviewPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import site

SIDEBAR = 180  # the page list left of the page in the main window


@pytest.mark.parametrize("level, name, own", [("street", "梅园街道党工委", "街道"), ("district", "玄武区委", "区")])
def test_the_street_s_funds_tiles_fit_their_labels(qtbot, qapp, empty_db, wait_ops, shot, level, name, own):
    # 街道本级经费支出（不含党费） ended in 不含 at 1366 px; only its tooltip had it whole.
    from desktop_app.gui.app import make_app

    make_app()  # fonts and style sheet as the real program has them
    site.init_site(empty_db, "320102", name, level)
    page = OverviewPage(AppContext(empty_db, site.get_site(empty_db)))
    qtbot.addWidget(page)
    page.show()
    for screen in (1366, 1024):
        page.resize(screen - SIDEBAR, 700)
        page.refresh()
        wait_ops()
        qtbot.wait(50)  # the tiles lay out again once the page has its width
        if os.environ.get("SHOW_PNG"):
            shot(page, f"{level}-tiles-{screen}.png")
        tiles = {key: tile for key, tile in page.tile_of.items() if key.endswith("_fen")}
        assert {"spending_fen", "budget_fen", "income_fen"} <= set(tiles)
        for tile in page.tile_of.values():
            lines = tile.text().splitlines()[:-2]  # the label's lines, above the value and last year's
            assert "".join(lines) == tile.figure.label and tile.toolTip().startswith(tile.figure.label)
            assert tile.height() >= tile.sizeHint().height()  # a label on two lines is not cut below
            for line in lines:
                assert tile.fontMetrics().horizontalAdvance(line) <= tile.width() - TILE_PADDING, (screen, line)
        # the exact wording stays: the street's own books, not the street's communities' spending
        assert tiles["spending_fen"].figure.label == f"{own}本级经费支出（不含党费）"
        assert page.community.itemText(0) == f"全{own}"  # 范围's whole: 全街道, 全区
