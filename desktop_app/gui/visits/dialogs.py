"""Visit forms: log a visit in well under a minute by keyboard alone, and move its follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import VisitInput
from desktop_app.gui.residents.pickers import MemberChooser, resident_picker
from desktop_app.gui.widgets.dialog import SavingDialog, create_or_update
from desktop_app.gui.widgets.fields import Choice, Day, FieldForm, Line, Listed, Put, Row, Text, grid
from desktop_app.gui.widgets.forms import select
from desktop_app.services import auth
from desktop_app.services import visits as visit_service
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid, ResidentPick
from desktop_app.services.visits import MemberChoice
from desktop_app.views.changes import Change, changes

SOLVED_ON_SPOT = "spot"
NOTHING = "nothing"
FOLLOW = "follow"


def own_grid(db: Database, permission: str) -> str | None:
    """The one grid a 网格员's account keeps to, for a new form's 网格: left on 不指定网格 (a visitee typed
    in, not picked) the save was refused."""
    try:
        grids = auth.scope(db, permission)
    except auth.PermissionDenied:
        return None
    return next(iter(grids)) if grids and len(grids) == 1 else None


class VisitDialog(SavingDialog):
    """Log (or correct) a visit in well under a minute.

    Defaults: today, 走访, the companions of the last visit, a week to answer.
    Type the resident's initials or door number and press Enter to pick; the
    grid follows. Ctrl+Enter saves; 保存并继续 keeps the date and companions
    for the next door on the round.
    """

    changes_made = changes(Change.VISITS)

    logged = Signal(object)  # each visit saved while the dialog stays open

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], categories: Sequence[str],
                 visitors: Sequence[MemberChoice] = (), other_visitors: str = "",
                 detail: visit_service.VisitDetail | None = None, members: Sequence[MemberChoice] = (),
                 today: date | None = None):
        super().__init__(parent, "修改走访记录" if detail else "登记走访")
        self.db, self.detail, self.today = db, detail, today or date.today()
        self._again = False
        self.count = 0
        d = detail.to_input() if detail else VisitInput(visit_date=self.today, other_visitors=other_visitors)
        self.members = MemberChooser(db, members if detail else visitors)
        self.visitee = resident_picker(db)
        if detail:
            self.visitee.set_chosen(None, detail.visitee_name)
            self._picked_ids = (detail.resident_id, detail.household_id)
        else:
            self._picked_ids = (None, None)
        self.visitee.picked.connect(self._picked)
        self.mode_follow = QRadioButton("需要跟进")
        self.mode_spot = QRadioButton("当场解决")
        self.mode_nothing = QRadioButton("未反映问题")
        self.modes = QButtonGroup(self)
        for i, b in enumerate((self.mode_follow, self.mode_spot, self.mode_nothing)):
            self.modes.addButton(b, i)
        (self.mode_follow if d.raised_issue else self.mode_nothing).setChecked(True)
        self.mode_spot.setVisible(detail is None)  # an existing visit moves by 办理, not here
        self.modes.idToggled.connect(lambda *_: self._update())

        mode = QHBoxLayout()
        for b in (self.mode_follow, self.mode_spot, self.mode_nothing):
            mode.addWidget(b)
        mode.addStretch(1)
        self.fields = FieldForm(self, d, (
            Row("走访日期", Day("visit_date"), Choice("form", items=[(f, f) for f in flow.VISIT_FORMS]),
                end_stretch=True),
            Put("members", "走访党员", self.members),
            Line("other_visitors", "其他走访人", "网格员、楼栋长等非党员走访人（可不填）", attr="others"),
            Put("visitee", "走访对象", self.visitee),
            Row("地点 / 网格", Line("place", placeholder="不是某户时填地点，如 5栋楼道、小区广场", stretch=2),
                grid(grids=grids, attr="grid", stretch=1)),
            Listed("category", "问题类别", names=categories, prompt="请选择问题类别"),
            Text("content", "反映问题", placeholder="群众反映的问题、诉求或走访情况"),
            Put("", "办理", mode),
            Line("", "", "当场如何解决的，如 讲解了申请流程", attr="spot_how"),
            Row("跟进", Line("handler", placeholder="责任人（可不填）", stretch=1), "办结期限",
                Day("due_date", default=flow.default_due(d.visit_date or self.today), attr="due")),
        ))
        if detail is None and (own := own_grid(db, "visits.write")):
            select(self.grid, own)
        self.visit_date.dateChanged.connect(self._date_moved)
        self.again_button = QPushButton("保存并继续登记")
        self.again_button.setToolTip("保存后留在此窗口，日期和走访人不变（Ctrl+Shift+Enter）")
        self.again_button.clicked.connect(self.save_and_next)
        self.again_button.setVisible(detail is None)
        QShortcut(QKeySequence("Ctrl+Shift+Return"), self, activated=self.save_and_next)
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.status = QLabel()
        self.status.setStyleSheet("color: #2e7d32")
        self.finish_layout(self.fields, self.status)
        self.setMinimumWidth(560)
        self._update()
        self.first_field = self.visitee

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is None:
            return
        self._picked_ids = (pick.resident_id, pick.household_id)
        select(self.grid, pick.grid_id)
        self.category.setFocus()  # next: ↑↓ the category, Tab, the problem, Ctrl+Enter

    def _date_moved(self) -> None:
        if not self.detail:
            self.due.set_value(flow.default_due(self.visit_date.value() or self.today))

    def _update(self) -> None:
        follow, spot = self.mode_follow.isChecked(), self.mode_spot.isChecked()
        self.spot_how.setVisible(spot)
        for w in (self.handler, self.due):
            w.setEnabled(follow)
        self.category.setEnabled(not self.mode_nothing.isChecked())

    def current_input(self) -> tuple[VisitInput, str]:
        chosen = self.visitee.chosen()
        if chosen is not None:
            resident_id, household_id, name = chosen.resident_id, chosen.household_id, chosen.name
        elif self.detail and self.visitee.text() == self.detail.visitee_name:
            resident_id, household_id = self._picked_ids
            name = self.detail.visitee_name
        else:
            resident_id, household_id, name = None, None, self.visitee.text()
        raised = not self.mode_nothing.isChecked()
        values = self.fields.values()
        values.update(category=values["category"] if raised else "",
                      due_date=values["due_date"] if self.mode_follow.isChecked() else None)
        inp = VisitInput(
            **values, member_ids=self.members.member_ids(), household_id=household_id, resident_id=resident_id,
            visitee_name=name, raised_issue=raised, recorder=self.detail.recorder if self.detail else "",
            notes=self.detail.notes if self.detail else "",
        )
        how = self.spot_how.text().strip() if self.mode_spot.isChecked() else ""
        if self.mode_spot.isChecked() and not how:
            raise ValidationError("办理情况", "当场解决的，请写明如何解决")
        return inp, how

    def prepare(self):
        inp, how = self.current_input()
        flow.check_visit(inp, self.today)  # name the problem before anything is sent
        db, today, read_at = self.db, self.today, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: visit_service.log_visit(db, inp, solved_how=how, today=today),
                                lambda vid: visit_service.update_visit(db, vid, inp, today, expected_version=read_at))

    def save_and_next(self) -> None:
        self._again = True
        self.accept()
        if not self._saving:
            self._again = False  # refused before saving

    def after_save(self, result: Any) -> None:
        self.count += 1
        self.logged.emit(result)
        if not self._again:
            self.done(QDialog.DialogCode.Accepted)
            return
        self._again = False
        self.status.setText(f"已保存 {self.count} 条：{result.visitee_name or result.place}。继续登记下一户。")
        self.visitee.clear()
        self.place.clear()
        self.content.clear()
        self.spot_how.clear()
        self.handler.clear()
        self.category.setCurrentIndex(-1)  # the next door's problem is chosen for it, not carried over
        self.mode_follow.setChecked(True)
        self.visitee.setFocus()
        self._remember_fields()  # what is saved is not "unsaved": closing now asks only about the next door

    def field_values(self) -> list:
        """The chosen 走访党员 count as a field: closing after choosing one asks first."""
        return [*super().field_values(), self.members.member_ids()]


class FollowUpDialog(SavingDialog):
    """Move a visit's follow-up: to 处理中, or close it with who, when and how."""

    changes_made = changes(Change.VISITS)

    def __init__(self, parent: QWidget | None, db: Database, visit: visit_service.VisitDetail, default_by: str = "",
                 today: date | None = None):
        super().__init__(parent, "办理走访反映的问题")
        self.db, self.visit, self.today = db, visit, today or date.today()
        targets = flow.FOLLOW_TRANSITIONS.get(visit.follow_state, ())
        label = {flow.IN_PROGRESS: "重新办理" if visit.follow_state in flow.CLOSED_STATES else "开始办理（处理中）",
                 flow.SOLVED: "已解决", flow.NO_ACTION: "无需处理"}
        summary = QLabel(f"<b>{visit.visitee_name or visit.place}</b>（{visit.visit_date.isoformat()} {visit.form}）"
                         f"：{visit.content}<br>当前状态：{visit.follow_state}")
        summary.setWordWrap(True)
        self.fields = FieldForm(self, None, (
            Choice("target", "办理结果", items=[(label[t], t) for t in targets],
                   default=flow.SOLVED if flow.SOLVED in targets else None),
            Line("by", "办理人", "谁办理的", default=default_by or visit.handler),
            Day("on", "办理日期", default=self.today),
            Text("how", "办理情况", placeholder="如何解决的 / 无需处理的原因 / 办理进展"),
        ))
        self.finish_layout(summary, self.fields)
        self.setMinimumWidth(480)
        self.first_field = self.how

    def prepare(self):
        target, by, on, how = self.fields.values().values()
        if target is None:
            raise ValidationError("办理状态", "该记录没有可以进行的办理")
        flow.check_follow_up(self.visit.follow_state, target, by, on, how, self.visit.visit_date, self.today)
        db, vid, today = self.db, self.visit.id, self.today
        return lambda: visit_service.move_follow_up(db, vid, target, by, on, how, today)
