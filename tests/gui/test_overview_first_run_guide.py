"""A community's first morning: 概览 leads with the steps that fill its books, not 32 figures of 0."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.bus import bus
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import orgs, roster
from desktop_app.views.changes import Change


def open_overview(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.resize(1024, 768)  # the least screen the page is laid out for
    w.show()
    page = w.go_to("概览")
    wait_ops()
    return w, page


def states(page) -> dict[str, str]:
    return {key: label.text() for key, label in page.first_steps.states.items()}


def test_an_empty_roster_shows_the_first_steps_and_each_opens_its_page(qtbot, app_ctx, wait_ops, shot, monkeypatch):
    w, page = open_overview(qtbot, app_ctx, wait_ops)
    assert page.tabs.tabText(0) == "开始使用" and page.tabs.currentWidget() is page.guide
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["开始使用", "本年数据", "图表"]
    assert states(page) == {"members": "未完成", "orgs": "未完成", "residents": "未完成", "backup": ""}
    shot(w, "overview-first-steps-1024.png")
    page.first_steps.buttons["members"].click()
    assert w.stack.currentWidget() is w.pages["导入表格"] and w.pages["导入表格"].kind == "members"
    w.go_to("概览")
    page.first_steps.buttons["orgs"].click()
    assert w.stack.currentWidget() is w.pages["党组织"]
    w.go_to("概览")
    page.first_steps.buttons["residents"].click()
    assert w.stack.currentWidget() is w.pages["居民"]
    w.go_to("概览")
    asked = []
    monkeypatch.setattr(w, "backup_now", lambda then=None: asked.append(then))
    page.first_steps.buttons["backup"].click()
    assert asked == [page.refresh]


def test_the_steps_tick_off_and_the_guide_gives_way_to_the_figures(qtbot, app_ctx, db, wait_ops, shot):
    w, page = open_overview(qtbot, app_ctx, wait_ops)
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    bus.announce(Change.ORGS)  # as the 党组织 page does after a save
    w.go_to("党组织")
    w.go_to("概览")
    wait_ops()
    assert states(page)["orgs"] == "✓ 已有 1 个党支部" and states(page)["members"] == "未完成"
    assert page.tabs.currentWidget() is page.guide
    shot(w, "overview-first-steps-one-done.png")
    born = date(1980, 3, 2)
    roster.create(db, MemberInput(name="张建国", org_id=branch, id_number=idcard.make("320102", born, 1, "男"),
                                  gender="男", birth_date=born, joined_date=date(2005, 7, 1),
                                  confirmed_date=date(2006, 7, 1)))
    bus.announce(Change.MEMBERS)
    w.go_to("党员名册")
    w.go_to("概览")
    wait_ops()
    assert page.tabs.indexOf(page.guide) == -1  # the roster has a member: the year's figures lead again
    assert page.tabs.tabText(0) == "本年数据" and page.tabs.currentIndex() == 0
    assert page.tile_of["members_total"].text().splitlines()[1] == "1"


def test_a_read_only_account_gets_no_guide(qtbot, app_ctx, wait_ops, monkeypatch):
    # it could do none of the steps: the figures, as before
    from desktop_app.services import auth

    real = auth.can
    monkeypatch.setattr(auth, "can", lambda db, perm: perm != "members.write" and real(db, perm))
    w, page = open_overview(qtbot, app_ctx, wait_ops)
    assert page.tabs.indexOf(page.guide) == -1 and page.tabs.tabText(0) == "本年数据"


def test_a_street_with_no_community_yet_shows_how_their_data_comes_in(qtbot, qapp, empty_db, wait_ops, tmp_path):
    # a street's books are its communities' packages: its steps are the key, the enrolments and the imports
    from desktop_app.gui.app import make_app
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import demo, site, sync
    from desktop_app.store.migrate import open_database
    from tests.integration.sync_world import enrol

    site.init_site(empty_db, "310105", "长宁街道党工委", "street")
    make_app()
    w = MainWindow(AppContext(empty_db, site.get_site(empty_db)))
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    page = w.go_to("概览")
    wait_ops()
    assert page.tabs.tabText(0) == "开始使用" and page.tabs.currentWidget() is page.guide
    assert states(page) == {"key": "", "enrol": "", "communities": "未完成", "backup": ""}
    page.first_steps.buttons["communities"].click()
    assert w.stack.currentWidget() is w.pages["数据同步"]
    # the first community's package in: the street's figures and 各社区 lead again
    sync.new_key(empty_db, tmp_path / "street.key")
    community, _ = open_database(tmp_path / "c.db")
    demo.generate(community, members=12, seed=3, with_modules=False)
    enrol(empty_db, community, tmp_path, "c")
    sync.import_package(empty_db, sync.export_package(community, tmp_path / "c.dqsync").path)
    bus.announce(Change.ALL)
    w.go_to("概览")
    wait_ops()
    assert page.tabs.indexOf(page.guide) == -1 and page.tabs.tabText(0) == "本年数据"
