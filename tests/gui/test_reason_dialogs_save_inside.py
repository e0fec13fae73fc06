"""会议周期设置, 重新调解 and 处置结果 save from inside: a refusal shows in the dialog with what was
chosen or typed kept, not in an error box after it closed (offscreen, on a real SQLite file)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from desktop_app.domain import memberlife as rules
from desktop_app.domain import meetings as r
from desktop_app.gui import errors
from desktop_app.gui.widgets.dialog import LineDialog
from desktop_app.services import auth
from desktop_app.services import meetings as ms
from tests.gui.test_memberlife_gui import people  # noqa: F401 - the fixture

TODAY = date(2026, 6, 15)
PASSWORD = "Dangqun#2024"


def _refused(monkeypatch, wait_ops, dialog, open_, fill, kept) -> dict:
    """Open `dialog` (a class) with `open_`, `fill` it and press OK: what it showed then."""
    seen, boxes = {}, []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: boxes.append(str(exc)))

    def exec_(dlg):
        fill(dlg)
        dlg.accept()
        wait_ops()
        seen.update(message=dlg.message.text(), shown=not dlg.message.isHidden(), result=dlg.result(),
                    kept=kept(dlg))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog, "exec", exec_)
    open_()
    wait_ops()
    assert seen["shown"] and seen["result"] != QDialog.DialogCode.Accepted and boxes == []
    return seen


def test_cadence_settings_refused_inside_keep_the_choice(qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.gui.meetings.compliance import CompliancePage, KindSettingsDialog

    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "view", "街道小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "view", PASSWORD)
    page = CompliancePage(app_ctx)
    qtbot.addWidget(page)
    wait_ops()

    def monthly(dlg):
        unit = next(u for kind, u, _t, _q in dlg.rows if kind == r.PARTY_LECTURE)
        unit.setCurrentIndex(unit.findData("month"))

    seen = _refused(monkeypatch, wait_ops, KindSettingsDialog, page.edit_settings, monthly,
                    lambda dlg: next(u.currentData() for kind, u, _t, _q in dlg.rows if kind == r.PARTY_LECTURE))
    assert "修改基础设置" in seen["message"] and seen["kept"] == "month"
    auth.login(db, "admin", PASSWORD)
    assert next(s.unit for s in ms.kind_settings(db) if s.kind == r.PARTY_LECTURE) != "month"


def test_a_reopen_reason_refused_inside_is_kept(qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput
    from desktop_app.gui.mediation.page import MediationPage
    from desktop_app.services import mediation

    db = app_ctx.db
    c = mediation.create_case(db, CaseInput(kind="邻里纠纷", summary="噪音", received_on=date(2026, 6, 1),
                                            mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                       PartyInput("赵德明", "被申请人"))), TODAY)
    mediation.add_session(db, c.id, SessionInput(date(2026, 6, 5), "调解室", "张建国", "双方陈述"), TODAY)
    mediation.close_case(db, c.id, "调解未成功", date(2026, 6, 10), today=TODAY)
    page = MediationPage(app_ctx, today=TODAY)
    qtbot.addWidget(page)
    wait_ops()
    page.detail = mediation.get_case(db, c.id)  # the case as selected

    def reason(dlg: LineDialog):
        mediation.reopen_case(db, c.id, "当事人再次申请", TODAY)  # at another PC, meanwhile
        dlg.line.setText("双方同意再调一次")

    seen = _refused(monkeypatch, wait_ops, LineDialog, page.reopen_case, reason, lambda dlg: dlg.line.text())
    assert "正在调解中" in seen["message"] and seen["kept"] == "双方同意再调一次"
    assert "双方同意再调一次" not in mediation.get_case(db, c.id).notes


def test_a_disposal_outcome_refused_inside_is_kept(qtbot, app_ctx, people, wait_ops, monkeypatch):  # noqa: F811
    from desktop_app.gui.memberlife.page import MemberLifePage
    from desktop_app.services import memberlife as life

    db = app_ctx.db
    row = life.add_disposal(db, people[2]["张伟"], life.DisposalInput(2025, rules.RECTIFY, date(2026, 1, 5), "支部大会",
                                                                     deadline=date(2026, 3, 1)), today=TODAY)
    page = MemberLifePage(app_ctx, today=TODAY)
    qtbot.addWidget(page)
    wait_ops()
    page.detail = row
    long = "经支部多次谈心谈话帮助教育，本人认识到错误并已按期补交党费，参加组织生活，表现明显好转，支部同意恢复正常"

    seen = _refused(monkeypatch, wait_ops, LineDialog, page.outcome, lambda dlg: dlg.line.setText(long),
                    lambda dlg: dlg.line.text())
    assert "不超过 40 个字" in seen["message"] and seen["kept"] == long
    assert life.disposals(db, 2025, today=TODAY)[0].outcome == ""


def test_restoring_the_street_defaults_saves_from_inside(qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.gui.meetings.compliance import CompliancePage, KindSettingsDialog

    db = app_ctx.db
    ms.set_kind_settings(db, [(r.PARTY_LECTURE, "month", 1, True)])
    page = CompliancePage(app_ctx)
    qtbot.addWidget(page)
    wait_ops()

    def restore(dlg):
        dlg._restore()
        qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted or bool(dlg.message.text()))
        return dlg.result()

    monkeypatch.setattr(KindSettingsDialog, "exec", restore)
    page.edit_settings()
    wait_ops()
    assert next(s for s in ms.kind_settings(db) if s.kind == r.PARTY_LECTURE).customized is False


def test_cancelling_a_meeting_refused_inside_keeps_the_reason(qtbot, app_ctx, wait_ops, monkeypatch):
    """Held by someone else meanwhile: 取消会议 says so in its own dialog, the reason still typed."""
    from desktop_app.gui.meetings.page import MeetingsPage
    from desktop_app.services import orgs

    db = app_ctx.db
    c = orgs.create(db, "梅园社区党委", "C01", "community", None)
    b = orgs.create(db, "第一党支部", "B01", "branch", c.id)
    m = ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, meeting_date=date.today()))
    page = MeetingsPage(app_ctx)
    qtbot.addWidget(page)
    page.refresh()
    wait_ops()
    page.select(m.id)
    ms.all_present(db, m.id)  # another operator records it as held meanwhile

    seen = _refused(monkeypatch, wait_ops, LineDialog, page.cancel_selected,
                    lambda dlg: dlg.line.setText("下雨改期"), lambda dlg: dlg.line.text())
    assert seen["kept"] == "下雨改期" and seen["message"]
    assert ms.get(db, m.id).status == r.HELD
