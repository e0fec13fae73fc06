"""Forms at the desk: typed data is not lost without asking, errors do not move the form,
disabled actions say why, posting a ledger entry asks first."""

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.record_list import Act, RecordListPage, Table, selected
from desktop_app.gui.widgets.table import Column


class NameDialog(SavingDialog):
    def __init__(self):
        super().__init__(None, "登记")
        self.name = QLineEdit()
        form = QFormLayout()
        form.addRow("姓名", self.name)
        self.finish_layout(form)

    def prepare(self):
        raise ValidationError("姓名", "请填写姓名")


def test_cancelling_a_filled_form_asks_first(qtbot, qapp, monkeypatch):
    dlg = NameDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg._typed is not None)
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(title) or False)
    dlg.reject()  # nothing typed: closes without a word
    assert asked == [] and not dlg.isVisible()

    dlg = NameDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg._typed is not None)
    dlg.name.setText("张三")
    dlg.reject()
    assert asked == ["放弃填写的内容？"] and dlg.isVisible()  # answered no: the form stays
    monkeypatch.setattr(common, "ask", lambda *a: True)
    dlg.reject()
    assert not dlg.isVisible()


def test_an_inline_error_does_not_move_the_buttons(qtbot, qapp):
    dlg = NameDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    before = dlg.buttons.mapTo(dlg, dlg.buttons.rect().topLeft())
    dlg.accept()  # refused: the error shows inside the form
    qtbot.wait(20)
    assert dlg.message.isVisible() and "请填写姓名" in dlg.message.text()
    assert dlg.buttons.mapTo(dlg, dlg.buttons.rect().topLeft()) == before


class Rows(RecordListPage):
    title = "测试"
    tables = (Table((Column("名称", lambda r: r.name),)),)
    actions = (Act("edit", "修改…", "edit", when=selected),
               Act("edit", "办结", "finish", when=lambda d: d is not None and d.open, why=lambda d: "已经办结"))

    def load(self, db, f):
        return []

    def edit(self):
        pass

    def finish(self):
        pass


def test_disabled_actions_say_why(qtbot, app_ctx, wait_ops):
    from types import SimpleNamespace

    page = Rows(app_ctx)
    qtbot.addWidget(page)
    wait_ops()
    assert not page.act_edit.isEnabled() and "请先在列表中选中" in page.act_edit.toolTip()
    page.detail = SimpleNamespace(name="甲", open=False)
    page._update_actions()
    assert page.act_edit.isEnabled() and page.act_edit.toolTip() == "修改…"
    assert not page.act_finish.isEnabled() and page.act_finish.toolTip() == "办结：已经办结"


def test_posting_a_ledger_entry_asks_with_what_will_happen(qtbot, app_ctx, monkeypatch):
    from desktop_app.gui.ledger.dialogs import EntryDialog
    from desktop_app.services import ledger

    accounts = ledger.list_accounts(app_ctx.db)
    dlg = EntryDialog(None, "支出", accounts, ["活动"], handler="王芳")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.amount.setText("80")
    dlg.memo.setText("慰问品")
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.isVisible()
    assert "80.00 元" in asked[0] and "不能修改或删除" in asked[0] and "红字冲销" in asked[0]


def test_a_new_meeting_defaults_to_a_branch_and_a_kind_it_holds(qtbot, app_ctx, wait_ops):
    from desktop_app.domain import meetings as r
    from desktop_app.gui.meetings.meeting_dialog import MeetingDialog
    from desktop_app.services import meetings as ms
    from desktop_app.services import orgs

    c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    b = orgs.create(app_ctx.db, "第一网格党支部", "B01", "branch", c.id)
    g = orgs.create(app_ctx.db, "第一党小组", "G01", "group", b.id)
    dlg = MeetingDialog(None, app_ctx.db, ms.holders(app_ctx.db))  # nothing chosen on the page
    qtbot.addWidget(dlg)
    wait_ops()
    assert dlg.org.currentData() == b.id and dlg.kind.currentData() == r.BRANCH_CONGRESS
    dlg = MeetingDialog(None, app_ctx.db, ms.holders(app_ctx.db), org_id=g.id)
    qtbot.addWidget(dlg)
    wait_ops()
    assert dlg.org.currentData() == g.id and dlg.kind.currentData() == r.GROUP_MEETING


def test_attendance_says_why_it_waits(qtbot, app_ctx, wait_ops):
    from datetime import date, timedelta

    from desktop_app.gui.meetings.page import MeetingsPage
    from desktop_app.services import meetings as ms
    from desktop_app.services import orgs
    from desktop_app.services.meetings import MeetingInput

    c = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    b = orgs.create(app_ctx.db, "第一网格党支部", "B01", "branch", c.id)
    later = date.today() + timedelta(days=7)
    ms.plan(app_ctx.db, MeetingInput(org_id=b.id, kind="支部党员大会", title="学习", meeting_date=later))
    page = MeetingsPage(app_ctx)
    qtbot.addWidget(page)
    assert "请先在列表中选中" in page.act_attendance.toolTip()
    page.resize(1200, 720)
    page.show()
    wait_ops()
    page.view.selectRow(0)
    wait_ops()
    assert page.selected_row() is not None
    assert not page.act_attendance.isEnabled()
    assert f"会议日期（{later.isoformat()}）之后才能登记" in page.act_attendance.toolTip()


def test_ledger_and_meeting_forms_also_ask_before_discarding(qtbot, app_ctx, monkeypatch, wait_ops):
    from desktop_app.gui.ledger.dialogs import EntryDialog
    from desktop_app.gui.meetings.meeting_dialog import MeetingDialog
    from desktop_app.services import ledger
    from desktop_app.services import meetings as ms

    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(title) or False)
    entry = EntryDialog(None, "支出", ledger.list_accounts(app_ctx.db), ["活动"], handler="王芳")
    meeting = MeetingDialog(None, app_ctx.db, ms.holders(app_ctx.db))
    for dlg, field in ((entry, entry.memo), (meeting, meeting.title_edit)):
        qtbot.addWidget(dlg)
        dlg.show()
        wait_ops()
        qtbot.waitUntil(lambda dlg=dlg: dlg._typed is not None)
        field.setText("已经写了一半")
        dlg.reject()
        assert dlg.isVisible()
    assert asked == ["放弃填写的内容？", "放弃填写的内容？"]
