"""A party picked from the residents in 受理矛盾纠纷 comes with the resident's phone: the worker typed it again
from the resident's card. The case keeps the whole number; an account that may not see residents' phones
gets the field left empty and a line saying why."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.gui.mediation.dialogs import CaseDialog
from desktop_app.gui.widgets import common
from desktop_app.services import auth, mediation
from desktop_app.services import residents as res

TODAY = date(2026, 3, 2)
PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    monkeypatch.setattr(common, "ask", lambda *_a: True)  # closing the filled form unsaved at the end


def _pick(qtbot, dlg: CaseDialog, text: str, wait_ops) -> None:
    dlg.show()
    dlg.party_picker.edit.setText(text)
    dlg.party_picker.search_now()
    wait_ops()
    assert dlg.party_picker.matches.count() == 1
    dlg.party_picker.pick_row(0)  # as Enter on the match does


def test_a_picked_party_brings_the_resident_s_phone_and_the_case_keeps_it_whole(qtbot, app_ctx, wait_ops, shot):
    db = app_ctx.db
    res.create_resident(db, res.ResidentInput(name="王秀英", phone="13905161672"))
    res.create_resident(db, res.ResidentInput(name="曾国强", phone="025-84561234"))
    res.create_resident(db, res.ResidentInput(name="曾无电话"))
    # what the picker offers: the whole number, and "" (not None: nothing hidden) for a resident without one
    assert sorted((p.name, phone) for p, phone in mediation.party_picks(db, "曾")) == [
        ("曾国强", "025-84561234"), ("曾无电话", "")]
    dlg = CaseDialog(None, db, res.grids(db), ["邻里纠纷"], today=TODAY)
    qtbot.addWidget(dlg)
    _pick(qtbot, dlg, "王秀英", wait_ops)
    _pick(qtbot, dlg, "曾国强", wait_ops)
    assert [(p.name, p.phone) for p in dlg.party_model.rows] == [("王秀英", "13905161672"), ("曾国强", "025-84561234")]
    assert not dlg.phone_note.isVisible()
    shot(dlg, "case_dialog.png")
    dlg.summary.setPlainText("楼上漏水，双方就维修费用起争执")
    dlg.mediator.setText("周调解")
    case = mediation.create_case(db, dlg.current_input(), TODAY)
    assert [p.phone for p in mediation.get_case(db, case.id).parties] == ["13905161672", "025-84561234"]


def test_an_account_that_may_not_see_phones_gets_an_empty_phone_and_is_told_why(qtbot, app_ctx, wait_ops, shot):
    db = app_ctx.db
    res.create_resident(db, res.ResidentInput(name="王秀英", phone="13905161672"))
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "street", "街道小钱", "viewer", PASSWORD)  # reads residents, not their whole phones
    auth.login(db, "street", PASSWORD)
    assert [(p.name, phone) for p, phone in mediation.party_picks(db, "王秀英")] == [("王秀英", None)]
    dlg = CaseDialog(None, db, res.grids(db), ["邻里纠纷"], today=TODAY)
    qtbot.addWidget(dlg)
    _pick(qtbot, dlg, "王秀英", wait_ops)
    assert dlg.party_model.rows[0].name == "王秀英" and dlg.party_model.rows[0].phone == ""  # never masked digits
    assert dlg.phone_note.isVisible() and "电话" in dlg.phone_note.text()
    shot(dlg, "case_dialog_viewer.png")


def test_an_account_that_sees_masked_phones_saves_the_case_it_edits(qtbot, app_ctx, wait_ops, monkeypatch):
    """修改 from an account that records mediation without residents.reveal: the form shows 139****5678 and
    saving it as shown was refused as no phone number; now the stored numbers stay, a typed one replaces its."""
    from PySide6.QtWidgets import QDialog

    from desktop_app.domain import access
    from desktop_app.domain.access import Role
    from desktop_app.domain.service_flow import CaseInput, PartyInput

    db = app_ctx.db
    case = mediation.create_case(db, CaseInput(
        kind="邻里纠纷", summary="楼上漏水", received_on=TODAY, mediator="周调解",
        parties=(PartyInput("王秀英", "申请人", None, "13905161672"), PartyInput("曾国强", "被申请人", None, "13800001111"))),
        TODAY)
    # no built-in role records mediation without seeing whole phones: a 只读 role given mediation.write
    monkeypatch.setitem(access.ROLE_PERMISSIONS, Role.VIEWER, access.ROLE_PERMISSIONS[Role.VIEWER] | {"mediation.write"})
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "tiaojie", "周调解", "viewer", PASSWORD)
    auth.login(db, "tiaojie", PASSWORD)
    detail = mediation.get_case(db, case.id)
    dlg = CaseDialog(None, db, res.grids(db), ["邻里纠纷"], detail, today=TODAY)
    qtbot.addWidget(dlg)
    assert [p.phone for p in dlg.party_model.rows] == ["139****1672", "138****1111"]
    dlg.party_model.setData(dlg.party_model.index(1, 2), "025-84561234")  # 曾国强's new number typed over the mask
    dlg.summary.setPlainText("楼上漏水，已请物业查看")
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.message.text()
    auth.login(db, "admin", PASSWORD)
    assert [p.phone for p in mediation.get_case(db, case.id).parties] == ["13905161672", "025-84561234"]


def test_picking_a_party_reads_nothing_on_the_gui_thread(qtbot, app_ctx, wait_ops, monkeypatch):
    """The phone came from a read of the database on the pick itself, holding the form while the disk (or the
    street's server) answered; it now comes with the search's matches, read off the GUI thread."""
    db = app_ctx.db
    res.create_resident(db, res.ResidentInput(name="王秀英", phone="13905161672"))
    dlg = CaseDialog(None, db, res.grids(db), ["邻里纠纷"], today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.party_picker.edit.setText("王秀英")
    dlg.party_picker.search_now()
    wait_ops()

    def no_read(*_a, **_k):
        raise AssertionError("a database read on the GUI thread when a party was picked")

    monkeypatch.setattr(db, "session", no_read)
    dlg.party_picker.pick_row(0)
    assert [(p.name, p.phone) for p in dlg.party_model.rows][0] == ("王秀英", "13905161672")
