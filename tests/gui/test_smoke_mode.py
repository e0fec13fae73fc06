"""DANGQUN_SMOKE: the bundle check's start-up mode dismisses start-up dialogs and quits once the window shows."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QMainWindow

from desktop_app.gui import smoke


def test_without_the_variable_nothing_is_armed(qapp, monkeypatch):
    monkeypatch.delenv("DANGQUN_SMOKE", raising=False)
    before = len(qapp.findChildren(QTimer))
    smoke.arm(qapp)
    assert len(qapp.findChildren(QTimer)) == before


def test_it_dismisses_a_dialog_then_reports_the_window_and_quits(qapp, qtbot, monkeypatch, capsys):
    monkeypatch.setenv("DANGQUN_SMOKE", "1")
    smoke.arm(qapp)
    dlg = QDialog()
    assert dlg.exec() == QDialog.DialogCode.Rejected  # dismissed by the smoke timer
    window = QMainWindow()
    window.setWindowTitle("党群服务中心工作台")
    qtbot.addWidget(window)
    QTimer.singleShot(0, window.show)
    assert qapp.exec() == 0  # the smoke timer quits once the window is visible
    out = capsys.readouterr().out
    assert "smoke: dismissed QDialog" in out and "smoke: main window shown: 党群服务中心工作台" in out
