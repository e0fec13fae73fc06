"""双报到 forms: register a reporting member, log a service with hours and 积分, offer and claim posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.cobuilding.common import CobuildingDialog
from desktop_app.gui.residents.pickers import member_picker
from desktop_app.gui.widgets.dialog import create_or_update
from desktop_app.gui.widgets.fields import Choice, Day, FieldForm, Line, Named, Text
from desktop_app.gui.widgets.forms import DateEdit, combo, named_combo, text_area
from desktop_app.gui.widgets.layouts import form_layout, wrapped
from desktop_app.gui.widgets.required import picked, required
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import PostRow, ReportingDetail, ReportingRow


class ReportingDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, units: Sequence, orgs: Sequence,
                 detail: ReportingDetail | None = None, today: date | None = None):
        super().__init__(parent, db, f"修改报到党员 {detail.row.name}" if detail else "登记在职党员报到", today=today)
        self.detail = detail
        masked = detail.row.mobile_masked if detail else ""
        if detail and detail.row.org_id and all(o.id != detail.row.org_id for o in orgs):
            # recorded before as a 党小组 (an import, an older 从名册移入): shown and kept, not dropped on a save
            orgs = [*orgs, SimpleNamespace(id=detail.row.org_id, name=detail.row.org_name or "（已删除的组织）")]
        self.fields = FieldForm(self, detail.to_input() if detail else rules.ReportingInput(reported_on=self.today), (
            Line("name", "姓名"),
            Choice("gender", "性别", items=[("", ""), ("男", "男"), ("女", "女")]),
            Line("mobile", "联系电话", f"已登记 {masked}，不改请留空" if masked else "手机号码"),  # never shown in full
            Named("unit_id", "所在共建单位", things=units, none_label="（不是共建单位）", attr="unit"),
            Line("employer", "工作单位"),
            Line("employer_org", "单位党组织", "如 区人民医院党委第三支部（反馈表寄给它）"),
            Line("job", "单位职务"),
            Day("reported_on", "报到日期", attr="reported"),
            Named("org_id", "报到支部", things=orgs, none_label="（不指定支部）", attr="org"),
            Text("skills", "特长和服务", lines=2, placeholder="特长，能提供的服务，如 健康咨询、法律咨询、辅导作业"),
            Text("notes", "备注", lines=2),
        ))
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self._units = {u.id: u for u in units}
        self._filled = self._units.get(self.unit.currentData())  # the unit whose names the fields hold
        self.finish_layout(self.fields)
        self.setMinimumWidth(480)
        self.first_field = self.name

    def _unit_changed(self, _i: int) -> None:
        """The unit's name and party organisation go into 工作单位 and 单位党组织 where these are blank or still hold
        the unit picked before (a wrong pick corrected: its 党组织 would get the feedback forms); typed text stays."""
        u, before = self._units.get(self.unit.currentData()), self._filled
        if u is None:
            return
        for edit, value, old in ((self.employer, u.name, before.name if before else None),
                                 (self.employer_org, u.party_org, before.party_org if before else None)):
            if not edit.text().strip() or edit.text() == old:
                edit.setText(value)
        self._filled = u

    def current_input(self) -> rules.ReportingInput:
        return self.fields.build(rules.ReportingInput)

    def prepare(self):
        inp = self.current_input()
        if not self.detail:
            rules.check_reporting(inp, self.today)
        db, today, read_at = self.db, self.today, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: cb.register_reporting(db, inp, today),
                                lambda rid: cb.update_reporting(db, rid, inp, today, expected_version=read_at))


class ServiceDialog(CobuildingDialog):
    """记录服务: a dated service with hours; 积分 follow the hours unless changed.

    The summary's counts are those of `year`, the year the page shows, which may be a past one."""

    def __init__(self, parent: QWidget | None, db: Database, person: ReportingRow, posts: Sequence[PostRow],
                 today: date | None = None, year: int | None = None):
        super().__init__(parent, db, f"记录服务：{person.name}", today=today)
        self.person = person
        # a past year's page: its last day, so the service lands in the list it was added from
        self.on = DateEdit(date(year, 12, 31) if year and year < self.today.year else self.today)
        self.content = QLineEdit()
        self.content.setPlaceholderText("如 协助疫苗接种登记、给独居老人读报")
        held = [p for p in posts if person.name in p.holders]
        self.post = combo([("（不属于岗位）", None)] + [(p.name, p.id) for p in held + [p for p in posts if p not in held]],
                          held[0].id if held else None)
        self.hours = QLineEdit("2")
        self.hours.setPlaceholderText("小时，如 2.5")
        self.hours.textChanged.connect(self._hours_changed)
        self.points = QSpinBox()
        self.points.setRange(0, 100)
        self.points.setValue(rules.default_points(20))
        self._points_touched = False
        self.points.valueChanged.connect(lambda _v: setattr(self, "_points_touched", True))
        self.summary = QLabel(f"<b>{person.name}</b>　{person.employer}　{year or self.today.year}年已服务 "
                              f"{person.services} 次，{rules.hours_text(person.hours_tenths)} 小时，{person.points} 积分")
        self.finish_layout(form_layout(self.summary, ("服务日期", self.on), ("服务内容", self.content), ("岗位", self.post),
                                       ("时长（小时）", self.hours), ("积分", self.points)))
        self.setMinimumWidth(440)
        self.first_field = self.content

    def _hours_changed(self, text: str) -> None:
        if self._points_touched:
            return
        try:
            value = rules.default_points(rules.parse_hours(text))
        except ValidationError:
            return
        self.points.blockSignals(True)
        self.points.setValue(value)
        self.points.blockSignals(False)

    def prepare(self):
        inp = rules.ServiceInput(self.on.value(), self.content.text(), rules.parse_hours(self.hours.text()),
                                 self.points.value(), self.post.currentData())
        rules.check_service(inp, self.today, self.person.reported_on)
        db, rid, today = self.db, self.person.id, self.today
        return lambda: cb.log_service(db, rid, inp, today)


class PostDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, orgs: Sequence, post: PostRow | None = None):
        super().__init__(parent, db, "修改岗位" if post else "新增认领岗位")
        self.post = post
        self.name = QLineEdit(post.name if post else "")
        self.name.setPlaceholderText("如 楼道文明劝导岗、政策宣传岗")
        self.org = named_combo(orgs, post.org_id if post else None, "（社区）")
        self.places = QSpinBox()
        self.places.setRange(1, 999)
        self.places.setValue(post.places if post else 1)
        self.duties = text_area(3, "岗位职责")
        self.duties.setPlainText(post.duties if post else "")
        self.finish_layout(form_layout(("岗位名称", self.name), ("所属支部", self.org), ("需要人数", self.places),
                                       ("岗位职责", self.duties)))
        self.setMinimumWidth(420)
        self.first_field = self.name

    def prepare(self):
        name, duties, places = rules.check_post(self.name.text(), self.duties.toPlainText(), self.places.value())
        db, pid, org = self.db, self.post.id if self.post else None, self.org.currentData()
        read_at = self.post.version if self.post else None
        return lambda: cb.save_post(db, pid, name, duties, places, org, expected_version=read_at)


class ClaimDialog(CobuildingDialog):
    """认领岗位: which post the reporting member takes, from when."""

    def __init__(self, parent: QWidget | None, db: Database, person: ReportingRow, posts: Sequence[PostRow],
                 today: date | None = None):
        super().__init__(parent, db, f"认领岗位：{person.name}", "认领", today)
        self.person = person
        free = [p for p in posts if len(p.holders) < p.places and person.name not in p.holders]
        self.post = combo([(f"{p.name}（还需 {p.places - len(p.holders)} 人）", p.id) for p in free])
        self.on = DateEdit(self.today)
        self.finish_layout(form_layout(("岗位", self.post), ("认领日期", self.on)))
        self.setMinimumWidth(380)

    def prepare(self):
        pid = required(self.post.currentData(), "岗位", "没有可认领的岗位，请先新增岗位")
        db, rid, on, today = self.db, self.person.id, self.on.value(), self.today
        return lambda: cb.claim_post(db, pid, rid, on, today)


class MoveFromRosterDialog(CobuildingDialog):
    """A member on the roster who is really a 在职党员 reporting here moves into the register."""

    changes_made = changes(Change.COBUILDING, Change.MEMBERS)

    def __init__(self, parent: QWidget | None, db: Database, today: date | None = None):
        super().__init__(parent, db, "从党员名册移入报到名册", "移入", today)
        self.member = member_picker(db)
        note = wrapped("移入后，该党员不再计入本社区的党员人数、应到人数和党费收缴；名册中的记录保留。")
        self.finish_layout(form_layout(("党员", self.member), note))
        self.setMinimumWidth(420)
        self.first_field = self.member

    def prepare(self):
        m = picked(self.member)
        db, today = self.db, self.today
        return lambda: cb.move_from_roster(db, m.id, today)
