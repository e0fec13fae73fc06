"""Files as an attacker or a careless user makes them: formulas stay text, hostile workbooks are refused by name."""

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import attendance, cells, safety
from desktop_app.exchange import members as ex
from desktop_app.exchange.ledger_xlsx import export_entries

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /c calc'!A1", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1", "'=already", "''=twice", "'plain", "普通文字"]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("text", HOSTILE + ["", "-", "'", "=", "'''"])
def test_csv_guard_round_trips(text):
    guarded = cells.guard_csv(text)
    assert cells.unguard_csv(guarded) == text
    if text[:1] in cells.TRIGGERS:
        assert guarded.startswith("'")


def record(name: str, notes: str = "") -> dict:
    rec = {c: None for c in ex.TEMPLATE_COLUMNS}
    rec.update({"姓名": name, "公民身份号码": "11010519491231002X", "备注": notes, "家庭住址": "-3号楼",
                "加入党组织日期": date(1980, 1, 1)})
    return rec


def test_member_xlsx_export_writes_no_formula_and_reads_back_unchanged(tmp_path):
    out = tmp_path / "m.xlsx"
    ex.write_members(out, [record(t, t) for t in HOSTILE if "\t" not in t and "\r" not in t])
    assert "<f>" not in sheet_xml(out) and "<f " not in sheet_xml(out)
    header, rows = ex.read_table(out)
    names = [r[header.index("姓名")] for r in rows]
    assert names == [t for t in HOSTILE if "\t" not in t and "\r" not in t]


def test_member_csv_export_guards_with_an_apostrophe_and_reads_back_unchanged(tmp_path):
    out = tmp_path / "m.csv"
    ex.write_members(out, [record(t, t) for t in HOSTILE])
    raw = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"), newline="")))
    column = raw[0].index("姓名")
    for row, text in zip(raw[1:], HOSTILE):
        assert row[column][:1] not in cells.TRIGGERS
    header, rows = ex.read_table(out)
    assert [r[header.index("备注")] for r in rows] == HOSTILE
    assert {r[header.index("家庭住址")] for r in rows} == {"-3号楼"}
    assert all(r[header.index("公民身份号码")] == "\t11010519491231002X" or
               r[header.index("公民身份号码")] == "11010519491231002X" for r in rows)


def test_ledger_xlsx_memo_and_counterparty_are_string_cells(tmp_path):
    from desktop_app.views.ledger import EntryRow

    entry = EntryRow(id="e1", voucher_no="2026-0001", entry_date=date(2026, 1, 2), account_id="a",
                     account_name="-现金", direction="收入", amount_fen=100, category="其他",
                     counterparty=HOSTILE[1], handler="@张三", entered_by="李四", memo=HOSTILE[0])
    out = tmp_path / "l.xlsx"
    export_entries([entry], out)
    xml = sheet_xml(out)
    assert "<f>" not in xml
    ws = load_workbook(out).active
    assert ws.cell(row=2, column=6).value == HOSTILE[0]
    assert ws.cell(row=2, column=6).data_type == "s"
    assert ws.cell(row=2, column=7).value == HOSTILE[1]


def test_attendance_template_guards_and_its_reader_unguards(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("会议编号,姓名,出勤情况,请假原因\r\nM-1,'=张三,出席,'-外出\r\nM-1,'3201,出席,\r\n",
                    encoding="utf-8-sig")
    parsed = attendance.parse(path)
    assert parsed.lines[0].name == "=张三"
    assert parsed.lines[0].reason == "-外出"
    assert parsed.lines[1].name == "3201"


# ---------------------------------------------------------------- hostile files

def test_a_huge_declared_dimension_is_not_trusted(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码"])
    ws.append(["张三", "11010519491231002X"])
    path = tmp_path / "dim.xlsx"
    wb.save(path)
    # Rewrite the sheet's dimension to the whole grid, as the 1.9 KB attack file does.
    src = zipfile.ZipFile(path)
    parts = {n: src.read(n) for n in src.namelist()}
    src.close()
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', parts[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    header, rows = ex.read_table(path)
    assert header == ["姓名", "公民身份号码"]
    assert rows == [["张三", "11010519491231002X"]]


def test_a_zip_that_inflates_too_far_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_INFLATED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (4 * 1024 * 1024))
    with pytest.raises(DomainError, match=r"bomb\.xlsx：.*解压后"):
        ex.read_table(path)


def test_broken_sheet_xml_is_a_domain_error_naming_the_file(tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    src = zipfile.ZipFile(path)
    parts = {n: src.read(n) for n in src.namelist()}
    src.close()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40] + b"<row><c"
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    with pytest.raises(DomainError, match=r"broken\.xlsx"):
        ex.read_table(path)


def test_rows_columns_and_cell_length_are_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_ROWS", 5)
    path = tmp_path / "rows.csv"
    path.write_text("姓名,公民身份号码\n" + "张三,1\n" * 10, encoding="utf-8")
    with pytest.raises(DomainError, match="超过 5 行"):
        ex.read_table(path)
    path.write_text("姓名,公民身份号码\n" + "张" * (safety.MAX_CELL_CHARS + 1) + ",1\n", encoding="utf-8")
    with pytest.raises(DomainError, match="第 2 行“第 1 列”"):
        ex.read_table(path)
    path.write_text("姓名,公民身份号码" + ",x" * safety.MAX_COLUMNS + "\n", encoding="utf-8")
    with pytest.raises(DomainError, match="超过 200 列"):
        ex.read_table(path)


def test_utf16_tab_separated_unicode_text_from_excel_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("姓名\t公民身份号码\r\n张三\t11010519491231002X\r\n".encode("utf-16"))
    header, rows = ex.read_table(path)
    assert header == ["姓名", "公民身份号码"] and rows == [["张三", "11010519491231002X"]]
    path = tmp_path / "unicode.csv"
    path.write_bytes("会议编号\t姓名\t出勤情况\r\nM-1\t张三\t出席\r\n".encode("utf-16"))
    assert attendance.parse(path).lines[0].name == "张三"


def test_a_stray_cell_far_below_is_refused_by_row_count_and_blank_tails_are_dropped(tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码"])
    ws.append(["张三", "11010519491231002X"])
    ws.cell(row=500, column=1).number_format = "@"  # formatting only: a blank row
    path = tmp_path / "tail.xlsx"
    wb.save(path)
    assert ex.read_table(path)[1] == [["张三", "11010519491231002X"]]
    ws.cell(row=900, column=3, value="x")
    wb.save(path)
    monkeypatch.setattr(safety, "MAX_ROWS", 800)
    with pytest.raises(DomainError, match="超过 800 行"):
        ex.read_table(path)


def test_the_cell_budget_bounds_a_wide_and_long_table(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_CELLS", 100)
    path = tmp_path / "wide.csv"
    path.write_text("姓名,公民身份号码" + ",备注" * 20 + "\n" + "张三,1\n" * 10, encoding="utf-8")
    with pytest.raises(DomainError, match="表格过大"):
        ex.read_table(path)


def test_an_old_record_with_a_control_character_does_not_break_the_xlsx_export(tmp_path):
    out = tmp_path / "old.xlsx"
    ex.write_members(out, [record("张\x1b三", "备\x00注")])
    header, rows = ex.read_table(out)
    assert rows[0][header.index("姓名")] == "张\\x1b三"
    assert rows[0][header.index("备注")] == "备\\x00注"
