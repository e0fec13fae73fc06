"""The first morning's to-do opens the import page ready for the roster spreadsheet."""

from desktop_app.gui.main_window import MainWindow


def test_the_empty_roster_to_do_opens_the_members_import(qtbot, app_ctx, wait_ops):
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.show()
    page = w.go_to("概览")
    wait_ops()
    (item,) = [i for i in page.todos.items if i.kind == "roster"]
    opened = page.open_todo(item)
    assert opened is w.stack.currentWidget() is w.pages["导入表格"]
    assert opened.kind == "members"
