"""Closing the main window never drops typed work: a page holding edits not yet saved (民主评议's grades, 用户管理's
auto-lock minutes) makes the window ask once, 保存 / 不保存 / 取消, naming what would be lost."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import auth, evaluation_votes, orgs, roster


@pytest.fixture
def branch(app_ctx):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    roster.create(db, MemberInput(name="张伟", org_id=b.id, id_number=idcard.make("320102", date(1960, 3, 1), 1,
                                                                                   idcard.MALE),
                                  joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1)))
    return b.id


@pytest.fixture
def window(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    return w


def answer(button: str) -> list[str]:
    """Click `button` on the question box once it is shown (re-armed until then); the box's text is returned."""
    asked: list[str] = []

    def press() -> None:
        box = next((b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()), None)
        if box is None:
            QTimer.singleShot(30, press)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, press)
    return asked


def graded(window, wait_ops):
    """The first member graded 优秀 on 民主评议, not saved."""
    page = window.go_to("民主评议")
    wait_ops()
    assert page.model.rowCount() == 1
    page.set_grade(0, "优秀")
    assert page.unsaved()
    return page


def saved_grade(app_ctx, branch, year) -> str | None:
    return evaluation_votes.tallies(app_ctx.db, branch, year).rows[0].row.grade


def test_no_edits_close_without_asking(window, wait_ops):
    window.go_to("民主评议")
    wait_ops()
    assert window.close()  # no box: the watchdog would fail a question left unanswered
    assert not window.isVisible()


def test_cancel_keeps_the_window_and_the_edits(window, app_ctx, branch, wait_ops):
    page = graded(window, wait_ops)
    asked = answer("取消")
    assert not window.close()
    assert asked and "民主评议" in asked[0] and "第一网格党支部" in asked[0]
    assert window.isVisible() and page.grade_at(0) == "优秀" and page.unsaved()
    assert not saved_grade(app_ctx, branch, page.year.value())
    answer("不保存")  # the fixture's teardown closes the window


@pytest.mark.parametrize("button, kept", [("保存", "优秀"), ("不保存", None)])
def test_save_saves_then_closes_and_dont_save_drops_the_edits(window, app_ctx, branch, wait_ops, button, kept):
    page = graded(window, wait_ops)
    year = page.year.value()
    asked = answer(button)
    assert window.close()
    assert asked and not window.isVisible()
    assert (saved_grade(app_ctx, branch, year) or None) == kept  # read back through the service


def test_a_refused_save_keeps_the_window_open_on_its_page(window, app_ctx, branch, wait_ops):
    page = graded(window, wait_ops)
    page.issued.setValue(1)
    page.returned.setValue(5)  # more ballots returned than issued: the page refuses the save on its field
    window.go_to("用户管理")
    wait_ops()
    answer("保存")
    assert not window.close()
    assert window.isVisible() and window.stack.currentWidget() is page and page.unsaved()
    answer("不保存")


def test_the_auto_lock_minutes_typed_on_users_are_asked_about_and_saved(window, app_ctx, wait_ops):
    page = window.go_to("用户管理")
    wait_ops()
    minutes = auth.policy(app_ctx.db).idle_minutes + 5
    page.idle.setValue(minutes)
    asked = answer("保存")
    assert window.close()
    assert asked and "自动锁定" in asked[0]
    assert auth.policy(app_ctx.db).idle_minutes == minutes
