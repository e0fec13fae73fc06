"""民主评议党员: a grid per branch and year — 优秀 / 合格 / 基本合格 / 不合格 with notes; the summary table.

Keyboard: ↑/↓ move, 1-4 set the grade (优秀, 合格, 基本合格, 不合格) and move on, 0 clears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.forms import year_spin
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import heading, toolbar
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.gui.widgets.layouts import column, fill, hint, wrapped
from desktop_app.services import evaluations
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, changes

COL_GRADE, COL_NOTES = 4, 5
GRADE_COLORS = {rules.EXCELLENT: "#cdeccd", rules.QUALIFIED: "#ffffff", rules.BASICALLY_QUALIFIED: "#fff1b8",
                rules.UNQUALIFIED: "#f5b7b7", "": "#ffffff"}
KEYS = {Qt.Key.Key_1: rules.EXCELLENT, Qt.Key.Key_2: rules.QUALIFIED, Qt.Key.Key_3: rules.BASICALLY_QUALIFIED,
        Qt.Key.Key_4: rules.UNQUALIFIED, Qt.Key.Key_0: ""}
UNGRADED = "（未评）"


@dataclass
class Draft:
    """A member's line as the secretary fills it in (the grid's rows change in place)."""

    row: evaluations.EvaluationRow
    no: int  # 1..n within the branch, as the printed 汇总表 numbers it (the roster's 序号 has gaps)
    grade: str
    notes: str


def _tint(d: Draft) -> QColor:
    return QColor(GRADE_COLORS.get(d.grade, "#ffffff"))


def _set(field: str):
    return lambda d, value: setattr(d, field, value if field == "grade" else str(value))


COLUMNS = (
    Column("序号", lambda d: str(d.no), width=50, background=_tint,
           tooltip=lambda d: f"名册序号 {d.row.seq}" if d.row.seq else None),
    Column("姓名", lambda d: d.row.name, width=90, background=_tint),
    Column("所在党小组", lambda d: d.row.group_name, width=120, background=_tint),
    Column("人员类别", lambda d: d.row.category, width=90, background=_tint),
    Column("评议等次", lambda d: d.grade or UNGRADED, width=110, value=lambda d: d.grade, edit=_set("grade"),
           choices=[(UNGRADED, "")] + [(g, g) for g in rules.GRADES]),
    Column("备注", lambda d: d.notes, width=200, edit=_set("notes")),
)


def unqualified_follow_up(names: list[str]) -> str:
    """The next step for members graded 不合格 (empty without any)."""
    if not names:
        return ""
    shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
    return (f"其中不合格 {len(names)} 名（{shown}）：经支部大会讨论、报上级党组织批准后，"
            "请到“出党与处分”页登记不合格党员处置（限期改正、劝其退党或除名）。")


class EvaluationsPage(Page):
    watches = changes(Change.EVALUATIONS, Change.ORGS, Change.MEMBERS)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.rows: list[evaluations.EvaluationRow] = []
        self._dirty = False
        self._shown_key: tuple[str | None, int] | None = None
        title = heading("民主评议党员")
        self.branch = QComboBox()
        self.branch.setMinimumWidth(220)
        # 民主评议 is held early in the year for the year before.
        self.year = year_spin(date.today().year - (1 if date.today().month <= 3 else 0), self._switch, " 年度")
        self.branch.currentIndexChanged.connect(lambda _i: self._switch())

        tb, action = toolbar(self)
        self.act_fill = action("all-present", "未评的设为合格", self.fill_blank, writes=True)
        self.act_save = action("backup", "保存", self.save, "Ctrl+S", writes=True)
        self.act_print = action("print", "打印汇总表", self.print_summary)

        self.model = ColumnModel(COLUMNS, parent=self)
        self.model.dataChanged.connect(lambda *_: self._edited())
        self.table = table_view(self.model, multi=False, editable=True, stretch=COL_NOTES)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)  # digits grade, not type
        self.table.installEventFilter(self)
        self.summary = QLabel()
        self.message = wrapped()
        column(self, fill(QHBoxLayout(), title, 1, self.branch, self.year), tb, self.summary, (self.table, 1),
               hint("↑↓ 选人，按 1＝优秀 2＝合格 3＝基本合格 4＝不合格 打分（0＝清除），双击填写备注，Ctrl+S 保存。"), self.message)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        super().refresh()
        if not self.act_save.isVisible():  # only reads 民主评议 (the window hid 保存): no 备注 typed for nothing
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        db = self.ctx.db
        run_op(self, lambda job: ms.holders(db), self._branches_loaded)

    def _branches_loaded(self, holders: list[tuple[str, str, str, int]]) -> None:
        current = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        for oid, name, kind, _depth in holders:
            if kind == "branch":
                self.branch.addItem(name, oid)
        self.branch.setCurrentIndex(max(0, self.branch.findData(current)))
        self.branch.blockSignals(False)
        self.load()

    def _switch(self) -> None:
        if self._dirty and not common.ask(self, "民主评议", "本页有未保存的评议结果，放弃这些修改吗？"):
            self.branch.blockSignals(True)
            self.year.blockSignals(True)
            if self._shown_key is not None:
                self.branch.setCurrentIndex(max(0, self.branch.findData(self._shown_key[0])))
                self.year.setValue(self._shown_key[1])
            self.branch.blockSignals(False)
            self.year.blockSignals(False)
            return
        self.load()

    def load(self) -> None:
        branch, year = self.branch.currentData(), self.year.value()
        if not branch:
            self._show(None, year, [])
            return
        db = self.ctx.db
        run_op(self, lambda job: evaluations.grid(db, branch, year), lambda rows: self._show(branch, year, rows))

    def _show(self, branch: str | None, year: int, rows: list[evaluations.EvaluationRow]) -> None:
        self.rows = rows
        self._shown_key = (branch, year)
        self.model.set_rows([Draft(row, r + 1, row.grade, row.notes) for r, row in enumerate(rows)])
        self._dirty = False
        self._update_summary()
        if rows:
            self.table.setCurrentIndex(self.model.index(0, COL_GRADE))
        self.loaded.emit()

    # ------------------------------------------------------------------ editing
    def grade_at(self, row: int) -> str:
        d = self.model.row(row)
        return d.grade if d is not None else ""

    def set_grade(self, row: int, grade: str) -> None:
        self.model.setData(self.model.index(row, COL_GRADE), grade)

    def _edited(self) -> None:
        self._dirty = True
        self._update_summary()

    def fill_blank(self) -> None:
        for r in range(self.model.rowCount()):
            if not self.grade_at(r):
                self.set_grade(r, rules.QUALIFIED)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            grade = KEYS.get(Qt.Key(event.key()))
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else -1
            # an account the window hides 保存 from (only reads 民主评议) is not let grade what it cannot save
            if (grade is not None and row >= 0 and self.table.state() != QAbstractItemView.State.EditingState
                    and self.act_save.isVisible()):
                self.set_grade(row, grade)
                if row + 1 < self.model.rowCount():
                    self.table.setCurrentIndex(self.model.index(row + 1, current.column()))
                return True
        return super().eventFilter(obj, event)

    def counts(self) -> dict[str, int]:
        out = {g: 0 for g in (*rules.GRADES, "")}
        for d in self.model.rows:
            out[d.grade] += 1
        return out

    def _update_summary(self) -> None:
        if not self.model.rowCount():  # say what to do first instead of 「共 0 名党员：优秀 0 名……」
            self.summary.setText("还没有党支部：请先在“党组织”页面建立党支部，再按支部评议党员。" if not self.branch.count()
                                 else "本支部还没有党员：请先在“党员名册”中录入。")
            return
        c = self.counts()
        self.summary.setText(
            f"共 {self.model.rowCount()} 名党员：" + "，".join(f"{g} {c[g]} 名" for g in rules.GRADES)
            + f"，未评 {c['']} 名" + ("　<span style='color:#b26a00'>（有未保存的修改）</span>" if self._dirty else ""))

    def entries(self) -> list[evaluations.EvaluationEntry]:
        return [evaluations.EvaluationEntry(d.row.member_id, d.grade, d.notes) for d in self.model.rows]

    def save(self) -> None:
        branch, year = self._shown_key or (None, 0)
        if not branch:
            return
        entries, db = self.entries(), self.ctx.db
        # A 不合格 is not the end of it: the secretary is told whom it concerns and where the 处置 is recorded.
        unqualified = [d.row.name for d in self.model.rows if d.grade == rules.UNQUALIFIED]

        def done(res: evaluations.SaveResult) -> None:
            self._dirty = False
            self.message.setText(f"{year} 年度评议结果已保存：新增 {res.added} 人，修改 {res.changed} 人，"
                                 f"清除 {res.cleared} 人。" + unqualified_follow_up(unqualified))

        run_op(self, lambda job: evaluations.save(db, branch, year, entries), done,
               changes=changes(Change.EVALUATIONS))

    def print_summary(self) -> None:
        year = self.year.value()
        from desktop_app.gui.widgets import forms

        out = forms.ask_save_path(self, "打印民主评议汇总表", f"{year}年度民主评议党员结果汇总表.pdf")
        if out is None:
            return
        db = self.ctx.db

        def render(job):
            return evaluations.print_evaluation(db, year, out)

        def done(_r) -> None:
            self.message.setText(f"汇总表已保存到 {out}")
            forms.offer_open(self, out, f"民主评议汇总表已保存到\n{out}")

        if self._dirty and not common.ask(self, "民主评议", "本页有未保存的修改，汇总表只含已保存的结果。继续打印吗？"):
            return
        run_op(self, render, done, label="正在生成汇总表…")
