"""党员 detail form (add / edit) and the small status-change and transfer dialogs.

The form checks as the user goes with the same domain rules the service
applies (members.check), shows each message under its field, fills birth date
and gender from the ID number, and saves through a callable the page gives it:
the dialog stays open until the service accepted the record, so a refusal
(the ID number is already on the roster …) keeps what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea,
    QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain import memberlife as life_rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.gui.roster.org_combo import OrgCombo, default_org  # noqa: F401 - also imported from here
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.dialog import DateNoteDialog, SavingDialog
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.views.changes import Change, changes
from desktop_app.views.orgs import OrgNode
from desktop_app.views.roster import MemberDetail

ERROR_STYLE = "color: #c8161e;"
WARNING_STYLE = "color: #a05a00;"

ETHNICITIES = (
    "汉族", "回族", "满族", "蒙古族", "壮族", "藏族", "维吾尔族", "苗族", "彝族", "土家族",
    "朝鲜族", "布依族", "侗族", "瑶族", "白族", "哈尼族", "黎族", "傣族", "畲族",
)
EDUCATIONS = ("博士研究生", "硕士研究生", "本科", "大专", "中专", "高中", "初中", "小学")

DATE_FIELDS = ("birth_date", "joined_date", "confirmed_date", "lost_date")
LINE_FIELDS = ("name", "id_number", "job", "mobile", "phone", "address")
TEXT_FIELDS = ("notes",)
# 双报到 lives in co-building's register now; the old columns are carried through a save untouched.
REPORTING_FIELDS = ("reporting_employer", "reporting_post", "reporting_date", "reporting_services")
# 流动 is the 流出 register's (流动与失联): shown here, registered and ended there; the columns are carried through.
FLOATING_FIELDS = ("is_floating", "floating_to")
NO_GROUP = "（不在党小组）"
REG_UNKNOWN = object()  # the 双报到 register was not read (the account may not)

# Error field (the Chinese column a ValidationError names) -> form field.
_LABEL_FIELD = {label: f for f, label in rules.FIELD_LABELS.items()}
_LABEL_FIELD["所在党支部"] = "org_id"

class DateField(QLineEdit):
    """A date typed as people write it (1985-03-02, 1985.3.2, 1985年3月2日 …); blank allowed."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("如 1985-03-02")
        self.set_date(value)
        self.editingFinished.connect(self._tidy)

    def set_date(self, value: date | None) -> None:
        self.setText(rules.format_date(value))

    def parsed(self) -> tuple[date | None, str | None]:
        """(date or None, reason it is not a date)."""
        try:
            return rules.parse_date(self.text()), None
        except ValueError as exc:
            return None, str(exc)

    def _tidy(self) -> None:
        value, error = self.parsed()
        if value is not None and error is None and self.text() != value.isoformat():
            self.setText(value.isoformat())


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class _MemberSave(SavingDialog):
    """The kit's saving dialog, with a refusal naming a field shown at that field (see show_refusal)."""

    changes_made = changes(Change.MEMBERS)  # every save here changes a member

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "保存"):
        super().__init__(parent, title, ok_text)
        self._call: Callable[[], Any] | None = None

    def reject(self) -> None:
        if not self._saving:  # a save in flight finishes first (its result must reach the page)
            super().reject()

    def prepare(self) -> Callable[[], Any]:
        assert self._call is not None
        return self._call

    def _save(self, fn: Callable[[], Any]) -> None:
        self._call = fn
        SavingDialog.accept(self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._saving = False
            self.buttons.setEnabled(True)
            self.show_refusal(exc)
        else:
            super()._failed(exc)

    def show_refusal(self, exc: ValidationError) -> None:
        _show(self.message, str(exc))

    def _past_day(self, field: DateField, label: str) -> date | None:
        """The day typed in `field`, which must be given and not after today; None, with the reason shown, if not."""
        on, error = field.parsed()
        if error or on is None:
            _show(self.message, f"{label}：{error or '不能为空'}")
        elif on > self.today:
            _show(self.message, f"{label}：不能晚于今天")
        else:
            return on
        return None


class MemberDialog(_MemberSave):
    """Add or edit one member. `save(input)` runs off the GUI thread and returns the saved detail.

    The member's place is a branch and, within it, a 党小组 (the member's `org_id` is the group
    when one is chosen). `registration` is the member's row in the 双报到 register (None: not in it,
    REG_UNKNOWN: the account may not read it); 打开双报到名册 emits `open_register(name)`.
    """

    open_register = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        nodes: list[OrgNode],
        save: Callable[[MemberInput], MemberDetail],
        detail: MemberDetail | None = None,
        *,
        default_org_id: str | None = None,
        today: date | None = None,
        registration: Any = REG_UNKNOWN,
        db: Any = None,
    ):
        super().__init__(parent, f"编辑党员：{detail.name}" if detail else "新增党员")
        self.db = db  # only for 党员动态 (exits, discipline, moves), which saves on its own
        self.registration = registration
        self._kept: dict[str, Any] = {}
        self.detail = detail
        self.today = today or date.today()
        self._save_fn = save
        self._touched: set[str] = set()
        self._show_all = False
        self._auto: dict[str, str] = {}  # values the ID number filled in, to refill when it changes

        self.w: dict[str, QWidget] = {}
        self.err: dict[str, QLabel] = {}
        self._build_widgets(nodes)
        self._load(detail.to_input() if detail else MemberInput(org_id=default_org_id))
        self._mark_derived()

        form_page = QWidget()
        cols = QHBoxLayout(form_page)
        left = QVBoxLayout()
        left.addWidget(self._group("基本信息", (
            "name", "id_number", "gender", "birth_date", "ethnicity", "education",
            "mobile", "phone", "address", "job",
        )))
        left.addWidget(self._group("其他", ("is_hardship", "notes")))
        left.addStretch(1)
        right = QVBoxLayout()
        party = self._group("党籍信息", (
            "seq", "org_id", "category", "joined_date", "confirmed_date", "party_status",
            "is_lost", "lost_date",
        ))
        party.layout().insertRow(2, "党小组", self.group_box)
        right.addWidget(party)
        right.addWidget(self._floating_box(detail))
        right.addWidget(self._registration_box(detail))
        right.addStretch(1)
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_page)

        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "党员信息")
        if detail is not None:
            self.tabs.addTab(self._history_page(detail), f"状态与转接记录（{len(detail.history) + len(detail.transfers)}）")

        self.warnings = QLabel()
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setWordWrap(True)
        self.warnings.hide()

        lay = QVBoxLayout(self)
        if detail is not None:
            head = QLabel(self._summary(detail))
            head.setObjectName("memberSummary")
            lay.addWidget(head)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.warnings)
        lay.addWidget(self.message)
        if detail is not None and db is not None:
            self.life_button = QPushButton("党员动态…")
            self.life_button.setToolTip("出党、党纪处分、不合格党员处置、调动党支部（另行保存）")
            self.life_button.clicked.connect(self.open_life)
            self.buttons.addButton(self.life_button, QDialogButtonBox.ButtonRole.ActionRole)
        lay.addWidget(self.buttons)
        self.resize(940, 660)  # inside 1366×768 with a taskbar and its title bar
        self._connect()
        self._update_enabled()
        self._revalidate()
        self.w["name"].setFocus()

    # ----------------------------------------------------------- building
    def _build_widgets(self, nodes: list[OrgNode]) -> None:
        for f in LINE_FIELDS:
            self.w[f] = QLineEdit()
        self.w["id_number"].setMaxLength(18)
        self.w["id_number"].setPlaceholderText("18 位，出生日期和性别将自动填写")
        self.w["mobile"].setPlaceholderText("11 位手机号码")
        for f in DATE_FIELDS:
            self.w[f] = DateField()
        for f in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(54)
            self.w[f] = edit
        for f, items in (("ethnicity", ETHNICITIES), ("education", EDUCATIONS)):
            box = QComboBox()
            box.setEditable(True)
            box.addItems(list(items))
            self.w[f] = box
        self.w["gender"] = combo([("（按身份证号）", "")] + [(g, g) for g in rules.GENDERS])
        self.w["category"] = combo([(c, c) for c in rules.CATEGORIES])
        self.w["party_status"] = combo([(p, p) for p in rules.PARTY_STATUSES])
        self._nodes = {n.id: n for n in nodes}
        org = OrgCombo(all_label="（请选择）")
        org.set_nodes([n for n in nodes if n.kind != "group"])  # the 党小组 has a field of its own
        self.w["org_id"] = org
        self.group_box = QComboBox()
        self.group_box.setToolTip("所在党支部下的党小组；不在党小组的党员选“不在党小组”")
        org.currentIndexChanged.connect(lambda _i: self._fill_groups())
        seq = QSpinBox()
        seq.setRange(0, 999_999)
        seq.setSpecialValueText("自动编号")
        self.w["seq"] = seq
        self.w["is_lost"] = QCheckBox("是失联党员")
        self.w["is_hardship"] = QCheckBox("是困难党员")
        for f in self.w:
            self.err[f] = _error_label()

    def _group(self, title: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for f in names:
            cell = QWidget()
            v = QVBoxLayout(cell)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(self.w[f])
            v.addWidget(self.err[f])
            form.addRow(self._label(f), cell)
        return box

    @staticmethod
    def _label(f: str) -> str:
        custom = {
            "is_lost": "失联", "is_hardship": "困难党员",
            "org_id": "所在党支部", "seq": "序号",
        }
        return custom.get(f, rules.FIELD_LABELS.get(f, f))

    def _summary(self, d: MemberDetail) -> str:
        parts = [f"当前状态：{d.status}"]
        # the service counts both to the day of a death or 出党: say so, they no longer grow
        if d.age is not None:
            parts.append(f"{'去世时' if d.status == rules.DECEASED else '年龄'} {d.age} 岁")
        if d.party_age is not None:
            parts.append(f"{'出党时党龄' if d.status in rules.EXIT_STATUSES else '党龄'} {d.party_age} 年")
        if d.org_name:
            parts.append(f"所在党组织：{d.org_name}")
        return "　·　".join(parts)

    def _history_page(self, d: MemberDetail) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(_section("状态变更（最近的在前）"))
        lay.addWidget(_readonly_table(
            ("日期", "状态", "去向", "说明"),
            [(rules.format_date(h.changed_on), h.status, h.destination, h.note) for h in d.history],
            "暂无状态变更记录",
        ))
        lay.addWidget(_section("组织关系转接（最近的在前）"))
        lay.addWidget(_readonly_table(
            ("日期", "方向", "转出单位", "转入单位", "说明"),
            [(rules.format_date(t.transfer_date), t.direction, t.from_org, t.to_org, t.note) for t in d.transfers],
            "暂无组织关系转接记录",
        ))
        lay.addStretch(1)
        return page

    # ----------------------------------------------------------- values
    def set_value(self, f: str, value: Any) -> None:
        w = self.w[f]
        if isinstance(w, DateField):
            w.set_date(value) if not isinstance(value, str) else w.setText(value)
        elif isinstance(w, QLineEdit):
            w.setText(value or "")
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QComboBox):
            if w.isEditable():
                w.setCurrentText(value or "")
            else:
                i = w.findData(value)
                w.setCurrentIndex(i if i >= 0 else 0)

    def _load(self, inp: MemberInput) -> None:
        self._kept = {f: getattr(inp, f) for f in (*REPORTING_FIELDS, *FLOATING_FIELDS)}
        node = self._nodes.get(inp.org_id or "")
        group = inp.org_id if node is not None and node.kind == "group" else None
        if group is not None:
            inp = replace(inp, org_id=node.parent_id)
        for f in self.w:
            self.set_value(f, getattr(inp, f))
        self._fill_groups(group)

    def _fill_groups(self, keep: str | None = None) -> None:
        """The chosen branch's 党小组."""
        branch = self.w["org_id"].currentData()
        keep = keep if keep is not None else self.group_box.currentData()
        groups = [n for n in self._nodes.values() if n.kind == "group" and branch and n.parent_id == branch]
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItem(NO_GROUP if groups else "（本支部未设党小组）", None)
        for n in groups:
            self.group_box.addItem(n.name, n.id)
        self.group_box.setCurrentIndex(max(0, self.group_box.findData(keep)))
        self.group_box.setEnabled(bool(groups))
        self.group_box.blockSignals(False)

    def _registration_box(self, detail: MemberDetail | None) -> QGroupBox:
        """双报到 is kept in co-building's register: shown here, edited there."""
        box = QGroupBox("双报到（在职党员到社区报到）")
        lay = QVBoxLayout(box)
        r = self.registration
        if detail is None:  # a new member has no register entry yet, whatever the account may read
            text = "保存后，在职党员到社区报到请在“双报到”页面登记。"
        elif r is REG_UNKNOWN:
            text = "双报到登记在“双报到”页面（当前账户无权查看）。"
        elif r is None:
            text = "未在双报到名册中。在职党员到社区报到，请在“双报到”页面登记。"
        else:
            when = rules.format_date(r.reported_on) if r.reported_on else "—"
            text = (f"已登记：{r.employer}{'（' + r.job + '）' if r.job else ''}，{when} 报到"
                    f"{'，已于 ' + rules.format_date(r.left_on) + ' 结束' if r.left_on else ''}；"
                    f"今年服务 {r.services} 次、{r.hours_tenths / 10:g} 小时。")
        self.registration_label = QLabel(text)
        self.registration_label.setWordWrap(True)
        self.register_button = QPushButton("打开双报到名册")
        self.register_button.setToolTip("在“双报到”页面查看或修改报到登记（先关闭本窗口）")
        self.register_button.setEnabled(detail is not None and r is not REG_UNKNOWN)
        name = detail.name if detail else ""
        self.register_button.clicked.connect(lambda: self._to_register(name))
        lay.addWidget(self.registration_label)
        lay.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _floating_box(self, detail: MemberDetail | None) -> QGroupBox:
        """流动 as the 流出 register (流动与失联) has it, with its 登记流出 and 返回 (the form saves neither)."""
        box = QGroupBox("流动（流出登记）")
        lay = QVBoxLayout(box)
        out = detail.outing if detail is not None else None
        if detail is None:
            text = "保存后，党员外出流动请在“流动与失联”登记流出（活动证、外出流向）。"
        elif out is not None:
            text = (f"在外流动：{rules.format_date(out.start_date)} 起，外出流向 {out.place}"
                    + (f"，活动证 {out.card_no}" if out.card_no else "")
                    + (f"，在{out.other_org}参加组织生活" if out.other_org else "") + "。")
        elif detail.status == rules.FLOATING or detail.is_floating:
            text = "名册记为流动，但没有登记流出：请登记流出（活动证、外出流向），流动党员名单和统计才会计入。"
        else:
            text = "未登记流出。"
        self.floating_label = QLabel(text)
        self.floating_label.setObjectName("floatingState")
        self.floating_label.setWordWrap(True)
        self.outflow_button = QPushButton("登记流出…")
        self.return_button = QPushButton("办理返回…")
        usable = detail is not None and self.db is not None and detail.status not in rules.GONE_STATUSES
        self.outflow_button.setEnabled(usable and out is None)
        self.return_button.setEnabled(usable and out is not None)
        for button in (self.outflow_button, self.return_button):
            button.setToolTip("在“流动与失联”的登记中办理（先关闭本窗口，未保存的修改会先询问）")
        self.outflow_button.clicked.connect(self.register_outflow)
        self.return_button.clicked.connect(self.register_return)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outflow_button)
        buttons.addWidget(self.return_button)
        buttons.addStretch(1)
        lay.addWidget(self.floating_label)
        lay.addLayout(buttons)
        return box

    def _closed_for_register(self) -> bool:
        """The form closes before the register's dialog opens: the register's save changes the member (status,
        version), and this form, saved after it, would be refused as written over a later change."""
        self.reject()  # asks first when something typed would be lost
        return not self.isVisible()

    def register_outflow(self) -> QDialog | None:
        """The register's 登记流出 form, opened for this member."""
        if self.detail is None or not self._closed_for_register():
            return None
        from desktop_app.domain.memberlife import FLOW_OUT  # member life: loaded when used
        from desktop_app.gui.memberlife.dialogs import FloatingDialog

        dlg = FloatingDialog(self.parentWidget(), self.db, FLOW_OUT, [], self.today, (self.detail.id, self.detail.name))
        dlg.exec()
        return dlg

    def register_return(self) -> QDialog | None:
        """The register's 返回 of the open 流出 (正常 again from that day)."""
        out = self.detail.outing if self.detail is not None else None
        if out is None or not self._closed_for_register():
            return None
        from desktop_app.services import memberlife as life  # member life: loaded when used

        db, today, name = self.db, self.today, self.detail.name
        dlg = DateNoteDialog(self.parentWidget(), "返回", f"{name}（流出，{rules.format_date(out.start_date)} 起，{out.place}）",
                             "返回日期", None, lambda on, _note: life.end_floating(db, out.id, on, today), "确认",
                             today=today, changes=changes(Change.MEMBERS))
        dlg.exec()
        return dlg

    def open_life(self) -> None:
        from desktop_app.gui.memberlife.member import MemberLifeDialog  # its module is big: the roster opens without it

        MemberLifeDialog(self, self.db, self.detail.id, self.detail.name).exec()

    def _to_register(self, name: str) -> None:
        self.reject()  # asks first when something typed would be lost
        if not self.isVisible():  # closed, not kept open by the question
            self.open_register.emit(name)

    def _raw(self, f: str) -> Any:
        w = self.w[f]
        if isinstance(w, QLineEdit) and not isinstance(w, DateField):
            return w.text()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentText() if w.isEditable() else w.currentData()
        raise TypeError(f)

    def current_input(self) -> tuple[MemberInput, dict[str, str]]:
        """What the form says now, and the fields whose text is not even a date."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for f in self.w:
            w = self.w[f]
            if isinstance(w, DateField):
                value, error = w.parsed()
                values[f] = value
                if error:
                    problems[f] = error
            else:
                values[f] = self._raw(f)
        # A field switched off by its checkbox does not count (its text is kept for re-ticking).
        if not values["is_lost"]:
            values["lost_date"] = None
            problems.pop("lost_date", None)
        if self.group_box.currentData():
            values["org_id"] = self.group_box.currentData()
        values.update(self._kept)
        return MemberInput(**values), problems

    # ----------------------------------------------------------- behaviour
    def _connect(self) -> None:
        for f, w in self.w.items():
            if isinstance(w, QLineEdit):
                w.textChanged.connect(lambda _t, f=f: self._changed(f, typing=True))
                w.editingFinished.connect(lambda f=f: self._left(f))
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(lambda f=f: self._changed(f, typing=True))
            elif isinstance(w, QCheckBox):
                w.toggled.connect(lambda _c, f=f: self._changed(f))
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(lambda _v, f=f: self._changed(f))
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i, f=f: self._changed(f))
                if w.isEditable():
                    w.editTextChanged.connect(lambda _t, f=f: self._changed(f, typing=True))
        self.w["id_number"].textChanged.connect(self._fill_from_id)

    def _changed(self, f: str, typing: bool = False) -> None:
        if not typing:
            self._touched.add(f)
        if f == "is_lost":
            self._update_enabled()
        self._revalidate()

    def _left(self, f: str) -> None:
        self._touched.add(f)
        self._revalidate()

    def _update_enabled(self) -> None:
        self.w["lost_date"].setEnabled(self.w["is_lost"].isChecked())

    def _mark_derived(self) -> None:
        """Birth date and gender that agree with the loaded ID number follow it when it is corrected."""
        try:
            info = idcard.parse(self.w["id_number"].text())
        except ValueError:
            return
        if self.w["birth_date"].text() == info.birth_date.isoformat():
            self._auto["birth_date"] = self.w["birth_date"].text()
        if self.w["gender"].currentData() == info.gender:
            self._auto["gender"] = info.gender

    def _fill_from_id(self, text: str) -> None:
        try:
            info = idcard.parse(text)
        except ValueError:
            return
        birth = self.w["birth_date"]
        if not birth.text().strip() or birth.text() == self._auto.get("birth_date"):
            birth.set_date(info.birth_date)
            self._auto["birth_date"] = birth.text()
        gender = self.w["gender"]
        if not gender.currentData() or gender.currentData() == self._auto.get("gender"):
            gender.setCurrentIndex(gender.findData(info.gender))
            self._auto["gender"] = info.gender
        self._touched.add("id_number")
        self._revalidate()

    def errors(self) -> dict[str, str]:
        """Every problem of the form now, by form field (first message per field)."""
        inp, problems = self.current_input()
        found = dict(problems)
        _clean, errors, _warn = rules.check(inp, self.today)
        for e in errors:
            f = _LABEL_FIELD.get(e.field)
            if f in self.w and f not in found:
                found[f] = e.message
        if not inp.org_id:
            found.setdefault("org_id", "请选择党员所在的党组织")
        return found

    def _revalidate(self) -> None:
        found = self.errors()
        for f, label in self.err.items():
            shown = f in self._touched or self._show_all
            _show(label, found.get(f, "") if shown else "")
        if not found:
            inp, _ = self.current_input()
            warnings = rules.check(inp, self.today)[2]
            _show(self.warnings, "请注意：" + "；".join(warnings) if warnings else "")
        else:
            _show(self.warnings, "")

    def accept(self) -> None:
        self._show_all = True
        found = self.errors()
        self._revalidate()
        if found:
            first = next(f for f in self.w if f in found)
            self.tabs.setCurrentIndex(0)
            self.w[first].setFocus()
            _show(self.message, f"还有 {len(found)} 处需要修改，请看标红的说明。")
            return
        _show(self.message, "")
        inp, _ = self.current_input()
        self._save(lambda: self._save_fn(inp))

    def show_refusal(self, exc: ValidationError) -> None:
        f = _LABEL_FIELD.get(exc.field)
        if f in self.w:
            _show(self.err[f], exc.message)
            self.tabs.setCurrentIndex(0)
            self.w[f].setFocus()
        _show(self.message, str(exc))


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; padding-top: 6px;")
    return label


def _readonly_table(headers: tuple[str, ...], rows: list[tuple[str, ...]], empty: str) -> QWidget:
    if not rows:
        label = QLabel(empty)
        label.setStyleSheet("color: #888; padding: 6px;")
        return label
    model = ColumnModel([Column(h, lambda row, i=i: row[i]) for i, h in enumerate(headers)])
    model.set_rows(rows)
    table = table_view(model, fit=False)
    model.setParent(table)
    table.resizeColumnsToContents()
    for c in range(len(headers) - 1):
        table.setColumnWidth(c, table.columnWidth(c) + 16)
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class StatusDialog(_MemberSave):
    """状态变更: new status, its date, where to (流动 / 转出), a note.

    `save(status, changed_on, destination, note)` runs off the GUI thread.
    """

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        current: str,
        save: Callable[[str, date, str, str], MemberDetail],
        today: date | None = None,
        register_outflow: Callable[[], None] | None = None,
    ):
        super().__init__(parent, f"状态变更：{name}", "确定")
        self.today = today or date.today()
        self._save_fn = save
        self._register_outflow = register_outflow  # 流动: the 流出 form on 流动与失联, opened for this member
        others = [s for s in rules.STATUSES if s != current]
        self.status = combo([(s, s) for s in rules.STATUSES], others[0] if current == rules.NORMAL else rules.NORMAL)
        self.changed_on = DateField(self.today)
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("流动党员的外出流向，或转出的去向")
        self.note = QLineEdit()
        self.status.currentIndexChanged.connect(self._update)
        form = QFormLayout()
        form.addRow("当前状态", QLabel(current))
        form.addRow("变更为", self.status)
        form.addRow("变更日期", self.changed_on)
        form.addRow("去向", self.destination)
        form.addRow("说明", self.note)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._update()

    def _update(self) -> None:
        self.destination.setEnabled(self.status.currentData() in (rules.FLOATING, rules.TRANSFERRED_OUT))

    def accept(self) -> None:
        status = self.status.currentData()
        on = self._past_day(self.changed_on, "变更日期")
        if on is None:
            return
        if status == rules.FLOATING and self._register_outflow is not None:
            if common.ask(self, "登记流出", f"{life_rules.FLOATING_BY_REGISTER}。\n\n现在去“流动与失联”为该党员登记流出吗？"
                                           "（已登记流出、尚未返回的党员选“否”，直接改为流动）"):
                self.reject()
                self._register_outflow()
                return
        destination = self.destination.text().strip() if self.destination.isEnabled() else ""
        if status == rules.FLOATING and not destination:
            _show(self.message, "去向：流动党员请填写外出流向")
            return
        note = self.note.text().strip()
        self._save(lambda: self._save_fn(status, on, destination, note))


class TransferDialog(_MemberSave):
    """组织关系转接: 转出 to another unit, or 转入 (back) into one of our organisations.

    `save(direction, date, from_org, to_org, note, new_org_id)` runs off the GUI thread.
    """

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        current_org_id: str | None,
        current_status: str,
        nodes: list[OrgNode],
        save: Callable[[str, date, str, str, str, str | None], MemberDetail],
        today: date | None = None,
    ):
        super().__init__(parent, f"组织关系转接：{name}", "确定")
        self.today = today or date.today()
        self._save_fn = save
        self._names = {n.id: n.name for n in nodes}
        self.direction = QComboBox()
        self.direction.addItem("转出（转往其他单位）", rules.TRANSFER_OUT)
        self.direction.addItem("转入（转入本单位党组织）", rules.TRANSFER_IN)
        if current_status == rules.TRANSFERRED_OUT:
            self.direction.setCurrentIndex(1)
        self.on = DateField(self.today)
        self.from_org = QLineEdit(self._names.get(current_org_id or "", ""))
        self.to_org = QLineEdit()
        self.to_org.setPlaceholderText("接收党组织的全称")
        self.new_org = OrgCombo()
        self.new_org.set_nodes(nodes)
        if current_org_id:
            self.new_org.select(current_org_id)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：介绍信编号")
        self.form = QFormLayout()
        self.form.addRow("方向", self.direction)
        self.form.addRow("转接日期", self.on)
        self.form.addRow("转出单位", self.from_org)
        self.form.addRow("转入单位", self.to_org)
        self.form.addRow("转入党组织", self.new_org)
        self.form.addRow("说明", self.note)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.direction.currentIndexChanged.connect(self._update)
        self._current_org_name = self._names.get(current_org_id or "", "")
        self._update()

    def _update(self) -> None:
        out = self.direction.currentData() == rules.TRANSFER_OUT
        self.form.setRowVisible(self.to_org, out)
        self.form.setRowVisible(self.new_org, not out)
        self.from_org.setPlaceholderText("" if out else "原所在党组织的全称")
        if out and not self.from_org.text():
            self.from_org.setText(self._current_org_name)
        elif not out and self.from_org.text() == self._current_org_name:
            self.from_org.clear()

    def accept(self) -> None:
        direction = self.direction.currentData()
        on = self._past_day(self.on, "转接日期")
        if on is None:
            return
        from_org, note = self.from_org.text().strip(), self.note.text().strip()
        if direction == rules.TRANSFER_OUT:
            to_org, new_org = self.to_org.text().strip(), None
            if not to_org:
                _show(self.message, "转入单位：请填写接收党组织")
                return
        else:
            to_org, new_org = "", self.new_org.currentData()
            if not from_org:
                _show(self.message, "转出单位：请填写原所在党组织")
                return
        self._save(lambda: self._save_fn(direction, on, from_org, to_org, note, new_org))

