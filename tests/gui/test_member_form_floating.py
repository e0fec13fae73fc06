"""The member form shows 流动 as the 流出 register has it (read-only), with 登记流出 and 办理返回 opening the
register's own forms; it no longer offers a 流动 checkbox and 外出流向 of its own, a second state the register
(流动与失联, its lists and counts) never saw."""

from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialog

from desktop_app.gui.memberlife.dialogs import FloatingDialog
from desktop_app.gui.roster.member_dialog import MemberDialog
from desktop_app.gui.widgets.dialog import DateNoteDialog
from desktop_app.services import orgs, roster
from tests.gui.test_roster_gui import person
from tests.party_people import floating_out

TODAY = date(2026, 12, 6)


def _member(db, name="周十"):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    return roster.create(db, person(name, branch.id, 43))


def _form(qtbot, db, member_id, saves=None):
    detail = roster.get(db, member_id)
    save = (lambda inp: saves.append(roster.update(db, member_id, inp, expected_version=detail.version))
            if saves is not None else (lambda inp: None))
    dlg = MemberDialog(None, orgs.list_tree(db), save, detail, registration=None, db=db, today=TODAY)
    qtbot.addWidget(dlg)
    return dlg


def test_the_form_shows_the_open_outflow_read_only_and_a_save_keeps_it(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    m = _member(db)
    floating_out(db, m.id, date(2026, 3, 1), "苏州工业园区", card_no="LD-007", today=TODAY)
    saves = []
    dlg = _form(qtbot, db, m.id, saves)
    assert "is_floating" not in dlg.w and "floating_to" not in dlg.w
    assert not [b for b in dlg.findChildren(QCheckBox) if b.text() == "是流动党员"]
    assert dlg.floating_label.text() == "在外流动：2026-03-01 起，外出流向 苏州工业园区，活动证 LD-007。"
    assert dlg.return_button.isEnabled() and not dlg.outflow_button.isEnabled()
    inp, _ = dlg.current_input()
    assert (inp.is_floating, inp.floating_to) == (True, "苏州工业园区")  # carried through, not edited here
    dlg.set_value("mobile", "13912345678")
    dlg.accept()
    wait_ops()
    assert saves and saves[0].status == "流动" and saves[0].outing.place == "苏州工业园区"


def test_a_member_not_out_is_offered_the_registers_outflow_form(qtbot, app_ctx, monkeypatch):
    db = app_ctx.db
    m = _member(db)
    dlg = _form(qtbot, db, m.id)
    assert dlg.floating_label.text() == "未登记流出。"
    assert dlg.outflow_button.isEnabled() and not dlg.return_button.isEnabled()
    opened = []
    monkeypatch.setattr(FloatingDialog, "exec", lambda self: opened.append(self) or QDialog.DialogCode.Rejected)
    dlg.show()
    dlg.outflow_button.click()
    assert not dlg.isVisible()  # the member form closes first: the register's save changes the member
    [form] = opened
    assert form.member_id() == m.id and form.windowTitle() == "登记流出党员"


def test_return_opens_the_registers_return_and_the_member_is_normal_again(qtbot, app_ctx, monkeypatch, wait_ops):
    db = app_ctx.db
    m = _member(db)
    floating_out(db, m.id, date(2026, 3, 1), "苏州工业园区", today=TODAY)
    dlg = _form(qtbot, db, m.id)

    def returned(self):
        self.on.set_value(date(2026, 11, 30))
        self.accept()
        wait_ops()
        return self.result()

    monkeypatch.setattr(DateNoteDialog, "exec", returned)
    dlg.show()
    dlg.return_button.click()
    wait_ops()
    d = roster.get(db, m.id)
    assert (d.status, d.outing, d.is_floating) == ("正常", None, False)
    assert d.history[0].changed_on == date(2026, 11, 30)
    assert "未登记流出" in _form(qtbot, db, m.id).floating_label.text()


def test_a_new_member_form_offers_no_register_action(qtbot, app_ctx):
    db = app_ctx.db
    new = MemberDialog(None, orgs.list_tree(db), lambda inp: None, db=db, today=TODAY)
    qtbot.addWidget(new)
    assert "保存后" in new.floating_label.text()
    assert not new.outflow_button.isEnabled() and not new.return_button.isEnabled()
