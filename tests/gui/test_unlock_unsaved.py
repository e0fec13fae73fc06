"""Another account unlocking the locked window reopens the database for it, and the first account's typed work
would go: the new account is told whose and what before the switch, 继续 / 取消, and never saves it."""

from __future__ import annotations

from datetime import date

import pytest
from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.idle_lock import IdleLock
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import auth, evaluation_votes, orgs, roster
from tests.gui.test_close_unsaved import answer

PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def setup(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD, must_change_password=False)
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="张伟", org_id=b.id, id_number=idcard.make("320102", date(1960, 3, 1), 1,
                                                                                   idcard.MALE),
                                  joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))
    w = MainWindow(app_ctx)
    # pytest-qt closes the window before this fixture's teardown: that close would ask about the typed
    # grade and wait for the modal watchdog's 30 s, so the grade is dropped as at the lock screen's 退出.
    qtbot.addWidget(w, before_close_func=lambda win: setattr(win, "typed_work_dropped", True))
    w.show()
    wait_ops()
    page = w.go_to("民主评议")
    wait_ops()
    page.set_grade(0, "优秀")
    assert page.unsaved()
    idle = IdleLock(db, interval_ms=0)
    idle.may_switch = w.let_another_in
    yield w, page, idle, b.id
    idle.stop()


def unlock_as(qtbot, idle, login: str) -> None:
    idle.dialog.name.setText(login)
    idle.dialog.password.setText(PASSWORD)
    idle.dialog.accept()


def test_cancel_keeps_the_lock_for_the_first_account_and_its_edits(qtbot, app_ctx, setup, wait_ops):
    window, page, idle, branch = setup
    db = app_ctx.db
    idle.lock_now()
    assert idle.is_locked
    asked = answer("取消")
    unlock_as(qtbot, idle, "li")
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert asked[0].startswith("王书记在“民主评议”有未保存的修改（第一网格党支部")
    assert "换用您的账户会放弃这些修改" in asked[0]
    qtbot.waitUntil(lambda: idle.is_locked and idle.dialog.isVisible(), timeout=5000)
    assert auth.current_actor(db) is None  # li was put aside again: nothing acts under the lock
    assert idle.dialog.name.text() == "admin"  # the lock screen waits for the one who typed the grade
    assert page.unsaved() and page.grade_at(0) == "优秀"
    with qtbot.waitSignal(idle.unlocked, timeout=20_000) as got:
        unlock_as(qtbot, idle, "admin")  # the same account: nothing asked, nothing lost
    assert got.args[0].login == "admin" and page.grade_at(0) == "优秀"
    assert not evaluation_votes.tallies(db, branch, page.year.value()).rows[0].row.grade  # li saved nothing


def test_continue_lets_the_other_account_in_without_saving_the_edits(qtbot, app_ctx, setup, wait_ops):
    window, page, idle, branch = setup
    idle.lock_now()
    asked = answer("继续")
    with qtbot.waitSignal(idle.unlocked, timeout=20_000) as got:
        unlock_as(qtbot, idle, "li")
    assert asked and got.args[0].login == "li" and not idle.is_locked
    assert not evaluation_votes.tallies(app_ctx.db, branch, page.year.value()).rows[0].row.grade


def test_nothing_typed_nothing_asked(qtbot, app_ctx, setup, wait_ops):
    window, page, idle, _branch = setup
    page._dirty = False
    idle.lock_now()
    with qtbot.waitSignal(idle.unlocked, timeout=20_000) as got:
        unlock_as(qtbot, idle, "li")  # a box left unanswered would hang here
    assert got.args[0].login == "li"


# --- a form dialog left half filled under the lock -------------------------------------------------------------


@pytest.fixture
def half_filled(qtbot, app_ctx, wait_ops):
    """The window with 新增党员 open over it and a name typed, nothing on the pages unsaved: (window, dialog, idle)."""
    from desktop_app.gui.roster.member_dialog import MemberDialog
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "li", "李委员", "secretary", PASSWORD, must_change_password=False)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    dlg = MemberDialog(w, orgs.list_tree(db), lambda inp: None)
    dlg.open()
    qtbot.waitUntil(lambda: dlg._typed is not None, timeout=5000)  # what it showed, taken once shown
    dlg.w["name"].insert("赵敏")  # as typed (QTest types no Chinese)
    assert dlg.is_modified() and w.half_filled_forms() == [dlg]
    idle = IdleLock(db, interval_ms=0)
    idle.may_switch = w.let_another_in
    yield w, dlg, idle
    idle.stop()
    dlg.asks_before_discard = False  # the teardown's close would ask about the name again
    dlg.reject()


def test_another_account_is_told_of_a_half_filled_form_and_cancel_keeps_it(qtbot, app_ctx, half_filled, shot):
    window, dlg, idle = half_filled
    idle.lock_now()
    asked = answer("取消")
    unlock_as(qtbot, idle, "li")
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert asked[0].startswith("王书记在“新增党员”窗口中填了一半的内容，换用您的账户会放弃这些内容。")
    qtbot.waitUntil(lambda: idle.is_locked and idle.dialog.isVisible(), timeout=5000)
    assert auth.current_actor(app_ctx.db) is None and idle.dialog.name.text() == "admin"
    assert dlg.isVisible() and dlg.w["name"].text() == "赵敏"
    with qtbot.waitSignal(idle.unlocked, timeout=20_000) as got:
        unlock_as(qtbot, idle, "admin")  # the same account: nothing asked, the form as it was
    assert got.args[0].login == "admin"
    assert dlg.isVisible() and dlg.w["name"].text() == "赵敏" and dlg.is_modified()
    shot(dlg, "unlock_keeps_half_filled_form.png")


def test_the_same_account_unlocking_keeps_the_form_without_a_question(qtbot, app_ctx, half_filled):
    window, dlg, idle = half_filled
    idle.lock_now()
    with qtbot.waitSignal(idle.unlocked, timeout=20_000):
        unlock_as(qtbot, idle, "admin")  # a box left unanswered would hang here
    assert not idle.is_locked
    assert dlg.isVisible() and dlg.w["name"].text() == "赵敏"


def test_continue_drops_the_half_filled_form_without_asking_again(qtbot, app_ctx, half_filled):
    window, dlg, idle = half_filled
    idle.lock_now()
    asked = answer("继续")  # a second 放弃填写的内容？ box would be left unanswered and hang the unlock
    with qtbot.waitSignal(idle.unlocked, timeout=20_000) as got:
        unlock_as(qtbot, idle, "li")
    assert len(asked) == 1 and "“新增党员”窗口中填了一半的内容" in asked[0]
    assert got.args[0].login == "li"
    assert not dlg.isVisible() and dlg.result() == dlg.DialogCode.Rejected


def test_a_form_and_a_page_both_unsaved_are_listed_together(qtbot, app_ctx, setup, wait_ops):
    from desktop_app.gui.roster.member_dialog import MemberDialog
    window, page, idle, _branch = setup
    dlg = MemberDialog(window, orgs.list_tree(app_ctx.db), lambda inp: None)
    dlg.open()
    qtbot.waitUntil(lambda: dlg._typed is not None, timeout=5000)
    dlg.w["name"].insert("赵敏")  # as typed (QTest types no Chinese)
    idle.lock_now()
    asked = answer("继续")
    with qtbot.waitSignal(idle.unlocked, timeout=20_000):
        unlock_as(qtbot, idle, "li")
    assert "· 民主评议：第一网格党支部" in asked[0] and "· “新增党员”窗口中填了一半的内容" in asked[0]
    assert not dlg.isVisible()


# --- 退出程序 chosen on the lock screen: no one is logged in to save -------------------------------------------


def test_quit_under_the_lock_is_told_of_the_unsaved_work_and_cancel_keeps_the_lock(qtbot, app_ctx, setup):
    window, page, idle, branch = setup
    idle.may_quit = window.let_locked_quit
    idle.lock_now()
    asked = answer("取消")
    idle.dialog.reject()  # 退出程序
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert asked[0].startswith("王书记在“民主评议”有未保存的修改（第一网格党支部")
    assert "退出程序会放弃这些修改" in asked[0]
    qtbot.waitUntil(lambda: idle.is_locked and idle.dialog.isVisible(), timeout=5000)
    assert window.isVisible() and page.unsaved() and page.grade_at(0) == "优秀"
    assert auth.current_actor(app_ctx.db) is None  # no one logged in: nothing could be saved
    with qtbot.waitSignal(idle.unlocked, timeout=20_000):
        unlock_as(qtbot, idle, "admin")  # the one who typed it comes back: the grade still there to save
    assert page.unsaved() and page.grade_at(0) == "优秀"
    assert not evaluation_votes.tallies(app_ctx.db, branch, page.year.value()).rows[0].row.grade


def test_quit_under_the_lock_drops_the_work_and_asks_nothing_more(qtbot, app_ctx, setup):
    window, page, idle, branch = setup
    idle.may_quit = window.let_locked_quit
    idle.lock_now()
    asked = answer("退出")  # the window's own 保存 / 不保存 / 取消 would be a second box, left unanswered
    idle.dialog.reject()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert len(asked) == 1 and "退出程序会放弃这些修改" in asked[0]
    auth.login(app_ctx.db, "admin", PASSWORD)
    assert not evaluation_votes.tallies(app_ctx.db, branch, page.year.value()).rows[0].row.grade
