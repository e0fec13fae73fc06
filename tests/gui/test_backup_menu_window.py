"""文件 menu: 立即备份, the restores and 备份设置 greyed with the service's reason for an account without the right."""

from __future__ import annotations

from desktop_app.gui import errors
from desktop_app.gui.main_window import MainWindow
from desktop_app.services import auth, backup

PASSWORD = "Dangqun#2024"


def _file_menu(qtbot, app_ctx, wait_ops, login):
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.create_user(db, "sec", "赵委员", "secretary", PASSWORD, must_change_password=False)
    auth.create_user(db, "view", "街道小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, login, PASSWORD)
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    wait_ops()
    menu = w.menus["file"]
    menu.aboutToShow.emit()
    return w, menu, {a.text(): a for a in menu.actions()}


def test_a_viewer_sees_every_backup_item_greyed_with_why(qtbot, app_ctx, wait_ops, monkeypatch, tmp_path):
    w, menu, acts = _file_menu(qtbot, app_ctx, wait_ops, "view")
    assert menu.toolTipsVisible()
    for text in ("立即备份", "从备份恢复…", "从文件恢复…", "备份设置…"):
        assert not acts[text].isEnabled(), text
    assert "只有管理员和书记/委员可以备份" in acts["立即备份"].toolTip()
    assert "只有管理员" in acts["备份设置…"].toolTip()
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append(str(exc)))
    w.backup_now()  # the overview's 备份 to-do calls this too: the service refuses
    wait_ops()
    assert shown and "只有管理员和书记/委员可以备份" in shown[0]
    assert backup.list_backups(app_ctx.db.path.stem) == []


def test_a_secretary_backs_up_but_neither_restores_nor_moves_the_backups(qtbot, app_ctx, wait_ops, tmp_path):
    w, menu, acts = _file_menu(qtbot, app_ctx, wait_ops, "sec")
    assert acts["立即备份"].isEnabled()
    assert not acts["从备份恢复…"].isEnabled() and not acts["备份设置…"].isEnabled()
    w.backup_now()
    wait_ops()
    assert [b.kind for b in backup.list_backups(app_ctx.db.path.stem)] == ["manual"]
