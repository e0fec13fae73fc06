"""党员名册 import of a workbook kept as one sheet per branch, 全部工作表: every roster sheet in one preview,
each row under its sheet's branch unless it names one, a bad row named by sheet and row, and one apply
that writes every sheet or none."""

from datetime import date

import pytest

from desktop_app.domain.errors import DomainError
from desktop_app.services import roster
from desktop_app.services.roster.all_sheets import ALL_SHEETS
from tests.integration.test_import_walk import _book as book
from tests.integration.test_import_walk import _person

TODAY = date(2026, 1, 15)
HEAD = ["序号", "姓名", "性别", "公民身份号码", "入党日期"]


def _book(path, bad: bool = True):
    return book(path, {
        "填表说明": [["各支部党员名单，每支部一张表"]],
        "第一支部": [["第一支部党员名单"], HEAD, [1, "成员一", "男", _person(1), "2015.7.1"],
                   [2, "成员二", "男", _person(2), "2016.7.1"]],
        "第二支部": [HEAD + ["所在党支部"], [1, "成员三", "男", _person(3), "2015.7.1", ""],
                   [2, "成员四", "男", _person(4), "2015.7.1", "第一支部"]],  # moved: the row says where
        "第三支部（退休）": [HEAD, [1, "成员五", "男", _person(5), "2015.7.1"],
                      [2, "成员六", "男", "11010119600101001" if bad else _person(6), "2015.7.1"]],
    })


def test_every_branch_sheet_in_one_preview_and_a_bad_row_named_by_sheet_and_row(db, tmp_path):
    p = roster.preview_import(db, _book(tmp_path / "各支部党员.xlsx"), today=TODAY, sheet=ALL_SHEETS)
    assert p.total_rows == 6
    (e,) = p.errors
    assert (e.sheet, e.row_number, e.field) == ("第三支部（退休）", 3, "公民身份号码")
    assert e.message("各支部党员.xlsx").startswith("各支部党员.xlsx：工作表“第三支部（退休）”第 3 行，公民身份号码")
    assert p.error_names == {"第三支部（退休） 3": "成员六"} and e.row_label == "第三支部（退休） 3"
    notes = [w.reason for w in p.warnings if not w.row_number]
    assert any("读取了全部 3 张党员名册工作表：第一支部、第二支部、第三支部（退休）" in n for n in notes)
    assert any("“填表说明”" in n and "未读取" in n for n in notes)
    # nothing is written while a row is wrong: not even the good sheets
    with pytest.raises(DomainError, match="第三支部（退休）”第 3 行"):
        roster.apply_import(db, p, today=TODAY)
    assert roster.search_ids(db, roster.MemberFilter()) == []


def test_the_corrected_workbook_is_written_whole_each_row_under_its_sheets_branch(db, tmp_path):
    p = roster.preview_import(db, _book(tmp_path / "各支部党员.xlsx", bad=False), today=TODAY, sheet=ALL_SHEETS)
    assert not p.errors and p.new_branches == ["第一支部", "第二支部", "第三支部（退休）"]
    result = roster.apply_import(db, p, today=TODAY)
    assert result.added == 6 and set(result.branches_created) == set(p.new_branches)
    got = {r.name: r.org_name for r in roster.rows(db, roster.search_ids(db, roster.MemberFilter()))}
    assert got == {"成员一": "第一支部", "成员二": "第一支部", "成员三": "第二支部", "成员四": "第一支部",
                   "成员五": "第三支部（退休）", "成员六": "第三支部（退休）"}


def test_the_command_line_reads_every_sheet_with_all_sheets(tmp_path, capsys):
    from desktop_app.cli import main

    path = tmp_path / "c.db"
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    book = _book(tmp_path / "各支部党员.xlsx")
    capsys.readouterr()
    assert main(["import", "members", str(book), "--db", str(path), "--all-sheets"]) != 0
    said = capsys.readouterr()
    assert "工作表“第三支部（退休）”第 3 行" in said.out + said.err
    assert main(["import", "members", str(_book(tmp_path / "改好.xlsx", bad=False)), "--db", str(path),
                 "--all-sheets"]) == 0
    out = capsys.readouterr().out
    assert "新增 6 人" in out and "新建党支部：第一支部、第二支部、第三支部（退休）" in out


def test_the_rows_read_as_probationary_are_named_by_sheet_and_row(db, tmp_path):
    """The summary gave 第 3 行 without the sheet: in a workbook of one sheet per branch, row 3 of which?"""
    recent = "2025.10.1"  # under a year before TODAY, no 转正日期, no 人员类别 column: read as 预备党员
    path = book(tmp_path / "各支部党员.xlsx", {
        "第一支部": [HEAD, [1, "成员一", "男", _person(1), "2015.7.1"], [2, "成员二", "男", _person(2), recent]],
        "第三支部": [HEAD, [1, "成员三", "男", _person(3), recent], [2, "成员四", "男", _person(4), recent]],
    })
    p = roster.preview_import(db, path, today=TODAY, sheet=ALL_SHEETS)
    assert not p.errors
    assert ("按入党日期读作预备党员 3 人（工作表“第一支部”第 3 行，工作表“第三支部”第 2、3 行）"
            in p.summary())


def test_each_sheet_is_read_by_its_own_header_row_whatever_its_column_order(db, tmp_path):
    """The columns are taken from each sheet's own header, not the first sheet's: a sheet in another order, one
    missing a column, and one whose header the user mapped (another system's names) land in the right fields."""
    from desktop_app.exchange.mapping import parse_mapping
    from desktop_app.exchange.members import TEMPLATE_COLUMNS

    path = book(tmp_path / "各支部党员.xlsx", {
        "第一支部": [["编号", "党员姓名", "性别", "身份证", "入党时间", "联系方式"],
                   [1, "成员一", "男", _person(1), "2015.7.1", "13800000001"]],
        "第二支部": [["编号", "联系方式", "入党时间", "身份证", "党员姓名", "性别"],  # every column elsewhere
                   [1, "13800000002", "2016.8.1", _person(2), "成员二", "男"]],
        "第三支部": [["党员姓名", "身份证", "入党时间"],  # no 编号, 性别 or phone
                   ["成员三", _person(3), "2017.9.1"]],
    })
    mapping = parse_mapping({"columns": {"编号": None, "党员姓名": "姓名", "身份证": "公民身份号码",
                                         "入党时间": "加入党组织日期", "联系方式": "手机号码"}}, TEMPLATE_COLUMNS)
    p = roster.preview_import(db, path, today=TODAY, sheet=ALL_SHEETS, mapping=mapping)
    assert not p.errors and p.total_rows == 3
    roster.apply_import(db, p, today=TODAY)
    got = {r.name: (r.org_name, r.joined_date, r.id_masked[-4:], r.mobile_masked[-4:])
           for r in roster.rows(db, roster.search_ids(db, roster.MemberFilter()))}
    assert got == {"成员一": ("第一支部", date(2015, 7, 1), _person(1)[-4:], "0001"),
                   "成员二": ("第二支部", date(2016, 8, 1), _person(2)[-4:], "0002"),
                   "成员三": ("第三支部", date(2017, 9, 1), _person(3)[-4:], "")}
