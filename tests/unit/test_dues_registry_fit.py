"""The printed 党费收缴登记表 of a big branch: 序号 past 99 and the 合计 in the thousands stay on one line.

A 137-member branch printed "12/4" and "4,033.3/9" split over two lines in cells too narrow for them.
"""

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from desktop_app.domain.money import amount_in_capitals
from desktop_app.reports.dues import render_dues_registry
from desktop_app.views.dues import OWED, PAID, DuesGrid, GridRow, MonthCell

YEAR = 2026


def member(n: int, due: int, owed_months: int) -> GridRow:
    cells = tuple(
        MonthCell(date(YEAR, m, 1), OWED, due) if m > 12 - owed_months
        else MonthCell(date(YEAR, m, 1), PAID, due, due, date(YEAR, m, 5))
        for m in range(1, 13)
    )
    return GridRow(f"m{n}", n, "王秀珍", "在职", due * 100, due, "1%", cells, rate_label="1%")


def lines_of(pdf: bytes) -> list[str]:
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines()]


def test_big_branch_numbers_stay_whole():
    # 1,000 members (a big 离退休 branch), one owing 1,418.24 over twelve months
    rows = [member(n, 8864 if n == 1 else 4500, 12 if n == 1 else 0) for n in range(1, 1001)]
    grid = DuesGrid("梅园社区党委", "b1", "第一网格党支部", YEAR, date(YEAR, 12, 31), tuple(rows))
    assert grid.owed_fen == 106_368 and grid.paid_fen == 999 * 54_000
    lines = lines_of(render_dues_registry([grid], printed_on=date(YEAR, 12, 31)))
    pairs = set(zip(lines, lines[1:]))
    assert ("137", "王秀珍") in pairs and ("1000", "王秀珍") in pairs  # each 序号 in one piece
    assert lines.count("1,063.68") == 2  # the member's 欠交 and the 合计's
    assert lines.count("539,460.00") == 2  # the 合计's 已交合计 and the 实收 全年


def test_several_branches_end_with_the_community_s_totals():
    """Printed for the whole community, the branches' sheets are followed by one 汇总 of them all."""
    first = DuesGrid("梅园社区党委", "b1", "第一网格党支部", YEAR, date(YEAR, 12, 31),
                     tuple(member(n, 4500, 2 if n == 1 else 0) for n in range(1, 4)))
    second = DuesGrid("梅园社区党委", "b2", "退休党员党支部", YEAR, date(YEAR, 12, 31),
                      tuple(member(n, 1234, 0) for n in range(1, 3)))
    lines = lines_of(render_dues_registry([first, second], printed_on=date(YEAR, 12, 31)))
    summary = lines[lines.index(f"{YEAR}年度党费收缴汇总表"):]
    assert summary[summary.index("第一网格党支部"):][:5] == ["第一网格党支部", "3", "3", "1,530.00", "90.00"]
    assert summary[summary.index("退休党员党支部"):][:4] == ["退休党员党支部", "2", "2", "296.16"]
    total = 153_000 + 29_616
    assert summary[summary.index("合计"):][:5] == ["合计", "5", "5", "1,826.16", "90.00"]
    assert f"全年已收缴 1,826.16 元（大写：{amount_in_capitals(total)}）" in " ".join(summary).replace("  ", " ")


def test_one_branch_has_no_totals_page():
    only = DuesGrid("梅园社区党委", "b1", "第一网格党支部", YEAR, date(YEAR, 12, 31), (member(1, 4500, 0),))
    assert f"{YEAR}年度党费收缴汇总表" not in lines_of(render_dues_registry([only], printed_on=date(YEAR, 12, 31)))
