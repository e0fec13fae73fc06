"""登记出勤: a checklist of the expected attendees, made to take a minute.

Keyboard: ↑/↓ move, 1 or Space = 出席, 2 = 请假 (then type the reason),
3 = 缺席, 4 = 列席 (guests); each key moves to the next person. The buttons
act on every selected row; 全部出席 marks everyone at once. People left
unrecorded are saved as 缺席, and the dialog says so before saving.

Opened from a scanned sign-in sheet, it comes pre-filled with what the scan
reader proposes; rows it is unsure of are highlighted until a person sets them,
and walk-ins' signatures on blank rows are listed by 序号: choosing one shows the
row as scanned, 添加列席… takes the name read off it, and the line counts how
many have been named.

Given `save`, it saves from inside: a refusal (someone else recorded this meeting
since it opened, a cancelled meeting) shows in it, the marks kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.gui import icons
from desktop_app.gui.meetings.meeting_dialog import parse_guests
from desktop_app.gui.widgets import fit
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.layouts import column, fill, hint, wrapped
from desktop_app.gui.widgets.table import CENTER, Column, ColumnModel, table_view
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Changes
from desktop_app.views.signin_scan import SIGNED, UNSURE, UnnamedRow

COL_STATUS, COL_REASON = 3, 4
STATUS_COLORS = {
    rules.PRESENT: "#d9f2d9", rules.LEAVE: "#fff4c2", rules.ABSENT: "#f8d0d0", rules.GUEST: "#e3ecfa",
    rules.UNRECORDED: "#ffffff",
}
SCAN_ROW_MAX_PX = 720
MOST_HEIGHT = 900  # a tall screen: no taller than a long list needs to be read comfortably
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
    seq: int = 0  # the line's number on the sign-in order
    unsure: bool = False  # a scanned cell the reader could not judge, until a person sets it
    excused: str = ""  # 免于应到 that day: not counted in 应到 unless they came, as the meeting list counts
    image: bytes = b""  # the row as scanned (PNG), shown while the row is current


class AttendanceDialog(SavingDialog):
    """`save(entries, version read)` makes the service call; none: OK only closes, the caller reads entries()."""

    def __init__(self, parent: QWidget | None, detail: ms.MeetingDetail,
                 proposal: Sequence[ms.ProposedLine] = (), unnamed: int = 0, notes: Sequence[str] = (), *,
                 save: Callable[[list[ms.AttendanceEntry], int], Any] | None = None,
                 changes: Changes | None = None, sheet_pages: tuple[int, Sequence[int]] = (0, ()),
                 unnamed_rows: Sequence[UnnamedRow | int] = ()):
        super().__init__(parent, f"{'核对签到表' if proposal else '登记出勤'} — {detail.number}",
                         "确认并保存（扫描件存为附件）" if proposal else "保存并记为已召开", changes=changes)
        self.detail = detail
        self.from_scan = bool(proposal)
        self._entries_save = save
        self.people: list[_Person] = [
            _Person(a.id, a.name, a.guest_unit or a.org_name if a.is_guest else a.group_name, a.is_guest,
                    rules.GUEST if a.is_guest else a.status, a.reason, a.category, a.has_vote, a.on_committee,
                    a.guest_unit, excused="" if a.is_guest else a.excused_reason)
            for a in detail.attendees
        ]
        proposed = {line.attendance_id: line for line in proposal}
        for n, p in enumerate(self.people, start=1):
            p.seq = n
            line = proposed.get(p.attendance_id or "")
            if line is None or p.is_guest:
                continue
            p.status = line.proposed_status
            p.reason = (line.printed_leave or line.excused or p.reason) if p.status == rules.LEAVE else ""
            p.unsure = line.unsure
            p.image = line.image
        when = f"{detail.meeting_date:%Y-%m-%d}" + (f" {detail.start_time:%H:%M}" if detail.start_time else "")
        head = QLabel(f"<b>{detail.branch_name if detail.org_name == detail.branch_name else detail.org_name}"
                      f" {detail.kind}</b>　{detail.title}<br>编号 {detail.number}　{when}　{detail.place}")
        head.setWordWrap(True)

        self.model = ColumnModel((
            Column("序号", lambda p: str(p.seq), width=40),
            Column("姓名", lambda p: p.name),
            Column("所在党小组 / 单位", lambda p: p.where, width=140),
            Column("出勤情况", lambda p: (p.status or "未登记") + ("？" if p.unsure else ""), CENTER,
                   tooltip=lambda p: "扫描件上这一格看不准，请核对" if p.unsure else None,
                   background=lambda p: QColor(UNSURE_COLOR if p.unsure else STATUS_COLORS[p.status])),
            Column("请假原因", lambda p: p.reason, width=160, edit=self._reason_typed),
        ), parent=self)
        self.model.set_rows(self.people)
        self.people = self.model.rows  # one list: a guest added to the grid is a person counted
        self.table = table_view(self.model, editable=True, fit=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self._reason_row = -1  # the row whose reason the 2 key opened: Enter there goes on to the next person
        reasons = self.table.itemDelegateForColumn(COL_REASON) or self.table.itemDelegate()
        reasons.closeEditor.connect(self._reason_closed)

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
        self.guest_edit.installEventFilter(self)  # Enter adds the guest; it must not also save the dialog
        buttons_row.addWidget(self.guest_edit)
        buttons_row.addWidget(add_guest)

        self.summary = wrapped()
        self.summary.setObjectName("attendanceSummary")
        keys = hint("↑↓ 选人，1 或空格＝出席，2＝请假（接着输入原因），3＝缺席，4＝列席；可多选后点按钮。")
        self.scan_note = QLabel()
        self.scan_note.setObjectName("scanNote")
        self.scan_note.setWordWrap(True)
        scan_lines = []
        unsure = self.unsure_count()
        if self.from_scan:
            pages, missing = sheet_pages
            unread = sum(1 for p in self.people if not p.is_guest and (p.attendance_id or "") not in proposed)
            # an unsigned copy scanned by mistake would record everyone 缺席 in one click
            signed = unnamed or any(line.state in (SIGNED, UNSURE) for line in proposal if not line.is_guest)
            scan_lines.append("已按签到表扫描件预填。" + (
                f"橙色的 {unsure} 格看不准，请对照纸质签到表核对后按 1/2/3。" if unsure
                else "每一格都已看清，核对无误后点“确认并保存”即可。" if signed and not missing else ""))
            if detail.recorded:
                # recorded before (by hand, or from another scan): saving replaces it, which the worker should know
                scan_lines.append(f"<b>这次会议已登记过出勤</b>（实到 {detail.present} 人）：保存后按下面核对的结果改写，"
                                  "改前的记录留在操作日志里。")
            if missing:
                scan_lines.append(
                    f"<b style='color:#c05600'>签到表共 {pages} 页，扫描件里没有第 {'、'.join(map(str, missing))} 页</b>："
                    f"{unread} 人没有预填。请补扫后重新读取，或对照纸质签到表逐一登记。")
            if not signed:
                scan_lines.append("<b style='color:#c8161e'>扫描件上没有一个人签到</b>：是不是扫了会前打印、还没签字的那张？"
                                  "如确实无人到会，核对后再保存。")
        # a bare 序号 (no picture) is still listed: the paper can be found by it
        self.unnamed_rows = [r if isinstance(r, UnnamedRow) else UnnamedRow(int(r)) for r in unnamed_rows]
        self.unnamed = unnamed
        if unnamed:
            where = f"（签到表序号 {'、'.join(str(r.serial) for r in self.unnamed_rows)}）" if self.unnamed_rows else ""
            how = ("点下面的“序号…：查看签名”看扫描件上的那一行，再点“添加列席…”填写姓名"
                   if any(r.image for r in self.unnamed_rows) else "请在下面“添加列席”填写姓名")
            scan_lines.append(f"<b>未识别的签名 {unnamed} 处</b>{where}：空白行上有人签名，{how}，"
                              "或把党员加入会议名单后再登记。")
        scan_lines += list(notes)
        self.scan_note.setText("<br>".join(scan_lines))
        self.scan_note.setVisible(bool(scan_lines))
        # The current row as scanned: a doubt is decided from the picture, without hunting for the paper.
        self.scan_row_title = QLabel()
        self.scan_row_title.setObjectName("scanRowTitle")
        self.scan_row = QLabel()
        self.scan_row.setObjectName("scanRow")
        self.scan_row.setStyleSheet("background: white; border: 1px solid #ccc;")
        # shown with a blank row's picture: the walk-in's name is read off it and typed as a guest
        self.name_walk_in = QPushButton("添加列席…")
        self.name_walk_in.setObjectName("nameWalkIn")
        self.name_walk_in.setToolTip("把这一行上签名的人添加为列席人员：在“临时列席人员”框里输入姓名后按回车")
        self.name_walk_in.clicked.connect(self.start_guest)
        self.name_walk_in.setVisible(False)
        title_row = QHBoxLayout()
        fill(title_row, self.scan_row_title, 1, self.name_walk_in)
        for w in (self.scan_row_title, self.scan_row):
            w.setVisible(any(p.image for p in self.people) or any(r.image for r in self.unnamed_rows))
        self.unnamed_bar = self._unnamed_bar() if unnamed and self.unnamed_rows else None
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._show_scan_row(current.row()))
        column(self, head, self.scan_note, *([self.unnamed_bar] if self.unnamed_bar else []), buttons_row,
               (self.table, 1), title_row, self.scan_row, keys, self.summary, self.message, self.buttons)
        # as tall as the screen allows: with the scan's notes above, a fixed 620 showed ~8 people
        self.resize(fit.tall_size(fit.room_for(self), 760, 620, MOST_HEIGHT))
        self._update_summary()
        self._update_unnamed()
        if self.people:
            self.table.setCurrentIndex(self.model.index(0, COL_STATUS))
        self.table.setFocus()

    # --- signatures on blank rows ---------------------------------------------
    def _unnamed_bar(self) -> QWidget:
        """未识别的签名: one button per signed blank row (Tab reaches them), and how many have been named."""
        bar = QWidget()
        bar.setObjectName("unnamedBar")
        self.unnamed_buttons: list[QPushButton] = []
        for r in self.unnamed_rows:
            b = QPushButton(f"序号 {r.serial}：查看签名" if r.image else f"序号 {r.serial}")
            b.setToolTip("在下面显示扫描件上的这一行" if r.image else "扫描件上这一行没有图像，请对照纸质签到表")
            b.setEnabled(bool(r.image))
            b.clicked.connect(lambda _=False, row=r: self.show_unnamed(row))
            self.unnamed_buttons.append(b)
        self.unnamed_count = QLabel()
        self.unnamed_count.setObjectName("unnamedCount")
        lay = fill(QHBoxLayout(bar), QLabel("未识别的签名："), *self.unnamed_buttons, 1, self.unnamed_count)
        lay.setContentsMargins(0, 0, 0, 0)
        return bar

    def guests_added(self) -> int:
        """Guests added in this dialog: the walk-ins named so far."""
        return sum(1 for p in self.people if p.attendance_id is None)

    def _update_unnamed(self) -> None:
        if self.unnamed_bar is None:
            return
        done = min(self.guests_added(), self.unnamed)
        self.unnamed_count.setText(f"<span style='color:#2e7d32'>已补登 {done}/{self.unnamed}，都已添加为列席</span>"
                                   if done >= self.unnamed else f"已补登 {done}/{self.unnamed}")

    def show_unnamed(self, row: UnnamedRow) -> None:
        """Show a signed blank row as scanned, with 添加列席… to name the person on it."""
        self._show_image(row.image)
        self.scan_row_title.setText(f"签到表序号 {row.serial}（空白行）：")
        self.name_walk_in.setVisible(True)
        self.name_walk_in.setFocus()  # keyboard: Space opens the name field, Enter adds

    def start_guest(self) -> None:
        """The existing 临时列席人员 field, emptied and focused: the name is read off the picture above."""
        self.guest_edit.clear()
        self.guest_edit.setFocus()

    # --- table ------------------------------------------------------------
    def _show_image(self, png: bytes) -> None:
        pixmap = QPixmap()
        if png:
            pixmap.loadFromData(png, "PNG")
            if pixmap.width() > SCAN_ROW_MAX_PX:  # a wide (landscape, phones) table must not widen the dialog
                pixmap = pixmap.scaledToWidth(SCAN_ROW_MAX_PX, Qt.TransformationMode.SmoothTransformation)
        self.scan_row.setPixmap(pixmap)

    def _show_scan_row(self, row: int) -> None:
        p = self.people[row] if 0 <= row < len(self.people) else None
        self._show_image(p.image if p is not None else b"")
        self.name_walk_in.setVisible(False)
        self.scan_row_title.setText(f"扫描件上第 {p.seq} 行（{p.name}）：" if p is not None and p.image
                                    else "这一行不在扫描件上" if p is not None else "")

    def unsure_count(self) -> int:
        return sum(p.unsure for p in self.people)

    def _reason_typed(self, p: _Person, text: str) -> None:
        p.reason = str(text).strip()
        if p.reason and not p.is_guest and p.status != rules.LEAVE:
            p.status = rules.LEAVE  # a reason means the person asked for leave
        self._update_summary()

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def set_status(self, row: int, status: str) -> None:
        p = self.people[row]
        if (status == rules.GUEST) != p.is_guest:
            return  # expected people are present, on leave or absent; guests are 列席
        p.status = status
        p.unsure = False  # a person has looked at it
        if status != rules.LEAVE:
            p.reason = ""
        self.model.row_changed(row)
        self._update_summary()

    def set_selected(self, status: str) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        for r in rows:
            self.set_status(r, status)
        if status == rules.LEAVE and len(rows) == 1:
            self._edit_reason(rows[0])

    def mark_all_present(self) -> None:
        for r, p in enumerate(self.people):
            self.set_status(r, rules.GUEST if p.is_guest else rules.PRESENT)

    def _edit_reason(self, row: int) -> None:
        index = self.model.index(row, COL_REASON)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def _reason_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Typing from the paper list: 2, the reason, Enter, and the next key is the next person's
        (it stayed on this row, and its 1 marked the person on leave present, the reason gone)."""
        row, self._reason_row = self._reason_row, -1
        if row < 0 or hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:  # Esc: stay on the row
            if row >= 0:
                self.table.setCurrentIndex(self.model.index(row, COL_STATUS))
            return
        self.table.setCurrentIndex(self.model.index(min(row + 1, self.model.rowCount() - 1), COL_STATUS))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (obj is self.guest_edit and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):  # Ctrl+Enter still saves
            self.add_guests()
            return True
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            status = KEYS.get(Qt.Key(event.key()))
            row = self.current_row()
            if status is not None and row >= 0 and self.table.state() != QAbstractItemView.State.EditingState:
                self.set_status(row, status)
                if status == rules.LEAVE:
                    self._edit_reason(row)
                    self._reason_row = row
                elif row + 1 < self.model.rowCount():
                    self.table.setCurrentIndex(self.model.index(row + 1, COL_STATUS))
                return True
        return super().eventFilter(obj, event)

    def add_guests(self) -> None:
        for g in parse_guests(self.guest_edit.text()):
            if not g.name:
                continue
            self.model.append(_Person(None, g.name, g.unit, True, rules.GUEST, "", unit=g.unit,
                                      seq=len(self.people) + 1))
        self.guest_edit.clear()
        self._update_summary()
        self._update_unnamed()

    # --- summary and result ---------------------------------------------------
    def counts(self) -> rules.AttendanceCounts:
        return rules.count_attendance(rules.EXCUSED if p.excused and p.status != rules.PRESENT else p.status
                                      for p in self.people)

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
        unrecorded = sum(1 for p in self.people if not p.is_guest and not p.status and not p.excused)
        text = (f"应到 {c.expected} 人，实到 {c.present} 人，请假 {c.leave} 人，缺席 {c.absent - unrecorded} 人，"
                + (f"未登记 {unrecorded} 人，" if unrecorded else "")
                + f"列席 {c.guests} 人；出席率 {rules.format_rate(c.rate)}")
        q = self.quorum()
        if q.applies:
            color = "#c8161e" if q.met is False else ("#2e7d32" if q.met else "#666")
            text += f"<br><span style='color:{color}'>法定人数：{q.note}</span>"
        if unrecorded:
            text += f"<br><span style='color:#b26a00'>还有 {unrecorded} 人未登记，保存时记为缺席。</span>"
        if self.unsure_count():
            text += f"<br><span style='color:#c05600'>扫描件上 {self.unsure_count()} 人看不准（橙色），请核对。</span>"
        self.summary.setText(text)

    def prepare(self) -> Callable[[], Any] | None:
        save = self._entries_save
        if save is None:
            return None
        entries, read_at = self.entries(), self.detail.version  # the meeting as this form read it
        return lambda: save(entries, read_at)

    def entries(self) -> list[ms.AttendanceEntry]:
        out = []
        for p in self.people:
            status = p.status or rules.ABSENT
            if p.attendance_id:
                out.append(ms.AttendanceEntry(status, p.reason, attendance_id=p.attendance_id))
            else:
                out.append(ms.AttendanceEntry(rules.GUEST, guest_name=p.name, guest_unit=p.unit))
        return out
