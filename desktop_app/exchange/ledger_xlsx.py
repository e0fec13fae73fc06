"""XLSX export of ledger entries: amounts as numbers shown as yuan, dates as dates, atomic write.

Amounts go into the sheet as exact Decimals (never float arithmetic here), so a
spreadsheet SUM over the column gives the ledger's figures; the cells carry a
yuan number format. The file appears only once complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.domain.money import fen_to_decimal
from desktop_app.exchange.cells import set_cell
from desktop_app.files import write_atomically
from desktop_app.views.ledger import EntryRow

YUAN_FORMAT = "#,##0.00;[Red]-#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

# (header, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("凭证号", 12), ("日期", 12), ("账户", 18), ("收支", 6), ("类别", 10), ("摘要", 40),
    ("收/付款方", 18), ("收入（元）", 14), ("支出（元）", 14), ("经办人", 8), ("录入人", 8),
    ("冲销关系", 22), ("附件", 6),
)
INCOME_COL, EXPENSE_COL = 8, 9  # 1-based


def _relation(e: EntryRow) -> str:
    if e.is_reversal:
        return f"冲销 {e.reversal_of_voucher}"
    if e.reversed_by_voucher:
        return f"已被 {e.reversed_by_voucher} 冲销"
    return ""


def entries_workbook(entries: Sequence[EntryRow], sheet_title: str = "收支明细") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E6E6E6")
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    income = expense = 0
    for row, e in enumerate(entries, start=2):
        values = [
            e.voucher_no, e.entry_date, e.account_name, e.direction, e.category, e.memo, e.counterparty,
            fen_to_decimal(e.amount_fen) if e.direction == "收入" else None,
            fen_to_decimal(e.amount_fen) if e.direction == "支出" else None,
            e.handler, e.entered_by, _relation(e), e.attachments or None,
        ]
        for col, value in enumerate(values, start=1):
            set_cell(ws, row, col, value)  # a memo "=HYPERLINK(...)" stays text
        ws.cell(row=row, column=2).number_format = DATE_FORMAT
        for col in (INCOME_COL, EXPENSE_COL):
            ws.cell(row=row, column=col).number_format = YUAN_FORMAT
        income += e.income_fen
        expense += e.expense_fen
    total_row = len(entries) + 2
    ws.cell(row=total_row, column=1, value="合计").font = bold
    for col, fen in ((INCOME_COL, income), (EXPENSE_COL, expense)):
        cell = ws.cell(row=total_row, column=col, value=fen_to_decimal(fen))
        cell.number_format, cell.font = YUAN_FORMAT, bold
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(total_row - 1, 1)}"
    return wb


def export_entries(entries: Sequence[EntryRow], out: Path | str, sheet_title: str = "收支明细") -> int:
    """Write the entries to `out` (.xlsx); returns the number of entries written."""
    buffer = BytesIO()
    entries_workbook(entries, sheet_title).save(buffer)
    write_atomically(Path(out), buffer.getvalue(), private=False)
    return len(entries)
