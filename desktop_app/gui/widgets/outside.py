"""Pages refresh when the database changed underneath them: a package imported from the command
line, a second window, a restore by another program. When the window becomes active again, the
database file's size and time (and those of its -wal journal) are compared with what they were
after this window's own last write; if they moved, every page is told that anything may have
changed (Change.ALL). A file stat, not a database read, so it runs on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from desktop_app.gui.bus import bus
from desktop_app.views.changes import Change


def _stamp(path: Path) -> tuple:
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


class OutsideChanges(QObject):
    def __init__(self, db_path: Path | None, parent: QObject | None = None):
        super().__init__(parent)
        self.path = db_path
        self.seen = _stamp(db_path) if db_path else ()
        bus.changed.connect(self._own_write)
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._state)

    def _own_write(self, _changed) -> None:
        if self.path is not None:
            self.seen = _stamp(self.path)  # this window's writes are announced already

    def _state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def check(self) -> bool:
        """Announce Change.ALL if the file changed since last seen; whether it did."""
        if self.path is None:
            return False
        now = _stamp(self.path)
        if now == self.seen:
            return False
        self.seen = now
        bus.announce(Change.ALL)
        return True
