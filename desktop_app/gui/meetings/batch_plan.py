"""按周期批量计划: plan a quarter's or the year's 三会一课 of one or more branches in one go.

The secretary picks the branches, the months and the kinds, a day rule and a
title pattern for each; the preview lists only what is still owed (none past,
a weekend day moved to Monday, as the note says); each row can be left out;
计划 N 次会议 plans the rest in one transaction (services/meetings/plan_batch).
照去年 fills each kind's line from how the branch kept it the year before the
months asked for, in words; what the secretary then changes is what is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from desktop_app.domain import batch_plan as batch
from desktop_app.domain import meetings as rules
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.common import inform
from desktop_app.gui.widgets.dialog import SavingDialog
from desktop_app.gui.widgets.forms import combo
from desktop_app.gui.widgets.layouts import fill, form_layout, wrapped
from desktop_app.gui.widgets.table import CENTER, Column, ColumnModel, table_view
from desktop_app.services.meetings import plan_batch as service
from desktop_app.views.batch_plan import BatchPlanRequest, BatchPlanRow, HabitRow, holding_words
from desktop_app.views.changes import Changes

THIS_QUARTER, NEXT_QUARTER, REST_OF_YEAR, WHOLE_YEAR, NEXT_YEAR = "quarter", "next", "rest", "year", "next_year"
RANGES = (("本季度", THIS_QUARTER), ("下季度", NEXT_QUARTER), ("今年余下月份", REST_OF_YEAR), ("全年", WHOLE_YEAR),
          ("明年全年", NEXT_YEAR))
BY_DAY, BY_WEEKDAY, BY_LAST = "day", "weekday", "last"


def months_for(choice: str, today: date, year: int) -> tuple[date, date]:
    """The first and last day of the months a range choice means (the year: the page's year)."""
    q = (today.month - 1) // 3
    if choice == THIS_QUARTER:
        first, last = (today.year, q * 3 + 1), (today.year, q * 3 + 3)
    elif choice == NEXT_QUARTER:
        y, nq = (today.year, q + 1) if q < 3 else (today.year + 1, 0)
        first, last = (y, nq * 3 + 1), (y, nq * 3 + 3)
    elif choice == REST_OF_YEAR:
        first, last = (today.year, today.month), (today.year, 12)
    elif choice == NEXT_YEAR:
        first, last = (today.year + 1, 1), (today.year + 1, 12)
    else:
        first, last = (year, 1), (year, 12)
    return batch.month_range(f"{first[0]}-{first[1]:02d}", f"{last[0]}-{last[1]:02d}")


@dataclass
class _Pick:
    """A preview row and whether it is to be planned."""

    row: BatchPlanRow
    wanted: bool = True


def _wanted(p: _Pick, value: Any) -> None:
    p.wanted = bool(value)


COLUMNS = (
    Column("计划", lambda p: "计划" if p.wanted else "不计划", width=80, value=lambda p: p.wanted, edit=_wanted,
           choices=[("计划", True), ("不计划", False)]),
    Column("日期", lambda p: f"{p.row.day:%Y-%m-%d} 周{batch.WEEKDAYS[p.row.day.weekday()]}", width=120),
    Column("会议类型", lambda p: p.row.kind, width=90),
    Column("党组织", lambda p: p.row.org_name, width=160),
    Column("期间", lambda p: p.row.period_label, width=100),
    Column("会议主题", lambda p: p.row.title, width=150),
    Column("地点", lambda p: p.row.place, width=120),
    Column("说明", lambda p: "；".join(x for x in (f"授课人：{p.row.lecturer}" if p.row.lecturer else "", p.row.note)
                                          if x), width=220),
)


class _KindLine:
    """One kind's tick, day rule, title pattern and place; 照去年, what the year suggested and what it said."""

    def __init__(self, kind: str, rule: rules.KindRule, ticked: bool):
        self.kind, self.rule = kind, rule
        self.tick = QCheckBox(f"{kind}（{rule.cadence_label}）")
        self.tick.setChecked(ticked)
        self.held = QLabel()  # who of the chosen branches holds this kind
        self.held.setStyleSheet("color:#666")
        self.mode = combo([("每月几日", BY_DAY), ("每月第几个星期几", BY_WEEKDAY), ("每月最后一个星期几", BY_LAST)])
        self.mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mode.setToolTip("按日子或按星期定会议日；落在周六、周日的顺延至下周一")
        self.number = QSpinBox()
        self.number.setRange(1, 31)
        self.number.setValue(15)
        self.number.setToolTip("每月几日，或第几个星期")
        self.weekday = combo([(f"星期{w}", i) for i, w in enumerate(batch.WEEKDAYS[:5])])
        self.title = QLineEdit(batch.DEFAULT_TITLES.get(rule.unit, "{类型}"))
        self.title.setToolTip("可用 {年} {月} {季度} {半年} {类型}，如“{月}月主题党日”")
        self.title.setMinimumWidth(160)  # "{年}年{月}月主题党日" whole
        self.place = QLineEdit()
        self.place.setPlaceholderText("同默认地点")
        self.place.setMinimumWidth(110)
        self.habit = QLabel()  # 照去年: the year's rule in words, or why there is none
        self.habit.setStyleSheet("color:#555")
        self.habit.setWordWrap(True)  # a long reason takes two lines rather than widening the dialog
        self.learned: tuple | None = None  # the values 照去年 filled in: left so, each holder's own year applies
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self._mode_changed()

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        by_weekday = mode == BY_WEEKDAY
        self.number.setRange(1, 4 if by_weekday else 31)
        self.number.setPrefix("第 " if by_weekday else "")
        self.number.setSuffix(" 个" if by_weekday else " 日")
        if self.number.parentWidget() is not None:  # not yet laid out: showing it would make it a window
            self.number.setHidden(mode == BY_LAST)
        self.weekday.setEnabled(mode != BY_DAY)
        self._enable()

    def hold(self, held: int, total: int) -> None:
        """`held` of the `total` chosen branches hold this kind: none, and it cannot be ticked, the label says why."""
        was_off = not self.tick.isEnabled()
        self.tick.setEnabled(held > 0)
        if held == 0:
            self.tick.setChecked(False)
        elif was_off:
            self.tick.setChecked(self.rule.tracked)
        text = holding_words(self.kind, held, total)
        self.held.setText(text)
        self.tick.setToolTip(text)
        self._enable()

    def _enable(self) -> None:
        on = self.tick.isEnabled()
        for w in (self.mode, self.number, self.title, self.place):
            w.setEnabled(on)
        self.weekday.setEnabled(on and self.mode.currentData() != BY_DAY)

    def set_day_rule(self, rule: batch.DayRule) -> None:
        if rule.nth is None:
            self.mode.setCurrentIndex(self.mode.findData(BY_DAY))
            self.number.setValue(rule.day)
            return
        self.mode.setCurrentIndex(self.mode.findData(BY_LAST if rule.nth == batch.LAST else BY_WEEKDAY))
        if rule.nth != batch.LAST:
            self.number.setValue(rule.nth)
        if self.weekday.findData(rule.weekday) < 0:  # a weekend day last year: shown, and moved to Monday
            self.weekday.addItem(f"星期{batch.WEEKDAYS[rule.weekday]}", rule.weekday)
        self.weekday.setCurrentIndex(self.weekday.findData(rule.weekday))

    def values(self) -> tuple:
        return (self.day_rule(), self.title.text(), self.place.text())

    def like(self, habit: batch.YearHabit | None, words: str, tip: str = "") -> None:
        """照去年: the year's day rule, title and place (the defaults where it has none), and its words."""
        self.set_day_rule(habit.day_rule if habit and habit.day_rule else batch.DayRule(15))
        self.title.setText(habit.title if habit and habit.title else batch.DEFAULT_TITLES.get(self.rule.unit, "{类型}"))
        self.place.setText(habit.place if habit else "")
        self.habit.setText(words)
        self.habit.setToolTip(tip or words)
        self.learned = self.values()

    def unlike(self) -> None:
        """Back to the defaults, as the dialog opened."""
        self.like(None, "")
        self.learned = None

    def changed(self) -> bool:
        """Whether the line asks for its own values: always without 照去年, with it once changed."""
        return self.learned is None or self.values() != self.learned

    def day_rule(self) -> batch.DayRule:
        if self.mode.currentData() == BY_LAST:
            return batch.DayRule(day=None, nth=batch.LAST, weekday=self.weekday.currentData())
        if self.mode.currentData() == BY_WEEKDAY:
            return batch.DayRule(day=None, nth=self.number.value(), weekday=self.weekday.currentData())
        return batch.DayRule(day=self.number.value())


class BatchPlanDialog(SavingDialog):
    """按周期批量计划. `orgs`: (label, org id) of what can be chosen; `kinds`: the tracked kinds and their rules."""

    def __init__(self, parent: QWidget | None, db, orgs: list[tuple[str, str]], org_id: str | None,
                 kinds: dict[str, rules.KindRule], year: int, today: date | None = None,
                 changes: Changes | None = None, held: dict[str, tuple[int, int]] | None = None):
        super().__init__(parent, "按周期批量计划三会一课", "计划 0 次会议", changes=changes,
                         save=lambda req, rows: service.plan_batch(db, req, rows, today=self.today))
        self.db, self.today, self.year = db, today or date.today(), year
        self.request: BatchPlanRequest | None = None
        self.org = combo(orgs, org_id)
        self.range = combo(RANGES, REST_OF_YEAR)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：党群服务中心二楼会议室")
        self.like = QCheckBox()
        self.like.setToolTip("按所选党组织去年各类会议的固定日子、地点和主题填好下面各行，仍可逐项修改；"
                             "去年没有固定日期的按默认")
        self._like_label()
        self.lines = [_KindLine(k, r, r.tracked) for k, r in kinds.items() if r.unit != rules.PeriodUnit.NONE]
        grid = QGridLayout()
        for i, text in enumerate(("会议类型", "会议日", "", "", "会议主题", "地点", "")):
            grid.addWidget(QLabel(text), 0, i)
        for i, line in enumerate(self.lines, 1):
            for j, w in enumerate((line.tick, line.mode, line.number, line.weekday, line.title, line.place)):
                grid.addWidget(w, i, j)
            grid.addLayout(fill(QHBoxLayout(), line.held, (line.habit, 1)), i, 6)
        grid.setColumnStretch(6, 1)
        if held is not None:
            self.show_holders(held)
        self.org.currentIndexChanged.connect(lambda _i: self._org_changed())
        self.range.currentIndexChanged.connect(lambda _i: self._range_changed())
        self.like.toggled.connect(lambda _on: self._like_changed())
        self.preview_button = QPushButton("预览")
        self.preview_button.setToolTip("按上面的设置列出尚需计划的会议（已召开、已计划的期间不再计划，已过的日子不计划）")
        self.preview_button.clicked.connect(self.load_preview)
        self.model = ColumnModel(COLUMNS, parent=self)
        self.model.dataChanged.connect(lambda *_a: self._count_changed())
        self.table = table_view(self.model, stretch=7, editable=True)
        self.table.setMinimumHeight(240)
        self.summary = wrapped()
        form = form_layout(("党组织(&O)", self.org), ("计划范围(&R)", self.range), ("参照(&L)", self.like),
                           ("默认地点(&P)", self.place))
        self.finish_layout(form, grid, fill(QHBoxLayout(), (self.summary, 1), self.preview_button),
                           self.table)
        self.first_field = self.org
        self.ok_button.setEnabled(False)
        self.resize(1000, 640)
        self.load_preview()

    def show_holders(self, held: dict[str, tuple[int, int]]) -> None:
        for line in self.lines:
            line.hold(*held.get(line.kind, (1, 1)))

    def _org_changed(self) -> None:
        db, org_id, today = self.db, self.org.currentData(), self.today
        self.request = None
        self.model.set_rows([])  # another organisation's rows must not be planned for this one
        self._count_changed()
        run_op(self, lambda job: service.kind_holders(db, org_id, today), self._holders_read)

    def _holders_read(self, held: dict[str, tuple[int, int]]) -> None:
        self.show_holders(held)
        if self.like.isChecked():
            self._read_habits()  # another organisation's year; it previews when read
        else:
            self.load_preview()  # the rows shown were another organisation's

    # ------------------------------------------------------------------ 照去年
    def source_year(self) -> int:
        """The year before the months asked for: what 照去年 follows."""
        return months_for(self.range.currentData(), self.today, self.year)[0].year - 1

    def _like_label(self) -> None:
        self.like_year = self.source_year()
        self.like.setText(f"照去年（{self.like_year}年）的安排")

    def _range_changed(self) -> None:
        if self.source_year() != self.like_year:
            self._like_label()
            if self.like.isChecked():
                self._read_habits()

    def _like_changed(self) -> None:
        if self.like.isChecked():
            self._read_habits()
            return
        for line in self.lines:
            line.unlike()
        self.load_preview()

    def _read_habits(self) -> None:
        db, org_id, year, today = self.db, self.org.currentData(), self.source_year(), self.today
        self.preview_button.setEnabled(False)
        run_op(self, lambda job: service.like_year_habits(db, [org_id], year, today),
               lambda rows: self._habits_read(year, rows), self._preview_failed)

    def _habits_read(self, year: int, rows: list[HabitRow]) -> None:
        if not self.like.isChecked() or year != self.source_year():
            self.preview_button.setEnabled(True)
            return  # unticked or another year meanwhile: its own read follows
        for line in self.lines:
            mine = [h for h in rows if h.habit.kind == line.kind]
            if not mine:
                line.like(None, "")
                continue
            kept = {(h.habit.day_rule, h.habit.title, h.habit.place) for h in mine}
            if len(kept) == 1:  # one holder, or several that kept it alike: its rule stands for them
                habit = mine[0].habit
                line.like(habit, habit.said, "\n".join(f"{h.org_name}：{h.habit.words}" for h in mine))
            else:
                line.like(None, f"各党组织按其{year}年的安排（{len(mine)} 个）",
                          "\n".join(f"{h.org_name}：{h.habit.words}" for h in mine))
        self.load_preview()

    # ------------------------------------------------------------------ preview
    def build_request(self) -> BatchPlanRequest:
        first, last = months_for(self.range.currentData(), self.today, self.year)
        chosen = [line for line in self.lines if line.tick.isChecked()]
        like = self.like.isChecked()
        own = [line for line in chosen if not like or line.changed()]  # 照去年: what the year gave, each holder's
        return BatchPlanRequest(
            org_ids=(self.org.currentData(),), first=first, last=last,
            kinds=tuple(line.kind for line in chosen),
            days={line.kind: line.day_rule() for line in own},
            place=self.place.text(), titles={line.kind: line.title.text() for line in own},
            places={line.kind: line.place.text() for line in own if line.place.text().strip()},
            like_year=self.source_year() if like else None)

    def load_preview(self) -> None:
        try:
            if not any(line.tick.isChecked() for line in self.lines):
                raise ValidationError("会议类型", "请至少勾选一种会议")
            req = self.build_request()
        except DomainError as exc:
            self.refuse(exc)
            return
        self.show_message("")
        self.preview_button.setEnabled(False)
        db, today = self.db, self.today
        run_op(self, lambda job: service.preview_batch(db, req, today), lambda rows: self._show(req, rows),
               self._preview_failed)

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self._failed(exc)

    def _show(self, req: BatchPlanRequest, rows: list[BatchPlanRow]) -> None:
        self.preview_button.setEnabled(True)
        self.request = req
        self.model.set_rows([_Pick(r) for r in rows])
        months = f"{req.first:%Y年%m月}至{req.last:%Y年%m月}"
        self.summary.setText(f"{months}尚需计划 {len(rows)} 次会议；不需要的行把“计划”改为“不计划”。"
                             if rows else f"{months}没有尚需计划的会议：各期已召开或已计划，或日子已过。")
        self._count_changed()

    def chosen(self) -> list[BatchPlanRow]:
        return [p.row for p in self.model.rows if p.wanted]

    def _count_changed(self) -> None:
        n = len(self.chosen())
        self.ok_button.setText(f"计划 {n} 次会议")
        self.ok_button.setEnabled(n > 0)

    # ------------------------------------------------------------------ saving
    def values(self) -> tuple:
        return (self.request, self.chosen())

    def after_save(self, result: Any) -> None:
        inform(self, "批量计划", service.said(result))
        super().after_save(result)



def open_batch_plan(parent: QWidget, db, holders: list[tuple[str, str, str, int]], org_id: str | None, year: int,
                    today: date, changes: Changes | None = None) -> None:
    """The dialog for a page that has the organisations (`ms.holders`) but not the kinds' rules: read them first.
    A group chosen on the page plans its branch's meetings."""
    orgs = [(f"{name}（全部党支部）" if kind == "community" else name, oid)
            for oid, name, kind, _d in holders if kind in ("community", "branch")]
    ids = {oid for _label, oid in orgs}
    listed = [oid for oid, _n, _k, _d in holders]
    current = org_id if org_id in ids else None
    if current is None and org_id in listed:
        # a 党小组 in the page's filter: its branch, the nearest one listed above it (holders come in tree order)
        current = next((o for o in reversed(listed[:listed.index(org_id)]) if o in ids), None)
    chosen = current or (orgs[0][1] if orgs else None)
    run_op(parent, lambda job: (service.batch_kinds(db, current), service.kind_holders(db, chosen, today)),
           lambda got: BatchPlanDialog(parent, db, orgs, chosen, got[0], year, today, changes=changes,
                                       held=got[1]).exec())
