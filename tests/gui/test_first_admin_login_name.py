"""The administrator set up at first start finds the login name already filled in at the next start: it was
the form's default (admin), never typed, and so easily not remembered."""

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.gui.users import login_dialog as ld
from desktop_app.services import auth

PASSWORD = "Guihua#2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def test_the_first_administrators_login_is_filled_in_next_time(qtbot, app_ctx, wait_ops):
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
