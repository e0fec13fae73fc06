"""A combo box column over a long list (民主评议 of a 1,000-member branch): the boxes are built for the rows in
sight and for those scrolled to, not for every row at once, which took five seconds at each load."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox

from desktop_app.gui.widgets.table import Column, ColumnModel, table_view

GRADES = [("（未评）", ""), ("优秀", "优秀"), ("合格", "合格"), ("基本合格", "基本合格"), ("不合格", "不合格")]


@dataclass
class Line:
    name: str
    grade: str = ""


def _boxes(view, model) -> list[int]:
    return [r for r in range(model.rowCount()) if isinstance(view.indexWidget(model.index(r, 1)), QComboBox)]


def test_boxes_for_the_rows_in_sight_then_those_scrolled_to(qtbot):
    model = ColumnModel([Column("姓名", lambda r: r.name, width=90),
                         Column("评议等次", lambda r: r.grade or "（未评）", value=lambda r: r.grade,
                                edit=lambda r, v: setattr(r, "grade", v), choices=GRADES)])
    view = table_view(model, editable=True)
    qtbot.addWidget(view)
    view.resize(500, 600)
    view.show()
    model.set_rows([Line(f"党员{i}") for i in range(1000)])
    qtbot.wait(20)
    shown = _boxes(view, model)
    assert shown[0] == 0 and len(shown) < 100, len(shown)
    last = model.index(999, 1)
    view.scrollTo(last)
    qtbot.wait(20)
    box = view.indexWidget(last)
    assert isinstance(box, QComboBox)
    box.setCurrentText("不合格")  # a box opened late saves its choice as the first ones do
    assert model.rows[999].grade == "不合格"
    assert len(_boxes(view, model)) < 200
