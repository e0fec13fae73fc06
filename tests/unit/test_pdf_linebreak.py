"""Wrapped Chinese in report table cells: no line starts with closing punctuation or runs past the cell."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from desktop_app.reports import base
from desktop_app.reports.fonts import register_cjk_font
from desktop_app.reports.linebreak import NO_LINE_END, NO_LINE_START

# Sentences from the annual folder's summaries, one font and mixed fonts ("%" comes from the Latin companion).
TEXTS = [
    "全年召开会议2次；应到3人次，实到2人次，出勤率67%；走访2次；群众反映问题2件；其中办结1件（办结率50%）",
    "走访困难党员；慰问老党员；组织志愿服务：清理楼道、看望孤寡老人！整改完成？已办结。《共建协议》签订",
    "社区党委与共建单位联合开展主题党日活动，学习《中国共产党章程》，交流心得体会；会后清扫小区公共区域。",
    "Party building report: quarterly review, see 附件（一）；and the appendix for the detailed list of items.",
]


@pytest.fixture(scope="module")
def font():
    return register_cjk_font()


def _lines(para: Paragraph) -> list[str]:
    out = []
    for line in para.blPara.lines:
        if hasattr(line, "words"):  # a mixed-font paragraph
            out.append("".join(w.text for w in line.words))
        else:
            out.append("".join(line[1]))
    return out


def _cells(flowables, available: float):
    """(paragraph, room inside its cell) for every wrapped cell of a chunked table."""
    for chunk in flowables:
        chunk.wrap(available, 100_000)
        table = getattr(chunk, "_current", None) or chunk
        for row in table._cellvalues:
            for col, value in enumerate(row):
                for item in value if isinstance(value, (list, tuple)) else [value]:  # Table keeps flowables in a list
                    if isinstance(item, Paragraph):
                        yield item, table._colWidths[col] - 2 * base.CELL_PAD_X


def test_wrapped_cell_lines_fit_and_never_start_with_closing_punctuation(font):
    styles = base.build_stylesheet(font.name)
    rows = [[str(i), text] for i, text in enumerate(TEXTS)]
    checked = 0
    for available in range(80, 220, 1):  # cells 6 to 20 characters wide, so every break position comes up
        columns = [base.Column("序号", 20, "CENTER"), base.Column("情况", available - 20)]
        for para, room in _cells(base.chunked_table(columns, rows, styles, font, available), available):
            lines = _lines(para)
            for i, line in enumerate(lines):
                used = base.text_width(line, font, base.CELL_FONT_SIZE)
                assert used <= room + 0.01, f"{line!r} is {used:.1f} pt wide in a {room:.1f} pt cell"
                if i:
                    assert line[0] not in NO_LINE_START, f"line starts with {line[0]!r}: {lines}"
                if i < len(lines) - 1:
                    assert line[-1] not in NO_LINE_END, f"line ends with {line[-1]!r}: {lines}"
            checked += 1
    assert checked >= 140 * len(TEXTS)


def test_nothing_is_lost_or_reordered(font):
    styles = base.build_stylesheet(font.name)
    for text in TEXTS:
        for width in (30, 55, 80, 120):
            para = Paragraph(base.rich(text, font), styles["Cell"])
            para.wrap(width, 100_000)
            assert "".join(_lines(para)).replace(" ", "") == text.replace(" ", "")


def test_a_cell_one_character_wide_still_makes_progress(font):
    styles = base.build_stylesheet(font.name)
    para = Paragraph(base.rich("；；；好。", font), styles["Cell"])
    para.wrap(5, 100_000)
    assert "".join(_lines(para)) == "；；；好。"
