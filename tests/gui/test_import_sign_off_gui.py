"""导入党员: a register's sign-off line (制表人、日期) is passed over, and the preview says so by name."""

from datetime import date

import openpyxl

from desktop_app.domain import idcard
from desktop_app.gui.roster.import_dialog import ImportDialog


def test_the_preview_names_the_sign_off_line_it_skipped(app_ctx, tmp_path, wait_ops):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "身份证号码", "所在支部", "入党时间", "转正时间"])
    ws.append([1, "王芳", "女", idcard.make("320102", date(1980, 3, 2), 12, "女"), "第一党支部", "2010.7.1", "2011.7.1"])
    ws.append(["制表人：王小红", None, None, None, "日期：2026年12月1日"])
    wb.save(path := tmp_path / "花名册.xlsx")
    dlg = ImportDialog(None, app_ctx.db, today=date(2026, 12, 7), path=path)
    dlg.show()
    wait_ops(20_000)
    assert dlg.preview is not None and not dlg.preview.errors and len(dlg.preview.to_add) == 1
    assert "跳过说明行、合计行、落款行 1 行" in dlg.summary.text()
    assert dlg.import_button.isEnabled()
    dlg.close()


def test_the_preview_says_which_rows_the_sheet_hides(app_ctx, tmp_path, wait_ops):
    # A roster filtered to one branch: the rows filtered out are imported too, and the worker did not see them.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "身份证号码", "入党时间", "转正时间"])
    for i in range(1, 5):
        ws.append([i, f"党员{'一二三四'[i - 1]}", "女", idcard.make("320102", date(1970 + i, 2, 3), 10 + 2 * i, "女"),
                   "2019-07-01", "2020-07-01"])
    ws.row_dimensions[3].hidden = True
    wb.save(path := tmp_path / "花名册.xlsx")
    dlg = ImportDialog(None, app_ctx.db, today=date(2026, 12, 7), path=path)
    dlg.show()
    wait_ops(20_000)
    assert dlg.preview is not None and len(dlg.preview.to_add) == 4
    assert "其中 1 行在表格中是隐藏的（隐藏行或筛选掉的行），照常导入：第 3 行" in dlg.summary.text()
    dlg.close()
