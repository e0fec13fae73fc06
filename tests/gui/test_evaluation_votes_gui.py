"""民主评议 page with the 民主测评: ballot counts above the grid, votes typed in four columns as grades are,
saved with the grades and shown again on reload; a sum over the returned ballots is refused on its cell."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.evaluations import COL_GRADE, COL_SHARE, ERROR_FILL, VOTE_COLS, EvaluationsPage
from desktop_app.gui.widgets.bars import WRITES
from desktop_app.services import evaluation_votes, orgs, roster
from tests.gui.test_meetings_gui import open_evaluations

NAMES = ["张伟", "王芳", "李娜"]


@pytest.fixture
def branch(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(NAMES):
        roster.create(db, MemberInput(name=name, org_id=b.id,
                                      id_number=idcard.make("320102", date(1960 + i, 3, 1 + i), i, idcard.MALE),
                                      joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))
    return b.id


def open_page(qtbot, app_ctx, wait_ops) -> EvaluationsPage:
    return open_evaluations(qtbot, app_ctx, wait_ops, 2025)


def type_keys(qtbot, p, *keys) -> None:
    for k in keys:
        qtbot.keyClick(p.table, k)


def test_tallies_typed_in_the_grid_are_saved_with_the_grades_and_reload(qtbot, app_ctx, branch, wait_ops,
                                                                       qtmodeltester, shot):
    p = open_page(qtbot, app_ctx, wait_ops)
    qtmodeltester.check(p.model)
    p.issued.setValue(12)
    p.returned.setValue(11)
    p.held_on.set_value(date(2026, 1, 16))
    p.table.setCurrentIndex(p.model.index(0, VOTE_COLS[0]))
    type_keys(qtbot, p, Qt.Key.Key_1, Qt.Key.Key_0, Qt.Key.Key_Return)  # 10 votes 优秀 for 张伟, then 王芳
    type_keys(qtbot, p, Qt.Key.Key_2, Qt.Key.Key_Return)
    assert p.votes_at(0) == (10, 0, 0, 0) and p.votes_at(1) == (2, 0, 0, 0)
    p.table.setCurrentIndex(p.model.index(1, VOTE_COLS[1]))
    type_keys(qtbot, p, Qt.Key.Key_9)
    assert p.votes_at(1) == (2, 9, 0, 0)
    assert "优秀90.9%" in p.model.index(0, COL_SHARE).data()
    p.table.setCurrentIndex(p.model.index(0, COL_GRADE))
    type_keys(qtbot, p, Qt.Key.Key_1, Qt.Key.Key_1)  # the grade column keeps its keys: 张伟 and 王芳 优秀
    assert "测评多数为合格" in p.model.index(1, COL_SHARE).data()  # said, not decided
    assert p.grade_at(1) == "优秀"
    p.resize(1100, 500)
    shot(p, "gui_evaluation_votes.png")
    p.save()
    wait_ops()
    assert "测评票数修改 2 人" in p.message.text()
    t = evaluation_votes.tallies(app_ctx.db, branch, 2025)
    assert (t.ballot.issued, t.ballot.returned, t.ballot.held_on) == (12, 11, date(2026, 1, 16))
    assert [r.tally.counts() for r in t.rows][:2] == [(10, 0, 0, 0), (2, 9, 0, 0)]

    p.year.setValue(2024)
    wait_ops()
    assert p.issued.value() == 0 and p.votes_at(0) == (0, 0, 0, 0)
    p.year.setValue(2025)
    wait_ops()
    assert (p.issued.value(), p.returned.value()) == (12, 11) and p.votes_at(1) == (2, 9, 0, 0)


def test_a_sum_over_the_returned_is_refused_on_its_cell(qtbot, app_ctx, branch, wait_ops):
    p = open_page(qtbot, app_ctx, wait_ops)
    p.issued.setValue(5)
    p.returned.setValue(5)
    p.set_votes(2, 3, 1, 1, 1)  # 李娜: 6 votes of 5 ballots
    p.save()
    wait_ops()
    assert "李娜的四项票数合计 6 张，多于收回的 5 张" in p.message.text()
    assert (p.table.currentIndex().row(), p.table.currentIndex().column()) == (2, VOTE_COLS[3])
    assert p.model.index(2, VOTE_COLS[3]).data(Qt.ItemDataRole.BackgroundRole).name() == ERROR_FILL
    assert evaluation_votes.tallies(app_ctx.db, branch, 2025).ballot is None  # nothing written
    p.returned.setValue(6)
    p.issued.setValue(4)
    p.save()
    wait_ops()
    assert "收回 6 张，多于发出的 4 张" in p.message.text() and "#b00020" in p.returned.styleSheet()
    p.issued.setValue(6)  # 收回 mended in its field, where the refusal put the cursor; the sum still too high
    p.returned.setValue(5)
    p.save()
    wait_ops()
    assert "李娜的四项票数合计 6 张" in p.message.text()
    assert p.focusWidget() is p.table  # digits typed now mend the red cell, not 收回 (it read 56)
    qtbot.keyClick(p.table, Qt.Key.Key_0)
    assert p.votes_at(2) == (3, 1, 1, 0)


def test_a_sum_over_the_returned_marks_the_cell_typed_last_not_the_last_column(qtbot, app_ctx, branch, wait_ops):
    p = open_page(qtbot, app_ctx, wait_ops)
    p.issued.setValue(5)
    p.returned.setValue(5)
    p.table.setCurrentIndex(p.model.index(2, VOTE_COLS[3]))
    type_keys(qtbot, p, Qt.Key.Key_1)  # 李娜: 1 不合格 first
    p.table.setCurrentIndex(p.model.index(2, VOTE_COLS[0]))
    type_keys(qtbot, p, Qt.Key.Key_5)  # then 5 优秀: this is the count that went over
    p.save()
    wait_ops()
    assert "李娜的四项票数合计 6 张，多于收回的 5 张" in p.message.text()
    assert (p.table.currentIndex().row(), p.table.currentIndex().column()) == (2, VOTE_COLS[0])
    fills = [p.model.index(2, c).data(Qt.ItemDataRole.BackgroundRole) for c in VOTE_COLS]
    assert fills[0].name() == ERROR_FILL and all(f is None or f.name() != ERROR_FILL for f in fills[1:])
    qtbot.keyClick(p.table, Qt.Key.Key_4)  # typed over in the marked cell: the mark goes, the sum fits
    assert p.votes_at(2) == (4, 0, 0, 1)
    assert p.model.index(2, VOTE_COLS[0]).data(Qt.ItemDataRole.BackgroundRole) is None or \
        p.model.index(2, VOTE_COLS[0]).data(Qt.ItemDataRole.BackgroundRole).name() != ERROR_FILL


def test_the_page_keeps_the_window_within_a_1366_screen_at_150_percent(qtbot, app_ctx, branch, wait_ops):
    from tests.gui.test_keyboard_walk import SCALED_WIDTH
    from tests.gui.test_small_screens import NAVIGATION

    p = open_page(qtbot, app_ctx, wait_ops)
    assert p.minimumSizeHint().width() <= SCALED_WIDTH - NAVIGATION, p.minimumSizeHint()


def test_an_account_that_only_reads_prints_but_types_no_votes(qtbot, app_ctx, branch, wait_ops):
    p = open_page(qtbot, app_ctx, wait_ops)
    p.act_save.setVisible(False)  # as the window hides it from an account without 登记民主评议结果
    p.refresh()
    wait_ops()
    assert p.issued.isReadOnly() and p.returned.isReadOnly() and p.held_on.isReadOnly()
    p.table.setCurrentIndex(p.model.index(0, VOTE_COLS[0]))
    qtbot.keyClick(p.table, Qt.Key.Key_7)
    assert p.votes_at(0) == (0, 0, 0, 0)
    assert not p.act_ballot.property(WRITES) and not p.act_tally.property(WRITES)  # printing is a read


def test_an_account_that_only_reads_is_not_offered_the_grade_box(qtbot, app_ctx, branch, wait_ops):
    """The 评议等次 combo boxes stayed live for a 只读 account (a street's worker): a grade picked there made the
    page 有未保存的修改 with no 保存 to offer, and asked to discard it on the next branch."""
    p = open_page(qtbot, app_ctx, wait_ops)
    p.act_save.setVisible(False)
    p.refresh()
    wait_ops()
    combo = p.table.indexWidget(p.model.index(0, COL_GRADE))
    assert combo is not None and not combo.isEnabled()


def test_the_names_stay_in_sight_on_a_narrow_window(qtbot, app_ctx, branch, wait_ops):
    """On a 1024 × 768 screen at 125 % the grade column made current on loading scrolled 序号 and 姓名 out of
    the table (and kept them out when the window grew): the secretary typed counts on lines that named no one."""
    p = open_page(qtbot, app_ctx, wait_ops)
    p.resize(600, 500)  # what such a screen leaves beside the navigation
    p.year.setValue(2024)
    wait_ops()
    assert p.table.horizontalScrollBar().value() == 0 and p.table.columnViewportPosition(1) >= 0
    type_keys(qtbot, p, Qt.Key.Key_2, Qt.Key.Key_1)  # graded down the list
    assert p.grade_at(0) == "合格" and p.grade_at(1) == "优秀" and p.table.columnViewportPosition(1) >= 0
    p.table.setCurrentIndex(p.model.index(0, VOTE_COLS[0]))
    type_keys(qtbot, p, Qt.Key.Key_5, Qt.Key.Key_Return)
    assert p.table.columnViewportPosition(1) >= 0  # and while votes are typed


def test_a_member_s_counts_typed_across_with_tab_then_enter_start_the_next_member(qtbot, app_ctx, branch,
                                                                                  wait_ops):
    """A tally sheet is read a member at a time: 优秀 Tab 合格 Tab 基本合格 Tab 不合格, Enter; Enter went down the
    不合格 column and the next member's 优秀 was typed there."""
    p = open_page(qtbot, app_ctx, wait_ops)
    p.issued.setValue(9)
    p.returned.setValue(9)
    p.table.setCurrentIndex(p.model.index(0, VOTE_COLS[0]))
    type_keys(qtbot, p, Qt.Key.Key_2, Qt.Key.Key_Tab, Qt.Key.Key_6, Qt.Key.Key_Tab, Qt.Key.Key_1, Qt.Key.Key_Return)
    assert p.table.currentIndex().row() == 1 and p.table.currentIndex().column() == VOTE_COLS[0]
    type_keys(qtbot, p, Qt.Key.Key_1, Qt.Key.Key_Tab, Qt.Key.Key_8, Qt.Key.Key_Return)
    assert p.votes_at(0) == (2, 6, 1, 0) and p.votes_at(1) == (1, 8, 0, 0)
    p.table.setCurrentIndex(p.model.index(2, VOTE_COLS[1]))  # no Tab: Enter keeps going down its column
    type_keys(qtbot, p, Qt.Key.Key_9, Qt.Key.Key_Return)
    assert p.table.currentIndex().column() == VOTE_COLS[1] and p.votes_at(2) == (0, 9, 0, 0)


def test_a_change_elsewhere_does_not_wipe_the_counts_being_typed(qtbot, app_ctx, branch, wait_ops):
    """Half the tally typed, the secretary saved a member's phone on 党员名册: back here the grid had reloaded
    and the counts were gone, unasked."""
    from desktop_app.gui.bus import bus
    from desktop_app.views.changes import Change

    p = open_page(qtbot, app_ctx, wait_ops)
    p.issued.setValue(8)
    p.returned.setValue(8)
    p.set_votes(0, 5, 3)
    bus.announce(Change.MEMBERS)
    wait_ops()
    assert p.votes_at(0) == (5, 3, 0, 0) and p.returned.value() == 8
    assert "尚未保存" in p.message.text()
    p.save()
    wait_ops()
    bus.announce(Change.MEMBERS)  # saved: the grid reloads as before
    wait_ops()
    assert p.votes_at(0) == (5, 3, 0, 0) and "尚未保存" not in p.message.text()


def test_a_tally_sheet_of_nothing_counted_is_refused_before_a_file_is_asked_for(qtbot, app_ctx, branch, wait_ops,
                                                                                monkeypatch):
    from desktop_app.gui.widgets import forms

    asked = []
    monkeypatch.setattr(forms, "ask_save_path", lambda *a, **k: asked.append(a) or None)
    p = open_page(qtbot, app_ctx, wait_ops)
    p.print_tally()
    assert not asked and "还没有登记本年度的测评票数" in p.message.text()
    p.print_ballots()  # the ballots are printed before anything is counted
    assert len(asked) == 1
