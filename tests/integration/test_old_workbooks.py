"""Old Excel 97-2003 (.xls) and OpenDocument (.ods) files import as .xlsx ones do; crafted ones are refused, never crash."""

import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import legacy_sheets, meeting_files, sheets
from desktop_app.services import orgs, roster
from desktop_app.services.roster import MemberFilter
from tests.old_workbooks import LIBREOFFICE_TAIL, patched_xls, small_stream_xls, write_ods, write_xls

pytest.importorskip("python_calamine")

ZHANG = idcard.make("320102", date(1980, 5, 6), 1, "男")
LI = idcard.make("320102", date(1985, 3, 2), 2, "女")
HEADER = ["序号", "姓名", "所在党支部", "公民身份号码", "性别", "人员类别", "加入党组织日期", "转为正式党员日期", "手机号码"]
TITLE = ["幸福里社区党员花名册（2024年）"]


@pytest.fixture
def branch(db):
    return orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))


def by_name(db) -> dict:
    return {d.name: d for d in (roster.get(db, i) for i in roster.search_ids(db, MemberFilter()))}


def test_a_roster_kept_as_xls_is_previewed_and_imported(db, branch, tmp_path):
    # As an old system exported it: a title row, dates as date cells, the phone stored as a number.
    path = write_xls(tmp_path / "花名册.xls", [
        TITLE, HEADER,
        [1, "张三", "第一网格党支部", ZHANG, "男", "正式党员", date(2005, 7, 1), datetime(2006, 7, 1), 13912345678.0],
        [2, "李四", "第一网格党支部", LI, "", "预备党员", date(2026, 1, 10), None, "139 1234 5679"],
        ["填写说明：身份证号码请用文本格式"],
    ], title="党员")
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == [] and preview.total_rows == 2
    assert [m.name for m in preview.to_add] == ["张三", "李四"]
    assert roster.apply_import(db, preview).added == 2
    got = by_name(db)
    assert got["张三"].mobile == "13912345678" and got["张三"].joined_date == date(2005, 7, 1)
    assert got["张三"].confirmed_date == date(2006, 7, 1)
    assert got["李四"].birth_date == date(1985, 3, 2) and got["李四"].org_name == "第一网格党支部"


def test_an_id_number_excel_stored_as_a_number_is_refused_on_its_row_and_column(db, branch, tmp_path):
    # An 18-digit ID typed into a number cell keeps 15 significant digits: never import what is left.
    path = write_xls(tmp_path / "花名册.xls", [
        TITLE, HEADER,
        [1, "张三", "第一网格党支部", float(ZHANG), "男", "正式党员", date(2005, 7, 1), date(2006, 7, 1), None],
        [2, "李四", "第一网格党支部", LI, "", "预备党员", "2026-01-10", "", ""],
    ])
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert [(e.row_number, e.field) for e in preview.errors] == [(3, "公民身份号码")]
    message = preview.errors[0].message("花名册.xls")
    assert message.startswith("花名册.xls：第 3 行，公民身份号码")
    assert "15 位有效数字" in message and "文本" in message
    assert [m.name for m in preview.to_add] == ["李四"]
    roster.apply_import(db, preview, skip_invalid=True)
    assert set(by_name(db)) == {"李四"}


def test_a_roster_saved_by_wps_or_libreoffice_as_ods_is_imported(db, branch, tmp_path):
    path = write_ods(tmp_path / "花名册.ods", [
        TITLE, HEADER,
        [1, "张三", "第一网格党支部", ZHANG, "男", "正式党员", date(2005, 7, 1), date(2006, 7, 1), 13912345678],
        [2, "李四", "第一网格党支部", LI, None, "预备党员", "2026-01-10", None, None],
    ])
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == [] and [m.name for m in preview.to_add] == ["张三", "李四"]
    assert roster.apply_import(db, preview).added == 2
    got = by_name(db)
    assert got["张三"].mobile == "13912345678" and got["张三"].joined_date == date(2005, 7, 1)


def test_a_meetings_sheet_after_a_notes_sheet_is_found_with_its_spreadsheet_row_numbers(tmp_path):
    path = write_xls(tmp_path / "三会一课.xls", [["填写说明"], ["日期请按年月日填写"]], title="说明", more={
        "记录": [["三会一课记录"], [], ["会议类型", "党组织", "会议日期", "会议主题"],
                 ["支部委员会", "第一网格党支部", date(2024, 3, 5), "学习"], ["合计", None, None, None]],
    })
    table = sheets.read_table(meeting_files.SPEC, path)
    assert (table.sheet, table.sheets, table.header_row) == ("记录", ("说明", "记录"), 3)
    assert table.missing(meeting_files.SPEC.required) == []
    assert table.rows == [(4, ["支部委员会", "第一网格党支部", datetime(2024, 3, 5), "学习"])]
    assert [(s.row_number, s.reason) for s in table.skipped] == [(5, "合计行")]


def test_a_sheet_starting_below_and_right_of_a1_keeps_its_row_and_column_numbers(tmp_path):
    rows = [[], [], [None, None, "姓名", "手机号码"], [None, None, "张三", 13800138000.0]]
    for path in (write_xls(tmp_path / "offset.xls", rows), write_ods(tmp_path / "offset.ods", rows)):
        assert sheets.read_records(path).records == [[None] * 4, [None] * 4, *rows[2:3], [None, None, "张三", 13800138000]]


def test_a_sheet_calamine_cannot_lay_out_is_passed_over_for_the_next(tmp_path, monkeypatch):
    # As a chart sheet before the data: there is no other reader of an .xls to hand the workbook to.
    from desktop_app.exchange import xlsx_fast

    path = write_xls(tmp_path / "图表在前.xls", [["图"]], title="图表", more={"名单": [["姓名", "手机号码"], ["张三", "13912345678"]]})
    real = xlsx_fast.open_scanned

    def chart_first(p):
        names, rows_of = real(p)
        return names, lambda title: None if title == "图表" else rows_of(title)

    monkeypatch.setattr(xlsx_fast, "open_scanned", chart_first)
    found = sheets.read_records(path)
    assert (found.sheet, found.records) == ("名单", [["姓名", "手机号码"], ["张三", "13912345678"]])
    with pytest.raises(DomainError, match="工作表“图表”无法读取"):
        sheets.read_records(path, "图表")


# ---------------------------------------------------------------- hostile and broken files

_READ = """
import sys
from desktop_app.domain.errors import DomainError
from desktop_app.exchange import sheets
try:
    sheets.read_records(sys.argv[1])
except DomainError as exc:
    print("refused:", exc)
else:
    print("read")
"""


def _read_in_a_child(path: Path) -> subprocess.CompletedProcess:
    """read_records in its own process under a 3 GB address-space limit: if calamine ever got a crafted
    file, its abort (which no exception handler catches) fails this test instead of killing the run."""
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run(
        [sys.executable, "-c", _READ, str(path)], capture_output=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2], preexec_fn=limit if os.name == "posix" else None,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture
def small_xls(tmp_path):
    return write_xls(tmp_path / "small.xls", [["姓名", "公民身份号码"], ["张三", ZHANG], ["李四", LI]])


@pytest.mark.parametrize("how", ["dimensions", "far_cell", "tall_wide"])
@pytest.mark.parametrize("mini", [False, True], ids=["stream", "mini-stream"])
def test_an_xls_declaring_or_reaching_a_huge_sheet_is_refused_before_calamine_opens_it(tmp_path, small_xls, how, mini):
    if mini:  # the same records, in a compound file that keeps them in its mini stream
        small_xls = small_stream_xls(small_xls, tmp_path / "mini.xls")
    path = patched_xls(small_xls, tmp_path / f"{how}.xls", how)
    before = path.read_bytes()
    done = _read_in_a_child(path)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert out.startswith(f"refused: {how}.xls：文件声明的表格过大"), out
    assert path.read_bytes() == before


@pytest.mark.parametrize("rows", [
    # 96 million cells from two repeat counts (calamine's own cap is 100 million): it aborts on these
    '<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000"'
    ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
    # a million rows of one filled cell
    '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float"'
    ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>',
    # two billion empty cells, then one with text
    '<table:table-row><table:table-cell table:number-columns-repeated="2000000000"/>'
    '<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>',
    # no repeats at all: one row 10,000 cells wide over 1,000 rows of one cell make a 10-million-cell block
    "<table:table-row>" + "<table:table-cell><text:p>x</text:p></table:table-cell>" * 10_000 + "</table:table-row>"
    + "<table:table-row><table:table-cell><text:p>y</text:p></table:table-cell></table:table-row>" * 1000,
], ids=["repeated-both-ways", "a-million-rows", "far-cell", "wide-and-long"])
def test_an_ods_whose_repeats_make_a_huge_sheet_is_refused_before_calamine_opens_it(tmp_path, rows):
    path = write_ods(tmp_path / "repeats.ods", [["姓名", "公民身份号码"], ["张三", ZHANG]], raw_rows=rows)
    done = _read_in_a_child(path)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert out.startswith("refused: repeats.ods：文件声明的表格过大"), out


def test_an_ods_with_a_mismatched_tag_is_refused_not_read_forever(tmp_path):
    # calamine 0.9.1 never returns from this file
    row = '<table:table-row><table:table-cell office:value-type="string"><teOt:p>x</text:p></table:table-cell></table:table-row>'
    path = write_ods(tmp_path / "mismatch.ods", [["姓名"]], raw_rows=row)
    out = _read_in_a_child(path).stdout.decode("utf-8")
    assert out.startswith("refused: mismatch.ods：OpenDocument 表格（.ods）文件已损坏") and "mismatched tag" in out


def test_the_empty_rows_libreoffice_ends_every_sheet_with_are_no_cells(tmp_path):
    path = write_ods(tmp_path / "lo.ods", [["姓名", "公民身份号码"], ["张三", ZHANG]], tail=LIBREOFFICE_TAIL * 3)
    assert sheets.read_records(path).records == [["姓名", "公民身份号码"], ["张三", ZHANG]]


@pytest.mark.parametrize("attrs", ['table:number-columns-repeated="&#49;000000000"',
                                   "table:number-columns-repeated='-1'"])
def test_an_ods_repeat_count_not_written_as_plain_digits_is_refused(tmp_path, attrs):
    row = f'<table:table-row><table:table-cell {attrs} office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    path = write_ods(tmp_path / "odd.ods", [["姓名"]], raw_rows=row)
    with pytest.raises(DomainError, match="格式异常"):
        legacy_sheets.check_ods(path)


def test_a_small_workbook_kept_in_the_compound_files_mini_stream_is_read(tmp_path, small_xls):
    path = small_stream_xls(small_xls, tmp_path / "小文件.xls")
    assert sheets.read_records(path).records == [["姓名", "公民身份号码"], ["张三", ZHANG], ["李四", LI]]


def test_a_password_protected_xls_is_refused_with_what_to_do(tmp_path, small_xls):
    path = patched_xls(small_xls, tmp_path / "加密.xls", "password")
    with pytest.raises(DomainError, match=r"^加密\.xls：文件设有打开密码.*另存为 \.xlsx"):
        sheets.read_records(path)


def test_a_password_protected_ods_is_refused_with_what_to_do(tmp_path):
    # As LibreOffice saves one: the manifest describes the encryption, content.xml is ciphertext.
    path = tmp_path / "加密.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", bytes(range(256)) * 4)
        z.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                   'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                   '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>')
    with pytest.raises(DomainError, match=r"^加密\.ods：文件设有打开密码.*另存为 \.xlsx"):
        sheets.read_records(path)


def test_broken_and_misnamed_workbooks_get_a_message_naming_the_file(tmp_path, small_xls):
    cases = {
        "garbage.xls": bytes(range(256)) * 8,
        "cut.xls": small_xls.read_bytes()[:3000],
        "garbage.ods": b"PK\x03\x04 broken",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DomainError, match=rf"^{name}："):
            sheets.read_records(tmp_path / name)
    renamed = tmp_path / "其实是新格式.xls"
    from openpyxl import Workbook

    Workbook().save(renamed)
    with pytest.raises(DomainError, match="扩展名"):
        sheets.read_records(renamed)
    (tmp_path / "名单.et").write_bytes(small_xls.read_bytes())
    with pytest.raises(DomainError, match=r"WPS 表格（\.et）.*另存为 \.xlsx"):
        sheets.read_records(tmp_path / "名单.et")


def test_a_large_xls_passes_the_scan_and_is_read_whole(tmp_path):
    # 5,000 rows x 20 columns, text and numbers: no limit is near.
    rows = [[f"值{r % 50}" if c % 3 else r * 1.5 for c in range(20)] for r in range(5000)]
    path = write_xls(tmp_path / "big.xls", rows)
    legacy_sheets.check_xls(path)
    assert len(sheets.read_records(path).records) == 5000


def test_a_residents_roll_in_xls_previews_with_the_same_row_and_field_errors(db, tmp_path):
    from desktop_app.services import residents_import

    path = write_xls(tmp_path / "网格居民.xls", [
        ["第一网格居民信息"], ["姓名", "公民身份号码", "联系电话", "楼栋", "单元", "室"],
        ["王五", LI, 13912345678.0, "1", "2", "301"],
        ["赵六", float(ZHANG), None, "1", "2", "302"],
    ])
    preview = residents_import.preview(db, path, today=date(2026, 6, 15))
    assert [(e.row_number, e.field) for e in preview.errors] == [(4, "公民身份号码")]
    assert "文本" in preview.errors[0].reason
    assert [(i.row_number, i.resident.phone) for i in preview.items] == [(3, "13912345678")]


@pytest.mark.parametrize("content, kind", [
    (b'<html><head><meta charset="utf-8"></head><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table>', "网页（HTML）"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', "XML 表格"),
    ("姓名\t公民身份号码\r\n张三\t1\r\n".encode("gb18030"), "文本"),
])
def test_a_web_page_xml_or_text_exported_under_the_name_xls_is_named_for_what_it_is(tmp_path, content, kind):
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    with pytest.raises(DomainError, match=rf"^导出\.xls：扩展名是 \.xls，内容却是 ?{kind}.*另存为 \.xlsx"):
        sheets.read_records(path)


def test_the_import_command_reads_an_xls_and_refuses_a_crafted_one_in_one_line(tmp_path, small_xls):
    from desktop_app.cli import main

    db = tmp_path / "c.db"
    assert main(["init", "--db", str(db), "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    roll = write_xls(tmp_path / "花名册.xls", [
        TITLE, ["姓名", "所在党支部", "身份证号", "入党日期"],
        ["张三", "第一支部", ZHANG, date(1999, 7, 1)],
        ["李四", "第一支部", float(LI), date(2001, 7, 1)],
    ])

    def run(*args):
        return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120)

    r = run("import", "members", str(roll), "--db", str(db))
    out = r.stdout.decode("utf-8")
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert "第 4 行" in out and "公民身份号码" in out and "文本" in out
    r = run("import", "members", str(patched_xls(small_xls, tmp_path / "坏.xls", "far_cell")), "--db", str(db))
    err = (r.stdout + r.stderr).decode("utf-8")
    assert r.returncode > 0 and "Traceback" not in err  # (an abort would be negative)
    assert "坏.xls：文件声明的表格过大" in err
