"""The member import dialog's 列映射 step: unknown headers stop at it, the user maps columns and codes, it is saved."""

from datetime import date

from openpyxl import Workbook

from desktop_app.domain import idcard
from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.services import imports, orgs, roster
from desktop_app.services.roster import MemberFilter

A = idcard.make("320102", date(1980, 5, 6), 1, "男")
B = idcard.make("320102", date(1985, 3, 2), 2, "女")


def foreign_file(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["名字", "号码", "类型", "性别码", "何时", "所在党支部编码", "备用"])
    ws.append(["张三", A, "党员", "1", "2005-07-01", "B01", "x"])
    ws.append(["李四", B, "预备", "2", "2026-01-10", "B01", "y"])
    ws.append(["填写注意事项：红色字段为必填，日期请按年月日填写，号码请用文本格式。"])
    wb.save(path)
    return path


def test_unknown_headers_stop_at_the_mapping_step_which_maps_columns_and_codes(app_ctx, tmp_path, wait_ops,
                                                                                qtmodeltester):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    path = foreign_file(tmp_path / "其他系统.xlsx")
    dlg = ImportDialog(None, db, path=path)
    dlg.show()
    wait_ops()
    assert dlg.preview is None and not dlg.import_button.isEnabled()
    assert "列映射" in dlg.summary.text() and "姓名" in dlg.summary.text()
    step = dlg.mapping_dialog
    assert step is not None and step.isVisible()
    qtmodeltester.check(step.columns.model())
    assert step.target("号码") == "公民身份号码"  # found by its content
    assert step.target("所在党支部编码") == "所在党支部"
    step.accept()  # 姓名 is not chosen yet: refused inside the step
    assert "姓名" in step.message.text() and step.isVisible()
    step.choose("名字", "姓名")
    step.choose("类型", "人员类别")
    step.choose("性别码", "性别")
    step.choose("何时", "加入党组织日期")
    step.choose("备用", None)
    qtmodeltester.check(step.values.model())
    step.choose_value("人员类别", "党员", "正式党员")
    step.choose_value("人员类别", "预备", "预备党员")
    step.choose_value("性别", "1", "男")
    step.choose_value("性别", "2", "女")
    step.accept()
    wait_ops()
    wait_ops()
    p = dlg.preview
    assert p is not None and p.errors == []
    assert {m.name: (m.category, m.gender, m.org_id) for m in p.to_add} == {
        "张三": ("正式党员", "男", branch.id), "李四": ("预备党员", "女", branch.id)}
    assert "跳过说明行" in dlg.summary.text()
    dlg.do_import()
    wait_ops()
    assert len(roster.search_ids(db, MemberFilter())) == 2

    # The same layout next time: read at once with the saved mapping, no step.
    again = ImportDialog(None, db, path=foreign_file(tmp_path / "又一份.xlsx"))
    again.show()
    wait_ops()
    assert again.mapping_dialog is None and again.preview is not None
    assert "保存的列映射" in again.summary.text()
    assert imports.inspect(db, "members", path).saved is not None
    again.close()
    dlg.close()
