"""导入党员 on a workbook of one sheet per branch: 「全部工作表」 in the sheet box previews every roster sheet
at once, a bad row named by its sheet and row, and imports them all in one go once it is corrected."""

from datetime import date

from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.services import roster
from desktop_app.services.roster.all_sheets import ALL_SHEETS
from tests.integration.test_import_all_sheets import _book


def test_all_sheets_from_the_sheet_box(qtbot, app_ctx, wait_ops, tmp_path, shot):
    path = _book(tmp_path / "各支部党员.xlsx")
    dlg = ImportDialog(None, app_ctx.db, today=date(2026, 1, 15), path=path)
    qtbot.addWidget(dlg)
    dlg.resize(1000, 600)
    dlg.show()
    wait_ops()
    box = dlg.sheet_box
    assert box.isVisible() and box.itemText(box.count() - 1) == ALL_SHEETS
    assert "逐张选择工作表" in dlg.summary.text() and "全部工作表" in dlg.summary.text()
    box.setCurrentIndex(box.count() - 1)
    box.activated.emit(box.count() - 1)  # as a click on it
    wait_ops()
    assert dlg.sheet == ALL_SHEETS and box.currentText() == ALL_SHEETS
    p = dlg.preview
    assert p is not None and p.total_rows == 6 and len(p.errors) == 1
    assert "读取了全部 3 张党员名册工作表" in dlg.summary.text()
    errors = dlg.error_view.model()
    assert [errors.index(0, c).data() for c in range(3)] == ["第三支部（退休） 3", "成员六", "公民身份号码"]
    assert "工作表“第三支部（退休）”第 3 行" in dlg.error_detail.text()
    shot(dlg, "import_all_sheets.png")

    dlg.load(_book(tmp_path / "改好.xlsx", bad=False), ALL_SHEETS)  # corrected: all six in one import
    wait_ops()
    assert not dlg.preview.errors and len(dlg.preview.to_add) == 6
    assert box.currentText() == ALL_SHEETS
    result = roster.apply_import(app_ctx.db, dlg.preview, today=date(2026, 1, 15))
    assert result.added == 6
