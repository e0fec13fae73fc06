"""导入出勤's files in the meetings page: the open-file picker (workbooks and CSV) and the template.

Kept apart from the page so that the picker's filters and the template's save are one call each:
the page's 导入出勤 asks `ask_file`, a 下载出勤模板 action calls `save_template`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.gui.ops import run_op
from desktop_app.gui.widgets import forms
from desktop_app.services.meetings import attendance_import

FILTERS = forms.sheets_to_import("出勤表格")
TEMPLATE_FILTERS = f"{forms.XLSX};;{forms.CSV}"  # the workbook first, as every other import's template


def ask_file(parent: Any) -> Path | None:
    """The attendance file to import: .xlsx, .xls, .ods or .csv (starts in Documents, refuses the data folder)."""
    return forms.ask_open_path(parent, "导入出勤", FILTERS)


def save_template(page: Any, meeting_id: str | None = None) -> None:
    """Save the template (.xlsx unless CSV is chosen); with `meeting_id`, that meeting's list to tick off."""
    path = forms.ask_save_path(page, "保存出勤导入模板", attendance_import.TEMPLATE_NAME, TEMPLATE_FILTERS)
    if path is None:
        return
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".xlsx")  # a name typed as 签到.2025 is still a workbook
    db = page.ctx.db

    def saved(_r: Any) -> None:
        page.show_message(f"出勤导入模板已保存到 {path}")
        forms.offer_open(page, path, f"出勤导入模板已保存到\n{path}")

    run_op(page, lambda job: attendance_import.write_template(db, path, meeting_id), saved,
           label="正在保存模板…")
