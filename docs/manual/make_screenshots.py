"""Take the manual's screenshots from the real window on demo data, so they stay current.

    .venv/bin/python docs/manual/make_screenshots.py

Runs offscreen with a throw-away data folder; writes docs/manual/images/*.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "images"

# page title in the window → image name used by the manual
PAGES = {
    "概览": "overview",
    "党员名册": "roster",
    "三会一课": "meetings",
    "三会一课落实": "compliance",
    "居民": "residents",
    "走访": "visits",
    "微心愿": "wishes",
    "经费台账": "ledger",
    "党费": "dues",
    "数据同步": "sync",
    "支部考评": "assessment",
    "发展党员": "development",
    "出党与处分": "exits",
    "流动与失联": "floating",
    "共建单位": "cobuilding",
    "导入表格": "imports",
}


def _settle(app, seconds: float = 0.4) -> None:
    from desktop_app.gui import ops

    end = time.monotonic() + 30
    while ops.pending() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="dangqun-shots-"))
    os.environ["DANGQUN_DATA_DIR"] = str(tmp / "data")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt

    from desktop_app.gui.app import make_app
    from desktop_app.gui.main_window import MainWindow
    from desktop_app.gui.settings.dialog import SettingsDialog
    from desktop_app.gui.shell.setup import SetupDialog
    from desktop_app.gui.widgets.page import AppContext
    from desktop_app.services import demo, site
    from desktop_app.services import settings as settings_service
    from desktop_app.services.database import open_database

    app = make_app()
    OUT.mkdir(parents=True, exist_ok=True)

    setup = SetupDialog(None)
    setup.show()
    _settle(app)
    setup.grab().save(str(OUT / "first-start.png"))
    setup.close()

    db, _ = open_database(tmp / "demo.db")
    demo.generate(db, members=120, seed=1)
    window = MainWindow(AppContext(db=db, site=site.get_site(db)))
    window.skip_exit_backup = True
    window.show()
    _settle(app)
    # A first start opens maximised, and the offscreen screen is 800 pixels square: the size of a
    # center's desk screen is set once the window is up.
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 768)
    _settle(app)
    for title, name in PAGES.items():
        if title not in window.pages:
            print(f"skipped {title}: no such page", flush=True)
            continue
        window.go_to(title)
        _settle(app, 0.8)
        window.grab().save(str(OUT / f"{name}.png"))
        print(f"{name}.png", flush=True)

    dlg = SettingsDialog(window, db, settings_service.current(db), settings_service.info(db))
    dlg.show()
    _settle(app)
    dlg.grab().save(str(OUT / "settings.png"))
    dlg.close()
    print("settings.png", flush=True)
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
