"""操作记录: who changed what and when; filter, page through, see a record's fields before and after.

导出… writes every entry the filter shows (all its pages) to an XLSX with a 说明 sheet, off the GUI
thread with a progress bar and 取消; the service decides who may and records it.

An import's or a package's change can be put back from here (撤销此更改, or the whole
batch): the service checks it first, the page shows what returns and asks, then
writes it in one go and says plainly what was done (a revert is itself audited).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from desktop_app.gui import icons
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common
from desktop_app.gui.widgets.bars import FIND_KEYS, SEARCH_BOX, heading
from desktop_app.gui.widgets.forms import DateEdit, ask_save_path, offer_open
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import Column, ColumnModel, table_view
from desktop_app.gui.widgets.layouts import panel, splitter, wrapped
from desktop_app.services import audit_export, audit_log, revert
from desktop_app.views.audit import AuditFilter, AuditRow, TrailPage, value_text
from desktop_app.views.changes import Change, changes
from desktop_app.views.revert import RevertOutcome

COLUMNS = (
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S"), width=150),
    Column("操作人", lambda r: r.who, width=80),
    Column("操作", lambda r: r.action_label, width=80),
    Column("对象", lambda r: r.table_label, width=90),
    Column("名称", lambda r: r.label, width=120),
    Column("内容", lambda r: r.summary, width=300),
)
BEFORE, AFTER = QColor(Qt.GlobalColor.darkRed), QColor(Qt.GlobalColor.darkGreen)


@dataclass(frozen=True)
class FieldLine:
    """One field of a record in the trail: its value before and after; `changed` when an update altered it."""

    label: str
    before: Any
    after: Any
    changed: bool


FIELD_COLUMNS = (
    Column("字段", lambda f: f.label, width=120),
    Column("修改前", lambda f: value_text(f.before), width=250, color=lambda f: BEFORE if f.changed else None),
    Column("修改后", lambda f: value_text(f.after), width=250, color=lambda f: AFTER if f.changed else None),
)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class AuditPage(Page):
    watches = changes(Change.ALL)  # every write leaves a line in the trail

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self.page_no = 0
        self.current: TrailPage | None = None
        self.shown_filter: AuditFilter | None = None  # the filter of the list on screen: 导出 writes that one
        today = self.today = today or date.today()

        self.user = QComboBox()
        self.table_box = QComboBox()
        self.action = QComboBox()
        for box, label in ((self.user, "全部人员"), (self.table_box, "全部对象"), (self.action, "全部操作")):
            box.addItem(label, None)
            box.setMinimumWidth(110)
        # the kit's date fields: 2026-12-15 typed with dashes, Tab on to the next box, the calendar popup
        self.date_from = DateEdit(today - timedelta(days=30))
        self.date_to = DateEdit(today)
        self.text = QLineEdit()
        self.text.setPlaceholderText("名称、说明或操作人")
        self.text.setObjectName(SEARCH_BOX)  # Ctrl+F comes here, as on every page with a search box
        self.text.setToolTip(f"名称、说明或操作人，回车查询（{FIND_KEYS} 从页面任何地方回到这里）")
        self.text.setClearButtonEnabled(True)
        self.row_id = QLineEdit()
        # what a worker can see of a record: its 记录编号 in an entry's detail below, or a person's 身份证号
        self.row_id.setPlaceholderText("记录编号或身份证号（可不填）")
        self.row_id.setToolTip("查某条记录的全部操作：\n"
                               "· 记录编号：选中一条操作记录，下方详情最后一行的“记录编号”（不是“操作记录编号”），可只填前 8 位\n"
                               "· 身份证号：党员或居民的公民身份号码，列出此人记录的操作\n"
                               "按姓名、会议名称等查找，请用左边的框")
        self.row_id.setClearButtonEnabled(True)
        search = QPushButton(icons.get("search"), "查询")
        search.clicked.connect(self.search)
        self.text.returnPressed.connect(self.search)
        self.row_id.returnPressed.connect(self.search)

        # who, what and when on the first line, the words and the record number under them: on one line
        # they held the window wider than a 1366×768 screen at 150% scaling (911 pixels)
        filters = QHBoxLayout()
        for w in (self.user, self.table_box, self.action, QLabel("从"), self.date_from, QLabel("到"),
                  self.date_to):
            filters.addWidget(w)
        filters.addStretch(1)
        filters2 = QHBoxLayout()
        filters2.addWidget(self.text, 3)
        filters2.addWidget(self.row_id, 2)
        filters2.addWidget(search)
        self.prev = QPushButton("上一页")
        self.next = QPushButton("下一页")
        self.prev.clicked.connect(lambda: self.go(self.page_no - 1))
        self.next.clicked.connect(lambda: self.go(self.page_no + 1))
        self.pager = QLabel()
        filters2.addWidget(self.prev)
        filters2.addWidget(self.pager)
        filters2.addWidget(self.next)
        self.export = QPushButton(icons.get("excel"), "导出…")
        self.export.setToolTip("把当前筛选出的全部记录（所有页）导出为 Excel 文件，附“说明”表：筛选条件、导出人、哈希链检查")
        self.export.clicked.connect(self.export_shown)
        filters2.addWidget(self.export)

        self.model = ColumnModel(COLUMNS, parent=self)
        self.list = table_view(self.model, multi=False, stretch=5)
        self.list.setWordWrap(False)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.header = wrapped()
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field_model = ColumnModel(FIELD_COLUMNS, parent=self)
        self.fields = table_view(self.field_model, fit=False)
        self.fields.setAlternatingRowColors(False)
        self.fields.setWordWrap(True)
        hh = self.fields.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.undo = QPushButton(icons.get("undo"), "撤销此更改")
        self.undo.setToolTip("把这条记录修改过的字段改回修改前的值（管理员）")
        self.undo.clicked.connect(lambda: self.revert_selected(whole=False))
        self.undo_batch = QPushButton("撤销整批…")
        self.undo_batch.setToolTip(_BATCH_TIP)
        self.undo_batch.clicked.connect(lambda: self.revert_selected(whole=True))
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(self.undo, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.undo_batch, 0, Qt.AlignmentFlag.AlignTop)
        split = splitter(self.list, panel(head, (self.fields, 1)), stretch=(3, 2), vertical=True)

        lay = QVBoxLayout(self)
        lay.addWidget(heading("操作记录"))  # the heading every page has
        lay.addLayout(filters)
        lay.addLayout(filters2)
        lay.addWidget(split, 1)

    def current_filter(self) -> AuditFilter:
        start, end = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        if start > end:
            start, end = end, start
        return AuditFilter(
            user_id=self.user.currentData(), table=self.table_box.currentData(), action=self.action.currentData(),
            date_from=start, date_to=end, row_id=self.row_id.text().strip() or None, text=self.text.text(),
        )

    def refresh(self) -> None:
        super().refresh()
        db = self.ctx.db
        run_op(self, lambda job: audit_log.choices(db), self._choices_loaded)

    def _choices_loaded(self, choices) -> None:
        for box, items, label in ((self.user, choices.users, "全部人员"),
                                  (self.table_box, choices.tables, "全部对象"),
                                  (self.action, choices.actions, "全部操作")):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(label, None)
            for value, text in items:
                box.addItem(text, value)
            index = box.findData(keep) if keep is not None else 0
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)
        self.go(self.page_no)

    def search(self) -> None:
        self.go(0)

    def go(self, page: int) -> None:
        db, flt = self.ctx.db, self.current_filter()
        run_op(self, lambda job: (flt, audit_log.search(db, flt, max(page, 0))), self._loaded)

    def _loaded(self, loaded: tuple[AuditFilter, TrailPage]) -> None:
        self.shown_filter, result = loaded
        self.current = result
        self.page_no = result.page
        self.model.set_rows(result.rows)
        self.pager.setText(f"第 {result.page + 1} / {result.pages} 页（共 {result.total} 条）")
        self.prev.setEnabled(result.page > 0)
        self.next.setEnabled(result.page + 1 < result.pages)
        if result.rows:
            self.list.selectRow(0)
        else:
            self.show_entry(None)

    def selected(self) -> AuditRow | None:
        rows = self.list.selectionModel().selectedRows()
        if not rows or self.current is None or rows[0].row() >= len(self.current.rows):
            return None
        return self.current.rows[rows[0].row()]

    def _show_selected(self) -> None:
        self.show_entry(self.selected())

    def show_entry(self, r: AuditRow | None) -> None:
        self.undo.setEnabled(r is not None and revert.revertible(r.action))
        refused = revert.batch_refused(r.action, r.table, r.after) if r is not None else ""
        self.undo_batch.setEnabled(r is not None and revert.batch_revertible(r.action, r.table) and not refused)
        self.undo_batch.setToolTip(refused or _BATCH_TIP)  # why it is off, where a click would only be refused
        # an import's own entry: the batch is that import, the members it added included
        self.undo_batch.setText("撤销这次导入…" if r is not None and r.action == "import" else "撤销整批…")
        if r is None:
            self.header.setText("没有符合条件的记录。" if self.current and not self.current.total else "")
            self.field_model.set_rows([])
            return
        lines = [
            f"<b>{escape(r.at.strftime('%Y-%m-%d %H:%M:%S'))}</b>　{escape(r.who)}　{escape(r.action_label)}"
            f"　{escape(r.table_label)}{('“' + escape(r.label) + '”') if r.label else ''}",
        ]
        if r.note:
            lines.append(escape(r.note))
        ids = [f"操作记录编号 {escape(r.id)}"] + ([f"记录编号 {escape(r.row_id)}"] if r.row_id else [])
        lines.append(f"<small>{'　'.join(ids)}</small>")
        self.header.setText("<br>".join(lines))
        altered = r.action in _ALTERS
        self.field_model.set_rows([FieldLine(c.label, c.before, c.after, altered and c.before != c.after)
                                   for c in r.changes()])
        self.fields.resizeRowsToContents()

    # ---------------------------------------------------------------- 导出

    def export_shown(self) -> None:
        """Every entry of the list on screen (the filter it was searched with, all its pages) to an XLSX."""
        flt, shown = self.shown_filter, self.current
        if flt is None or shown is None:
            return
        if not shown.total:
            common.inform(self, EXPORT_TITLE, audit_export.EMPTY + "。")
            return
        path = ask_save_path(self, EXPORT_TITLE, f"操作记录_{self.today:%Y-%m-%d}.xlsx")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        db = self.ctx.db
        run_op(self, lambda job: audit_export.export_xlsx(db, flt, path, progress=job.report), self._exported,
               label=f"正在导出操作记录（共 {shown.total} 条）……")

    def _exported(self, done: audit_export.TrailExport) -> None:
        self.go(self.page_no)  # the export is in the trail now
        offer_open(self, done.path, f"已导出操作记录 {done.rows} 条到\n{done.path}\n\n哈希链检查：{done.chain_text}")

    # ---------------------------------------------------------------- 撤销此更改

    def revert_selected(self, whole: bool) -> None:
        """Check first (off the GUI thread), then show what returns and ask."""
        r = self.selected()
        if r is None:
            return
        db, check = self.ctx.db, revert.check_batch_of if whole else revert.check_entry
        run_op(self, lambda job: check(db, r.id), lambda out: self._confirm(out, whole))

    def _confirm(self, out: RevertOutcome, whole: bool) -> None:
        shown = [f"{i.what}：{'；'.join(i.lines())}" if i.restored else i.what for i in out.items[:_LISTED]]
        more = [f"……另有 {out.count - _LISTED} 条"] if out.count > _LISTED else []
        text = (f"{out.summary()}：\n\n" + "\n".join(shown + more)
                + "\n\n撤销本身也会记入操作记录。撤销后没有“恢复撤销”，如需改回只能再次修改。确定撤销吗？")
        if not common.ask(self, "撤销这次导入" if out.taken_back else "撤销此更改", text):
            return
        db = self.ctx.db
        if whole:
            def work(job):
                return revert.revert_batch(db, out.batch)
        else:
            def work(job):
                return revert.revert_entry(db, out.items[0].entry_id)
        run_op(self, work, self._reverted, label="正在撤销……", changes=changes(Change.ALL))

    def _reverted(self, out: RevertOutcome) -> None:
        # a history import's summary already says what was deleted or reversed (and what became of its months)
        done = ("" if out.deleting else "，导入新增的党员已从名册移除" if out.removed else "，已改回修改前的值")
        common.inform(self, "撤销这次导入" if out.taken_back else "撤销此更改",
                      f"{out.summary()}{done}。这次撤销已记入操作记录（“撤销更改”）。")


EXPORT_TITLE = "导出操作记录"
_LISTED = 12  # records listed in the confirmation; the rest are counted
_BATCH_TIP = "撤销这次导入或这个数据包带来的全部更改（管理员）"
_ALTERS = revert.REVERTIBLE | {revert.REVERT}  # entries whose before/after columns show one change
