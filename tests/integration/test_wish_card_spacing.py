"""The printed 微心愿 card: the 编号 line stands clear of the 心愿人 line under it."""

from datetime import date

import pypdfium2 as pdfium
import pytest
from reportlab.lib.units import mm

from desktop_app.domain import service_flow as flow
from desktop_app.reports.wishes import render_wish_cards
from desktop_app.views.wishes import WishRow
from tests.pdf_text import shipped_font, text_box  # noqa: F401 - the fixture is used by name


pytestmark = pytest.mark.usefixtures("shipped_font")


def test_the_number_stands_clear_of_the_wisher_line():
    row = WishRow(id="w1", wish_no="XY2026-009", wisher_name="黄建华", grid_id=None, grid_name="第三网格党支部",
                  address="明珠家园6栋2单元301室", content="上门理发", background="高龄老人", estimated_fen=3000,
                  posted_on=date(2026, 3, 29), state=flow.WISH_POSTED, claimant_kind="", claimant_name="",
                  claimed_on=None, fulfilled_on=None, fulfil_note="")
    page = pdfium.PdfDocument(render_wish_cards("梅园社区党委", [row]))[0]
    number, wisher = text_box(page, "编号 XY2026-009"), text_box(page, "心愿人")
    assert number[1] - wisher[3] >= 2 * mm  # PDF y grows upwards: the 编号's foot above the 心愿人's top
