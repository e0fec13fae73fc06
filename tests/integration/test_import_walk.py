"""A community worker's own 党员花名册, as she keeps it: 所在党支部 typed one way in one row and with a
full-width digit or a space in the next, an existing branch named a little differently, and a workbook
with one sheet per branch and no 所在党支部 column. Nothing may land under the wrong organisation unsaid."""

from datetime import date

import openpyxl

from desktop_app.domain import idcard
from desktop_app.services import orgs, roster

TODAY = date(2026, 1, 15)
HEADER = ["序号", "姓名", "性别", "身份证号码", "所在支部", "入党时间", "转正时间"]


def _person(i: int) -> str:
    return idcard.make("110101", date(1960 + i, 1 + i % 12, 1 + i % 28), 10 + i, "男")


def _book(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _community(db):
    return next(n for n in orgs.list_tree(db) if n.kind == "community")


def test_a_branch_typed_with_a_full_width_digit_or_a_space_is_one_branch(db, tmp_path):
    rows = [HEADER,
            [1, "冯一", "男", _person(1), "第1支部", "2019/7/1", "2020/7/1"],
            [2, "陈二", "男", _person(2), "第１支部", "2019/7/1", "2020/7/1"],
            [3, "褚三", "男", _person(3), "第1 支部", "2019/7/1", "2020/7/1"]]
    p = roster.preview_import(db, _book(tmp_path / "名册.xlsx", {"花名册": rows}), today=TODAY)
    assert not p.errors
    assert p.new_branches == ["第1支部"]
    said = [w for w in p.warnings if w.field == "所在党支部"]
    assert {w.row_number for w in said} == {3, 4} and all("第1支部" in w.reason for w in said)
    result = roster.apply_import(db, p, today=TODAY)
    assert result.added == 3 and result.branches_created == ("第1支部",)


def test_a_full_width_spelling_of_an_existing_branch_finds_it(db, tmp_path):
    branch = orgs.create(db, "第1网格党支部", "B01", "branch", _community(db).id)
    rows = [HEADER, [1, "冯一", "男", _person(1), "第１网格党支部", "2019/7/1", "2020/7/1"]]
    p = roster.preview_import(db, _book(tmp_path / "名册.xlsx", {"花名册": rows}), today=TODAY)
    assert not p.errors and p.new_branches == []
    assert list(p.to_add.column("org_id")) == [branch.id]


def test_a_new_branch_close_to_an_existing_one_is_pointed_out(db, tmp_path):
    orgs.create(db, "第一党支部", "B01", "branch", _community(db).id)
    rows = [HEADER, [1, "冯一", "男", _person(1), "一支部", "2019/7/1", "2020/7/1"]]
    p = roster.preview_import(db, _book(tmp_path / "名册.xlsx", {"花名册": rows}), today=TODAY)
    assert p.new_branches == ["一支部"]
    (w,) = [w for w in p.warnings if w.field == "所在党支部"]
    assert w.row_number == 2 and "第一党支部" in w.reason and "将新建" in w.reason


def test_a_sheet_per_branch_without_a_branch_column_goes_under_the_sheets_branch(db, tmp_path):
    head = ["序号", "姓名", "性别", "公民身份号码", "入党日期"]
    book = _book(tmp_path / "各支部.xlsx", {
        "第一支部": [["第一支部党员名单"], head, [1, "成员一", "男", _person(1), "2015.7.1"]],
        "第二支部": [head, [1, "成员二", "男", _person(2), "2015.7.1"]],
    })
    p = roster.preview_import(db, book, today=TODAY)
    assert not p.errors and p.new_branches == ["第一支部"]
    notes = [w.reason for w in p.warnings if not w.row_number]
    assert any("工作表名“第一支部”" in n for n in notes)
    assert any("第二支部" in n and "未读取" in n for n in notes)
    second = roster.preview_import(db, book, today=TODAY, sheet="第二支部")
    assert second.new_branches == ["第二支部"]


def test_a_meeting_record_whose_branch_column_is_headed_zhibu_is_read(db, tmp_path):
    from desktop_app.exchange import development_files, meeting_files

    for header in ("支部", "所在支部", "所属支部", "支部名称"):
        assert meeting_files.SPEC.alias(header) == "党组织"
        assert development_files.SPEC.alias(header) == "所在党支部"


def test_an_amount_in_brackets_is_a_negative_one():
    from desktop_app.exchange.history import fen

    assert fen("(300.00)") == -30000
    assert fen("（1,234.50元）") == -123450
    assert fen("1,234.50元") == 123450


def test_a_probationary_member_with_a_confirmation_date_is_told_which_to_change(db, tmp_path):
    rows = [["姓名", "公民身份号码", "人员类别", "入党时间", "转正时间"],
            ["冯一", _person(1), "预备党员", "2024-01-05", "2025-01-05"]]
    p = roster.preview_import(db, _book(tmp_path / "名册.xlsx", {"花名册": rows}), today=TODAY)
    (e,) = p.errors
    assert e.field == "转为正式党员日期" and "人员类别改为“正式党员”" in e.reason and "删去" in e.reason


def test_a_row_counter_column_is_not_taken_for_gender_codes():
    from desktop_app.exchange import resident_files, sheets
    from desktop_app.views.imports import ColumnsReport

    header = ["序号", "姓名", "性别", "联系电话"]
    rows = [[1, "刘大爷", "男", "13900000001"], [2, "王阿姨", "女", "13900000002"]]
    plan = sheets.plan_columns(resident_files.SPEC, header, rows)
    assert plan[0].target is None and "序号" in plan[0].how and "重复" not in plan[0].how
    assert plan[2].target == "性别"
    report = ColumnsReport(kind="residents", file_name="居民.xlsx", sheet="", sheets=(), header_row=1,
                           data_rows=2, plan=tuple(plan), skipped=(), signature="", targets=resident_files.COLUMNS,
                           required=("姓名",), coded={})
    assert report.unrecognised == [] and not report.needs_mapping


def test_only_a_required_column_missing_or_claimed_twice_asks_for_the_mapping():
    from desktop_app.exchange import resident_files, sheets
    from desktop_app.views.imports import ColumnsReport

    def report(header, row):
        plan = sheets.plan_columns(resident_files.SPEC, header, [row])
        return ColumnsReport(kind="residents", file_name="居民.xlsx", sheet="", sheets=(), header_row=1,
                             data_rows=1, plan=tuple(plan), skipped=(), signature="",
                             targets=resident_files.COLUMNS, required=("姓名",), coded={})

    extra = report(["姓名", "性别", "天气"], ["刘大爷", "男", "晴"])  # an extra column the import does not know
    assert extra.unrecognised == ["天气"] and not extra.needs_mapping
    twice = report(["姓名", "性别", "姓名"], ["刘大爷", "男", "刘建国"])  # which of the two is the name?
    assert twice.ambiguous == ["姓名"] and twice.needs_mapping
    assert twice.mapping_reason() == "“姓名”有不止一列像是它，另有 1 列未识别"
    none = report(["性别", "天气"], ["男", "晴"])
    assert none.needs_mapping and none.mapping_reason().startswith("缺少“姓名”")


MEET_HEADER = ["日期", "会议类型", "支部", "主题", "应到人数", "实到人数", "主持人", "记录人"]


def test_a_meeting_of_a_branch_typed_full_width_finds_it_and_a_near_name_is_suggested(db, tmp_path):
    from desktop_app.services import meetings_import

    orgs.create(db, "第1党支部", "B01", "branch", _community(db).id)
    rows = [MEET_HEADER,
            ["2025.3.5", "支部党员大会", "第１党支部", "学习", 30, 28, "", ""],
            ["2025.4.5", "支部党员大会", "一支部", "学习", 30, "28人", "", ""]]
    p = meetings_import.preview(db, _book(tmp_path / "三会一课.xlsx", {"记录": rows}), today=TODAY)
    assert [e.row_number for e in p.errors if e.field == "党组织"] == [3]
    (e,) = p.errors
    assert "“一支部”与现有的“第1党支部”相近" in e.reason and "请改为“第1党支部”" in e.reason


def test_a_resident_of_the_first_grid_is_pointed_to_the_first_grid_branch(db, tmp_path):
    from desktop_app.services import residents_import

    orgs.create(db, "第一网格党支部", "B01", "branch", _community(db).id)
    rows = [["序号", "姓名", "性别", "所属网格", "楼栋", "单元", "室"], [1, "钱大爷", "男", "第一网格", "3栋", "2单元", "401室"]]
    p = residents_import.preview(db, _book(tmp_path / "居民.xlsx", {"居民": rows}))
    (e,) = p.errors
    assert e.field == "所属网格" and "请改为“第一网格党支部”" in e.reason


def test_the_cli_says_which_sheets_of_a_workbook_it_did_not_read(tmp_path, capsys):
    from desktop_app.cli import main

    path = tmp_path / "c.db"
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    rows = [MEET_HEADER, ["2025.3.5", "支部党员大会", "幸福里社区党委", "学习", 30, 28, "", ""]]
    book = _book(tmp_path / "三会一课.xlsx", {"2025年": rows, "2024年": rows, "说明": [["填表说明"]]})
    capsys.readouterr()
    main(["import", "meetings", str(book), "--db", str(path), "--dry-run"])  # its row errors are not the point
    out = capsys.readouterr().out
    assert "另有 2 张工作表未读取：2024年、说明（用 --sheet 工作表名 逐张导入）" in out


def test_only_a_sheet_named_as_a_branch_names_the_rows_branch():
    from desktop_app.services.roster.branch_names import sheet_branch

    two = ("甲", "乙")
    assert sheet_branch("第三支部（退休）", two, False) == "第三支部（退休）"
    assert sheet_branch("第一支部", ("第一支部",), False) is None  # a workbook of one sheet
    assert sheet_branch("第一支部", two, True) is None  # the rows say their branch
    for name in ("党员花名册", "支部党员名单", "支部党员大会记录", "Sheet1", "各支部汇总"):
        assert sheet_branch(name, two, False) is None, name
