"""The member import dialog on a workbook kept as one sheet per branch: the preview says up front which
sheet it read, which it left and that the sheet's name is the rows' 所在党支部; a workbook note has no row."""

import os
from datetime import date

import openpyxl

from desktop_app.domain import idcard
from desktop_app.gui.roster.import_dialog import ImportDialog

HEAD = ["序号", "姓名", "性别", "公民身份号码", "入党日期"]


def test_a_workbook_of_branch_sheets_says_what_it_read_and_left(app_ctx, wait_ops, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "第一支部"
    for n, title in enumerate(("第一支部", "第二支部", "第三支部（退休）"), 1):
        ws = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
        ws.append([f"{title}党员名单"])
        ws.append(HEAD)
        ws.append([1, f"成员{n}", "男", idcard.make("110101", date(1960 + n, 1, 1), 10 + n, "男"), "2015.7.1"])
    path = tmp_path / "各支部党员.xlsx"
    wb.save(path)
    dlg = ImportDialog(None, app_ctx.db, today=date(2026, 1, 15), path=path)
    dlg.resize(1000, 600)
    dlg.show()
    wait_ops()
    said = dlg.summary.text()
    assert "按工作表名“第一支部”作为所在党支部" in said
    assert "另有 2 张工作表未读取：第二支部、第三支部（退休）" in said
    assert dlg.preview is not None and dlg.preview.new_branches == ["第一支部"]
    hints = dlg.warning_view.model()
    assert hints.index(0, 0).data() == "全表"
    if shots := os.environ.get("DANGQUN_SHOTS"):
        dlg.grab().save(os.path.join(shots, "import_branch_sheets.png"))
    dlg.close()
