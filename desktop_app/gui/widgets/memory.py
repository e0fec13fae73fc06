"""What the window remembers between sessions: its size and place, and each table's column widths.

Kept with Qt's QSettings in an INI file in the data folder (never the registry), so a
portable copy takes it along and a reset is deleting one file. The main window calls
`restore_window`/`save_window`; `fit_columns` calls `remember_columns` for every
ColumnModel table, keyed by the table's columns (titles and declared widths), so every list
page keeps the widths a worker dragged without any page doing anything, and a release that
adds, renames or re-lays out a table's columns starts from its own widths, not the old ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from desktop_app.settings import data_dir

FILE_NAME = "window.ini"
_cache: dict[str, QSettings] = {}


def ui_settings() -> QSettings:
    """The INI file in the current data folder (tests move the folder, so it is looked up each time)."""
    path = str(data_dir() / FILE_NAME)
    found = _cache.get(path)
    if found is None:
        found = _cache[path] = QSettings(path, QSettings.Format.IniFormat)
    return found


def restore_window(window: QWidget, show: bool = False) -> None:
    """The size and place it had when last closed; maximised the first time. `show`: and show it now.

    Shown at once, a first start maximises through showMaximized(): windowState() and Qt.WindowState
    would make PySide build Python enums for all of Qt's namespace (10-40 ms) before the first paint.
    """
    geometry = ui_settings().value("window/geometry")
    restored = geometry is not None and window.restoreGeometry(geometry)
    if show and restored:
        window.show()
    elif show:
        window.showMaximized()
    elif not restored:
        from PySide6.QtCore import Qt

        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def save_window(window: QWidget) -> None:
    store = ui_settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.sync()


def table_key(titles: Sequence[str], widths: Sequence[int] = (), prefix: str = "columns/") -> str:
    """The settings key of one set of columns: other titles or declared widths are another table."""
    import hashlib  # not before the frame's first paint

    said = "|".join(titles) + ("#" + ",".join(str(w) for w in widths) if widths else "")
    return prefix + hashlib.sha1(said.encode("utf-8")).hexdigest()[:16]


def remember_columns(view: QTableView, titles: Sequence[str], stretch: int | None = None,
                     widths: Sequence[int] = ()) -> None:
    """Apply the widths saved for a table with these columns, and save them whenever the user drags one.

    `widths` (as declared) are part of the key: widths saved when a column was laid out otherwise
    would undo the new layout (问需服务 narrowed 对象 so 跟进 is read whole; old widths hid it again).
    """
    key = table_key(titles, widths)
    header = view.horizontalHeader()
    saved = ui_settings().value(key)
    if isinstance(saved, str):
        saved = saved.split(",")
    if isinstance(saved, list) and len(saved) == len(titles):
        for i, width in enumerate(saved):
            if i != stretch and str(width).isdigit() and int(width) > 10:
                view.setColumnWidth(i, int(width))

    def store(index: int, _old: int, _new: int) -> None:
        if (index == stretch or header.sectionResizeMode(index) != QHeaderView.ResizeMode.Interactive
                or view.property("fitting_columns")):
            return  # a stretching column follows the window, the kit hides one for room: only a dragged width counts
        ui_settings().setValue(key, ",".join(str(header.sectionSize(i)) for i in range(len(titles))))

    header.sectionResized.connect(store)
    view.setProperty("columns_remembered", True)


def remember_tables(root: QWidget, prefix: str) -> None:
    """The same for tables a page built without `fit_columns`: keyed by the page, the table's place in it
    and its header titles (a column renamed or added in that place starts from the page's own widths)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeView

    views = [v for v in root.findChildren(QTableView) + root.findChildren(QTreeView)
             if not v.property("columns_remembered")]
    for n, view in enumerate(views):
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        model = view.model()
        titles = [str(model.headerData(i, Qt.Orientation.Horizontal) or "") if model is not None else ""
                  for i in range(header.count())]
        key = table_key(titles, prefix=f"columns/{prefix}/{n}/")
        saved = ui_settings().value(key)
        if isinstance(saved, str):
            saved = saved.split(",")
        if isinstance(saved, list) and len(saved) == header.count():
            for i, width in enumerate(saved):
                if (str(width).isdigit() and int(width) > 10
                        and header.sectionResizeMode(i) == QHeaderView.ResizeMode.Interactive):
                    header.resizeSection(i, int(width))

        def store(index: int, _old: int, _new: int, header=header, key=key) -> None:
            if header.sectionResizeMode(index) == QHeaderView.ResizeMode.Interactive:
                ui_settings().setValue(key, ",".join(str(header.sectionSize(i)) for i in range(header.count())))

        header.sectionResized.connect(store)
        view.setProperty("columns_remembered", True)
