"""Every dialog fits the screen it opens on: at 1366×768 with a taskbar, a dialog taller or wider
than what is left is shrunk to it and moved inside, so no 保存 button sits under the taskbar.

One application-wide event filter instead of a check in each dialog. At start it waits until the first page
has its rows (gui.app.watch_file), and a dialog before that (key, setup, log-in, a damaged file) opens
`fitting`: PySide hands the filter each receiver as a Python object, and for an object Qt made itself it
finds the class by building every widget class's Python type and enums (QWizard, QFileDialog, QMdiArea...).
With the roster table's own viewport (gui.roster.delegate), which spares it the same walk, 23-27 ms of CPU
came off the time until the roster is searchable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

FRAME = 40  # the title bar and borders the window manager adds around the dialog


def room_for(widget: QWidget) -> QRect | None:
    """The free part of the screen the widget opens on (the taskbar left out); None without a screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def tall_size(room: QRect | None, width: int, height: int, most_height: int) -> QSize:
    """A long list's dialog as tall as the free screen allows (its frame counted), up to `most_height`:
    at 1366×768 with a taskbar that is ~690 px, twice the rows of a fixed 620 once notes sit above the list."""
    if room is None:
        return QSize(width, height)
    return QSize(min(width, room.width() - 16), max(min(most_height, room.height() - FRAME), 200))


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


def install(app: QApplication) -> bool:
    """Fit every dialog from now on; False if that was so already."""
    if getattr(app, "_dialog_fitter", None) is not None:
        return False
    app._dialog_fitter = _DialogFitter(app)
    app.installEventFilter(app._dialog_fitter)
    return True


def remove(app: QApplication) -> None:
    fitter = getattr(app, "_dialog_fitter", None)
    if fitter is not None:
        app.removeEventFilter(fitter)
        app._dialog_fitter = None
        fitter.deleteLater()


@contextmanager
def fitting(app: QApplication) -> Iterator[None]:
    """Dialogs opened inside fit the screen; the filter leaves again after, unless it was there before."""
    added = install(app)
    try:
        yield
    finally:
        if added:
            remove(app)
