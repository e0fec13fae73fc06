"""Bits the 共驻共建 pages share: the year choice, dates and hours as shown, a listed section, a choice,
and the bases of their forms and pages (every one of them writes the co-building records)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QFormLayout, QInputDialog, QWidget

from desktop_app.domain.cobuilding import hours_text
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.layouts import scrolled
from desktop_app.gui.widgets.record_list import Act, RecordListPage, recent_years, selected
from desktop_app.gui.widgets.table import date_text
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes

WRITES = changes(Change.COBUILDING)


d = date_text  # a date as the record lists show it


def hours(tenths: int) -> str:
    return hours_text(tenths) if tenths else ""


years = recent_years()  # the year filter of every co-building page: this year and the four before


def year_of(page) -> int:
    """The year chosen on the page (the current one until another is picked)."""
    value = page.filter_values().year if "year" in page.filter_boxes else None
    return value or page.today.year


def is_a(kind: type, test: Callable[[Any], Any] | None = None) -> Callable[[Any], bool]:
    """An action's `when`: the selected detail is a `kind` (and passes `test`)."""
    return lambda x: isinstance(x, kind) and (test is None or bool(test(x)))


def choose(parent: QWidget | None, title: str, label: str, items: Sequence[tuple[str, Any]]) -> Any:
    """One of several (label, value) pairs, or None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getItem(parent, title, label, [t for t, _ in items], 0, False)
    return dict(items).get(text) if ok else None


class CobuildingDialog(SavingDialog):
    """A 共驻共建 form: it saves through the co-building service with the database and today it is given."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, title: str, ok_text: str = "保存",
                 today: date | None = None):
        super().__init__(parent, title, ok_text)
        self.db, self.today = db, today or date.today()

    def finish_scrolling(self, form: QFormLayout, width: int) -> None:
        """The form above the buttons, scrolling where the screen is short: at 1366×768 and 150% (485 pixels'
        height) the activity form's 650 and the 慰问 form's 503 put 保存 below the screen. It opens as tall
        as the whole form; the dialog fitter (widgets.fit) shrinks it to a shorter screen."""
        body = QWidget()
        body.setLayout(form)
        area = scrolled(body)
        lay = self.finish_layout(area)
        lay.setStretch(0, 1)  # the room is the form's, not the gap finish_layout leaves above the buttons
        lay.setStretch(1, 0)
        self.setMinimumWidth(width)
        self.resize(width, self.sizeHint().height() + max(0, body.sizeHint().height() - area.sizeHint().height()))


# 修改 on a page with one kind of record: its `form` for the selected record (edit_selected below)
EDIT = Act("edit", "修改", "edit_selected", when=selected, name="edit", writes=True)


class CobuildingPage(RecordListPage):
    """A 共驻共建 list page: its writes change the co-building records; 修改 opens its record form."""

    writes = WRITES

    def form(self, detail: Any = None) -> SavingDialog:
        """The page's record form, blank or showing `detail` (pages with one kind of record define it)."""
        raise NotImplementedError

    def print_year(self, title: str, name: str, render: Callable[..., Any], said: Callable[[int, Any, Any], str],
                   year: int | None = None) -> None:
        """A year's register or summary as `<name><year>.pdf`, for the year loaded unless `year` is given:
        `render(db, year, path, today=)` off the GUI thread, then `said(year, path, result)`."""
        db, today, year = self.ctx.db, self.today, year or self.loaded_year
        self.print_pdf(title, f"{name}{year}.pdf", lambda path, job: render(db, year, path, today=today),
                       lambda path, result: said(year, path, result))

    def edit_selected(self) -> None:
        """修改 (and a double-click): the record form for the selected record."""
        if self.detail is not None:
            self.run_dialog(self.form(self.detail), "已保存修改。")

    def listed(self, name: str) -> list:
        """A list the last load brought besides the rows (units, grids, orgs …); empty before the first load."""
        return self.loaded_value(name, [])
