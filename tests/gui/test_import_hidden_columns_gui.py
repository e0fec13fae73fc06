"""导入表格 and 导入党员 on a sheet with a column hidden in Excel: the preview says, by letter, header and field,
that the hidden column is imported too, where the worker reads what will be written."""

import os
from datetime import date

import openpyxl

from desktop_app.domain import idcard
from desktop_app.gui.imports.page import ImportsPage
from desktop_app.gui.roster.import_dialog import ImportDialog


def _sheet(path, header, rows, hidden):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(header)
    for r in rows:
        ws.append(r)
    ws.column_dimensions[hidden].hidden = True
    wb.save(path)
    return path


def test_the_member_preview_names_the_hidden_id_column(app_ctx, tmp_path, wait_ops):
    path = _sheet(tmp_path / "花名册.xlsx", ["序号", "姓名", "性别", "身份证号码", "入党时间", "转正时间"],
                  [[1, "王芳", "女", idcard.make("320102", date(1980, 3, 2), 12, "女"), "2010.7.1", "2011.7.1"]], "D")
    dlg = ImportDialog(None, app_ctx.db, today=date(2026, 12, 7), path=path)
    dlg.show()
    wait_ops(20_000)
    assert dlg.preview is not None and len(dlg.preview.to_add) == 1
    assert "工作表“花名册”第 D 列“身份证号码”（导入为“公民身份号码”）在表格中被隐藏，也会导入" in dlg.summary.text()
    if shots := os.environ.get("DANGQUN_SHOTS"):
        dlg.grab().save(os.path.join(shots, "import_members_hidden_column.png"))
    dlg.close()


def test_the_imports_page_names_the_hidden_phone_column(app_ctx, tmp_path, wait_ops):
    path = _sheet(tmp_path / "居民.xlsx", ["居民姓名", "性别", "联系电话", "楼号", "单元号", "门牌号"],
                  [["孙奶奶", "女", "13900001111", "梅园新村3栋", "2", "301"]], "C")
    page = ImportsPage(app_ctx)
    page.kind_box.setCurrentIndex(page.kind_box.findData("residents"))
    page.resize(1000, 600)
    page.show()
    page.load(path)
    wait_ops()
    assert page.preview is not None and not page.preview.errors
    assert "工作表“花名册”第 C 列“联系电话”在表格中被隐藏，也会导入" in page.summary.text()
    if shots := os.environ.get("DANGQUN_SHOTS"):
        page.grab().save(os.path.join(shots, "imports_hidden_column.png"))
