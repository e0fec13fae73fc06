"""Log-in, first administrator, idle lock, the users page and the audit page, offscreen."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from desktop_app.gui.widgets import common
from desktop_app.gui.users import login_dialog as ld
from desktop_app.gui.idle_lock import IdleLock, LockCover
from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.users.page import ResetPasswordDialog, UserDialog, UsersPage
from desktop_app.domain import access
from desktop_app.domain.errors import DomainError
from desktop_app.services import auth, orgs

PASSWORD = "xingfuli2026"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def admin(app_ctx):
    return auth.create_first_admin(app_ctx.db, "admin", "王书记", PASSWORD)


def submit_and_wait(qtbot, wait_ops, dlg):
    dlg.accept()
    wait_ops()
    return dlg.result()


def test_first_start_creates_the_administrator(qtbot, app_ctx, wait_ops, shot):
    db = app_ctx.db
    dlg = ld.FirstAdminDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.display_name.setText("王书记")
    dlg.password.setText(PASSWORD)
    dlg.repeat.setText(PASSWORD + "x")
    assert submit_and_wait(qtbot, wait_ops, dlg) != QDialog.DialogCode.Accepted
    assert "两次输入的密码不一致" in dlg.message.text()
    dlg.repeat.setText(PASSWORD)
    shot(dlg, "gui_first_admin.png")
    assert submit_and_wait(qtbot, wait_ops, dlg) == QDialog.DialogCode.Accepted
    assert dlg.actor.name == "王书记" and auth.has_users(db)
    assert auth.current_actor(db) == dlg.actor


def test_first_start_may_go_on_without_accounts_until_one_exists(qtbot, app_ctx, monkeypatch):
    db = app_ctx.db
    monkeypatch.setattr(ld.FirstAdminDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ld.ensure_login(db) is auth.OPEN
    assert auth.require(db, "users.manage") is auth.OPEN
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.logout(db)
    monkeypatch.setattr(ld.LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ld.ensure_login(db) is None  # once an account exists there is no way round the log-in


def test_login_dialog_says_what_went_wrong_and_locks_after_five(qtbot, app_ctx, admin, wait_ops, shot):
    db = app_ctx.db
    auth.logout(db)
    dlg = ld.LoginDialog(db, org_name="幸福里社区党委")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.setText("admin")
    dlg.password.setText("wrong-password")
    assert submit_and_wait(qtbot, wait_ops, dlg) != QDialog.DialogCode.Accepted
    assert "用户名或密码不正确" in dlg.message.text() and "再错 4 次" in dlg.message.text()
    assert dlg.password.text() == ""  # a wrong password is not left in the box
    shot(dlg, "gui_login_wrong.png")
    for i in range(4):
        dlg.password.setText(f"wrong-{i}-pass")
        submit_and_wait(qtbot, wait_ops, dlg)
    assert "已锁定" in dlg.message.text()
    shot(dlg, "gui_login_locked.png")
    dlg.password.setText(PASSWORD)
    assert submit_and_wait(qtbot, wait_ops, dlg) != QDialog.DialogCode.Accepted  # locked even so
    assert auth.current_actor(db) is None


def test_login_dialog_logs_in(qtbot, app_ctx, admin, wait_ops):
    db = app_ctx.db
    auth.logout(db)
    dlg = ld.LoginDialog(db)
    qtbot.addWidget(dlg)
    dlg.name.setText("admin")
    dlg.password.setText(PASSWORD)
    assert submit_and_wait(qtbot, wait_ops, dlg) == QDialog.DialogCode.Accepted
    assert dlg.actor.user_id == admin.user_id == auth.current_actor(db).user_id


def test_a_reset_password_must_be_changed_before_work(qtbot, app_ctx, admin, wait_ops, monkeypatch, shot):
    db = app_ctx.db
    info = auth.create_user(db, "li", "李委员", "secretary", PASSWORD)
    auth.logout(db)

    def log_in(self):
        self.name.setText("li")
        self.password.setText(PASSWORD)
        self.accept()
        wait_ops()
        return self.result()

    def change(self):
        self.old.setText(PASSWORD)
        self.new.setText("li-own-password")
        self.repeat.setText("li-own-password")
        shot(self, "gui_change_password.png")
        self.accept()
        wait_ops()
        return self.result()

    monkeypatch.setattr(ld.LoginDialog, "exec", log_in)
    monkeypatch.setattr(ld.ChangePasswordDialog, "exec", change)
    actor = ld.ensure_login(db)
    assert actor.user_id == info.id and not actor.must_change_password
    auth.logout(db)
    assert auth.login(db, "li", "li-own-password").name == "李委员"


def test_idle_lock_covers_the_windows_and_unlocks_with_the_password(qtbot, app_ctx, admin, wait_ops, shot):
    db = app_ctx.db
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(QLabel("张三 320102198005060011"))
    window.resize(500, 300)
    window.show()
    idle = IdleLock(db, interval_ms=150, org_name="幸福里社区党委")
    try:
        qtbot.waitUntil(lambda: idle.is_locked, timeout=5000)
        assert auth.current_actor(db) is None  # services refuse while locked
        covers = window.findChildren(LockCover)
        assert len(covers) == 1 and covers[0].isVisible() and covers[0].geometry() == window.rect()
        shot(window, "gui_locked_window.png")
        shot(idle.dialog, "gui_unlock_dialog.png")
        assert idle.dialog.name.text() == "admin"
        idle.dialog.password.setText("wrong-password")
        idle.dialog.accept()
        wait_ops()
        assert idle.is_locked and "不正确" in idle.dialog.message.text()
        with qtbot.waitSignal(idle.unlocked, timeout=5000) as got:
            idle.dialog.password.setText(PASSWORD)
            idle.dialog.accept()
        assert got.args[0].user_id == admin.user_id
        assert not idle.is_locked and auth.current_actor(db).user_id == admin.user_id
        qtbot.waitUntil(lambda: not any(c.isVisible() for c in window.findChildren(LockCover)))
        assert idle.timer.isActive()  # counting again
    finally:
        idle.stop()


def test_no_accounts_no_lock(qtbot, app_ctx):
    idle = IdleLock(app_ctx.db, interval_ms=20)
    try:
        qtbot.wait(200)
        assert not idle.is_locked and auth.current_actor(app_ctx.db) is auth.OPEN
    finally:
        idle.stop()


def test_users_page_adds_a_grid_worker_and_resets_a_password(qtbot, app_ctx, admin, wait_ops, monkeypatch,
                                                              qtmodeltester, shot):
    from desktop_app.gui.bus import bus
    from desktop_app.views.changes import Change

    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    page = UsersPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    wait_ops()
    model = page.panel.model
    assert [model.index(0, i).data() for i in range(3)] == ["admin", "王书记", "管理员"]
    qtmodeltester.check(model)
    assert "管理员" in page.panel.details.text() and page.counts.text() == "共 1 个账户"  # the selected one in full
    assert page.act_edit.isEnabled() and not page.act_unlock.isEnabled()
    assert page.act_unlock.toolTip() == "解除锁定：所选账户没有锁定"
    announced: list = []
    bus.changed.connect(announced.append)

    def fill(self):
        self.login.setText("li")
        self.display_name.setText("李网格")
        self.role.setCurrentIndex(self.role.findData("grid"))
        assert self.grids.isVisibleTo(self)
        self.grids.item(0).setCheckState(self.grids.item(0).checkState().Checked)
        self.password.setText(PASSWORD)
        self.repeat.setText(PASSWORD)
        shot(self, "gui_user_dialog.png")
        self.accept()
        wait_ops()
        return self.result()

    monkeypatch.setattr(UserDialog, "exec", fill)
    page.add_user()
    wait_ops()
    li = next(u for u in auth.list_users(db) if u.login == "li")
    assert li.role == "grid" and li.grid_ids == (g.id,) and li.must_change_password
    assert page.selected().id == li.id
    assert model.index(page.panel.view.currentIndex().row(), 3).data() == "第一网格党支部"
    assert "负责网格：第一网格党支部" in page.panel.details.text() and "下次登录时须修改密码" in page.panel.details.text()
    assert page.message.text() == "已新增用户“李网格”"
    assert any(Change.USERS in c for c in announced)  # the write said what it changed
    bus.changed.disconnect(announced.append)
    qtmodeltester.check(model)
    shot(page, "gui_users_page.png")

    def reset(self):
        self.password.setText("temporary-2026")
        self.repeat.setText("temporary-2026")
        self.accept()
        wait_ops()
        return self.result()

    monkeypatch.setattr(ResetPasswordDialog, "exec", reset)
    page.reset_selected()
    wait_ops()
    assert auth.login(db, "li", "temporary-2026").must_change_password
    auth.login(db, "admin", PASSWORD)

    monkeypatch.setattr(common, "ask", lambda *a: True)
    page.toggle_active()
    wait_ops()
    assert not next(u for u in auth.list_users(db) if u.login == "li").active
    assert page.selected().login == "li" and page.act_active.text() == "启用"  # the selection stays on the account
    assert "已停用" in page.panel.details.text() and page.message.text() == "已停用“李网格”"
    page.toggle_active()
    wait_ops()
    assert next(u for u in auth.list_users(db) if u.login == "li").active and page.act_active.text() == "停用"

    for _ in range(access.MAX_FAILURES):  # li is locked out after too many wrong passwords
        with pytest.raises(DomainError):
            auth.login(db, "li", "wrong-password-1")
    auth.login(db, "admin", PASSWORD)
    page.refresh()
    wait_ops()
    assert page.selected().login == "li" and page.act_unlock.isEnabled() and "可解除锁定" in page.panel.details.text()
    page.unlock_selected()
    wait_ops()
    assert not next(u for u in auth.list_users(db) if u.login == "li").locked()
    assert not page.act_unlock.isEnabled() and page.message.text() == "已解除“李网格”的锁定"

    page.idle.setValue(7)
    page.save_idle()
    wait_ops()
    assert auth.policy(db).idle_minutes == 7 and page.message.text() == "已保存：7 分钟无操作自动锁定"


def test_audit_page_shows_the_trail_with_before_and_after(qtbot, app_ctx, admin, wait_ops, qtmodeltester, shot):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    orgs.rename(db, b.id, "幸福网格党支部")
    page = AuditPage(app_ctx)
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    wait_ops()
    assert page.current.total >= 3
    first = [page.model.index(0, i).data() for i in range(1, 5)]
    assert first == ["王书记", "修改", "党组织", "幸福网格党支部"]
    assert [page.field_model.index(0, i).data() for i in range(3)] == ["名称", "第一网格党支部", "幸福网格党支部"]
    assert page.field_model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).name() == "#008000"  # what it became
    qtmodeltester.check(page.list.model())
    qtmodeltester.check(page.fields.model())
    shot(page, "gui_audit_page.png")
    page.action.setCurrentIndex(page.action.findData("login"))
    page.search()
    wait_ops()
    assert page.current.total == 1 and page.model.index(0, 2).data() == "登录"
    page.row_id.setText(b.id)
    page.action.setCurrentIndex(0)
    page.search()
    wait_ops()
    assert page.current.total == 2
