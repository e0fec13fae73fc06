"""A column the worker hid in Excel (a 身份证号 column, an old 联系电话) is read by every import as any other:
the preview names each hidden column the import reads by sheet, letter, header and field, on screen and in
`dangqun import … --dry-run`, as it names hidden rows. Columns left out need no word; a CSV hides nothing."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from openpyxl.worksheet.dimensions import ColumnDimension

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.exchange import safety, xlsx_fast
from desktop_app.services import orgs, residents_import, roster
from desktop_app.services.database import open_database
from tests.integration.test_history_imports import world  # noqa: F401

TODAY = date(2026, 12, 7)
HEADER = ["序号", "姓名", "性别", "身份证号码", "所在支部", "入党时间", "转正时间", "手机号码", "旧备注"]
ID_HIDDEN = "工作表“党员”第 D 列“身份证号码”（导入为“公民身份号码”）在表格中被隐藏，也会导入"


def _person(i: int) -> str:
    return idcard.make("320102", date(1960 + i, 1 + i % 12, 1 + i % 28), 10 + 2 * i, "女")


def _roster(path, hide=("D", "I")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员"
    ws.append(HEADER)
    for i in range(1, 4):
        ws.append([i, f"党员{'一二三'[i - 1]}", "女", _person(i), "第二党支部", "2019.7.1", "2020.7.1", "13812345678",
                   "2019年调入"])
    for letter in hide:
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


@pytest.fixture
def branch(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    return orgs.create(db, "第二党支部", "B02", "branch", community.id)


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_a_hidden_column_the_member_import_reads_is_named_in_its_preview(db, branch, tmp_path, monkeypatch, reader):
    if reader == "openpyxl":
        monkeypatch.setattr(xlsx_fast, "open_sheets", lambda p: None)
    p = roster.preview_import(db, _roster(tmp_path / "花名册.xlsx"), today=TODAY)
    assert len(p.to_add) == 3 and not p.errors
    # 旧备注 (I) is hidden too but not imported: nothing to say of it
    assert p.hidden_columns == (ID_HIDDEN,)
    assert ID_HIDDEN in p.summary() and "旧备注" not in p.hidden_text()


def test_a_sheet_that_hides_nothing_says_nothing(db, branch, tmp_path):
    p = roster.preview_import(db, _roster(tmp_path / "花名册.xlsx", hide=()), today=TODAY)
    assert p.hidden_columns == () and "隐藏" not in p.summary()


def test_all_columns_from_one_on_hidden_as_excel_writes_it_reads_only_the_header_columns(db, branch, tmp_path):
    path = _roster(tmp_path / "花名册.xlsx", hide=())
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    # Excel's "hide every column from H on": one <col min="8" max="16384" hidden="1"/>
    ws.column_dimensions["H"] = ColumnDimension(ws, index="H", min=8, max=16384, hidden=True)
    wb.save(path)
    _rows, columns = xlsx_fast.hidden_parts(path, "党员")
    assert columns[0] == 7 and columns[-1] == safety.MAX_COLUMNS - 1
    p = roster.preview_import(db, path, today=TODAY)
    assert p.hidden_columns == ("工作表“党员”第 H 列“手机号码”在表格中被隐藏，也会导入",)


def test_the_scan_and_a_pass_of_its_own_find_the_same_hidden_columns(tmp_path, monkeypatch):
    path = _roster(tmp_path / "花名册.xlsx")
    assert xlsx_fast.safe_for_calamine(path)  # the scan notes them
    noted = xlsx_fast.hidden_parts(path, "党员")
    monkeypatch.setattr(xlsx_fast, "_scanned_hidden", None)
    assert noted == xlsx_fast.hidden_parts(path, "党员") == ((), (3, 8))


def test_the_member_dry_run_prints_the_hidden_column(world, tmp_path, capsys):  # noqa: F811
    path, _branch = world
    db, _ = open_database(path)
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第二党支部", "B02", "branch", community.id)
    db.dispose()
    source = _roster(tmp_path / "花名册.xlsx")
    assert main(["import", "members", str(source), "--db", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ID_HIDDEN in out and "未写入任何数据" in out


RESIDENT_HEADER = ["居民姓名", "性别", "证件号码", "手机号", "楼号", "单元号", "门牌号"]


def _residents(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "居民"
    ws.append(RESIDENT_HEADER)
    ws.append(["孙奶奶", "女", idcard.make("320102", date(1950, 2, 3), 31, "女"), "13900001111", "梅园新村3栋", "2", "301"])
    ws.column_dimensions["D"].hidden = True
    ws.row_dimensions[2].hidden = True  # and the resident, by a filter
    wb.save(path)
    return path


def test_a_history_import_names_the_hidden_column_in_its_preview_and_dry_run(world, tmp_path, capsys):  # noqa: F811
    path, _branch = world
    source = _residents(tmp_path / "居民.xlsx")
    said = "工作表“居民”第 D 列“手机号”（导入为“联系电话”）在表格中被隐藏，也会导入"
    db, _ = open_database(path)
    try:
        plan = residents_import.preview(db, source, today=TODAY)
        assert plan.hidden == ("其中 1 行在表格中是隐藏的（隐藏行或筛选掉的行），照常导入：第 2 行", said)
        assert not plan.errors
    finally:
        db.dispose()
    assert main(["import", "residents", str(source), "--db", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert said in out and "未写入任何数据" in out
