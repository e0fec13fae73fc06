"""A section heading (the "Heading" style: 本单位报到党员 in the 共驻共建年度汇总 and the like) is never printed
alone at the foot of a page with its table starting on the next."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
from reportlab.platypus import Spacer

from desktop_app.reports.base import Column, ReportRenderer
from tests.pdf_text import shipped_font  # noqa: F401 - the fixture

ROOM_LEFT = 40  # points left on the first page after the filler: the heading fits, its table does not


class _Sections(ReportRenderer):
    title = "共驻共建年度汇总"

    def build_story(self):
        return [Spacer(1, self.frame_height - ROOM_LEFT), self.para("本单位报到党员", "Heading"),
                *self.table([Column("姓名", 1), Column("工作单位", 2)], [[f"党员{i}", "区人民医院"] for i in range(12)])]


def test_a_heading_goes_onto_the_page_of_its_table(shipped_font):
    pdf = pdfium.PdfDocument(_Sections("梅园社区", printed_on=date(2026, 12, 1)).render())
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    [where] = [i for i, text in enumerate(pages) if "本单位报到党员" in text]
    assert "党员0" in pages[where], pages
