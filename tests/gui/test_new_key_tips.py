"""新增's tooltip names both its keys, Ctrl+N and Insert (the manual's 常用快捷键 promises both), on a kit page
and on a page that builds its toolbar by hand, and both keys really do it."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from desktop_app.gui.roster.page import RosterPage
from desktop_app.gui.visits.page import VisitsPage
from tests.gui.test_service_gui import show, town  # noqa: F401 (fixtures)


def test_the_new_action_tip_names_ctrl_n_and_insert(qtbot, app_ctx, wait_ops, town):
    visits = show(qtbot, wait_ops, VisitsPage(app_ctx))
    assert visits.act_log.toolTip() == "登记走访（Ctrl+N 或 Insert）"
    assert QKeySequence("Ins") in visits.act_log.shortcuts()
    roster = RosterPage(app_ctx)
    qtbot.addWidget(roster)
    assert roster.act_add.toolTip() == "新增（Ctrl+N 或 Insert）"
    assert QKeySequence("Ins") in roster.act_add.shortcuts()
    # other keys are written as they are
    assert all("Insert" not in a.toolTip() for a in visits.toolbar.actions() if a is not visits.act_log)
