"""Dialogs and small widgets of the service pages: residents, visits, wishes, projects, mediation.

Every dialog that writes is a SavingDialog: OK runs the service call off the
GUI thread (gui.ops.run_op) and the dialog closes only when it succeeded; a
refusal is shown inside the dialog, so nothing typed is lost. Ctrl+Enter
saves from any field. Rules are checked by the domain before the call, so
most mistakes are named before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QRadioButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.money import format_yuan, parse_yuan
from desktop_app.domain.service_flow import (
    CaseInput, MilestoneInput, PartyInput, ProjectInput, SessionInput, VisitInput, WishInput,
)
from desktop_app.gui.errors import show_error
from desktop_app.gui.ops import run_op
from desktop_app.services import residents as resident_service
from desktop_app.services import visits as visit_service
from desktop_app.services.residents import Grid, HouseholdInput, ResidentInput, ResidentPick
from desktop_app.services.visits import MemberChoice
from desktop_app.store.db import Database

ERROR_STYLE = "color: #c8161e"
NO_DATE = date(1900, 1, 1)  # QDateEdit's minimum shows as "未填"
SEARCH_DELAY_MS = 150

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALERT = QColor("#c8161e")
DONE = QColor("#2e7d32")
MUTED = QColor("#8a8f98")


# ---------------------------------------------------------------- small widgets


def ask_save_path(parent: QWidget | None, title: str, default_name: str) -> Path | None:
    """Where to write a PDF (tests replace this)."""
    from desktop_app.settings import data_dir

    path, _ = QFileDialog.getSaveFileName(parent, title, str(data_dir() / default_name), "PDF 文件 (*.pdf)")
    if not path:
        return None
    p = Path(path)
    return p if p.suffix.lower() == ".pdf" else p.with_suffix(".pdf")


class DateEdit(QDateEdit):
    """A date typed as 2024-06-03 or picked from a calendar; optional ones show 未填 at their minimum."""

    def __init__(self, value: date | None = None, optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(QDate(NO_DATE.year, NO_DATE.month, NO_DATE.day))
        if optional:
            self.setSpecialValueText("未填")
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        if value is None:
            value = NO_DATE if self.optional else date.today()
        self.setDate(QDate(value.year, value.month, value.day))

    def value(self) -> date | None:
        d = self.date()
        got = date(d.year(), d.month(), d.day())
        return None if self.optional and got == NO_DATE else got


def text_area(lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def combo(items: Sequence[tuple[str, Any]], current: Any = None) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    select(box, current)
    return box


def select(box: QComboBox, value: Any) -> None:
    i = box.findData(value)
    if i >= 0:
        box.setCurrentIndex(i)


def grid_combo(grids: Sequence[Grid], current: str | None = None, none_label: str = "（不指定网格）") -> QComboBox:
    return combo([(none_label, None)] + [(g.name, g.id) for g in grids], current)


def list_combo(names: Sequence[str], current: str = "") -> QComboBox:
    """A fixed list, plus the record's own value when the list no longer has it."""
    items = list(names)
    if current and current not in items:
        items.append(current)
    return combo([(n, n) for n in items], current or None)


def yuan_field(fen: int = 0) -> QLineEdit:
    edit = QLineEdit(format_yuan(fen, grouping=False) if fen else "")
    edit.setPlaceholderText("元，如 1200 或 35.5")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def fen_of(edit: QLineEdit, field: str) -> int:
    text = edit.text().strip()
    return parse_yuan(text, field) if text else 0


@dataclass(frozen=True)
class Col:
    title: str
    text: Callable[[Any], str]
    center: bool = False
    width: int = 80


class RowsModel(QAbstractTableModel):
    """A table over a list of frozen rows; `color(row)` may tint a row (overdue in red)."""

    def __init__(self, columns: Sequence[Col], color: Callable[[Any], QColor | None] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._color = color

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, i: int) -> Any | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def find(self, row_id: str | None) -> int:
        return next((i for i, r in enumerate(self.rows) if getattr(r, "id", None) == row_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == _DISPLAY:
            return col.text(row)
        if role == _TOOLTIP:
            text = col.text(row)
            return text if len(text) > 12 else None
        if role == _ALIGN:
            return _CENTER if col.center else _LEFT
        if role == _FOREGROUND and self._color is not None:
            return self._color(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None


def fit_columns(view, columns: Sequence[Col], stretch: int | None = None) -> None:
    header = view.horizontalHeader()
    for i, c in enumerate(columns):
        view.setColumnWidth(i, c.width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class SearchPicker(QWidget):
    """Type a name, pinyin initials or address; pick from the matches below (↓ and Enter, or a click).

    `search(text)` runs off the GUI thread and returns [(label, payload)].
    What was typed stays usable as free text when nothing is picked.
    """

    picked = Signal(object)

    def __init__(self, search: Callable[[str], list[tuple[str, Any]]], placeholder: str = "",
                 shown: Callable[[Any], str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._search, self._shown = search, shown or (lambda p: str(p))
        self._chosen: Any = None
        self._chosen_text = ""
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        self.matches.hide()
        self.matches.itemActivated.connect(self._pick_item)
        self.matches.itemClicked.connect(self._pick_item)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.edit.textEdited.connect(lambda _t: self.timer.start())
        self.edit.installEventFilter(self)
        self.matches.installEventFilter(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit)
        lay.addWidget(self.matches)
        self.setFocusProxy(self.edit)

    def search_now(self) -> None:
        self.timer.stop()
        text = self.edit.text().strip()
        if not text or text == self._chosen_text:
            self.matches.clear()
            self.matches.hide()
            return
        run_op(self, lambda job: self._search(text), lambda found: self._show(text, found))

    def _show(self, text: str, found: list[tuple[str, Any]]) -> None:
        if text != self.edit.text().strip():
            return  # the user typed on; a newer search is coming
        self.matches.clear()
        for label, payload in found:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, payload)
            self.matches.addItem(item)
        self.matches.setVisible(bool(found))
        if found:
            self.matches.setCurrentRow(0)

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.set_chosen(item.data(Qt.ItemDataRole.UserRole))
        self.picked.emit(self._chosen)

    def pick_row(self, row: int = 0) -> Any:
        """Pick the match on `row` (what Enter on the list does)."""
        item = self.matches.item(row)
        if item is not None:
            self._pick_item(item)
        return self._chosen

    def set_chosen(self, payload: Any, text: str | None = None) -> None:
        self._chosen = payload
        self._chosen_text = text if text is not None else (self._shown(payload) if payload is not None else "")
        self.edit.setText(self._chosen_text)
        self.matches.clear()
        self.matches.hide()

    def chosen(self) -> Any:
        """The picked payload, unless the text was changed after picking."""
        if self._chosen is not None and self.edit.text().strip() == self._chosen_text:
            return self._chosen
        return None

    def text(self) -> str:
        return self.edit.text().strip()

    def clear(self) -> None:
        self._chosen, self._chosen_text = None, ""
        self.edit.clear()
        self.matches.clear()
        self.matches.hide()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if obj is self.edit and self.matches.isVisible():
            if key == Qt.Key.Key_Down:
                self.matches.setFocus()
                self.matches.setCurrentRow(min(self.matches.currentRow() + 1, self.matches.count() - 1))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pick_row(max(self.matches.currentRow(), 0))
                return True  # Enter picks; it does not press the dialog's OK
            if key == Qt.Key.Key_Escape:
                self.matches.hide()
                return True
        if obj is self.matches and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit.setFocus()  # before picking: a `picked` handler may move the focus on
            self.pick_row(max(self.matches.currentRow(), 0))
            return True
        if obj is self.matches and key == Qt.Key.Key_Up and self.matches.currentRow() <= 0:
            self.edit.setFocus()
            return True
        return False


def resident_picker(db: Database, placeholder: str = "姓名、拼音首字母或门牌，如 wxy、3栋2单元") -> SearchPicker:
    def search(text: str) -> list[tuple[str, ResidentPick]]:
        return [(p.label, p) for p in resident_service.pick_residents(db, text)]

    return SearchPicker(search, placeholder, lambda p: f"{p.name}（{p.address or p.grid_name}）")


def member_picker(db: Database, placeholder: str = "党员姓名或拼音首字母") -> SearchPicker:
    def search(text: str) -> list[tuple[str, MemberChoice]]:
        return [(m.label, m) for m in visit_service.member_choices(db, text, limit=12)]

    return SearchPicker(search, placeholder, lambda m: m.name)


class MemberChooser(QWidget):
    """Several members: pick one after another; the chosen names show above the picker."""

    changed = Signal()

    def __init__(self, db: Database, chosen: Sequence[MemberChoice] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self._chosen: list[MemberChoice] = []
        self.names = QLabel()
        self.names.setWordWrap(True)
        self.clear_button = QPushButton("清空")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(lambda: self.set_members([]))
        self.picker = member_picker(db, "添加走访党员：姓名或拼音首字母，回车确认")
        self.picker.picked.connect(self._add)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.names, 1)
        top.addWidget(self.clear_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.picker)
        self.setFocusProxy(self.picker)
        self.set_members(chosen)

    def _add(self, m: MemberChoice | None) -> None:
        if m is not None and all(c.id != m.id for c in self._chosen):
            self._chosen.append(m)
            self._update()
        self.picker.clear()

    def set_members(self, members: Sequence[MemberChoice]) -> None:
        self._chosen = list(members)
        self._update()

    def _update(self) -> None:
        self.names.setText("、".join(m.name for m in self._chosen) or "（未选择党员）")
        self.clear_button.setEnabled(bool(self._chosen))
        self.changed.emit()

    def members(self) -> list[MemberChoice]:
        return list(self._chosen)

    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self._chosen)


# ---------------------------------------------------------------- the saving dialog


class SavingDialog(QDialog):
    """OK checks `prepare()` (which returns the service call), runs it off the GUI thread, and closes on success.

    Subclasses define `prepare(self) -> Callable[[], Any]`: it reads the fields, raises
    ValidationError for what is wrong, and returns the call that saves.
    """

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "保存"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved: Any = None
        self._saving = False
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setToolTip("Ctrl+Enter")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)

    first_field: QWidget | None = None  # where typing starts when the dialog opens

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.first_field is not None:
            # After QDialog has given the focus to the first field of its tab chain.
            QTimer.singleShot(0, lambda: self.first_field.setFocus(Qt.FocusReason.ActiveWindowFocusReason))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def accept(self) -> None:
        if self._saving:
            return
        try:
            call = self.prepare()
        except DomainError as exc:
            self.show_message(str(exc))
            return
        self._saving = True
        self.buttons.setEnabled(False)
        run_op(self, lambda job: call(), self._saved, self._failed)

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        self.saved = result
        self.show_message("")
        self.after_save(result)

    def after_save(self, result: Any) -> None:
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if isinstance(exc, DomainError):
            self.show_message(str(exc))
        else:
            show_error(self, exc)

    def finish_layout(self, *parts) -> QVBoxLayout:
        lay = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QWidget):
                lay.addWidget(part)
            else:
                lay.addLayout(part)
        lay.addStretch(1)  # a hidden match list gives its room back to the bottom, not to every row
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        return lay


# ---------------------------------------------------------------- residents


class HouseholdDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid],
                 detail: resident_service.HouseholdDetail | None = None, default_grid: str | None = None):
        super().__init__(parent, "修改住户" if detail else "新增住户")
        self.db, self.detail = db, detail
        d = detail.to_input() if detail else HouseholdInput(grid_id=default_grid)
        self.grid = grid_combo(grids, d.grid_id)
        self.building = QLineEdit(d.building)
        self.building.setPlaceholderText("如 梅园新村3栋")
        self.unit = QLineEdit(d.unit)
        self.unit.setPlaceholderText("如 2单元")
        self.room = QLineEdit(d.room)
        self.room.setPlaceholderText("如 302室")
        self.address = QLineEdit(d.address)
        self.address.setPlaceholderText("留空则按楼栋单元室生成")
        self.head = QLineEdit(d.head_name)
        self.phone = QLineEdit(d.phone)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        flat = QHBoxLayout()
        for w in (self.building, self.unit, self.room):
            flat.addWidget(w)
        form = QFormLayout()
        form.addRow("所属网格", self.grid)
        form.addRow("楼栋 / 单元 / 室", flat)
        form.addRow("地址", self.address)
        form.addRow("户主", self.head)
        form.addRow("联系电话", self.phone)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(460)
        self.first_field = self.building

    def current_input(self) -> HouseholdInput:
        return HouseholdInput(
            grid_id=self.grid.currentData(), building=self.building.text(), unit=self.unit.text(),
            room=self.room.text(), address=self.address.text(), head_name=self.head.text(),
            phone=self.phone.text(), notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp, db = self.current_input(), self.db
        if self.detail:
            hid = self.detail.id
            return lambda: resident_service.update_household(db, hid, inp)
        return lambda: resident_service.create_household(db, inp)


class TagChecks(QWidget):
    """The tag list as check boxes (two columns), plus any tags the record carries beyond it."""

    def __init__(self, tags: Sequence[str], checked: Sequence[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        names = list(tags) + [t for t in checked if t not in tags]
        self.boxes: list[QCheckBox] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, name in enumerate(names):
            box = QCheckBox(name)
            box.setChecked(name in checked)
            self.boxes.append(box)
            grid.addWidget(box, i // 4, i % 4)

    def tags(self) -> tuple[str, ...]:
        return tuple(b.text() for b in self.boxes if b.isChecked())


class ResidentDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], tags: Sequence[str],
                 detail: resident_service.ResidentDetail | None = None,
                 household: resident_service.HouseholdRow | None = None, default_grid: str | None = None):
        super().__init__(parent, "修改居民" if detail else "新增居民")
        self.db, self.detail = db, detail
        d = detail.to_input() if detail else ResidentInput(
            household_id=household.id if household else None,
            grid_id=household.grid_id if household else default_grid)
        self.name = QLineEdit(d.name)
        self.gender = combo([("（未填）", ""), ("男", "男"), ("女", "女")], d.gender)
        self.id_number = QLineEdit(d.id_number)
        self.id_number.setPlaceholderText("可不填；填写后自动得出性别和出生日期")
        self.birth = DateEdit(d.birth_date, optional=True)
        self.phone = QLineEdit(d.phone)

        def search(text: str):
            return [(f"{h.label}（{h.head_name or '户主未填'}，{h.grid_name}）", h)
                    for h in resident_service.search_households(db, text)[:12]]

        self.household = SearchPicker(search, "楼栋单元室或户主姓名，如 3栋2单元302", lambda h: h.label)
        label = detail.address if detail else (household.label if household else "")
        if d.household_id:
            self.household.set_chosen(d.household_id, label)
        self.grid = grid_combo(grids, d.grid_id)
        self.household.picked.connect(lambda h: select(self.grid, h.grid_id) if h is not None else None)
        self.tag_checks = TagChecks(tags, d.tags)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        form = QFormLayout()
        form.addRow("姓名", self.name)
        row = QHBoxLayout()
        row.addWidget(self.gender)
        row.addWidget(QLabel("出生日期"))
        row.addWidget(self.birth)
        form.addRow("性别", row)
        form.addRow("公民身份号码", self.id_number)
        form.addRow("联系电话", self.phone)
        form.addRow("住户", self.household)
        form.addRow("所属网格", self.grid)
        form.addRow("标签", self.tag_checks)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(520)
        self.first_field = self.name

    def _household_id(self) -> str | None:
        chosen = self.household.chosen()
        if isinstance(chosen, str):
            return chosen
        if chosen is not None:
            return chosen.id
        if self.household.text():
            raise ValidationError("住户", "请从下拉结果中选择住户，或清空此栏")
        return None

    def current_input(self) -> ResidentInput:
        return ResidentInput(
            name=self.name.text(), household_id=self._household_id(), grid_id=self.grid.currentData(),
            id_number=self.id_number.text(), gender=self.gender.currentData(), birth_date=self.birth.value(),
            phone=self.phone.text(), tags=self.tag_checks.tags(), notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp, db = self.current_input(), self.db
        if self.detail:
            rid = self.detail.id
            return lambda: resident_service.update_resident(db, rid, inp)
        return lambda: resident_service.create_resident(db, inp)


class ListEditDialog(SavingDialog):
    """Edit one of the service lists: one entry per line, in the order shown."""

    def __init__(self, parent: QWidget | None, db: Database, kind: str, names: Sequence[str]):
        super().__init__(parent, f"设置{flow.LIST_LABELS[kind]}")
        self.db, self.kind = db, kind
        self.edit = QPlainTextEdit("\n".join(names))
        hint = QLabel("每行一项，按显示顺序排列。删去的项目不影响已有记录。")
        hint.setWordWrap(True)
        self.finish_layout(hint, self.edit)
        self.resize(360, 420)

    def names(self) -> list[str]:
        return self.edit.toPlainText().splitlines()

    def prepare(self):
        names = flow.check_list(self.kind, self.names())
        db, kind = self.db, self.kind
        return lambda: resident_service.set_list(db, kind, names)


# ---------------------------------------------------------------- visits

SOLVED_ON_SPOT = "spot"
NOTHING = "nothing"
FOLLOW = "follow"


class VisitDialog(SavingDialog):
    """Log (or correct) a visit in well under a minute.

    Defaults: today, 走访, the companions of the last visit, a week to answer.
    Type the resident's initials or door number and press Enter to pick; the
    grid follows. Ctrl+Enter saves; 保存并继续 keeps the date and companions
    for the next door on the round.
    """

    logged = Signal(object)  # each visit saved while the dialog stays open

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], categories: Sequence[str],
                 visitors: Sequence[MemberChoice] = (), other_visitors: str = "",
                 detail: visit_service.VisitDetail | None = None, members: Sequence[MemberChoice] = (),
                 today: date | None = None):
        super().__init__(parent, "修改走访记录" if detail else "登记走访")
        self.db, self.detail, self.today = db, detail, today or date.today()
        self._again = False
        self.count = 0
        d = detail.to_input() if detail else VisitInput(visit_date=self.today, other_visitors=other_visitors)
        self.visit_date = DateEdit(d.visit_date)
        self.visit_date.dateChanged.connect(self._date_moved)
        self.form = combo([(f, f) for f in flow.VISIT_FORMS], d.form)
        self.members = MemberChooser(db, members if detail else visitors)
        self.others = QLineEdit(d.other_visitors)
        self.others.setPlaceholderText("网格员、楼栋长等非党员走访人（可不填）")
        self.visitee = resident_picker(db)
        if detail:
            self.visitee.set_chosen(None, detail.visitee_name)
            self._picked_ids = (detail.resident_id, detail.household_id)
        else:
            self._picked_ids = (None, None)
        self.visitee.picked.connect(self._picked)
        self.place = QLineEdit(d.place)
        self.place.setPlaceholderText("不是某户时填地点，如 5栋楼道、小区广场")
        self.grid = grid_combo(grids, d.grid_id)
        self.category = list_combo(categories, d.category)
        self.content = text_area(3, "群众反映的问题、诉求或走访情况")
        self.content.setPlainText(d.content)
        self.mode_follow = QRadioButton("需要跟进")
        self.mode_spot = QRadioButton("当场解决")
        self.mode_nothing = QRadioButton("未反映问题")
        self.modes = QButtonGroup(self)
        for i, b in enumerate((self.mode_follow, self.mode_spot, self.mode_nothing)):
            self.modes.addButton(b, i)
        (self.mode_follow if d.raised_issue else self.mode_nothing).setChecked(True)
        self.mode_spot.setVisible(detail is None)  # an existing visit moves by 办理, not here
        self.spot_how = QLineEdit()
        self.spot_how.setPlaceholderText("当场如何解决的，如 讲解了申请流程")
        self.handler = QLineEdit(d.handler)
        self.handler.setPlaceholderText("责任人（可不填）")
        self.due = DateEdit(d.due_date or flow.default_due(d.visit_date or self.today))
        self.modes.idToggled.connect(lambda *_: self._update())

        when = QHBoxLayout()
        when.addWidget(self.visit_date)
        when.addWidget(self.form)
        when.addStretch(1)
        mode = QHBoxLayout()
        for b in (self.mode_follow, self.mode_spot, self.mode_nothing):
            mode.addWidget(b)
        mode.addStretch(1)
        follow = QHBoxLayout()
        follow.addWidget(self.handler, 1)
        follow.addWidget(QLabel("办结期限"))
        follow.addWidget(self.due)
        where = QHBoxLayout()
        where.addWidget(self.place, 2)
        where.addWidget(self.grid, 1)
        form = QFormLayout()
        form.addRow("走访日期", when)
        form.addRow("走访党员", self.members)
        form.addRow("其他走访人", self.others)
        form.addRow("走访对象", self.visitee)
        form.addRow("地点 / 网格", where)
        form.addRow("问题类别", self.category)
        form.addRow("反映问题", self.content)
        form.addRow("办理", mode)
        form.addRow("", self.spot_how)
        form.addRow("跟进", follow)
        self.again_button = QPushButton("保存并继续登记")
        self.again_button.setToolTip("保存后留在此窗口，日期和走访人不变（Ctrl+Shift+Enter）")
        self.again_button.clicked.connect(self.save_and_next)
        self.again_button.setVisible(detail is None)
        QShortcut(QKeySequence("Ctrl+Shift+Return"), self, activated=self.save_and_next)
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.status = QLabel()
        self.status.setStyleSheet("color: #2e7d32")
        self.finish_layout(form, self.status)
        self.setMinimumWidth(560)
        self._update()
        self.first_field = self.visitee

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is None:
            return
        self._picked_ids = (pick.resident_id, pick.household_id)
        select(self.grid, pick.grid_id)
        self.category.setFocus()  # next: ↑↓ the category, Tab, the problem, Ctrl+Enter

    def _date_moved(self) -> None:
        if not self.detail:
            self.due.set_value(flow.default_due(self.visit_date.value() or self.today))

    def _update(self) -> None:
        follow, spot = self.mode_follow.isChecked(), self.mode_spot.isChecked()
        self.spot_how.setVisible(spot)
        for w in (self.handler, self.due):
            w.setEnabled(follow)
        self.category.setEnabled(not self.mode_nothing.isChecked())

    def current_input(self) -> tuple[VisitInput, str]:
        chosen = self.visitee.chosen()
        if chosen is not None:
            resident_id, household_id, name = chosen.resident_id, chosen.household_id, chosen.name
        elif self.detail and self.visitee.text() == self.detail.visitee_name:
            resident_id, household_id = self._picked_ids
            name = self.detail.visitee_name
        else:
            resident_id, household_id, name = None, None, self.visitee.text()
        raised = not self.mode_nothing.isChecked()
        inp = VisitInput(
            visit_date=self.visit_date.value(), form=self.form.currentData(), member_ids=self.members.member_ids(),
            other_visitors=self.others.text(), household_id=household_id, resident_id=resident_id,
            visitee_name=name, grid_id=self.grid.currentData(), place=self.place.text(),
            category=self.category.currentData() if raised else "", content=self.content.toPlainText(),
            raised_issue=raised, handler=self.handler.text(),
            due_date=self.due.value() if self.mode_follow.isChecked() else None,
            recorder=self.detail.recorder if self.detail else "",
            notes=self.detail.notes if self.detail else "",
        )
        how = self.spot_how.text().strip() if self.mode_spot.isChecked() else ""
        if self.mode_spot.isChecked() and not how:
            raise ValidationError("办理情况", "当场解决的，请写明如何解决")
        return inp, how

    def prepare(self):
        inp, how = self.current_input()
        flow.check_visit(inp, self.today)  # name the problem before anything is sent
        db, today = self.db, self.today
        if self.detail:
            vid = self.detail.id
            return lambda: visit_service.update_visit(db, vid, inp, today)
        return lambda: visit_service.log_visit(db, inp, solved_how=how, today=today)

    def save_and_next(self) -> None:
        self._again = True
        self.accept()
        if not self._saving:
            self._again = False  # refused before saving

    def after_save(self, result: Any) -> None:
        self.count += 1
        self.logged.emit(result)
        if not self._again:
            self.done(QDialog.DialogCode.Accepted)
            return
        self._again = False
        self.status.setText(f"已保存 {self.count} 条：{result.visitee_name or result.place}。继续登记下一户。")
        self.visitee.clear()
        self.place.clear()
        self.content.clear()
        self.spot_how.clear()
        self.handler.clear()
        self.mode_follow.setChecked(True)
        self.visitee.setFocus()


class FollowUpDialog(SavingDialog):
    """Move a visit's follow-up: to 处理中, or close it with who, when and how."""

    def __init__(self, parent: QWidget | None, db: Database, visit: visit_service.VisitDetail, default_by: str = "",
                 today: date | None = None):
        super().__init__(parent, "办理走访反映的问题")
        self.db, self.visit, self.today = db, visit, today or date.today()
        targets = flow.FOLLOW_TRANSITIONS.get(visit.follow_state, ())
        label = {flow.IN_PROGRESS: "重新办理" if visit.follow_state in flow.CLOSED_STATES else "开始办理（处理中）",
                 flow.SOLVED: "已解决", flow.NO_ACTION: "无需处理"}
        self.target = combo([(label[t], t) for t in targets],
                            flow.SOLVED if flow.SOLVED in targets else None)
        self.by = QLineEdit(default_by or visit.handler)
        self.by.setPlaceholderText("谁办理的")
        self.on = DateEdit(self.today)
        self.how = text_area(3, "如何解决的 / 无需处理的原因 / 办理进展")
        summary = QLabel(f"<b>{visit.visitee_name or visit.place}</b>（{visit.visit_date.isoformat()} {visit.form}）"
                         f"：{visit.content}<br>当前状态：{visit.follow_state}")
        summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("办理结果", self.target)
        form.addRow("办理人", self.by)
        form.addRow("办理日期", self.on)
        form.addRow("办理情况", self.how)
        self.finish_layout(summary, form)
        self.setMinimumWidth(480)
        self.first_field = self.how

    def prepare(self):
        target, by, on, how = self.target.currentData(), self.by.text(), self.on.value(), self.how.toPlainText()
        if target is None:
            raise ValidationError("办理状态", "该记录没有可以进行的办理")
        flow.check_follow_up(self.visit.follow_state, target, by, on, how, self.visit.visit_date, self.today)
        db, vid, today = self.db, self.visit.id, self.today
        return lambda: visit_service.move_follow_up(db, vid, target, by, on, how, today)


# ---------------------------------------------------------------- projects


class ProjectDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], categories: Sequence[str],
                 detail=None, default_owner: str = "", save: Callable[[ProjectInput], Any] | None = None,
                 title: str = "", preset: ProjectInput | None = None, today: date | None = None):
        """`save` replaces the default create/update (turning a visit into a project uses it)."""
        super().__init__(parent, title or ("修改项目" if detail else "新建微实事项目"))
        from desktop_app.services import projects

        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else (preset or ProjectInput(owner_name=default_owner))
        if not detail and not d.owner_name:
            d = replace(d, owner_name=default_owner)
        if save is None:
            if detail:
                pid = detail.id
                save = lambda inp: projects.update_project(db, pid, inp, self.today)  # noqa: E731
            else:
                save = lambda inp: projects.create_project(db, inp, self.today)  # noqa: E731
        self._save_fn = save
        self.name = QLineEdit(d.name)
        self.name.setPlaceholderText("如 梅园新村3栋门口路灯修复")
        self.category = list_combo(categories, d.category)
        self.grid = grid_combo(grids, d.grid_id, "全社区")
        self.owner = QLineEdit(d.owner_name)
        self.owner.setPlaceholderText("项目经理，一般为支部书记")
        self.budget = yuan_field(d.budget_fen)
        self.cost = yuan_field(d.actual_cost_fen)
        self.start = DateEdit(d.start_date, optional=True)
        self.deadline = DateEdit(d.deadline or self.today + timedelta(days=30))
        self.description = text_area(3, "要做什么、为谁做")
        self.description.setPlainText(d.description)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        money = QHBoxLayout()
        money.addWidget(self.budget)
        money.addWidget(QLabel("实际支出"))
        money.addWidget(self.cost)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("完成期限"))
        dates.addWidget(self.deadline)
        form = QFormLayout()
        form.addRow("项目名称", self.name)
        form.addRow("项目类别", self.category)
        form.addRow("所在网格", self.grid)
        form.addRow("项目经理", self.owner)
        form.addRow("预算（元）", money)
        form.addRow("开始日期", dates)
        form.addRow("项目内容", self.description)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(520)
        self.first_field = self.name

    def current_input(self) -> ProjectInput:
        owner_id = self.detail.owner_member_id if self.detail else None
        return ProjectInput(
            name=self.name.text(), category=self.category.currentData() or "", grid_id=self.grid.currentData(),
            owner_name=self.owner.text(), owner_member_id=owner_id, description=self.description.toPlainText(),
            budget_fen=fen_of(self.budget, "预算"), actual_cost_fen=fen_of(self.cost, "实际支出"),
            start_date=self.start.value(), deadline=self.deadline.value(), notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp = flow.check_project(self.current_input())
        save = self._save_fn
        return lambda: save(inp)


class ProjectStatusDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, detail, today: date | None = None):
        super().__init__(parent, f"项目状态：{detail.name}")
        self.db, self.detail, self.today = db, detail, today or date.today()
        targets = flow.PROJECT_TRANSITIONS.get(detail.status, ())
        self.target = combo([(t, t) for t in targets])
        self.on = DateEdit(self.today)
        self.note = text_area(3, "完成情况 / 终止或重新启动的原因")
        self.cost = yuan_field(detail.actual_cost_fen)
        form = QFormLayout()
        form.addRow("当前状态", QLabel(detail.status))
        form.addRow("改为", self.target)
        form.addRow("日期", self.on)
        form.addRow("实际支出（元）", self.cost)
        form.addRow("说明", self.note)
        self.target.currentIndexChanged.connect(lambda _i: self.cost.setEnabled(self.target.currentData() == flow.PROJECT_DONE))
        self.cost.setEnabled(self.target.currentData() == flow.PROJECT_DONE)
        self.finish_layout(form)
        self.setMinimumWidth(440)

    def prepare(self):
        from desktop_app.services import projects

        target, on, note = self.target.currentData(), self.on.value(), self.note.toPlainText()
        if target is None:
            raise ValidationError("项目状态", "没有可以改成的状态")
        flow.check_project_move(self.detail.status, target, on, self.detail.start_date, self.today, note)
        cost = fen_of(self.cost, "实际支出") if target == flow.PROJECT_DONE else None
        db, pid, today = self.db, self.detail.id, self.today
        return lambda: projects.change_status(db, pid, target, on, note, cost, today)


class MilestoneDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, project_id: str, milestone=None,
                 today: date | None = None):
        super().__init__(parent, "修改项目节点" if milestone else "添加项目节点")
        self.db, self.project_id, self.milestone, self.today = db, project_id, milestone, today or date.today()
        self.title_edit = QLineEdit(milestone.title if milestone else "")
        self.title_edit.setPlaceholderText("如 采购材料、施工、验收")
        self.due = DateEdit(milestone.due_date if milestone else None, optional=True)
        self.done_on = DateEdit(milestone.done_on if milestone else None, optional=True)
        self.note = QLineEdit(milestone.note if milestone else "")
        form = QFormLayout()
        form.addRow("节点", self.title_edit)
        form.addRow("计划日期", self.due)
        form.addRow("完成日期", self.done_on)
        form.addRow("说明", self.note)
        self.finish_layout(form)
        self.setMinimumWidth(380)

    def prepare(self):
        from desktop_app.services import projects

        inp = flow.check_milestone(MilestoneInput(self.title_edit.text(), self.due.value(), self.done_on.value(),
                                                  self.note.text()), self.today)
        db, today = self.db, self.today
        if self.milestone:
            mid = self.milestone.id
            return lambda: projects.update_milestone(db, mid, inp, today)
        pid = self.project_id
        return lambda: projects.add_milestone(db, pid, inp, today)


# ---------------------------------------------------------------- wishes


class WishDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], detail=None,
                 today: date | None = None):
        super().__init__(parent, "修改微心愿" if detail else "发布微心愿")
        from desktop_app.services import wishes

        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else WishInput(posted_on=self.today)
        self._ids = (d.resident_id, d.household_id)
        self.wisher = resident_picker(db)
        if d.wisher_name:
            self.wisher.set_chosen(None, d.wisher_name)
        self.wisher.picked.connect(self._picked)
        self.grid = grid_combo(grids, d.grid_id)
        self.content = QLineEdit(d.content)
        self.content.setPlaceholderText("如 一台收音机、上门理发、孩子的课外辅导书")
        self.background = QLineEdit(d.background)
        self.background.setPlaceholderText("心愿人情况，如 独居老人、腿脚不便（会印在心愿卡上）")
        self.value = yuan_field(d.estimated_fen)
        self.posted = DateEdit(d.posted_on)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        form = QFormLayout()
        form.addRow("心愿人", self.wisher)
        form.addRow("所属网格", self.grid)
        form.addRow("心愿内容", self.content)
        form.addRow("心愿人情况", self.background)
        form.addRow("预计价值（元）", self.value)
        form.addRow("发布日期", self.posted)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(500)
        self._wishes = wishes
        self.first_field = self.wisher

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is not None:
            self._ids = (pick.resident_id, pick.household_id)
            select(self.grid, pick.grid_id)
            if not self.background.text() and pick.tags:
                self.background.setText("、".join(pick.tags))

    def current_input(self) -> WishInput:
        chosen = self.wisher.chosen()
        if chosen is not None:
            resident_id, household_id, name = chosen.resident_id, chosen.household_id, chosen.name
        elif self.detail and self.wisher.text() == self.detail.wisher_name:
            (resident_id, household_id), name = self._ids, self.detail.wisher_name
        else:
            resident_id, household_id, name = None, None, self.wisher.text()
        return WishInput(
            resident_id=resident_id, household_id=household_id, wisher_name=name, grid_id=self.grid.currentData(),
            content=self.content.text(), background=self.background.text(),
            estimated_fen=fen_of(self.value, "预计价值"), posted_on=self.posted.value(),
            notes=self.notes.toPlainText(),
        )

    def prepare(self):
        inp = self.current_input()
        flow.check_wish(inp, self.today)
        db, today, wishes = self.db, self.today, self._wishes
        if self.detail:
            wid = self.detail.id
            return lambda: wishes.update_wish(db, wid, inp, today)
        return lambda: wishes.post_wish(db, inp, today)


class ClaimDialog(SavingDialog):
    """Who takes the wish on: a member (search by name) or a partner unit (from the list)."""

    def __init__(self, parent: QWidget | None, db: Database, wish, units: Sequence[Any], today: date | None = None):
        super().__init__(parent, f"认领心愿 {wish.wish_no}", "认领")
        self.db, self.wish, self.today = db, wish, today or date.today()
        self.by_member = QRadioButton("党员")
        self.by_unit = QRadioButton("共建单位")
        self.by_member.setChecked(True)
        self.member = member_picker(db)
        self.unit = combo([(u.name, u.id) for u in units])
        self.by_unit.setEnabled(bool(units))
        self.claimed_on = DateEdit(self.today)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如 联系电话、计划何时送去")
        for b in (self.by_member, self.by_unit):
            b.toggled.connect(lambda *_: self._update())
        kind = QHBoxLayout()
        kind.addWidget(self.by_member)
        kind.addWidget(self.by_unit)
        kind.addStretch(1)
        summary = QLabel(f"<b>{wish.wisher_name}</b>：{wish.content}")
        summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("认领方", kind)
        form.addRow("认领党员", self.member)
        form.addRow("共建单位", self.unit)
        form.addRow("认领日期", self.claimed_on)
        form.addRow("说明", self.note)
        self.finish_layout(summary, form)
        self.setMinimumWidth(460)
        self._update()
        self.first_field = self.member

    def _update(self) -> None:
        self.member.setEnabled(self.by_member.isChecked())
        self.unit.setEnabled(self.by_unit.isChecked())

    def prepare(self):
        from desktop_app.services import wishes

        member_id = unit_id = None
        if self.by_member.isChecked():
            m = self.member.chosen()
            if m is None:
                raise ValidationError("认领人", "请输入党员姓名并从结果中选择")
            member_id = m.id
        else:
            unit_id = self.unit.currentData()
            if not unit_id:
                raise ValidationError("认领人", "请选择共建单位")
        db, wid, on, note, today = self.db, self.wish.id, self.claimed_on.value(), self.note.text(), self.today
        return lambda: wishes.claim_wish(db, wid, on, member_id=member_id, unit_id=unit_id, note=note, today=today)


class DateNoteDialog(SavingDialog):
    """A date and a note: 实现心愿, 撤回认领 … `save(on, note)` makes the service call."""

    def __init__(self, parent: QWidget | None, title: str, summary: str, date_label: str, note_label: str,
                 save: Callable[[date | None, str], Any], ok_text: str = "确定", placeholder: str = "",
                 today: date | None = None):
        super().__init__(parent, title, ok_text)
        self._save_fn = save
        self.on = DateEdit(today or date.today())
        self.note = text_area(3, placeholder)
        text = QLabel(summary)
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow(date_label, self.on)
        form.addRow(note_label, self.note)
        self.finish_layout(text, form)
        self.setMinimumWidth(420)
        self.first_field = self.note

    def prepare(self):
        on, note, save = self.on.value(), self.note.toPlainText(), self._save_fn
        return lambda: save(on, note)


class PartnerUnitDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, unit=None):
        super().__init__(parent, "修改共建单位" if unit else "新增共建单位")
        self.db, self.unit = db, unit
        self.name = QLineEdit(unit.name if unit else "")
        self.contact = QLineEdit(unit.contact_person if unit else "")
        self.phone = QLineEdit(unit.phone if unit else "")
        self.notes = QLineEdit(unit.notes if unit else "")
        form = QFormLayout()
        form.addRow("单位名称", self.name)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(400)

    def prepare(self):
        from desktop_app.services import wishes

        db, uid = self.db, self.unit.id if self.unit else None
        values = (self.name.text(), self.contact.text(), self.phone.text(), self.notes.text())
        flow.required(values[0], "单位名称")
        return lambda: wishes.save_unit(db, uid, *values)


# ---------------------------------------------------------------- mediation


class CaseDialog(SavingDialog):
    PARTY_HEADERS = ("姓名", "身份", "联系电话", "住址")

    def __init__(self, parent: QWidget | None, db: Database, grids: Sequence[Grid], kinds: Sequence[str],
                 detail=None, today: date | None = None):
        super().__init__(parent, "修改调解案件" if detail else "受理矛盾纠纷")
        self.db, self.detail, self.today = db, detail, today or date.today()
        d = detail.to_input() if detail else CaseInput(received_on=self.today)
        self.kind = list_combo(kinds, d.kind)
        self.received = DateEdit(d.received_on)
        self.source = list_combo(flow.CASE_SOURCES, d.source)
        self.mediator = QLineEdit(d.mediator)
        self.grid = grid_combo(grids, d.grid_id)
        self.summary = text_area(4, "纠纷的起因、经过和双方诉求")
        self.summary.setPlainText(d.summary)
        self.parties = QTableWidget(0, len(self.PARTY_HEADERS))
        self.parties.setHorizontalHeaderLabels(list(self.PARTY_HEADERS))
        self.parties.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.parties.verticalHeader().hide()
        self.parties.setMinimumHeight(120)
        self._resident_ids: list[str | None] = []
        for p in d.parties or (PartyInput(role=flow.PARTY_ROLES[0]), PartyInput(role=flow.PARTY_ROLES[1])):
            self.add_party(p)
        self.party_picker = resident_picker(db, "从居民中添加当事人：姓名或拼音首字母")
        self.party_picker.picked.connect(self._picked)
        add = QPushButton("空白行")
        add.clicked.connect(lambda: self.add_party(PartyInput(role=flow.PARTY_ROLES[2])))
        remove = QPushButton("删除所选")
        remove.clicked.connect(self._remove_party)
        party_tools = QHBoxLayout()
        party_tools.addWidget(self.party_picker, 1)
        party_tools.addWidget(add)
        party_tools.addWidget(remove)
        self.notes = text_area(2)
        self.notes.setPlainText(d.notes)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(QLabel("受理日期"))
        top.addWidget(self.received)
        top.addWidget(QLabel("来源"))
        top.addWidget(self.source)
        who = QHBoxLayout()
        who.addWidget(self.mediator, 1)
        who.addWidget(QLabel("所属网格"))
        who.addWidget(self.grid, 1)
        form = QFormLayout()
        form.addRow("纠纷类型", top)
        form.addRow("调解员", who)
        form.addRow("当事人", self.parties)
        form.addRow("", party_tools)
        form.addRow("简要情况", self.summary)
        form.addRow("备注", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(640)

    def add_party(self, p: PartyInput) -> None:
        row = self.parties.rowCount()
        self.parties.insertRow(row)
        for col, text in enumerate((p.name, p.role, p.phone, p.address)):
            if col == 1:
                box = list_combo(flow.PARTY_ROLES, p.role)
                self.parties.setCellWidget(row, col, box)
            else:
                self.parties.setItem(row, col, QTableWidgetItem(text))
        self._resident_ids.append(p.resident_id)

    def _picked(self, pick: ResidentPick | None) -> None:
        if pick is None:
            return
        # fill the first blank row, else add one
        for row in range(self.parties.rowCount()):
            item = self.parties.item(row, 0)
            if item is None or not item.text().strip():
                self.parties.setItem(row, 0, QTableWidgetItem(pick.name))
                self.parties.setItem(row, 3, QTableWidgetItem(pick.address))
                self._resident_ids[row] = pick.resident_id
                break
        else:
            self.add_party(PartyInput(pick.name, flow.PARTY_ROLES[2], pick.resident_id, "", pick.address))
        if self.grid.currentData() is None:
            select(self.grid, pick.grid_id)
        self.party_picker.clear()

    def _remove_party(self) -> None:
        row = self.parties.currentRow()
        if row >= 0:
            self.parties.removeRow(row)
            del self._resident_ids[row]

    def party_inputs(self) -> tuple[PartyInput, ...]:
        out = []
        for row in range(self.parties.rowCount()):
            def cell(col: int) -> str:
                item = self.parties.item(row, col)
                return item.text() if item else ""

            role = self.parties.cellWidget(row, 1).currentData()
            out.append(PartyInput(cell(0), role, self._resident_ids[row], cell(2), cell(3)))
        return tuple(out)

    def current_input(self) -> CaseInput:
        return CaseInput(
            kind=self.kind.currentData() or "", summary=self.summary.toPlainText(),
            received_on=self.received.value(), source=self.source.currentData() or "",
            mediator=self.mediator.text(), grid_id=self.grid.currentData(), parties=self.party_inputs(),
            notes=self.notes.toPlainText(),
        )

    def prepare(self):
        from desktop_app.services import mediation

        inp = self.current_input()
        flow.check_case(inp, self.today)
        db, today = self.db, self.today
        if self.detail:
            cid = self.detail.id
            return lambda: mediation.update_case(db, cid, inp, today)
        return lambda: mediation.create_case(db, inp, today)


class SessionDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, case, session=None, today: date | None = None):
        super().__init__(parent, f"调解记录：{case.case_no}")
        self.db, self.case, self.session, self.today = db, case, session, today or date.today()
        self.on = DateEdit(session.session_date if session else self.today)
        self.place = QLineEdit(session.place if session else "社区调解室")
        self.mediators = QLineEdit(session.mediators if session else case.mediator)
        self.notes = text_area(6, "调解经过：双方陈述、调解员意见、达成的共识")
        if session:
            self.notes.setPlainText(session.notes)
        form = QFormLayout()
        form.addRow("调解日期", self.on)
        form.addRow("地点", self.place)
        form.addRow("调解人员", self.mediators)
        form.addRow("调解经过", self.notes)
        self.finish_layout(form)
        self.setMinimumWidth(520)
        self.first_field = self.notes

    def prepare(self):
        from desktop_app.services import mediation

        inp = flow.check_session(SessionInput(self.on.value(), self.place.text(), self.mediators.text(),
                                              self.notes.toPlainText()), self.case.received_on, self.today)
        db, today = self.db, self.today
        if self.session:
            sid = self.session.id
            return lambda: mediation.update_session(db, sid, inp, today)
        cid = self.case.id
        return lambda: mediation.add_session(db, cid, inp, today)


class OutcomeDialog(SavingDialog):
    def __init__(self, parent: QWidget | None, db: Database, case, today: date | None = None):
        super().__init__(parent, f"结案：{case.case_no}", "结案")
        self.db, self.case, self.today = db, case, today or date.today()
        self.outcome = combo([(o, o) for o in flow.OUTCOMES])
        self.closed_on = DateEdit(self.today)
        self.agreement = text_area(5, "达成的协议内容（调解成功时必填）")
        self.transferred_to = QLineEdit()
        self.transferred_to.setPlaceholderText("如 街道司法所、派出所、人民法院")
        self.outcome.currentIndexChanged.connect(lambda _i: self._update())
        form = QFormLayout()
        form.addRow("调解结果", self.outcome)
        form.addRow("结案日期", self.closed_on)
        form.addRow("协议内容", self.agreement)
        form.addRow("转交单位", self.transferred_to)
        self.finish_layout(form)
        self.setMinimumWidth(480)
        self._update()

    def _update(self) -> None:
        outcome = self.outcome.currentData()
        self.agreement.setEnabled(outcome != flow.MEDIATION_TRANSFERRED)
        self.transferred_to.setEnabled(outcome == flow.MEDIATION_TRANSFERRED)

    def prepare(self):
        from desktop_app.services import mediation

        outcome, on = self.outcome.currentData(), self.closed_on.value()
        agreement, to = self.agreement.toPlainText(), self.transferred_to.text()
        last = max((s.session_date for s in self.case.sessions), default=None)
        flow.check_outcome(self.case.state, outcome, on, self.case.received_on, last, self.today, agreement, to)
        db, cid, today = self.db, self.case.id, self.today
        return lambda: mediation.close_case(db, cid, outcome, on, agreement, to, today)


class ConcernedDialog(SavingDialog):
    """Add a resident (picked, or just a name) a project concerns."""

    def __init__(self, parent: QWidget | None, db: Database, project_id: str, today: date | None = None):
        super().__init__(parent, "添加涉及居民", "添加")
        self.db, self.project_id, self.today = db, project_id, today or date.today()
        self.who = resident_picker(db)
        self.note = QLineEdit()
        self.note.setPlaceholderText("诉求或受益情况（可不填）")
        form = QFormLayout()
        form.addRow("居民", self.who)
        form.addRow("说明", self.note)
        self.finish_layout(form)
        self.setMinimumWidth(440)

    def prepare(self):
        from desktop_app.services import projects

        pick = self.who.chosen()
        name = self.who.text()
        if pick is None and not name:
            raise ValidationError("涉及居民", "请选择居民或填写姓名")
        rid, hid = (pick.resident_id, pick.household_id) if pick else (None, None)
        db, pid, note, today = self.db, self.project_id, self.note.text(), self.today
        return lambda: projects.add_resident(db, pid, rid, hid, "" if pick else name, note, today)


class UnitsDialog(QDialog):
    """共建单位: list, add, edit, delete (each through its own saving dialog or a confirmed call)."""

    def __init__(self, parent: QWidget | None, db: Database):
        super().__init__(parent)
        from desktop_app.gui import icons

        self.setWindowTitle("共建单位")
        self.db = db
        self.changed = False
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _i: self.edit())
        add = QPushButton(icons.get("add"), "新增")
        add.clicked.connect(self.add)
        edit = QPushButton(icons.get("rename"), "修改")
        edit.clicked.connect(self.edit)
        remove = QPushButton(icons.get("delete"), "删除")
        remove.clicked.connect(self.remove)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        side = QVBoxLayout()
        for b in (add, edit, remove):
            side.addWidget(b)
        side.addStretch(1)
        side.addWidget(close)
        lay = QHBoxLayout(self)
        lay.addWidget(self.list, 1)
        lay.addLayout(side)
        self.resize(460, 320)
        self.reload()

    def reload(self) -> None:
        from desktop_app.services import wishes

        db = self.db
        run_op(self, lambda job: wishes.list_units(db), self._show)

    def _show(self, units) -> None:
        self.list.clear()
        for u in units:
            text = u.name + (f"（{u.contact_person} {u.phone}）" if u.contact_person or u.phone else "")
            text += f"  认领 {u.claims} 个" if u.claims else ""
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, u)
            self.list.addItem(item)

    def _current(self):
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add(self) -> None:
        if PartnerUnitDialog(self, self.db).exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.reload()

    def edit(self) -> None:
        unit = self._current()
        if unit is not None and PartnerUnitDialog(self, self.db, unit).exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.reload()

    def remove(self) -> None:
        from desktop_app.gui.dialogs import common
        from desktop_app.services import wishes

        unit = self._current()
        if unit is None or not common.ask(self, "删除共建单位", f"确定删除“{unit.name}”吗？已有的认领记录保留单位名称。"):
            return
        db = self.db

        def done(_r) -> None:
            self.changed = True
            self.reload()

        run_op(self, lambda job: wishes.delete_unit(db, unit.id), done)


def ask_month(parent: QWidget | None, today: date | None = None) -> tuple[int, int] | None:
    """Which month to summarise: the last twelve, the current one first (tests replace this)."""
    from PySide6.QtWidgets import QInputDialog

    today = today or date.today()
    months = []
    y, m = today.year, today.month
    for _ in range(12):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    labels = [f"{y}年{m}月" for y, m in months]
    choice, ok = QInputDialog.getItem(parent, "服务群众工作月报", "月份", labels, 0, False)
    return months[labels.index(choice)] if ok and choice in labels else None


class ListPanel(QWidget):
    """A table of rows (RowsModel) beside a details pane; keeps the selection across reloads."""

    current_changed = Signal(object)
    activated = Signal(object)

    def __init__(self, columns: Sequence[Col], color: Callable[[Any], QColor | None] | None = None,
                 stretch: int | None = None, details_width: int = 300, parent: QWidget | None = None):
        from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QSplitter, QTableView

        super().__init__(parent)
        self.model = RowsModel(columns, color, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        fit_columns(self.view, columns, stretch)
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.current_changed.emit(self.model.row(cur.row())))
        self.view.doubleClicked.connect(lambda idx: self.activated.emit(self.model.row(idx.row())))
        self.details = QLabel()
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMargin(8)
        scroll = QScrollArea()
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(220)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, details_width])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    def set_rows(self, rows: Sequence[Any], keep_id: str | None = None) -> None:
        self.model.set_rows(rows)
        i = self.model.find(keep_id)
        if i < 0 and rows:
            i = 0
        if i >= 0:
            self.view.selectRow(i)
            self.view.scrollTo(self.model.index(i, 0))
        else:
            self.current_changed.emit(None)

    def selected(self) -> Any | None:
        idx = self.view.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def selected_rows(self) -> list[Any]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def select_id(self, row_id: str | None) -> None:
        i = self.model.find(row_id)
        if i >= 0:
            self.view.selectRow(i)


# ---------------------------------------------------------------- page furniture


def toolbar(owner: QWidget) -> tuple[Any, Callable[..., Any]]:
    """A text-beside-icon toolbar and an `action(icon, text, slot, shortcut=None)` that fills it."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QToolBar

    from desktop_app.gui import icons

    tb = QToolBar()
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def action(icon: str, text: str, slot, shortcut: str | None = None) -> QAction:
        act = QAction(icons.get(icon), text, owner)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(f"{text}（{shortcut}）")
        act.triggered.connect(slot)
        tb.addAction(act)
        owner.addAction(act)
        return act

    return tb, action


def search_box(placeholder: str) -> QLineEdit:
    from desktop_app.gui import icons

    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.addAction(icons.get("search"), QLineEdit.ActionPosition.LeadingPosition)
    return edit


def refill(box: QComboBox, all_label: str, items: Sequence[tuple[str, Any]]) -> None:
    """Replace a filter combo's entries (keeping the choice) without firing its signals."""
    if box.count() and [box.itemData(i) for i in range(1, box.count())] == [v for _, v in items]:
        return
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(all_label, None)
    for label, value in items:
        box.addItem(label, value)
    select(box, current)
    box.blockSignals(False)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHeading")
    return label


def debounced(owner: QObject, slot: Callable[[], None], delay_ms: int = SEARCH_DELAY_MS) -> Callable[..., None]:
    """A callable that runs `slot` once typing pauses (search as you type without a query per key)."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return lambda *_: timer.start()
