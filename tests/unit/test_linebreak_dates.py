"""A wrapped report line does not split a date (考评表's "数据截至 2026年12月6日") or a short
bracketed unit (共建 register's column header "服务时长(时)") while any other break fits."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from desktop_app.reports import base
from desktop_app.reports.fonts import register_cjk_font
from desktop_app.reports.linebreak import break_lines


@pytest.fixture(scope="module")
def font():
    return register_cjk_font()


def _lines(para: Paragraph) -> list[str]:
    return ["".join(w.text for w in line.words) if hasattr(line, "words") else "".join(line[1])
            for line in para.blPara.lines]


@pytest.mark.parametrize(("text", "whole"), [
    ("考评方案：五好党支部考评方案（示例），数据截至 2026年12月6日", "2026年12月6日"),
    ("本期尚未召开：2026年12月党小组会，按时召开不失分", "2026年12月"),
    ("服务时长(时)", "(时)"),
    ("经费支出金额（元）", "（元）"),
])
def test_a_date_or_bracketed_unit_stays_on_one_line(font, text, whole):
    styles = base.build_stylesheet(font.name)
    fits = base.text_width(whole, font, base.CELL_FONT_SIZE)
    checked = 0
    for width in range(int(fits) + 2, int(base.text_width(text, font, base.CELL_FONT_SIZE)) + 2):
        para = Paragraph(base.rich(text, font), styles["Cell"])
        para.wrap(width, 100_000)
        lines = _lines(para)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert any(whole in line for line in lines), (width, lines)
        checked += 1
    assert checked > 10


def test_a_date_wider_than_the_line_still_breaks():
    chars = list("2026年12月6日")
    lines = break_lines(chars, [1.0] * len(chars), [4.0])
    assert ["".join(chars[s:e]) for s, e, *_ in lines] == ["2026", "年12月", "6日"]
