"""The login remembers the last name used here (the first administrator's too); a lock says how it happened."""

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from desktop_app.gui.idle_lock import IdleLock
from desktop_app.gui.users import login_dialog as ld
from desktop_app.services import auth

PASSWORD = "Dangqun#2024"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def test_the_last_login_name_is_remembered(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.logout(db)
    dlg = ld.LoginDialog(db)
    qtbot.addWidget(dlg)
    assert dlg.name.text() == ""
    dlg.name.setText("admin")
    dlg.password.setText(PASSWORD)
    dlg.accept()
    wait_ops()
    assert dlg.result() == QDialog.DialogCode.Accepted
    auth.logout(db)
    again = ld.LoginDialog(db)
    qtbot.addWidget(again)
    assert again.name.text() == "admin"


def test_the_first_administrators_login_is_filled_in_next_time(qtbot, app_ctx, wait_ops):
    """The login made at first start was the form's default (admin), never typed: the next start fills it in."""
    db = app_ctx.db
    first = ld.FirstAdminDialog(db)
    qtbot.addWidget(first)
    first.display_name.setText("李书记")
    first.password.setText(PASSWORD)
    first.repeat.setText(PASSWORD)
    first.accept()
    wait_ops()
    assert first.result() == QDialog.DialogCode.Accepted
    auth.logout(db)
    login = ld.LoginDialog(db)
    qtbot.addWidget(login)
    assert login.name.text() == "admin"


def notes(dlg):
    return " ".join(label.text() for label in dlg.findChildren(QLabel))


def test_the_lock_message_fits_how_the_lock_happened(qtbot, app_ctx):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    lock = IdleLock(db, 0)
    lock.lock_now()  # Ctrl+L
    assert "程序已锁定（王书记）" in notes(lock.dialog) and "离开时间较长" not in notes(lock.dialog)
    lock._release()
    auth.login(db, "admin", PASSWORD)
    lock.lock_now(idle=True)  # the idle timeout
    assert "离开时间较长，程序已自动锁定" in notes(lock.dialog)
    lock._release()
    lock.stop()


def test_the_ledger_enters_entries_as_the_logged_in_user(qtbot, app_ctx):
    from desktop_app.gui.ledger.page import LedgerPage

    auth.create_first_admin(app_ctx.db, "admin", "王书记", PASSWORD)
    page = LedgerPage(app_ctx)
    qtbot.addWidget(page)
    assert page.entered_by == "王书记"


def test_quitting_at_the_log_in_never_asks_about_what_was_typed(qtbot, app_ctx, monkeypatch):
    from desktop_app.gui.widgets import common

    monkeypatch.setattr(common, "ask", lambda *a: pytest.fail("asked before quitting"))
    dlg = ld.LoginDialog(app_ctx.db)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg._typed is not None)
    dlg.password.setText("typed")
    assert dlg.buttons.button(dlg.buttons.StandardButton.Cancel).text() == "退出程序"
    dlg.reject()
    assert dlg.result() == QDialog.DialogCode.Rejected and not dlg.isVisible()


def test_the_user_form_shows_an_account_with_its_grids_only_for_a_grid_worker(qtbot):
    from desktop_app.gui.users.page import UserDialog
    from desktop_app.views.users import UserInfo

    user = UserInfo("u1", "li", "李委员", "secretary", ("g1",), ("一网格",), True, None, False, None)
    dlg = UserDialog(None, None, [("g1", "一网格"), ("g2", "二网格")], user)
    qtbot.addWidget(dlg)
    dlg.show()
    assert (dlg.login.text(), dlg.display_name.text(), dlg.role.currentData()) == ("li", "李委员", "secretary")
    assert not dlg.login.isEnabled() and dlg.password is None and not dlg.grids.isVisible()
    dlg.role.setCurrentIndex(dlg.role.findData("grid"))
    assert dlg.grids.isVisible() and dlg.chosen_grids() == ["g1"]
    blank = UserDialog(None, None, [])
    qtbot.addWidget(blank)
    assert blank.role.currentData() == "secretary" and blank.login.isEnabled()
    assert blank.password.echoMode() == blank.password.EchoMode.Password
