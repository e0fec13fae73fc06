"""Make sure Qt can draw Chinese: without a CJK font it draws empty boxes.

Call `ensure_cjk_font(app)` once, right after the QApplication exists and
before any window is built.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop_app.settings import resource_path

log = logging.getLogger(__name__)

# Readable UI faces first (黑体-style sans serifs); SimSun last-resort is not listed
# because a serif UI font looks dated and is thin at small sizes.
PREFERRED_FAMILIES = (
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Droid Sans Fallback",
)
SHIPPED_FONT = ("fonts", "DroidSansFallbackFull.ttf")


def system_cjk_families() -> list[str]:
    """Families Qt knows that cover Simplified Chinese (a seam for tests)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def _choose(available: list[str], current: str) -> str:
    for family in PREFERRED_FAMILIES:
        if family in available:
            return family
    # Some other CJK family (e.g. 思源黑体 under a local name): keep the default if it is one.
    return current if current in available else available[0]


def _load_shipped() -> str | None:
    path = resource_path(*SHIPPED_FONT)
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.error("Could not load the shipped CJK font %s", path)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def ensure_cjk_font(app: QApplication) -> str:
    """Set the application font to a family that has Chinese glyphs; return that family.

    Prefers a system family (see PREFERRED_FAMILIES); with none, loads the font the
    program ships. The point size of the default font is kept.
    """
    font = app.font()
    current = font.family()
    available = system_cjk_families()
    family = _choose(available, current) if available else _load_shipped()
    if family is None:
        return current  # nothing better to offer; Qt will draw boxes, the log says why
    if family != current:
        font.setFamily(family)  # keeps pointSize: only the family changes
        app.setFont(font)
    log.info("UI font: %s", family)
    return family
