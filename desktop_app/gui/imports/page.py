"""导入表格: bring the spreadsheets a center already has — members, 发展党员, past 三会一课, residents, a year's ledger,
走访台账, a branch's 党费收缴登记表.

Pick what the file holds and the file: its columns are read by name and by
content; when they are not all recognised (and no mapping was saved for the
layout) the 列映射 step asks what they are. The preview lists what would be
written, the rows passed over (notes, totals) and every bad row by row and
column; 导入 writes all of it or nothing. Members go through their own dialog
(updates of members already on the roster, new branches).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView, QTabWidget, QVBoxLayout,
)

from desktop_app.domain.errors import DomainError
from desktop_app.gui import icons
from desktop_app.gui.errors import show_error
from desktop_app.gui.imports.mapping_dialog import MappingDialog, show_sheets
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.bars import heading
from desktop_app.gui.widgets.page import AppContext, Page
from desktop_app.gui.widgets.table import Column, ColumnModel
from desktop_app.services import (
    auth, development_import, dues_import, imports, ledger_import, meetings_import, residents_import, visits_import,
)
from desktop_app.views.changes import Change, changes
from desktop_app.views.imports import ColumnsReport, HistoryPreview, Mapping

ERROR_STYLE = "color: #c8161e;"
OK_STYLE = "color: #1b7a1b;"
HIDDEN_STYLE = "color: #a05a00;"

# kind -> (label, service module, what apply changes)
KINDS: dict[str, tuple[str, Any, Any]] = {
    "members": ("党员信息", None, changes(Change.MEMBERS, Change.ORGS)),
    "development": ("发展党员（各阶段时间）", development_import, changes(Change.DEVELOPMENT)),
    "meetings": ("三会一课（已召开的会议）", meetings_import, changes(Change.MEETINGS)),
    "residents": ("居民和住户", residents_import, changes(Change.RESIDENTS)),
    "ledger": ("经费收支明细（一年）", ledger_import, changes(Change.LEDGER)),
    "visits": ("走访记录（走访台账）", visits_import, changes(Change.VISITS)),
    "dues": ("党费收缴（以前的登记表）", dues_import, changes(Change.DUES)),
}
NO_YEAR = 1999  # the year box's "from the title" (its special value)


def _view() -> QTableView:
    view = QTableView()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ImportsPage(Page):
    watches = frozenset()

    def __init__(self, ctx: AppContext):
        super().__init__(ctx)
        self.kind_box = QComboBox()
        for kind, (label, _service, _changes) in KINDS.items():
            # only what the account may import: a 网格员 chose 党员信息, waited for the preview, and was refused
            if auth.can(ctx.db, imports.permission(kind)):
                self.kind_box.addItem(label, kind)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._reset())
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("选择 Excel（.xlsx、.xls）、.ods 或 CSV 文件：本程序的模板，或其他系统导出的表格")
        self.choose_button = choose = QPushButton(icons.get("open"), "选择文件…")
        choose.clicked.connect(self.choose_file)
        template = QPushButton(icons.get("template"), "保存空白模板…")
        template.clicked.connect(self.save_template)
        self.sheet_box = QComboBox()  # a workbook's sheets: shown when it has more than one
        self.sheet_box.setToolTip("工作簿中要导入的工作表")
        self.sheet_box.hide()
        self.sheet_box.activated.connect(lambda _i: self.path and self.load(self.path, sheet=self.sheet_box.currentText()))
        # 党费: a register's year, when its title does not name it (or names it wrong)
        self.year_box = QSpinBox()
        self.year_box.setRange(NO_YEAR, 2100)
        self.year_box.setSpecialValueText("年度：按标题")
        self.year_box.setPrefix("年度：")
        self.year_box.setToolTip("登记表的年度：标题、工作表名或文件名中写明了（如“2025年度”）的不用填")
        self.year_box.setValue(NO_YEAR)
        self.year_box.hide()
        self.year_box.setKeyboardTracking(False)  # typing 2025 is one change, not 2, 20, 202
        self.year_box.valueChanged.connect(lambda _v: self.path and self.load(self.path, self.mapping, self.sheet))
        self.map_button = QPushButton("列映射…")
        self.map_button.clicked.connect(self.open_mapping)
        self.import_button = QPushButton(icons.get("import"), "导入")
        self.import_button.clicked.connect(self.do_import)
        top = QHBoxLayout()
        top.addWidget(QLabel("内容："))
        top.addWidget(self.kind_box)
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.sheet_box)
        top.addWidget(self.year_box)
        for b in (choose, self.map_button, template):
            top.addWidget(b)
        self.summary = QLabel("选择要导入的内容和文件。导入前会先预览，不会直接写入。")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px; padding: 4px 0;")
        self.errors = ColumnModel([
            Column("行号", lambda e: str(e.row_number), width=56),
            Column("列", lambda e: e.field, width=140),
            Column("内容", lambda e: e.value, width=170, tooltip=lambda e: e.value),
            Column("原因", lambda e: e.reason, width=400, tooltip=lambda e: e.reason),
        ], parent=self)
        self.skipped = ColumnModel([
            Column("行号", lambda k: str(k.row_number), width=56),
            Column("跳过的原因", lambda k: k.reason, width=90),
            Column("内容", lambda k: k.text, width=500),
        ], parent=self)
        self.tabs = QTabWidget()
        for model, label in ((self.errors, "有问题的行"), (self.skipped, "跳过的行")):
            view = _view()
            view.setModel(model)
            for i, c in enumerate(model.columns):
                view.setColumnWidth(i, c.width)
            self.tabs.addTab(view, label)
        lay = QVBoxLayout(self)
        lay.addWidget(heading("导入表格"))  # the heading every page has
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        lay.addLayout(bottom)
        self.path: Path | None = None
        self.sheet: str | None = None  # the sheet chosen (None: the first with a header)
        self.report: ColumnsReport | None = None
        self.mapping: Mapping | None = None
        self.preview: HistoryPreview | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.member_dialog = None
        self._reset()
        if not self.kind_box.count():  # 只读
            for widget in (self.kind_box, choose, template):
                widget.setEnabled(False)
            self._say("当前账户只能查看（只读），不能导入表格；需要导入时请用书记或管理员的账户。")

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _say(self, text: str, style: str = "") -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"font-size: 14px; padding: 4px 0; {style}")

    def _reset(self) -> None:
        self.path = self.report = self.mapping = self.preview = self.sheet = None
        self.year_box.setVisible(self.kind == "dues")
        self.file_edit.clear()
        self.sheet_box.hide()
        self.errors.set_rows([])
        self.skipped.set_rows([])
        self._update()

    def _update(self) -> None:
        self.map_button.setEnabled(self.report is not None)
        self.import_button.setEnabled(self.preview is not None and not self.preview.errors
                                      and bool(self.preview.items))

    # ------------------------------------------------------------------ reading
    def choose_file(self) -> None:
        from desktop_app.gui.widgets.forms import ask_open_path, sheets_to_import  # starts in Documents

        path = ask_open_path(self, "选择要导入的文件", sheets_to_import())
        if path:
            self.load(path)

    def load(self, path: str | Path, mapping: Mapping | None = None, sheet: str | None = None) -> None:
        """Read the file and preview it; members open their own import dialog."""
        if self.kind == "members":
            from desktop_app.gui.roster.import_dialog import ImportDialog

            self.member_dialog = ImportDialog(self, self.ctx.db, path=path)
            self.member_dialog.open()
            return
        self.path, self.mapping, self.preview, self.sheet = Path(path), mapping, None, sheet
        self.file_edit.setText(str(self.path))
        self._say("正在读取文件…")
        self._update()
        db, kind, chosen, service = self.ctx.db, self.kind, self.path, KINDS[self.kind][1]
        year = {"year": self.year_box.value()} if kind == "dues" and self.year_box.value() != NO_YEAR else {}

        def read(job):
            report = imports.inspect(db, kind, chosen, mapping, sheet)
            use = mapping or report.saved
            if report.missing or (use is None and report.needs_mapping):  # a required column not found: ask first
                return report, None, None
            return report, use, service.preview(db, chosen, use, sheet, **year)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, (DomainError, OSError)):
                self._say(f"无法读取文件：{exc}", ERROR_STYLE)
            else:
                show_error(self, exc)

        run_op(self, read, lambda r: self._loaded(chosen, r), failed, label="正在读取文件…")

    def _loaded(self, path: Path, result) -> None:
        if path != self.path:
            return
        self.report, self.mapping, self.preview = result
        self._update()
        self._show_sheets(self.report)
        if self.preview is None:
            self._say(f"文件的列与模板不同：{self.report.mapping_reason()}。请在“列映射”中说明各列是什么。", ERROR_STYLE)
            self.open_mapping()
            return
        p = self.preview
        self.errors.set_rows(list(p.errors))
        self.skipped.set_rows(list(p.skipped))
        self.tabs.setTabText(0, f"有问题的行（{p.invalid_rows}）")
        self.tabs.setTabText(1, f"跳过的行（{len(p.skipped)}）")
        unknown = html.escape("、".join(self.report.unrecognised if self.report else []))
        # rows and columns hidden in Excel are imported too: said where the worker reads what will be written
        hidden = "".join(f"<br><span style='{HIDDEN_STYLE}'>{html.escape(line)}</span>" for line in p.hidden)
        extra = hidden + self._sheets_said(self.report) + (f"<br>未识别的列（不导入）：{unknown}（可点“列映射…”说明）"
                                                   if unknown else "") + (
            "<br>已按上次为此表头保存的列映射读取" if self.report and self.report.saved is not None else "")
        if p.errors:
            self._say(f"预览：共 {p.total_rows} 行，有问题 <b>{p.invalid_rows}</b> 行（{len(p.errors)} 处），"
                      f"按默认不导入任何数据。请改正文件后重新选择。{extra}", ERROR_STYLE)
            self.tabs.setCurrentIndex(0)
        else:
            self._say(f"预览：共 {p.total_rows} 行，{'，'.join(p.lines)}。尚未写入任何数据，点“导入”写入。{extra}")

    def _show_sheets(self, report: ColumnsReport) -> None:
        self.sheet = report.sheet or None
        show_sheets(self.sheet_box, report)

    @staticmethod
    def _sheets_said(report: ColumnsReport | None) -> str:
        """A workbook of several sheets: which was read and which were not (each is imported on its own)."""
        if report is None or len(report.sheets) < 2:
            return ""
        others = [s for s in report.sheets if s != report.sheet]
        return (f"<br>只读取了工作表“{html.escape(report.sheet)}”；另有 {len(others)} 张工作表未读取："
                f"{html.escape('、'.join(others))}（在文件名旁选择工作表，逐张导入）")

    def open_mapping(self) -> MappingDialog | None:
        if self.report is None or self.path is None:
            return None
        dlg = MappingDialog(self, self.ctx.db, self.kind, self.path, self.report, self.sheet)
        path, sheet = self.path, self.sheet
        dlg.record_saved.connect(lambda mapping: self.load(path, mapping, sheet))
        self.mapping_dialog = dlg
        dlg.open()
        return dlg

    # ------------------------------------------------------------------ writing
    def do_import(self) -> None:
        if self.preview is None or self.preview.errors:
            return
        db, plan, kind = self.ctx.db, self.preview, self.kind
        service, what = KINDS[kind][1], KINDS[kind][2]
        if kind == "ledger" and not self._closing_confirmed(plan):
            return
        self.import_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._update()
            if isinstance(exc, DomainError):
                self._say(f"导入未完成，没有写入任何数据：{exc}", ERROR_STYLE)
            else:
                show_error(self, exc)

        def done(count: int) -> None:
            self.preview = None
            self._update()
            self._say(f"已导入 {count} 条（{plan.file_name}）。", OK_STYLE)

        run_op(self, lambda job: service.apply(db, plan), done, failed, label="正在导入…", changes=what)

    def _closing_confirmed(self, plan: HistoryPreview) -> bool:
        """A year's ledger is posted and its ended months closed, which nothing reopens: she says so first."""
        from desktop_app.gui.widgets import common

        months = [m for item in plan.items for m in item.months]
        if not months:
            return True
        first, last = months[0], months[-1]
        span = f"{first.year} 年 {first.month}—{last.month} 月" if first != last else f"{first.year} 年 {first.month} 月"
        return common.ask(self, "导入经费收支明细", (
            f"导入后将结账 {span}（{len(months)} 个月）：结账后这些月份的账不能再修改、也不能取消结账，"
            "错记的只能在以后的月份红字冲销。\n请先核对预览中的笔数和收支合计。确定导入吗？"))

    def save_template(self) -> None:
        from desktop_app.gui.widgets import forms

        path = forms.ask_save_path(self, "保存空白模板", imports.template_name(self.kind))  # 打印文件 under Documents, never the data folder
        if path:
            kind = self.kind
            run_op(self, lambda job: imports.write_template(kind, path),
                   lambda _r: self._say(f"已保存模板：{path}", OK_STYLE), label="正在保存模板…")
