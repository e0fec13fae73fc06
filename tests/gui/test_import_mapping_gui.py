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


def test_the_mapping_step_s_combo_boxes_choose_fields_and_codes(qtbot, qtmodeltester, monkeypatch):
    from PySide6.QtWidgets import QComboBox

    from desktop_app.gui.imports.mapping_dialog import AS_IS, IGNORE, MEANING, READS_AS, MappingDialog
    from desktop_app.gui.widgets import common
    from desktop_app.views.imports import ColumnPlan, ColumnsReport, Mapping

    plan = (ColumnPlan(0, "名字", None, "未识别", ("张三", "李四")),
            ColumnPlan(1, "性别码", "性别", "别名", ("1", "2"), ("1", "2")),
            ColumnPlan(2, "类型", "旧字段", "映射", ("党员",), ("党员",)))
    report = ColumnsReport("members", "其他系统.xlsx", "Sheet1", ("Sheet1",), 1, 2, plan, (), "sig",
                           ("姓名", "性别", "人员类别"), ("姓名",), {"性别": ("男", "女"), "人员类别": ("正式党员", "预备党员")},
                           Mapping({}, {"性别": {"1": "男", "2": "不知道"}}))
    dlg = MappingDialog(None, None, "members", "其他系统.xlsx", report)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg._typed is not None)  # the discard guard has read the fields
    qtmodeltester.check(dlg.source_model)
    qtmodeltester.check(dlg.value_model)
    boxes = [dlg.columns.indexWidget(dlg.source_model.index(r, READS_AS)) for r in range(3)]
    assert all(isinstance(b, QComboBox) for b in boxes) and dlg.first_field is boxes[0]
    assert [b.currentText() for b in boxes] == [IGNORE, "性别", IGNORE]  # a target it does not offer reads as none
    assert boxes[0].toolTip() == "未识别"
    # the saved codes come back; one it cannot read stays as written
    codes = [dlg.values.indexWidget(dlg.value_model.index(r, MEANING)).currentText() for r in range(2)]
    assert codes == ["男", AS_IS]
    assert not dlg.is_modified()
    boxes[0].setCurrentText("姓名")
    boxes[2].setCurrentText("人员类别")  # a coded field: its values join the table below
    assert dlg.value_model.rowCount() == 3
    qtmodeltester.check(dlg.value_model)
    dlg.values.indexWidget(dlg.value_model.index(2, MEANING)).setCurrentText("正式党员")
    assert dlg.values.indexWidget(dlg.value_model.index(0, MEANING)).currentText() == "男"  # kept across the refill
    assert dlg.is_modified()
    assert dlg.mapping_data() == {"columns": {"名字": "姓名", "性别码": "性别", "类型": "人员类别"},
                                  "values": {"性别": {"1": "男"}, "人员类别": {"党员": "正式党员"}}}
    monkeypatch.setattr(common, "ask", lambda *a: True)  # closing it at the end discards the choices
