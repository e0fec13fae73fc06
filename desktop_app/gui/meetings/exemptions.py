"""免于应到: members excused from 应到 for a while with a stated reason (长期外出, 病重 …).

Meetings of those days list them on the sign-in sheet with the reason and leave
them out of 应到 and of the quorum's count.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QWidget,
)

from desktop_app.domain import membership as rules
from desktop_app.gui.ops import run_op
from desktop_app.gui.residents.pickers import member_picker
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, list_combo
from desktop_app.gui.widgets.layouts import column, fill, form_layout
from desktop_app.gui.widgets.required import picked
from desktop_app.gui.widgets.table import CENTER, Column, ColumnModel, fit_columns
from desktop_app.services import membership
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes

WRITES = changes(Change.MEETINGS, Change.MEMBERS)

COLUMNS = (
    Column("党员", lambda r: r.member_name, width=80),
    Column("原因", lambda r: r.reason, width=90),
    Column("开始", lambda r: r.start_date.isoformat(), CENTER, 90),
    Column("结束", lambda r: r.end_date.isoformat() if r.end_date else "长期", CENTER, 90),
    Column("说明", lambda r: r.note, width=160),
)


class ExemptionDialog(SavingDialog):
    """One exemption: who, from when to when, why."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, today: date | None = None):
        super().__init__(parent, "登记免于应到")
        self.db = db
        self.member = member_picker(db)
        self.start = DateEdit(today or date.today())
        self.end = DateEdit(None, optional=True)
        self.reason = list_combo(rules.EXEMPT_REASONS)
        self.reason.setEditable(True)
        self.note = QLineEdit()
        form = form_layout(("党员", self.member), ("开始日期", self.start), ("结束日期", self.end), ("原因", self.reason),
                           ("说明", self.note))
        self.finish_layout(QLabel("免于应到的党员仍列在签到表上并注明原因，不计入应到人数和法定人数。"), form)
        self.setMinimumWidth(440)
        self.first_field = self.member

    def prepare(self):
        chosen = picked(self.member)
        db, start, end, reason, note = self.db, self.start.value(), self.end.value(), self.reason.currentText(), \
            self.note.text()
        return lambda: membership.add_exemption(db, chosen.id, start, end, reason, note)


class ExemptionsDialog(QDialog):
    """The register of exemptions: add one, withdraw one entered by mistake."""

    def __init__(self, parent: QWidget | None, db: Database, today: date | None = None):
        super().__init__(parent)
        self.setWindowTitle("免于应到登记")
        self.db, self.today = db, today
        self.model = ColumnModel(COLUMNS)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.view, COLUMNS, stretch=4)
        add, remove, close = QPushButton("登记…"), QPushButton("撤销所选"), QPushButton("关闭")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        close.clicked.connect(self.accept)
        column(self, (self.view, 1), fill(QHBoxLayout(), add, remove, 1, close))
        self.resize(620, 380)
        self.reload()

    def reload(self) -> None:
        db = self.db
        run_op(self, lambda job: membership.exemptions(db), self.model.set_rows)

    def add(self) -> None:
        dlg = ExemptionDialog(self, self.db, self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def remove(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = self.model.row(rows[0].row()) if rows else None
        if row is None or not common.ask(self, "撤销免于应到", f"撤销 {row.member_name}（{row.reason}）的免于应到登记吗？"):
            return
        db = self.db
        run_op(self, lambda job: membership.delete_exemption(db, row.id), lambda _r: self.reload(), changes=WRITES)
