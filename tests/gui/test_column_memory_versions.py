"""Column widths a worker dragged come back only for the columns they were dragged on.

A release that changes a table's columns (one added, renamed, or laid out at other widths, as
问需服务's 对象 and 问需内容 were narrowed so 跟进 is read whole at 1366) starts from its own
widths: the widths saved for the old columns would squeeze or hide the new ones.
"""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView, QWidget

from desktop_app.gui.widgets import memory
from desktop_app.gui.widgets.table import Column, ColumnModel, fit_columns


def _view(qtbot, columns: list[Column]) -> QTableView:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(ColumnModel(columns))
    fit_columns(view, columns, stretch=len(columns) - 1)
    return view


def _inquiries(object_width: int, topic_width: int) -> list[Column]:
    return [Column("日期", str, width=84), Column("对象", str, width=object_width),
            Column("问需内容", str, width=topic_width), Column("跟进", str, width=200),
            Column("反映的需求", str, width=160)]


def test_widths_saved_for_an_older_layout_of_the_same_titles_are_not_applied(qtbot, qapp):
    old = _view(qtbot, _inquiries(140, 180))  # the page as the last version laid it out
    old.setColumnWidth(0, 120)  # the worker drags 日期 wider; every width is saved
    new = _view(qtbot, _inquiries(110, 110))
    assert [new.columnWidth(i) for i in range(4)] == [84, 110, 110, 200]
    again = _view(qtbot, _inquiries(110, 110))  # the same layout: what she drags now comes back
    again.setColumnWidth(0, 130)
    assert _view(qtbot, _inquiries(110, 110)).columnWidth(0) == 130


def test_a_column_added_starts_from_the_declared_widths(qtbot, qapp):
    old = _view(qtbot, [Column("姓名", str, width=70), Column("备注", str, width=90)])
    old.setColumnWidth(0, 150)
    new = _view(qtbot, [Column("姓名", str, width=70), Column("支部", str, width=60), Column("备注", str, width=90)])
    assert (new.columnWidth(0), new.columnWidth(1)) == (70, 60)


def _page(qtbot, titles: list[str]) -> tuple[QWidget, QTableView]:
    page = QWidget()
    qtbot.addWidget(page)
    view = QTableView(page)
    model = QStandardItemModel(0, len(titles), view)
    model.setHorizontalHeaderLabels(titles)
    view.setModel(model)
    for i in range(len(titles)):
        view.setColumnWidth(i, 80)
    memory.remember_tables(page, "测试页")
    return page, view


def test_a_page_built_table_forgets_widths_when_a_column_is_renamed(qtbot, qapp):
    _page_, view = _page(qtbot, ["名称", "数量"])
    view.setColumnWidth(1, 170)
    _page_, same = _page(qtbot, ["名称", "数量"])
    assert same.columnWidth(1) == 170  # the same columns: remembered
    _page_, renamed = _page(qtbot, ["名称", "金额（元）"])
    assert renamed.columnWidth(1) == 80  # another column in that place: its own width
