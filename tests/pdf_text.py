"""Where a text stands on a rendered PDF page, for tests of a printed layout (what runs into what)."""

from __future__ import annotations

import pytest

from desktop_app.reports.fonts import ENV_VAR, register_cjk_font, shipped_font_path


def text_box(page, text: str) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of `text` as printed on a pypdfium2 page; PDF y grows upwards."""
    tp = page.get_textpage()
    found = tp.search(text).get_next()
    assert found is not None, f"{text!r} is not on the page"
    first, count = found
    boxes = [tp.get_charbox(i) for i in range(first, first + count)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@pytest.fixture
def shipped_font(monkeypatch):
    """The font the program ships, so positions do not depend on the machine's fonts."""
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    register_cjk_font()
