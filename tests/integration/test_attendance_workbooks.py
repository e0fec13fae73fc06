"""Attendance kept in Excel: .xlsx, .xls and .ods read as the CSV is, with the spreadsheet's row numbers."""

from datetime import date

import pytest
from openpyxl import Workbook

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.services import meetings as ms
from desktop_app.services import orgs, roster
from desktop_app.services.meetings import attendance_import as imp
from tests.old_workbooks import write_ods, write_xls

TODAY = date(2025, 5, 20)
WANG = idcard.make("320102", date(1950, 3, 1), 0, idcard.MALE)


@pytest.fixture
def setup(db):
    return db, populate(db)


def populate(db):
    """A branch with 王芳 and 李强 and a 主题党日 planned for 8 May 2025; the meeting."""
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    for i, name in enumerate(("王芳", "李强")):
        roster.create(db, MemberInput(name=name, org_id=b1.id,
                                      id_number=WANG if i == 0 else idcard.make("320102", date(1951, 4, 2), 1, idcard.MALE),
                                      joined_date=date(1980, 7, 1), confirmed_date=date(1981, 7, 1)), today=TODAY)
    m1 = ms.plan(db, ms.MeetingInput(org_id=b1.id, kind=r.THEME_DAY, meeting_date=date(2025, 5, 8)), today=TODAY)
    return m1


def xlsx(path, rows, notes_first=False):
    wb = Workbook()
    ws = wb.active
    if notes_first:  # a 填写说明 sheet before the data, as many templates have
        ws.title = "填写说明"
        ws.append(["1、每行一人"])
        ws = wb.create_sheet("签到统计")
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def statuses(db, meeting_id):
    return {a.name: (a.status, a.reason) for a in ms.get(db, meeting_id).attendees}


def test_a_tally_kept_in_xlsx_is_previewed_and_applied(setup, tmp_path):
    db, m1 = setup
    path = xlsx(tmp_path / "签到.xlsx", [
        ["5月主题党日签到统计"], [],  # a title and a blank line above the header
        ["会议编号", "姓名", "身份证号", "出勤情况", "请假原因"],
        [m1.number, None, WANG, "出席", None],
        [m1.number, "李强", None, "请假", "外出就医"],
    ], notes_first=True)
    check = imp.preview(db, path, today=TODAY)
    assert not check.errors and check.valid_rows == 2
    assert statuses(db, m1.id) == {"王芳": ("", ""), "李强": ("", "")}  # a preview writes nothing
    res = imp.apply(db, check, today=TODAY)
    assert res.rows == 2 and res.meetings == 1
    assert statuses(db, m1.id) == {"王芳": (r.PRESENT, ""), "李强": (r.LEAVE, "外出就医")}


def test_a_bad_row_is_named_by_the_spreadsheets_row_and_column(setup, tmp_path):
    db, m1 = setup
    path = xlsx(tmp_path / "签到.xlsx", [
        ["签到统计"],
        ["会议编号", "姓名", "出勤情况"],
        [m1.number, "王芳", "出席"],
        [m1.number, "李强", "迟到"],  # row 4 of the sheet
    ])
    with pytest.raises(imp.AttendanceImportError) as e:
        imp.import_file(db, path, today=TODAY)
    assert [(x.row_number, x.field, x.value) for x in e.value.errors] == [(4, "出勤情况", "迟到")]
    assert statuses(db, m1.id) == {"王芳": ("", ""), "李强": ("", "")}


def test_an_id_number_excel_kept_as_a_number_is_refused_on_its_cell(setup, tmp_path):
    db, m1 = setup
    path = write_xls(tmp_path / "签到.xls", [["会议编号", "公民身份号码", "出勤情况"],
                                             [m1.number, float(WANG[:17] + "1"), "出席"]])
    errors = imp.preview(db, path, today=TODAY).errors
    assert [(x.row_number, x.field) for x in errors] == [(2, "公民身份号码")] and "已丢失" in errors[0].reason


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_old_excel_and_wps_files_import_too(setup, tmp_path, kind):
    pytest.importorskip("python_calamine")
    db, m1 = setup
    rows = [["会议编号", "姓名", "出勤情况", "请假原因"], [m1.number, "王芳", "出席", None],
            [m1.number, "李强", "缺席", None]]
    path = (write_xls if kind == "xls" else write_ods)(tmp_path / f"签到.{kind}", rows)
    res = imp.import_file(db, path, today=TODAY)
    assert res.rows == 2 and statuses(db, m1.id) == {"王芳": (r.PRESENT, ""), "李强": (r.ABSENT, "")}


def test_a_hostile_workbook_is_refused_and_nothing_changes(setup, tmp_path):
    pytest.importorskip("python_calamine")
    db, m1 = setup
    huge = ('<table:table-row table:number-rows-repeated="2000000000">'
            '<table:table-cell table:number-columns-repeated="2000"><text:p>x</text:p></table:table-cell>'
            "</table:table-row>")
    path = write_ods(tmp_path / "签到.ods", [["会议编号", "姓名", "出勤情况"], [m1.number, "王芳", "出席"]],
                     raw_rows=huge)
    with pytest.raises(DomainError, match="签到.ods：文件声明的表格过大"):
        imp.import_file(db, path, today=TODAY)
    assert statuses(db, m1.id) == {"王芳": ("", ""), "李强": ("", "")}
    assert ms.get(db, m1.id).status != "held"


def test_the_xlsx_template_with_a_meetings_list_round_trips(setup, tmp_path):
    from openpyxl import load_workbook

    db, m1 = setup
    assert imp.TEMPLATE_NAME.endswith(".xlsx")  # offered first, as the other imports' templates
    path = imp.write_template(db, tmp_path / imp.TEMPLATE_NAME, m1.id)
    wb = load_workbook(path)
    assert wb.sheetnames == ["出勤", "填写说明"]
    ws = wb["出勤"]
    assert [c.value for c in ws[1]] == list(imp.COLUMNS)
    assert ws.column_dimensions["C"].number_format == "@"  # ID numbers typed in stay text
    assert [dv.formula1 for dv in ws.data_validations.dataValidation] == ['"出席,请假,缺席,列席"']
    for row in ws.iter_rows(min_row=2):
        row[3].value = "出席"
    wb.save(path)
    res = imp.import_file(db, path, today=TODAY)
    assert res.rows == 2 and statuses(db, m1.id) == {"王芳": (r.PRESENT, ""), "李强": (r.PRESENT, "")}


def test_the_blank_xlsx_template_reads_back_as_its_two_examples(tmp_path):
    from desktop_app.exchange import attendance as files

    path = files.write_template(tmp_path / "模板.xlsx")
    parsed = files.parse(path)
    assert [(x.row_number, x.name, x.status, x.reason) for x in parsed.lines] == [
        (2, "张三", r.PRESENT, ""), (3, "李四", r.LEAVE, "外出就医")]
    assert not parsed.errors


def test_the_command_line_imports_an_xlsx_and_its_help_names_the_formats(tmp_path, capsys):
    from desktop_app.cli import main
    from desktop_app.services.database import open_database

    file = tmp_path / "c.db"
    assert main(["init", "--db", str(file), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(file)
    try:
        m1 = populate(db)
    finally:
        db.dispose()
    path = xlsx(tmp_path / "签到.xlsx", [["会议编号", "姓名", "出勤情况"], [m1.number, "王芳", "出席"],
                                         [m1.number, "李强", "请假"]])
    capsys.readouterr()
    assert main(["import", "attendance", str(path), "--db", str(file)]) == 0
    assert "已登记：1 次会议，2 条出勤记录" in capsys.readouterr().out
    bad = xlsx(tmp_path / "错.xlsx", [["标题"], ["会议编号", "姓名", "出勤情况"], [m1.number, "王芳", "迟到"]])
    assert main(["import", "attendance", str(bad), "--db", str(file)]) != 0
    assert "第 3 行" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "attendance", "--help"])
    assert ".xlsx、.xls、.ods 或 .csv" in capsys.readouterr().out
