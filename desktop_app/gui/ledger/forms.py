"""Form and table helpers shared by the 经费台账 and 党费 pages: dates, amounts, tables, saving.

Their dialogs derive from the kit's SavingDialog (gui/widgets/dialog.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import amount_in_capitals, format_yuan, parse_yuan
from desktop_app.gui.widgets.forms import DateEdit
from desktop_app.gui.widgets.layouts import hint
from desktop_app.gui.widgets.table import ColumnModel, table_view

RED = QColor("#c8161e")
GREY = QColor("#9aa0a6")
ORANGE = QColor("#b26a00")


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date, month_only: bool = False) -> QDateEdit:
    edit = DateEdit(d)  # the kit's: Tab goes on to the next field, not to the month
    edit.setDisplayFormat("yyyy年M月" if month_only else "yyyy-MM-dd")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    return edit


def amount_field(placeholder: str = "如 123.45") -> tuple[QLineEdit, QLabel]:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    capitals = hint("")

    def show(text: str) -> None:
        try:
            fen = parse_yuan(text)
        except (ValidationError, TypeError):
            capitals.setText("")
            return
        capitals.setText(f"大写：{amount_in_capitals(fen)}")

    edit.textChanged.connect(show)
    return edit, capitals


def yuan(fen: int, blank_zero: bool = False) -> str:
    return "" if blank_zero and fen == 0 else format_yuan(fen)


def make_table(model: ColumnModel, parent: QWidget | None = None, *, rows: bool = True) -> QTableView:
    view = table_view(model, parent, rows=rows)
    view.verticalHeader().setDefaultSectionSize(26)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def save_path(parent: QWidget, title: str, name: str, filters: str) -> Path | None:
    """Ask where to save (tests replace QFileDialog.getSaveFileName)."""
    from desktop_app.gui.widgets import forms

    return forms.ask_save_path(parent, title, name, filters)
