"""The page base: one page per module; a page refreshes when shown after something it shows changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QTabWidget, QWidget

from desktop_app.gui.bus import bus
from desktop_app.gui.pages import spec_of
from desktop_app.services.database import Database
from desktop_app.services.site import SiteInfo
from desktop_app.views.changes import Change, Changes, touches
from desktop_app.views.startup import StartState


@dataclass
class AppContext:
    db: Database
    site: SiteInfo
    start: StartState | None = None  # what start-up read before the window opened (None in tests that skip it)


class Page(QWidget):
    # what the navigation calls the page, its icon and the permission it needs: from its line in gui/pages.py
    title = ""
    icon = ""
    permission: str | None = None
    watches: Changes = frozenset({Change.ALL})  # which changes make this page stale
    # the names and keys of the page's actions hidden from this account (main_window.offer_writes_only_if_allowed)
    hidden_writes: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        spec = spec_of(cls.__module__, cls.__name__)
        if spec is not None:  # a page the window lists (not a base such as RecordListPage)
            cls.title, cls.icon, cls.permission = spec.title, spec.icon, spec.permission

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

    def unsaved(self) -> str:
        """What the page holds typed but not yet saved, named for the user ("民主评议的评议结果"); "" when nothing.

        The window asks about it before it closes or leaves the database (main_window.keep_typed_work)."""
        return ""

    def save_unsaved(self) -> None:
        """Run the page's own 保存 for what unsaved() names; it may finish in the background (gui/ops.run_op).
        A save refused shows its reason on the page as usual and leaves unsaved() as it was."""

    def offered(self, text: str) -> str:
        """A hint, heading or status line as the account may act on it: what points at an action hidden from it
        is left out (bars.offered). Texts set after the page was built go through this; those set before are
        rewritten once the window hid the actions."""
        from desktop_app.gui.widgets.bars import offered

        return offered(text, self.hidden_writes)

    def focus_search(self) -> bool:
        """Ctrl+F: the cursor into the page's search box, its text selected to be typed over; False without one."""
        from desktop_app.gui.widgets.bars import SEARCH_BOX

        for box in self.findChildren(QLineEdit, SEARCH_BOX):
            if box.isVisibleTo(self) and box.isEnabled():
                box.setFocus()
                box.selectAll()
                return True
        return False

    # --- opening one record (查找, Ctrl+K) ---
    def show_record(self, record_id: str) -> None:
        """List everything again and select this record when the rows arrive (查找 opened it here).

        The search box is emptied and each filter goes back to its 全部… entry (a combo without one, such as
        the year a list counts by, is left as it is), so a record the worker's last filter hid is listed. A
        page selects the record through its `keep(id)`; a page with neither filters nor keep just shows."""
        for box in self.filter_widgets().values():
            box.blockSignals(True)  # one load below, not one per filter
            if isinstance(box, QLineEdit):
                box.clear()
            elif isinstance(box, QComboBox):
                everything = next((i for i in range(box.count()) if box.itemData(i) is None
                                   or box.itemText(i).startswith("全部")), None)
                if everything is not None:
                    box.setCurrentIndex(everything)
            box.blockSignals(False)
        tabs = getattr(self, "tabs", None)
        if isinstance(tabs, QTabWidget):
            tabs.setCurrentIndex(0)  # the page's own records (居民, not its 住户 tab)
        keep = getattr(self, "keep", None)
        if callable(keep):
            keep(record_id)
        self._stale = True
        if self.isVisible():
            self.refresh()

    # --- opening the page narrowed (the 工作台 opens the list behind a figure) ---
    def filter_widgets(self) -> dict[str, QWidget]:
        """The page's filters by key; a RecordListPage's are the ones it declares."""
        return dict(getattr(self, "filter_boxes", None) or {})

    def apply_filter(self, **values: Any) -> dict[str, Any]:
        """Set the named filters (`year=2026, state="待认领"`) and show the rows they select.

        A combo takes the entry whose data (else whose text) is the value, a text box
        the text, a spin box the number. A key the page has no filter for, or a value its combo does not
        offer, is skipped; the filters actually set are returned.
        """
        boxes, applied = self.filter_widgets(), {}
        for key, value in values.items():
            box = boxes.get(key)
            if isinstance(box, QComboBox):
                index = box.findData(value)
                if index < 0 and isinstance(value, str):
                    index = box.findText(value)
                if index < 0:
                    continue
                box.blockSignals(True)  # one load below, not one per filter
                box.setCurrentIndex(index)
                box.blockSignals(False)
            elif isinstance(box, QLineEdit):
                box.blockSignals(True)
                box.setText("" if value is None else str(value))
                box.blockSignals(False)
            elif isinstance(box, QSpinBox) and isinstance(value, int) and box.minimum() <= value <= box.maximum():
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
            else:
                continue
            applied[key] = value
        self._stale = True
        if self.isVisible():
            self.refresh()
        return applied
