"""The real main window, offscreen: navigation, overview counts, the org tree page."""

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.gui.widgets import common
from desktop_app.gui.orgs.org_dialog import OrgDialog
from desktop_app.gui.main_window import PAGES, MainWindow
from desktop_app.gui.orgs.page import ID_ROLE, build_model
from desktop_app.services import orgs


@pytest.fixture
def window(qtbot, app_ctx, wait_ops):
    c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    b = orgs.create(app_ctx.db, "第一网格党支部", "B01", "branch", c.id)
    orgs.create(app_ctx.db, "第一党小组", "G01", "group", b.id)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    return w


def names_in_tree(page):
    out = []

    def walk(parent):
        for row in range(page.proxy.rowCount(parent)):
            idx = page.proxy.index(row, 0, parent)
            out.append(idx.data())
            walk(idx)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


def fill_and_accept(name, code=None):
    def exec_(self):
        self.name.setText(name)
        if code is not None:
            self.code.setText(code)
        self.accept()
        return self.result()

    return exec_


def test_every_page_opens_and_the_window_says_where_the_data_is(window, wait_ops):
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [p.title for p in PAGES]
    for title in window.pages:
        page = window.go_to(title)
        wait_ops()
        assert window.stack.currentWidget() is page
    assert "幸福里社区党委" in window.site_label.text()
    assert str(window.ctx.db.path) in window.db_label.text()
    assert str(window.ctx.db.path) in window.about_text()


def test_pages_are_built_when_first_shown(window, wait_ops):
    first = PAGES[0].title
    assert list(window.pages.built()) == [first]  # the window paints without building the other pages
    assert window.stack.count() == len(window.pages)
    roster_page = window.pages["党员名册"]  # asking for a page builds it, in its own slot of the stack
    assert window.stack.indexOf(roster_page) == list(window.pages).index("党员名册")
    assert window.go_to("党员名册") is roster_page and window.stack.currentWidget() is roster_page
    window.nav.setCurrentRow(list(window.pages).index("党费"))
    wait_ops()
    assert window.stack.currentWidget() is window.pages.built()["党费"]
    assert set(window.pages.built()) == {first, "党员名册", "党费"}


def test_overview_shows_real_counts(window, wait_ops):
    page = window.go_to("概览")
    wait_ops()
    assert "党支部 1 个" in page.cards["orgs"].detail.text()
    assert "党小组 1 个" in page.cards["orgs"].detail.text()
    assert page.cards["members"].value.text() == "0"


def test_add_an_organization_through_the_dialog(window, wait_ops, monkeypatch):
    page = window.go_to("党组织")
    wait_ops()
    page.select(next(n.id for n in page.nodes.values() if n.kind == "community"))
    monkeypatch.setattr(OrgDialog, "exec", fill_and_accept("第二网格党支部"))
    page.add_child()
    wait_ops()
    assert "第二网格党支部" in names_in_tree(page)
    created = next(n for n in orgs.list_tree(window.ctx.db) if n.name == "第二网格党支部")
    assert created.kind == "branch"
    assert page.selected_id() == created.id  # the new branch is selected
    # the overview learns of it too
    ov = window.go_to("概览")
    wait_ops()
    assert "党支部 2 个" in ov.cards["orgs"].detail.text()


def test_dialog_refuses_an_empty_name(qtbot, app_ctx):
    dlg = OrgDialog(None, "新增组织", "community", code="B09")
    qtbot.addWidget(dlg)
    dlg.name.setText("  ")
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "名称" in dlg.error.text()


def test_a_service_refusal_shows_in_the_dialog_and_changes_nothing(window, wait_ops, monkeypatch, error_boxes):
    page = window.go_to("党组织")
    wait_ops()
    page.select(next(n.id for n in page.nodes.values() if n.kind == "community"))
    seen = {}

    def exec_(dlg):
        fill_and_accept("重复", code="B01")(dlg)  # a code another organisation has
        wait_ops()
        seen.update(message=dlg.message.text(), name=dlg.name.text(), result=dlg.result())
        return dlg.result()

    monkeypatch.setattr(OrgDialog, "exec", exec_)
    page.add_child()
    wait_ops()
    assert error_boxes == [] and "组织代码" in seen["message"]  # inside the dialog, not a box behind it
    assert seen["name"] == "重复" and seen["result"] != QDialog.DialogCode.Accepted
    assert "重复" not in names_in_tree(page)


def test_rename_move_and_delete_with_confirmation(window, wait_ops, monkeypatch):
    page = window.go_to("党组织")
    wait_ops()
    group = next(n for n in page.nodes.values() if n.kind == "group")
    page.select(group.id)
    monkeypatch.setattr(OrgDialog, "exec", fill_and_accept("先锋党小组"))
    page.rename_selected()
    wait_ops()
    assert "先锋党小组" in names_in_tree(page)

    c = next(n for n in page.nodes.values() if n.kind == "community")
    b2 = orgs.create(window.ctx.db, "第二网格党支部", "B02", "branch", c.id)
    page.refresh()
    wait_ops()
    page.tree.move_requested.emit(group.id, b2.id, None)  # what a drop onto 第二网格党支部 sends
    wait_ops()
    assert page.nodes[group.id].parent_id == b2.id

    page.select(group.id)
    monkeypatch.setattr(common, "ask", lambda *a: False)
    page.delete_selected()
    wait_ops()
    assert group.id in page.nodes
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.delete_selected()
    wait_ops()
    assert group.id not in page.nodes
    assert "先锋党小组" not in names_in_tree(page)


def test_filter_by_pinyin_initials_keeps_parents(window, wait_ops):
    page = window.go_to("党组织")
    wait_ops()
    page.filter.setText("dydxz")  # 第一党小组: di yi dang xiao zu
    names = names_in_tree(page)
    assert "第一党小组" in names and "第一网格党支部" in names  # its parents stay visible
    page.filter.setText("zzzz")
    assert names_in_tree(page) == []


def test_tree_model_passes_the_model_tester(qtmodeltester, db):
    model = build_model(orgs.list_tree(db))
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ID_ROLE)
