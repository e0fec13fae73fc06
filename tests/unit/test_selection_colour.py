"""The grids' current cell ("here") is told apart from a refused cell ("wrong") at a glance: the selection
colour in resources/style.qss is not of the red family the kit uses for refusals and 欠缴."""

from __future__ import annotations

import colorsys
import re

from desktop_app.settings import resource_path

REFUSED = ["#f5b7b7", "#fde8e8", "#c8161e"]  # 民主评议's refused cell, 党费's 欠缴 row, ALERT


def _hue(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_the_selected_cell_is_not_a_red():
    qss = resource_path("style.qss").read_text(encoding="utf-8")
    rule = re.search(r"QTableView::item:selected\s*\{[^}]*background:\s*(#[0-9a-fA-F]{6})", qss)
    assert rule, "style.qss names no selection background for tables"
    here = rule.group(1)
    for wrong in REFUSED:
        apart = abs(_hue(here) - _hue(wrong)) % 360
        assert min(apart, 360 - apart) >= 90, f"selection {here} too close to {wrong}"
