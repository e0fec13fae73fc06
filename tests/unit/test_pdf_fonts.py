"""The PDF font finder: it must always come back with an embeddable font that has Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from desktop_app.reports import fonts
from desktop_app.reports.fonts import ENV_VAR, register_cjk_font, shipped_font_path, text_runs

FORM_TEXT = "党员花名册"


def _encodes(name: str, text: str) -> bool:
    face = pdfmetrics.getFont(name).face
    return all(ord(c) in face.charToGlyph for c in text)


@pytest.fixture(autouse=True)
def _no_forced_font(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_finds_an_embeddable_font_that_encodes_chinese():
    info = register_cjk_font()
    assert info.embedded
    assert info.source in ("system", "shipped")
    assert _encodes(info.name, FORM_TEXT)


def test_is_cached():
    assert register_cjk_font() is register_cjk_font()


def test_env_var_forces_the_shipped_font(monkeypatch):
    shipped = shipped_font_path()
    monkeypatch.setenv(ENV_VAR, str(shipped))
    info = register_cjk_font()
    assert info.source in ("shipped", "configured")
    assert Path(info.path).samefile(shipped)
    assert _encodes(info.name, FORM_TEXT)


def test_shipped_font_lacks_latin_so_digits_go_to_the_companion(monkeypatch):
    # Droid Sans Fallback has no ASCII: digits must be drawn by the Latin font or print blank.
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))
    info = register_cjk_font()
    assert info.latin_name == fonts.LATIN_FALLBACK
    assert text_runs("第 12 页", info) == [(info.name, "第 "), ("Helvetica", "12"), (info.name, " 页")]
    assert text_runs("", info) == []


def test_configured_path_is_used_when_it_loads():
    info = register_cjk_font(str(shipped_font_path()))
    assert info.source == "shipped"  # the configured path is the shipped file itself
    assert _encodes(info.name, FORM_TEXT)


@pytest.mark.parametrize("content", [None, b"OTTO" + bytes(60), b"not a font at all"])
def test_unusable_configured_font_falls_through(tmp_path, content):
    # Missing file, PostScript outlines (reportlab refuses them), garbage: move on to the next.
    path = tmp_path / "bad.ttf"
    if content is not None:
        path.write_bytes(content)
    info = register_cjk_font(str(path))
    assert info.source in ("system", "shipped")
    assert info.embedded
    assert any(str(path) in reason for reason in info.rejected)
    assert _encodes(info.name, FORM_TEXT)
