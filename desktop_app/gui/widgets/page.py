"""The page base: one page per module; a page refreshes when shown after something it shows changed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from desktop_app.gui.bus import bus
from desktop_app.services.database import Database
from desktop_app.services.site import SiteInfo
from desktop_app.views.changes import Change, Changes, touches


@dataclass
class AppContext:
    db: Database
    site: SiteInfo


class Page(QWidget):
    title = ""
    icon = ""
    watches: Changes = frozenset({Change.ALL})  # which changes make this page stale

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        bus.changed.connect(self._on_changed)

    def _on_changed(self, changed: Changes) -> None:
        if touches(changed, self.watches):
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
