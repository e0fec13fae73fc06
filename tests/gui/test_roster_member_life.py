"""The member form opens 党员动态 (exits, discipline, moves) and the roster filters by every 党籍 status,
the exit statuses (除名, 退党, 开除党籍, 自行脱党) included; offscreen on a real SQLite file."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import members as rules
from desktop_app.gui.memberlife import member as life_gui
from desktop_app.gui.roster.member_dialog import MemberDialog
from desktop_app.gui.roster.page import RosterPage
from desktop_app.services import memberlife as ml
from desktop_app.services import orgs, roster
from tests.gui.test_roster_gui import people, person, shown, tree  # noqa: F401  (fixtures)


def test_the_form_opens_the_members_life_dialog(qtbot, app_ctx, people, monkeypatch):
    db = app_ctx.db
    m = people["李四"]
    opened = []
    monkeypatch.setattr(life_gui.MemberLifeDialog, "exec", lambda self: opened.append((self.member, self.db)) or 0)
    dlg = MemberDialog(None, orgs.list_tree(db), lambda inp: None, roster.get(db, m.id), registration=None, db=db)
    qtbot.addWidget(dlg)
    assert dlg.life_button.text() == "党员动态…"
    dlg.life_button.click()
    assert opened == [((m.id, "李四"), db)]
    new = MemberDialog(None, orgs.list_tree(db), lambda inp: None, db=db)  # a member not saved yet has no life
    qtbot.addWidget(new)
    assert not hasattr(new, "life_button")


def test_the_status_filter_offers_the_exit_statuses_and_lists_who_left(qtbot, app_ctx, people, wait_ops):
    db = app_ctx.db
    ml.record_exit(db, people["王五"].id, ml.ExitInput(rules.EXIT_STATUSES[1], date(2025, 3, 1), "支部大会", "1号"))
    page = RosterPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    offered = {page.status.itemData(i) for i in range(page.status.count())}
    assert set(rules.ALL_STATUSES) <= offered and {"除名", "退党", "开除党籍", "自行脱党"} <= offered
    assert "王五" not in shown(page)  # gone from the members in good standing
    page.status.setCurrentIndex(page.status.findData(rules.EXIT_STATUSES[1]))
    wait_ops()
    assert shown(page) == ["王五"]
