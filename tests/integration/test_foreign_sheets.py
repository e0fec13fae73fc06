"""Member sheets in other systems' layouts: notes and totals, guessed columns, swapped meanings, codes, mappings."""

import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain.errors import DomainError
from desktop_app.services import imports, orgs, roster
from desktop_app.services.database import open_database
from desktop_app.services.roster import MemberFilter
from desktop_app.store.models_access import AuditEntry
from desktop_app.views.imports import Mapping

A = idcard.make("320102", date(1980, 5, 6), 1, "男")
B = idcard.make("320102", date(1985, 3, 2), 2, "女")
C = idcard.make("320104", date(1960, 1, 9), 3, "男")


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def other_system_workbook(path, *, data_sheet="党员信息"):
    """A notes sheet first, then a title row, the other system's header, data with a blank row in the
    middle, a 合计 row and instruction rows under the data."""
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由某党建系统导出"])
    ws = wb.create_sheet(data_sheet)
    ws.append(["幸福里社区党员信息采集表"])
    ws.append(["序号", "党员姓名", "性别", "证件号码", "党籍状态", "人员类别", "入党时间", "转正时间",
               "所在党支部编码", "联系方式"])
    ws.append([1, "张三", 1, A, "正式党员", "普通编制", serial(date(2005, 7, 1)), serial(date(2006, 7, 1)),
               "32010200101", "13912345678"])
    ws.append([])
    ws.append([2, "李四", 2, B, "预备党员", "普通编制", serial(date(2026, 1, 10)), None,
               "32010200101", "13912345679"])
    ws.append([3, "王五", "1", C, "正式党员", "普通编制", "1985年6月1日", "1986.6.1", "32010200101", None])
    ws.append(["合计", None, None, None, None, None, None, None, None, None])
    ws.append(["填写注意事项：红色字段为必填，日期请按 yyyy-mm-dd 填写，身份证号请设为文本格式。"])
    ws.append(["1、红色字段为必填"])
    wb.save(path)
    return path


@pytest.fixture
def branch(db):
    return orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))


def test_a_foreign_layout_is_read_by_guessing_alone(db, branch, tmp_path):
    path = other_system_workbook(tmp_path / "其他系统.xlsx")
    report = imports.inspect(db, "members", path)
    by_source = {p.source: p for p in report.plan}
    assert by_source["证件号码"].target == "公民身份号码"
    assert by_source["党籍状态"].target == "人员类别"  # holds 正式党员/预备党员
    assert by_source["人员类别"].target is None  # holds 普通编制
    assert by_source["联系方式"].target == "手机号码"
    assert report.sheet == "党员信息" and report.header_row == 2
    assert [s.reason for s in report.skipped] == ["合计行", "说明行", "说明行"]
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == []
    assert {m.name: (m.gender, m.category, m.joined_date, m.confirmed_date, m.org_id) for m in preview.to_add} == {
        "张三": ("男", "正式党员", date(2005, 7, 1), date(2006, 7, 1), branch.id),
        "李四": ("女", "预备党员", date(2026, 1, 10), None, branch.id),
        "王五": ("男", "正式党员", date(1985, 6, 1), date(1986, 6, 1), branch.id),
    }
    assert [w.row_number for w in preview.warnings if w.reason.endswith("已跳过")] == [7, 8, 9]
    roster.apply_import(db, preview)
    assert len(roster.search_ids(db, MemberFilter())) == 3


def test_a_column_of_id_numbers_is_found_whatever_its_name_and_a_mapping_names_the_rest(db, branch, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["名字", "号码", "类型", "备用", "何时"])
    ws.append(["张三", A, "党员", "x", "2005-07-01"])
    ws.append(["李四", B, "预备", "y", "2026-01-10"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    with pytest.raises(DomainError, match="缺少“姓名”列"):
        roster.preview_import(db, path)
    mapping = imports.mapping_from_dict(db, "members", {
        "columns": {"名字": "姓名", "类型": "人员类别", "备用": None, "何时": "加入党组织日期"},
        "values": {"人员类别": {"党员": "正式党员"}},
    })
    report = imports.inspect(db, "members", path, mapping)
    assert {p.source: p.target for p in report.plan} == {"名字": "姓名", "号码": "公民身份号码", "类型": "人员类别",
                                                         "备用": None, "何时": "加入党组织日期"}
    preview = roster.preview_import(db, path, mapping=mapping, today=date(2026, 6, 15))
    assert preview.errors == []
    assert {m.name: m.category for m in preview.to_add} == {"张三": "正式党员", "李四": "预备党员"}


def test_a_hostile_mapping_is_refused_by_name(db, tmp_path):
    for data, message in [
        ([], "JSON 对象"),
        ({"columns": {"a": "不存在的列"}}, "不是可导入的列"),
        ({"columns": {}, "extra": 1}, "不认得的键"),
        ({"values": {"性别": {"1": 2}}}, "应为文字"),
        ({"columns": {"a" * 500: "姓名"}}, "太长"),
    ]:
        with pytest.raises(DomainError, match=message):
            imports.mapping_from_dict(db, "members", data)


def _cli_world(tmp_path):
    path = tmp_path / "c.db"
    assert main(["init", "--db", str(path), "--org-code", "320102001", "--org-name", "幸福里社区党委"]) == 0
    db, _ = open_database(path)
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    db.dispose()
    return path


def test_cli_show_columns_map_sheet_and_the_saved_mapping(tmp_path, capsys):
    path = _cli_world(tmp_path)
    sheet = other_system_workbook(tmp_path / "其他系统.xlsx")
    assert main(["import", "members", str(sheet), "--db", str(path), "--show-columns"]) == 0
    out = capsys.readouterr().out
    assert "D 列“证件号码” → 公民身份号码" in out and "第 9 行是说明行" in out and "工作表：说明、党员信息" in out
    assert main(["import", "members", str(sheet), "--db", str(path), "--sheet", "没有", "--dry-run"]) == 2
    assert "没有名为“没有”的工作表" in capsys.readouterr().err
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"columns": {"联系方式": None}, "values": {}}, ensure_ascii=False), "utf-8")
    assert main(["import", "members", str(sheet), "--db", str(path), "--map", str(mapping),
                 "--sheet", "党员信息"]) == 0
    out = capsys.readouterr().out
    assert "新增 3 人" in out and "第 7 行：合计行，已跳过" in out and "已保存此表头的列映射" in out
    db, _ = open_database(path)
    with db.session() as s:
        assert s.scalar(select(AuditEntry.note).where(AuditEntry.table_name == "import_mapping")).startswith("保存")
    saved = imports.saved_mapping(db, "members", imports.inspect(db, "members", sheet).signature)
    assert saved == Mapping({"联系方式": None}, {})
    assert all(m.mobile == "" for m in (roster.get(db, i) for i in roster.search_ids(db, MemberFilter())))
    db.dispose()
    assert main(["import", "members", str(sheet), "--db", str(path), "--dry-run"]) == 0
    assert "按上次为此表头保存的列映射读取" in capsys.readouterr().out


def test_a_gbk_csv_with_notes_above_and_below_codes_and_serials_as_text(db, branch, tmp_path):
    lines = [
        "填表说明：本表由组织部党员管理系统导出，请勿修改表头。,,,,,",
        "姓名,身份证号码,性别,入党日期,是否流动党员,流向",
        f"张三,{A},1,{serial(date(2005, 7, 1))},N,",
        ",,,,,",
        f"李四,{B},2,2010/7/1,Y,上海市浦东新区",
        "1、身份证号码请设为文本格式,,,,,",
        "2、入党日期格式为年-月-日,,,,,",
    ]
    path = tmp_path / "系统导出.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    preview = roster.preview_import(db, path, today=date(2026, 6, 15))
    assert preview.errors == []
    got = {m.name: (m.gender, m.joined_date, m.is_floating, m.floating_to) for m in preview.to_add}
    assert got == {"张三": ("男", date(2005, 7, 1), False, ""), "李四": ("女", date(2010, 7, 1), True, "上海市浦东新区")}
    assert [w.row_number for w in preview.warnings if w.reason.endswith("已跳过")] == [6, 7]


def test_cli_refuses_a_broken_mapping_file_by_name(tmp_path, capsys):
    path = _cli_world(tmp_path)
    sheet = other_system_workbook(tmp_path / "其他系统.xlsx")
    bad = tmp_path / "bad.json"
    for content, message in [(b"{not json", "bad.json：不是有效的 JSON"), (b"\xff\xfe\x00", "bad.json：不是有效的 JSON"),
                             ('{"columns": {"证件号码": "身份证"}}'.encode(), "不是可导入的列")]:
        bad.write_bytes(content)
        assert main(["import", "members", str(sheet), "--db", str(path), "--map", str(bad)]) == 2
        assert message in capsys.readouterr().err
    assert main(["import", "members", str(sheet), "--db", str(path), "--map", str(tmp_path / "无.json")]) == 2
    assert "映射文件不存在" in capsys.readouterr().err
    assert main(["import", "meetings", str(sheet), "--db", str(path), "--map", str(bad)]) == 2
    assert "不是可导入的列" in capsys.readouterr().err  # checked against the meeting columns
