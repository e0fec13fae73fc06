"""Project forms: the project itself, its status, its milestones and the residents it concerns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.service_flow import MilestoneInput, ProjectInput
from desktop_app.gui.residents.pickers import resident_picker
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.fields import Choice, Day, FieldForm, Line, Listed, Money, Row, Text, grid, show
from desktop_app.gui.widgets.forms import fen_of
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.services import projects
from desktop_app.services.database import Database
from desktop_app.services.residents import Grid
from desktop_app.views.changes import Change, Changes, changes


class ProjectDialog(SavingDialog):
    changes_made = changes(Change.PROJECTS)

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], categories: Sequence[str],
                 detail=None, default_owner: str = "", save: Callable[[ProjectInput], Any] | None = None,
                 title: str = "", preset: ProjectInput | None = None, today: date | None = None,
                 changes: Changes | None = None):
        """`save` replaces the default create/update (turning a visit into a project uses it)."""
        super().__init__(parent, title or ("修改项目" if detail else "新建微实事项目"), changes=changes)
        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else (preset or ProjectInput(owner_name=default_owner))
        if not detail and not d.owner_name:
            d = replace(d, owner_name=default_owner)
        if save is None:
            if detail:
                pid, read_at = detail.id, detail.version  # a save over a later change is refused
                save = lambda inp: projects.update_project(db, pid, inp, self.today, expected_version=read_at)
            else:
                save = lambda inp: projects.create_project(db, inp, self.today)
        self._save_fn = save
        self.fields = FieldForm(self, d, (
            Line("name", "项目名称", "如 梅园新村3栋门口路灯修复"),
            Listed("category", "项目类别", names=categories),
            grid(label="所在网格", grids=grids, none_label="全社区", attr="grid"),
            Line("owner_name", "项目经理", "项目经理，一般为支部书记", attr="owner"),
            Row("预算（元）", Money("budget_fen", attr="budget"), "实际支出（元）", Money("actual_cost_fen", attr="cost")),
            Row("开始日期", Day("start_date", optional=True, attr="start"), "完成期限",
                Day("deadline", default=self.today + timedelta(days=30))),
            Text("description", "项目内容", placeholder="要做什么、为谁做"),
            Text("notes", "备注", lines=2),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(520)
        self.first_field = self.name

    def current_input(self) -> ProjectInput:
        owner_id = self.detail.owner_member_id if self.detail else None
        return self.fields.build(ProjectInput, owner_member_id=owner_id)

    def prepare(self):
        inp = flow.check_project(self.current_input())
        save = self._save_fn
        return lambda: save(inp)


class ProjectStatusDialog(SavingDialog):
    changes_made = changes(Change.PROJECTS, Change.VISITS)

    def __init__(self, parent: QWidget | None, db: Database, detail, today: date | None = None):
        super().__init__(parent, f"项目状态：{detail.name}")
        self.db, self.detail, self.today = db, detail, today or date.today()
        targets = flow.PROJECT_TRANSITIONS.get(detail.status, ())
        form = FieldForm(self, detail, (
            show("当前状态", detail.status),
            Choice("", "改为", items=[(t, t) for t in targets], attr="target"),
            Day("", "日期", default=self.today, attr="on"),
            Money("actual_cost_fen", "实际支出（元）", attr="cost"),
            Text("", "说明", placeholder="完成情况 / 终止或重新启动的原因", attr="note"),
        ))
        self.target.currentIndexChanged.connect(lambda _i: self.cost.setEnabled(self.target.currentData() == flow.PROJECT_DONE))
        self.cost.setEnabled(self.target.currentData() == flow.PROJECT_DONE)
        self.finish_layout(form)
        self.setMinimumWidth(440)

    def prepare(self):
        target, on, note = self.target.currentData(), self.on.value(), self.note.toPlainText()
        if target is None:
            raise ValidationError("项目状态", "没有可以改成的状态")
        flow.check_project_move(self.detail.status, target, on, self.detail.start_date, self.today, note)
        cost = fen_of(self.cost, "实际支出") if target == flow.PROJECT_DONE else None
        db, pid, today = self.db, self.detail.id, self.today
        return lambda: projects.change_status(db, pid, target, on, note, cost, today)


class MilestoneDialog(SavingDialog):
    changes_made = changes(Change.PROJECTS)

    def __init__(self, parent: QWidget | None, db: Database, project_id: str, milestone=None,
                 today: date | None = None, title: str = ""):
        super().__init__(parent, title or ("修改项目节点" if milestone else "添加项目节点"))
        self.db, self.project_id, self.milestone, self.today = db, project_id, milestone, today or date.today()
        self.fields = FieldForm(self, milestone, (
            Line("title", "节点", "如 采购材料、施工、验收", attr="title_edit"),
            Day("due_date", "计划日期", optional=True, attr="due"),
            Day("done_on", "完成日期", optional=True),
            Line("note", "说明"),
        ))
        self.finish_layout(self.fields)
        self.setMinimumWidth(380)

    def prepare(self):
        inp = flow.check_milestone(self.fields.build(MilestoneInput), self.today)
        db, today = self.db, self.today
        if self.milestone:
            mid, read_at = self.milestone.id, self.milestone.version
            return lambda: projects.update_milestone(db, mid, inp, today, expected_version=read_at)
        pid = self.project_id
        return lambda: projects.add_milestone(db, pid, inp, today)


class ConcernedDialog(SavingDialog):
    """Add a resident (picked, or just a name) a project concerns."""

    changes_made = changes(Change.PROJECTS)

    def __init__(self, parent: QWidget | None, db: Database, project_id: str, today: date | None = None):
        super().__init__(parent, "添加涉及居民", "添加")
        self.db, self.project_id, self.today = db, project_id, today or date.today()
        self.who = resident_picker(db)
        self.note = QLineEdit()
        self.note.setPlaceholderText("诉求或受益情况（可不填）")
        self.finish_layout(form_layout(("居民", self.who), ("说明", self.note)))
        self.setMinimumWidth(440)

    def prepare(self):
        pick = self.who.chosen()
        name = self.who.text()
        if pick is None and not name:
            raise ValidationError("涉及居民", "请选择居民或填写姓名")
        rid, hid = (pick.resident_id, pick.household_id) if pick else (None, None)
        db, pid, note, today = self.db, self.project_id, self.note.text(), self.today
        return lambda: projects.add_resident(db, pid, rid, hid, "" if pick else name, note, today)
