"""The one base for every dialog that saves: check, save off the GUI thread, close only on success.

Cancelling (取消, Esc, the close box) after something was typed asks first; the
line that shows a refusal keeps its room, so the form does not jump when it appears.
A subclass defines `prepare()`: it reads the fields, raises a DomainError
(ValidationError) for what is wrong, and returns the service call that saves.
OK asks `confirmed()` (a last question, for saves that cannot be undone), then
runs that call with `run_op`, announcing what it changes (`changes_made`);
a refusal is shown inside the dialog, so nothing typed is lost, and the cursor
goes to the field the refusal names (`field_named`). Enter in a one-line field
saves (the OK button is the dialog's default), Ctrl+Enter from any field.
A form may instead define `check()` and `values()`: the default `prepare()` checks, then calls `save(*values)` given by the caller; with
no `save`, OK just closes and the caller reads `values()` (it saves itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DomainError
from desktop_app.gui.errors import show_error
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.forms import DateEdit, text_area
from desktop_app.views.changes import Changes

ERROR_STYLE = "color: #c8161e"


def _bare(text: str) -> str:
    """A label's words as a refusal names its field: without markup, the required star, colon and mnemonic."""
    return re.sub(r"<[^>]*>|[\s*:：&]", "", text)


def _takes_focus(item: QLayoutItem | None) -> QWidget | None:
    """The first field in a layout item that the cursor can go to (a picker's line, a date's edit …)."""
    if item is None:
        return None
    w = item.widget()
    if w is not None:
        if isinstance(w, QLabel) or not w.isEnabled():
            return None
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return w
        return next((c for c in w.findChildren(QWidget) if not isinstance(c, QLabel) and c.isEnabled()
                     and c.focusPolicy() & Qt.FocusPolicy.TabFocus), None)
    lay = item.layout()
    if lay is not None:
        for i in range(lay.count()):
            found = _takes_focus(lay.itemAt(i))
            if found is not None:
                return found
    return None


def field_named(dialog: QWidget, name: str) -> QWidget | None:
    """The field a refusal (ValidationError.field) names: the one after a label of that name in the dialog's
    form rows or rows of several fields (「预算 … 实际支出 …」), or a label's buddy; None when none is."""
    want = _bare(name or "")
    if not want:
        return None

    def named(label: QWidget | None) -> bool:
        if not isinstance(label, QLabel):
            return False
        said = _bare(label.text())
        return said == want or said.split("（")[0] == want

    for label in dialog.findChildren(QLabel):
        if label.buddy() is not None and named(label):
            return label.buddy()
    for lay in dialog.findChildren(QLayout):
        # a QFormLayout's items run label, field, label, field …, as do the parts of a row
        for i in range(lay.count() - 1):
            if named(lay.itemAt(i).widget()):
                found = _takes_focus(lay.itemAt(i + 1))
                if found is not None:
                    return found
    return None


def show_field(widget: QWidget) -> None:
    """Put the cursor in `widget` (its tab brought forward first), its text selected to be typed over."""
    for tabs in widget.window().findChildren(QTabWidget):
        for i in range(tabs.count()):
            if tabs.widget(i).isAncestorOf(widget):
                tabs.setCurrentIndex(i)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        widget.selectAll()


class DiscardGuard:
    """Mixed into a QDialog (before it): closing it after a field changed asks first.

    The fields' values are taken when the dialog is first shown; 取消, Esc and the
    close box compare them with what the fields hold now. A dialog whose cancel means
    something else (退出程序 at the log-in) sets `asks_before_discard = False`.
    """

    _typed: list[Any] | None = None  # the fields' values when the dialog was shown
    asks_before_discard = True

    def _fields(self) -> list[QWidget]:
        kinds = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
        return [w for w in self.findChildren(QWidget) if isinstance(w, kinds)
                and not isinstance(w.parent(), (QDialogButtonBox, QComboBox, QAbstractSpinBox))]

    def field_values(self) -> list[Any]:
        out: list[Any] = []
        for w in self._fields():
            if isinstance(w, (QLineEdit, QAbstractSpinBox)):
                out.append(w.text())
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                out.append(w.toPlainText())
            elif isinstance(w, QComboBox):
                out.append(w.currentText())
            else:
                out.append(w.isChecked() if w.isCheckable() else None)
        return out

    def is_modified(self) -> bool:
        """Whether any field differs from what the dialog showed when it opened."""
        return self._typed is not None and self.field_values() != self._typed

    def reject(self) -> None:
        if (self.asks_before_discard and self.isVisible() and not getattr(self, "_saving", False)
                and self.is_modified()):
            from desktop_app.gui.widgets import common

            if not common.ask(self, "放弃填写的内容？", "已填写或修改的内容还没有保存，关闭后会丢失。\n确定放弃吗？"):
                return
        super().reject()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._typed is None:
            # after the subclass and the first event-loop pass have filled the fields
            QTimer.singleShot(0, self, self._remember_fields)

    def _remember_fields(self) -> None:
        self._typed = self.field_values()


class SavingDialog(DiscardGuard, QDialog):
    record_saved = Signal(object)  # each successful save, before the dialog closes
    changes_made: Changes = frozenset()  # what a save changes; the pages showing it refresh

    first_field: QWidget | None = None  # where typing starts when the dialog opens

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "保存", *,
                 changes: Changes | None = None, save: Callable[..., Any] | None = None, cancel_text: str = "取消"):
        super().__init__(parent)
        self.setWindowTitle(title)
        if changes is not None:
            self.changes_made = changes
        self.save_with = save
        self.saved: Any = None
        self._saving = False
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setToolTip("Ctrl+Enter")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        policy = self.message.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # an inline error appears without moving the buttons
        self.message.setSizePolicy(policy)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() + 4)
        self.message.hide()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)

    def check(self) -> None:
        """Raise ValidationError naming the field when something is wrong (for the default prepare)."""

    def values(self) -> tuple:
        """What the fields hold, as the arguments of `save` (for the default prepare)."""
        return ()

    def prepare(self) -> Callable[[], Any] | None:
        self.check()
        values, save = self.values(), self.save_with
        return None if save is None else (lambda: save(*values))

    def confirmed(self) -> bool:
        """Asked once the fields check out, before the save: a form whose save cannot be undone
        (记账, 红字冲销 …) asks the worker here, with the dialog and what was typed still open."""
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.first_field is not None:
            # After QDialog has given the focus to the first field of its tab chain.
            QTimer.singleShot(0, lambda: self.first_field.setFocus(Qt.FocusReason.ActiveWindowFocusReason))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refuse(self, exc: DomainError) -> None:
        """Show why the save was refused; the cursor goes to the field it names, to be corrected at once."""
        self.show_message(str(exc))
        field = field_named(self, getattr(exc, "field", ""))
        if field is not None:
            show_field(field)

    def accept(self) -> None:
        if self._saving:
            return
        try:
            call = self.prepare()
        except DomainError as exc:
            self.refuse(exc)
            return
        if not self.confirmed():
            return
        if call is None:  # the caller saves what values() holds
            self.show_message("")
            self.done(QDialog.DialogCode.Accepted)
            return
        self._saving = True
        self.buttons.setEnabled(False)
        run_op(self, lambda job: call(), self._saved, self._failed, changes=self.changes_made or None)

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        self.saved = result
        self.show_message("")
        self.record_saved.emit(result)
        self.after_save(result)

    def after_save(self, result: Any) -> None:
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if getattr(exc, "committed", False):
            # SavedButNotPlaced: the record is saved, its file kept under another name. Not a refusal in red
            # with 保存 offered again (a second record): say it as saved (已保存，文件待改名) and close; the pages
            # showing it refresh, run_op announced the changes. Nothing saved to hand back: not Accepted.
            self.show_message("")
            show_error(self, exc)
            self.done(QDialog.DialogCode.Rejected)
            return
        if isinstance(exc, DomainError):
            self.refuse(exc)
        else:
            show_error(self, exc)

    def finish_layout(self, *parts) -> QVBoxLayout:
        """The parts top to bottom (None left out), then the line for refusals and the buttons."""
        lay = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QWidget):
                lay.addWidget(part)
            elif part is not None:
                lay.addLayout(part)
        lay.addStretch(1)  # a hidden match list gives its room back to the bottom, not to every row
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        return lay


def create_or_update(detail: Any, create: Callable[[], Any], update: Callable[[Any], Any]) -> Callable[[], Any]:
    """The call a record form's prepare() returns: `update(id)` when it edits `detail`, else `create()`."""
    if detail:
        record_id = detail.id
        return lambda: update(record_id)
    return create


class DateNoteDialog(SavingDialog):
    """A date and a note (实现心愿, 撤回认领 …); `save(on, note)` makes the service call.

    `note_label` None: the date alone, for a service that keeps no note, so nobody types one that is lost."""

    def __init__(self, parent: QWidget | None, title: str, summary: str, date_label: str, note_label: str | None,
                 save: Callable[[date | None, str], Any], ok_text: str = "确定", placeholder: str = "",
                 today: date | None = None, *, changes: Changes | None = None):
        super().__init__(parent, title, ok_text, changes=changes)
        self._save_fn = save
        self.on = DateEdit(today or date.today())
        self.note = text_area(3, placeholder) if note_label is not None else None
        text = QLabel(summary)
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow(date_label, self.on)
        if self.note is not None:
            form.addRow(note_label, self.note)
        self.finish_layout(text, form)
        self.setMinimumWidth(420)
        self.first_field = self.note or self.on

    def prepare(self):
        on, save = self.on.value(), self._save_fn
        note = self.note.toPlainText() if self.note is not None else ""
        return lambda: save(on, note)


class LineDialog(SavingDialog):
    """One line of text about a record (a reason, a result); `save(text)` makes the service call.

    Replaces QInputDialog where the line is saved: a refusal (the record changed meanwhile, a
    line too long) shows here with the line kept, instead of after the prompt has closed."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, save: Callable[[str], Any], *,
                 text: str = "", ok_text: str = "确定", changes: Changes | None = None):
        super().__init__(parent, title, ok_text, save=save, changes=changes)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.line = QLineEdit(text)
        self.finish_layout(label, self.line)
        self.setMinimumWidth(420)
        self.first_field = self.line

    def values(self) -> tuple[str]:
        return (self.line.text(),)
