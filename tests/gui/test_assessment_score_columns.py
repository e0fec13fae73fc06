"""支部考评 scores keep tenths, so every score column writes one decimal: 81.0 beside 81.3, not 81 beside 81.3."""

from types import SimpleNamespace

from desktop_app.gui.assessment.page import COLUMNS, COMMUNITY_COLUMNS, FIRST_CATEGORY, GRID_COLUMNS
from desktop_app.reports.assessment import BRANCH_CELLS
from desktop_app.views.assessment import AssessmentRow, CategoryScore


def _row(total: int) -> AssessmentRow:
    return AssessmentRow("b", "第一网格党支部", "梅园社区党委", total, 1000, total - 200, 200, 0, "达标", 1, "",
                         categories=(CategoryScore("组织建设", total // 5, 200),))


def _cells(columns, title: str) -> list[str]:
    [column] = [c for c in columns if c.title == title]
    return [column.text(_row(t)) for t in (810, 813)]


def test_a_score_column_shows_one_decimal_on_every_row():
    assert _cells(COLUMNS, "总分") == ["81.0", "81.3"]
    assert _cells(COLUMNS, "自动计分") == ["61.0", "61.3"]
    assert _cells(COLUMNS, "人工评分") == ["20.0", "20.0"]
    assert _cells(GRID_COLUMNS, "总分") == ["81.0", "81.3"]
    assert [GRID_COLUMNS[FIRST_CATEGORY].text(_row(t)) for t in (810, 813)] == ["16.2", "16.2"]
    [average] = [c for c in COMMUNITY_COLUMNS if c.title == "平均分"]
    assert [average.text(SimpleNamespace(average_tenths=t)) for t in (810, 813)] == ["81.0", "81.3"]


def test_the_printed_ranking_shows_one_decimal_too():
    cells = dict((column.title, cell) for column, cell in BRANCH_CELLS)
    assert [cells["总分"](_row(t)) for t in (810, 813)] == ["81.0", "81.3"]
    assert cells["人工"](_row(810)) == "20.0"
