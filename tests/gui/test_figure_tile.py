"""A 工作台 money tile reads in 元 below 10,000 元 and in 万元 from there on, and signs its change the way every other tile does (−, +, 持平);
a change too small for 万元 reads in 元."""

import pytest

from desktop_app.gui.overview.page import FigureTile
from desktop_app.views.overview import Figure


@pytest.mark.parametrize(("value", "last", "shown"), [
    (34_170_000, 34_370_000, "上年 34.37（−0.20）"),
    (34_370_000, 34_170_000, "上年 34.17（+0.20）"),
    (34_370_000, 34_370_000, "上年 34.37（持平）"),
    (33_988_848, 33_988_285, "上年 33.99（+5.63 元）"),  # the demo's 经费收入: too small for 万元, it read "（+0.00）"
    (33_988_285, 33_988_848, "上年 33.99（−5.63 元）"),
    (33_990_000, 33_940_000, "上年 33.94（+0.05）"),
])
def test_money_change_is_signed_like_the_counts(qtbot, value, last, shown):
    tile = FigureTile(Figure("income", "经费收入", value, last, "经费台账", unit="元"))
    qtbot.addWidget(tile)
    assert tile.text().split("\n") == ["经费收入", f"{value / 1_000_000:.2f} 万元", shown]
    count = FigureTile(Figure("members", "党员", 249, 251, "党员名册"))
    qtbot.addWidget(count)
    assert count.text().endswith("上年 251（−2）")


@pytest.mark.parametrize(("value", "last", "shown", "then"), [
    (320_000, 300_000, "3,200.00 元", "上年 3,000.00（+200.00）"),  # it read "0.32 万元"
    (999_999, None, "9,999.99 元", "当前"),
    (1_000_000, 1_250_000, "1.00 万元", "上年 1.25（−0.25）"),
    (0, 0, "0.00 元", "上年 0.00（持平）"),
])
def test_an_amount_under_ten_thousand_yuan_reads_in_yuan(qtbot, value, last, shown, then):
    tile = FigureTile(Figure("dues_arrears_fen", "党费欠缴金额", value, last, "党费", unit="元"))
    qtbot.addWidget(tile)
    assert tile.text().split("\n") == ["党费欠缴金额", shown, then]
