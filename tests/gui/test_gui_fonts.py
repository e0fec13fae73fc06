"""Qt must have a font that draws Chinese, from the system or the one we ship."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase

from desktop_app.gui import fonts
from desktop_app.gui.fonts import ensure_cjk_font

SC = QFontDatabase.WritingSystem.SimplifiedChinese


@pytest.fixture
def app(qapp):
    saved = qapp.font()
    yield qapp
    qapp.setFont(saved)


def test_app_font_supports_simplified_chinese(app):
    size = app.font().pointSizeF()
    family = ensure_cjk_font(app)
    assert SC in QFontDatabase.writingSystems(family)
    assert app.font().family() == family
    assert app.font().pointSizeF() == size


def test_prefers_the_listed_families_in_order(app, monkeypatch):
    monkeypatch.setattr(fonts, "system_cjk_families", lambda: ["Droid Sans Fallback", "WenQuanYi Zen Hei"])
    assert fonts._choose(fonts.system_cjk_families(), "Sans Serif") == "WenQuanYi Zen Hei"


def test_loads_the_shipped_font_when_the_system_has_none(app, monkeypatch):
    monkeypatch.setattr(fonts, "system_cjk_families", lambda: [])
    size = app.font().pointSizeF()
    family = ensure_cjk_font(app)
    assert family == "Droid Sans Fallback"
    assert SC in QFontDatabase.writingSystems(family)
    assert app.font().family() == family
    assert app.font().pointSizeF() == size
