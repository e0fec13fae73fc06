"""The 工作台's backup to-do is settled where it is read: a double-click makes the copy and the item goes."""

import pytest

from desktop_app.gui.main_window import MainWindow
from desktop_app.services import backup


def test_double_clicking_the_backup_to_do_backs_up_and_clears_it(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    if db.path is None:
        pytest.skip("a server database is backed up by its server: there is no such to-do")
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    page = w.go_to("概览")
    wait_ops()
    (item,) = [i for i in page.todos.items if i.kind == "backup"]
    assert "双击" in item.text
    assert backup.list_backups(db.path.stem) == []
    page.open_todo(item)
    wait_ops()
    wait_ops()  # the copy, then the refreshed list
    assert len(backup.list_backups(db.path.stem)) == 1
    assert [i for i in page.todos.items if i.kind == "backup"] == []
    assert "已备份到" in w.statusBar().currentMessage()


def test_the_file_menu_s_backup_still_backs_up(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    if db.path is None:
        pytest.skip("a server database is backed up by its server")
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    (act,) = [a for m in w.menuBar().actions() for a in m.menu().actions() if a.text() == "立即备份"]
    act.trigger()  # QAction passes its checked flag: it must not be taken for `then`
    wait_ops()
    assert len(backup.list_backups(db.path.stem)) == 1
