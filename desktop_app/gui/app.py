"""Start the program: application, fonts, error handling, database, first-run dialog, window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.gui.errors import install_excepthook, plain_message, setup_logging
from desktop_app.settings import resource_path

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    from desktop_app.gui.fonts import ensure_cjk_font

    ensure_cjk_font(app)
    qss = resource_path("style.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app


def open_context(db_path: Path, demo: bool, parent=None, ask_setup=None):
    """Open the database, set up the site on first start; None if the user backed out."""
    from desktop_app.gui.pages import AppContext
    from desktop_app.services import demo as demo_service
    from desktop_app.services import site as site_service
    from desktop_app.store.migrate import open_database

    db, backup = open_database(db_path)
    if backup:
        log.info("database upgraded; copy before upgrade at %s", backup)
    info = site_service.get_site(db)
    if info is None and demo:
        demo_service.generate(db, members=300, seed=1)
        info = site_service.get_site(db)
    if info is None:
        from desktop_app.gui.dialogs.setup import SetupDialog

        dlg = SetupDialog(parent)
        if ask_setup is not None:
            ask_setup(dlg)
        elif dlg.exec() != SetupDialog.DialogCode.Accepted:
            return None
        if dlg.choice == "demo":
            demo_service.generate(db, members=dlg.demo_members, seed=1)
        else:
            site_service.init_site(db, **dlg.values)
        info = site_service.get_site(db)
    return AppContext(db=db, site=info)


def run(db_path: Path, demo: bool = False) -> int:
    app = make_app()
    setup_logging()
    install_excepthook()
    try:
        ctx = open_context(db_path, demo)
    except Exception as exc:  # the window never opened: tell the user why
        log.exception("cannot open %s", db_path)
        QMessageBox.critical(None, APP_NAME, f"无法打开数据库 {db_path}：\n{plain_message(exc)}")
        return 2
    if ctx is None:
        return 0
    from desktop_app.gui.main_window import MainWindow

    window = MainWindow(ctx)
    window.show()
    return app.exec()
