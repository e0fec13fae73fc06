"""A header click sorts as a worker expects of Excel: amounts and counts by value, names by pinyin, blanks last.

Most columns declare no sort key of their own (经费台账's 收入/支出, ages, counts, names): the kit's
default order is what every such list gets.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from desktop_app.gui.widgets.table import RIGHT, Column, ColumnModel


@dataclass
class Entry:
    name: str
    amount: str
    age: str
    on: str


ROWS = [
    Entry("张三", "987.00", "9", "2026-03-01"),
    Entry("陈四", "1,524.99", "10", "2025-12-31"),
    Entry("安五", "-5,458.23", "", "2026-01-08"),
    Entry("", "77.5 元", "38 岁", ""),
]


def model() -> ColumnModel:
    m = ColumnModel([Column("姓名", lambda e: e.name), Column("金额", lambda e: e.amount, RIGHT),
                     Column("年龄", lambda e: e.age), Column("日期", lambda e: e.on)])
    m.set_rows(ROWS)
    return m


def column(m: ColumnModel, c: int) -> list[str]:
    return [m.index(r, c).data() for r in range(m.rowCount())]


def test_amounts_and_counts_sort_by_value_not_by_their_text():
    m = model()
    m.sort(1)
    assert column(m, 1) == ["-5,458.23", "77.5 元", "987.00", "1,524.99"]
    m.sort(1, Qt.SortOrder.DescendingOrder)
    assert column(m, 1) == ["1,524.99", "987.00", "77.5 元", "-5,458.23"]
    m.sort(2)
    assert column(m, 2) == ["9", "10", "38 岁", ""]  # the blank last


def test_names_sort_by_pinyin_and_dates_by_date():
    m = model()
    m.sort(0)
    assert column(m, 0) == ["安五", "陈四", "张三", ""]  # an, chen, zhang; code points would put 张 before 陈
    m.sort(3)
    assert column(m, 3) == ["2025-12-31", "2026-01-08", "2026-03-01", ""]


def test_a_column_with_its_own_key_keeps_it():
    m = ColumnModel([Column("金额", lambda e: e.amount, sort_key=lambda e: len(e.amount))])
    m.set_rows(ROWS)
    m.sort(0)
    assert column(m, 0) == ["987.00", "77.5 元", "1,524.99", "-5,458.23"]
