"""年度党建工作台账: a branch's name, a state or a stage is printed whole, not cut at the column's edge."""

from __future__ import annotations

import pypdfium2 as pdfium

from desktop_app.reports.annual import fitted_widths
from desktop_app.services import overview
from tests.integration.test_overview_figures import TODAY, town  # noqa: F401 - the fixture with known counts


def test_a_name_column_widens_for_its_names_and_a_text_column_gives_way():
    measure = len  # a character a point
    rows = [("第一网格党支部", "已解决", "楼道里堆了很多杂物影响通行希望社区尽快协调清理")]
    widths = fitted_widths([10, 5, 85], rows, 100, measure, whole=[True, True, False])
    assert widths[0] >= 7 and widths[1] >= 3 and sum(widths) == 100
    # the same short text in a column not marked whole (a host's 社区党委书记 beside names) wraps in its share,
    # leaving the room to a column that needs it
    assert fitted_widths([10, 5, 85], rows, 100, measure) == [10, 5, 85]


def test_the_visits_chapter_prints_each_branch_and_state_on_one_line(db, town):  # noqa: F811
    pdf = pdfium.PdfDocument(overview.print_annual_folder(db, 2026, today=TODAY, photos=False))
    pages = [pdf[i].get_textpage() for i in range(len(pdf))]
    (visits,) = [tp for tp in pages if tp.search("走访与群众反映问题办理").get_next() and tp.search("受理").get_next()]
    for word in ("第一网格党支部", "第二网格党支部"):
        found, hits = visits.search(word), []
        while (hit := found.get_next()) is not None:
            hits.append(hit[1])
        # a name cut in two is found with the line break inside it: one character more
        assert hits and set(hits) == {len(word)}, (word, hits)
