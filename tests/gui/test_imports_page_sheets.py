"""导入表格 page on a workbook of several sheets (a 收支明细 per year, 三会一课 per branch): the preview says
which sheet it read, and a sheet box beside the file reads another, as the member import does."""

import os

from openpyxl import Workbook

from desktop_app.gui.imports.page import ImportsPage
from desktop_app.services import orgs

HEAD = ["会议类型", "党组织", "会议主题", "实际会议时间", "应到人数", "实到人数"]


def test_a_workbook_of_several_sheets_is_read_sheet_by_sheet(app_ctx, tmp_path, wait_ops):
    community = next(n for n in orgs.list_tree(app_ctx.db) if n.kind == "community")
    orgs.create(app_ctx.db, "第一党支部", "B01", "branch", community.id)
    orgs.create(app_ctx.db, "第二党支部", "B02", "branch", community.id)
    wb = Workbook()
    wb.active.title = "第一党支部"
    wb.active.append(HEAD)
    wb.active.append(["支委会", "第一党支部", "研究发展党员", "2025-03-05", 5, 5])
    second = wb.create_sheet("第二党支部")
    second.append(HEAD)
    second.append(["支委会", "第二党支部", "研究发展党员", "2025-03-06", 5, 5])
    second.append(["党课", "第二党支部", "学习党章", "2025-04-06", 20, 18])
    path = tmp_path / "三会一课.xlsx"
    wb.save(path)
    page = ImportsPage(app_ctx)
    page.resize(1000, 600)
    page.show()
    page.kind_box.setCurrentIndex(page.kind_box.findData("meetings"))
    page.load(path)
    wait_ops()
    assert page.preview is not None and page.preview.total_rows == 1
    assert page.sheet_box.isVisible() and page.sheet_box.currentText() == "第一党支部"
    assert "另有 1 张工作表未读取：第二党支部" in page.summary.text()
    page.sheet_box.setCurrentIndex(page.sheet_box.findText("第二党支部"))
    page.sheet_box.activated.emit(page.sheet_box.currentIndex())
    wait_ops()
    assert page.preview is not None and page.preview.total_rows == 2
    assert "未读取：第一党支部" in page.summary.text()
    if shots := os.environ.get("DANGQUN_SHOTS"):
        page.grab().save(os.path.join(shots, "imports_sheets.png"))
