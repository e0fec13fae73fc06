"""The declarative record-list page: a page says what it lists, one base class does the rest.

A page declares
    heading, watches        what it is called and which changes make it stale
    tables                  one `Table` (columns, row colour, widths), or several shown as tabs
    filters                 a `Search` box and `Choice` combos, read into `f` for the loader
    actions                 toolbar `Act`s: icon, text, the page method, shortcut, when enabled
    load(db, f)             the service calls, run off the GUI thread; returns rows or `Loaded`
    fetch_detail(db, row)   (optional) the full record for the details pane, off the GUI thread
                            (or `detail_of`, the service's get(db, id) that fetch_detail calls)
    removal                 (optional) what the shared 删除 action (DELETE) asks and deletes
    exports, export_kind    导出Excel (every page has it unless `exports = False`); which list it is, by its
                            name in services/table_export.LISTS, which says who may export it (list_export.py)
    detail_html(detail)     what the details pane shows
    footer()                (optional) widgets below the list, above the status line (a legend, a settings box)
and the base builds the toolbar, the filter row, the table and details pane,
debounces the search, loads in the background (a late answer to an older query
is dropped), keeps the selection across reloads and reloads when a change it
watches is announced. Writes go through `write` / `run_dialog`, which declare
their changes, so every page showing them refreshes. (Django admin's
`list_display` / `list_filter` in Qt.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common, forms, list_export
from desktop_app.gui.widgets.bars import (
    DELETE_KEYS, NEW_KEYS, community_box, debounced, heading, keys_text, refill, refill_communities, search_box,
    toolbar,
)
from desktop_app.gui.widgets.dialog import DateNoteDialog
from desktop_app.gui.widgets.list_panel import ListPanel
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import ALERT, Column
from desktop_app.views.changes import Changes


@dataclass(frozen=True)
class Search:
    """The search-as-you-type box; its text is `f.<key>`."""

    placeholder: str
    key: str = "text"
    stretch: int = 2
    field: str = ""  # the attribute of the page's `filter_type` it fills (default: key)


@dataclass(frozen=True)
class Choice:
    """A filter combo; its current value is `f.<key>`.

    `items` are (label, value) pairs, or a function of the page returning them;
    with `all_label` the combo leads with that entry (value None) and the page may
    refill the rest after each load (`fill_choice`). `fill` names a list of words the
    load returns (`Loaded(rows, categories=…)`) that refills it after each load.
    `field` is the attribute of the page's `filter_type` it fills (default: key).
    """

    key: str
    items: Sequence[tuple[str, Any]] | Callable[[Any], Sequence[tuple[str, Any]]] = ()
    all_label: str | None = None
    field: str = ""
    fill: str = ""


def recent_years(label: str = "年", count: int = 5) -> Callable[[Any], list[tuple[str, int]]]:
    """Choice items for a year filter: this year and the `count - 1` before it, labelled `2026{label}`."""
    return lambda page: [(f"{y}{label}", y) for y in range(page.today.year, page.today.year - count, -1)]


@dataclass(frozen=True)
class Act:
    """A toolbar action calling the page method `slot`.

    `when(detail)` says whether it is enabled for the selected record's detail
    (None when nothing is selected); a string names a page method doing that.
    Without `when` the action is always enabled. The page gets `act_<name>`.
    `writes`: True when it changes what the page writes (its `writes` permission in gui/pages.py), or the
    permissions it needs instead (space-separated, all of them): an account without them is not shown it.
    新增 (Ctrl+N) and 删除 (Del) are writes whatever they say.
    A disabled action says why in its tooltip: `why(detail)` (or a fixed text; a
    string naming a page method works too), else "请先在列表中选中一条记录"
    when nothing is selected and "所选记录不能…" otherwise.
    """

    icon: str
    text: str
    slot: str
    shortcut: str | None = None
    when: Callable[[Any], bool] | str | None = None
    name: str | None = None
    why: Callable[[Any], str] | str | None = None
    writes: bool | str = False


SEPARATOR = None


NOTHING_CHOSEN = "请先在列表中选中一条记录"


def why_chosen(reason: Callable[[Any], str]) -> Callable[[Any], str]:
    """`why` of an action the chosen record's state allows: `reason(detail)` names the state and what to
    do first (the generic "现在不能“已实现”" read like the state itself); nothing chosen says so."""
    return lambda detail: NOTHING_CHOSEN if detail is None else reason(detail)


def selected(detail: Any) -> bool:
    """`when` for actions that need a selected record."""
    return detail is not None


def state_html(state: str, overdue: bool = False) -> str:
    """A record's state in its details pane: bold, and in the table's alert colour with 已逾期 once past due."""
    if overdue:
        return f"<b style='color:{ALERT.name()}'>{escape(state)}（已逾期）</b>"
    return f"<b>{escape(state)}</b>"


def bullets(label: str, items: Sequence[str]) -> str:
    """A labelled list in a details pane (text items, escaped here); nothing when there is nothing to list."""
    if not items:
        return ""
    return f"<p>{escape(label)}：</p><ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


@dataclass(frozen=True)
class Removal:
    """What 删除 asks and runs for the selected record: a page's `removal`, read by `delete_selected`."""

    title: str
    question: Callable[[Any], str]  # of the selected detail
    delete: Callable[[Any, Any], Any]  # the service's delete(db, record_id), run off the GUI thread
    message: str = "已删除。"
    when: Callable[[Any], bool] = selected
    record_id: Callable[[Any], Any] = lambda d: d.id


# with the page's `removal`; the Delete key too, as on 党员名册 and 三会一课 (it asks first)
DELETE = Act("delete", "删除", "delete_selected", DELETE_KEYS, when=selected, name="delete", writes=True)


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    color: Callable[[Any], QColor | None] | None = None
    stretch: int | None = None
    details_width: int = 300
    label: str = ""  # the tab's label when a page shows several tables
    empty: str = ""  # the details pane when nothing is selected
    # the titles of the columns hidden, first first, while the table is narrower than its columns (a 1024 screen
    # with the details open): what is read less, so the name and the state stay in view without scrolling sideways
    give_way: Sequence[str] = ()


class Loaded:
    """What a load returns: the rows of each table, and anything else the page shows (`Loaded(rows, grids=…)`)."""

    def __init__(self, *tables: Sequence[Any], **info: Any):
        self.tables = [list(t) for t in tables]
        self.__dict__.update(info)

    @property
    def rows(self) -> list[Any]:
        return self.tables[0]


class RecordListPage(Page):
    heading = ""  # the heading above the list, when it is not the page's title
    tables: Sequence[Table] = ()
    filters: Sequence[Search | Choice] = ()
    actions: Sequence[Act | None] = ()
    activate: str | None = None  # the page method a double-click runs
    filter_type: type | None = None  # the service's filter: current_filter() fills it from the filter row
    writes: Changes = frozenset()  # what this page's writes change unless they say otherwise
    # how the details pane shows a record: `details = staticmethod(details_html)` (or override detail_html)
    details: Callable[[Any], str] | None = None
    # the full record of a row, off the GUI thread: `detail_of = staticmethod(svc.get_x)` runs get_x(db, row.id)
    detail_of: Callable[[Any, Any], Any] | None = None
    removal: Removal | None = None  # what 删除 (the DELETE action) asks and runs
    exports = True  # 导出Excel at the end of the toolbar: what the list shows, to one sheet
    export_kind: str | None = None  # the list's name in table_export.LISTS: the service's rule, not the page's

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self.detail: Any = None
        self.loaded: Loaded | None = None
        self._keep: Any = None
        self._generation = 0
        self._acts: list[tuple[Act, Any]] = []
        self._may_export: bool | None = None
        self.filter_boxes: dict[str, QLineEdit | QComboBox] = {}
        self.search: QLineEdit | None = None
        self.search_debounce = debounced(self, self.refresh)
        self._build()
        self._update_actions()

    @property
    def today(self) -> date:
        return self._today or date.today()

    # --- what a page declares ------------------------------------------------
    def load(self, db, f: SimpleNamespace) -> Loaded | Sequence[Any]:
        """Runs off the GUI thread: service calls only, no widgets."""
        raise NotImplementedError

    def fetch_detail(self, db, row: Any) -> Any:
        """Runs off the GUI thread: the page's `detail_of(db, row.id)` when it declares one, else the row itself."""
        return self.detail_of(db, row.id) if self.detail_of is not None else row

    def detail_html(self, detail: Any) -> str:
        return self.details(detail) if self.details is not None else ""

    def on_loaded(self, loaded: Loaded) -> None:
        """After a load, before the rows are shown: counts, filter lists."""

    def footer(self) -> Sequence[QWidget]:
        """Widgets below the list, top to bottom; built once, while the base builds the page (before the
        page's own __init__ goes on), so what they need of the page they set up here."""
        return ()

    def current_filter(self, f: SimpleNamespace | None = None) -> Any:
        """The page's `filter_type` filled from the filter row (`f`, or what it shows now), one field per filter."""
        f = f or self.filter_values()
        return self.filter_type(**{spec.field or spec.key: getattr(f, spec.key) for spec in self.filters})

    # --- building -------------------------------------------------------------
    def _build(self) -> None:
        # The figures take the width the heading leaves and wrap into it where it is short: on one line,
        # long ones (a scheme's name, many stages) held the window wider than a 1366 screen at 150% leaves.
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(heading(self.heading or self.title))
        top.addWidget(self.counts, 1)

        self.toolbar, action = toolbar(self)
        for spec in self.actions:
            if spec is None:
                self.toolbar.addSeparator()
                continue
            act = action(spec.icon, spec.text, getattr(self, spec.slot), spec.shortcut,
                         writes=spec.writes or spec.shortcut in (NEW_KEYS, DELETE_KEYS))
            setattr(self, f"act_{spec.name or spec.slot}", act)
            self._acts.append((spec, act))
        if self.exports:
            if self.actions:
                self.toolbar.addSeparator()
            spec = Act(list_export.ICON, list_export.TEXT, "export_list", when="exportable", why="why_not_export")
            self.act_export = action(spec.icon, spec.text, self.export_list)
            list_export.last_to_go(self.toolbar, self.act_export)
            self._acts.append((spec, self.act_export))

        row = QHBoxLayout()
        for spec in self.filters:
            if isinstance(spec, Search):
                edit = search_box(spec.placeholder)
                edit.textChanged.connect(self.search_debounce)
                row.addWidget(edit, spec.stretch)
                self.filter_boxes[spec.key] = self.search = edit
            else:
                if spec.key == "grid":
                    row.addWidget(self._community_box())
                items = spec.items(self) if callable(spec.items) else spec.items
                lead = [(spec.all_label, None)] if spec.all_label is not None else []
                box = forms.combo(lead + list(items))
                box.currentIndexChanged.connect(lambda _i: self.refresh())
                row.addWidget(box)
                self.filter_boxes[spec.key] = box

        self.panels: list[ListPanel] = []
        for table in self.tables:
            panel = ListPanel(table.columns, table.color, table.stretch, table.details_width, give_way=table.give_way)
            panel.current_changed.connect(partial(self._current, panel))
            panel.activated.connect(lambda _row: self._activate())
            self.panels.append(panel)
        self.tabs: QTabWidget | None = None
        if len(self.panels) > 1:
            self.tabs = QTabWidget()
            for table, panel in zip(self.tables, self.panels):
                self.tabs.addTab(panel, table.label)
            self.tabs.currentChanged.connect(lambda _i: self._current(self.panel, self.panel.selected()))
        self.message = QLabel()
        self.message.setObjectName("statusMessage")

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.toolbar)
        if self.filters:
            lay.addLayout(row)
        lay.addWidget(self.tabs or self.panels[0], 1)
        for widget in self.footer():
            lay.addWidget(widget)
        lay.addWidget(self.message)

    @property
    def panel(self) -> ListPanel:
        """The table in view (the current tab)."""
        return self.tabs.currentWidget() if self.tabs is not None else self.panels[0]

    def table_of(self, panel: ListPanel) -> Table:
        return self.tables[self.panels.index(panel)]

    def choice(self, key: str) -> QComboBox:
        return self.filter_boxes[key]  # type: ignore[return-value]

    def fill_choice(self, key: str, items: Sequence[tuple[str, Any]]) -> None:
        spec = next(s for s in self.filters if isinstance(s, Choice) and s.key == key)
        refill(self.choice(key), spec.all_label, items)

    def loaded_value(self, name: str, default: Any) -> Any:
        """What the last load returned besides the rows (`Loaded(rows, kinds=…)`), or `default` before one."""
        return getattr(self.loaded, name, default) if self.loaded is not None else default

    @property
    def loaded_year(self) -> int:
        """The year the last load was for (`Loaded(rows, year=…)`): this year before the first load."""
        return self.loaded_value("year", self.today.year)

    @property
    def grids(self) -> list[Any]:
        """The grids the last load listed (`Loaded(rows, grids=…)`), for the page's forms."""
        return self.loaded_value("grids", [])

    def filter_values(self) -> SimpleNamespace:
        return SimpleNamespace(**{
            key: w.text() if isinstance(w, QLineEdit) else w.currentData() for key, w in self.filter_boxes.items()
        })

    # --- loading --------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self.search_debounce.timer.stop()
        self._generation += 1
        generation, db, f, load = self._generation, self.ctx.db, self.filter_values(), self.load
        run_op(self, lambda job: load(db, f), partial(self._loaded, generation))

    def _loaded(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return  # an answer to an older query: a newer one is on its way
        loaded = result if isinstance(result, Loaded) else Loaded(result)
        self.loaded = loaded
        keep, self._keep = self._keep, None
        if "grid" in self.filter_boxes and hasattr(loaded, "grids"):  # a grid filter lists the grids loaded
            self._by_community(loaded)
        for spec in self.filters:
            if isinstance(spec, Choice) and spec.fill and hasattr(loaded, spec.fill):
                self.fill_choice(spec.key, [(w, w) for w in getattr(loaded, spec.fill)])
        self.on_loaded(loaded)
        for panel, rows in zip(self.panels, loaded.tables):
            panel.set_rows(rows, keep if keep is not None else panel.selected_id())
        self._update_actions()

    def _community_box(self) -> QComboBox:
        """At a street the grids of several communities are listed: this picks one (hidden otherwise)."""
        self.community = community_box(self._community_changed, "只列出这个社区的网格和记录")
        self.community.hide()
        return self.community

    def _community_changed(self) -> None:
        grid = self.choice("grid")
        grid.blockSignals(True)
        grid.setCurrentIndex(0)  # a grid of another community would list nothing
        grid.blockSignals(False)
        self.refresh()

    def _by_community(self, loaded: Loaded) -> None:
        """Fill the community and grid choices; with a community chosen keep only its grids' rows."""
        grids = list(loaded.grids)
        communities = dict.fromkeys((g.community, g.community_id) for g in grids if getattr(g, "community_id", None))
        refill_communities(self.community, list(communities))
        self.community.setVisible(len(communities) > 1)
        chosen = self.community.currentData()
        if chosen is not None:
            grids = [g for g in grids if g.community_id == chosen]
            ids, names = {g.id for g in grids}, {g.name for g in grids}
            loaded.tables = [[r for r in rows if not hasattr(r, "grid_name")
                              or getattr(r, "grid_id", None) in ids or r.grid_name in names]
                             for rows in loaded.tables]
        self.fill_choice("grid", [(g.name, g.id) for g in grids])

    def keep(self, row_id: Any) -> None:
        """Select this record after the next load (a record just added)."""
        self._keep = row_id

    def _fetches(self) -> bool:
        return self.detail_of is not None or type(self).fetch_detail is not RecordListPage.fetch_detail

    def _current(self, panel: ListPanel, row: Any) -> None:
        if panel is self.panel:
            self.detail = None
            self._update_actions()
        if row is None:
            panel.details.setText(self.empty_text(panel))
            return
        if not self._fetches():
            panel.details.setText(self.detail_html(row))
            if panel is self.panel:
                self.detail = row
                self._update_actions()
            return
        if panel is not self.panel:
            return
        db, fetch, row_id = self.ctx.db, self.fetch_detail, getattr(row, "id", None)
        run_op(self, lambda job: fetch(db, row), lambda detail: self._show_detail(panel, row_id, detail))

    def narrowed(self) -> bool:
        """Whether the filter row leaves rows out: a search typed, or a combo off its first entry."""
        return any(w.text().strip() if isinstance(w, QLineEdit) else w.currentIndex() > 0
                   for w in self.filter_boxes.values())

    def empty_text(self, panel: ListPanel) -> str:
        """The details pane with nothing selected: the table's hint (how to add one); over an empty list
        that the search or filters emptied, first that nothing matched, so no one adds a record twice."""
        empty = self.offered(self.table_of(panel).empty)
        if panel.model.rowCount() or not self.narrowed():
            return empty
        found = "<p><b>没有符合搜索和筛选条件的记录。</b><br>清空搜索框或把筛选改回“全部”后再看。</p>"
        return found + (f"<p>{empty}</p>" if empty else "")

    def _show_detail(self, panel: ListPanel, row_id: Any, detail: Any) -> None:
        if panel is not self.panel or panel.selected_id() != row_id:
            return  # the selection moved on while this was fetched
        self.detail = detail
        panel.details.setText(self.detail_html(detail))
        self._update_actions()

    def _update_actions(self) -> None:
        for spec, act in self._acts:
            if spec.when is not None:
                when = getattr(self, spec.when) if isinstance(spec.when, str) else spec.when
                enabled = bool(when(self.detail))
                act.setEnabled(enabled)
                act.setToolTip(self._tooltip(spec, enabled))

    def _tooltip(self, spec: Act, enabled: bool) -> str:
        """What the action does, or, when it is disabled, why."""
        keys = f"（{keys_text(spec.shortcut)}）" if spec.shortcut else ""
        if enabled:
            return spec.text + keys
        why = spec.why
        if isinstance(why, str) and hasattr(self, why) and callable(getattr(self, why)):
            why = getattr(self, why)
        if callable(why):
            reason = why(self.detail)
        elif why:
            reason = why
        elif self.detail is None:
            reason = NOTHING_CHOSEN
        else:
            reason = f"所选记录现在不能“{spec.text.rstrip('…')}”"
        return f"{spec.text}：{reason}" if reason else spec.text

    def _activate(self) -> None:
        if not self.activate:
            return
        act = next((act for spec, act in self._acts if spec.slot == self.activate), None)
        if act is not None and not act.isVisible():  # hidden from an account that may not write it (main_window)
            self.show_message(f"{act.text()}：当前账户只能查看，不能{act.text()}")
            return
        if act is not None and not act.isEnabled():
            # a double-click on a fulfilled wish or a closed case did nothing at all: say why instead
            self.show_message(act.toolTip())
            return
        getattr(self, self.activate)()

    def set_counts(self, text: str, alert: str = "") -> None:
        """The figures beside the heading; `alert` (逾期 …) follows them in red."""
        self.counts.setText(text + (f"　<span style='color:#c8161e'>{alert}</span>" if alert else ""))

    # --- 导出Excel ------------------------------------------------------------
    def _export_allowed(self) -> bool:
        if self._may_export is None:  # the account does not change while the page lives
            self._may_export = list_export.allowed(self)
        return self._may_export

    def exportable(self, _detail: Any = None) -> bool:
        return bool(self.panel.model.rows) and self._export_allowed()

    def why_not_export(self, _detail: Any = None) -> str:
        return "列表中没有记录" if not self.panel.model.rows else list_export.refused(self)

    def export_list(self) -> None:
        """导出Excel: the list as shown, filter and search applied, to a sheet (list_export.export)."""
        list_export.export(self)

    # --- writing --------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def ask_date_note(self, title: str, summary: str, date_label: str, note_label: str | None,
                      save: Callable[[date | None, str], Any], message: str | Callable[[Any], str],
                      ok_text: str = "确定", placeholder: str = "可不填", on: date | None = None,
                      keep: Any = None) -> Any:
        """Ask a date (from `on`, else today) and a note about the selected record (`note_label` None: the date
        alone, where the service keeps no note); `save(on, note)` runs off the GUI thread and announces the
        page's writes."""
        return self.run_dialog(DateNoteDialog(self, title, summary, date_label, note_label, save, ok_text, placeholder,
                                              on or self.today, changes=self.writes), message, keep=keep)

    def delete_detail(self, title: str, question: Callable[[Any], str], delete: Callable[[Any, Any], Any],
                      message: str = "已删除。", *, when: Callable[[Any], bool] = selected,
                      record_id: Callable[[Any], Any] = lambda d: d.id) -> None:
        """When `when(detail)` holds, ask `question(detail)`; on yes run `delete(db, record_id(detail))` off the
        GUI thread and say `message`."""
        d = self.detail
        if not when(d) or not common.ask(self, title, question(d)):
            return
        db, rid = self.ctx.db, record_id(d)
        self.write(lambda: delete(db, rid), message)

    def delete_selected(self) -> None:
        """删除: ask the page's `removal` question about the selected record; on yes delete it."""
        r = self.removal
        self.delete_detail(r.title, r.question, r.delete, r.message, when=r.when, record_id=r.record_id)

    def run_dialog(self, dlg: QDialog, message: str | Callable[[Any], str] | None = None,
                   keep: Any = None) -> Any:
        """Open a saving dialog; after a save select the saved record (or `keep`) and say `message`."""
        dlg.record_saved.connect(lambda saved: self.keep(keep if keep is not None else getattr(saved, "id", None)))
        accepted = dlg.exec() == QDialog.DialogCode.Accepted
        saved = dlg.saved
        dlg.deleteLater()  # a closed dialog need not live as long as the page
        if accepted and saved is not None and message:
            self.show_message(message(saved) if callable(message) else message)
        return saved if accepted else None

    def write(self, fn: Callable[[], Any], message: str | Callable[[Any], str] = "",
              changes: Changes | None = None) -> None:
        """Run a write off the GUI thread; announce what it changed, then say `message`."""
        def done(result: Any) -> None:
            if message:
                self.show_message(message(result) if callable(message) else message)

        run_op(self, lambda job: fn(), done, changes=changes if changes is not None else self.writes)

    def print_pdf(self, title: str, default_name: str, render: Callable[[Path, Any], Any],
                  said: Callable[[Path, Any], str], label: str = "正在生成…") -> None:
        """Ask where, then render off the GUI thread with a progress dialog: `render(path, job)` (forms.save_file)."""
        forms.save_file(self, title, default_name, render, said, label)
