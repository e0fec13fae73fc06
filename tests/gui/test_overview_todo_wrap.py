"""工作台's 待办 list wraps its items again when the window changes width (rows measured at the first width cut them)."""

from desktop_app.gui.overview.page import TODO_COLUMNS, _WrappingTable
from desktop_app.gui.widgets.table import ColumnModel, fit_columns
from desktop_app.views.overview import TodoItem


def test_items_wrap_again_when_the_list_narrows(qtbot):
    model = ColumnModel(TODO_COLUMNS)
    long = "第一网格党支部：应开未开 支部党员大会 2 期、党小组会 1 期、主题党日 1 期、党课 1 期"
    model.set_rows([_item(long), _item("退休党员党支部：应开未开 支委会 1 期")])
    view = _WrappingTable()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setWordWrap(True)
    fit_columns(view, TODO_COLUMNS, stretch=1)
    view.resize(1200, 300)
    view.show()
    qtbot.wait(50)
    one_line = view.rowHeight(0)
    assert one_line == view.rowHeight(1)
    view.resize(300, 300)
    qtbot.wait(50)
    assert view.rowHeight(0) > one_line and view.rowHeight(0) == view.sizeHintForRow(0)
    view.resize(1200, 300)
    qtbot.wait(50)
    assert view.rowHeight(0) == one_line  # and no blank lines once it widens again


def _item(text: str) -> TodoItem:
    return TodoItem(kind="meetings", text=text, page="三会一课", overdue=True)
