"""The 党费 page and the printed 党费收缴登记表 mark a month the same way (one legend in views.dues)."""

from __future__ import annotations

import os
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop_app.gui.dues import models as page_cells
from desktop_app.reports import dues as printed
from desktop_app.views.dues import (
    CURRENT,
    EXEMPT,
    FUTURE,
    NONE,
    OWED,
    PAID,
    PARTIAL,
    GridRow,
    MonthCell,
    month_text,
)

M = date(2026, 3, 1)


@pytest.mark.parametrize(("cell", "text"), [
    (MonthCell(M, PAID, 3000, 3000), "30.00"),
    (MonthCell(M, PAID, 3000, 3000, late=True), "30.00*"),
    (MonthCell(M, PARTIAL, 3000, 1000), "10.00#"),
    (MonthCell(M, PARTIAL, 3000, 1000, late=True), "10.00#*"),  # short and late: both marks, page and paper
    (MonthCell(M, OWED, 3000), "欠"),
    (MonthCell(M, EXEMPT), "免"),
    (MonthCell(M, FUTURE, 3000), ""),
    (MonthCell(M, NONE), ""),
])
def test_page_and_paper_mark_a_month_alike(cell: MonthCell, text: str) -> None:
    assert month_text(cell) == text
    assert page_cells.cell_text(cell) == text


def test_printed_row_shows_the_page_texts() -> None:
    cells = (MonthCell(M, PARTIAL, 3000, 1000, late=True), MonthCell(M, PAID, 3000, 3000, late=True),
             MonthCell(M, OWED, 3000), *(MonthCell(M, FUTURE, 3000),) * 9)
    row = GridRow("m1", 1, "张三", "在职", 300000, 3000, "1%", cells, rate_label="1%")
    assert printed.grid_row(1, row)[6:18] == [page_cells.cell_text(c) for c in cells]
    assert printed.grid_row(1, row)[6:9] == ["10.00#*", "30.00*", "欠"]


def test_page_says_due_this_month_where_paper_leaves_it_blank() -> None:
    cell = MonthCell(M, CURRENT, 3000)
    assert page_cells.cell_text(cell) == "待交"
    assert month_text(cell) == ""
