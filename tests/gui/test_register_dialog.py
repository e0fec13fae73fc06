"""The register dialogs (免于应到, a meeting's 议题) share one base: rows listed, a row added through its form,
the selected row removed only after a yes, and the list reloaded from the database each time."""

from __future__ import annotations

from datetime import date

from desktop_app.gui.meetings.exemptions import ExemptionsDialog
from desktop_app.gui.widgets import common
from desktop_app.services import membership, roster
from tests.gui.test_cadence_gui import branch  # noqa: F401 - the fixture
from tests.gui.test_service_gui import exec_with


def test_remove_asks_then_deletes_the_selected_row(qtbot, app_ctx, branch, wait_ops, monkeypatch,  # noqa: F811
                                                   qtmodeltester):
    db = app_ctx.db
    member_id = roster.search_ids(db, roster.MemberFilter())[0]
    membership.add_exemption(db, member_id, date(2026, 1, 1), None, "长期外出", "")
    dlg = ExemptionsDialog(None, db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert [r.reason for r in dlg.model.rows] == ["长期外出"]
    qtmodeltester.check(dlg.model)

    dlg.remove()  # nothing selected: nothing asked, nothing removed
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    dlg.table.selectRow(0)
    dlg.remove()
    wait_ops()
    assert len(asked) == 1 and "长期外出" in asked[0]
    assert len(membership.exemptions(db)) == 1  # "no" keeps it

    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    dlg.table.selectRow(0)
    dlg.remove()
    wait_ops()
    wait_ops()
    assert membership.exemptions(db) == [] and dlg.model.rows == []


def test_a_register_with_an_edit_form_changes_the_selected_row(qtbot, app_ctx, wait_ops, monkeypatch, qtmodeltester):
    from desktop_app.gui.wishes.dialogs import PartnerUnitDialog, UnitsDialog
    from desktop_app.services import wishes

    db = app_ctx.db
    wishes.save_unit(db, None, "区人民医院", "李主任")
    dlg = UnitsDialog(None, db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert [(u.name, u.contact_person) for u in dlg.model.rows] == [("区人民医院", "李主任")]
    assert dlg.edit_button.text() == "修改…"
    qtmodeltester.check(dlg.model)

    monkeypatch.setattr(PartnerUnitDialog, "exec", exec_with(wait_ops, lambda f: f.name.setText("实验小学")))
    dlg.add()
    wait_ops()
    assert sorted(u.name for u in wishes.list_units(db)) == ["区人民医院", "实验小学"]
    assert dlg.message.text() == "已新增：实验小学"

    dlg.edit()  # nothing selected: no form
    row = next(i for i, u in enumerate(dlg.model.rows) if u.name == "区人民医院")
    dlg.table.selectRow(row)
    monkeypatch.setattr(PartnerUnitDialog, "exec", exec_with(wait_ops, lambda f: f.contact.setText("王院长")))
    dlg.table.doubleClicked.emit(dlg.model.index(row, 0))
    wait_ops()
    assert {u.name: u.contact_person for u in wishes.list_units(db)}["区人民医院"] == "王院长"
    assert {u.name: u.contact_person for u in dlg.model.rows}["区人民医院"] == "王院长"

    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    dlg.table.selectRow(next(i for i, u in enumerate(dlg.model.rows) if u.name == "实验小学"))
    dlg.remove()
    wait_ops()
    wait_ops()
    assert [u.name for u in wishes.list_units(db)] == ["区人民医院"] == [u.name for u in dlg.model.rows]


def test_a_register_without_an_edit_form_shows_no_edit_button(qtbot, app_ctx, wait_ops):
    dlg = ExemptionsDialog(None, app_ctx.db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert not hasattr(dlg, "edit_button")


def test_an_empty_register_says_what_it_is_for_and_the_last_removal_brings_that_back(qtbot, app_ctx, wait_ops,
                                                                                      monkeypatch):
    from desktop_app.gui.wishes.dialogs import UnitsDialog
    from desktop_app.services import wishes

    db = app_ctx.db
    dlg = UnitsDialog(None, db)
    qtbot.addWidget(dlg)
    wait_ops()
    assert dlg.model.rows == [] and "点“新增…”" in dlg.message.text()
    wishes.save_unit(db, None, "区人民医院", "李主任")
    dlg.message.setText("")
    dlg.reload()
    wait_ops()
    assert dlg.message.text() == ""  # rows: nothing to explain
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    dlg.table.selectRow(0)
    dlg.remove()
    wait_ops()
    wait_ops()
    assert dlg.model.rows == [] and "点“新增…”" in dlg.message.text()
