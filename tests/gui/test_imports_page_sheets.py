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


def test_a_years_ledger_asks_before_it_closes_the_months(app_ctx, tmp_path, wait_ops, monkeypatch):
    from sqlalchemy import func, select

    from desktop_app.gui.widgets import common
    from desktop_app.store.models_ledger import LedgerEntry

    wb = Workbook()
    wb.active.append(["日期", "凭证号", "账户", "摘要", "收入", "支出"])
    wb.active.append(["2025.1.1", "", "党建工作经费", "上年结转", "1,234.50元", ""])
    wb.active.append(["2025.2.3", "1", "党建工作经费", "购买党建书籍", "", "￥200.00"])
    path = tmp_path / "收支明细.xlsx"
    wb.save(path)
    page = ImportsPage(app_ctx)
    page.show()
    page.kind_box.setCurrentIndex(page.kind_box.findData("ledger"))
    page.load(path)
    wait_ops()
    assert page.preview is not None and not page.preview.errors
    asked: list[str] = []
    monkeypatch.setattr(common, "ask", lambda parent, title, text: asked.append(text) or False)
    page.do_import()
    wait_ops()
    assert asked and "结账" in asked[0] and "2025 年 1—12 月" in asked[0] and "不能" in asked[0]
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert page.import_button.isEnabled()
    monkeypatch.setattr(common, "ask", lambda parent, title, text: True)
    page.do_import()
    wait_ops()
    with app_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 2
