"""民主评议党员: a grid per branch and year — 优秀 / 合格 / 基本合格 / 不合格 with notes; the summary table.

The 民主测评 comes first: ballots issued and returned above the grid, each member's votes in four
columns, the shares and a note where the grade differs from the most votes; 保存 writes grades and
tallies together. Keyboard: ↑/↓ move, 1-4 set the grade (优秀, 合格, 基本合格, 不合格) and move on,
0 clears; in a vote column digits type the count (Backspace clears it) and Enter moves down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget,
)

from desktop_app.domain import evaluation_votes as vote_rules
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.gui.widgets import common, list_export
from desktop_app.gui.widgets.forms import DateEdit, year_spin
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import heading, toolbar
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import CENTER, Column, ColumnModel, set_read_only, table_view
from desktop_app.gui.widgets.layouts import column, fill, hint, wrapped
from desktop_app.services import evaluation_votes, evaluations, table_export
from desktop_app.services import meetings as ms
from desktop_app.views.changes import Change, changes
from desktop_app.views.evaluations import BallotInfo, BranchTally, TallySaveResult, VoteEntry

COL_NAME, COL_GROUP, COL_CATEGORY = 1, 2, 3
VOTE_COLS = (4, 5, 6, 7)  # 优秀 / 合格 / 基本合格 / 不合格 票
COL_SHARE, COL_GRADE, COL_NOTES = 8, 9, 10
VOTE_FIELDS = tuple(f for f, _g, _l in vote_rules.VOTE_FIELDS)
ERROR_FILL = "#f5b7b7"
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
    excellent: int = 0
    qualified: int = 0
    basic: int = 0
    unqualified: int = 0
    returned: int = 0  # the ballots returned, for the shares (the field above the grid)
    error: str = ""  # the vote column a refusal named, filled red until the count changes
    typed: str = ""  # the vote column changed last: a sum refused is marked where the worker just typed

    def tally(self) -> vote_rules.Tally:
        return vote_rules.Tally(*(getattr(self, f) for f in VOTE_FIELDS))


def _share_text(d: Draft) -> str:
    """优秀 and 不合格 shares of the returned ballots, and the note where the grade differs from the most votes."""
    t = d.tally()
    if t.is_blank():
        return ""
    parts = [f"优秀{vote_rules.percent(t.excellent, d.returned) or '—'}"]
    if t.unqualified:
        parts.append(f"不合格{vote_rules.percent(t.unqualified, d.returned) or '—'}")
    note = vote_rules.note(d.grade, t)
    return "，".join(parts) + (f"；{note}" if note else "")


def _share_tip(d: Draft) -> str | None:
    t = d.tally()
    if t.is_blank():
        return None
    return "　".join(f"{g} {c} 票（{vote_rules.percent(c, d.returned) or '—'}）"
                    for (_f, g, _l), c in zip(vote_rules.VOTE_FIELDS, t.counts()))


def _set_votes(field: str, label: str):
    def edit(d: Draft, value) -> None:
        text = str(value).strip()
        setattr(d, field, int(text) if text.isdigit() else 0)
        d.typed = label
        if d.error == label:
            d.error = ""
    return edit


def _vote_fill(label: str):
    return lambda d: QColor(ERROR_FILL) if d.error == label else None


def _vote_column(field: str, grade: str, label: str) -> Column:
    return Column(grade, lambda d: str(getattr(d, field) or ""), width=62, align=CENTER,
                  value=lambda d: getattr(d, field), edit=_set_votes(field, label), background=_vote_fill(label),
                  header_tip=f"{label}数：收回的测评票中给此人划“{grade}”的张数")


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
    *(_vote_column(f, g, label) for f, g, label in vote_rules.VOTE_FIELDS),
    Column("测评情况", _share_text, width=170, tooltip=_share_tip,
           header_tip="占收回票数的比例；评议等次与测评多数不同时注明，等次仍由支部党员大会确定"),
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
    export_kind = "evaluations"  # table_export.LISTS: names members, the personal-data gate applies
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.rows: list[evaluations.EvaluationRow] = []
        self._dirty = False
        self._loading = False  # the ballot fields are being filled from the database, not typed
        self._shown_key: tuple[str | None, int] | None = None
        title = heading("民主评议党员")
        self.branch = QComboBox()
        self.branch.setMinimumWidth(220)
        self.year = year_spin(vote_rules.usual_year(date.today()), self._switch, " 年度")  # as the reports default
        self.branch.currentIndexChanged.connect(lambda _i: self._switch())

        tb, action = toolbar(self)
        self.act_fill = action("all-present", "未评的设为合格", self.fill_blank, writes=True)
        self.act_save = action("backup", "保存", self.save, "Ctrl+S", writes=True)
        self.act_print = action("print", "打印汇总表", self.print_summary)
        self.act_ballot = action("print-ballot", "打印测评票…", self.print_ballots)
        self.act_tally = action("print-tally", "打印统计表…", self.print_tally)
        self.act_export = action(list_export.ICON, list_export.TEXT, self.export_xlsx)
        list_export.last_to_go(tb, self.act_export)

        # 民主测评: what the branch's ballots came to, above the members' votes
        self.issued = self._count_box("发出票数：发给到会党员的测评票张数")
        self.returned = self._count_box("收回票数：收回的测评票张数，不能多于发出的")
        self.returned.valueChanged.connect(self._returned_changed)
        self.held_on = DateEdit(optional=True)
        self.held_on.setToolTip("测评日期：召开测评会的日期（可不填）")
        self.held_on.dateChanged.connect(lambda _d: self._ballot_edited())
        ballot = fill(QHBoxLayout(), QLabel("民主测评　发出"), self.issued, QLabel("张　收回"), self.returned,
                      QLabel("张　测评日期"), self.held_on, 1)

        self.model = ColumnModel(COLUMNS, parent=self)
        self.model.dataChanged.connect(lambda *_: self._edited())
        # cells, not rows: the current vote column must show; the group and category give way first at 1366
        self.table = table_view(self.model, rows=False, multi=False, editable=True, stretch=COL_NOTES,
                                give_way=(COL_CATEGORY, COL_GROUP))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)  # digits grade, not type
        self.table.installEventFilter(self)
        self._typing: tuple[int, int] | None = None  # the vote cell digits are being typed into
        self._tab_from: int | None = None  # the vote column a run of Tab started in: Enter goes back to it
        self.table.selectionModel().currentChanged.connect(
            lambda now, was: setattr(self, "_tab_from", self._tab_from if now.row() == was.row() else None))
        self.summary = QLabel()
        self.message = wrapped()
        keys = hint("↑↓ 选人，按 1＝优秀 2＝合格 3＝基本合格 4＝不合格 打分（0＝清除）；在票数栏直接键入票数，"
                    "回车到下一人；双击填写备注，Ctrl+S 保存。")
        keys.setWordWrap(True)  # one line held the window wider than a 1366 screen at 150% leaves
        column(self, fill(QHBoxLayout(), title, 1, self.branch, self.year), tb, ballot, self.summary, (self.table, 1),
               keys, self.message)

    def _count_box(self, tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, vote_rules.MAX_BALLOTS)
        box.setToolTip(tip)
        box.setProperty("tip", tip)  # put back once a refusal's reason is cleared
        box.valueChanged.connect(lambda _v: self._ballot_edited())
        return box

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        super().refresh()
        if not self.act_save.isVisible():  # only reads 民主评议 (the window hid 保存): no grade or 备注 for nothing
            set_read_only(self.table)
            for box in (self.issued, self.returned, self.held_on):
                box.setReadOnly(True)
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
        if self._dirty and (self.branch.currentData(), self.year.value()) == self._shown_key:
            # a member or a grade saved elsewhere (or F5) reloaded the grid over the counts being typed
            self.message.setText("名单或评议结果在别处有修改：本页的修改尚未保存，保存后即显示最新内容。")
            return
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
            self._show(None, year, None)
            return
        db = self.ctx.db
        run_op(self, lambda job: evaluation_votes.tallies(db, branch, year), lambda t: self._show(branch, year, t))

    def _show(self, branch: str | None, year: int, tallies: BranchTally | None) -> None:
        self.rows = [t.row for t in tallies.rows] if tallies else []
        self._shown_key = (branch, year)
        ballot = tallies.ballot if tallies and tallies.ballot else BallotInfo()
        self._loading = True
        self.issued.setValue(ballot.issued)
        self.returned.setValue(ballot.returned)
        self.held_on.set_value(ballot.held_on)
        self._loading = False
        self.model.set_rows([Draft(t.row, t.no, t.row.grade, t.row.notes, *t.tally.counts(), returned=ballot.returned)
                             for t in (tallies.rows if tallies else ())])
        self._typing = self._tab_from = None
        self._dirty = False
        self._mark_field(None)
        self._update_summary()
        may = list_export.allowed(self)
        self.act_export.setEnabled(bool(self.rows) and may)
        self.act_export.setToolTip(list_export.TEXT if self.rows and may
                                   else f"{list_export.TEXT}：" + ("本支部没有党员" if not self.rows
                                                                  else list_export.refused(self)))
        if self.rows:
            # On the name, not the grade: made current, the grade column scrolled 序号 and 姓名 out of a narrow
            # window, and kept them out as 1-4 went down it. The digits grade from any column but the votes.
            self.table.setCurrentIndex(self.model.index(0, COL_NAME))
            self.table.horizontalScrollBar().setValue(0)
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

    def _ballot_edited(self) -> None:
        if not self._loading:
            self._mark_field(None)
            self._edited()

    def _returned_changed(self, returned: int) -> None:
        for d in self.model.rows:  # the shares are of the ballots returned
            d.returned = returned
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, COL_SHARE), self.model.index(self.model.rowCount() - 1,
                                                                                         COL_SHARE))

    def votes_at(self, row: int) -> tuple[int, int, int, int]:
        d = self.model.row(row)
        return d.tally().counts() if d is not None else (0, 0, 0, 0)

    def set_votes(self, row: int, *counts: int) -> None:
        for col, count in zip(VOTE_COLS, counts):
            self.model.setData(self.model.index(row, col), count)

    def _type_vote(self, row: int, col: int, key: int) -> None:
        """A digit typed in a vote cell: a fresh cell starts over, the one being typed into grows by the digit."""
        d = self.model.row(row)
        field = VOTE_FIELDS[VOTE_COLS.index(col)]
        if key == Qt.Key.Key_Backspace or key == Qt.Key.Key_Delete:
            value = 0
        else:
            digit = key - Qt.Key.Key_0
            value = digit if self._typing != (row, col) else min(getattr(d, field) * 10 + digit,
                                                                   vote_rules.MAX_BALLOTS)
        self._typing = (row, col)
        self.model.setData(self.model.index(row, col), value)

    def fill_blank(self) -> None:
        for r in range(self.model.rowCount()):
            if not self.grade_at(r):
                self.set_grade(r, rules.QUALIFIED)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            current = self.table.currentIndex()
            row = current.row() if current.isValid() else -1
            # an account the window hides 保存 from (only reads 民主评议) is not let grade what it cannot save
            writable = (row >= 0 and self.table.state() != QAbstractItemView.State.EditingState
                        and self.act_save.isVisible())
            key = event.key()
            if writable and current.column() in VOTE_COLS:
                if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                    self._type_vote(row, current.column(), key)
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    # a member's counts typed across with Tab: Enter starts the next member where the run began
                    col = self._tab_from if self._tab_from is not None else current.column()
                    self._typing = self._tab_from = None
                    if row + 1 < self.model.rowCount():
                        self.table.setCurrentIndex(self.model.index(row + 1, col))
                    return True
                self._typing = None
                if key == Qt.Key.Key_Tab and self._tab_from is None:
                    self._tab_from = current.column()
                elif key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                    self._tab_from = None
                return super().eventFilter(obj, event)
            grade = KEYS.get(Qt.Key(key)) if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 else None
            if grade is not None and writable:
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

    def ballot(self) -> BallotInfo:
        return BallotInfo(self.issued.value(), self.returned.value(), self.held_on.value())

    def votes(self) -> list[VoteEntry]:
        return [VoteEntry(d.row.member_id, *d.tally().counts()) for d in self.model.rows]

    def _check(self) -> ValidationError | None:
        """The service's checks of the tallies, made here first so a refusal marks its field or cell."""
        try:
            _i, returned = vote_rules.check_ballot(self.issued.value(), self.returned.value())
            for r, d in enumerate(self.model.rows):
                try:
                    vote_rules.check_tally(d.row.name, d.tally(), returned)
                except ValidationError as exc:
                    labels = [label for _f, _g, label in vote_rules.VOTE_FIELDS]
                    # the service names the last count filled in; a sum over 收回 is the cell typed last, if any
                    typed = getattr(d, VOTE_FIELDS[labels.index(d.typed)]) if d.typed else 0
                    d.error = d.typed if typed and sum(d.tally().counts()) > returned else exc.field
                    col = VOTE_COLS[labels.index(d.error)]
                    self._typing = None  # the refused count is typed over, not grown (5 then 4 is 4, not 54)
                    self.model.dataChanged.emit(self.model.index(r, col), self.model.index(r, col))
                    self.table.setCurrentIndex(self.model.index(r, col))
                    self.table.scrollTo(self.model.index(r, col))
                    self.table.setFocus()  # the count typed next goes into the refused cell, not a field above
                    raise
        except ValidationError as exc:
            if exc.field == "收回票数":
                self._mark_field(self.returned, exc.message)
            self.message.setText(f"<span style='color:#b00020'>{exc}</span>")
            return exc
        return None

    def _mark_field(self, box: QWidget | None, message: str = "") -> None:
        """A refused ballot count framed red with the reason as its tooltip; None clears the mark."""
        for b in (self.issued, self.returned):
            b.setStyleSheet("")
            b.setToolTip(b.property("tip"))
        if box is not None:
            box.setStyleSheet(f"QSpinBox {{ border: 1px solid #b00020; background: {ERROR_FILL}; }}")
            box.setToolTip(message)
            box.setFocus()

    def unsaved(self) -> str:
        return f"民主评议：{self.branch.currentText()} {self.year.value()} 年度的评议结果" if self._dirty else ""

    def save_unsaved(self) -> None:
        self.save()

    def save(self) -> None:
        branch, year = self._shown_key or (None, 0)
        if not branch or self._check() is not None:
            return
        entries, ballot, votes, db = self.entries(), self.ballot(), self.votes(), self.ctx.db
        # A 不合格 is not the end of it: the secretary is told whom it concerns and where the 处置 is recorded.
        unqualified = [d.row.name for d in self.model.rows if d.grade == rules.UNQUALIFIED]

        def done(res: TallySaveResult) -> None:
            self._dirty = False
            g = res.grades
            counted = f"测评票数修改 {res.votes_changed} 人。" if res.votes_changed or res.ballot_changed else ""
            self.message.setText(f"{year} 年度评议结果已保存：新增 {g.added} 人，修改 {g.changed} 人，"
                                 f"清除 {g.cleared} 人。" + counted + unqualified_follow_up(unqualified))
            self._update_summary()

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, ValidationError):
                from desktop_app.gui.errors import show_error

                show_error(self, exc)
                return
            self.message.setText(f"<span style='color:#b00020'>{exc}</span>")

        run_op(self, lambda job: evaluation_votes.save(db, branch, year, entries, ballot, votes), done, refused,
               changes=changes(Change.EVALUATIONS))

    def _print_branch(self, what: str, default_name: str, render) -> None:
        branch, year = self._shown_key or (None, 0)
        if not branch:
            return
        from desktop_app.gui.widgets import forms

        out = forms.ask_save_path(self, f"打印{what}", default_name)
        if out is None:
            return
        db = self.ctx.db

        def done(_r) -> None:
            self.message.setText(f"{what}已保存到 {out}")
            forms.offer_open(self, out, f"{what}已保存到\n{out}")

        if self._dirty and not common.ask(self, "民主评议", f"本页有未保存的修改，{what}只含已保存的内容。继续打印吗？"):
            return
        run_op(self, lambda job: render(db, branch, year, out), done, label=f"正在生成{what}…")

    def print_ballots(self) -> None:
        """测评票: one per member to be graded (the usual count handed out), blank to be ticked by hand."""
        name, copies = self.branch.currentText(), self.issued.value() or None  # as many as are handed out
        self._print_branch("测评票", f"{name}{self.year.value()}年度民主评议党员测评票.pdf",
                           lambda db, b, y, out: evaluation_votes.print_evaluation_ballot(db, b, y, out, copies=copies))

    def print_tally(self) -> None:
        if not self._dirty and self.ballot().is_blank() and all(d.tally().is_blank() for d in self.model.rows):
            # said here, before a file is asked for: the service refuses a sheet of nothing counted
            self.message.setText("还没有登记本年度的测评票数：请先填写发出、收回的张数和每人的票数，保存后再打印统计表。")
            return
        name = self.branch.currentText()
        self._print_branch("统计表", f"{name}{self.year.value()}年度民主测评结果统计表.pdf",
                           evaluation_votes.print_evaluation_tally)

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

    def export_xlsx(self) -> None:
        """导出Excel: the branch's members as the grid shows them, votes, shares and grades, one sheet through
        the kit's export (audited, the personal-data question first); what is saved, so edits must be saved."""
        branch, year = self._shown_key or (None, 0)
        if not branch or not self.model.rows:
            return
        if self._dirty:
            self.message.setText("本页有未保存的修改：请先“保存”，再导出Excel。")
            return
        ballot = self.ballot()
        words = [f"{self.branch.currentText()} {year} 年度"]
        if not ballot.is_blank():
            words.append(f"发出 {ballot.issued} 张，收回 {ballot.returned} 张")
        title = f"民主评议党员（{'，'.join(words)}）"
        headers = [c.title for c in COLUMNS]
        rows = [[c.text(d) or "" for c in COLUMNS] for d in self.model.rows]
        list_export.export_table(self, table_export.ListTable(self.export_kind, title, headers, rows),
                                 f"{self.branch.currentText()}{year}年度民主评议党员.xlsx", self.message.setText)
