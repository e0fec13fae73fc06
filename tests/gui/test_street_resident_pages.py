"""At a street that merged several communities, the resident-service pages name each row's grid with its
community where grid names repeat, and offer a community selector that narrows grids and rows."""

from __future__ import annotations

import pytest

from desktop_app.gui.mediation.page import MediationPage
from desktop_app.gui.projects.page import ProjectsPage
from desktop_app.gui.residents.page import ResidentsPage
from desktop_app.gui.visits.page import VisitsPage
from desktop_app.gui.widgets.page import AppContext
from desktop_app.gui.wishes.page import WishesPage
from desktop_app.services import demo, residents, site, sync
from desktop_app.store.migrate import open_database
from tests.integration.sync_world import enrol


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    """A street that merged two demo communities with their residents, visits and wishes."""
    folder = tmp_path_factory.mktemp("street")
    db, _ = open_database(folder / "street.db")
    site.init_site(db, "310105", "长宁街道党工委", "street")
    sync.new_key(db, folder / "street.key")
    names = []
    for seed in (3, 4):
        c, _ = open_database(folder / f"c{seed}.db")
        names.append(demo.generate(c, members=12, seed=seed).org_name)
        enrol(db, c, folder, f"c{seed}")
        sync.import_package(db, sync.export_package(c, folder / f"p{seed}.dqsync").path)
        c.dispose()
    yield db, names
    db.dispose()


def test_grids_at_the_street_carry_their_community(street):
    db, names = street
    grids = residents.grids(db)
    assert {g.community for g in grids} == set(names)
    labels = [g.name for g in grids]
    assert len(labels) == len(set(labels))  # two 第一网格党支部 are told apart
    assert any(" · " in label for label in labels)


def _rows(page) -> list:
    return list(page.panel.model.rows)


@pytest.mark.parametrize("page_class", [VisitsPage, WishesPage, ProjectsPage, MediationPage, ResidentsPage])
def test_each_resident_page_has_a_community_selector(qtbot, qapp, street, wait_ops, page_class):
    db, names = street
    page = page_class(AppContext(db, site.get_site(db)))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_ops()
    assert page.community.isVisible()
    assert sorted(page.community.itemText(i) for i in range(1, page.community.count())) == sorted(names)
    grid = page.choice("grid")
    every_grid = {grid.itemText(j) for j in range(1, grid.count())}
    everything = _rows(page)
    in_a_grid = [r for r in everything if r.grid_name in every_grid]
    per_community = []
    for i in (1, 2):
        page.community.setCurrentIndex(i)
        wait_ops()
        mine = {g.name for g in page.grids if g.community_id == page.community.currentData()}
        assert mine and {grid.itemText(j) for j in range(1, grid.count())} == mine
        shown = _rows(page)
        assert all(r.grid_name in mine for r in shown)
        per_community.append(len(shown))
    assert sum(per_community) == len(in_a_grid)
    if page_class in (VisitsPage, WishesPage, ResidentsPage):  # the demo gives every community some
        assert all(per_community)
    page.community.setCurrentIndex(0)
    wait_ops()
    assert {grid.itemText(j) for j in range(1, grid.count())} == every_grid and len(_rows(page)) == len(everything)


def test_a_community_sees_no_community_selector(qtbot, app_ctx, wait_ops):
    page = WishesPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert page.community.isHidden()
