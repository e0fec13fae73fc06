"""Qt's own Chinese: the standard buttons (是/否, 确定/取消, 保存), the file and colour dialogs,
the context menus of text fields. The program's texts are written in Chinese; Qt's are not,
unless its zh_CN translation (shipped with PySide6, and collected into the bundle) is loaded.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

LOCALE = "zh_CN"
CATALOGUES = ("qtbase",)  # qtbase holds QtCore/QtGui/QtWidgets: every widget the program uses


def translation_dirs() -> list[Path]:
    """Where the .qm files may be: Qt's own folder, then the bundle's copy under PySide6/Qt."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "PySide6" / "Qt" / "translations")
    return dirs


def install_translations(app: QApplication) -> list[str]:
    """Load Qt's zh_CN catalogues once per application; the names loaded (logged when missing)."""
    if getattr(app, "_zh_translators", None) is not None:
        return [t.objectName() for t in app._zh_translators]
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded: list[QTranslator] = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        translator.setObjectName(name)
        if any(translator.load(f"{name}_{LOCALE}", str(d)) for d in translation_dirs()):
            app.installTranslator(translator)
            loaded.append(translator)
        else:
            log.warning("Qt translation %s_%s not found in %s", name, LOCALE, translation_dirs())
    app._zh_translators = loaded  # keep the translators alive as long as the application
    return [t.objectName() for t in loaded]
