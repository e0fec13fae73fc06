"""恢复已结账月份的党费: each record the street refuses, as it is and as the street holds it, before anything changes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.views.closed_dues import ClosedDuesPlan

COLUMNS = ("党员", "所在组织", "所交月份", "结账", "现在", "恢复为")


class ClosedDuesDialog(QDialog):
    """The preview; accepted means 恢复 was pressed (offered only when something can be put back)."""

    def __init__(self, parent: QWidget | None, plan: ClosedDuesPlan):
        super().__init__(parent)
        self.setWindowTitle("恢复已结账月份的党费")
        self.plan = plan
        lines = plan.lines()
        lead = QLabel(lines[0])
        lead.setWordWrap(True)
        self.table = QTableWidget(len(plan.items), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([c if c != "恢复为" else f"恢复为（{plan.upper}的记录）" for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for r, item in enumerate(plan.items):
            texts = (item.member_name, item.org_name, item.month_text, item.closed, item.now_text,
                     item.street_text if item.restorable else "无法确定，不能自动恢复")
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.notes = notes = QLabel("\n".join(lines[len(plan.items) + 1:]))
        notes.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(f"恢复 {len(plan.ids)} 条", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(plan.ids))
        self.restore_button.setVisible(bool(plan.items))
        buttons.addButton("取消" if plan.items else "关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        if plan.items:
            layout.addWidget(self.table, 1)
            layout.addWidget(notes)
        layout.addWidget(buttons)
        self.resize(860, 380 if plan.items else 140)
