"""The record-list kit's 删除 answers the Delete key on every page that declares it, asking first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.gui.widgets import common
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 - fixture
from tests.gui.test_keyboard_shortcuts import window  # noqa: F401 - the shown, active window


def test_delete_on_a_listed_unit_asks_before_deleting_it(window, qtbot, wait_ops, monkeypatch):  # noqa: F811
    page = window.go_to("共建单位")
    wait_ops()
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _parent, title, _text, *a, **k: asked.append(title) or False)
    page.panel.view.setFocus()
    page.panel.view.selectRow(0)
    wait_ops()
    qtbot.keyClick(page.panel.view, Qt.Key.Key_Delete)
    assert asked == ["删除共建单位"]  # Delete did nothing: the worker had to reach for the toolbar
    assert "（Del）" in page.act_delete.toolTip()
