"""The 报到名册 (and a unit's page, which has the same table) print each member's 报到日期 and phone on one
line, not broken mid-figure, in the shipped font and in WenQuanYi Zen Hei, whose digits are wider."""

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from desktop_app.reports.cobuilding import render_reporting_register
from desktop_app.reports.fonts import shipped_font_path
from desktop_app.views.cobuilding import ReportingRow
from tests.pdf_text import text_box

ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # what the bootstrap installs on Linux


def _row(name: str, employer: str, org: str, reported_on: date, mobile: str) -> ReportingRow:
    return ReportingRow(id=name, name=name, gender="男", mobile_masked=mobile, employer=employer, employer_org=org,
                        unit_id=None, job="工程师", reported_on=reported_on, org_id=None, org_name="第一党小组",
                        posts="课业辅导岗", services=2, hours_tenths=35, points=3, left_on=None, from_roster=False)


@pytest.mark.parametrize("font", [shipped_font_path(), ZENHEI], ids=["shipped", "zenhei"])
def test_dates_and_phones_print_whole(font):
    if not font.exists():
        pytest.skip(f"{font} is not installed")
    rows = [_row("江伟", "中国移动城区分公司", "中国移动城区分公司党支部", date(2023, 6, 6), "152****7746"),
            _row("刘宏伟", "区住房和城乡建设局", "区住房和城乡建设局党委", date(2017, 12, 25), "151****7319")]
    pdf = render_reporting_register("梅园社区党委", 2026, rows, printed_on=date(2026, 12, 6), font_path=str(font))
    page = pdfium.PdfDocument(pdf)[0]
    for text in ("2023-06-06", "2017-12-25", "152****7746", "151****7319"):
        left, bottom, right, top = text_box(page, text)  # not found when the cell breaks it over two lines
        assert top - bottom < 12, text  # one line high
