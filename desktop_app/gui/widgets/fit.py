"""Every dialog fits the screen it opens on: at 1366×768 with a taskbar, a dialog taller or wider
than what is left is shrunk to it and moved inside, so no 保存 button sits under the taskbar.

One application-wide event filter (installed by gui.app.paint_frame once the frame has painted) instead of a check
in each dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

FRAME = 40  # the title bar and borders the window manager adds around the dialog


def fit_on_screen(dialog: QDialog) -> None:
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry()
    width = min(dialog.width(), room.width() - 16)
    height = min(dialog.height(), room.height() - FRAME)
    if (width, height) != (dialog.width(), dialog.height()):
        dialog.resize(max(width, dialog.minimumWidth() and min(dialog.minimumWidth(), width)),
                      max(height, dialog.minimumHeight() and min(dialog.minimumHeight(), height)))
    frame = dialog.frameGeometry()
    x = min(max(frame.x(), room.left()), room.right() - frame.width() + 1)
    y = min(max(frame.y(), room.top()), room.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        dialog.move(max(x, room.left()), max(y, room.top()))


class _DialogFitter(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(obj, QDialog):
            fit_on_screen(obj)
        return False


def install(app: QApplication) -> None:
    if getattr(app, "_dialog_fitter", None) is None:
        app._dialog_fitter = _DialogFitter(app)
        app.installEventFilter(app._dialog_fitter)
