"""登记出勤: a checklist of the expected attendees, made to take a minute.

Keyboard: ↑/↓ move, 1 or Space = 出席, 2 = 请假 (then type the reason),
3 = 缺席, 4 = 列席 (guests); each key moves to the next person. The buttons
act on every selected row; 全部出席 marks everyone at once. People left
unrecorded are saved as 缺席, and the dialog says so before saving.

Opened from a scanned sign-in sheet, it comes pre-filled with what the scan
reader proposes; rows it is unsure of are highlighted until a person sets them,
and walk-ins' signatures on blank rows are counted for a person to name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.gui import icons
from desktop_app.gui.meetings.meeting_dialog import parse_guests
from desktop_app.services import meetings as ms

COLUMNS = ("序号", "姓名", "所在党小组 / 单位", "出勤情况", "请假原因")
COL_STATUS, COL_REASON = 3, 4
STATUS_COLORS = {
    rules.PRESENT: "#d9f2d9", rules.LEAVE: "#fff4c2", rules.ABSENT: "#f8d0d0", rules.GUEST: "#e3ecfa",
    rules.UNRECORDED: "#ffffff",
}
UNSURE_COLOR = "#ffa94d"  # a scanned cell the reader could not judge: a person looks at it
KEYS = {
    Qt.Key.Key_1: rules.PRESENT, Qt.Key.Key_Space: rules.PRESENT, Qt.Key.Key_2: rules.LEAVE,
    Qt.Key.Key_3: rules.ABSENT, Qt.Key.Key_4: rules.GUEST,
}


@dataclass
class _Person:
    attendance_id: str | None
    name: str
    where: str
    is_guest: bool
    status: str
    reason: str
    category: str = ""
    has_vote: bool = False
    on_committee: bool = False
    unit: str = ""


class AttendanceDialog(QDialog):
    def __init__(self, parent: QWidget | None, detail: ms.MeetingDetail,
                 proposal: Sequence[ms.ProposedLine] = (), unnamed: int = 0, notes: Sequence[str] = ()):
        super().__init__(parent)
        self.detail = detail
        self.from_scan = bool(proposal)
        self.setWindowTitle(f"{'核对签到表' if self.from_scan else '登记出勤'} — {detail.number}")
        self.people: list[_Person] = [
            _Person(a.id, a.name, a.guest_unit or a.org_name if a.is_guest else a.group_name, a.is_guest,
                    rules.GUEST if a.is_guest else a.status, a.reason, a.category, a.has_vote, a.on_committee,
                    a.guest_unit)
            for a in detail.attendees
        ]
        self.unsure: set[str] = set()
        proposed = {line.attendance_id: line for line in proposal}
        for p in self.people:
            line = proposed.get(p.attendance_id or "")
            if line is None or p.is_guest:
                continue
            p.status = line.proposed_status
            p.reason = (line.printed_leave or p.reason) if p.status == rules.LEAVE else ""
            if line.unsure:
                self.unsure.add(p.attendance_id or "")
        when = f"{detail.meeting_date:%Y-%m-%d}" + (f" {detail.start_time:%H:%M}" if detail.start_time else "")
        head = QLabel(f"<b>{detail.branch_name if detail.org_name == detail.branch_name else detail.org_name}"
                      f" {detail.kind}</b>　{detail.title}<br>编号 {detail.number}　{when}　{detail.place}")
        head.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.table.itemChanged.connect(self._item_changed)

        self.all_present = QPushButton(icons.get("all-present"), "全部出席")
        self.all_present.setToolTip("应到人员全部记为出席（列席人员记为列席）")
        self.all_present.clicked.connect(self.mark_all_present)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.all_present)
        for status, key in ((rules.PRESENT, "1"), (rules.LEAVE, "2"), (rules.ABSENT, "3")):
            b = QPushButton(f"{status}（{key}）")
            b.setToolTip(f"把选中的人记为{status}；也可按 {key} 键")
            b.clicked.connect(lambda _=False, st=status: self.set_selected(st))
            buttons_row.addWidget(b)
        buttons_row.addStretch(1)
        self.guest_edit = QLineEdit()
        self.guest_edit.setPlaceholderText("临时列席人员：吴老师（区委党校）")
        self.guest_edit.setMinimumWidth(240)
        add_guest = QPushButton("添加列席")
        add_guest.clicked.connect(self.add_guests)
        self.guest_edit.returnPressed.connect(self.add_guests)
        buttons_row.addWidget(self.guest_edit)
        buttons_row.addWidget(add_guest)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("attendanceSummary")
        hint = QLabel("↑↓ 选人，1 或空格＝出席，2＝请假（接着输入原因），3＝缺席，4＝列席；可多选后点按钮。")
        hint.setStyleSheet("color: #666")
        self.scan_note = QLabel()
        self.scan_note.setObjectName("scanNote")
        self.scan_note.setWordWrap(True)
        scan_lines = []
        if self.from_scan:
            scan_lines.append("已按签到表扫描件预填。" + (
                f"橙色的 {len(self.unsure)} 格看不准，请对照纸质签到表核对后按 1/2/3。" if self.unsure
                else "每一格都已看清，核对无误后点“确认并保存”即可。"))
        if unnamed:
            scan_lines.append(f"<b>未识别的签名 {unnamed} 处</b>：空白行上有人签名，请在上面“添加列席”填写姓名，"
                              "或把党员加入会议名单后再登记。")
        scan_lines += list(notes)
        self.scan_note.setText("<br>".join(scan_lines))
        self.scan_note.setVisible(bool(scan_lines))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(
            "确认并保存（扫描件存为附件）" if self.from_scan else "保存并记为已召开")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.scan_note)
        lay.addLayout(buttons_row)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        lay.addWidget(self.summary)
        lay.addWidget(box)
        self.resize(760, 620)
        self._fill()
        if self.table.rowCount():
            self.table.setCurrentCell(0, COL_STATUS)
        self.table.setFocus()

    # --- table ------------------------------------------------------------
    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.people))
        for r, p in enumerate(self.people):
            self._set_row(r, p)
        self.table.blockSignals(False)
        self._update_summary()

    def _set_row(self, r: int, p: _Person) -> None:
        texts = (str(r + 1), p.name, p.where, p.status or "未登记", p.reason)
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if c != COL_REASON:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if c == COL_STATUS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self._paint_status(item, p)
            self.table.setItem(r, c, item)

    def _paint_status(self, item: QTableWidgetItem, p: _Person) -> None:
        if (p.attendance_id or "") in self.unsure:
            item.setText(f"{p.status or '未登记'}？")
            item.setBackground(QBrush(QColor(UNSURE_COLOR)))
            item.setToolTip("扫描件上这一格看不准，请核对")
        else:
            item.setText(p.status or "未登记")
            item.setBackground(QBrush(QColor(STATUS_COLORS[p.status])))
            item.setToolTip("")

    def _refresh_row(self, r: int, reason: bool = True) -> None:
        self.table.blockSignals(True)
        p = self.people[r]
        self._paint_status(self.table.item(r, COL_STATUS), p)
        if reason:  # never while the reason cell's own editor is committing
            self.table.item(r, COL_REASON).setText(p.reason)
        self.table.blockSignals(False)

    def set_status(self, row: int, status: str) -> None:
        p = self.people[row]
        if (status == rules.GUEST) != p.is_guest:
            return  # expected people are present, on leave or absent; guests are 列席
        p.status = status
        self.unsure.discard(p.attendance_id or "")  # a person has looked at it
        if status != rules.LEAVE:
            p.reason = ""
        self._refresh_row(row)
        self._update_summary()

    def set_selected(self, status: str) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        for r in rows:
            self.set_status(r, status)
        if status == rules.LEAVE and len(rows) == 1:
            self._edit_reason(rows[0])

    def mark_all_present(self) -> None:
        for r, p in enumerate(self.people):
            self.set_status(r, rules.GUEST if p.is_guest else rules.PRESENT)

    def _edit_reason(self, row: int) -> None:
        self.table.setCurrentCell(row, COL_REASON)
        self.table.editItem(self.table.item(row, COL_REASON))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != COL_REASON:
            return
        p = self.people[item.row()]
        p.reason = item.text().strip()
        if p.reason and not p.is_guest and p.status != rules.LEAVE:
            p.status = rules.LEAVE  # a reason means the person asked for leave
            self._refresh_row(item.row(), reason=False)
        self._update_summary()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            status = KEYS.get(Qt.Key(event.key()))
            row = self.table.currentRow()
            if status is not None and row >= 0 and self.table.state() != QAbstractItemView.State.EditingState:
                self.set_status(row, status)
                if status == rules.LEAVE:
                    self._edit_reason(row)
                elif row + 1 < self.table.rowCount():
                    self.table.setCurrentCell(row + 1, COL_STATUS)
                return True
        return super().eventFilter(obj, event)

    def add_guests(self) -> None:
        for g in parse_guests(self.guest_edit.text()):
            if not g.name:
                continue
            p = _Person(None, g.name, g.unit, True, rules.GUEST, "", unit=g.unit)
            self.people.append(p)
            r = self.table.rowCount()
            self.table.blockSignals(True)
            self.table.insertRow(r)
            self._set_row(r, p)
            self.table.blockSignals(False)
        self.guest_edit.clear()
        self._update_summary()

    # --- summary and result ---------------------------------------------------
    def counts(self) -> rules.AttendanceCounts:
        return rules.count_attendance(p.status for p in self.people)

    def quorum(self) -> rules.Quorum:
        d = self.detail
        size = d.quorum.base if d.kind == rules.COMMITTEE and d.quorum.base else None
        return rules.quorum_for(d.kind, [
            rules.QuorumAttendee(p.status, p.category or "", "正常" if p.has_vote or p.category != "正式党员"
                                 else "停止党籍", p.on_committee, p.is_guest)
            for p in self.people
        ], committee_size=size)

    def _update_summary(self) -> None:
        c = self.counts()
        unrecorded = sum(1 for p in self.people if not p.is_guest and not p.status)
        text = (f"应到 {c.expected} 人，实到 {c.present} 人，请假 {c.leave} 人，缺席 {c.absent - unrecorded} 人，"
                + (f"未登记 {unrecorded} 人，" if unrecorded else "")
                + f"列席 {c.guests} 人；出席率 {rules.format_rate(c.rate)}")
        q = self.quorum()
        if q.applies:
            color = "#c8161e" if q.met is False else ("#2e7d32" if q.met else "#666")
            text += f"<br><span style='color:{color}'>法定人数：{q.note}</span>"
        if unrecorded:
            text += f"<br><span style='color:#b26a00'>还有 {unrecorded} 人未登记，保存时记为缺席。</span>"
        if self.unsure:
            text += f"<br><span style='color:#c05600'>扫描件上 {len(self.unsure)} 人看不准（橙色），请核对。</span>"
        self.summary.setText(text)

    def entries(self) -> list[ms.AttendanceEntry]:
        out = []
        for p in self.people:
            status = p.status or rules.ABSENT
            if p.attendance_id:
                out.append(ms.AttendanceEntry(status, p.reason, attendance_id=p.attendance_id))
            else:
                out.append(ms.AttendanceEntry(rules.GUEST, guest_name=p.name, guest_unit=p.unit))
        return out
