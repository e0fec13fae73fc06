"""The list sheet types the texts a page shows back: dates, amounts of 元 columns exactly, counts; codes stay text."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from desktop_app.exchange import table_xlsx


def test_cells_are_typed_by_column_and_codes_keep_their_zeros(tmp_path):
    out = tmp_path / "list.xlsx"
    headers = ["编号", "日期", "金额（元）", "人数", "备注", "门牌"]
    rows = [["001", "2026-12-06", "1,524.99", "3", "=HYPERLINK(\"x\")", "0101"],
            ["002", "", "-5.00", "", "2026-13-01", "12"]]
    assert table_xlsx.export_table("示例:清单（已认领）", "导出时间：2026-12-06 10:00", headers, rows, out) == 2
    ws = load_workbook(out).active
    assert ws.title == "示例_清单" and ws.freeze_panes == "A4"
    first, second = (list(r) for r in ws.iter_rows(min_row=4, values_only=True))
    assert first[0] == "001" and first[5] == "0101" and second[5] == "12"  # a column with a leading zero is text
    assert first[1] == datetime(2026, 12, 6) and second[1] is None
    assert Decimal(str(first[2])) == Decimal("1524.99") and Decimal(str(second[2])) == Decimal("-5")
    assert first[3] == 3 and second[3] is None
    assert first[4] == "=HYPERLINK(\"x\")" and second[4] == "2026-13-01"  # formula-like text stays text
    assert ws.cell(row=4, column=3).number_format == table_xlsx.YUAN_FORMAT


def test_sheet_names_excel_accepts():
    assert table_xlsx.sheet_name("a/b[c]") == "a_b_c_" and len(table_xlsx.sheet_name("长" * 40)) == 31
