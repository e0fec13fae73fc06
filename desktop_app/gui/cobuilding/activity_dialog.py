"""The activity form: when, what, where, who organised it (branches and units), who served and for how long."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.domain import cobuilding as rules
from desktop_app.gui.cobuilding.common import CobuildingDialog
from desktop_app.gui.cobuilding.rows_editor import RowsEditor
from desktop_app.gui.residents.pickers import member_picker
from desktop_app.gui.widgets.dialog import create_or_update
from desktop_app.gui.widgets.fields import Day, FieldForm, Line, Listed, Money, Put, Row, Text
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.items import checked, checklist
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.cobuilding import ActivityDetail

LIST_ROWS = 7  # rows of the 组织支部 and 共建单位 lists


class PeopleTable(RowsEditor):
    """Who served: a member (picked), a reporting member (from the register) or a volunteer (by name)."""

    HEAD, WIDTHS = ("身份", "姓名", "时长（小时）"), (70, 160, 90)
    LOCKED, PICKED_LOCKED = (0,), (1,)  # the kind; the name of a member or reporting member

    def __init__(self, db: Database, reporting: Sequence, people: Sequence[rules.PersonInput] = ()):
        super().__init__(130, lambda p: (p.kind, p.member_id or p.reporting_member_id or p.name))
        self.member = member_picker(db, "添加党员：姓名或拼音首字母，回车确认")
        self.member.picked.connect(self._member_picked)
        self.reporting = combo([("（选择报到党员）", None)] + [(f"{r.name}（{r.employer}）", r) for r in reporting])
        self.reporting.activated.connect(self._reporting_picked)
        self.volunteer = QLineEdit()
        self.volunteer.setPlaceholderText("志愿者姓名，回车添加")
        self.volunteer.returnPressed.connect(self._volunteer_added)
        self.default_hours = QLineEdit("2")
        self.default_hours.setMaximumWidth(50)
        self.default_hours.setToolTip("新添加的人员默认的服务时长（小时）")
        # two rows, so each box is wide enough for the whole of its placeholder at 1366×768
        self.lay_out([(self.member, 3), (self.reporting, 2)],
                     [(self.volunteer, 3), (QLabel("默认时长"), 0), (self.default_hours, 0), (QLabel("小时"), 0),
                      (self.remove_button, 0)])
        for p in people:
            self.add(p)

    def _hours(self) -> int:
        return rules.parse_hours(self.default_hours.text(), "默认时长")

    def add(self, p: rules.PersonInput) -> None:
        self.append(p, (p.kind, p.name, rules.hours_text(p.hours_tenths)), bool(p.member_id or p.reporting_member_id))

    def _member_picked(self, m) -> None:
        if m is not None:
            self.add(rules.PersonInput(rules.MEMBER, m.name, self._hours(), member_id=m.id))
            self.member.set_chosen(None, "")

    def _reporting_picked(self, _i: int) -> None:
        r = self.reporting.currentData()
        if r is not None:
            self.add(rules.PersonInput(rules.REPORTING, r.name, self._hours(), reporting_member_id=r.id))
            self.reporting.setCurrentIndex(0)

    def _volunteer_added(self) -> None:
        name = self.volunteer.text().strip()
        if name:
            self.add(rules.PersonInput(rules.VOLUNTEER, name, self._hours()))
            self.volunteer.clear()

    def people(self) -> list[rules.PersonInput]:
        out = []
        for line in self.lines():
            p: rules.PersonInput = line.payload
            _kind, name, hours_text = line.texts
            out.append(rules.PersonInput(p.kind, name, rules.parse_hours(hours_text, f"服务时长（{name}）"),
                                         p.member_id, p.reporting_member_id))
        return out


class ActivityDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, orgs: Sequence, units: Sequence, reporting: Sequence,
                 detail: ActivityDetail | None = None, today: date | None = None):
        super().__init__(parent, db, "修改活动" if detail else "记录共建活动", today=today)
        self.detail = detail
        v = detail.to_input() if detail else rules.ActivityInput(activity_date=self.today, kind="志愿服务")
        served = QSpinBox()
        served.setRange(0, 100000)
        served.setValue(v.residents_served)
        served.setSuffix(" 人次")
        # a unit tombstoned since still shows on an old activity
        unit_items = [(u.name, u.id) for u in units]
        if detail:
            unit_items += [(name, uid) for uid, name in detail.units if uid not in {u.id for u in units}]
        self.fields = FieldForm(self, v, (
            Day("activity_date", "活动日期", attr="on"),
            Listed("kind", "活动类型", names=rules.ACTIVITY_KINDS),
            Line("title", "活动名称", "如 “健康进社区”夏季义诊", attr="title_edit"),
            Line("place", "地点"),
            # side by side and 7 rows tall: a community's branches and units mostly show without scrolling
            Row("组织支部", Put("orgs", "组织支部", checklist([(o.name, o.id) for o in orgs], v.org_ids, rows=LIST_ROWS)),
                "共建单位", Put("units", "共建单位", checklist(unit_items, v.unit_ids, rows=LIST_ROWS))),
            Put("served", "服务居民", served),
            Money("cost_fen", "费用（元）", attr="cost"),
            Text("content", "活动内容", placeholder="活动内容和效果"),
            Put("people", "参与人员", PeopleTable(db, reporting, v.people)),
        ))
        self.finish_scrolling(self.fields, 900)
        self.first_field = self.title_edit

    def current_input(self) -> rules.ActivityInput:
        return self.fields.build(rules.ActivityInput, residents_served=self.served.value(), org_ids=checked(self.orgs),
                                 unit_ids=checked(self.units), people=self.people.people())

    def prepare(self):
        inp = rules.check_activity(self.current_input(), self.today)
        db, today, read_at = self.db, self.today, self.detail.version if self.detail else None
        return create_or_update(self.detail, lambda: cb.record_activity(db, inp, today),
                                lambda aid: cb.update_activity(db, aid, inp, today, expected_version=read_at))
