"""Headless start-up check of a built bundle (build_spec/smoke.py sets DANGQUN_SMOKE).

With the variable set, the program dismisses whatever start-up dialog asks for a
person (first administrator, log-in), waits for the main window, says so on
stdout and quits. Without it nothing here runs.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

TIMEOUT_MS = 120_000


def arm(app: QApplication) -> None:
    if not os.environ.get("DANGQUN_SMOKE"):
        return
    timer = QTimer(app)
    waited = {"ms": 0}

    def tick() -> None:
        waited["ms"] += 200
        modal = QApplication.activeModalWidget()
        # the frame painted before the database opens has no ctx yet: the check waits for the opened window
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()
                   and getattr(w, "ctx", True) is not None]
        if windows:
            print(f"smoke: main window shown: {windows[0].windowTitle()}", flush=True)
            timer.stop()
            for w in windows:
                w.close()
            app.exit(0)
        elif modal is not None and hasattr(modal, "reject"):
            print(f"smoke: dismissed {type(modal).__name__}", flush=True)
            modal.reject()
        elif waited["ms"] > TIMEOUT_MS:
            print("smoke: no main window", flush=True)
            timer.stop()
            app.exit(3)

    timer.timeout.connect(tick)
    timer.start(200)
