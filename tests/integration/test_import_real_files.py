"""党员花名册 as centers really keep them: a branch typed once in a cell merged down over its members, a
sign-off line (制表人、审核人、日期) under the data, and files that are not what their name says (a CSV or a
PDF saved as .xlsx, a workbook with an opening password). The preview reads what the sheet shows, or says
plainly what the file is; nothing is written by a refusal."""

from datetime import date

import openpyxl
import pytest

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import members, sheets, xlsx_fast
from desktop_app.services import orgs, roster

TODAY = date(2026, 12, 7)
HEADER = ["序号", "姓名", "性别", "身份证号码", "所在支部", "入党时间", "转正时间", "手机号码"]


def _person(i: int) -> str:
    return idcard.make("320102", date(1960 + i, 1 + i % 12, 1 + i % 28), 10 + 2 * i, "女")


def _row(i: int, branch: str | None) -> list:
    return [i, f"党员{'一二三四五六七八九'[i - 1]}", "女", _person(i), branch, "2019.7.1", "2020年7月1日", "138 1234 5678"]


def _branch(db, name: str):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, name, "B02", "branch", community.id)


def _count(db) -> int:
    return roster.stats(db).total


def _merged_roster(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["幸福里社区党员花名册"])
    ws.merge_cells("A1:H1")  # the title across: stays one cell
    ws.append(["序号", "基本信息", None, None, "组织信息", None, None, "联系方式"])
    ws.merge_cells("B2:D2")
    ws.merge_cells("E2:G2")
    ws.append([None, *HEADER[1:]])
    ws.merge_cells("A2:A3")  # 序号 over both header rows
    for i in range(1, 9):
        ws.append(_row(i, "第二党支部" if i == 1 else None))
    ws.merge_cells("E4:E11")
    path = tmp_path / "花名册.xlsx"
    wb.save(path)
    return path


def test_a_branch_merged_down_over_eight_members_is_each_ones_branch(db, tmp_path):
    branch = _branch(db, "第二党支部")
    path = _merged_roster(tmp_path)

    p = roster.preview_import(db, path, today=TODAY)
    assert not p.errors, p.errors
    assert len(p.to_add) == 8
    assert list(p.to_add.column("org_id")) == [branch.id] * 8
    assert p.new_branches == []
    table = sheets.read_table(members.SPEC, path)
    assert table.header_row == 3 and table.header[0] == "序号"
    assert table.title.count("幸福里社区党员花名册") == 1


def test_a_sign_off_line_under_the_data_is_skipped_not_an_error(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(1, 4):
        ws.append(_row(i, "第一党支部"))
    ws.append([])
    ws.append(["制表人：王小红", None, None, "审核人：李明", None, "日期：2026年12月1日"])
    path = tmp_path / "花名册.xlsx"
    wb.save(path)

    p = roster.preview_import(db, path, today=TODAY)
    assert not p.errors, p.errors
    assert len(p.to_add) == 3


def test_a_sign_off_line_is_told_from_a_members_row():
    assert sheets.skip_reason(["制表人：王小红", None, "审核人：李明", "日期：2026年12月1日"]) == "落款行"
    assert sheets.skip_reason([None, "填表日期: 2026.12.1"]) == "落款行"
    # A member whose name starts like a label is a member: no colon, and cells that are not text.
    assert sheets.skip_reason([3, "单丽", "女", "汉族"]) is None
    assert sheets.skip_reason(["日晓", "女", _person(1), "第一党支部"]) is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_csv_saved_under_xlsx_is_read_as_the_csv_it_is(db, tmp_path, encoding):
    path = tmp_path / "其他系统导出.xlsx"
    lines = [",".join(HEADER)] + [",".join(str(c) for c in _row(i, "第一党支部")) for i in (1, 2)]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    p = roster.preview_import(db, path, today=TODAY)
    assert not p.errors, p.errors
    assert len(p.to_add) == 2 and p.new_branches == ["第一党支部"]


def _refused(db, path) -> str:
    before = _count(db)
    with pytest.raises(DomainError) as caught:
        roster.preview_import(db, path, today=TODAY)
    assert _count(db) == before
    message = str(caught.value)
    assert path.name in message and "zip" not in message.lower()
    return message


def test_a_pdf_saved_under_xlsx_is_named_a_pdf(db, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "PDF 文件，不是表格" in _refused(db, path)


def _compound_file(*streams: str) -> bytes:
    """The head of an OLE compound file and the directory names Excel writes; what the reader looks at."""
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    for name in streams:
        data += name.encode("utf-16-le") + b"\x00" * (128 - 2 * len(name))
    return bytes(data)


def test_a_workbook_with_an_opening_password_says_so(db, tmp_path):
    # An encrypted .xlsx is a compound file holding EncryptionInfo and EncryptedPackage, not a zip.
    path = tmp_path / "花名册（加密）.xlsx"
    path.write_bytes(_compound_file("EncryptionInfo", "EncryptedPackage"))
    message = _refused(db, path)
    assert "打开密码" in message and "取消密码" in message


def test_an_old_xls_saved_under_xlsx_is_told_to_be_renamed(db, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(_compound_file("Workbook"))
    assert "Excel 97-2003（.xls）格式" in _refused(db, path)


def test_something_else_under_xlsx_is_no_spreadsheet(db, tmp_path):
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "不是 Excel 表格文件" in _refused(db, path)


def test_a_workbook_left_to_openpyxl_fills_merges_down_as_the_fast_reader_does(db, tmp_path, monkeypatch):
    # The same file must give the same rows whichever reader it falls to (calamine refuses some workbooks).
    path = _merged_roster(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["F12"], ws["G12"] = "2021.7.1", 300  # a date and a number, each merged down over two rows
    ws.merge_cells("F12:F13")
    ws.merge_cells("G12:G13")
    ws["H13"] = "备注"
    wb.save(path)
    fast = sheets.read_records(path).records
    monkeypatch.setattr(xlsx_fast, "open_sheets", lambda p: None)  # as for a workbook calamine refuses
    slow = sheets.read_records(path).records
    assert [r[4] for r in slow[3:11]] == ["第二党支部"] * 8
    assert slow[1][:2] == ["序号", "基本信息"] and slow[1][2] is None  # a merge across stays one cell
    assert slow[2][0] == "序号"  # over the two header rows
    assert slow[12][5] == "2021.7.1" and slow[12][6] is None  # a date is filled down, a number is not
    assert slow == fast

    branch = _branch(db, "第二党支部")
    p = roster.preview_import(db, _merged_roster(tmp_path), today=TODAY)
    assert list(p.to_add.column("org_id")) == [branch.id] * 8


def test_a_number_merged_down_is_not_repeated(tmp_path):
    # 1,200.00 shown once beside a voucher whose 摘要 takes two lines is one amount, not two.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "摘要", "收入", "经手人"])
    ws.append(["2025-03-05", "收到街道拨付党建经费", 1200, "王小红"])
    ws.append([None, "（第一季度）", None, None])
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D3")
    wb.save(path := tmp_path / "台账.xlsx")
    rows = sheets.read_records(path).records
    assert rows[2][2] is None and rows[2][3] == "王小红"


def test_the_column_samples_mask_a_mistyped_id_and_a_spaced_mobile(db, tmp_path):
    from desktop_app.services import imports

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户主姓名", "姓名", "身份证号", "楼栋", "联系电话"])
    mistyped = _person(1)[:-1] + ("0" if _person(1)[-1] != "0" else "1")  # a wrong check digit
    ws.append(["张伟", "张伟", mistyped, "3栋", "138 1234 5678"])
    ws.append(["王芳", "王芳", "320102 19800302 1234", "3栋", "139-8765-4321"])
    wb.save(path := tmp_path / "居民.xlsx")
    report = imports.inspect(db, "residents", path)
    shown = [s for p in report.plan for s in (*p.samples, *p.values)]
    assert not any(mistyped in s or "1234 5678" in s or "8765-4321" in s or "19800302" in s for s in shown), shown
    assert "138****5678" in shown and "139****4321" in shown


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_rows_hidden_in_the_sheet_are_named_in_the_preview(db, tmp_path, monkeypatch, reader):
    # A worker filtered the roster to one branch, or hid those who left: the import still reads every row,
    # and says which it could not see.
    if reader == "openpyxl":
        monkeypatch.setattr(xlsx_fast, "open_sheets", lambda p: None)
    _branch(db, "第二党支部")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(1, 6):
        ws.append(_row(i, "第二党支部"))
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[5].hidden = True
    ws.row_dimensions[9].hidden = True  # below the data: nothing to say
    wb.save(path := tmp_path / "花名册.xlsx")
    p = roster.preview_import(db, path, today=TODAY)
    assert len(p.to_add) == 5
    assert p.hidden_rows == (3, 5)
    assert "其中 2 行在表格中是隐藏的（隐藏行或筛选掉的行），照常导入：第 3、5 行" in p.summary()
