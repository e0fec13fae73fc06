"""三会一课: plan meetings, print sign-in sheets, record attendance; members' attendance and follow-up lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
    QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.meetings import attendance_file
from desktop_app.gui.meetings.attendance_dialog import AttendanceDialog
from desktop_app.gui.meetings.batch_plan import open_batch_plan
from desktop_app.gui.meetings.meeting_dialog import CommitteeDialog, MeetingDialog
from desktop_app.gui.meetings.scan_flow import read_signin_scan
from desktop_app.gui.meetings.signin_batch import print_signin_batch
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import DELETE_KEYS, heading, search_box, toolbar
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.items import add_item, value_of
from desktop_app.gui.widgets.layouts import column, details_label, fill, panel, splitter, wrapped
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.domain.idcard import mask_phone
from desktop_app.gui.widgets.table import ALERT, RIGHT, Column, ColumnModel, centered, stretch_floor, table_view
from desktop_app.gui.memberlife.topics import open_topics
from desktop_app.services import meetings as ms
from desktop_app.services.database import Database
from desktop_app.services.meetings import attendance_import
from desktop_app.views.changes import Change, changes
from desktop_app.views.meetings import meetings_summary

WRITES = changes(Change.MEETINGS)
STATUS_COLUMN = 5
_AMBER = QColor("#fff4c2")
_GREY = QColor("#888888")

PERIODS = ("本月", "本季度", "本年度", "上年度", "近12个月", "全部")


def period_range(choice: str, today: date) -> tuple[date | None, date | None]:
    if choice == "本月":
        p = rules.period_of(today, "month")
    elif choice == "本季度":
        p = rules.period_of(today, "quarter")
    elif choice == "本年度":
        p = rules.period_of(today, "year")
    elif choice == "上年度":
        p = rules.Period(today.year - 1, rules.PeriodUnit.YEAR, 1)
    elif choice == "近12个月":
        return rules.months_before(today, 12) + timedelta(days=1), None
    elif choice[:4].isdigit() and choice[4:] == "年":  # a given year, as the 工作台 opens it
        p = rules.Period(int(choice[:4]), rules.PeriodUnit.YEAR, 1)
    else:
        return None, None
    return p.start, p.end


def short_number(number: str) -> str:
    """2026-0273 for 310105003009-2026-0273: the site code is the same on every row."""
    head, _, tail = number.partition("-")
    return tail if tail and head.isdigit() and len(head) > 4 else number


def _quorum_text(row: ms.MeetingRow) -> str:
    q = row.quorum
    if not q.applies:
        return ""
    if row.status != rules.HELD:
        return f"需 {q.needed} 人" if q.base else ""
    return "未登记支委" if q.met is None else ("达到" if q.met else "未达到")


def _quorum_tip(row: ms.MeetingRow) -> str | None:
    q = row.quorum
    if not q.applies:
        return None
    if row.status == rules.HELD and q.met is None:  # the register is on this page: say where
        return f"{q.note}。选中本支部后用上方「支委会成员」按钮登记"
    return q.note


TOPIC = 3  # the 会议主题 column of MeetingsModel


class MeetingsModel(ColumnModel):
    """The meetings list; a planned meeting already past is marked as waiting for its attendance."""

    def __init__(self, parent: QWidget | None = None):
        held = rules.HELD
        columns = (
            Column("编号", lambda r: short_number(r.number),
                   tooltip=lambda r: f"会议编号 {r.number}（签到表上印的编号）"),
            Column("日期", lambda r: f"{r.meeting_date:%Y-%m-%d}" + (f" {r.start_time:%H:%M}" if r.start_time else "")),
            Column("类型", lambda r: r.kind),
            Column("会议主题", lambda r: r.title, tooltip=lambda r: r.title),
            Column("党组织", lambda r: r.org_name if r.org_name == r.branch_name else f"{r.branch_name}·{r.org_name}"),
            Column("状态", lambda r: r.state_label(self.today),
                   background=lambda r: _AMBER if r.awaiting_attendance(self.today) else None),
            centered("应到", lambda r: str(r.expected)),
            centered("实到", lambda r: str(r.present) if r.status == held else ""),
            centered("请假", lambda r: str(r.leave) if r.leave else ""),
            centered("出席率", lambda r: rules.format_rate(r.rate) if r.status == held else ""),
            Column("法定人数", _quorum_text, tooltip=_quorum_tip,
                   color=lambda r: ALERT if r.lacks_quorum else None),
            centered("附件", lambda r: str(r.attachments) if r.attachments else ""),
        )
        super().__init__(columns, row_color=lambda r: _GREY if r.status == rules.CANCELLED else None, parent=parent)
        self.today = date.today()

    def set_rows(self, rows: list[ms.MeetingRow], today: date | None = None) -> None:
        if today is not None:
            self.today = today
        super().set_rows(rows)

    def row_at(self, i: int) -> ms.MeetingRow | None:
        return self.row(i)


def _day(d: date | None, empty: str = "") -> str:
    return f"{d:%Y-%m-%d}" if d else empty


HISTORY_COLUMNS = (
    Column("日期", lambda x: _day(x.meeting_date), width=90), Column("编号", lambda x: x.number, width=110),
    Column("类型", lambda x: x.kind, width=90), Column("会议主题", lambda x: x.title, width=200),
    Column("党组织", lambda x: x.org_name, width=130), Column("出勤", lambda x: x.status, width=60),
    Column("请假原因", lambda x: x.reason, width=120),
)
RATE_COLUMNS = (
    Column("姓名", lambda x: x.name, width=80), Column("党支部", lambda x: x.branch_name, width=140),
    Column("应参加", lambda x: str(x.counts.expected), RIGHT, 60),
    Column("出席", lambda x: str(x.counts.present), RIGHT, 50), Column("请假", lambda x: str(x.counts.leave), RIGHT, 50),
    Column("缺席", lambda x: str(x.counts.absent), RIGHT, 50),
    Column("出席率", lambda x: rules.format_rate(x.counts.rate), RIGHT, 70),
    Column("最近出席", lambda x: _day(x.last_present)),
)
STREAK_COLUMNS = (
    Column("姓名", lambda s: s.name, width=80), Column("党支部", lambda s: s.branch_name, width=140),
    Column("连续缺席", lambda s: f"{s.streak} 次", RIGHT, 70),
    Column("最近出席", lambda s: _day(s.last_present, "无记录"), width=90),
    Column("联系电话", lambda s: mask_phone(s.mobile), width=110),
    Column("缺席的会议", lambda s: "、".join(f"{d:%m-%d}{k}" for d, k in s.missed[:6]), width=200),
)
RISK_COLUMNS = (
    Column("姓名", lambda x: x.name, width=80), Column("党支部", lambda x: x.branch_name, width=140),
    Column("状态", lambda x: x.status, width=80),
    Column("最近参加组织生活", lambda x: _day(x.last_life, "无记录"), width=120),
    Column("最近交纳党费", lambda x: _day(x.last_dues, "无记录") if x.dues_known else "—", width=100),
    Column("联系电话", lambda x: mask_phone(x.mobile), width=110),
)


def _table(columns: tuple[Column, ...], parent: QWidget) -> QTableView:
    """A side list of the page (rates, follow-up): its ColumnModel is `view.model()`."""
    return table_view(ColumnModel(columns, parent=parent), stretch=len(columns) - 1)


class MemberHistoryDialog(QDialog):
    def __init__(self, parent: QWidget | None, h: ms.MemberHistory):
        super().__init__(parent)
        self.setWindowTitle(f"参会记录 — {h.name}")
        table = _table(HISTORY_COLUMNS, self)
        table.model().set_rows(h.lines)
        c = h.counts
        head = QLabel(f"<b>{h.name}</b>（{h.branch_name}）　应参加 {c.expected} 次，出席 {c.present} 次，"
                      f"请假 {c.leave} 次，缺席 {c.absent} 次；出席率 {rules.format_rate(c.rate)}")
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(table, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(760, 480)


class MeetingsPage(Page):
    watches = changes(Change.MEETINGS, Change.ORGS, Change.MEMBERS, Change.DUES)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.today = date.today()
        self.holders: list[tuple[str, str, str, int]] = []
        self._select_after: str | None = None
        self.detail: ms.MeetingDetail | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_meetings(), "会议")
        self.tabs.addTab(self._build_members(), "党员参会")
        self.tabs.addTab(self._build_followup(), "跟进名单")
        self.tabs.currentChanged.connect(lambda _i: self._load_tab())
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        self.message.setOpenExternalLinks(False)
        self.message.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))
        column(self, heading("三会一课"), (self.tabs, 1), self.message)

    # ------------------------------------------------------------------ building
    def _build_meetings(self) -> QWidget:
        self.org_filter = combo([("全部党组织", None)])
        self.kind_filter = combo([("全部类型", None)] + [(k, k) for k in rules.KINDS])
        self.status_filter = combo([("全部状态", None)] + [(v, k) for k, v in rules.MEETING_STATUS_LABELS.items()])
        self.period_filter = combo([(p, p) for p in PERIODS])
        self.period_filter.setCurrentText("本年度")
        self.search = search_box("编号、主题、地点或主持人")
        boxes = (self.org_filter, self.kind_filter, self.status_filter, self.period_filter)
        for box in boxes:
            box.currentIndexChanged.connect(lambda _i: self.load_meetings())
        self.search.returnPressed.connect(self.load_meetings)
        filters = fill(QHBoxLayout(), *boxes, (self.search, 1))

        tb, action = toolbar(self)
        self.act_plan = action("add", "计划会议", self.plan_meeting, "Ctrl+N", writes=True)  # 新增 is Ctrl+N on every page
        self.act_batch = action("plan-batch", "批量计划…", self.plan_batch, writes=True,
                                tip="按周期一次计划一个季度或全年的三会一课（只列尚需计划的会议）")
        self.act_edit = action("edit", "修改", self.edit_selected, writes=True)
        self.act_attendance = action("attendance", "登记出勤", self.record_attendance, tip="逐人登记出席、请假、缺席",
                                     writes=True)
        self.act_all_present = action("all-present", "全部出席", self.all_present_selected, writes=True)
        self.act_topics = action("print-ballot", "议题与表决", lambda: open_topics(self), tip="会议的议题、决定和赞成/反对/弃权票数")
        tb.addSeparator()
        self.act_signin = action("print", "打印签到表", self.print_signin,
                                 tip="会前打印，带会议编号和二维码；选中多次会议（或都不选：列表中的全部会议）时打印到一个 PDF")
        self.act_record = action("logs", "打印会议记录", self.print_record)
        self.act_attach = action("attach", "添加附件", self.attach_file, tip="签字后的签到表扫描件、会议照片", writes=True)
        self.act_scan = action("qrcode", "读取签到表扫描件", lambda: read_signin_scan(self),
                               tip="扫描或拍照签字后的签到表，自动预填出勤，核对后一键保存", writes=True)
        tb.addSeparator()
        self.act_import = action("import", "导入出勤", self.import_attendance,
                                 tip="从 Excel/WPS 表格或 CSV 文件导入出勤（按会议编号）", writes=True)
        self.act_template = action("template", "出勤模板", lambda: attendance_file.save_template(
            self, row.id if (row := self.selected_row()) else None),
            tip="下载出勤导入模板；选中一次会议时，模板里预先列出它的应到人员", writes=True)  # only for that import
        self.act_committee = action("committee", "支委会成员", self.edit_committee, writes=True)
        tb.addSeparator()
        self.act_cancel = action("cancel", "取消会议", self.cancel_selected, writes=True)
        self.act_delete = action("delete", "删除", self.delete_selected, DELETE_KEYS, writes=True)

        self.model = MeetingsModel(self)
        self.view = table_view(self.model, fit=False)  # several selected: their sign-in sheets print at once
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TOPIC, QHeaderView.ResizeMode.Stretch)
        # at 150% scale the columns sized to their contents left the topic 55 pixels ("讨论…"): it keeps
        # room for a usual topic and the table scrolls sideways instead
        stretch_floor(self.view, TOPIC, self.view.fontMetrics().horizontalAdvance("学习12月理论学习资料") + 12)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        # a double-click or Enter: who works from the keyboard opens a meeting as well
        # a double-click registers attendance: not for an account the window hides 登记出勤 from
        self.view.activated.connect(lambda _i: self.act_attendance.isVisible() and self.record_attendance())

        self.details = details_label()
        self.files = QListWidget()
        self.files.setMaximumHeight(110)
        self.files.itemDoubleClicked.connect(self._open_file)
        side = panel((self.details, 1), QLabel("附件（双击打开）"), self.files)
        split = splitter(self.view, side, stretch=(4, 1))
        side.setMinimumWidth(240)
        side.setMaximumWidth(360)

        self.count_label = QLabel()
        w = QWidget()
        column(w, filters, tb, (split, 1), self.count_label)
        self._update_actions()
        return w

    def _build_members(self) -> QWidget:
        self.rate_org = combo([("全部党组织", None)])
        self.rate_period = combo([(p, p) for p in ("本年度", "近12个月", "上年度", "全部")])
        self.rate_org.currentIndexChanged.connect(lambda _i: self.load_rates())
        self.rate_period.currentIndexChanged.connect(lambda _i: self.load_rates())
        self.rates = _table(RATE_COLUMNS, self)
        self.rates.doubleClicked.connect(lambda _i: self.show_history())
        w = QWidget()
        column(w, fill(QHBoxLayout(), self.rate_org, self.rate_period, 1, QLabel("双击查看个人参会记录")),
               (self.rates, 1))
        return w

    def _build_followup(self) -> QWidget:
        self.streak_n = QSpinBox()
        self.streak_n.setRange(1, 24)
        self.streak_n.setValue(3)
        self.streak_n.setSuffix(" 次")
        self.streak_n.valueChanged.connect(lambda _v: self.load_followup())
        self.streaks = _table(STREAK_COLUMNS, self)
        self.risks = _table(RISK_COLUMNS, self)
        self.risk_note = wrapped()
        w = QWidget()
        column(w, fill(QHBoxLayout(), QLabel("连续缺席应参加的会议（请假不计）达"), self.streak_n, 1), (self.streaks, 1),
               QLabel("<b>失联风险</b>：6 个月未参加组织生活、未交纳党费的党员"), (self.risks, 1), self.risk_note)
        return w

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        super().refresh()
        self.today = date.today()
        db = self.ctx.db
        run_op(self, lambda job: ms.holders(db), self._holders_loaded)

    def _holders_loaded(self, holders: list[tuple[str, str, str, int]]) -> None:
        self.holders = holders
        for box in (self.org_filter, self.rate_org):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem("全部党组织", None)
            for oid, name, kind, depth in holders:
                if kind != "group" or box is self.org_filter:
                    box.addItem("　" * depth + name, oid)
            i = box.findData(current)
            box.setCurrentIndex(max(i, 0))
            box.blockSignals(False)
        self._load_tab()

    def _load_tab(self) -> None:
        [self.load_meetings, self.load_rates, self.load_followup][self.tabs.currentIndex()]()

    def filter_widgets(self) -> dict[str, QWidget]:
        return {"org": self.org_filter, "kind": self.kind_filter, "status": self.status_filter,
                "period": self.period_filter, "text": self.search}

    def apply_filter(self, year: int | None = None, **values) -> dict:
        """`year` picks that year's period (本年度, 上年度 or the year itself); the list tab shows."""
        if year is not None:
            named = {self.today.year: "本年度", self.today.year - 1: "上年度"}.get(year, f"{year}年")
            if self.period_filter.findData(named) < 0:
                self.period_filter.addItem(named, named)
            values["period"] = named
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(0)
        self.tabs.blockSignals(False)
        return super().apply_filter(**values)

    def current_filter(self) -> ms.MeetingFilter:
        first, last = period_range(self.period_filter.currentData(), self.today)
        return ms.MeetingFilter(
            org_id=self.org_filter.currentData(), kind=self.kind_filter.currentData(),
            status=self.status_filter.currentData(), date_from=first, date_to=last, text=self.search.text(),
        )

    def load_meetings(self) -> None:
        db, flt, keep = self.ctx.db, self.current_filter(), self._select_after or self.selected_id()
        self._select_after = None
        run_op(self, lambda job: ms.list_meetings(db, flt), lambda rows: self._show_meetings(rows, keep))

    def _show_meetings(self, rows: list[ms.MeetingRow], keep: str | None) -> None:
        self.model.set_rows(rows, self.today)
        self.count_label.setText(meetings_summary(rows, self.today))
        i = self.model.find(keep)
        if i >= 0:
            self.view.selectRow(i)
            self.view.scrollTo(self.model.index(i, 0))
        self._selection_changed()
        self.loaded.emit()

    def load_rates(self) -> None:
        db, org = self.ctx.db, self.rate_org.currentData()
        first, last = period_range(self.rate_period.currentData(), self.today)
        run_op(self, lambda job: ms.member_rates(db, org, first, last), self._show_rates)

    def _show_rates(self, rows: list[ms.MemberRate]) -> None:
        rows = sorted(rows, key=lambda x: (x.counts.rate if x.counts.rate is not None else 2, x.branch_name))
        self.rates.model().set_rows(rows)
        self.loaded.emit()

    def load_followup(self) -> None:
        db, n, today = self.ctx.db, self.streak_n.value(), self.today

        def load(job):
            streaks = ms.absent_streaks(db, n, today)
            paid = _dues_provider(db)
            return streaks, ms.lost_contact_risk(db, today, paid), paid is not None

        run_op(self, load, self._show_followup)

    def _show_followup(self, result) -> None:
        streaks, risks, dues_known = result
        self.streaks.model().set_rows(streaks)
        self.risks.model().set_rows(risks)
        self.risk_note.setText(
            f"共 {len(streaks)} 人连续缺席，{len(risks)} 人有失联风险。"
            + ("" if dues_known else "（党费记录暂不可用，只按组织生活判断。）"))
        self.loaded.emit()

    # ------------------------------------------------------------------ selection
    def selected_row(self) -> ms.MeetingRow | None:
        idx = self.view.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return row.id if row else None

    def selected_rows(self) -> list[ms.MeetingRow]:
        """The selected meetings in the list's order (none when nothing is selected)."""
        found = (self.model.row_at(i) for i in sorted({x.row() for x in self.view.selectionModel().selectedRows()}))
        return [r for r in found if r is not None]

    def select(self, meeting_id: str) -> bool:
        i = self.model.find(meeting_id)
        if i >= 0:
            self.view.selectRow(i)
        return i >= 0

    def _selection_changed(self) -> None:
        self._update_actions()
        row = self.selected_row()
        self.files.clear()
        if row is None:
            self.detail = None
            self.details.setText(self.offered("选择一次会议查看详情。\n\n会前点“打印签到表”。会后点“登记出勤”。"
                                              "\n\n选中多次会议（或都不选：列表中的全部会议），签到表一次打印到一个 PDF。"))
            return
        db = self.ctx.db
        run_op(self, lambda job: ms.get(db, row.id), self._show_detail)

    def _show_detail(self, d: ms.MeetingDetail) -> None:
        if d.id != self.selected_id():
            return
        self.detail = d
        leave = "、".join(f"{a.name}（{a.reason}）" if a.reason else a.name
                          for a in d.attendees if a.status == rules.LEAVE and not a.is_guest)
        guests = "、".join(a.name for a in d.attendees if a.is_guest)
        when = f"{d.meeting_date:%Y-%m-%d}" + (f" {d.start_time:%H:%M}" if d.start_time else "")
        q = ""
        if d.quorum.applies and d.status == rules.HELD:
            color = "#c8161e" if d.quorum.lacking else "#444"
            q = f"<p style='color:{color}'>法定人数：{d.quorum.note}</p>"
        elif d.quorum.applies and d.quorum.base:
            q = f"<p>法定人数：须有 {d.quorum.needed} 人以上到会（{d.quorum.base} 人的过半数）</p>"
        lecturer = f"授课人：{d.lecturer}<br>" if d.lecturer else ""
        cancelled = f"<p>取消原因：{d.cancel_reason}</p>" if d.status == rules.CANCELLED and d.cancel_reason else ""
        self.details.setText(
            f"<h3>{d.title}</h3><p>{d.kind}　{d.status_label}<br>编号：{d.number}<br>"
            f"党组织：{d.org_name}<br>时间：{when}<br>地点：{d.place}<br>主持人：{d.host}<br>"
            f"记录人：{d.recorder}<br>{lecturer}</p>"
            + (f"<p>应到 {d.expected} 人，实到 {d.present} 人，请假 {d.leave} 人，缺席 {d.absent} 人，"
               f"列席 {d.guests} 人，出席率 {rules.format_rate(d.rate)}</p>" if d.status == rules.HELD
               else f"<p>应到 {d.expected} 人，列席 {d.guests} 人"
                    + (f"，已请假 {d.leave} 人" if d.leave else "") + "</p>")
            + f"{q}{cancelled}"
            + (f"<p>请假：{leave}</p>" if leave else "")
            + (f"<p>列席：{guests}</p>" if guests else "")
        )
        self.files.clear()  # a second read of the same meeting may arrive after the first: list its files once
        for f in d.files:
            add_item(self.files, f.file_name, f.id, icons.get("attach"))

    def _update_actions(self) -> None:
        row = self.selected_row()
        has = row is not None
        live = has and row.status != rules.CANCELLED
        for act in (self.act_edit, self.act_record, self.act_attach, self.act_delete):
            act.setEnabled(has)
        self.act_signin.setEnabled(self.model.rowCount() > 0)  # nothing selected: the whole list, asked first
        several = len(self.view.selectionModel().selectedRows())
        self.act_signin.setText(f"打印签到表（{several} 个会议）" if several > 1 else "打印签到表")
        held = bool(live and row.meeting_date <= date.today())
        if not has:
            why = "请先在列表中选中一次会议"
        elif not live:
            why = "会议已取消"
        else:
            why = f"会议日期（{row.meeting_date.isoformat()}）之后才能登记"
        for act in (self.act_attendance, self.act_all_present, self.act_scan, self.act_topics):
            act.setEnabled(held)
            # a disabled action says why (the enabled one keeps its own help text)
            base = act.property("help_text")
            if base is None:
                base = act.toolTip()
                act.setProperty("help_text", base)
            act.setToolTip(base if held else f"{act.text()}：{why}")
        # a cancelled meeting held after all: the refusal to record it says 请先改回“计划中”, and this does it
        self.act_cancel.setEnabled(bool(has and row.status != rules.HELD))
        self.act_cancel.setText("改回计划中" if has and not live else "取消会议")
        self.act_cancel.setIcon(icons.get("undo" if has and not live else "cancel"))  # the toolbar shows icons

    # ------------------------------------------------------------------ writing
    def show_message(self, text: str, path: Path | None = None) -> None:
        link = f"　<a href='{QUrl.fromLocalFile(str(path)).toString()}'>打开</a>" if path else ""
        self.message.setText(text + link)
        main = self.window()
        if hasattr(main, "statusBar") and main is not self:
            main.statusBar().showMessage(text, 8000)

    def _write(self, fn: Callable[[Database], Any], done: Callable[[Any], None] | None = None) -> None:
        db = self.ctx.db

        def ok(result: Any) -> None:
            if isinstance(result, ms.MeetingRow):
                self._select_after = result.id
            if done is not None:
                done(result)

        run_op(self, lambda job: fn(db), ok, changes=WRITES)

    def plan_batch(self) -> None:
        """按周期批量计划 for the organisation in the filter (a 党小组: its branch)."""
        open_batch_plan(self, self.ctx.db, self.holders, self.org_filter.currentData(), self.today.year, self.today,
                        changes=WRITES)

    def plan_meeting(self, org_id: str | None = None, kind: str | None = None, day: date | None = None) -> None:
        org_id = org_id or self.org_filter.currentData()
        db = self.ctx.db
        save, twin_note = _noting_twins(db, lambda inp, ids, guests, _read: ms.plan(db, inp, ids, guests))

        def said(d: ms.MeetingDetail) -> str:
            return (f"已计划会议 {d.number}（{d.kind}，{d.meeting_date:%Y-%m-%d}），应到 {d.expected} 人。"
                    + ("会议日期已过，可以“登记出勤”。" if d.meeting_date < date.today() else "会前可打印签到表。")
                    + twin_note(d))

        dlg = MeetingDialog(self, db, self.holders, org_id=org_id, kind=kind or self.kind_filter.currentData(),
                            day=day, save=save, changes=WRITES)
        self._run_meeting_form(dlg, said)

    def _run_meeting_form(self, dlg: MeetingDialog, said: Callable[[Any], str]) -> None:
        """Run the meeting form, which saves from inside (a refusal stays in it); once saved, select and say so."""
        def saved(d: ms.MeetingDetail) -> None:
            self._select_after = d.id
            self.show_message(said(d))

        dlg.record_saved.connect(saved)
        dlg.exec()

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        db = self.ctx.db
        run_op(self, lambda job: ms.get(db, row.id), self._open_editor)

    def _open_editor(self, d: ms.MeetingDetail) -> None:
        db = self.ctx.db
        save, twin_note = _noting_twins(db, lambda inp, ids, guests, read_at: ms.update(
            db, d.id, inp, ids, guests, expected_version=read_at))
        self._run_meeting_form(MeetingDialog(self, db, self.holders, detail=d, changes=WRITES, save=save),
                               lambda r: f"已保存会议 {r.number}。" + twin_note(r))

    def record_attendance(self) -> None:
        row = self.selected_row()
        if row is None or row.status == rules.CANCELLED:
            return
        db = self.ctx.db
        run_op(self, lambda job: ms.get(db, row.id), self._open_attendance)

    def _open_attendance(self, d: ms.MeetingDetail) -> None:
        db = self.ctx.db
        dlg = AttendanceDialog(self, d, changes=WRITES, save=lambda entries, read_at: ms.record_attendance(
            db, d.id, entries, expected_version=read_at))
        dlg.record_saved.connect(self._attendance_saved)  # a refusal stays in the dialog, the marks kept
        dlg.exec()

    def _attendance_saved(self, d: ms.MeetingDetail) -> None:
        text = (f"会议 {d.number} 已登记出勤：应到 {d.expected} 人，实到 {d.present} 人，"
                f"出席率 {rules.format_rate(d.rate)}")
        if d.quorum.lacking:
            text += "。注意：未达到法定人数"
        self.show_message(text + "。")

    def all_present_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.recorded and not common.ask(self, "全部出席", f"会议 {row.number} 已登记过出勤，改为全部出席吗？"):
            return
        self._write(lambda db: ms.all_present(db, row.id), self._attendance_saved)

    def cancel_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.status == rules.CANCELLED:  # the same button, as the toolbar shows it
            self.reopen_selected()
            return
        if row is None or row.status != rules.PLANNED:
            return
        from desktop_app.gui.widgets.dialog import LineDialog

        db = self.ctx.db
        # saves from inside: a refusal (held meanwhile, a reason too long) shows here with the reason kept
        dlg = LineDialog(self, "取消会议", f"取消会议 {row.number}（{row.title}）的原因：",
                         lambda reason: ms.cancel(db, row.id, reason), changes=WRITES)
        self._run_meeting_form(dlg, lambda d: f"会议 {d.number} 已取消。")

    def reopen_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != rules.CANCELLED:
            return
        d = getattr(self, "detail", None)  # the selected meeting's record, loaded with the selection
        why = f"（{d.cancel_reason}）" if d is not None and d.id == row.id and d.cancel_reason else ""
        if not common.ask(self, "改回计划中", f"会议 {row.number}（{row.title}）已取消{why}。\n改回“计划中”后可以登记出勤。"):
            return
        self._write(lambda db: ms.reopen(db, row.id), lambda d: self.show_message(
            f"会议 {d.number} 已改回计划中。" + ("会后可登记出勤。" if d.meeting_date > date.today() else "可以登记出勤了。")))

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.status == rules.HELD:
            extra = ("\n这次会议已召开：它的出勤记录一并删除，三会一课落实中不再算它召开过。\n"
                     "出勤登记有误时，请用“登记出勤”更正，不必删除。")
        else:  # guests named at planning are 列席 already: not a record anyone would miss
            extra = "\n已登记的请假记录也会一并删除。" if row.recorded > row.guests else ""
        if not common.ask(self, "删除会议", f"确定删除会议 {row.number}（{row.title}）吗？{extra}"):
            return
        self._write(lambda db: ms.delete(db, row.id), lambda _r: self.show_message(f"已删除会议 {row.number}。"))

    # ------------------------------------------------------------------ files
    def _save_path(self, title: str, name: str) -> Path | None:
        from desktop_app.gui.widgets import forms

        return forms.ask_save_path(self, title, name)

    def _print(self, what: str, writer: Callable[[Database, str, Path], Any]) -> None:
        row = self.selected_row()
        if row is None:
            return
        path = self._save_path(f"打印{what}", f"{what}-{row.number}.pdf")
        if path is None:
            return
        db = self.ctx.db

        def done(_r: Any) -> None:
            self.show_message(f"{what}已保存到 {path}", path)
            from desktop_app.gui.widgets import forms

            forms.offer_open(self, path, f"{what}已保存到\n{path}")

        run_op(self, lambda job: writer(db, row.id, path), done, label=f"正在生成{what}…")

    def print_signin(self) -> None:
        """One selected meeting's sheet as always; several selected, or none (the list), into one PDF."""
        rows = self.selected_rows()
        if len(rows) == 1 and self.selected_row() is not None:
            self._print("签到表", lambda db, mid, path: ms.print_signin_sheet(db, mid, path))
        else:
            print_signin_batch(self, rows)

    def print_record(self) -> None:
        self._print("会议记录", lambda db, mid, path: ms.print_meeting_record(db, mid, path))

    def attach_file(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from desktop_app.gui.widgets.forms import ask_open_paths  # starts in Documents, refuses the data folder

        paths = ask_open_paths(
            self, f"为会议 {row.number} 添加附件",
            "扫描件和照片 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.heic);;所有文件 (*)")
        if not paths:
            return

        # One act: all the files are kept or, when one is refused, none (the refusal names it).
        self._write(lambda db: ms.add_attachments(db, row.id, paths),
                    lambda added: self.show_message(
                        f"已为会议 {row.number} 添加 {len(added)} 个附件（已复制到数据文件夹）。"))

    def _open_file(self, item: QListWidgetItem) -> None:
        db, att = self.ctx.db, value_of(item)
        run_op(self, lambda job: ms.attachment_path(db, att),
               lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def import_attendance(self) -> None:
        imp = attendance_import
        path = attendance_file.ask_file(self)
        if not path:
            return
        db = self.ctx.db

        def checked(check: ms.AttendanceCheck) -> None:
            if check.errors:
                lines = "\n".join(e.message() for e in check.errors[:12])
                more = f"\n…… 另有 {len(check.errors) - 12} 处" if len(check.errors) > 12 else ""
                if not check.valid_rows:
                    common.inform(self, "无法导入", f"{check.summary()}\n\n{lines}{more}")
                    return
                if not common.ask(self, "导入出勤", f"{check.summary()}\n\n{lines}{more}\n\n"
                                                    "跳过有错误的行，只导入其余各行吗？"):
                    return
            elif not common.ask(self, "导入出勤", f"{check.summary()}\n\n导入后这些会议记为已召开。现在导入吗？"):
                return
            # The checked preview is what gets written: the file is not read a second time.
            self._write(lambda db: imp.apply(db, check, skip_invalid=bool(check.errors)),
                        lambda res: self.show_message(f"已导入 {res.meetings} 次会议的 {res.rows} 条出勤记录"
                                                      + (f"，跳过 {res.skipped_invalid} 行" if res.skipped_invalid
                                                         else "") + "。"))

        run_op(self, lambda job: imp.preview(db, path), checked, label="正在检查文件…")

    # ------------------------------------------------------------------ committee and members
    def edit_committee(self) -> None:
        org = self.org_filter.currentData()
        row = self.selected_row()
        branch_id = row.branch_id if row and row.branch_id else None
        if branch_id is None and org:
            branch_id = next((oid for oid, _n, kind, _d in self.holders if oid == org and kind == "branch"), None)
        if branch_id is None:
            common.inform(self, "支委会成员", "请先在上方选择一个党支部（或选中该支部的一次会议）。")
            return
        db, name = self.ctx.db, next(n for oid, n, _k, _d in self.holders if oid == branch_id)
        run_op(self, lambda job: (ms.branch_people(db, branch_id), ms.committee(db, branch_id)),
               lambda res: self._open_committee(branch_id, name.strip("　"), *res))

    def _open_committee(self, branch_id: str, name: str, people, seats) -> None:
        db = self.ctx.db
        dlg = CommitteeDialog(self, name, people, seats, changes=WRITES,
                              save=lambda wanted, since: ms.set_committee(db, branch_id, wanted, since))
        dlg.record_saved.connect(lambda s: self.show_message(f"{name}支委会成员已保存（{len(s)} 人）。"))
        dlg.exec()

    def show_history(self) -> None:
        rate = self.rates.model().row(self.rates.currentIndex().row())
        if rate is None:
            return
        db, mid = self.ctx.db, rate.member_id
        run_op(self, lambda job: ms.member_history(db, mid), lambda h: MemberHistoryDialog(self, h).exec())


def _noting_twins(db: Database, save: Callable[..., ms.MeetingDetail]):
    """`save` that also reads, off-thread, the other meetings of its kind its organisation has that day,
    and the note to add to the page's message: the same meeting planned twice (last week's entered again,
    or a date changed onto another's) would stay 待登记出勤 for ever."""
    twins: dict[str, list[str]] = {}

    def saving(*args) -> ms.MeetingDetail:
        d = save(*args)
        twins[d.id] = ms.same_day(db, d.id)
        return d

    def note(d: ms.MeetingDetail) -> str:
        same = twins.get(d.id)
        return (f"注意：{d.org_name} {d.meeting_date:%Y-%m-%d} 已有一次{d.kind}（{'、'.join(same)}）。"
                "如是重复计划，请删除多余的一次。") if same else ""

    return saving, note


def _dues_provider(db: Database) -> Callable[[str], date | None] | None:
    """The dues half of the 失联 rule, when the dues module is there to ask."""
    try:
        from desktop_app.services import dues
    except ImportError:
        return None
    fetch = getattr(dues, "dues_last_paid_map", None)
    if fetch is None:
        return None
    return fetch(db).get
