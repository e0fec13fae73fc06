"""用户管理: a locked account's 状态 says until when (已锁定至 HH:MM), and 解除锁定 is offered for it."""

from __future__ import annotations

import pytest

from desktop_app.domain import access
from desktop_app.domain.clock import local_text
from desktop_app.domain.errors import DomainError
from desktop_app.gui.users.page import UsersPage
from desktop_app.services import auth

PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


def test_a_locked_account_says_until_when_and_can_be_unlocked(qtbot, app_ctx, wait_ops, shot):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "zhao", "赵只读", "viewer", PASSWORD)
    for _ in range(access.MAX_FAILURES):
        with pytest.raises(DomainError):
            auth.login(db, "zhao", "wrong-password-1")
    auth.set_actor(db, auth.login(db, "admin", PASSWORD))
    page = UsersPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    wait_ops()
    row = next(i for i, u in enumerate(page.users) if u.login == "zhao")
    until = next(u for u in auth.list_users(db) if u.login == "zhao").locked_until
    state = page.panel.model.index(row, 5).data()
    assert state == f"已锁定至 {local_text(until, '%H:%M')}"
    assert page.panel.model.index(1 - row, 5).data() == "正常"
    page.panel.view.selectRow(row)
    wait_ops()
    assert page.selected().login == "zhao" and page.act_unlock.isEnabled()
    shot(page, "users-locked-until.png")
    page.unlock_selected()
    wait_ops()
    row = next(i for i, u in enumerate(page.users) if u.login == "zhao")
    assert page.panel.model.index(row, 5).data() == "正常" and not page.act_unlock.isEnabled()
