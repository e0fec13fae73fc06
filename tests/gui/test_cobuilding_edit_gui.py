"""共驻共建 pages share 修改 (the toolbar action and a double-click open the page's record form for the
selected record) and 删除 (asked first): each page's form and delete call are the right ones."""

from __future__ import annotations

from desktop_app.gui.cobuilding.contacts import ContactsPage, SeatDialog
from desktop_app.gui.cobuilding.units import UnitDialog, UnitsPage
from desktop_app.gui.cobuilding.unit_reports import UnitReportDialog, UnitReportsPage
from desktop_app.gui.widgets import common, forms
from desktop_app.services import cobuilding as cb
from tests.gui.test_cobuilding_gui import exec_with, show, town  # noqa: F401 - the fixture


def test_edit_opens_the_selected_unit_and_delete_asks_first(qtbot, app_ctx, wait_ops, town, monkeypatch,  # noqa: F811
                                                            qtmodeltester):
    page = show(qtbot, wait_ops, UnitsPage(app_ctx))
    page.panel.select_id(town["hospital"])
    wait_ops()
    assert page.act_edit.isEnabled() and page.act_delete.isEnabled()
    seen = []

    def rename(dlg: UnitDialog):
        seen.append(dlg.name.text())
        dlg.contact.setText("王院长")

    monkeypatch.setattr(UnitDialog, "exec", exec_with(wait_ops, rename))
    page.act_edit.trigger()
    wait_ops()
    assert seen == ["区人民医院"]  # the form showed the selected unit, not a blank one
    assert page.message.text() == "已保存修改。"
    [row] = page.panel.model.rows
    assert row.contact_person == "王院长"
    qtmodeltester.check(page.panel.model)

    page.panel.select_id(row.id)
    wait_ops()
    page._activate()  # a double-click opens the same form
    wait_ops()
    assert seen == ["区人民医院", "区人民医院"]

    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.act_delete.trigger()
    wait_ops()
    assert "区人民医院" in asked[0] and len(page.panel.model.rows) == 1  # "no" keeps it
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.panel.select_id(row.id)
    wait_ops()
    page.act_delete.trigger()
    wait_ops()
    wait_ops()
    assert page.panel.model.rows == [] and cb.list_units(app_ctx.db) == []


def test_edit_opens_the_selected_unit_report(qtbot, app_ctx, wait_ops, town, monkeypatch):  # noqa: F811
    page = show(qtbot, wait_ops, UnitReportsPage(app_ctx))

    def report(dlg: UnitReportDialog):
        forms.select(dlg.unit, town["hospital"])
        dlg.liaison.setText("刘主任")

    monkeypatch.setattr(UnitReportDialog, "exec", exec_with(wait_ops, report))
    page.add_report()
    wait_ops()
    [row] = page.panel.model.rows
    page.panel.select_id(row.id)
    wait_ops()

    def change(dlg: UnitReportDialog):
        assert dlg.liaison.text() == "刘主任" and not dlg.unit.isEnabled()  # editing the selected report
        dlg.liaison.setText("陈主任")

    monkeypatch.setattr(UnitReportDialog, "exec", exec_with(wait_ops, change))
    page.act_edit.trigger()
    wait_ops()
    wait_ops()
    assert page.panel.model.rows[0].liaison == "陈主任"


def test_delete_seat_only_for_a_seat(qtbot, app_ctx, wait_ops, town, monkeypatch):  # noqa: F811
    page = show(qtbot, wait_ops, ContactsPage(app_ctx))
    monkeypatch.setattr(SeatDialog, "exec", exec_with(wait_ops, lambda dlg: dlg.name.setText("周委员")))
    page.add_seat()
    wait_ops()
    page.tabs.setCurrentIndex(1)
    [seat] = page.panel.model.rows
    page.panel.select_id(seat.id)
    wait_ops()
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.delete_seat()
    wait_ops()
    wait_ops()
    assert cb.list_seats(app_ctx.db, today=page.today) == []


def test_ending_a_pairing_asks_a_date_and_ends_it(qtbot, app_ctx, wait_ops, town, monkeypatch):  # noqa: F811
    from datetime import date

    from desktop_app.gui.cobuilding.pairing import PairingPage
    from desktop_app.gui.widgets.dialog import DateNoteDialog

    today = date.today()
    pairing = cb.pair_unit(app_ctx.db, town["hospital"], today, "", today)
    page = show(qtbot, wait_ops, PairingPage(app_ctx))
    page.panel.select_id(pairing.id)
    wait_ops()
    assert page.act_end.isEnabled()
    seen = []

    def end(dlg: DateNoteDialog):
        seen.append((dlg.windowTitle(), dlg.on.value()))
        assert dlg.note is None  # the pairing keeps no note: none is asked for, so none typed is lost

    monkeypatch.setattr(DateNoteDialog, "exec", exec_with(wait_ops, end))
    page.act_end.trigger()
    wait_ops()
    wait_ops()
    assert seen == [("结束结对", today)]
    assert page.message.text() == "结对已结束。"
    assert [r.ended_on for r in page.panel.model.rows] == [today]
