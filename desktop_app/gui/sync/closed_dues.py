"""恢复已结账月份的党费: each record the street refuses, as it is and as the street holds it, before anything changes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.views.closed_dues import ClosedDues, ClosedDuesPlan


def _columns(upper: str) -> list[Column]:
    def restored(item: ClosedDues) -> str:
        return item.street_text if item.restorable else "无法确定，不能自动恢复"

    return [Column("党员", lambda i: i.member_name, width=70), Column("所在组织", lambda i: i.org_name, width=110),
            Column("所交月份", lambda i: i.month_text, width=80), Column("结账", lambda i: i.closed, width=200),
            Column("现在", lambda i: i.now_text, width=110), Column(f"恢复为（{upper}的记录）", restored, width=180)]


class ClosedDuesDialog(QDialog):
    """The preview; accepted means 恢复 was pressed (offered only when something can be put back)."""

    def __init__(self, parent: QWidget | None, plan: ClosedDuesPlan):
        super().__init__(parent)
        self.setWindowTitle("恢复已结账月份的党费")
        self.plan = plan
        lines = plan.lines()
        lead = QLabel(lines[0])
        lead.setWordWrap(True)
        self.model = ColumnModel(_columns(plan.upper), parent=self)
        self.model.set_rows(plan.items)
        self.table = table_view(self.model, self, stretch=5)
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
