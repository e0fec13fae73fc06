"""Member files: encodings, header variants, dates, Excel-damaged ID numbers, previews, imports, exports."""

import csv
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.domain.members import MemberInput
from desktop_app.exchange import members as ex
from desktop_app.services import orgs, roster
from desktop_app.services.roster import MemberFilter
from desktop_app.settings import resource_path
from desktop_app.store.models import Member
from tests.party_people import floating_out

ZHANG = idcard.make("320102", date(1980, 5, 6), 1, "男")
LI = idcard.make("320102", date(1985, 3, 2), 2, "女")
WANG = idcard.make("320104", date(1960, 1, 9), 3, "男")
HEADER = ["序号", "姓名", "所在党支部", "公民身份号码", "性别", "人员类别", "加入党组织日期", "转为正式党员日期", "手机号码"]


def write_csv(path: Path, header, rows, encoding="utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows, title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def members(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Member).where(Member.deleted.is_(False)))


def by_name(db) -> dict:
    ids = roster.search_ids(db, MemberFilter())
    return {d.name: d for d in (roster.get(db, i) for i in ids)}


@pytest.fixture
def branch(db):
    return orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))


GOOD_ROWS = [
    [1, "张三", "第一网格党支部", ZHANG, "男", "正式党员", "2005-07-01", "2006-07-01", "13912345678"],
    [2, "李四", "第一网格党支部", LI, "", "预备党员", "2026-01-10", "", "139 1234 5679"],
]


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_and_wps_save(db, branch, tmp_path, encoding):
    path = write_csv(tmp_path / "名册.csv", HEADER, GOOD_ROWS, encoding)
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == [] and preview.total_rows == 2
    assert [m.name for m in preview.to_add] == ["张三", "李四"]
    result = roster.apply_import(db, preview)
    assert result.added == 2
    got = by_name(db)
    assert got["李四"].gender == "女" and got["李四"].birth_date == date(1985, 3, 2)
    assert got["李四"].mobile == "13912345679" and got["张三"].org_name == "第一网格党支部"
    again = roster.preview_import(db, path, today=date(2026, 6, 15))  # the same file once more
    assert (again.to_add, again.to_update, again.unchanged) == ([], [], 2)
    assert roster.apply_import(db, again, update_existing=True).unchanged == 2
    assert {d.version for d in by_name(db).values()} == {1}


def test_xlsx_with_real_dates_numbers_and_a_title_row(db, branch, tmp_path):
    rows = [[1, "张三", "第一网格党支部", ZHANG, "男", "正式党员", datetime(2005, 7, 1), 38899, 13912345678]]
    path = write_xlsx(tmp_path / "名册.xlsx", HEADER, rows + [[None] * 9], title="幸福里社区党员名册")
    header, data = ex.read_table(path)
    assert header == HEADER
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == [] and preview.total_rows == 1
    m = preview.to_add[0]
    assert (m.joined_date, m.confirmed_date, m.mobile) == (date(2005, 7, 1), date(2006, 7, 1), "13912345678")


def test_header_variants_are_recognised_and_unknown_columns_reported(db, branch, tmp_path):
    header = ["编号", "姓　名", "所在支部", "*身份证号码", "入党时间", "转正日期（年月日）", "联系电话", "政治面貌"]
    rows = [[1, "张三", "第一网格党支部", ZHANG, "2005-07-01", "2006-07-01", "13912345678", "中共党员"]]
    preview = roster.preview_import(db, write_csv(tmp_path / "variants.csv", header, rows), today=date(2026, 6, 15))
    assert preview.errors == []
    assert preview.columns == ["序号", "姓名", "所在党支部", "公民身份号码", "加入党组织日期", "转为正式党员日期", "手机号码"]
    assert preview.ignored_columns == ["政治面貌"]
    m = preview.to_add[0]
    assert (m.id_number, m.joined_date, m.mobile) == (ZHANG, date(2005, 7, 1), "13912345678")
    for alias in ("身份证号", "公民身份证号", "入党日期", "转正时间", "手机号", "所在党组织", "手机号码（必填）", " 所在党支部 "):
        assert ex.canonical_column(alias) is not None, alias


def test_every_date_form(db, branch, tmp_path):
    forms = ["2005-07-01", "2005/7/1", "2005.7.1", "2005年7月1日", "20050701", "38534"]
    rows = [[i, f"党员{i}", "第一网格党支部", idcard.make("320102", date(1980, 1, i), i, "男"), "",
             "正式党员", form, "", ""] for i, form in enumerate(forms, start=1)]
    preview = roster.preview_import(db, write_csv(tmp_path / "dates.csv", HEADER, rows), today=date(2026, 6, 15))
    assert preview.errors == []
    assert {m.joined_date for m in preview.to_add} == {date(2005, 7, 1)}


def test_bad_dates_and_values_are_reported_with_row_and_column(db, branch, tmp_path):
    header = HEADER + ["是否为流动党员", "党籍状态"]
    rows = [
        [1, "张三", "第一网格党支部", ZHANG, "男", "正式党员", "2005-13-01", "", "", "否", "正常"],
        [2, "李四", "第一网格党支部", LI, "女", "党员", "2005-07-01", "", "12345", "也许", "开除"],
    ]
    preview = roster.preview_import(db, write_csv(tmp_path / "bad.csv", header, rows), today=date(2026, 6, 15))
    got = {(e.row_number, e.field) for e in preview.errors}
    assert got == {(2, "加入党组织日期"), (3, "人员类别"), (3, "手机号码"), (3, "是否为流动党员"), (3, "党籍状态")}
    line = preview.error_lines()[0]
    assert line.startswith("bad.csv：第 2 行，加入党组织日期“2005-13-01”：")
    assert preview.invalid_rows == 2 and preview.to_add == []


def test_excel_damaged_id_numbers_are_named_per_row(db, branch, tmp_path):
    x_id = next(idcard.make("320102", date(1980, 1, d), s, "男") for d in range(1, 29) for s in range(100)
                if idcard.make("320102", date(1980, 1, d), s, "男").endswith("X"))
    rows = [
        [1, "科学计数", "", float(ZHANG), "", "正式党员", "2005-07-01", "2006-07-01", ""],  # number cell
        [2, "丢了X", "", int(x_id[:17]), "", "正式党员", "2005-07-01", "2006-07-01", ""],
        [3, "文本科学计数", "", "1.10105E+17", "", "正式党员", "2005-07-01", "2006-07-01", ""],
        [4, "十五位", "", ZHANG[:6] + ZHANG[8:17], "", "正式党员", "2005-07-01", "2006-07-01", ""],
        [5, "十七位", "", x_id[:17], "", "正式党员", "2005-07-01", "2006-07-01", ""],
        [6, "末尾000", "", ZHANG[:15] + "000", "", "正式党员", "2005-07-01", "2006-07-01", ""],
        [7, "好的", "", WANG, "", "正式党员", "1985-07-01", "1986-07-01", ""],
    ]
    path = write_xlsx(tmp_path / "excel.xlsx", HEADER, rows)
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    reasons = {e.row_number: e.reason for e in preview.errors}
    assert {e.field for e in preview.errors} == {"公民身份号码"}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "15 位有效数字" in reasons[2]
    assert "末位的 X 丢了" in reasons[3] and "15 位有效数字" in reasons[3]
    assert "科学计数法" in reasons[4]
    assert "15 位" in reasons[5]
    assert "17 位" in reasons[6] and x_id in reasons[6]
    assert "000" in reasons[7]
    assert next(e for e in preview.errors if e.row_number == 2).value == "3.20102E+17"
    assert [m.name for m in preview.to_add] == ["好的"]


def test_duplicate_id_numbers_in_the_file_are_errors_on_the_later_rows(db, branch, tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], [3, "张三又", "第一网格党支部", ZHANG.lower(), "", "正式党员", "2005-07-01", "", ""]]
    preview = roster.preview_import(db, write_csv(tmp_path / "dup.csv", HEADER, rows), today=date(2026, 6, 15))
    assert [(e.row_number, e.field, e.reason) for e in preview.errors] == [(4, "公民身份号码", "与第 2 行重复")]


def test_missing_required_column_empty_and_foreign_files_are_refused_by_name(db, tmp_path):
    with pytest.raises(DomainError, match="no_id.csv.*公民身份号码"):
        roster.preview_import(db, write_csv(tmp_path / "no_id.csv", ["姓名", "性别"], [["张三", "男"]]))
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DomainError, match="empty.csv.*空"):
        ex.read_table(tmp_path / "empty.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip file at all")
    with pytest.raises(DomainError, match="fake.xlsx"):
        ex.read_table(tmp_path / "fake.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DomainError, match="old.xls.*xlsx"):
        ex.read_table(tmp_path / "old.xls")
    with pytest.raises(DomainError, match="missing.csv"):
        ex.read_table(tmp_path / "missing.csv")


# ---------------------------------------------------------------- writing an import

def test_new_branches_are_listed_and_created_under_the_community(db, branch, tmp_path):
    rows = [GOOD_ROWS[0], [2, "李四", "第九网格党支部", LI, "", "预备党员", "2026-01-10", "", ""],
            [3, "王五", "", WANG, "", "正式党员", "1985-07-01", "1986-07-01", ""]]
    preview = roster.preview_import(db, write_csv(tmp_path / "new.csv", HEADER, rows), today=date(2026, 6, 15))
    assert preview.new_branches == ["第九网格党支部"]
    result = roster.apply_import(db, preview)
    assert result.branches_created == ("第九网格党支部",) and result.added == 3
    tree = {o.name: o for o in orgs.list_tree(db)}
    assert tree["第九网格党支部"].parent_id == roster.root_org_id(db)
    assert tree["第九网格党支部"].kind == "branch" and tree["第九网格党支部"].member_count == 1
    got = by_name(db)
    assert got["李四"].org_name == "第九网格党支部"
    assert got["王五"].org_id == roster.root_org_id(db)  # no branch given: the community itself


def test_errors_refuse_the_whole_file_by_default_and_write_nothing(db, branch, tmp_path):
    rows = [GOOD_ROWS[0], [2, "李四", "第九网格党支部", "1.10105E+17", "", "正式党员", "2005-07-01", "", ""],
            [3, "王五", "第十网格党支部", WANG, "", "正式党员", "1985-07-01", "1986-07-01", ""]]
    preview = roster.preview_import(db, write_csv(tmp_path / "mixed.csv", HEADER, rows), today=date(2026, 6, 15))
    orgs_before = len(orgs.list_tree(db))
    with pytest.raises(DomainError, match="mixed.csv：有 1 行数据有误") as exc:
        roster.apply_import(db, preview)
    assert "第 3 行" in str(exc.value)
    assert members(db) == 0 and len(orgs.list_tree(db)) == orgs_before

    result = roster.apply_import(db, preview, skip_invalid=True)
    assert (result.added, result.skipped_invalid) == (2, 1)
    assert set(by_name(db)) == {"张三", "王五"}
    assert "第九网格党支部" not in {o.name for o in orgs.list_tree(db)}  # only the bad row named it


def test_update_existing_changes_only_what_the_file_says(db, branch, tmp_path):
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, GOOD_ROWS)))
    before = by_name(db)
    changed = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1])]
    changed[0][8] = "13700000000"
    path = write_csv(tmp_path / "b.csv", HEADER, changed)
    preview = roster.preview_import(db, path)
    assert preview.unchanged == 1 and preview.to_add == []
    assert [(mid, labels) for mid, _, labels in preview.to_update] == [(before["张三"].id, ["手机号码"])]

    skipped = roster.apply_import(db, preview)
    assert (skipped.updated, skipped.skipped_existing) == (0, 1)
    assert by_name(db)["张三"].mobile == "13912345678"

    done = roster.apply_import(db, roster.preview_import(db, path), update_existing=True)
    assert (done.updated, done.unchanged) == (1, 1)
    after = by_name(db)
    assert after["张三"].mobile == "13700000000" and after["张三"].version == before["张三"].version + 1
    assert after["李四"].version == before["李四"].version


def test_apply_rechecks_the_preview_and_writes_nothing_once_the_roster_moved_under_it(db, branch, tmp_path):
    """Apply writes the preview's plan only while the roster is still as the preview saw it."""
    from desktop_app.domain.errors import Conflict

    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, GOOD_ROWS[:1])))
    changed = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1]), [3, "王五", "第九网格党支部", WANG, "男", "正式党员",
                                                        "1990-07-01", "1991-07-01", ""]]
    changed[0][8] = "13700000000"
    path = write_csv(tmp_path / "b.csv", HEADER, changed)

    stale_update = roster.preview_import(db, path)
    zhang = by_name(db)["张三"]
    roster.update(db, zhang.id, replace(zhang.to_input(), address="幸福里3栋"))  # edited meanwhile
    with pytest.raises(Conflict, match="张三"):
        roster.apply_import(db, stale_update, update_existing=True)
    assert members(db) == 1 and "第九网格党支部" not in {o.name for o in orgs.list_tree(db)}
    assert roster.apply_import(db, stale_update).added == 2  # not updating: the edit does not matter

    taken = roster.preview_import(db, write_csv(tmp_path / "c.csv", HEADER, [
        [4, "赵六", "第一网格党支部", idcard.make("320102", date(1970, 1, 1), 4, "男"), "男", "正式党员",
         "1995-07-01", "1996-07-01", ""]]))
    roster.create(db, MemberInput(name="赵六", org_id=branch.id, id_number=taken.to_add[0].id_number,
                                  gender="男", category="正式党员", joined_date=date(1995, 7, 1),
                                  confirmed_date=date(1996, 7, 1)))
    with pytest.raises(Conflict, match="赵六"):
        roster.apply_import(db, taken)
    assert members(db) == 4


def test_a_file_without_a_column_leaves_that_field_alone(db, branch, tmp_path):
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, GOOD_ROWS)))
    slim = write_csv(tmp_path / "slim.csv", ["姓名", "身份证号", "人员类别", "入党日期", "转正日期"],
                     [["张三", ZHANG, "正式党员", "2005-07-01", "2006-07-01"]])
    preview = roster.preview_import(db, slim)
    assert preview.unchanged == 1 and preview.to_update == []
    roster.apply_import(db, preview, update_existing=True)
    got = by_name(db)["张三"]
    assert got.mobile == "13912345678" and got.org_name == "第一网格党支部" and got.version == 1


# ---------------------------------------------------------------- export, round trip, template

@pytest.fixture
def roster_of_four(db, branch):
    today = date(2026, 6, 15)
    base = dict(org_id=branch.id, education="大学本科", job="教师", phone="025-84561234", address="幸福里3栋2单元",
                notes="老党员，备注里有, 逗号和\"引号\"")
    roster.create(db, MemberInput(name="张三", id_number=ZHANG, joined_date=date(2005, 7, 1),
                                  confirmed_date=date(2006, 7, 1), mobile="13912345678", **base), today=today)
    roster.create(db, MemberInput(name="李四", id_number=LI, category="预备党员", joined_date=date(2026, 1, 10),
                                  ethnicity="回族", **base), today=today)
    lost = roster.create(db, MemberInput(name="王五", id_number=WANG, joined_date=date(1985, 7, 1),
                                         confirmed_date=date(1986, 7, 1), **base), today=today)
    roster.change_status(db, lost.id, "失联", date(2025, 1, 1), today=today)
    x_id = next(n for n in (idcard.make("110105", date(1970, 2, d), s, "女") for d in range(1, 29)
                            for s in range(100)) if n.endswith("X"))
    floating = roster.create(db, MemberInput(name="赵六", id_number=x_id, joined_date=date(1995, 7, 1),
                                             confirmed_date=date(1996, 7, 1), **base), today=today)
    floating_out(db, floating.id, date(2025, 3, 1), "广东深圳", today=today)
    return by_name(db)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(db, roster_of_four, tmp_path, suffix):
    path = tmp_path / f"导出{suffix}"
    assert roster.export_members(db, path) == 4
    preview = roster.preview_import(db, path)
    assert preview.errors == []
    assert (preview.to_add, preview.to_update, preview.unchanged) == ([], [], 4)
    result = roster.apply_import(db, preview, update_existing=True)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 4)
    after = by_name(db)
    assert {n: d.version for n, d in after.items()} == {n: d.version for n, d in roster_of_four.items()}
    assert after["赵六"].status == "流动" and after["王五"].status == "失联"


def test_csv_export_opens_right_in_excel(db, roster_of_four, tmp_path):
    path = tmp_path / "导出.csv"
    roster.export_members(db, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == list(ex.TEMPLATE_COLUMNS)
    zhang = next(r for r in rows if r[1] == "张三")
    assert zhang[3] == "\t" + ZHANG  # the tab keeps Excel/WPS from making it 3.20102E+17
    assert zhang[12] == "\t13912345678" and zhang[9] == "2005-07-01" and zhang[16] == "否"
    assert not list(tmp_path.glob(".*"))  # no temp file left behind


def test_xlsx_export_keeps_ids_as_text_with_a_frozen_bold_header(db, roster_of_four, tmp_path):
    path = tmp_path / "导出.xlsx"
    roster.export_members(db, path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == list(ex.TEMPLATE_COLUMNS)
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width > 18
    id_cell = next(r[3] for r in ws.iter_rows(min_row=2) if r[1].value == "张三")
    assert id_cell.value == ZHANG and id_cell.data_type == "s" and id_cell.number_format == "@"
    date_cell = next(r[9] for r in ws.iter_rows(min_row=2) if r[1].value == "张三")
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"


def test_export_refuses_other_suffixes_and_honours_a_filter(db, roster_of_four, tmp_path):
    with pytest.raises(DomainError, match="名册.pdf"):
        roster.export_members(db, tmp_path / "名册.pdf")
    assert roster.export_members(db, tmp_path / "p.csv", MemberFilter(category="预备党员")) == 1


def test_template_has_the_21_columns_in_order(db, tmp_path):
    assert len(ex.TEMPLATE_COLUMNS) == 21
    path = tmp_path / "模板.xlsx"
    ex.write_template(path)
    header, rows = ex.read_table(path)
    # then 外出日期: the start of the 流出 a 流动 row registers (not a field of the record)
    assert header == [*ex.TEMPLATE_COLUMNS, "外出日期"] == list(ex.FILE_COLUMNS) and rows == []
    ws = load_workbook(path).active
    assert ws.column_dimensions["D"].number_format == "@" and ws.freeze_panes == "A2"
    preview = roster.preview_import(db, path)
    assert preview.total_rows == 0 and preview.errors == []


def test_the_shipped_template_matches_the_generator():
    shipped = resource_path("templates", ex.TEMPLATE_NAME)
    assert shipped.is_file(), "regenerate with: python -c 'from desktop_app.exchange.members import write_template as w; w(\"resources/templates/党员信息导入模板.xlsx\")'"
    header, rows = ex.read_table(shipped)
    assert header == list(ex.FILE_COLUMNS) and rows == []


def test_filled_in_template_imports(db, branch, tmp_path):
    path = tmp_path / "填好的模板.xlsx"
    ex.write_template(path)
    wb = load_workbook(path)
    ws = wb["党员信息"]
    ws.append([1, "张三", "第一网格党支部", ZHANG, "男", "汉族", None, "大学本科", "正式党员", "2005-07-01",
               "2006-07-01", "教师", "13912345678", None, "幸福里", "正常", "否", None, "否", None, None])
    wb.save(path)
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == [] and len(preview.to_add) == 1
    assert roster.apply_import(db, preview).added == 1


def test_an_unusable_new_branch_name_is_a_row_error(db, branch, tmp_path):
    rows = [[1, "张三", "支" * 61, ZHANG, "", "正式党员", "2005-07-01", "2006-07-01", ""]]
    preview = roster.preview_import(db, write_csv(tmp_path / "long.csv", HEADER, rows))
    assert [(e.row_number, e.field) for e in preview.errors] == [(2, "所在党支部")]
    assert preview.new_branches == []


def test_a_sheet_with_no_category_column_reads_recent_joiners_as_probationary(db, branch, tmp_path):
    """周伟 joined 2025-10-10, no 转正日期, 备注 预备党员: with no 人员类别 column he is a 预备党员, not a 正式党员 with a
    hint; 老党员 with no 转正日期 stays 正式党员 but the row asks; a 转正日期 says nothing; a member already on the
    roster keeps the category recorded."""
    today = date(2026, 1, 15)
    zhou, old, wu = (idcard.make("320102", date(1995, 4, 4), 7, "男"), idcard.make("320102", date(1950, 2, 2), 8, "男"),
                     idcard.make("320102", date(1990, 9, 9), 9, "女"))
    header = ["姓名", "所在党支部", "公民身份号码", "加入党组织日期", "转为正式党员日期", "备注"]
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, [
        ["1", "吴芳", "第一网格党支部", wu, "女", "预备党员", "2025-12-01", "", ""]]), today=today))
    rows = [["周伟", "第一网格党支部", zhou, "2025-10-10", "", "预备党员"],
            ["王德福", "第一网格党支部", old, "1975-07-01", "", ""],
            ["李秀兰", "第一网格党支部", LI, "2015-07-01", "2016-07-01", ""],
            ["吴芳", "第一网格党支部", wu, "2025-12-01", "", "新备注"]]
    preview = roster.preview_import(db, write_csv(tmp_path / "b.csv", header, rows), today=today)
    assert not preview.errors
    said = {w.row_number: w.reason for w in preview.warnings if w.field == "人员类别"}
    assert "按预备党员导入" in said[2] and "2025-10-10" in said[2]
    assert "请核对是否已转正 / 延长预备期" in said[3]
    assert set(said) == {2, 3}  # 李秀兰 has a 转正日期; 吴芳 is on the roster already
    row3 = [w.reason for w in preview.warnings if w.row_number == 3]
    assert not any(r == "正式党员未填写转为正式党员日期" for r in row3)  # said once, with what to check
    assert "按入党日期读作预备党员 1 人（第 2 行）" in preview.summary()
    roster.apply_import(db, preview, update_existing=True)
    got = by_name(db)
    assert (got["周伟"].category, got["王德福"].category, got["李秀兰"].category) == ("预备党员", "正式党员", "正式党员")
    assert got["吴芳"].category == "预备党员" and got["吴芳"].notes == "新备注"
    # The template's help says so (人员类别 is not a required column).
    help_lines = [r[0] for r in load_workbook(resource_path("templates", ex.TEMPLATE_NAME))["填写说明"].iter_rows(values_only=True)]
    assert any("没有人员类别列时" in line and "预备党员" in line for line in help_lines)
    assert not any(line.startswith("2. 必填") and "人员类别（" in line for line in help_lines)
