"""Forms of a member's life after joining: 出党, 党纪处分, 不合格党员处置, moves, 流动 and 失联.

Each form names the member (picked by name, or given by the row it was opened
from), checks with the domain rules before saving, and saves with one service call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain import members as member_rules
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.residents.pickers import member_picker
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, combo, text_area
from desktop_app.gui.widgets.required import picked
from desktop_app.services import memberlife as life
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes

WRITES = changes(Change.MEMBERS)
W = TypeVar("W", bound=QWidget)


class _MemberForm(SavingDialog):
    """A form about one member: a picker, or the member's name when the form was opened for them."""

    changes_made = WRITES

    def __init__(self, parent: QWidget | None, db: Database, title: str, member: tuple[str, str] | None = None,
                 today: date | None = None, ok_text: str = "保存"):
        super().__init__(parent, title, ok_text)
        self.db, self.today, self._member = db, today or date.today(), member
        self.form = QFormLayout()
        if member is None:
            self.picker = member_picker(db)
            self.form.addRow("党员", self.picker)
            self.first_field = self.picker
        else:
            self.picker = None
            self.form.addRow("党员", QLabel(member[1]))
        self.setMinimumWidth(460)

    def member_id(self) -> str:
        if self._member is not None:
            return self._member[0]
        return picked(self.picker, message="请从名册中选择党员（输入姓名或拼音首字母后选中）").id

    def field(self, label: str, widget: W) -> W:
        """Add a row to the form; the field is returned so a form reads as one line per field."""
        self.form.addRow(label, widget)
        return widget

    def line(self, label: str, value: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return self.field(label, edit)


class ExitDialog(_MemberForm):
    """出党 or leaving the roster, with the decision behind it."""

    def __init__(self, parent, db, member=None, today=None, kind: str = member_rules.REMOVED):
        super().__init__(parent, db, "登记出党（除名、退党、开除党籍、自行脱党、去世、转出）", member, today)
        self.kind = self.field("方式", combo([(k, k) for k in rules.EXIT_KINDS], kind))
        self.on = self.field("日期", DateEdit(self.today))
        self.body = self.line("决定机关", placeholder="如 支部大会（上级党委批准）、区纪委")
        self.number = self.line("文号", placeholder="批准或处分决定的文号")
        self.destination = self.line("转往", placeholder="转出时：转往的党组织")
        self.reason = self.field("原因", text_area(2, "原因（自行脱党可不填：按党章第九条自动写明）"))
        self.note = self.line("备注")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish_layout(self.form)

    def _kind_changed(self) -> None:
        self.destination.setEnabled(self.kind.currentData() == member_rules.TRANSFERRED_OUT)

    def prepare(self):
        mid = self.member_id()
        inp = rules.ExitInput(self.kind.currentData(), self.on.value(), self.body.text(), self.number.text(),
                              self.reason.toPlainText(), self.note.text(), self.destination.text())
        if inp.kind != rules.LAPSED:  # article 9's six months are judged by the service, on the records
            rules.check_exit(inp, self.today, None, "")
        db, today = self.db, self.today
        return lambda: life.record_exit(db, mid, inp, today)


class DisciplineDialog(_MemberForm):
    """党纪处分; 留党察看 runs one or two years, during which the member has no vote."""

    def __init__(self, parent, db, member=None, today=None):
        super().__init__(parent, db, "登记党纪处分", member, today)
        self.kind = self.field("处分种类", combo([(k, k) for k in rules.DISCIPLINE_KINDS]))
        self.on = self.field("决定日期", DateEdit(self.today))
        self.years = self.field("留党察看期", combo([("一年", 1), ("二年", 2)]))
        self.body = self.line("决定机关", placeholder="如 街道纪工委、区纪委")
        self.number = self.line("文号")
        self.reason = self.field("违纪事实", text_area(2))
        self.note = self.line("备注")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish_layout(QLabel("留党察看期间没有表决权、选举权和被选举权；开除党籍请登记出党。"), self.form)

    def _kind_changed(self) -> None:
        self.years.setEnabled(self.kind.currentData() == rules.PROBATION)

    def values_input(self) -> rules.DisciplineInput:
        on = self.on.value()
        ends = rules.probation_end(on, self.years.currentData()) if (
            self.kind.currentData() == rules.PROBATION and on is not None) else None
        return rules.DisciplineInput(self.kind.currentData(), on, self.body.text(), self.number.text(), ends,
                                     self.reason.toPlainText(), self.note.text())

    def prepare(self):
        mid, inp = self.member_id(), self.values_input()
        rules.check_discipline(inp, self.today, None)
        db, today = self.db, self.today
        return lambda: life.add_discipline(db, mid, inp, today)


class DisposalDialog(_MemberForm):
    """处置 of a member found 不合格 in the 民主评议: 限期改正, 劝退 or 除名."""

    def __init__(self, parent, db, member=None, today=None):
        super().__init__(parent, db, "不合格党员处置", member, today)
        self.year = QSpinBox()
        self.year.setRange(2000, self.today.year)
        self.year.setValue(self.today.year - 1 if self.today.month <= 3 else self.today.year)
        self.form.addRow("评议年度", self.year)
        self.measure = self.field("处置方式", combo([(k, k) for k in rules.MEASURES]))
        self.on = self.field("决定日期", DateEdit(self.today))
        self.deadline = self.field("改正期限", DateEdit(None, optional=True))
        self.body = self.line("决定机关", "支部大会")
        self.number = self.line("文号", placeholder="除名须填上级批准的文号")
        self.note = self.line("备注")
        self.measure.currentIndexChanged.connect(
            lambda _i: self.deadline.setEnabled(self.measure.currentData() == rules.RECTIFY))
        self.finish_layout(self.form)

    def prepare(self):
        mid = self.member_id()
        inp = rules.DisposalInput(self.year.value(), self.measure.currentData(), self.on.value(), self.body.text(),
                                  self.number.text(), self.deadline.value(), self.note.text())
        rules.check_disposal(inp, self.today)
        db, today = self.db, self.today
        return lambda: life.add_disposal(db, mid, inp, today)


def org_combo(orgs: Sequence, current: str | None = None, kinds: tuple[str, ...] = ("branch", "group")) -> QComboBox:
    """Branches and 党小组 by their path names (every branch may have a 第一党小组)."""
    return combo([(o.path_name or o.name, o.id) for o in orgs if o.kind in kinds], current)


class MoveDialog(_MemberForm):
    """Move a member to another branch or 党小组 from a day: figures before it keep the old branch."""

    def __init__(self, parent, db, orgs: Sequence, member=None, today=None):
        super().__init__(parent, db, "调动党支部（党小组）", member, today)
        self.target = self.field("调入", org_combo(orgs))
        self.on = self.field("调动日期", DateEdit(self.today))
        self.note = self.line("备注", placeholder="如 居住地变动")
        self.finish_layout(self.form, QLabel("调动日期以前的统计、应到人数仍按原党支部计算。"))

    def prepare(self):
        mid, target, on, note = self.member_id(), self.target.currentData(), self.on.value(), self.note.text()
        if on is None or on > self.today:
            raise ValidationError("调动日期", "请填写今天以前的日期")
        db, today = self.db, self.today
        return lambda: life.move_member(db, mid, target, on, note, today)


class FloatingDialog(_MemberForm):
    """流出 (one of ours, picked from the roster) or 流入 (from elsewhere, attending a branch here)."""

    def __init__(self, parent, db, direction: str, orgs: Sequence, today=None, member: tuple[str, str] | None = None):
        self.direction = direction
        if direction == rules.FLOW_OUT:  # `member` (id, name): opened for one member, from the roster's 状态变更
            super().__init__(parent, db, "登记流出党员", member, today)
            self.name = self.id_number = None
        else:
            super().__init__(parent, db, "登记流入党员", ("", ""), today)
            self.form.removeRow(0)
            self.name = self.line("姓名")
            self.id_number = self.line("公民身份号码")
            self.first_field = self.name
        out = direction == rules.FLOW_OUT
        # a 流出 is kept under the member's own branch (the service takes it from the roster)
        self.org = None if out else self.field("参加活动的党支部", org_combo(orgs, kinds=("branch",)))
        self.card = self.line("活动证编号", placeholder="流动党员活动证")
        self.start = self.field("外出日期" if out else "流入日期", DateEdit(self.today))
        self.place = self.line("外出流向" if out else "来自", placeholder="省、市、县（区）及单位")
        self.other = self.line("参加活动的党组织" if out else "组织关系所在党组织")
        self.contact = self.line("联系方式", placeholder="手机号码，或带区号的固定电话")
        self.note = self.line("备注")
        self.finish_layout(self.form)

    def prepare(self):
        out = self.direction == rules.FLOW_OUT
        inp = rules.FloatingInput(
            self.direction, None if self.org is None else self.org.currentData(), self.start.value(),
            member_id=self.member_id() if out else None,
            name="" if out else self.name.text(), id_number="" if out else self.id_number.text(),
            card_no=self.card.text(), place=self.place.text(), other_org=self.other.text(),
            contact=self.contact.text(), note=self.note.text())
        rules.check_floating(inp, self.today)
        db, today = self.db, self.today
        return lambda: life.add_floating(db, inp, today)


class SearchDialog(_MemberForm):
    """One attempt to find a 失联党员."""

    def __init__(self, parent, db, member: tuple[str, str], today=None):
        super().__init__(parent, db, "登记查找记录", member, today)
        self.on = self.field("查找日期", DateEdit(self.today))
        self.who = self.line("查找人")
        self.method = self.field("查找方式", combo([(k, k) for k in rules.SEARCH_METHODS]))
        self.outcome = self.field("结果", text_area(2, "如 电话停机；邻居称已搬往外地"))
        self.first_field = self.who
        self.finish_layout(self.form)

    def prepare(self):
        mid = self.member_id()
        on, who, how, res = self.on.value(), self.who.text(), self.method.currentData(), self.outcome.toPlainText()
        rules.check_search(on, who, how, res, self.today)
        db, today = self.db, self.today
        return lambda: life.add_search(db, mid, on, who, how, res, today=today)


class LostDecisionDialog(_MemberForm):
    """The decision on a 失联党员, with the waiting times of the rules."""

    def __init__(self, parent, db, member: tuple[str, str], today=None, decision: str = rules.KEEP_LOOKING):
        super().__init__(parent, db, "失联党员处理决定", member, today)
        self.decision = self.field("决定", combo([(k, k) for k in rules.LOST_DECISIONS], decision))
        self.on = self.field("决定日期", DateEdit(self.today))
        self.body = self.line("决定机关", placeholder="如 支委会、支部大会")
        self.number = self.line("文号", placeholder="按自行脱党除名时必填")
        self.note = self.line("备注")
        self.finish_layout(QLabel(f"失联满{rules.LOST_SUSPEND_MONTHS}个月并经查找的，可停止党籍；停止党籍满"
                                  f"{rules.SUSPENDED_REMOVE_YEARS}年仍无法取得联系的，按自行脱党除名。"), self.form)

    def prepare(self):
        mid = self.member_id()
        decision, on = self.decision.currentData(), self.on.value()
        body, number, note = self.body.text(), self.number.text(), self.note.text()
        db, today = self.db, self.today
        return lambda: life.decide_lost(db, mid, decision, on, body, number, note, today)
