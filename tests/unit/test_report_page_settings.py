"""Reports print on the paper, margins and font chosen in 设置 (A4, 15 mm, shipped font unless changed)."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from desktop_app.reports.base import A4_LANDSCAPE, A4_PORTRAIT, MARGIN, ReportRenderer
from desktop_app.settings import Settings, resource_path


class _Note(ReportRenderer):
    title = "测试表"

    def build_story(self):
        return [Paragraph("党员名册第一行", self.styles["Normal"])]


class _Wide(_Note):
    pagesize = A4_LANDSCAPE


def _page_mm(data: bytes) -> tuple[int, int]:
    box = PdfReader(BytesIO(data)).pages[0].mediabox
    return round(float(box.width) / mm), round(float(box.height) / mm)


def test_defaults_are_a4_with_15_mm_margins():
    r = _Note("幸福里社区党委")
    assert _page_mm(r.render()) == (210, 297)
    assert r.pagesize == pytest.approx(A4_PORTRAIT) and r.margin == pytest.approx(MARGIN)


@pytest.mark.parametrize("renderer, paper, expected", [
    (_Note, "A5", (148, 210)),
    (_Wide, "A5", (210, 148)),
    (_Note, "B5", (176, 250)),
    (_Wide, "Letter", (279, 216)),
])
def test_the_chosen_paper_keeps_each_forms_orientation(renderer, paper, expected):
    s = Settings()
    s.paper_size, s.margin_mm = paper, 25
    s.save()
    r = renderer("幸福里社区党委")
    assert _page_mm(r.render()) == expected
    assert r.margin == pytest.approx(25 * mm)
    assert r.frame_width == pytest.approx(r.pagesize[0] - 50 * mm)


def test_the_chosen_font_is_embedded():
    s = Settings()
    s.pdf_font_path = str(resource_path("fonts", "DroidSansFallbackFull.ttf"))
    s.save()
    r = _Note("幸福里社区党委")
    data = r.render()
    assert r.font is not None
    assert b"DroidSansFallback" in data or r.font.name.encode() in data


def test_sign_in_sheets_keep_the_fixed_margin_the_scan_reader_expects():
    from desktop_app.reports import signin

    renderers = [c for c in vars(signin).values() if isinstance(c, type) and issubclass(c, ReportRenderer)
                 and c is not ReportRenderer]
    assert renderers and all(not c.margin_from_settings for c in renderers)
    s = Settings()
    s.margin_mm = 25
    s.save()
    r = _Note("幸福里社区党委")
    r.margin_from_settings = False
    r.render()
    assert r.margin == pytest.approx(MARGIN)
