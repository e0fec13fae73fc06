"""The kit's 导出Excel: what a record list shows now (filter and search applied, every row, sorted as
shown) with its column titles, to one sheet. The page names its list (`export_kind`) and nothing more: the
service decides whether the list names people and who may export it, and writes, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLineEdit, QToolBar

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common, forms
from desktop_app.services import privacy, table_export

TEXT = "导出Excel"  # the ledger's wording and icon
ICON = "excel"
REFUSED = "本账户不能导出含个人信息的列表（需要“导出含完整个人信息的文件”权限）"
REFUSED_LIST = "本账户不能导出这个列表"


class _LastToGo(QObject):
    """导出Excel gives up its text first: where the toolbar's texts fit only without it (三单 on a 1024 screen),
    it shows its icon alone (its tooltip names it) rather than every action losing its words. It acts before
    the toolbar's own fitting (installed after it, so Qt asks it first) when narrowing, after it when widening."""

    def __init__(self, tb: QToolBar, act: QAction):
        super().__init__(tb)
        self.tb, self.button = tb, tb.widgetForAction(act)
        self.extra: int | None = None  # what its text adds to the toolbar's width
        tb.installEventFilter(self)

    def _texts(self, widget: QObject) -> bool:
        return widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            if self._texts(self.tb) and self._texts(self.button) and self.tb.width() < self.tb.sizeHint().width():
                self._icon_only(True)
            QTimer.singleShot(0, self.fit)
        return False

    def _icon_only(self, icon: bool) -> None:
        if self.extra is None:
            wide = self.button.sizeHint().width()
            self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            self.extra = max(wide - self.button.sizeHint().width(), 0)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if icon
                                       else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tb.layout().invalidate()  # the toolbar's own fitting measures it next, in this same resize

    def fit(self) -> None:
        if not self._texts(self.tb):
            return  # the toolbar set every button to its icon alone
        if self._texts(self.button):
            if self.tb.width() < self.tb.sizeHint().width():
                self._icon_only(True)
        elif self.extra is not None and self.tb.width() >= self.tb.sizeHint().width() + self.extra:
            self._icon_only(False)


def last_to_go(tb: QToolBar, act: QAction) -> None:
    """Let `act` be the first of `tb`'s buttons to drop its text when the toolbar narrows."""
    _LastToGo(tb, act)


def filter_words(page: Any) -> list[str]:
    """The filter row in words: each combo moved off its first entry (「2026年」「已认领」), the search typed."""
    words = []
    community = getattr(page, "community", None)
    if community is not None and community.isVisibleTo(page) and community.currentIndex() > 0:
        words.append(community.currentText())
    for box in page.filter_boxes.values():
        if isinstance(box, QLineEdit) and box.text().strip():
            words.append(f"搜索“{box.text().strip()}”")
        elif isinstance(box, QComboBox) and box.currentIndex() > 0:
            words.append(box.currentText())
    return words


def list_name(page: Any) -> str:
    """The page's heading, with the tab in view where it shows several lists (三单·需求清单)."""
    name = page.heading or page.title
    if page.tabs is not None:
        name = f"{name}·{page.tabs.tabText(page.tabs.currentIndex())}"
    return name


def list_title(page: Any) -> str:
    """「微心愿（2026年，已认领）」: the list's name and the filter in words."""
    name = list_name(page)
    words = filter_words(page)
    return f"{name}（{'，'.join(words)}）" if words else name


def shown(page: Any) -> tuple[list[str], list[list[str]]]:
    """The column titles and every row's cell texts of the table in view, in the order the table shows them."""
    model = page.panel.model
    columns = model.columns
    # a header set on two lines to fit the screen (会议\n按期) is one name in the sheet
    return [c.title.replace("\n", "") for c in columns], [[c.text(r) or "" for c in columns] for r in model.rows]


def allowed(page: Any) -> bool:
    return table_export.may_export(page.ctx.db, page.export_kind)


def refused(page: Any) -> str:
    """Why this account may not export the page's list: the personal-data right, or the list itself."""
    personal = page.export_kind in table_export.LISTS and table_export.is_personal(page.export_kind)
    return REFUSED if personal else REFUSED_LIST


def export(page: Any) -> None:
    """Ask where (「微心愿_2026-12-06.xlsx」), confirm personal data, then write off the GUI thread."""
    if not allowed(page):
        common.inform(page, TEXT, refused(page) + "。")
        return
    headers, rows = shown(page)
    export_table(page, table_export.ListTable(page.export_kind, list_title(page), headers, rows),
                 f"{list_name(page)}_{page.today:%Y-%m-%d}.xlsx", page.show_message)


def export_table(page: Any, table: table_export.ListTable, file_name: str, say: Callable[[str], None]) -> None:
    """Ask where (`file_name` offered: 「微心愿_2026-12-06.xlsx」), confirm personal data, then write `table` off the GUI thread;
    `say` gets the line for the page's status. A page that is no record list (民主评议) exports through here too."""
    path = forms.ask_save_path(page, TEXT, file_name)
    if path is None:
        return
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    if table_export.is_personal(table.kind) and not common.ask(page, "导出含个人信息的文件",
                                                              privacy.LIST_EXPORT_WARNING):
        return
    db = page.ctx.db
    now = datetime.now()

    def done(n: int) -> None:
        say(f"已导出 {n} 条到 {path}")
        forms.offer_open(page, path, f"已导出“{table.title}”{n} 条到\n{path}")

    run_op(page, lambda job: table_export.export_list(db, table, path, now), done, label="正在导出…")
