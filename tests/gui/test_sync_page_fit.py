"""数据同步 at a district: its 各社区 list says which street each community is under (未设置 for one enrolled before
streets were kept), and the page fits a 1024 screen beside the navigation (it needed 1026 pixels): the key's
buttons stand beside the key, and the list folds its lesser columns as the kit's lists do; at 1366 all show."""

from __future__ import annotations

from desktop_app.gui.sync.models import COMMUNITY_GIVE_WAY
from desktop_app.services import auth, sync
from tests.gui.test_cobuilding_lists_narrow import NAVIGATION
from tests.gui.test_district_enrol_gui import district  # noqa: F401 - a fixture
from tests.gui.test_district_sync_words_gui import _page, linked  # noqa: F401 - a fixture
from tests.integration.test_district_enrolment import ADMIN_PASSWORD


def _shown(view) -> list[str]:
    header, model = view.horizontalHeader(), view.model()
    return [model.columns[i].title for i in range(model.columnCount()) if not header.isSectionHidden(i)]


def _street_cells(page) -> list[str]:
    titles = [c.title for c in page.communities.columns]
    return [page.communities.index(r, titles.index("所属街道")).data() for r in range(page.communities.rowCount())]


def test_the_district_s_list_names_each_community_s_street(qtbot, wait_ops, linked, shot):  # noqa: F811
    db, c, a, b = linked
    auth.login(db, "admin", ADMIN_PASSWORD)
    page = _page(qtbot, wait_ops, db)
    assert [col.title for col in page.communities.columns][:2] == ["社区", "所属街道"]
    assert _street_cells(page) == ["未设置"]  # enrolled before streets were kept: 设置所属街道… is for it
    assert [x.street_name for x in sync.community_counts(db)] == [""]  # the overview's 各社区 reads it there
    sync.enrol_set_street(db, page.communities.row(0).site_id, b.id)
    page.refresh()
    wait_ops()
    assert _street_cells(page) == ["新街口街道党工委"]
    assert [x.street_name for x in sync.community_counts(db)] == ["新街口街道党工委"]
    for width in (1024, 1366):
        page.resize(width - NAVIGATION, 640)
        qtbot.wait(30)
        shot(page, f"district_sync_{width}.png")


def test_the_district_s_page_fits_1024_beside_the_navigation_and_shows_every_column_at_1366(
        qtbot, wait_ops, linked):  # noqa: F811
    db = linked[0]
    auth.login(db, "admin", ADMIN_PASSWORD)
    page = _page(qtbot, wait_ops, db)
    assert page.street_button.isVisible() and page.revoke_button.isVisible() and page.replace_key.isVisible()
    assert page.minimumSizeHint().width() <= 1024 - NAVIGATION, page.minimumSizeHint()
    view = page.community_view
    page.resize(1024 - NAVIGATION, 640)
    qtbot.wait(30)
    assert view.horizontalScrollBar().maximum() == 0, _shown(view)
    hidden = [c.title for c in page.communities.columns if c.title not in _shown(view)]
    assert set(hidden) == set(COMMUNITY_GIVE_WAY[:len(hidden)])  # first first
    assert {"社区", "所属街道", "最近数据包", "提醒"} <= set(_shown(view))
    page.resize(1366 - NAVIGATION, 640)
    qtbot.wait(30)
    assert view.horizontalScrollBar().maximum() == 0
    assert _shown(view) == [c.title for c in page.communities.columns]


def test_a_street_s_list_has_no_street_column(qtbot, wait_ops, linked):  # noqa: F811
    """At a street's database every community is under it: the column would say the one street on every row."""
    from desktop_app.gui.sync.models import COMMUNITY_COLUMNS

    assert "所属街道" not in [c.title for c in COMMUNITY_COLUMNS]
    db = linked[0]
    assert all(c.street_name is not None for c in sync.communities(db))  # a district's rows carry it
