"""Plan or edit a meeting; the branch committee register.

The meeting form saves from inside (the caller gives the service call): a refusal
(a meeting changed by someone else since the form opened, one that cannot move,
a wrong field) shows in the form with what was typed kept. The people list of the
chosen organisation is loaded in the background and ticked as the kind expects
(everyone, the committee for a 支委会, nobody for a 联席会议).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QPlainTextEdit, QPushButton, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.domain.cadence import COMMITTEE_MIN_FULL_MEMBERS
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import DateEdit, TimeEdit
from desktop_app.gui.widgets.items import add_check, check_all, checked
from desktop_app.gui.widgets.layouts import column, fill, form_layout
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.services import meetings as ms
from desktop_app.services.database import Database
from desktop_app.views.changes import Changes

# save(input, attendee ids or None, guests, version read or None): the service call the form makes
MeetingSave = Callable[[ms.MeetingInput, "list[str] | None", "list[ms.Guest]", "int | None"], Any]


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


_GUEST = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<unit>.*?)[）)])?$")


def parse_guests(text: str, members: dict[str, str] | None = None) -> list[ms.Guest]:
    """“周书记（梅园街道党工委）、吴老师” -> guests; names in `members` (name -> id) are members."""
    out = []
    for part in re.split(r"[、，,；;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = _GUEST.match(part)
        name, unit = (m["name"].strip(), (m["unit"] or "").strip()) if m else (part, "")
        mid = (members or {}).get(name)
        out.append(ms.Guest(name=name, unit=unit, member_id=mid))
    return out


def guests_text(detail: ms.MeetingDetail) -> str:
    return "、".join(f"{a.name}（{a.guest_unit}）" if a.guest_unit else a.name
                    for a in detail.attendees if a.is_guest)


class MeetingDialog(SavingDialog):  # asks before typed data is thrown away
    """计划会议 / 修改会议; `save` makes the service call (none: OK only closes, the caller reads values())."""

    people_loaded = Signal()
    period_loaded = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        db: Database,
        holders: list[tuple[str, str, str, int]],
        *,
        detail: ms.MeetingDetail | None = None,
        org_id: str | None = None,
        kind: str | None = None,
        day: date | None = None,
        save: MeetingSave | None = None,
        changes: Changes | None = None,
    ):
        super().__init__(parent, f"修改会议 {detail.number}" if detail else "计划会议",
                         "保存" if detail else "计划会议", changes=changes)
        self.db = db
        self.detail = detail
        self._meeting_save = save
        self._loaded = False
        self._load_generation = 0

        self.org = QComboBox()
        for oid, name, okind, depth in holders:
            self.org.addItem("　" * depth + name, oid)
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(k, k)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("会议主题，如：学习贯彻党的二十届三中全会精神（不填则为会议类型）")
        self.title_edit.setMaxLength(rules.TITLE_MAX)
        self.day = DateEdit()  # the kit's: Tab goes on to the time, not to the month
        self.has_time = QCheckBox("填写时间")
        self.start = TimeEdit(QTime(9, 0))  # the kit's: Tab goes on to the end time, not to the minute
        self.end = TimeEdit(QTime(11, 0))
        self.has_time.toggled.connect(self.start.setEnabled)
        self.has_time.toggled.connect(self.end.setEnabled)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：党群服务中心二楼会议室")
        self.host = QLineEdit()
        self.recorder = QLineEdit()
        self.lecturer = QLineEdit()
        self.lecturer.setPlaceholderText("党课的授课人")
        self.guests = QLineEdit()
        self.guests.setPlaceholderText("列席人员，用顿号分隔，单位写在括号里：周书记（梅园街道党工委）、吴老师")
        self.minutes = QPlainTextEdit()
        self.minutes.setPlaceholderText("会议内容与决定（会后填写，打印会议记录时用）")
        self.minutes.setTabChangesFocus(True)

        self.people = QListWidget()
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.people.itemChanged.connect(lambda _i: self._update_count())
        self.people_count = QLabel()
        self.people_note = QLabel()  # a 支委会 of a branch with no committee registered: why nobody is ticked
        self.people_note.setWordWrap(True)
        self.people_note.setStyleSheet("color:#8a5a00")
        self.people_note.hide()
        self._no_committee = ""  # the refusal when nothing is ticked for such a 支委会
        check_all = QPushButton("全选")
        check_none = QPushButton("全不选")
        check_all.clicked.connect(lambda: self._check_all(True))
        check_none.clicked.connect(lambda: self._check_all(False))

        self.error = self.message  # the form's one line for refusals
        # The same kind already planned or held in the day's period: said before saving, not found on the grid after
        self.period_note = QLabel()
        self.period_note.setWordWrap(True)
        self.period_note.setStyleSheet("color:#8a5a00")
        self.period_note.hide()
        self._period_generation = 0

        time_row = fill(QHBoxLayout(), self.has_time, self.start, QLabel("至"), self.end, 1)
        form = form_layout(
            ("党组织", self.org), ("会议类型", self.kind), ("会议主题", self.title_edit),
            ("会议日期", column(None, self.day, self.period_note)),
            ("会议时间", time_row), ("会议地点", self.place), ("主持人", self.host), ("记录人", self.recorder),
            ("授课人", self.lecturer), ("列席人员", self.guests), ("会议记录", self.minutes))
        people_head = fill(QHBoxLayout(), QLabel("应到人员"), 1, check_all, check_none)
        right = column(None, people_head, self.people_note, (self.people, 1), self.people_count)
        body = fill(QHBoxLayout(), (form, 3), (right, 2))
        column(self, (body, 1), self.message, self.buttons)  # the minutes and the list take the height
        self.resize(880, 560)

        self._member_guests: dict[str, str] = {}
        if detail is not None:
            self._fill(detail)
        else:
            # a combination that can be held: a branch (the first one when none is chosen) and its 党员大会,
            # a 党小组 and its 党小组会
            org_kinds = {oid: okind for oid, _n, okind, _d in holders}
            if org_kinds.get(org_id) not in ("branch", "group"):
                org_id = next((oid for oid, okind in org_kinds.items() if okind == "branch"), org_id)
            self._select(self.org, org_id)
            default_kind = rules.GROUP_MEETING if org_kinds.get(org_id) == "group" else rules.BRANCH_CONGRESS
            self._select(self.kind, kind or default_kind)
            self.day.setDate(to_qdate(day or date.today()))
            self.has_time.setChecked(True)
        self._kind_changed()
        self.org.currentIndexChanged.connect(lambda _i: self.load_people(reset=True))
        self.kind.currentIndexChanged.connect(lambda _i: (self._kind_changed(), self.load_people(reset=True)))
        self.load_people(reset=detail is None)
        self.org.currentIndexChanged.connect(lambda _i: self.load_period())
        self.kind.currentIndexChanged.connect(lambda _i: self.load_period())
        self.day.dateChanged.connect(lambda _d: self.load_period())
        self.load_period()
        self.first_field = self.title_edit

    @staticmethod
    def _select(combo: QComboBox, data) -> None:
        i = combo.findData(data)
        if i >= 0:
            combo.setCurrentIndex(i)

    def _fill(self, d: ms.MeetingDetail) -> None:
        self._select(self.org, d.org_id)
        self._select(self.kind, d.kind)
        self.title_edit.setText(d.title)
        self.day.setDate(to_qdate(d.meeting_date))
        self.has_time.setChecked(d.start_time is not None)
        self.start.setEnabled(d.start_time is not None)
        self.end.setEnabled(d.start_time is not None)
        if d.start_time:
            self.start.setTime(QTime(d.start_time.hour, d.start_time.minute))
        if d.end_time:
            self.end.setTime(QTime(d.end_time.hour, d.end_time.minute))
        self.place.setText(d.place)
        self.host.setText(d.host)
        self.recorder.setText(d.recorder)
        self.lecturer.setText(d.lecturer)
        self.guests.setText(guests_text(d))
        self._member_guests = {a.name: a.member_id for a in d.attendees if a.is_guest and a.member_id}
        self.minutes.setPlainText(d.minutes)

    def _kind_changed(self) -> None:
        self.lecturer.setEnabled(self.kind.currentData() == rules.PARTY_LECTURE)

    # --- the period -----------------------------------------------------------

    def load_period(self) -> None:
        """Read what the organisation already has of the kind in the day's period; say it under the date."""
        org_id, kind, day = self.org.currentData(), self.kind.currentData(), from_qdate(self.day.date())
        if not org_id or not kind:
            return
        self._period_generation += 1
        generation, db, own = self._period_generation, self.db, self.detail.id if self.detail else None

        def done(twins: ms.PeriodTwins | None) -> None:
            if generation == self._period_generation:  # else the form changed again meanwhile
                self._note_period(kind, twins)
                self.period_loaded.emit()

        run_op(self, lambda job: ms.same_period(db, org_id, kind, day, own), done)

    def _note_period(self, kind: str, twins: ms.PeriodTwins | None) -> None:
        if twins is None or not twins.meetings:
            self.period_note.hide()
            self.period_note.setText("")
            return
        listed = "、".join(f"{n}（{d:%m-%d}，{rules.MEETING_STATUS_LABELS.get(st, st)}）" for n, d, st in twins.meetings)
        have = len(twins.meetings)
        if have >= twins.times:
            text = (f"注意：{twins.period}已有{kind} {have} 次：{listed}；本期应开 {twins.times} 次，"
                    "再计划就多出一次。如是重复计划，请改期或不再计划。")
        else:
            text = f"{twins.period}已有{kind} {have} 次：{listed}；本期应开 {twins.times} 次。"
        self.period_note.setText(text)
        self.period_note.show()

    # --- people ---------------------------------------------------------------
    def load_people(self, reset: bool) -> None:
        """Fill the list with the organisation's members; tick the kind's default (reset) or the meeting's list."""
        org_id, kind = self.org.currentData(), self.kind.currentData()
        if not org_id:
            return
        self._load_generation += 1
        generation, db = self._load_generation, self.db
        on = from_qdate(self.day.date())
        keep = None
        if not reset and self.detail is not None:
            keep = [a.member_id for a in self.detail.attendees if not a.is_guest and a.member_id]

        def load(job):
            people = ms.branch_people(db, org_id, on)
            try:
                default = [p.member_id for p in ms.default_attendees(db, org_id, kind, on)]
            except ValidationError:
                default = []  # this kind is not held by that organisation: the save will say so
            return people, default

        def done(result) -> None:
            if generation != self._load_generation:
                return  # the user changed the organisation again meanwhile
            people, default = result
            self._note_committee(kind == rules.COMMITTEE and not default, people)
            ticked = set(keep if keep is not None else default)
            extra = [a for a in (self.detail.attendees if self.detail else ())
                     if keep is not None and not a.is_guest and a.member_id
                     and a.member_id not in {p.member_id for p in people}]
            self._show_people(people, ticked, extra, default_order=default if keep is None else keep)

        run_op(self, load, done)

    def _note_committee(self, missing: bool, people: list[ms.ExpectedPerson]) -> None:
        """A 支委会 expects the committee: with none registered the list cannot be ticked, so say
        where it is registered, and that a small branch need not have one (党章: 7 正式党员 or more)."""
        if not missing:
            self._no_committee = ""
            self.people_note.hide()
            return
        full = sum(1 for p in people if p.category == "正式党员")
        self._no_committee = "本支部未登记支委会成员：请在会议页面用「支委会成员」登记，或勾选到会的委员"
        note = self._no_committee + "。"
        if full < COMMITTEE_MIN_FULL_MEMBERS:
            note += (f"本支部正式党员 {full} 人，不足 {COMMITTEE_MIN_FULL_MEMBERS} 人的党支部可不设支委会，"
                     "由支部党员大会议事。")
            self._no_committee += f"（正式党员不足 {COMMITTEE_MIN_FULL_MEMBERS} 人的党支部可不设支委会）"
        self.people_note.setText(note)
        self.people_note.show()

    def _show_people(self, people: list[ms.ExpectedPerson], ticked: set[str], extra, default_order: list[str]) -> None:
        self.people.blockSignals(True)
        self.people.clear()
        order = {mid: i for i, mid in enumerate(default_order)}
        rows = sorted(people, key=lambda p: (p.member_id not in order, order.get(p.member_id, 0)))
        for p in rows:
            where = f"（{p.group_name}）" if p.group_name else ""
            marks = "　支委" if p.on_committee else ""
            marks += "　预备党员" if p.category == "预备党员" else ""
            add_check(self.people, f"{p.name}{where}{marks}", p.member_id, p.member_id in ticked)
        for a in extra:
            add_check(self.people, f"{a.name}（{a.org_name}）", a.member_id, True)
        self.people.blockSignals(False)
        self._loaded = True
        self._update_count()
        self.people_loaded.emit()

    def _check_all(self, on: bool) -> None:
        self.people.blockSignals(True)
        check_all(self.people, on)
        self.people.blockSignals(False)
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.attendee_ids() or [])
        self.people_count.setText(f"已选 {n} 人 / 共 {self.people.count()} 人")

    def attendee_ids(self) -> list[str] | None:
        """Ticked members in list order; None while the list has not loaded (the service then uses the default)."""
        if not self._loaded:
            return None
        return checked(self.people)

    # --- values ---------------------------------------------------------------
    def values(self) -> ms.MeetingInput:
        timed = self.has_time.isChecked()
        start = self.start.time() if timed else None
        end = self.end.time() if timed else None
        return ms.MeetingInput(
            org_id=self.org.currentData(),
            kind=self.kind.currentData(),
            title=self.title_edit.text(),
            meeting_date=from_qdate(self.day.date()),
            start_time=time(start.hour(), start.minute()) if start else None,
            end_time=time(end.hour(), end.minute()) if end else None,
            place=self.place.text(),
            host=self.host.text(),
            recorder=self.recorder.text(),
            lecturer=self.lecturer.text() if self.kind.currentData() == rules.PARTY_LECTURE else "",
            minutes=self.minutes.toPlainText(),
        )

    def guest_list(self) -> list[ms.Guest]:
        return parse_guests(self.guests.text(), self._member_guests)

    def prepare(self) -> Callable[[], Any] | None:
        inp = self.values()
        if not inp.org_id:
            raise ValidationError("党组织", "请选择召开会议的党组织")
        rules.check_title(inp.title, inp.kind)
        for label, text in (("会议地点", inp.place), ("主持人", inp.host), ("记录人", inp.recorder)):
            rules.check_short(label, text)
        if inp.start_time and inp.end_time and inp.end_time <= inp.start_time:
            raise ValidationError("结束时间", "应晚于开始时间")
        guests = self.guest_list()
        if any(not g.name for g in guests):
            raise ValidationError("列席人员", "姓名不能为空")
        ids = self.attendee_ids()
        if self._loaded and not ids and inp.kind == rules.COMMITTEE and self._no_committee:
            raise ValidationError("应到人员", self._no_committee)
        if self._loaded and not ids and inp.kind != rules.JOINT:
            raise ValidationError("应到人员", "请至少勾选一名应到人员")
        save = self._meeting_save
        if save is None:
            return None
        read_at = self.detail.version if self.detail else None  # the meeting as this form read it
        return lambda: save(inp, ids, guests, read_at)


@dataclass
class Seat:
    """A line of the committee as it is being edited."""

    member_id: str
    name: str
    role: str


class CommitteeDialog(SavingDialog):
    """支部委员会: who sits on it from a date; the register gives 支委会 their quorum.

    `save(seats, since)` makes the service call from inside: a refusal (a member who has left
    the branch meanwhile) shows here with the seats kept. None: OK only closes.
    """

    def __init__(self, parent: QWidget | None, branch_name: str, people: list[ms.ExpectedPerson],
                 seats: list[ms.CommitteeSeat], today: date | None = None, *,
                 save: Callable[[list[tuple[str, str]], date], Any] | None = None, changes: Changes | None = None):
        super().__init__(parent, f"支委会成员 — {branch_name}", changes=changes)
        self._seats_save = save
        self.names = {p.member_id: p.name for p in people} | {s.member_id: s.name for s in seats}
        self.model = ColumnModel((
            Column("姓名", lambda seat: seat.name, width=200),
            Column("职务", lambda seat: seat.role, width=120, edit=lambda seat, role: setattr(seat, "role", role),
                   choices=[(r, r) for r in rules.COMMITTEE_ROLES]),
        ), parent=self)
        self.table = table_view(self.model, stretch=0, editable=True)
        for s in seats:
            self.add_seat(s.member_id, s.role)
        self.pick = QComboBox()
        self.pick.setEditable(True)  # type a name to find it
        self.pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for p in people:
            self.pick.addItem(f"{p.name}（{p.group_name}）" if p.group_name else p.name, p.member_id)
        add = QPushButton("添加")
        add.clicked.connect(lambda: self.add_seat(self.pick.currentData(), "委员"))
        remove = QPushButton("移除选中")
        remove.clicked.connect(self._remove)
        self.since = DateEdit(today or date.today())
        self.error = self.message
        column(self, QLabel("支委会须有过半数委员到会方为有效。成员变动从所填日期起生效，以前的会议按当时的成员计算。"),
               (self.table, 1), fill(QHBoxLayout(), (self.pick, 1), add, remove),
               form_layout(("自何日起", self.since)), self.message, self.buttons)
        self.resize(460, 420)

    def add_seat(self, member_id: str | None, role: str) -> None:
        if not member_id or member_id in self.member_ids():
            return
        self.model.append(Seat(member_id, self.names.get(member_id, ""), role))  # with its role's combo box

    def _remove(self) -> None:
        for r in sorted({i.row() for i in self.table.selectionModel().selectedIndexes()}, reverse=True):
            self.model.remove(r)

    def member_ids(self) -> list[str]:
        return [seat.member_id for seat in self.model.rows]

    def seats(self) -> list[tuple[str, str]]:
        return [(seat.member_id, seat.role) for seat in self.model.rows]

    def since_date(self) -> date:
        return from_qdate(self.since.date())

    def prepare(self) -> Callable[[], Any] | None:
        seats, since, save = self.seats(), self.since_date(), self._seats_save
        if sum(1 for _, role in seats if role == "书记") > 1:
            raise ValidationError("职务", "一个支部只能有一名书记")
        return None if save is None else (lambda: save(seats, since))
