"""导入表格 page: a 三会一课 sheet from another system is mapped, previewed with its bad rows, fixed and imported."""


from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.gui.imports.page import ImportsPage
from desktop_app.services import orgs
from desktop_app.store.models_meetings import Meeting


def sheet(path, when):
    wb = Workbook()
    ws = wb.active
    ws.append(["三会一课登记表"])
    ws.append(["类别", "召开组织", "会议名称", "会议日期", "会议地点", "主持人", "应到", "实到"])
    ws.append(["支委会会议", "第一网格党支部", "研究发展党员", when, "会议室", "张三", 5, 5])
    ws.append(["党课学习", "第一网格党支部", "学习党章", "2025-05-10", "会议室", "张三", 10, 9])
    ws.append(["合计", None, None, None, None, None, 15, 14])
    wb.save(path)
    return path


def test_a_foreign_meetings_sheet_is_mapped_previewed_and_imported(app_ctx, tmp_path, wait_ops, qtmodeltester):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    page = ImportsPage(app_ctx)
    page.show()
    page.kind_box.setCurrentIndex(page.kind_box.findData("meetings"))
    page.load(sheet(tmp_path / "bad.xlsx", "2099-01-01"))
    wait_ops()
    step = page.mapping_dialog  # 召开组织 is no name we know: the step asks
    assert step is not None and step.isVisible() and step.target("类别") == "会议类型"
    step.choose("召开组织", "党组织")
    step.accept()
    wait_ops()
    wait_ops()
    qtmodeltester.check(page.errors)
    qtmodeltester.check(page.skipped)
    assert page.errors.rowCount() == 1 and "将来的日期" in page.errors.rows[0].reason
    assert page.skipped.rows[0].reason == "合计行"
    assert not page.import_button.isEnabled()
    page.load(sheet(tmp_path / "good.xlsx", "2025-04-02"))  # the saved mapping reads it at once
    wait_ops()
    assert page.preview is not None and page.preview.errors == () and page.import_button.isEnabled()
    assert "保存的列映射" in page.summary.text()
    page.do_import()
    wait_ops()
    assert "已导入 2 条" in page.summary.text()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Meeting).where(Meeting.status == "held")) == 2
    page.grab().save(str(tmp_path / "page.png"))
    page.close()


def test_an_extra_column_it_does_not_know_is_listed_not_asked_about(app_ctx, tmp_path, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    wb = Workbook()
    wb.active.append(["日期", "会议类型", "支部", "主题", "应到人数", "实到人数", "主持人", "记录人", "天气"])
    wb.active.append(["2025-03-05", "支部党员大会", "第一网格党支部", "学习党章", 10, 9, "张三", "李四", "晴"])
    wb.save(path := tmp_path / "三会一课.xlsx")
    page = ImportsPage(app_ctx)
    page.show()
    page.kind_box.setCurrentIndex(page.kind_box.findData("meetings"))
    page.load(path)
    wait_ops()
    # every required column is there: 天气 no longer opens 列映射, it is named under the preview
    assert page.mapping_dialog is None
    assert page.preview is not None and page.preview.errors == () and page.import_button.isEnabled()
    assert "未识别的列（不导入）：天气" in page.summary.text()
    page.close()


def test_the_blank_template_is_saved_through_the_kit_never_into_the_data_folder(app_ctx, monkeypatch, wait_ops):
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.gui.widgets import common, forms
    from desktop_app.settings import data_dir

    page = ImportsPage(app_ctx)
    starts, told = [], []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: starts.append(start)
                                     or (str(data_dir() / "模板.xlsx"), "")))
    monkeypatch.setattr(common, "inform", lambda parent, title, text: told.append(text))
    page.save_template()
    wait_ops()
    assert starts[0].startswith(str(forms.prints_dir())) and starts[0].endswith(".xlsx")
    assert told and "数据文件夹" in told[0] and not (data_dir() / "模板.xlsx").exists()
    page.close()
