"""One 'data changed' signal: a page that writes announces it, the others refresh when shown."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataBus(QObject):
    changed = Signal(str)  # what changed: "orgs", "members", "*" ...


bus = DataBus()
