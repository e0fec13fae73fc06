"""A small register kept in a dialog (免于应到, a meeting's 议题, 共建单位 …): its rows in a table, 添加
through a saving form, 修改 through one where rows may change, 删除 of the selected row after asking;
every change is saved at once, so 关闭 only closes.

Each such dialog used to build the same table, buttons, reload and confirmed delete; a subclass now
says only what it lists (`columns`, `load`), which form adds a row (`form`), which one changes a row
(`edit_form`, optional) and how a row is removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import action_name, offered
from desktop_app.gui.widgets.layouts import column, fill
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import auth
from desktop_app.views.changes import Changes


class RegisterDialog(QDialog):
    columns: Sequence[Column] = ()
    stretch: int | None = None  # the column that takes the spare width
    writes: Changes = frozenset()  # what adding or removing a row changes
    add_text = "添加…"
    edit_text = "修改…"
    remove_text = "删除所选"
    empty = ""  # said under an empty list: what the register is for and how to add the first row
    # the permission its 添加, 修改 and 删除 save with: an account without it reads the rows, is not offered them,
    # and the empty list's hint says nothing of them (bars.offered); "" where only who may write opens the dialog
    needs = ""

    def __init__(self, parent: QWidget | None, db: Any, title: str, width: int, height: int):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(title)
        self.model = ColumnModel(self.columns, parent=self)
        self.table = table_view(self.model, stretch=self.stretch, multi=False)
        self.add_button = QPushButton(self.add_text)
        self.add_button.clicked.connect(self.add)
        buttons: list[QPushButton] = [self.add_button]
        if type(self).edit_form is not RegisterDialog.edit_form:  # rows that may change: 修改, or a double-click
            self.edit_button = QPushButton(self.edit_text)
            self.edit_button.clicked.connect(self.edit)
            self.table.doubleClicked.connect(lambda _i: self.edit())
            # Enter on a row opens it too; as a shortcut of the table, so the key does not go on to 添加
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                QShortcut(QKeySequence(key), self.table, self.edit, context=Qt.ShortcutContext.WidgetShortcut)
            buttons.append(self.edit_button)
        self.remove_button = QPushButton(self.remove_text)
        self.remove_button.clicked.connect(self.remove)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self.message = QLabel()
        column(self, (self.table, 1), self.message, fill(QHBoxLayout(), *buttons, self.remove_button, 1, close))
        self.hidden: frozenset[str] = frozenset()
        if self.needs and not auth.can(db, self.needs):
            for button in (*buttons, self.remove_button):
                button.hide()
            self.hidden = frozenset(action_name(b.text()) for b in (*buttons, self.remove_button))
            if hasattr(self, "edit_button"):  # its double-click and Enter open the same form
                self.table.doubleClicked.disconnect()
        self.resize(width, height)
        self.reload()

    # --- what a register says ---------------------------------------------------
    def load(self, db: Any) -> list[Any]:
        """Its rows (off the GUI thread)."""
        raise NotImplementedError

    def form(self) -> QDialog:
        """The saving dialog that adds a row."""
        raise NotImplementedError

    def edit_form(self, row: Any) -> QDialog:
        """The saving dialog that changes `row` (a register that has one shows 修改)."""
        raise NotImplementedError

    def added(self, saved: Any) -> str:
        """What to say after a row was added."""
        return ""

    def edited(self, saved: Any) -> str:
        """What to say after a row was changed."""
        return ""

    def removal(self, row: Any) -> tuple[str, str, Callable[[Any], Any]]:
        """(title, question, delete(db)) for removing `row`."""
        raise NotImplementedError

    # --- the rest -------------------------------------------------------------------
    def reload(self) -> None:
        db, load = self.db, self.load
        run_op(self, lambda job: load(db), self._loaded)

    def _loaded(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        if not rows and not self.message.text():
            self.message.setText(offered(self.empty, self.hidden))

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def add(self) -> None:
        if self.hidden:
            return
        self._save(self.form(), self.added)

    def edit(self) -> None:
        row = self.selected()
        if row is not None and not self.hidden:
            self._save(self.edit_form(row), self.edited)

    def _save(self, dlg: QDialog, said: Callable[[Any], str]) -> None:
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.message.setText(said(dlg.saved))
            self.reload()

    def remove(self) -> None:
        row = self.selected()
        if row is None or self.hidden:
            return
        title, question, delete = self.removal(row)
        if not common.ask(self, title, question):
            return
        db = self.db
        run_op(self, lambda job: delete(db), lambda _r: self.reload(), changes=self.writes)
