"""A district's 党组织 page can make its streets: 新增街道党工委, at the top of the tree.

The district's database is set up as a street (README, District mode), and its
streets stand beside its own root so an operator can be confined to one
(`dangqun user add … --org 街道代码`). The page's only way to add was 新增下级组织
under the current row, and a row is always current: a 街道党工委 may not hold
another, so no street could be made anywhere a district's IT person could reach.
"""

from __future__ import annotations

import pytest

from desktop_app.gui.orgs.org_dialog import OrgDialog
from desktop_app.gui.orgs.page import OrgsPage
from desktop_app.services import orgs, site


@pytest.fixture
def district_page(empty_db, qapp, qtbot, wait_ops):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext

    site.init_site(empty_db, "320102", "玄武区委", "street")
    root = orgs.list_tree(empty_db)[0]
    orgs.create(empty_db, "梅园社区党委", "320102001", "community", root.id)
    make_app()
    page = OrgsPage(AppContext(db=empty_db, site=site.get_site(empty_db)))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_ops()
    return page


def test_a_district_adds_a_street_at_the_top_and_moves_a_community_under_it(district_page, monkeypatch, wait_ops):
    page, db = district_page, district_page.ctx.db
    assert page.act_add_street.isVisible() and page.act_add_street.isEnabled()
    assert page.selected_org() is not None  # a row is current: 新增下级组织 alone could not make a street

    def fill(self):
        assert [self.kind.itemData(i) for i in range(self.kind.count())] == ["street"]
        self.name.setText("梅园街道党工委")
        self.code.setText("320102100")
        self.accept()
        return self.result()

    monkeypatch.setattr(OrgDialog, "exec", fill)
    page.act_add_street.trigger()
    wait_ops()
    street = next(n for n in orgs.list_tree(db) if n.code == "320102100")
    assert street.kind == "street" and street.parent_id is None
    community = next(n for n in orgs.list_tree(db) if n.code == "320102001")
    page.move_to(community.id, street.id, None)
    wait_ops()
    assert orgs.get(db, community.id).parent_id == street.id


def test_a_community_does_not_offer_it(app_ctx, qtbot, wait_ops):
    page = OrgsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    assert not page.act_add_street.isVisible()
