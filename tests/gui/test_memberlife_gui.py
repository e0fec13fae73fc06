"""出党与处分 and 流动与失联 pages offscreen: record a 留党察看 and an exit, a 流出 and its return,
a search for a 失联党员, and a move between branches."""

from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.members import MemberInput
from desktop_app.gui.memberlife.dialogs import (
    DisciplineDialog, ExitDialog, FloatingDialog, MoveDialog, SearchDialog,
)
from desktop_app.gui.memberlife.floating_page import FloatingPage
from desktop_app.gui.memberlife.page import MemberLifePage
from desktop_app.gui.widgets.dialog import DateNoteDialog
from desktop_app.services import memberlife as life
from desktop_app.services import orgs, roster

TODAY = date(2026, 6, 15)


@pytest.fixture
def people(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    a = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    ids = {}
    for i, name in enumerate(("王建国", "李秀英", "张伟")):
        ids[name] = roster.create(db, MemberInput(
            name=name, org_id=a.id, joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1),
            id_number=idcard.make("320102", date(1950, 2, 1 + i), 1 + i, idcard.MALE)), today=TODAY).id
    return a.id, b.id, ids


def _run(qtbot, fill):
    def go(dlg):
        fill(dlg)
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        assert not dlg.message.text(), dlg.message.text()
        return dlg.result()
    return go


def test_record_probation_then_an_exit(qtbot, app_ctx, people, wait_ops, monkeypatch, qtmodeltester, shot):
    _, _, ids = people
    page = MemberLifePage(app_ctx, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 650)
    page.show()
    wait_ops()

    def discipline(dlg):
        dlg._member = (ids["王建国"], "王建国")
        dlg.kind.setCurrentIndex(dlg.kind.findData(rules.PROBATION))
        dlg.on.set_value(date(2026, 1, 10))
        dlg.years.setCurrentIndex(1)
        dlg.body.setText("街道纪工委")
        dlg.number.setText("纪〔2026〕1号")

    monkeypatch.setattr(DisciplineDialog, "exec", _run(qtbot, discipline))
    page.add_discipline()
    wait_ops()
    [d] = life.disciplines(app_ctx.db, today=TODAY)
    assert (d.kind, d.ends_on, d.running) == (rules.PROBATION, date(2028, 1, 10), True)
    page.tabs.setCurrentIndex(1)
    assert [r.member_name for r in page.panel.model.rows] == ["王建国"]
    qtmodeltester.check(page.panel.model)

    def exit_(dlg):
        dlg._member = (ids["李秀英"], "李秀英")
        dlg.kind.setCurrentIndex(dlg.kind.findData(m.DECEASED))
        dlg.on.set_value(date(2026, 5, 3))

    monkeypatch.setattr(ExitDialog, "exec", _run(qtbot, exit_))
    page.add_exit()
    wait_ops()
    assert roster.get(app_ctx.db, ids["李秀英"]).status == m.DECEASED
    page.tabs.setCurrentIndex(0)
    assert [r.kind for r in page.panel.model.rows] == [m.DECEASED]
    for panel in page.panels:
        qtmodeltester.check(panel.model)
    page.panel.select_id(page.panel.model.rows[0].id)
    wait_ops()
    assert page.act_withdraw.isEnabled()
    shot(page, "memberlife_page.png")


def test_floating_out_and_back_a_search_and_a_move(qtbot, app_ctx, people, wait_ops, monkeypatch, qtmodeltester, shot):
    a, b, ids = people
    roster.change_status(app_ctx.db, ids["张伟"], m.LOST, date(2025, 9, 1), today=TODAY)
    page = FloatingPage(app_ctx, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 650)
    page.show()
    wait_ops()

    def out(dlg):
        dlg._member = (ids["王建国"], "王建国")
        dlg.card.setText("LD-2026-001")
        dlg.start.set_value(date(2026, 3, 1))
        dlg.place.setText("广东省深圳市南山区")
        dlg.other.setText("深圳某社区党委")
        dlg.contact.setText("13812345678")

    monkeypatch.setattr(FloatingDialog, "exec", _run(qtbot, out))
    page.add_out()
    wait_ops()
    assert roster.get(app_ctx.db, ids["王建国"]).status == m.FLOATING
    [row] = page.panels[0].model.rows
    assert row.card_no == "LD-2026-001"
    page.panel.select_id(row.id)
    wait_ops()

    def back(dlg):
        dlg.on.set_value(date(2026, 6, 1))
        dlg.accept()
        # a save may wait out SQLite's 15 s busy timeout on a loaded machine
        qtbot.waitUntil(lambda: dlg.saved is not None or bool(dlg.message.text()), timeout=20_000)
        return dlg.result()

    monkeypatch.setattr(DateNoteDialog, "exec", back)
    page.end()
    wait_ops()
    assert roster.get(app_ctx.db, ids["王建国"]).status == m.NORMAL

    page.tabs.setCurrentIndex(2)
    wait_ops()
    [lost] = page.panel.model.rows
    page.panel.select_id(lost.id)
    wait_ops()
    assert page.act_search.isEnabled()

    def search(dlg):
        dlg.who.setText("李委员")
        dlg.outcome.setPlainText("电话停机")

    monkeypatch.setattr(SearchDialog, "exec", _run(qtbot, search))
    page.add_search()
    wait_ops()
    assert [s.tried_by for s in life.searches(app_ctx.db, ids["张伟"])] == ["李委员"]

    def move(dlg):
        dlg._member = (ids["李秀英"], "李秀英")
        dlg.target.setCurrentIndex(dlg.target.findData(b))

    monkeypatch.setattr(MoveDialog, "exec", _run(qtbot, move))
    page.move_between()
    wait_ops()
    assert roster.get(app_ctx.db, ids["李秀英"]).org_id == b
    page.tabs.setCurrentIndex(3)
    for panel in page.panels:
        qtmodeltester.check(panel.model)
    shot(page, "floating_page.png")


def test_topics_with_a_vote_on_a_meeting_record(qtbot, app_ctx, people, wait_ops, monkeypatch, qtmodeltester, shot):
    from datetime import time

    from desktop_app.domain import meetings as mr
    from desktop_app.gui.memberlife.topics import TopicDialog, TopicsDialog
    from desktop_app.services import meetings as ms

    a, _, ids = people
    meeting = ms.plan(app_ctx.db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=date(2026, 6, 1),
                                                  start_time=time(9), title="支部党员大会"), today=TODAY)
    ms.record_attendance(app_ctx.db, meeting.id, [ms.AttendanceEntry(status=mr.PRESENT, member_id=mid)
                                                  for mid in ids.values()], today=TODAY)
    dlg = TopicsDialog(None, app_ctx.db, meeting.id, meeting.number)
    qtbot.addWidget(dlg)
    dlg.show()
    wait_ops()

    def too_many(form):
        form.title_edit.setText("讨论接收预备党员")
        form.voted.setChecked(True)
        form.spins[0].setValue(4)
        form.accept()
        qtbot.waitUntil(lambda: bool(form.message.text()))
        assert "超过有表决权的到会人数 3" in form.message.text()
        form.spins[0].setValue(3)
        form.accept()
        qtbot.waitUntil(lambda: form.saved is not None)
        return form.result()

    monkeypatch.setattr(TopicDialog, "exec", too_many)
    dlg.add()
    wait_ops()
    [row] = dlg.model.rows
    assert (row.title, row.votes_for, row.passed) == ("讨论接收预备党员", 3, True)
    qtmodeltester.check(dlg.model)
    shot(dlg, "topics_dialog.png")


def test_a_members_life_from_the_member_record(qtbot, app_ctx, people, wait_ops, monkeypatch, shot):
    from desktop_app.gui.memberlife.member import MemberLifeDialog

    a, b, ids = people
    dlg = MemberLifeDialog(None, app_ctx.db, ids["张伟"], "张伟")
    qtbot.addWidget(dlg)
    dlg.show()
    wait_ops()
    assert "没有出党" in dlg.view.toPlainText()

    def move(form):
        form.target.setCurrentIndex(form.target.findData(b))
        form.on.set_value(date(2026, 6, 1))

    monkeypatch.setattr(MoveDialog, "exec", _run(qtbot, move))
    dlg.move_member()
    wait_ops()
    assert "第一网格党支部 → 第二网格党支部" in dlg.view.toPlainText()
    shot(dlg, "member_life.png")


def test_the_meetings_page_opens_the_topics_of_the_selected_meeting(qtbot, app_ctx, people, wait_ops, monkeypatch):
    from datetime import time

    from desktop_app.domain import meetings as mr
    from desktop_app.gui.meetings.page import MeetingsPage
    from desktop_app.gui.memberlife.topics import TopicsDialog
    from desktop_app.services import meetings as ms

    a, _, _ = people
    meeting = ms.plan(app_ctx.db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=date(2026, 1, 5),
                                                  start_time=time(9), title="支部党员大会"), today=date(2026, 1, 2))
    page = MeetingsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.apply_filter(year=2026)
    wait_ops()
    assert page.select(meeting.id)
    wait_ops()
    assert page.act_topics.isEnabled()
    opened = []
    monkeypatch.setattr(TopicsDialog, "exec", lambda dlg: opened.append(dlg.meeting_id) or 0)
    page.act_topics.trigger()
    wait_ops()
    assert opened == [meeting.id]


def test_document_numbers_show_whole(qtbot, app_ctx):
    """文号 and 介绍信编号 ended in an ellipsis (「梅组转〔2026〕2…」) at 100-120 pixels."""
    from desktop_app.gui.memberlife.page import DISCIPLINE_COLUMNS, DISPOSAL_COLUMNS, EXIT_COLUMNS
    from desktop_app.gui.transfers.page import COLUMNS as LETTER_COLUMNS
    from desktop_app.gui.widgets.table import ColumnModel, table_view

    view = table_view(ColumnModel(EXIT_COLUMNS))
    qtbot.addWidget(view)
    view.show()  # polished: the style sheet's font
    need = view.fontMetrics().horizontalAdvance("梅组转〔2026〕27号") + 10
    widths = {(cols[0].title, c.title): c.width for cols in (EXIT_COLUMNS, DISCIPLINE_COLUMNS, DISPOSAL_COLUMNS,
                                                               LETTER_COLUMNS)
              for c in cols if c.title in ("文号", "介绍信编号")}
    assert len(widths) == 4 and all(w >= need for w in widths.values()), (need, widths)
