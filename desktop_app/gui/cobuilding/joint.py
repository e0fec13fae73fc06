"""联席会议: for each joint meeting (planned in 三会一课), the units that came and the 议题 each took on."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.meetings import MEETING_STATUS_LABELS
from desktop_app.gui.cobuilding.common import CobuildingDialog, CobuildingPage, d, is_a, years
from desktop_app.gui.widgets.dialog import DateNoteDialog
from desktop_app.gui.widgets.forms import combo, named_combo
from desktop_app.gui.widgets.items import checked, checklist
from desktop_app.gui.widgets.layouts import form_layout
from desktop_app.gui.widgets.record_list import Act, Choice, Loaded, Search, Table, bullets
from desktop_app.gui.widgets.required import required
from desktop_app.gui.widgets.table import CENTER, Column
from desktop_app.services import cobuilding as cb
from desktop_app.services.database import Database
from desktop_app.views.changes import Change, changes
from desktop_app.views.cobuilding import JointDetail

COLUMNS = (
    Column("编号", lambda r: r.number, CENTER, 160),  # 310105003009-2026-0288: the site's code first
    Column("日期", lambda r: d(r.meeting_date), CENTER, 84),
    Column("会议", lambda r: r.title, width=180),
    Column("状态", lambda r: MEETING_STATUS_LABELS.get(r.status, r.status), CENTER, 60),
    Column("参会单位", lambda r: r.units, width=260),
    Column("议题", lambda r: str(r.topics or ""), CENTER, 44),
    Column("已办结", lambda r: str(r.done or ""), CENTER, 54),
)


class UnitsAttendingDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, meeting: JointDetail, units: Sequence):
        super().__init__(parent, db, f"参会单位：{meeting.row.title}")
        self.meeting = meeting
        self.units = checklist([(u.name, u.id) for u in units], [uid for uid, _n in meeting.units])
        self.units.setMaximumHeight(320)
        self.finish_layout(form_layout(("参会单位", self.units)))
        self.setMinimumWidth(380)

    def prepare(self):
        db, mid, ids = self.db, self.meeting.id, checked(self.units)
        return lambda: cb.set_units(db, mid, ids)


class TopicDialog(CobuildingDialog):
    def __init__(self, parent: QWidget | None, db: Database, meeting: JointDetail, units: Sequence):
        super().__init__(parent, db, f"添加议题：{meeting.row.title}")
        self.meeting = meeting
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("如 小区停车难、老旧小区加装电梯")
        came = {uid for uid, _n in meeting.units}
        ordered = [u for u in units if u.id in came] + [u for u in units if u.id not in came]
        self.unit = named_combo(ordered, None, "（选择认领单位）")
        self.finish_layout(form_layout(("议题", self.topic), ("认领单位", self.unit)))
        self.setMinimumWidth(420)
        self.first_field = self.topic

    def prepare(self):
        topic = self.topic.text()
        required(topic.strip(), "议题", "不能为空")
        db, mid, uid = self.db, self.meeting.id, required(self.unit.currentData(), "认领单位", rules.PICK_UNIT)
        return lambda: cb.add_topic(db, mid, topic, uid)


def joint_html(j: JointDetail) -> str:
    e, r = escape, j.row
    units = "、".join(n for _i, n in j.units) or "（未登记）"
    items = [f"{t.topic} — {t.unit_name}：{'已办结 ' + d(t.done_on) + ' ' + t.result if t.done_on else '办理中'}"
             for t in j.topics]
    return (f"<h3>{e(r.title)}</h3><p>{e(r.number)}　{d(r.meeting_date)}　{e(r.place)}</p>"
            f"<p>参会单位：{e(units)}</p>" + bullets("议题", items))


_joint = is_a(JointDetail)


def _open_topics(x) -> bool:
    return _joint(x) and any(t.done_on is None for t in x.topics)


class JointPage(CobuildingPage):
    heading = "联席会议 · 大党委参会单位和议题"
    export_kind = "joint"  # 导出Excel: who may export it is table_export.LISTS' rule
    watches = changes(Change.COBUILDING, Change.MEETINGS)
    tables = (Table(COLUMNS, give_way=("编号", "参会单位"), stretch=4, details_width=320,
                    empty="联席会议在“三会一课”中安排（会议类型选联席会议）；这里登记参会单位、议题和认领单位。"),)
    filters = (Search("搜索：会议名称、参会单位"), Choice("year", years, "全部年份"))
    actions = (
        Act("units", "参会单位", "set_units", when=_joint, name="units", writes=True),
        Act("add", "添加议题", "add_topic", when=_joint, name="topic", writes=True),
        Act("fulfil", "议题办结", "finish_topic", when=_open_topics, name="finish", writes=True),
    )
    activate = "set_units"
    detail_of = staticmethod(cb.get_joint)

    def load(self, db, f):
        rows = [r for r in cb.list_joint_meetings(db, f.year) if all(t in r.title + r.units for t in f.text.split())]
        return Loaded(rows, units=cb.list_units(db))

    details = staticmethod(joint_html)

    def on_loaded(self, loaded) -> None:
        rows = loaded.rows
        self.counts.setText(f"联席会议 {len(rows)} 次，议题 {sum(r.topics for r in rows)} 个，"
                            f"已办结 {sum(r.done for r in rows)} 个")

    def set_units(self) -> None:
        if _joint(self.detail):
            self.run_dialog(UnitsAttendingDialog(self, self.ctx.db, self.detail, self.listed("units")), "已保存参会单位。")

    def add_topic(self) -> None:
        if _joint(self.detail):
            self.run_dialog(TopicDialog(self, self.ctx.db, self.detail, self.listed("units")), "已添加议题。")

    def finish_topic(self) -> None:
        j = self.detail
        if not _open_topics(j):
            return
        open_topics = [t for t in j.topics if t.done_on is None]
        box = combo([(f"{t.topic}（{t.unit_name}）", t.id) for t in open_topics])
        db, today = self.ctx.db, self.today
        dlg = DateNoteDialog(self, "议题办结", "选择办结的议题，写明办理结果。", "办结日期", "办理结果",
                             lambda on, note: cb.finish_topic(db, box.currentData(), on, note, today), "办结",
                             "如 新划车位 40 个", today, changes=self.writes)
        dlg.layout().insertWidget(0, box)
        self.run_dialog(dlg, "议题已办结。")
