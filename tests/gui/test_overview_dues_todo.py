"""工作台 → 党费欠缴: the to-do item opens the 欠交名单 of the branch its members are in, 党小组 included."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.members import MemberInput
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import dues, orgs, roster
from tests.gui.test_overview_gui import window  # noqa: F401 - the 工作台 on the fixture with known counts
from tests.integration.test_overview_figures import town  # noqa: F401 - the fixture with known counts

TODAY = date(2026, 3, 2)


def _todo(qtbot, w, wait_ops, kind: str, today: date = TODAY):
    """The 工作台 of `w` on `today`, and its one to-do item of `kind`."""
    page = w.pages["概览"]
    page.today = today
    w.resize(1366, 768)
    w.show()
    wait_ops()
    if w.stack.currentWidget() is not page:
        w.go_to("概览")
    page.refresh()
    wait_ops()
    (item,) = [page.todo_model.row(i) for i in range(page.todo_model.rowCount()) if page.todo_model.row(i).kind == kind]
    return page, item


def test_arrears_of_a_party_group_open_its_branch_s_list(qtbot, app_ctx, db, wait_ops):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)  # first in the list: the wrong place
    second = orgs.create(db, "第二网格党支部", "B02", "branch", community.id)
    group = orgs.create(db, "第二党小组", "B0202", "group", second.id)
    m = roster.create(db, MemberInput(name="王建华", org_id=group.id, joined_date=date(2000, 7, 1),
                                      confirmed_date=date(2001, 7, 1),
                                      id_number=idcard.make("320102", date(1970, 1, 2), 1, idcard.MALE)))
    dues.set_base(db, m.id, date(2025, 9, 1), EMPLOYED, 300_000)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    page, item = _todo(qtbot, w, wait_ops, "dues")
    assert item.text.startswith("第二网格党支部：1 人欠缴党费")
    opened = page.open_todo(item)
    wait_ops()
    assert w.stack.currentWidget() is opened is w.pages["党费"]
    assert opened.branch.currentData() == second.id
    assert [r.name for r in opened.arrears_model.rows] == ["王建华"]


def test_at_a_street_the_item_switches_to_the_branch_s_community(qtbot, qapp, empty_db, wait_ops):
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import site
    from tests.integration.test_street_branch_counts import street_of_two

    db = empty_db
    (first, _), (second, (member,)) = street_of_two(db)
    dues.set_base(db, member, date(2025, 9, 1), EMPLOYED, 300_000)
    make_app()
    w = MainWindow(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    dues_page = w.pages["党费"]
    w.go_to("党费")
    wait_ops()
    dues_page.community.setCurrentIndex(dues_page.community.findText("梅园社区党委"))  # the worker looked at 梅园
    wait_ops()
    assert dues_page.branch.currentData() == first
    page, item = _todo(qtbot, w, wait_ops, "dues")
    assert item.text.startswith("幸福里社区 · 第一网格党支部：1 人欠缴党费")
    assert page.open_todo(item) is dues_page
    wait_ops()
    assert dues_page.branch.currentData() == second
    assert dues_page.community.currentText() == "幸福里社区党委"
    assert len(dues_page.arrears_model.rows) == 1


def test_a_probation_item_opens_the_roster_on_that_member(window, wait_ops, town):  # noqa: F811
    # The 预备党员 item opened 党员名册 filtered to 预备党员 with nobody selected: in a roster with many
    # 预备党员 the worker had to look for the one the item names.
    page = window.pages["概览"]
    (item,) = [page.todo_model.row(i) for i in range(page.todo_model.rowCount()) if page.todo_model.row(i).kind == "probation"]
    opened = page.open_todo(item)
    wait_ops()
    assert opened is window.pages["党员名册"] and window.stack.currentWidget() is opened
    assert opened.selected_id() == town["wu"]
