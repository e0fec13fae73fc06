"""DANGQUN_SMOKE: the bundle check's start-up mode dismisses start-up dialogs and quits once the window shows.

The armed mode runs and quits the application's own event loop, so it runs in
a child process: quitting the test session's shared QApplication would leave
it unable to deliver the next tests' background results.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtCore import QTimer

from desktop_app.gui import smoke

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
    from desktop_app.gui import smoke

    app = QApplication(sys.argv)
    smoke.arm(app)
    dlg = QDialog()
    assert dlg.exec() == QDialog.DialogCode.Rejected  # dismissed by the smoke timer
    window = QMainWindow()
    window.setWindowTitle("党群服务中心工作台")
    QTimer.singleShot(0, window.show)
    sys.exit(app.exec())  # the smoke timer quits once the window is visible
    """
)


def test_without_the_variable_nothing_is_armed(qapp, monkeypatch):
    monkeypatch.delenv("DANGQUN_SMOKE", raising=False)
    before = len(qapp.findChildren(QTimer))
    smoke.arm(qapp)
    assert len(qapp.findChildren(QTimer)) == before


def test_it_dismisses_a_dialog_then_reports_the_window_and_quits():
    env = dict(os.environ, DANGQUN_SMOKE="1", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "smoke: dismissed QDialog" in done.stdout
    assert "smoke: main window shown: 党群服务中心工作台" in done.stdout
