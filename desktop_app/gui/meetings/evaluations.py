"""民主评议党员: a grid per branch and year — 优秀 / 合格 / 基本合格 / 不合格 with notes; the summary table.

Keyboard: ↑/↓ move, 1-4 set the grade (优秀, 合格, 基本合格, 不合格) and move on, 0 clears.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QSpinBox, QTableWidget,
    QTableWidgetItem, QToolBar, QVBoxLayout, QWidget,
)

from desktop_app.domain import meetings as rules
from desktop_app.gui import icons
from desktop_app.gui.widgets import common
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.services import evaluations
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, changes

COLUMNS = ("序号", "姓名", "所在党小组", "人员类别", "评议等次", "备注")
COL_GRADE, COL_NOTES = 4, 5
ID_ROLE = Qt.ItemDataRole.UserRole + 1
GRADE_COLORS = {rules.EXCELLENT: "#cdeccd", rules.QUALIFIED: "#ffffff", rules.BASICALLY_QUALIFIED: "#fff1b8",
                rules.UNQUALIFIED: "#f5b7b7", "": "#ffffff"}
KEYS = {Qt.Key.Key_1: rules.EXCELLENT, Qt.Key.Key_2: rules.QUALIFIED, Qt.Key.Key_3: rules.BASICALLY_QUALIFIED,
        Qt.Key.Key_4: rules.UNQUALIFIED, Qt.Key.Key_0: ""}


class EvaluationsPage(Page):
    title = "民主评议"
    icon = "evaluations"
    watches = changes(Change.EVALUATIONS, Change.ORGS, Change.MEMBERS)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.rows: list[evaluations.EvaluationRow] = []
        self._dirty = False
        self._shown_key: tuple[str | None, int] | None = None
        heading = QLabel("民主评议党员")
        heading.setObjectName("pageHeading")
        self.branch = QComboBox()
        self.branch.setMinimumWidth(220)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        # 民主评议 is held early in the year for the year before.
        self.year.setValue(date.today().year - (1 if date.today().month <= 3 else 0))
        self.year.setSuffix(" 年度")
        self.branch.currentIndexChanged.connect(lambda _i: self._switch())
        self.year.valueChanged.connect(lambda _v: self._switch())

        tb = QToolBar()
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.act_fill = QAction(icons.get("all-present"), "未评的设为合格", self)
        self.act_fill.triggered.connect(self.fill_blank)
        self.act_save = QAction(icons.get("backup"), "保存", self)
        self.act_save.setShortcut("Ctrl+S")
        self.act_save.triggered.connect(self.save)
        self.act_print = QAction(icons.get("print"), "打印汇总表", self)
        self.act_print.triggered.connect(self.print_summary)
        for act in (self.act_fill, self.act_save, self.act_print):
            tb.addAction(act)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NOTES, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.table.itemChanged.connect(self._notes_changed)
        self.summary = QLabel()
        hint = QLabel("↑↓ 选人，1＝优秀 2＝合格 3＝基本合格 4＝不合格 0＝清除；备注双击填写。Ctrl+S 保存。")
        hint.setStyleSheet("color: #666")
        self.message = QLabel()
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.branch)
        top.addWidget(self.year)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(tb)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        lay.addWidget(self.message)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        super().refresh()
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
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (str(row.seq or r + 1), row.name, row.group_name, row.category)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c == 1:
                    item.setData(ID_ROLE, row.member_id)
                self.table.setItem(r, c, item)
            combo = QComboBox()
            combo.addItem("（未评）", "")
            for g in rules.GRADES:
                combo.addItem(g, g)
            combo.setCurrentIndex(max(0, combo.findData(row.grade)))
            combo.currentIndexChanged.connect(lambda _i, rr=r: self._grade_changed(rr))
            self.table.setCellWidget(r, COL_GRADE, combo)
            self.table.setItem(r, COL_NOTES, QTableWidgetItem(row.notes))
            self._paint(r)
        self.table.blockSignals(False)
        self._dirty = False
        self._update_summary()
        if rows:
            self.table.setCurrentCell(0, COL_GRADE)
        self.loaded.emit()

    # ------------------------------------------------------------------ editing
    def grade_at(self, row: int) -> str:
        combo = self.table.cellWidget(row, COL_GRADE)
        return combo.currentData() if combo is not None else ""

    def set_grade(self, row: int, grade: str) -> None:
        combo = self.table.cellWidget(row, COL_GRADE)
        if combo is not None:
            combo.setCurrentIndex(max(0, combo.findData(grade)))

    def _grade_changed(self, row: int) -> None:
        self._dirty = True
        self._paint(row)
        self._update_summary()

    def _notes_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_NOTES:
            self._dirty = True

    def _paint(self, row: int) -> None:
        color = QBrush(QColor(GRADE_COLORS.get(self.grade_at(row), "#ffffff")))
        for c in (0, 1, 2, 3):
            item = self.table.item(row, c)
            if item is not None:
                item.setBackground(color)

    def fill_blank(self) -> None:
        for r in range(self.table.rowCount()):
            if not self.grade_at(r):
                self.set_grade(r, rules.QUALIFIED)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            grade = KEYS.get(Qt.Key(event.key()))
            row = self.table.currentRow()
            if grade is not None and row >= 0 and self.table.state() != QAbstractItemView.State.EditingState:
                self.set_grade(row, grade)
                if row + 1 < self.table.rowCount():
                    self.table.setCurrentCell(row + 1, self.table.currentColumn())
                return True
        return super().eventFilter(obj, event)

    def counts(self) -> dict[str, int]:
        out = {g: 0 for g in (*rules.GRADES, "")}
        for r in range(self.table.rowCount()):
            out[self.grade_at(r)] += 1
        return out

    def _update_summary(self) -> None:
        c = self.counts()
        self.summary.setText(
            f"共 {self.table.rowCount()} 名党员：" + "，".join(f"{g} {c[g]} 名" for g in rules.GRADES)
            + f"，未评 {c['']} 名" + ("　<span style='color:#b26a00'>（有未保存的修改）</span>" if self._dirty else ""))

    def entries(self) -> list[evaluations.EvaluationEntry]:
        out = []
        for r in range(self.table.rowCount()):
            mid = self.table.item(r, 1).data(ID_ROLE)
            notes = self.table.item(r, COL_NOTES).text() if self.table.item(r, COL_NOTES) else ""
            out.append(evaluations.EvaluationEntry(mid, self.grade_at(r), notes))
        return out

    def save(self) -> None:
        branch, year = self._shown_key or (None, 0)
        if not branch:
            return
        entries, db = self.entries(), self.ctx.db

        def done(res: evaluations.SaveResult) -> None:
            self._dirty = False
            self.message.setText(f"{year} 年度评议结果已保存：新增 {res.added} 人，修改 {res.changed} 人，"
                                 f"清除 {res.cleared} 人。")

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
