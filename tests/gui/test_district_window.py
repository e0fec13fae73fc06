"""The window of an account confined to one community at the district names that community.

It said 玄武区委 / 全街道 over one community's rows, and its 经费台账 opened the
district's own empty books with 记支出 and 记收入 enabled (the write was then
refused). One database: a SQLite file, or the PostgreSQL cluster under DANGQUN_TEST_PG_URL.
"""

from __future__ import annotations

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.services import auth, ledger, site
from desktop_app.services.uow import UnitOfWork
from tests.integration.test_district_roles import PASSWORD, district  # noqa: F401 - the fixture

SEEN = "梅园街社区党委（梅园街道党工委）"


def _open(db, w, qtbot, wait_ops) -> MainWindow:
    """The window as the community's operator signs in to it."""
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext

    auth.create_user(db, "meiyuan-sq", "梅园社区操作员", "secretary", PASSWORD, org_id=w["a_community"],
                     must_change_password=False)
    auth.login(db, "meiyuan-sq", PASSWORD)
    make_app()
    win = MainWindow(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(win)
    win.skip_exit_backup = True
    win.show()  # a page loads when shown
    wait_ops()
    return win


@pytest.fixture
def window(district, qapp, qtbot, wait_ops):  # noqa: F811
    db, w = district
    return _open(db, w, qtbot, wait_ops), db, w


def test_title_and_scope_name_the_community(window, wait_ops):
    win, _db, _w = window
    assert win.windowTitle().endswith(SEEN) and "玄武区委测试" not in win.windowTitle()
    assert win.site_label.text() == f"只管：{SEEN}" and f"只管：{SEEN}" in win.about_text()
    page = win.go_to("概览")
    wait_ops()
    assert page.community.itemText(0) == SEEN  # was: 全街道
    assert page.community.findText("全街道") == -1


def test_ledger_without_the_communitys_books_says_so(window, wait_ops):
    win, _db, _w = window
    page = win.go_to("经费台账")
    wait_ops()
    assert "没有可查看的经费台账" in page.message.text()
    for act in (page.act_expense, page.act_income):
        assert not act.isEnabled()
        assert "本账户只管“梅园街社区党委”" in act.toolTip()


def test_ledger_opens_the_communitys_books(district, qapp, qtbot, wait_ops):  # noqa: F811
    db, w = district
    with UnitOfWork(db) as uow:  # the community's books, as its package brought them
        ledger.ensure_accounts_in(uow.session, w["a_community"])
        uow.commit()
    page = _open(db, w, qtbot, wait_ops).go_to("经费台账")
    wait_ops()
    assert page.book.currentData() == w["a_community"]  # was: the district's own (empty) books
    assert page.view.accounts  # the community's accounts are shown
    assert not page.act_expense.isEnabled() and not page.act_income.isEnabled()
