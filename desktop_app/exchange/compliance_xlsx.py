"""三会一课落实情况表 as an XLSX workbook (branch × kind × month), for those who keep it in a spreadsheet."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.exchange.cells import set_cell
from desktop_app.files import write_atomically
from desktop_app.views.cadence import MARK_NO_QUORUM, MARK_OVERDUE, MARKS_LEGEND, ComplianceSheet

HEADERS = ("党支部", "会议类型", "频次", *(f"{m}月" for m in range(1, 13)), "应开期数", "已开期数", "落实率")
WIDTHS = (22, 14, 10, *(6,) * 12, 9, 9, 8)
_ALARM = PatternFill("solid", fgColor="F8D7DA")


def compliance_workbook(sheet: ComplianceSheet) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{sheet.year}年三会一课"
    ws.cell(row=1, column=1, value=f"{sheet.center_name}{sheet.year}年度三会一课落实情况表").font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=f"统计截至 {sheet.today.isoformat()}")
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E6E6E6")
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    row = 4
    for line in sheet.lines:
        values = [line.branch, line.kind, line.cadence, *line.months, line.required, line.done, line.rate]
        for col, value in enumerate(values, start=1):
            cell = set_cell(ws, row, col, value)  # a branch named "=..." stays text
            if 4 <= col <= 15:
                cell.alignment = Alignment(horizontal="center")
                if value in (MARK_OVERDUE, MARK_NO_QUORUM):
                    cell.fill = _ALARM
        row += 1
    ws.freeze_panes = "D4"
    row += 1
    if sheet.secretary_lecture:
        ws.cell(row=row, column=1, value="书记讲党课").font = bold
        row += 1
        for branch, done in sheet.secretary_lecture:
            set_cell(ws, row, 1, branch)
            ws.cell(row=row, column=2, value="已讲" if done else "未讲")
            row += 1
    for note in (*sheet.notes, MARKS_LEGEND):
        set_cell(ws, row, 1, note)
        row += 1
    return wb


def export_compliance(sheet: ComplianceSheet, out: Path | str) -> int:
    """Write the sheet to `out` (.xlsx) atomically; returns the number of rows written."""
    buffer = BytesIO()
    compliance_workbook(sheet).save(buffer)
    write_atomically(Path(out), buffer.getvalue(), private=False)
    return len(sheet.lines)
