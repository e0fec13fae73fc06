"""The street office's overview: every community in a table, and the cards for one of them."""

from desktop_app.gui.widgets.page import AppContext
from desktop_app.gui.overview.page import OverviewPage
from desktop_app.services import demo, site
from desktop_app.store.migrate import open_database
from desktop_app.services import sync as keys, sync as merge
from desktop_app.services import sync as sync_export
from tests.integration.sync_world import enrol


def test_street_overview_lists_communities_and_filters_the_cards(qtbot, qapp, tmp_path, wait_ops, qtmodeltester):
    street, _ = open_database(tmp_path / "street.db")
    site.init_site(street, "310105", "长宁街道党工委", "street")
    keys.new_key(street, tmp_path / "street.key")
    sizes = {}
    for seed, members in ((3, 30), (4, 20)):
        db, _ = open_database(tmp_path / f"c{seed}.db")
        summary = demo.generate(db, members=members, seed=seed, with_modules=False)
        sizes[summary.org_name] = members
        enrol(street, db, tmp_path, f"c{seed}")  # each community enrols its own key
        package = sync_export.export_package(db, tmp_path / f"p{seed}.dqsync")
        merge.import_package(street, package.path)

    page = OverviewPage(AppContext(street, site.get_site(street)))
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    grid = page.street_model
    rows = {grid.index(r, 0).data(): int(grid.index(r, 1).data()) for r in range(grid.rowCount())}
    assert rows == sizes
    qtmodeltester.check(grid)
    assert page.cards["members"].value.text() == str(sum(sizes.values()))  # the whole street

    name = next(iter(sizes))
    page.community.setCurrentIndex(page.community.findText(name))
    wait_ops()
    assert page.cards["members"].value.text() == str(sizes[name])  # just that community
    # Every figure follows the chosen community, not only the standing counts.
    assert page.tile_of["members_total"].text().splitlines()[1] == str(sizes[name])
    board = page.board
    assert board.scope == name and "经费（街道账）" in board.left_out
    assert grid.columnCount() == 11  # the communities side by side, figures included
