"""One 'data changed' signal carrying a set of `Change`: pages that show any of it refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop_app.views.changes import Change, Changes, changes


class DataBus(QObject):
    changed = Signal(object)  # frozenset[Change]

    def announce(self, *items: Change | str) -> None:
        """Tell every page what changed (one emission for the whole set)."""
        if items:
            self.changed.emit(changes(*items))

    def announce_set(self, changed: Changes) -> None:
        if changed:
            self.changed.emit(frozenset(changed))


bus = DataBus()
