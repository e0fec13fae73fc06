"""支部频次设置: since when a branch is tracked and whether it has a committee (so owes 支委会)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, combo
from desktop_app.gui.widgets.layouts import form_layout, wrapped
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, changes

AUTO, YES, NO = "auto", "yes", "no"
_COMMITTEE = {AUTO: None, YES: True, NO: False}


class BranchCadenceDialog(SavingDialog):
    changes_made = changes(Change.MEETINGS)

    def __init__(self, parent: QWidget | None, db, rows: list[ms.BranchCadenceRow], current: str | None = None):
        super().__init__(parent, "支部三会一课设置")
        self.db = db
        self.rows = {r.org_id: r for r in rows}
        self.branch = combo([(r.name, r.org_id) for r in rows], current)
        self.since = DateEdit(None, optional=True)
        self.committee = combo([("按党章确定（正式党员7人以上或已登记支委会）", AUTO), ("设有支部委员会", YES),
                                ("未设支部委员会", NO)])
        self.note = QLineEdit()
        self.info = wrapped()
        form = form_layout(("党支部", self.branch), ("建档统计起始日", self.since), ("支部委员会", self.committee),
                           ("说明", self.note))
        self.branch.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()
        self.finish_layout(wrapped("只要求支部召开它应开的会：未设支委会的不要求支委会，没有党小组的不要求党小组会；"
                                   "建档之前的月份不计逾期。"), form, self.info)
        self.setMinimumWidth(480)
        self.first_field = self.since

    def _fill(self) -> None:
        r = self.rows.get(self.branch.currentData())
        if r is None:
            return
        self.since.set_value(r.tracking_since)
        key = AUTO if r.has_committee is None else (YES if r.has_committee else NO)
        self.committee.setCurrentIndex(self.committee.findData(key))
        self.note.setText(r.note)
        self.info.setText(f"目前：{'要求' if r.committee_now else '不要求'}支委会；党小组 {r.groups} 个"
                          + ("" if r.groups else "（不要求党小组会）"))

    def prepare(self):
        db, org_id = self.db, self.branch.currentData()
        since, committee, note = self.since.value(), _COMMITTEE[self.committee.currentData()], self.note.text()
        return lambda: ms.set_branch_cadence(db, org_id, since, committee, note)
