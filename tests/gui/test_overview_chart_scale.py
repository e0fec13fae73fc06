"""概览's charts: a count's axis has whole numbers at every gridline (no 37.5 meetings); money may have halves."""

from __future__ import annotations

import pytest

from desktop_app.gui.overview.charts import GRIDLINES, Chart, Series
from desktop_app.views.overview import MONTHS


@pytest.mark.parametrize("high", [1, 3, 7, 22, 37, 50, 61, 133, 300, 1241])
def test_a_count_axis_has_whole_gridlines_at_or_above_the_highest(qapp, high):
    chart = Chart("三会一课：每月召开（按类型）", "stack")
    chart.set_data(MONTHS, [Series("党小组会", (high,) + (0,) * 11), Series("支委会", (0,) * 12)])
    top = chart._scale_top()
    lines = [top * i / GRIDLINES for i in range(GRIDLINES + 1)]
    assert top >= high and all(float(v).is_integer() for v in lines), lines
    assert top < 2 * high + GRIDLINES  # round, not roomy: the bars keep most of the height


def test_the_meetings_chart_of_the_demo_scale_reads_10_20_30_40(qapp):
    chart = Chart("三会一课：每月召开（按类型）", "stack")
    chart.set_data(MONTHS, [Series("党小组会", (14, 13) + (12,) * 10), Series("支委会", (5, 5) + (5,) * 10),
                            Series("主题党日", (6, 5) + (4,) * 10), Series("党课", (3, 2) + (1,) * 10),
                            Series("支部党员大会", (9, 4) + (0,) * 10)])  # January: 37 in all
    assert chart._scale_top() == 40


def test_money_keeps_its_scale(qapp):
    chart = Chart("经费：预算与支出（元）", "bars")
    chart.set_data(["服务群众专项经费"], [Series("预算", (183_000.0,)), Series("支出", (164_581.03,))])
    assert chart._scale_top() == 200_000
