"""Form fields every dialog uses: dates typed or picked, money in yuan read as fen, combos over (label, value).

Kept in one place so a date, an amount or a choice looks and reads the same in every form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from desktop_app.domain.money import format_yuan, parse_yuan

NO_DATE = date(1900, 1, 1)  # QDateEdit's minimum shows as "未填"
DATE_SEPARATORS = "-/.。－／．"  # typed between year, month and day (full-width ones from a Chinese input method)


class DateEdit(QDateEdit):
    """A date typed as 2024-06-03 or picked from a calendar; optional ones show 未填 at their minimum."""

    def __init__(self, value: date | None = None, optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.optional = optional
        self._moved_on = False  # the last digit typed filled its section and Qt moved on to the next
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(QDate(NO_DATE.year, NO_DATE.month, NO_DATE.day))
        if optional:
            self.setSpecialValueText("未填")
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        if value is None:
            value = NO_DATE if self.optional else date.today()
        self.setDate(QDate(value.year, value.month, value.day))

    def value(self) -> date | None:
        d = self.date()
        got = date(d.year(), d.month(), d.day())
        return None if self.optional and got == NO_DATE else got

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Tab leaves a date as any field. Qt's date edit steps Tab through year, month and day first, so a
        # worker tabbing on typed the next field's text over the month; at 未填 it swallowed Tab altogether,
        # catching her in the first empty date. Typing the digits still moves on from year to month to day.
        if tab_leaves(self, event):
            return
        text = event.text()
        if text and text in DATE_SEPARATORS:
            # 2026-12-15 as typed in Excel: Qt moved on by itself after 2026 and again at the dash, putting 12 in
            # the day. A separator now closes the section being typed, unless its digits already moved on.
            if not self._moved_on and self.value() is not None:
                index = self.currentSectionIndex()
                if index + 1 < self.sectionCount():
                    self.setCurrentSectionIndex(index + 1)
                    self.setSelectedSection(self.sectionAt(index + 1))
            self._moved_on = False
            return
        if self.optional and self.value() is None and text.isdigit():
            # At 未填 Qt took the digits as text after the special value and the date stayed empty: start
            # from today with the year selected, so the digits typed replace it and move on to month and day.
            today = date.today()
            self.setDate(QDate(today.year, today.month, today.day))
            self.setSelectedSection(QDateEdit.Section.YearSection)
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._moved_on = text.isdigit() and self.currentSectionIndex() != before


class TimeEdit(QTimeEdit):
    """A time of day typed as 09:30; Tab leaves it as a date (the hour and minute are typed on, not tabbed)."""

    def __init__(self, value: QTime | None = None, parent: QWidget | None = None):
        super().__init__(QTime(0, 0) if value is None else value, parent)
        self.setDisplayFormat("HH:mm")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not tab_leaves(self, event):  # Qt steps Tab from the hour to the minute: the next field landed there
            super().keyPressEvent(event)


def tab_leaves(edit: QAbstractSpinBox, event: QKeyEvent) -> bool:
    """Move on from a date or time field on Tab (back on Shift+Tab), past its sections; True when it did."""
    key, mods = event.key(), event.modifiers()
    if (key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            or mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
        return False
    forward = key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier
    QWidget.focusNextPrevChild(edit, forward)  # the widget's, not the spin box's section stepping
    event.accept()
    return True


def year_spin(year: int, on_change: Callable[[], Any] | None = None, suffix: str = " 年") -> QSpinBox:
    """The year picker of a page or form (2000–2100); `on_change()` runs when another year is chosen."""
    box = QSpinBox()
    box.setRange(2000, 2100)
    box.setValue(year)
    box.setSuffix(suffix)
    if on_change is not None:
        box.valueChanged.connect(lambda _v: on_change())
    return box


def text_area(lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def combo(items: Sequence[tuple[str, Any]], current: Any = None) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    select(box, current)
    return box


def select(box: QComboBox, value: Any) -> None:
    i = box.findData(value)
    if i >= 0:
        box.setCurrentIndex(i)


def named_combo(things: Sequence[Any], current: Any = None, none_label: str = "（不指定）") -> QComboBox:
    """A choice among records with `name` and `id` (grids, accounts …), led by a 'none' entry."""
    return combo([(none_label, None)] + [(t.name, t.id) for t in things], current)


def grid_combo(grids: Sequence[Any], current: str | None = None, none_label: str = "（不指定网格）") -> QComboBox:
    return named_combo(grids, current, none_label)


def list_combo(names: Sequence[str], current: str = "") -> QComboBox:
    """A fixed list, plus the record's own value when the list no longer has it."""
    items = list(names)
    if current and current not in items:
        items.append(current)
    return combo([(n, n) for n in items], current or None)


def yuan_field(fen: int = 0) -> QLineEdit:
    edit = QLineEdit(format_yuan(fen, grouping=False) if fen else "")
    edit.setPlaceholderText("元，如 1200 或 35.5")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def fen_of(edit: QLineEdit, field: str) -> int:
    text = edit.text().strip()
    return parse_yuan(text, field) if text else 0


PDF = "PDF 文件 (*.pdf)"
XLSX = "Excel 工作簿 (*.xlsx)"
CSV = "CSV 文件，Excel/WPS 可直接打开 (*.csv)"


def sheets_to_import(label: str = "表格") -> str:
    """The open-file filters of every import: what exchange.sheets.read_records reads, old .xls
    (Excel 97-2003) and .ods (WPS, LibreOffice) too, all together first, then each kind."""
    return (f"{label} (*.xlsx *.xls *.ods *.csv);;Excel 工作簿 (*.xlsx);;Excel 97-2003 工作簿 (*.xls);;"
            "OpenDocument 表格 (*.ods);;CSV 文件 (*.csv)")


PRINTS_FOLDER = "打印文件"


def prints_dir() -> Path:
    """Where prints and exports go by default: the folder chosen in 设置, else 打印文件 under Documents.

    Never the program's data folder: workers do not look there, and it holds the database.
    """
    from PySide6.QtCore import QStandardPaths

    from desktop_app.settings import Settings

    chosen = Settings.load().print_folder
    if chosen:
        path = Path(chosen)
    else:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = Path(docs or Path.home()) / PRINTS_FOLDER
    if _inside_data_dir(path):
        path = Path.home() / PRINTS_FOLDER
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return path


def _inside_data_dir(path: Path) -> bool:
    from desktop_app.settings import data_dir

    try:
        return path.resolve().is_relative_to(data_dir().resolve())
    except OSError:
        return False


def ask_save_path(parent: QWidget | None, title: str, default_name: str, filters: str | None = None,
                  folder: Path | None = None) -> Path | None:
    """The one place every PDF and spreadsheet is saved from: opens on prints_dir() (or `folder`, a USB
    stick for sync's key files), refuses the data folder.

    `filters` defaults to the kind of `default_name`; a name typed without an extension gets the
    one of the filter chosen (tests replace QFileDialog.getSaveFileName or this function).
    """
    from desktop_app.gui.widgets import common

    suffix = Path(default_name).suffix.lower() or ".pdf"
    if filters is None:
        filters = {".xlsx": XLSX, ".csv": CSV}.get(suffix, PDF)
    path, chosen = QFileDialog.getSaveFileName(parent, title, str((folder or prints_dir()) / default_name), filters)
    if not path:
        return None
    p = Path(path)
    if not p.suffix:
        p = p.with_suffix(".csv" if "csv" in (chosen or "").lower() else suffix)
    elif suffix == ".pdf" and p.suffix.lower() != ".pdf":
        p = p.with_suffix(".pdf")
    if _inside_data_dir(p):
        common.inform(parent, "不能保存到这里",
                      f"{p.parent} 是程序的数据文件夹（存放数据库和备份），打印和导出的文件不能放在这里。\n"
                      f"请另选文件夹，例如 {prints_dir()}。")
        return None
    return p


def documents_dir() -> Path:
    """Where every open-file dialog starts: Documents (the home folder if Documents is the data folder).

    Never the data folder: a file dialog there opens and closes the database and its
    -wal/-shm files to sniff them, which on Linux drops the program's locks on them.
    """
    from PySide6.QtCore import QStandardPaths

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(docs) if docs else Path.home()
    return Path.home() if _inside_data_dir(path) else path


def _in_data_dir(parent: QWidget | None, paths: Sequence[Path]) -> bool:
    """True (after saying why) when a picked file lies in the data folder: the database, its backups and
    stored attachments live there, and nothing is imported or attached from it."""
    from desktop_app.gui.widgets import common

    inside = [p for p in paths if _inside_data_dir(p)]
    if inside:
        common.inform(parent, "不能选这里的文件",
                      f"{inside[0].parent} 是程序的数据文件夹（存放数据库、备份和已添加的附件），"
                      f"不能从这里导入或添加文件。\n请另选文件夹，例如 {documents_dir()}。")
    return bool(inside)


def ask_open_paths(parent: QWidget | None, title: str, filters: str = "所有文件 (*)",
                   folder: Path | None = None) -> list[Path]:
    """The one place files are picked to import or attach: opens on documents_dir() (or `folder`),
    refuses files inside the data folder. Tests replace QFileDialog.getOpenFileNames or this function."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(folder or documents_dir()), filters)
    paths = [Path(n) for n in names]
    return [] if _in_data_dir(parent, paths) else paths


def ask_open_path(parent: QWidget | None, title: str, filters: str = "所有文件 (*)",
                  folder: Path | None = None) -> Path | None:
    """One file, as ask_open_paths (tests replace QFileDialog.getOpenFileName or this function)."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder or documents_dir()), filters)
    if not name or _in_data_dir(parent, [Path(name)]):
        return None
    return Path(name)


def save_file(page: Any, title: str, default_name: str, make: Callable[[Path, Any], Any],
              said: Callable[[Path, Any], str], label: str = "正在生成…") -> None:
    """A print or an export from a page: ask where (ask_save_path), make the file off the GUI thread with a
    progress dialog (`make(path, job)`), then say `said(path, result)` in the box that offers to open it
    and, on one line, on the page."""
    from desktop_app.gui.ops import run_op  # the worker pool: not needed until something is saved

    path = ask_save_path(page, title, default_name)
    if path is None:
        return

    def done(result: Any) -> None:
        text = said(path, result)
        page.show_message(text.replace("\n", " "))
        offer_open(page, path, text)

    run_op(page, lambda job: make(path, job), done, label=label)


def offer_open(parent: QWidget | None, path: Path, text: str | None = None) -> Any:
    """After a file is saved: say where, and offer 打开, 打开所在文件夹 and, for a PDF, 打印… (without blocking the page)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("文件已保存")
    box.setText(text or f"已保存到\n{path}")
    open_file = box.addButton("打开", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    # A PDF may go straight to paper: Qt's print dialog, from the same box.
    print_it = box.addButton("打印…", QMessageBox.ButtonRole.ActionRole) if path.suffix.lower() == ".pdf" else None
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_file)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button) -> None:
        if button is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif button is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        elif print_it is not None and button is print_it:
            from desktop_app.gui.widgets import print_pdf

            print_pdf.ask_and_print(parent, path)

    box.buttonClicked.connect(clicked)
    box.setObjectName("savedFileBox")
    box.open()
    return box


def ask_month(parent: QWidget | None, title: str, today: date | None = None) -> tuple[int, int] | None:
    """Which month: the last twelve, the current one first (tests replace this)."""
    from PySide6.QtWidgets import QInputDialog

    today = today or date.today()
    months = []
    y, m = today.year, today.month
    for _ in range(12):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    labels = [f"{y}年{m}月" for y, m in months]
    choice, ok = QInputDialog.getItem(parent, title, "月份", labels, 0, False)
    return months[labels.index(choice)] if ok and choice in labels else None
