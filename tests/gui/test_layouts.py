"""The layout helpers forms are declared with (gui/widgets/layouts.py) and the required-choice check
(gui/widgets/required.py): rows in order with skipped ones left out, stretches where asked, a bare panel and
a splitter, the OK/取消 row wired to the dialog, and a missing choice refused with the field named."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit

from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets.layouts import (
    close_box, column, error_line, fill, form_layout, ok_cancel, panel, splitter, wrapped,
)
from desktop_app.gui.widgets.required import picked, required


def test_form_layout_keeps_the_order_and_skips_none(qapp):
    a, b, note = QLineEdit(), QLineEdit(), QLabel("说明")
    form = form_layout(("名称", a), None, ("代码", b), note)
    assert form.rowCount() == 3
    assert [form.itemAt(i, form.ItemRole.FieldRole).widget() for i in range(2)] == [a, b]
    assert form.itemAt(0, form.ItemRole.LabelRole).widget().text() == "名称"
    assert form.itemAt(2, form.ItemRole.SpanningRole).widget() is note  # a lone widget spans the row


def test_fill_and_column_place_stretches(qapp):
    left, right = QLabel("左"), QLabel("右")
    row = fill(QHBoxLayout(), (left, 2), 1, right)
    assert row.count() == 3 and row.stretch(0) == 2 and row.itemAt(1).spacerItem() is not None
    dlg = QDialog()
    lay = column(dlg, row, wrapped("很长的说明"))
    assert dlg.layout() is lay and lay.itemAt(0).layout() is row
    assert lay.itemAt(1).widget().wordWrap()
    assert error_line().wordWrap() and "c8161e" in error_line().styleSheet()


def test_panel_has_no_margin_and_splitter_shares_room_as_told(qapp):
    top, table = QLabel("标题"), QLabel("表格")
    side = panel(top, (table, 1))
    margins = side.layout().contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (0, 0, 0, 0)
    assert [side.layout().itemAt(i).widget() for i in range(2)] == [top, table] and side.layout().stretch(1) == 1
    other = QLabel("详情")
    split = splitter(side, other, stretch=(3, 1))
    assert split.orientation() == Qt.Orientation.Horizontal and [split.widget(i) for i in range(2)] == [side, other]
    assert [split.widget(i).sizePolicy().horizontalStretch() for i in range(2)] == [3, 1]
    assert splitter(QLabel(), QLabel(), vertical=True).orientation() == Qt.Orientation.Vertical


def test_ok_cancel_and_close_are_wired(qapp):
    dlg = QDialog()
    box = ok_cancel(dlg, "移动")
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "移动"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    restored = []
    box = ok_cancel(dlg, "保存", QDialogButtonBox.StandardButton.RestoreDefaults, lambda: restored.append(1), "恢复默认")
    box.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert restored == [1]
    other = QDialog()
    closing = close_box(other)
    closing.button(QDialogButtonBox.StandardButton.Close).click()
    assert other.result() == QDialog.DialogCode.Rejected


def test_required_refuses_nothing_chosen(qapp):
    box = QComboBox()
    box.addItem("（选择共建单位）", None)
    box.addItem("区人民医院", "u1")
    with pytest.raises(ValidationError) as refused:
        required(box.currentData(), "共建单位", "请选择共建单位")
    assert str(refused.value) == "共建单位：请选择共建单位"
    box.setCurrentIndex(1)
    assert required(box.currentData(), "共建单位", "请选择共建单位") == "u1"

    class Picker:
        def __init__(self, chosen):
            self._chosen = chosen

        def chosen(self):
            return self._chosen

    with pytest.raises(ValidationError, match="党员：请从列表中选择党员"):
        picked(Picker(None))
    assert picked(Picker("王建国")) == "王建国"
