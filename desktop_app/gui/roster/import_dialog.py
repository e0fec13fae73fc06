"""导入党员: pick a CSV/XLSX file, see what it would do, then (and only then) import.

The preview lists the rows to add, the rows that would update a member already
on the roster (matched by ID number, with the fields that change), every bad
row with its row number, column, value and reason, and the branches the file
names that do not exist yet. Nothing is written until 导入 is pressed; a file
with bad rows imports nothing unless "只导入正确的行" is ticked. A file made for
another system whose headers are not all recognised first goes through the
列映射 step (also on request); a mapping saved for its layout is used at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.gui import icons
from desktop_app.gui.errors import show_error
from desktop_app.gui.imports.mapping_dialog import MappingDialog, show_sheets
from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets.table import Column, ColumnModel
from desktop_app.gui.widgets.layouts import panel, wrapped
from desktop_app.services import imports
from desktop_app.services import orgs as org_service
from desktop_app.services import roster
from desktop_app.services.database import Database
from desktop_app.services.roster.all_sheets import ALL_SHEETS
from desktop_app.views.changes import Change, changes
from desktop_app.views.imports import ColumnsReport, Mapping
from desktop_app.views.roster import ImportPreview, ImportResult, RowError

ERROR_STYLE = "color: #c8161e;"
WARNING_STYLE = "color: #a05a00;"  # as the member form's warnings: to check, not to fix
OK_STYLE = "color: #1b7a1b;"


def _model(headers: Sequence[str], items: Sequence[Any], cells: Callable[[Any], Sequence[str]],
           widths: Sequence[int], parent: QWidget) -> ColumnModel:
    """The kit's table model over preview items; cells are computed when drawn (a preview may hold 100,000 rows)."""
    def column(i: int, title: str) -> Column:
        text = (lambda item: str(cells(item)[i]))
        return Column(title, text, width=widths[i] if i < len(widths) else 80, tooltip=text)

    model = ColumnModel([column(i, h) for i, h in enumerate(headers)], parent=parent)
    model.set_rows(items)
    return model


# ------------------------------------------------------------------ preview rows -> cells

def _update_cells(item: tuple[str, MemberInput, list[str]]) -> list[str]:
    _member_id, inp, changed = item
    return [inp.name, idcard.mask(inp.id_number), "、".join(changed)]


def _error_cells(e: RowError, names: dict) -> list[str]:
    # 全部工作表 names a row by its sheet too (第二支部 5), and keys its names so
    return [e.row_label, names.get(e.row_label) or names.get(e.row_number, ""), e.field, e.value, e.reason]


def _warning_cells(e: RowError) -> list[str]:
    return [e.row_label if e.row_number else "全表", e.reason]  # row 0: the workbook's, not a row's


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, db: Database, *, today: date | None = None,
                 path: str | Path | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.preview: ImportPreview | None = None
        self.result_summary: ImportResult | None = None  # set once imported
        self.path: Path | None = None
        self.report: ColumnsReport | None = None  # how the file's columns read
        self.mapping: Mapping | None = None  # the column mapping in use (given, or saved for the layout)
        self.mapping_dialog: MappingDialog | None = None
        self.sheet: str | None = None  # the workbook's sheet chosen (None: the first with a header; or ALL_SHEETS)
        self.setWindowTitle("导入党员")

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("选择要导入的 Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）或 CSV 文件")
        self.choose_button = QPushButton(icons.get("open"), "选择文件…")
        self.choose_button.clicked.connect(self.choose_file)
        self.map_button = QPushButton("列映射…")
        self.map_button.setToolTip("说明文件中各列是什么（其他系统导出的表格）")
        self.map_button.clicked.connect(self.open_mapping)
        self.reload_button = QPushButton(icons.get("refresh"), "重新读取")
        self.reload_button.setToolTip("文件改好后再读一遍（同一文件、同一工作表和列映射）")
        self.reload_button.clicked.connect(self.reload)
        self.sheet_box = QComboBox()
        self.sheet_box.setToolTip("工作簿中要导入的工作表；一支部一张表的，选“全部工作表”一次导入")
        self.sheet_box.hide()
        self.sheet_box.activated.connect(lambda _i: self.path and self.load(self.path, self.sheet_box.currentText()))
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.sheet_box)
        row.addWidget(self.choose_button)
        row.addWidget(self.map_button)
        row.addWidget(self.reload_button)
        hint = QLabel("可以是“党员信息导入模板”，也可以是其他系统导出的表格：按列名和内容识别各列，"
                      "认不出的列在“列映射”中说明；说明行、合计行、落款行（制表人、日期）自动跳过。CSV 可以是 UTF-8 或 GBK 编码。"
                      "按公民身份号码识别已在名册中的党员。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.summary = wrapped("尚未选择文件。")
        self.summary.setStyleSheet("font-size: 14px; padding: 4px 0;")

        self.tabs = QTabWidget()
        self.add_view = self._view()
        self.update_view = self._view()
        self.error_view = self._view()
        self.warning_view = self._view()
        self.branch_view = self._view()
        self.update_note = wrapped()
        self.update_note.setStyleSheet("color: #a05a00;")
        update_page = panel(self.update_note, self.update_view)
        self.error_detail = wrapped()
        self.error_detail.setStyleSheet(ERROR_STYLE)
        self.error_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error_page = panel((self.error_view, 1), self.error_detail)
        self.tabs.addTab(self.add_view, "新增")
        self.tabs.addTab(update_page, "更新")
        self.tabs.addTab(error_page, "有问题的行")
        self.tabs.addTab(self.branch_view, "新建党支部")
        self.tabs.addTab(self.warning_view, "提示")
        self.tabs.setTabIcon(2, icons.get("warning", icons.ACCENT))
        self._org_names: dict[str, str] = {}

        self.update_existing = QCheckBox("更新已有党员（用文件中的内容覆盖名册中同一身份证号的党员）")
        self.skip_invalid = QCheckBox("只导入正确的行（跳过有问题的行）")
        self.update_existing.toggled.connect(self._update_state)
        self.skip_invalid.toggled.connect(self._update_state)

        self.state = wrapped()

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setIcon(icons.get("import"))
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.do_import)
        self.close_button.clicked.connect(self.reject)
        self.import_button.setDefault(False)
        self.import_button.setAutoDefault(False)

        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(hint)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.update_existing)
        lay.addWidget(self.skip_invalid)
        lay.addWidget(self.state)
        lay.addWidget(self.buttons)
        self.resize(920, 620)
        self._update_state()
        if path is not None:
            self.load(path)

    @staticmethod
    def _view() -> QTableView:
        view = QTableView()
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _fill(self, view: QTableView, headers: Sequence[str], items: Sequence[Any],
              cells: Callable[[Any], Sequence[str]], widths: Sequence[int]) -> None:
        old = view.model()
        view.setModel(_model(headers, items, cells, widths, view))
        if old is not None:
            old.deleteLater()
        for col, width in enumerate(widths):
            view.horizontalHeader().resizeSection(col, width)

    # ------------------------------------------------------------------ preview
    def choose_file(self) -> None:
        from desktop_app.gui.widgets.forms import ask_open_path, sheets_to_import  # starts in Documents

        path = ask_open_path(self, "选择要导入的文件", sheets_to_import("党员名单"))
        if path:
            self.load(path)

    def load(self, path: str | Path, sheet: str | None = None, mapping: Mapping | None = None) -> None:
        """Read the file and show what an import would do; writes nothing.

        Headers that are not all recognised (and no mapping saved for them) stop at
        the 列映射 step; the preview follows once the user has said what the columns are.
        """
        self.path = Path(path)
        self.sheet = sheet
        self.mapping = mapping
        self.file_edit.setText(str(self.path))
        self.preview = None
        self.result_summary = None
        self._set_message(self.summary, "正在读取文件…")
        self._update_state()
        db, today, chosen = self.db, self.today, self.path

        one = None if sheet == ALL_SHEETS else sheet  # the columns of all sheets read as the first one's

        def read(job):
            report = imports.inspect(db, "members", chosen, mapping, one)
            use = mapping or report.saved
            if report.missing or (use is None and report.needs_mapping):
                return report, None, {}  # the 列映射 step first
            names = {n.id: n.name for n in org_service.list_tree(db)}
            return report, roster.preview_import(db, chosen, today=today, mapping=use, sheet=sheet), names

        def failed(exc: BaseException) -> None:
            if isinstance(exc, (DomainError, OSError, ValueError, UnicodeError)):
                self._set_message(self.summary, f"无法读取文件：{exc}", ERROR_STYLE)
                self._show_preview(None)
            else:
                self._set_message(self.summary, "无法读取文件。", ERROR_STYLE)
                show_error(self, exc)

        run_op(self, read, lambda p: self._loaded(chosen, p), failed, label="正在读取文件…")

    def reload(self) -> None:
        """Read the same file again after it was corrected, keeping the sheet and the column mapping."""
        if self.path is not None:
            self.load(self.path, self.sheet, self.mapping)

    def _loaded(self, path: Path, result: tuple[ColumnsReport, ImportPreview | None, dict[str, str]]) -> None:
        if path != self.path:
            return  # the user picked another file meanwhile
        self.report, self.preview, self._org_names = result
        self.mapping = self.mapping or self.report.saved
        self._show_sheets(self.report)
        if self.preview is None:
            self._show_preview(None)
            self._set_message(self.summary, f"文件的表头与党员信息导入模板不同：{self.report.mapping_reason()}。"
                              "请在“列映射”中说明各列是什么。", ERROR_STYLE)
            self.open_mapping()
            return
        self._show_preview(self.preview)

    def _show_sheets(self, report: ColumnsReport) -> None:
        show_sheets(self.sheet_box, report)
        if len(report.sheets) > 1:  # one sheet per branch: all of them in one preview, one import
            self.sheet_box.blockSignals(True)
            self.sheet_box.addItem(ALL_SHEETS)
            if self.sheet == ALL_SHEETS:
                self.sheet_box.setCurrentText(ALL_SHEETS)
            self.sheet_box.blockSignals(False)

    def open_mapping(self) -> MappingDialog | None:
        """The 列映射 step for the file loaded (not modal: the caller, or a test, answers it)."""
        if self.report is None or self.path is None:
            return None
        dlg = MappingDialog(self, self.db, "members", self.path, self.report,
                            None if self.sheet == ALL_SHEETS else self.sheet)
        path, sheet = self.path, self.sheet
        dlg.record_saved.connect(lambda mapping: self.load(path, sheet, mapping))
        self.mapping_dialog = dlg
        dlg.open()
        return dlg

    def _add_cells(self, inp: MemberInput) -> list[str]:
        if inp.org_name and not inp.org_id:
            branch = f"{inp.org_name}（新建）"
        else:
            # the branch's name, also when the file names it by path or code
            branch = self._org_names.get(inp.org_id or "", "") or inp.org_name
        return [
            inp.name, branch, idcard.mask(inp.id_number), inp.gender, inp.category,
            rules.format_date(inp.joined_date),
        ]

    def _show_preview(self, p: ImportPreview | None) -> None:
        to_add = p.to_add if p else []
        to_update = p.to_update if p else []
        errors = p.errors if p else []
        warnings = p.warnings if p else []
        branches = p.new_branches if p else []
        self._fill(self.add_view, ("姓名", "所在党支部", "公民身份号码", "性别", "人员类别", "加入党组织日期"),
                   to_add, self._add_cells, (90, 190, 170, 50, 80))
        self._fill(self.update_view, ("姓名", "公民身份号码", "有变化的内容"), to_update, _update_cells, (90, 170))
        names = p.error_names if p else {}
        row_width = 150 if any(e.sheet for e in (*errors, *warnings)) else 56  # 第三支部（退休） 3: the sheet too
        self._fill(self.error_view, ("行号", "姓名", "列", "内容", "原因"), errors,
                   lambda e: _error_cells(e, names), (row_width, 80, 120, 170))
        self.error_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.error_detail.setText(errors[cur.row()].message() if cur.isValid() else "")
        )
        self.error_detail.setText(errors[0].message() if errors else "")
        self._fill(self.branch_view, ("将在本单位党委下新建的党支部",), branches, lambda b: [b], ())
        self._fill(self.warning_view, ("行号", "请注意（不影响导入）"), warnings, _warning_cells, (row_width,))
        self.tabs.setTabText(0, f"新增（{len(to_add)}）")
        self.tabs.setTabText(1, f"更新（{len(to_update)}）")
        self.tabs.setTabText(2, f"有问题的行（{p.invalid_rows if p else 0}）")
        self.tabs.setTabText(3, f"新建党支部（{len(branches)}）")
        self.tabs.setTabText(4, f"提示（{len(warnings)}）")
        if p is not None:
            parts = [f"共 {p.total_rows} 行", f"新增 <b>{len(to_add)}</b> 名", f"信息有变化 <b>{len(to_update)}</b> 名"]
            if p.read_as_probationary:  # the file has no 人员类别: say whom its dates made 预备党员
                parts.append(f"其中未填人员类别、按入党不满一年读作预备党员 {len(p.read_as_probationary)} 名（见“提示”）")
            if p.unchanged:
                parts.append(f"已在名册且无变化 {p.unchanged} 名")
            if hidden := p.hidden_text():  # a filtered sheet: rows the worker does not see are imported too
                parts.append(f"<span style='{WARNING_STYLE}'>{html.escape(hidden)}</span>")
            if errors:
                parts.append(f"<span style='{ERROR_STYLE}'>有问题 <b>{p.invalid_rows}</b> 行（{len(errors)} 处）</span>")
            if branches:
                parts.append(f"将新建党支部 {len(branches)} 个")
            ignored = f"<br>未识别的列（不导入）：{'、'.join(p.ignored_columns)}" if p.ignored_columns else ""
            skipped = sum(1 for w in warnings if not w.field and w.reason.endswith("已跳过"))
            if skipped:
                ignored += f"<br>跳过说明行、合计行、落款行 {skipped} 行（见“提示”）"
            for w in warnings:  # the sheet read and the ones left, the branch a sheet's name gives: said up front
                if not w.row_number:
                    ignored += f"<br>{html.escape(w.reason)}"
            if spelt := sum(1 for w in warnings if w.row_number and w.field == "所在党支部"):
                ignored += f"<br>所在党支部的写法请核对 {spelt} 处（见“提示”）"
            if self.report is not None and self.report.saved is not None and self.mapping is self.report.saved:
                ignored += "<br>已按上次为此表头保存的列映射读取（可点“列映射…”修改）"
            self._set_message(self.summary, "预览：" + "，".join(parts) + "。尚未写入任何数据。" + ignored)
            if errors:
                self.tabs.setCurrentIndex(2)
            elif not to_add and to_update:
                self.tabs.setCurrentIndex(1)
            else:
                self.tabs.setCurrentIndex(0)
        self._update_state()

    # ------------------------------------------------------------------ state
    @staticmethod
    def _set_message(label: QLabel, text: str, style: str = "") -> None:
        label.setText(text)
        label.setStyleSheet(f"font-size: 14px; padding: 4px 0; {style}")

    def _counts(self) -> tuple[int, int, int, int]:
        p = self.preview
        if p is None:
            return 0, 0, 0, 0
        return len(p.to_add), len(p.to_update), len(p.errors), len(p.new_branches)

    def can_import(self) -> bool:
        if self.preview is None or self.result_summary is not None:
            return False
        adds, updates, errors, _branches = self._counts()
        if errors and not self.skip_invalid.isChecked():
            return False
        return bool(adds or (updates and self.update_existing.isChecked()))

    def _update_state(self) -> None:
        adds, updates, errors, branches = self._counts()
        done = self.result_summary is not None
        self.map_button.setEnabled(self.report is not None and not done)
        self.reload_button.setEnabled(self.path is not None)
        self.update_existing.setEnabled(self.preview is not None and not done)
        self.skip_invalid.setEnabled(self.preview is not None and not done and errors > 0)
        self.import_button.setEnabled(self.can_import())
        if updates:
            self.update_note.setText(
                "这些党员已在名册中（按公民身份号码）。" + (
                    "导入时将按文件更新下列内容。" if self.update_existing.isChecked()
                    else "未勾选“更新已有党员”，导入时不会改动他们。"
                )
            )
            self.update_note.show()
        else:
            self.update_note.hide()
        if done or self.preview is None:
            if not done:
                self.state.clear()
            return
        if errors and not self.skip_invalid.isChecked():
            self._set_message(self.state, "文件中有问题的行，按默认不导入任何数据。请修改文件后点“重新读取”，"
                              "或勾选“只导入正确的行”。", ERROR_STYLE)
        elif not self.can_import():
            self._set_message(self.state, "没有需要导入的党员。")
        else:
            n = adds + (updates if self.update_existing.isChecked() else 0)
            extra = f"，并新建 {branches} 个党支部" if branches else ""
            self._set_message(self.state, f"点“导入”写入 {n} 名党员{extra}。")

    # ------------------------------------------------------------------ import
    def do_import(self) -> None:
        if not self.can_import():
            return
        db, preview = self.db, self.preview
        skip, update = self.skip_invalid.isChecked(), self.update_existing.isChecked()
        self.import_button.setEnabled(False)

        def write(job):
            return roster.apply_import(db, preview, skip_invalid=skip, update_existing=update)

        def failed(exc: BaseException) -> None:
            self._update_state()
            if isinstance(exc, DomainError):
                self._set_message(self.state, f"导入未完成，名册没有任何改动：{exc}", ERROR_STYLE)
            else:
                show_error(self, exc)

        # An import may create branches as well as members.
        run_op(self, write, self._imported, failed, label="正在导入党员…",
               changes=changes(Change.MEMBERS, Change.ORGS))

    def _imported(self, result: ImportResult) -> None:
        self.result_summary = result
        self._set_message(self.summary, f"已导入 {self.path.name if self.path else ''}。")
        self._set_message(self.state, self.result_summary_text(), OK_STYLE)
        self.close_button.setText("完成")
        self._update_state()

    def result_summary_text(self) -> str:
        r = self.result_summary
        if r is None:
            return ""
        # 新增 is said even when 0; the other counts only when there are any.
        others = (("更新 {} 名", r.updated), ("无变化 {} 名", r.unchanged),
                  ("已在名册未更新 {} 名", r.skipped_existing), ("跳过有问题的行 {} 行", r.skipped_invalid),
                  ("登记流出 {} 人", r.outings))
        parts = [f"新增 {r.added} 名"] + [said.format(n) for said, n in others if n]
        text = "导入完成：" + "，".join(parts) + "。"
        if r.branches_created:
            text += f"新建党支部：{'、'.join(r.branches_created)}。"
        return text
