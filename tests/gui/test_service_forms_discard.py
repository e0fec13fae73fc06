"""The 调解 and 走访 forms ask before throwing away what was entered in their lists: the parties typed into
the 当事人 table and the members chosen as 走访党员 were lost on Esc without a word (only the text boxes counted)."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.gui.mediation.dialogs import CaseDialog
from desktop_app.gui.visits.dialogs import VisitDialog
from desktop_app.gui.widgets import common
from desktop_app.services import residents as res
from desktop_app.views.visits import MemberChoice


def _asked_on_escape(qtbot, dlg, change, monkeypatch) -> list[str]:
    qtbot.addWidget(dlg)
    dlg.show()
    dlg._remember_fields()  # what it showed when it opened
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda _parent, title, _text: asked.append(title) or False)
    change(dlg)
    dlg.reject()
    assert dlg.isVisible() == bool(asked)
    dlg.hide()
    return asked


def test_a_party_typed_into_the_table_is_not_dropped_without_asking(qtbot, app_ctx, monkeypatch):
    dlg = CaseDialog(None, app_ctx.db, res.grids(app_ctx.db), ["邻里纠纷"])

    def type_a_party(d):
        d.party_model.rows[0] = replace(d.party_model.rows[0], name="张三", phone="13905161672")
        d.party_model.row_changed(0)

    assert _asked_on_escape(qtbot, dlg, type_a_party, monkeypatch) == ["放弃填写的内容？"]


def test_the_members_chosen_for_a_visit_are_not_dropped_without_asking(qtbot, app_ctx, monkeypatch):
    dlg = VisitDialog(None, app_ctx.db, res.grids(app_ctx.db), ["其他"])
    zhang = MemberChoice("m1", "张建国", "第一网格党支部")
    assert _asked_on_escape(qtbot, dlg, lambda d: d.members._add(zhang), monkeypatch) == ["放弃填写的内容？"]


def test_an_untouched_form_closes_without_asking(qtbot, app_ctx, monkeypatch):
    dlg = CaseDialog(None, app_ctx.db, res.grids(app_ctx.db), ["邻里纠纷"])
    assert _asked_on_escape(qtbot, dlg, lambda d: None, monkeypatch) == []
