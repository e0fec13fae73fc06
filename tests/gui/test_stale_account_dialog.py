"""The 用户 form opened before another administrator's change of the same account refuses
inside the dialog, the role chosen kept (offscreen, two programs on one real SQLite file)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from desktop_app.gui.users.page import UserDialog
from desktop_app.services import auth
from desktop_app.services.database import open_database
from tests.integration.test_stale_forms import PASSWORD


def test_an_account_form_read_before_anothers_change_refuses_inside(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王书记", PASSWORD)
    auth.create_user(db, "zhao", "赵管理", "admin", PASSWORD, must_change_password=False)
    xiao = auth.create_user(db, "xiao", "小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "admin", PASSWORD)
    dlg = UserDialog(None, db, auth.grid_choices(db), auth.find_user(db, "xiao"), auth.scope_choices(db))
    qtbot.addWidget(dlg)
    dlg.show()
    other, _ = open_database(db.path)
    try:
        auth.login(other, "zhao", PASSWORD)
        auth.update_user(other, xiao.id, "钱小红", "viewer", read=auth.find_user(other, "xiao"))
    finally:
        other.dispose()
    dlg.role.setCurrentIndex(dlg.role.findData("secretary"))
    dlg.accept()
    wait_ops()
    assert dlg.result() != QDialog.DialogCode.Accepted and not dlg.message.isHidden()
    assert "账号 xiao" in dlg.message.text() and "你的修改没有保存" in dlg.message.text()
    assert dlg.role.currentData() == "secretary"  # what was chosen is still there
    assert (auth.find_user(db, "xiao").display_name, auth.find_user(db, "xiao").role) == ("钱小红", "viewer")
