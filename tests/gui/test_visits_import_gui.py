"""导入表格 page: a grid worker's 走访台账 is previewed with its bad row named, fixed and imported, once."""

from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.gui.imports.page import ImportsPage
from desktop_app.services import orgs
from desktop_app.services import residents as res
from desktop_app.store.models_service import Visit


def sheet(path, name):
    wb = Workbook()
    ws = wb.active
    ws.append(["第一网格走访台账"])
    ws.append(["日期", "居民姓名", "住址", "走访人员", "方式", "事由", "诉求"])
    ws.append(["2025.3.2", "王秀英", "梅园新村3栋", "网格员小刘", "入户", "送春联", None])
    ws.append(["2025年3月5日", name, None, "网格员小刘", "电话", "回访", "楼道路灯不亮"])
    wb.save(path)
    return path


def test_a_visit_log_is_previewed_imported_and_not_imported_twice(app_ctx, tmp_path, wait_ops, qtmodeltester):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    grid = orgs.create(db, "第一网格党支部", "B01", "branch", community.id).id
    home = res.create_household(db, res.HouseholdInput(grid_id=grid, building="梅园新村3栋", unit="2单元", room="302室"))
    for name in ("王秀英", "赵德明"):
        res.create_resident(db, res.ResidentInput(name=name, household_id=home.id), date(2025, 4, 1))
    page = ImportsPage(app_ctx)
    page.show()
    page.kind_box.setCurrentIndex(page.kind_box.findData("visits"))
    assert page.kind_box.currentText() == "走访记录（走访台账）"
    page.load(sheet(tmp_path / "bad.xlsx", "赵得明"))
    wait_ops()
    qtmodeltester.check(page.errors)
    assert page.mapping_dialog is None and page.errors.rowCount() == 1
    assert (page.errors.rows[0].row_number, page.errors.rows[0].field) == (4, "走访对象")
    assert "不是已登记的居民" in page.errors.rows[0].reason and not page.import_button.isEnabled()
    good = sheet(tmp_path / "good.xlsx", "赵德明")
    page.load(good)
    wait_ops()
    assert page.preview is not None and page.preview.errors == () and page.import_button.isEnabled()
    assert "新增走访记录 2 条（其中待处理 1 条）" in page.summary.text()
    page.grab().save(str(tmp_path / "page.png"))
    page.do_import()
    wait_ops()
    assert "已导入 2 条" in page.summary.text()
    page.load(good)
    wait_ops()
    assert "新增走访记录 0 条" in page.summary.text() and "无变化（已有同一次走访）2 条" in page.summary.text()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 2
    page.close()
