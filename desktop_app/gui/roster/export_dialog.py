"""导出党员名册: which members the file holds, then where it goes and the personal-data warning.

A worker who exports "the roster" from a page that shows 在册党员 (or a branch, or a
search) may mean what the page shows or everyone the roster has kept. The dialog asks,
with both counts, and takes what the page shows unless told otherwise; 全部党员 adds a
状态 column so that who has 转出 or 去世 is plain in the file. When both would hold the
same members it does not ask.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QDialog, QRadioButton, QWidget

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import common, forms
from desktop_app.gui.widgets.layouts import column, hint, ok_cancel, wrapped
from desktop_app.services import roster
from desktop_app.views.roster import MemberFilter

_FILES = "Excel 工作簿 (*.xlsx);;CSV 文件，Excel/WPS 可直接打开 (*.csv)"


class ExportScopeDialog(QDialog):
    """当前筛选结果 (N 人), the default, or 全部党员 (M 人, with a 状态 column)."""

    def __init__(self, parent: QWidget | None, filtered: int, everyone: int, filter_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出党员名册")
        self.current = QRadioButton(f"当前筛选结果（{filtered} 人）")
        self.all = QRadioButton(f"全部党员（{everyone} 人）")
        self.current.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.current)
        group.addButton(self.all)
        column(
            self,
            wrapped("这份名册导出哪些党员？"),
            self.current,
            hint(f"　　名册页现在列出的党员：{filter_text}"),
            self.all,
            hint("　　名册保存的每一名党员，含转出、去世等已不在册的；最后一列“状态”写明各人情况"),
            ok_cancel(self, "下一步…"),
        )
        self.setMinimumWidth(460)

    def everyone(self) -> bool:
        return self.all.isChecked()


def export_members(page: Any) -> None:
    """The roster page's 导出…: count, ask which members, ask where, warn, write off the GUI thread."""
    db, flt = page.ctx.db, page.current_filter()
    org_name = page.branch.currentText() if flt.org_id else ""

    def count(job):
        return roster.export_counts(db, flt)

    def counted(result: tuple[int, int]) -> None:
        filtered, total = result
        if flt == roster.EVERYONE:
            everyone = True  # the page already shows everyone: the file says who has left
        elif filtered == total and flt.reporting is not True:
            everyone = False  # the same members either way: nothing to ask
        else:
            dlg = ExportScopeDialog(page, filtered, total, flt.in_words(org_name))
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return
            everyone = dlg.everyone()
        _save(page, flt, everyone)

    run_op(page, count, counted, label="正在统计要导出的党员…")


def _save(page: Any, flt: MemberFilter, everyone: bool) -> None:
    db = page.ctx.db
    name = f"党员名册{'（全部）' if everyone else ''}{date.today():%Y%m%d}.xlsx"
    path = forms.ask_save_path(page, "导出党员", name, _FILES)
    if path is None:
        return
    if path.suffix.lower() not in (".xlsx", ".csv"):
        common.inform(page, "无法导出", "请选择 .xlsx 或 .csv 文件。")
        return
    from desktop_app.services import privacy

    if not common.ask(page, "导出含个人信息的文件", privacy.PERSONAL_EXPORT_WARNING):
        return

    def export(job):
        if everyone:
            return roster.export_members(db, path, everyone=True)
        return roster.export_members(db, path, flt)

    def done(n: int) -> None:
        counted = f" {n} 名党员" + ("（全部，含转出、去世等）" if everyone else "")
        page.show_message(f"已导出{counted}到 {path}")
        forms.offer_open(page, path, f"已导出{counted}到\n{path}")

    run_op(page, export, done, label="正在导出党员…")
