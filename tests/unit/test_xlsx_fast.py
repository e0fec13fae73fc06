"""Workbooks read through calamine give the rows openpyxl gives, and a workbook calamine would choke on never reaches it."""

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import DomainError
from desktop_app.exchange import sheets, xlsx_fast

pytest.importorskip("python_calamine")


def _slow(monkeypatch, path):
    with monkeypatch.context() as m:
        m.setattr(xlsx_fast, "open_sheets", lambda p: None)
        return sheets.read_records(path)


def test_the_rows_are_those_openpyxl_reads(tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.title = "党员信息"
    ws.append(["姓名", "序号", "金额", "日期", "时间", "空", "布尔", "公式", "身份证"])
    ws.append(["张三", 1, 1.5, date(1985, 3, 2), datetime(2020, 1, 2, 3, 4), None, True, "=1+1", 1.10105e17])
    ws.append([None] * 9)
    ws.append(["  李四 ", 7, 3.0, "1985-03-02", None, "", False, None, "11010519491231002X"])
    notes = wb.create_sheet("填写说明")
    notes.append(["说明"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    called = []
    real = xlsx_fast.open_sheets
    monkeypatch.setattr(xlsx_fast, "open_sheets", lambda p: called.append(p) or real(p))
    fast = sheets.read_records(path)
    assert called and xlsx_fast.safe_for_calamine(path)
    slow = _slow(monkeypatch, path)
    assert (fast.records, fast.sheets, fast.sheet, fast.name) == (slow.records, slow.sheets, slow.sheet, slow.name)
    assert sheets.read_records(path, "填写说明").records == _slow(monkeypatch, path).records[:0] + [["说明"]]


def _workbook_with_a_far_cell(path, row: int, column: int):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "姓名"
    ws["B1"] = "公民身份号码"
    ws.cell(row=row, column=column, value="x")
    wb.save(path)
    return path


@pytest.mark.parametrize("row, column", [(1048576, 16384), (3, 500), (250_000, 2), (40_000, 60)])
def test_a_cell_far_out_is_left_to_openpyxl_which_applies_the_limits(tmp_path, row, column):
    # Calamine would lay out one dense block up to that cell; at XFD1048576 the process aborts.
    path = _workbook_with_a_far_cell(tmp_path / "far.xlsx", row, column)
    assert not xlsx_fast.safe_for_calamine(path)
    try:
        sheets.read_records(path)
    except DomainError:
        pass


def test_a_wide_but_short_sheet_is_read_by_calamine(tmp_path):
    assert xlsx_fast.safe_for_calamine(_workbook_with_a_far_cell(tmp_path / "ok.xlsx", 20_000, 60))
    assert xlsx_fast.safe_for_calamine(_workbook_with_a_far_cell(tmp_path / "ok2.xlsx", 150_000, 20))


def _rewritten(src, dst, old: bytes, new: bytes):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            zout.writestr(info, data)
    return dst


@pytest.mark.parametrize("old, new", [
    (b'<c r="B1"', b'<c'),  # placed by counting, not by its reference
    (b'<c r="B1"', b'<c t="s" r="B1"'),  # reference not first
    (b'<c r="B1"', b'<x:c r="B1"'),  # a prefixed element
    (b'<c r="B1"', b"<c r='&#88;FD9'"),  # a character reference
    (b'<row r="1"', b'<row r="1048576"'),
])
def test_cells_and_rows_calamine_might_place_far_away_are_left_to_openpyxl(tmp_path, old, new):
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    wb.save(tmp_path / "a.xlsx")
    assert xlsx_fast.safe_for_calamine(tmp_path / "a.xlsx")
    assert not xlsx_fast.safe_for_calamine(_rewritten(tmp_path / "a.xlsx", tmp_path / "b.xlsx", old, new))


def test_a_damaged_workbook_is_refused_with_a_message_not_a_crash(tmp_path):
    path = tmp_path / "bad.xlsx"
    wb = Workbook()
    wb.active.append(["姓名"])
    wb.save(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    with pytest.raises(DomainError, match="bad.xlsx"):
        sheets.read_records(path)


@pytest.mark.parametrize("first", ["A3", "C1", "C3"])
def test_a_sheet_that_starts_below_or_right_of_a1_keeps_its_row_and_column_numbers(tmp_path, monkeypatch, first):
    wb = Workbook()
    ws = wb.active
    ws[first] = "姓名"
    ws.cell(row=ws[first].row + 1, column=ws[first].column + 1, value=5)
    path = tmp_path / "off.xlsx"
    wb.save(path)
    assert xlsx_fast.safe_for_calamine(path)
    assert sheets.read_records(path).records == _slow(monkeypatch, path).records


def _hiding(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "党员信息"
    for i in range(1, 8):
        ws.append([f"党员{i}", i])
    for r in rows:
        ws.row_dimensions[r].hidden = True
    wb.save(path)


def test_the_hidden_rows_noted_by_the_scan_are_those_a_scan_of_the_sheet_finds(tmp_path, monkeypatch):
    path = tmp_path / "花名册.xlsx"
    _hiding(path, [3, 5])
    assert xlsx_fast.safe_for_calamine(path)
    assert xlsx_fast._scanned_hidden is not None and xlsx_fast._scanned_hidden[0][0] == str(path.resolve())
    noted = xlsx_fast.hidden_rows(path, "党员信息")
    monkeypatch.setattr(xlsx_fast, "_scanned_hidden", None)  # the sheet's own pass, as before any scan
    assert noted == xlsx_fast.hidden_rows(path, "党员信息") == (3, 5)


def test_a_workbook_saved_again_since_the_scan_is_not_answered_from_it(tmp_path):
    path = tmp_path / "花名册.xlsx"
    _hiding(path, [3, 5])
    assert xlsx_fast.safe_for_calamine(path)
    _hiding(path, [2, 4, 6])  # saved again under the same name (another size, another time)
    assert xlsx_fast.hidden_rows(path, "党员信息") == (2, 4, 6)


def test_a_sheet_repeating_its_hidden_column_tags_is_noted_once(tmp_path):
    """A hostile part with a hundred thousand `<col hidden>` runs: each column noted once, memory bounded."""
    import tracemalloc
    import zipfile

    from desktop_app.exchange import safety, xlsx_fast

    path = tmp_path / "cols.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                   '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel +
                   '/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{main}"><cols>'
                   + '<col min="1" max="16384" hidden="1"/>' * 100_000 + '</cols><sheetData><row r="1"><c r="A1" '
                   't="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    tracemalloc.start()
    try:
        xlsx_fast.safe_for_calamine(path)
        _, columns = xlsx_fast.hidden_parts(path, "S")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert columns == tuple(range(safety.MAX_COLUMNS))
    assert peak < 60_000_000  # (noted per tag, the columns alone were 20 million entries: 160 MB and more)
