"""三会一课 pages offscreen: plan a meeting, print its sheet, record attendance; compliance grid; 民主评议."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.meetings import CellStatus
from desktop_app.domain.members import MemberInput
from desktop_app.gui.widgets import common
from desktop_app.gui.meetings.attendance_dialog import COL_REASON, COL_STATUS, AttendanceDialog
from desktop_app.gui.meetings.compliance import CompliancePage
from desktop_app.gui.meetings.evaluations import COL_GRADE, COL_NOTES, EvaluationsPage
from desktop_app.gui.meetings.meeting_dialog import MeetingDialog, parse_guests
from desktop_app.gui.meetings.page import MeetingsModel, MeetingsPage
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import evaluations, orgs, roster
from desktop_app.services import meetings as ms

NAMES = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆")


@pytest.fixture
def community(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    # records kept here for years (a branch new this month would owe nothing before it)
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id, tracking_since=date(2020, 1, 1))
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    ids = {}
    for i, name in enumerate(NAMES):
        born = date(1950 + i, 2, 1 + i)
        d = roster.create(db, MemberInput(
            name=name, org_id=g.id if i % 2 else b.id,
            id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
            joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1), mobile=f"1391234{i:04d}",
        ))
        ids[name] = d.id
    return b.id, g.id, ids


@pytest.fixture
def page(qtbot, app_ctx, community, wait_ops):
    p = MeetingsPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 720)
    p.show()
    wait_ops()
    return p


def test_plan_print_and_record_attendance(qtbot, page, community, wait_ops, monkeypatch, tmp_path, qtmodeltester):
    branch, _group, ids = community
    day = date.today() - timedelta(days=2)  # entered afterwards, so attendance can follow at once

    def fill_and_accept(dlg):
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)  # the branch's members, loaded off-thread
        assert dlg.org.currentData() == branch
        assert len(dlg.attendee_ids()) == len(NAMES)  # everyone ticked by default
        dlg.kind.setCurrentIndex(dlg.kind.findData(r.BRANCH_CONGRESS))
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None and len(dlg.attendee_ids()) == len(NAMES))
        dlg.title_edit.setText("学习贯彻党的二十届三中全会精神")
        dlg.day.setDate(dlg.day.date().addDays(-2))
        dlg.place.setText("党群服务中心二楼会议室")
        dlg.host.setText("王建国")
        dlg.guests.setText("周书记（梅园街道党工委）")
        dlg.accept()
        return dlg.result()

    page.org_filter.setCurrentIndex(page.org_filter.findData(branch))
    wait_ops()
    monkeypatch.setattr(MeetingDialog, "exec", fill_and_accept)
    page.plan_meeting()
    wait_ops()
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.kind, row.title, row.meeting_date, row.expected, row.guests) == (
        r.BRANCH_CONGRESS, "学习贯彻党的二十届三中全会精神", day, len(NAMES), 1)
    assert page.selected_id() == row.id  # the new meeting is selected
    assert row.number in page.message.text()

    # print its sign-in sheet
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    out = tmp_path / "签到表.pdf"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out), "PDF 文件 (*.pdf)"))
    asked = []
    monkeypatch.setattr(common, "ask", lambda *a: asked.append(a[1]) or False)
    from desktop_app.gui.widgets import forms

    offered = []
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: offered.append((path, text)))
    page.print_signin()
    wait_ops()
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages)
    assert row.number in text and all(name in text for name in NAMES) and "周书记" in text
    assert asked == [] and offered == [(out, f"签到表已保存到\n{out}")] and str(out) in page.message.text()

    # record attendance with the keyboard: 1 = present, 2 = leave + reason, 3 = absent
    def keyboard(dlg):
        dlg.show()  # as exec() would: the reason editor opens inside it
        qtbot.waitExposed(dlg)
        assert dlg.model.rowCount() == len(NAMES) + 1
        qtmodeltester.check(dlg.model)
        dlg.table.setCurrentIndex(dlg.model.index(0, COL_STATUS))
        qtbot.keyClick(dlg.table, Qt.Key.Key_1)
        assert dlg.current_row() == 1  # moved on by itself
        qtbot.keyClick(dlg.table, Qt.Key.Key_2)
        editor = next(w for w in dlg.table.viewport().findChildren(QLineEdit) if w.isVisible())
        editor.setText("外出就医")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.wait(20)  # let the closed editor go, as between two real keystrokes
        dlg.table.setCurrentIndex(dlg.model.index(2, COL_STATUS))
        qtbot.keyClick(dlg.table, Qt.Key.Key_3)
        for i in range(3, len(NAMES)):
            dlg.table.setCurrentIndex(dlg.model.index(i, COL_STATUS))
            qtbot.keyClick(dlg.table, Qt.Key.Key_Space)
        assert "实到 4 人" in dlg.summary.text() and "请假 1 人" in dlg.summary.text()
        assert dlg.model.index(1, COL_REASON).data() == "外出就医"
        assert dlg.model.index(1, COL_STATUS).data() == r.LEAVE
        order[:] = [p.name for p in dlg.people]
        dlg.accept()
        return dlg.result()

    order: list[str] = []
    monkeypatch.setattr(AttendanceDialog, "exec", keyboard)
    page.record_attendance()
    wait_ops()
    d = ms.get(page.ctx.db, row.id)
    # sign-in order: those directly in the branch, then 第一党小组
    assert order == [NAMES[0], NAMES[2], NAMES[4], NAMES[1], NAMES[3], NAMES[5], "周书记"]
    status = {a.name: (a.status, a.reason) for a in d.attendees}
    assert status[order[0]] == (r.PRESENT, "")
    assert status[order[1]] == (r.LEAVE, "外出就医")
    assert status[order[2]] == (r.ABSENT, "")
    assert status["周书记"] == (r.GUEST, "")
    assert d.status == r.HELD and (d.present, d.expected) == (4, 6)
    assert d.quorum.met is True  # 4 of 6 with a vote
    assert page.model.rows[0].status == r.HELD
    assert "实到 4 人" in page.message.text()


def test_all_present_in_one_click_and_unrecorded_become_absent(qtbot, page, community, wait_ops, monkeypatch,
                                                               qtmodeltester):
    branch, _group, ids = community
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()))
    page.refresh()
    wait_ops()
    assert page.select(m.id)

    def one_click(dlg):
        dlg.all_present.click()
        assert "实到 6 人" in dlg.summary.text()
        dlg.table.selectRow(5)
        qtbot.keyClick(dlg.table, Qt.Key.Key_3)  # one did not come after all
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(AttendanceDialog, "exec", one_click)
    page.record_attendance()
    wait_ops()
    d = ms.get(db, m.id)
    assert (d.present, d.absent) == (5, 1)

    # a dialog left half-done: unrecorded people are saved as absent, and it says so first
    m2 = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.PARTY_LECTURE, meeting_date=date.today()))
    dlg = AttendanceDialog(page, ms.get(db, m2.id))
    qtbot.addWidget(dlg)
    dlg.set_status(0, r.PRESENT)
    assert "还有 5 人未登记" in dlg.summary.text()
    assert [e.status for e in dlg.entries()] == [r.PRESENT] + [r.ABSENT] * 5
    dlg.set_status(1, r.GUEST)  # an expected member cannot be 列席
    assert dlg.people[1].status == ""

    # a walk-in named on the spot is a counted line of the grid; a typed reason means leave
    dlg.guest_edit.setText("吴老师（区委党校）")
    dlg.add_guests()
    assert dlg.model.rowCount() == 7 and dlg.model.index(6, 1).data() == "吴老师"
    assert dlg.entries()[-1].guest_name == "吴老师" and "列席 1 人" in dlg.summary.text()
    dlg.model.setData(dlg.model.index(2, COL_REASON), "  出差 ")
    assert (dlg.people[2].status, dlg.people[2].reason) == (r.LEAVE, "出差")
    assert dlg.model.index(2, COL_STATUS).data() == r.LEAVE
    qtmodeltester.check(dlg.model)


def test_after_a_reason_the_keys_go_on_to_the_next_person(qtbot, page, community, wait_ops):
    """1, 2 + 外出就医 + Enter, 3, 1 …: a secretary typing from the paper list never touches the mouse; the
    key after the reason is for the next person, not a second mark that throws the leave away."""
    branch, _group, _ids = community
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()))
    dlg = AttendanceDialog(page, ms.get(db, m.id))
    qtbot.addWidget(dlg, before_close_func=lambda d: setattr(d, "asks_before_discard", False))  # marks typed
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.table.setCurrentIndex(dlg.model.index(0, COL_STATUS))
    qtbot.keyClick(dlg.table, Qt.Key.Key_1)
    qtbot.keyClick(dlg.table, Qt.Key.Key_2)
    editor = next(w for w in dlg.table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.setText("外出就医")  # typed through an input method: keyClicks cannot send Chinese
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)  # the closed editor goes, as between two real keystrokes
    assert dlg.table.currentIndex() == dlg.model.index(2, COL_STATUS)
    for key in (Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(dlg.table, key)
    editor = next(w for w in dlg.table.viewport().findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # no reason given: the mark stays, the cursor stays with it
    qtbot.wait(20)
    assert dlg.table.currentIndex().row() == 4
    assert [(p.status, p.reason) for p in dlg.people[:5]] == [
        (r.PRESENT, ""), (r.LEAVE, "外出就医"), (r.ABSENT, ""), (r.PRESENT, ""), (r.LEAVE, "")]


def test_a_meeting_in_the_future_cannot_be_recorded(qtbot, page, community, wait_ops, monkeypatch):
    branch, _group, _ids = community
    m = ms.plan(page.ctx.db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY,
                                             meeting_date=date.today() + timedelta(days=7)))
    page.refresh()
    wait_ops()
    page.select(m.id)
    wait_ops()
    assert not page.act_attendance.isEnabled() and page.act_signin.isEnabled()


def test_cancel_and_delete_ask_first(qtbot, page, community, wait_ops, monkeypatch):
    branch, _group, _ids = community
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()))
    page.refresh()
    wait_ops()
    page.select(m.id)
    from desktop_app.gui.widgets.dialog import LineDialog

    def give_reason(dlg):
        dlg.line.setText("下雨改期")
        dlg.accept()  # saves from inside
        wait_ops()
        return dlg.result()

    monkeypatch.setattr(LineDialog, "exec", give_reason)
    page.cancel_selected()
    wait_ops()
    assert ms.get(db, m.id).status == r.CANCELLED and ms.get(db, m.id).cancel_reason == "下雨改期"
    page.select(m.id)
    monkeypatch.setattr(common, "ask", lambda *a: False)
    page.delete_selected()
    wait_ops()
    assert ms.list_meetings(db)
    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.delete_selected()
    wait_ops()
    assert ms.list_meetings(db) == [] and page.model.rowCount() == 0


def test_a_cancelled_meeting_can_be_put_back(qtbot, page, community, wait_ops, monkeypatch):
    """Cancelled for rain, then held after all: the refusal to record it says 请先改回“计划中”, and the page
    offers that where 取消会议 was."""
    branch, _group, _ids = community
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()))
    ms.cancel(db, m.id, "下雨改期")
    page.refresh()
    wait_ops()
    assert page.select(m.id)
    wait_ops()
    assert page.act_cancel.isEnabled() and page.act_cancel.text() == "改回计划中"
    assert not page.act_attendance.isEnabled()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append((title, text)) or True)
    page.act_cancel.trigger()
    wait_ops()
    assert asked == [("改回计划中", f"会议 {m.number}（{m.title}）已取消（下雨改期）。\n改回“计划中”后可以登记出勤。")]
    assert ms.get(db, m.id).status == r.PLANNED and ms.get(db, m.id).cancel_reason == ""
    assert page.message.text().startswith(f"会议 {m.number} 已改回计划中。")
    assert page.select(m.id)
    wait_ops()
    assert page.act_cancel.text() == "取消会议" and page.act_attendance.isEnabled()


def test_each_toolbar_action_has_its_own_icon(page):
    """At 1280 pixels the page's toolbar shows icons only: two print icons, or two edit icons, cannot be
    told apart without hovering (打印签到表 / 打印会议记录, 修改 / 议题与表决, the scan / the file import)."""
    mine = [a for a in page.actions() if a.text() and not a.icon().isNull()]
    keys = {}
    for a in mine:
        keys.setdefault(a.icon().cacheKey(), []).append(a.text())
    assert [names for names in keys.values() if len(names) > 1] == []
    assert len(mine) >= 14  # all of the toolbar


# a secretary who enters last week's meeting twice, or deletes a held one, is told what it means


def test_the_same_meeting_planned_twice_is_named(qtbot, page, community, wait_ops, monkeypatch):
    branch, _group, _ids = community
    db, day = page.ctx.db, date.today() - timedelta(days=3)
    page.org_filter.setCurrentIndex(page.org_filter.findData(branch))
    wait_ops()
    first = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.BRANCH_CONGRESS, title="学习党章", meeting_date=day))
    other = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=day))  # another kind: fine
    assert ms.same_day(db, other.id) == []

    def plan_again(dlg):  # last week's meeting entered again, not seeing it was already planned
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        dlg.kind.setCurrentIndex(dlg.kind.findData(r.BRANCH_CONGRESS))
        dlg.day.setDate(dlg.day.date().addDays(-3))
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None and len(dlg.attendee_ids()) == len(NAMES))
        dlg.accept()
        qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", plan_again)
    page.plan_meeting()
    wait_ops()
    text = page.message.text()
    assert text.startswith("已计划会议") and f"{day:%Y-%m-%d}" in text
    assert "会议日期已过，可以“登记出勤”。" in text and "会前" not in text  # entered afterwards: no sheet to print
    assert (f"注意：第一网格党支部 {day:%Y-%m-%d} 已有一次支部党员大会（{first.number}）。"
            "如是重复计划，请删除多余的一次。") in text
    second = page.selected_id()
    assert second != first.id and ms.same_day(db, second) == [first.number]

    # a date changed onto another's of the same kind says so too
    theme = ms.get(db, other.id)

    def move_onto(dlg):
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        dlg.kind.setCurrentIndex(dlg.kind.findData(r.BRANCH_CONGRESS))
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None and len(dlg.attendee_ids()) == len(NAMES))
        dlg.accept()
        qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", move_onto)
    assert page.select(theme.id)
    page.edit_selected()
    wait_ops()
    assert page.message.text() == (f"已保存会议 {theme.number}。注意：第一网格党支部 {day:%Y-%m-%d} 已有一次支部党员大会"
                                   f"（{first.number}、{ms.get(db, second).number}）。如是重复计划，请删除多余的一次。")

    # the extra one cancelled: no longer a twin
    ms.cancel(db, first.id, "重复计划")
    assert ms.same_day(db, second) == [theme.number]


def test_deleting_says_what_is_lost(qtbot, page, community, wait_ops, monkeypatch):
    branch, _group, _ids = community
    db, day = page.ctx.db, date.today() - timedelta(days=1)
    planned = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=day),
                      guests=[ms.Guest(name="周书记", unit="梅园街道党工委")])
    held = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.PARTY_LECTURE, meeting_date=day))
    ms.all_present(db, held.id)
    page.refresh()
    wait_ops()
    asked = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)

    assert page.select(planned.id)
    page.delete_selected()
    # a planned meeting with a guest named: nothing recorded yet, nothing to warn of
    assert asked[-1] == f"确定删除会议 {planned.number}（{planned.title}）吗？"

    assert page.select(held.id)
    page.delete_selected()
    assert asked[-1] == (f"确定删除会议 {held.number}（{held.title}）吗？\n"
                         "这次会议已召开：它的出勤记录一并删除，三会一课落实中不再算它召开过。\n"
                         "出勤登记有误时，请用“登记出勤”更正，不必删除。")
    wait_ops()
    assert {m.id for m in ms.list_meetings(db)} == {planned.id, held.id}  # answered No: both kept


def test_edit_keeps_number_and_changes_attendees(qtbot, page, community, wait_ops, monkeypatch):
    branch, _group, ids = community
    db = page.ctx.db
    m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()),
                guests=[ms.Guest("周书记", "街道")])
    page.refresh()
    wait_ops()
    page.select(m.id)

    def untick_two(dlg):
        qtbot.waitUntil(lambda: dlg.attendee_ids() is not None)
        assert dlg.guests.text() == "周书记（街道）"
        for i in (0, 1):
            dlg.people.item(i).setCheckState(Qt.CheckState.Unchecked)
        dlg.place.setText("小区广场")
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", untick_two)
    page.edit_selected()
    wait_ops()
    d = ms.get(db, m.id)
    assert d.number == m.number and d.place == "小区广场"
    assert d.expected == len(NAMES) - 2 and [a.name for a in d.attendees if a.is_guest] == ["周书记"]


def test_meeting_dialog_checks_before_closing(qtbot, app_ctx, community, wait_ops):
    branch, _group, _ids = community
    dlg = MeetingDialog(None, app_ctx.db, ms.holders(app_ctx.db), org_id=branch, kind=r.PARTY_LECTURE)
    qtbot.addWidget(dlg)
    wait_ops()
    assert dlg.lecturer.isEnabled()
    dlg.start.setTime(dlg.end.time().addSecs(3600))
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and "结束时间" in dlg.error.text()
    dlg.kind.setCurrentIndex(dlg.kind.findData(r.THEME_DAY))
    assert not dlg.lecturer.isEnabled()
    assert parse_guests("周书记（梅园街道党工委）、吴老师") == [ms.Guest("周书记", "梅园街道党工委"), ms.Guest("吴老师", "")]


def test_meetings_model_passes_the_model_tester(qtmodeltester, app_ctx, community):
    branch, _group, _ids = community
    ms.plan(app_ctx.db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY, meeting_date=date.today()))
    model = MeetingsModel()
    model.set_rows(ms.list_meetings(app_ctx.db), date.today())
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == r.THEME_DAY
    # a planned meeting whose day has passed waits for its attendance, marked in 状态
    model.set_rows(model.rows, date.today() + timedelta(days=1))
    assert model.index(0, 5).data() == "待登记出勤"
    assert model.index(0, 5).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 4).data(Qt.ItemDataRole.BackgroundRole) is None
    qtmodeltester.check(model)


def test_follow_up_tabs_list_absentees(qtbot, page, community, wait_ops, qtmodeltester, monkeypatch):
    branch, _group, ids = community
    db = page.ctx.db
    for k in range(3):
        m = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY,
                                        meeting_date=date.today() - timedelta(days=10 * (k + 1))))
        ms.record_attendance(db, m.id, [ms.AttendanceEntry(r.PRESENT, member_id=ids[n]) for n in NAMES[:-1]])
    page.tabs.setCurrentIndex(2)
    wait_ops()
    streaks = page.streaks.model()
    names = [streaks.index(i, 0).data() for i in range(streaks.rowCount())]
    assert names == [NAMES[-1]] and streaks.index(0, 2).data() == "3 次"
    qtmodeltester.check(streaks)
    qtmodeltester.check(page.risks.model())
    page.tabs.setCurrentIndex(1)
    wait_ops()
    model = page.rates.model()
    rates = {model.index(i, 0).data(): model.index(i, 6).data() for i in range(model.rowCount())}
    assert rates[NAMES[0]] == "100.0%" and rates[NAMES[-1]] == "0.0%"
    qtmodeltester.check(model)

    from desktop_app.gui.meetings import page as page_mod

    shown = []
    monkeypatch.setattr(page_mod.MemberHistoryDialog, "exec", lambda dlg: shown.append(dlg) or 0)
    page.rates.setCurrentIndex(model.index([model.row(i).name for i in range(model.rowCount())].index(NAMES[0]), 0))
    page.show_history()
    wait_ops()
    history = shown[0].findChild(page_mod.QTableView).model()
    assert history.rowCount() == 3 and {history.index(i, 5).data() for i in range(3)} == {"出席"}
    qtmodeltester.check(history)


# ---------------------------------------------------------------- compliance

def _background(model, row, col):
    return model.index(row, col).data(Qt.ItemDataRole.BackgroundRole).name()


def test_compliance_grid_colours_and_planning_from_an_overdue_cell(qtbot, app_ctx, community, wait_ops,
                                                                   monkeypatch, qtmodeltester):
    branch, _group, _ids = community
    today = date.today()
    first_of_month = today.replace(day=1)
    if today.month > 1:  # last month's 主题党日 held: green; the rest of the year's months overdue
        held = ms.plan(app_ctx.db, ms.MeetingInput(org_id=branch, kind=r.THEME_DAY,
                                                   meeting_date=first_of_month - timedelta(days=3)))
        ms.all_present(app_ctx.db, held.id)
    p = CompliancePage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    wait_ops()
    assert p.model.rowCount() == 1 and p.model.headerData(0, Qt.Orientation.Vertical) == "第一网格党支部"
    qtmodeltester.check(p.model)
    p.view_box.setCurrentIndex(p.view_box.findData(r.THEME_DAY))
    assert p.model.columnCount() == 12
    qtmodeltester.check(p.model)
    current = p.cell_at(0, today.month - 1)
    assert current.status == CellStatus.DUE
    assert _background(p.model, 0, today.month - 1) == "#fff1b8"
    if today.month > 1:
        assert p.cell_at(0, today.month - 2).status == CellStatus.HELD
        assert _background(p.model, 0, today.month - 2) == "#cdeccd"
    if today.month > 2:
        overdue = p.cell_at(0, 0)
        assert overdue.status == CellStatus.OVERDUE
        assert _background(p.model, 0, 0) == "#f5b7b7"
    assert "逾期未开" in p.summary.text()

    # double-click the running month: plan it there and then
    def accept_as_is(dlg):
        assert (dlg.org.currentData(), dlg.kind.currentData()) == (branch, r.THEME_DAY)
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", accept_as_is)
    p._cell_activated(0, today.month - 1)
    wait_ops()
    assert [m.kind for m in ms.list_meetings(app_ctx.db) if m.meeting_date == today] == [r.THEME_DAY]
    p.refresh()
    wait_ops()
    assert p.cell_at(0, today.month - 1).status == CellStatus.PLANNED
    p.view_box.setCurrentIndex(0)
    assert p.model.columnCount() == len(p.grid.kinds)


def test_cadence_settings_dialog_changes_the_grid(qtbot, app_ctx, community, wait_ops, monkeypatch):
    from desktop_app.gui.meetings.compliance import KindSettingsDialog

    p = CompliancePage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()

    def lecture_monthly(dlg):
        for kind, unit, _times, _required in dlg.rows:
            if kind == r.PARTY_LECTURE:
                unit.setCurrentIndex(unit.findData("month"))
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(KindSettingsDialog, "exec", lecture_monthly)
    p.edit_settings()
    wait_ops()
    p.refresh()
    wait_ops()
    assert p.grid.rules[r.PARTY_LECTURE].unit == "month"
    assert len(p.grid.cells[(community[0], r.PARTY_LECTURE)]) == 12


# ---------------------------------------------------------------- 民主评议

def open_evaluations(qtbot, app_ctx, wait_ops, year: int | None = None) -> EvaluationsPage:
    p = EvaluationsPage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    if year is not None:
        p.year.setValue(year)
        wait_ops()
    return p


def test_evaluation_grid_keyboard_save_and_reload(qtbot, app_ctx, community, wait_ops, qtmodeltester, shot):
    branch, _group, ids = community
    p = open_evaluations(qtbot, app_ctx, wait_ops, 2025)
    assert p.model.rowCount() == len(NAMES)
    qtmodeltester.check(p.model)
    p.table.setCurrentIndex(p.model.index(0, COL_GRADE))
    qtbot.keyClick(p.table, Qt.Key.Key_1)  # 优秀, moves on
    qtbot.keyClick(p.table, Qt.Key.Key_4)  # 不合格
    assert p.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).name() == "#cdeccd"  # 优秀 shows green
    combo = p.table.indexWidget(p.model.index(1, COL_GRADE))
    assert combo.currentText() == "不合格"  # the line's combo box follows the key
    assert [combo.itemText(i) for i in range(combo.count())] == ["（未评）", "优秀", "合格", "基本合格", "不合格"]
    combo.setCurrentIndex(combo.findData("基本合格"))  # and a choice there is a grade
    assert p.grade_at(1) == "基本合格"
    combo.setCurrentIndex(combo.findData("不合格"))
    p.model.setData(p.model.index(1, COL_NOTES), "长期不参加组织生活")
    p.fill_blank()
    p.resize(900, 500)
    shot(p, "gui_evaluations.png")
    assert p.counts() == {"优秀": 1, "合格": 4, "基本合格": 0, "不合格": 1, "": 0}
    p.save()
    wait_ops()
    saved = {x.name: (x.grade, x.notes) for x in evaluations.grid(app_ctx.db, branch, 2025)}
    assert saved[NAMES[0]] == ("优秀", "")
    assert saved[NAMES[1]] == ("不合格", "长期不参加组织生活")
    assert "新增 6 人" in p.message.text()
    p.year.setValue(2024)
    wait_ops()
    assert p.counts()[""] == len(NAMES)
    p.year.setValue(2025)
    wait_ops()
    assert p.counts()["优秀"] == 1
    reloaded = p.table.indexWidget(p.model.index(0, COL_GRADE))  # every line a combo box after a reload too
    assert reloaded.currentText() == "优秀" and p.table.indexWidget(p.model.index(5, COL_GRADE)) is not None


def test_the_grade_boxes_show_their_whole_text(qtbot, app_ctx, community, wait_ops):
    """Sized to the text alone, the column cut 「（未评）」 to 「（未评」 under the box's arrow."""
    p = open_evaluations(qtbot, app_ctx, wait_ops, 2025)
    combo = p.table.indexWidget(p.model.index(0, COL_GRADE))
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert p.table.columnWidth(COL_GRADE) >= widest + 40  # the text, the arrow and the frame


def test_committee_dialog_edits_the_seats_and_saves_them(qtbot, page, community, wait_ops, monkeypatch,
                                                         qtmodeltester):
    from desktop_app.gui.meetings.meeting_dialog import CommitteeDialog

    branch, _group, ids = community
    db = page.ctx.db

    def fill(dlg):
        qtmodeltester.check(dlg.model)
        for member_id in (ids[NAMES[0]], ids[NAMES[1]], ids[NAMES[2]], ids[NAMES[0]]):  # a second add is ignored
            dlg.pick.setCurrentIndex(dlg.pick.findData(member_id))
            dlg.add_seat(dlg.pick.currentData(), "委员")
        assert dlg.model.rowCount() == 3
        roles = dlg.table.indexWidget(dlg.model.index(2, 1))  # each added line has its own combo box
        assert [roles.itemText(i) for i in range(roles.count())] == list(r.COMMITTEE_ROLES)
        assert roles.currentText() == "委员"
        dlg.table.indexWidget(dlg.model.index(0, 1)).setCurrentText("书记")  # the line's own combo box
        dlg.table.indexWidget(dlg.model.index(1, 1)).setCurrentText("书记")
        dlg.accept()
        assert "只能有一名书记" in dlg.error.text()  # refused, nothing lost
        dlg.table.selectRow(1)
        dlg._remove()
        assert dlg.seats() == [(ids[NAMES[0]], "书记"), (ids[NAMES[2]], "委员")]
        qtmodeltester.check(dlg.model)
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(CommitteeDialog, "exec", fill)
    page.org_filter.setCurrentIndex(page.org_filter.findData(branch))
    wait_ops()
    page.edit_committee()
    wait_ops()
    assert {(s.name, s.role) for s in ms.committee(db, branch)} == {(NAMES[0], "书记"), (NAMES[2], "委员")}


def test_the_evaluations_page_without_branches_says_what_to_do_first(qtbot, app_ctx, wait_ops):
    p = open_evaluations(qtbot, app_ctx, wait_ops)  # a new center: the community, no branch yet
    assert p.branch.count() == 0 and "请先在“党组织”页面建立党支部" in p.summary.text()
