"""发展党员 forms: a new applicant (入党申请书 received) and one step of the way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain import development as rules
from desktop_app.gui.residents.pickers import MemberChooser
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.fields import Choice, Day, FieldForm, Line, Text
from desktop_app.gui.widgets.forms import DateEdit, combo, text_area
from desktop_app.gui.widgets.layouts import form_layout, wrapped
from desktop_app.services import development
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.development import ApplicantDetail, ApplicantInput, StepInput

WRITES = changes(Change.DEVELOPMENT, Change.MEMBERS)


class ApplicantDialog(SavingDialog):
    """登记入党申请人: who, which branch, when the 入党申请书 came; with `applicant`, 修改信息 of one already
    registered (branch and application date stay as recorded)."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, branches: Sequence[tuple[str, str]],
                 branch_id: str | None = None, today: date | None = None, applicant: ApplicantDetail | None = None):
        super().__init__(parent, f"修改申请人信息：{applicant.row.name}" if applicant else "登记入党申请人")
        self.db, self.today, self.applicant = db, today or date.today(), applicant
        source = None if applicant is None else ApplicantInput(
            name=applicant.row.name, org_id=applicant.row.org_id, applied_on=applicant.row.applied_on,
            gender=applicant.row.gender, birth_date=applicant.birth_date, id_number=applicant.id_number,
            education=applicant.education, job=applicant.job, mobile=applicant.row.mobile, notes=applicant.notes)
        self.fields = FieldForm(self, source, (
            Line("name", "姓名"),
            Choice("org_id", "党支部", items=list(branches), default=branch_id, attr="branch"),
            Day("applied_on", "递交申请书日期", default=self.today, attr="applied"),
            Line("id_number", "公民身份号码", "18 位；性别和出生日期由号码得出"),
            Line("education", "学历"),
            Line("job", "工作单位及职务"),
            Line("mobile", "联系电话"),
            Text("notes", "备注", lines=2),
        ))
        if applicant is not None:
            self.branch.setEnabled(False)
            self.applied.setEnabled(False)
        self.finish_layout(self.fields)
        self.setMinimumWidth(460)
        self.first_field = self.name

    def prepare(self):
        inp = self.fields.build(ApplicantInput)
        db, today = self.db, self.today
        if self.applicant is not None:
            aid, read_at = self.applicant.row.id, self.applicant.version
            return lambda: development.update_applicant(db, aid, inp, today, expected_version=read_at)
        return lambda: development.add_applicant(db, inp, today)


class StepDialog(SavingDialog):
    """登记下一步: the step, its date, deciding body, document number, vote and documents on file; the
    members it names (培养联系人, 入党介绍人) from the roster, the 预审's result."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, detail: ApplicantDetail, today: date | None = None):
        super().__init__(parent, f"{detail.row.name}：登记发展步骤")
        self.db, self.detail, self.today = db, detail, today or date.today()
        self.step = combo([(s, s) for s in detail.next_steps])
        self.on = DateEdit(self.today)
        self.body = QLineEdit()
        self.document_no = QLineEdit()
        # 培养联系人 / 入党介绍人: chosen from the roster (the service checks they are 正式党员)
        self.people = MemberChooser(db)
        self.people.picker.edit.setPlaceholderText("从党员名册选正式党员：姓名或拼音首字母，回车确认")
        self.review = combo([(r, r) for r in rules.PRE_REVIEW_RESULTS])
        self.votes = [QSpinBox() for _ in range(4)]
        for box in self.votes:
            box.setRange(0, 999)
        vote_row = self.vote_row = QHBoxLayout()
        for label, box in zip(("赞成", "反对", "弃权", "应到有表决权"), self.votes):
            vote_row.addWidget(QLabel(label))
            vote_row.addWidget(box)
        self.months = QSpinBox()
        self.months.setRange(*rules.EXTEND_MONTHS)
        self.months.setSuffix(" 个月")
        self.docs_row = QHBoxLayout()
        self.docs: list[QCheckBox] = []
        self.hint = wrapped()
        self.note = text_area(2)
        self.form = form = form_layout(
            ("步骤", self.step), ("日期", self.on), ("决定机关", self.body), ("文号", self.document_no),
            ("培养联系人", self.people), ("预审结果", self.review), ("表决", vote_row), ("延长预备期", self.months),
            ("材料已归档", self.docs_row),
            ("备注", self.note))
        self._people_role = ""
        self.step.currentIndexChanged.connect(lambda _i: self._fit())
        self._fit()
        self.finish_layout(QLabel(f"现阶段：{detail.row.stage}"), form, self.hint)
        self.setMinimumWidth(560)
        self.first_field = self.step

    def _fit(self) -> None:
        kind = rules.step_kind(self.step.currentData()) if self.step.currentData() else None
        if kind is None:
            return
        self.body.setText(kind.body)
        if kind.people:
            self.form.labelForField(self.people).setText(kind.people)
            if kind.people != self._people_role:  # another role: the members chosen for the last one do not carry
                self.people.set_members([])
        self._people_role = kind.people
        for row_widget, visible in ((self.people, bool(kind.people)), (self.review, kind.name == rules.PRE_REVIEW),
                                    (self.body, kind.name != rules.SPONSORS),  # its place keeps the names
                                    (self.months, kind.name == rules.EXTEND)):
            self.form.setRowVisible(row_widget, visible)
        self.form.setRowVisible(self.docs_row, bool(kind.documents))
        self.form.setRowVisible(self.vote_row, kind.vote)
        for box in self.docs:
            self.docs_row.removeWidget(box)
            box.hide()  # until deleteLater runs it would still show where the layout left it
            box.deleteLater()
        self.docs = [QCheckBox(d) for d in kind.documents]
        for box in self.docs:
            box.setChecked(True)
            self.docs_row.addWidget(box)
        end = self.detail.probation_end
        if kind.name in (rules.CONFIRM, rules.EXTEND, rules.CANCEL) and end:
            # a date after today is refused as such (不能晚于今天), which hides why: the probation is not over.
            # Offer the end only once reached; before it, today, and the hint says when 转正 may be recorded
            self.on.set_value(min(end, self.today))
        rules_text = [r.text for r in rules.TIME_RULES if r.step == kind.name]
        if kind.name == rules.CONFIRM and end and end > self.today:
            rules_text.append(f"预备期 {end.isoformat()} 期满，期满后再登记转正")
        self.hint.setText("　".join(rules_text))

    def prepare(self):
        name = self.step.currentData()
        kind = rules.step_kind(name)
        votes = [box.value() for box in self.votes] if kind.vote else [None] * 4
        inp = StepInput(
            step=name, done_on=self.on.value(), body=self.body.text(), document_no=self.document_no.text(),
            votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2], voters_expected=votes[3],
            months=self.months.value() if name == rules.EXTEND else None,
            documents=tuple(box.text() for box in self.docs if box.isChecked()),
            people=self.people.member_ids() if kind.people else (),
            result=self.review.currentData() if name == rules.PRE_REVIEW else "", note=self.note.toPlainText(),
        )
        db, aid, today = self.db, self.detail.row.id, self.today
        return lambda: development.advance(db, aid, inp, today)
