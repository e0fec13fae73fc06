"""免于应到: members excused from 应到 for a while with a stated reason (长期外出, 病重 …).

Meetings of those days list them on the sign-in sheet with the reason and leave
them out of 应到 and of the quorum's count.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from desktop_app.domain import membership as rules
from desktop_app.gui.residents.pickers import member_picker
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, list_combo
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.gui.widgets.register import RegisterDialog
from desktop_app.gui.widgets.required import picked
from desktop_app.gui.widgets.table import CENTER, Column
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


class ExemptionsDialog(RegisterDialog):
    """The register of exemptions: add one, withdraw one entered by mistake."""

    columns, stretch, writes, add_text, remove_text = COLUMNS, 4, WRITES, "登记…", "撤销所选"
    empty = "还没有免于应到的党员。长期外出、病重等不能参加组织生活的，点“登记…”写明原因，其间不计入应到人数和法定人数。"

    def __init__(self, parent: QWidget | None, db: Database, today: date | None = None):
        self.today = today
        super().__init__(parent, db, "免于应到登记", 620, 380)

    def load(self, db):
        return membership.exemptions(db)

    def form(self) -> ExemptionDialog:
        return ExemptionDialog(self, self.db, self.today)

    def removal(self, row):
        return ("撤销免于应到", f"撤销 {row.member_name}（{row.reason}）的免于应到登记吗？",
                lambda db: membership.delete_exemption(db, row.id))
