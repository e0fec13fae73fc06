"""The pages each role is shown open on their lists, never on an error box.

A 网格员 saw every page in the navigation; 21 of them (三会一课, 共建…, 经费台账, 党费 …) read
what the role may not read, so each opened on 出错了 and an empty list. A page is listed only
for an account that may read what it shows (the error-box guard of tests/gui/conftest.py
fails the test on any such box). And a 只读 account was offered every 新增 form, filled it in and
was refused only on 保存: a page's 新增 and 删除 are shown to those who may write what they change.
"""

from __future__ import annotations

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.widgets.page import AppContext
from desktop_app.services import auth, site
from tests.integration.test_roles import PASSWORD, fast_kdf, town  # noqa: F401 - the accounts of every role


def _window(qtbot, wait_ops, db, login: str) -> MainWindow:
    auth.login(db, login, PASSWORD)
    w = MainWindow(AppContext(db=db, site=site.get_site(db)))
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    return w


@pytest.mark.parametrize("login", ["grid1", "street"])
def test_every_page_a_role_is_shown_opens_without_an_error(qtbot, app_ctx, wait_ops, town, login):
    w = _window(qtbot, wait_ops, app_ctx.db, login)
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    for title in titles:
        w.go_to(title)
        wait_ops()
    if login == "grid1":  # the grid's own work stays in sight; what it may not read is not listed
        assert {"概览", "党员名册", "居民", "走访", "微心愿"} <= set(titles)
        assert not {"三会一课", "共建单位", "经费台账", "党费", "矛盾调处", "发展党员"} & set(titles)
    else:  # 只读 reads everything but the trail and the accounts
        assert len(titles) == 30 and "操作记录" not in titles and "用户管理" not in titles


def _offered(page, keys: str) -> bool:
    """Whether the page offers the action on `keys` (Ctrl+N: its 新增, Del: its 删除) to the account."""
    from PySide6.QtGui import QAction

    return any(a.isVisible() and any(k.toString() == keys for k in a.shortcuts()) for a in page.findChildren(QAction))


PAGES = ("党组织", "党员名册", "三会一课", "居民", "走访", "微心愿", "共建单位", "经费台账")


def test_a_read_only_account_is_not_offered_a_form_it_may_not_save(qtbot, app_ctx, wait_ops, town):
    new, delete = {}, {}
    for login in ("admin", "street", "grid1"):
        w = _window(qtbot, wait_ops, app_ctx.db, login)
        new[login] = {title for title in PAGES if title in w.pages and _offered(w.pages[title], "Ctrl+N")}
        delete[login] = {title for title in PAGES if title in w.pages and _offered(w.pages[title], "Del")}
        wait_ops()
        w.close()
    # 只读 filled in 新增党员, 新增居民, 记支出 … and was refused on 保存; 删除 asked, then was refused
    assert new["street"] == set() and delete["street"] == set()
    assert new["admin"] == set(PAGES)
    assert {"党员名册", "三会一课", "走访", "微心愿", "共建单位"} <= delete["admin"]
    assert new["grid1"] == {"居民", "走访", "微心愿"}  # the grid's own work; not the roster's 新增党员
    assert delete["grid1"] == delete["admin"] & {"居民", "走访", "微心愿"}


def test_the_roster_offers_its_import_only_to_who_may_import(qtbot, app_ctx, wait_ops, town):
    shown = {}
    for login in ("admin", "street", "grid1"):
        w = _window(qtbot, wait_ops, app_ctx.db, login)
        shown[login] = w.pages["党员名册"].act_import.isVisible()
        w.close()
    # 只读 and 网格员 chose a file, waited for the preview and were refused on 导入
    assert shown == {"admin": True, "street": False, "grid1": False}


def test_the_import_page_lists_what_the_account_may_import(qtbot, app_ctx, wait_ops, town):
    kinds, can_choose, said = {}, {}, {}
    for login in ("admin", "street", "grid1"):
        w = _window(qtbot, wait_ops, app_ctx.db, login)
        page = w.go_to("导入表格")
        wait_ops()
        kinds[login] = [page.kind_box.itemText(i) for i in range(page.kind_box.count())]
        can_choose[login], said[login] = page.choose_button.isEnabled(), page.summary.text()
        w.close()
    assert len(kinds["admin"]) == 6 and can_choose["admin"]
    # a 网格员 chose 党员信息 or 经费收支明细, waited for the preview and was refused
    assert kinds["grid1"] == ["居民和住户", "走访记录（走访台账）"] and can_choose["grid1"]
    # 只读 was offered every kind and a file dialog, for nothing
    assert kinds["street"] == [] and not can_choose["street"] and "只读" in said["street"]
