"""导入表格 page: a branch's 党费收缴登记表 without a year in its title asks for the year, previews, imports once."""

from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.imports.page import NO_YEAR, ImportsPage
from desktop_app.services import orgs, roster
from desktop_app.store.models_ledger import DuesRecord


def register(path, title):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["序号", "姓名", "所在支部", "月缴纳额", *[f"{k}月" for k in range(1, 13)], "合计"])
    ws.append([1, "张建国", "第一党支部", 30, 30, "√", 30, None, None, None, None, None, None, None, None, None, 90])
    ws.append([2, "李秀兰", "第一党支部", "12.5", "12.5", "12.5", None, None, None, None, None, None, None, None,
               None, None, 25])
    ws.append([None, "合计", None, None, 42.5, 42.5, 30])
    wb.save(path)
    return path


def test_a_dues_register_is_previewed_with_its_year_and_imported_once(app_ctx, tmp_path, wait_ops, shot):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一党支部", "B01", "branch", community.id).id
    for seq, name in ((1, "张建国"), (2, "李秀兰")):
        born = date(1960 + seq, 1, 2)
        roster.create(db, MemberInput(name=name, org_id=branch, id_number=idcard.make("320102", born, seq, "男"),
                                      gender="男", birth_date=born, joined_date=date(1990, 7, 1),
                                      confirmed_date=date(1991, 7, 1)))
    page = ImportsPage(app_ctx)
    page.resize(1100, 520)
    page.show()
    assert page.year_box.isHidden()
    page.kind_box.setCurrentIndex(page.kind_box.findData("dues"))
    assert page.kind_box.currentText() == "党费收缴（以前的登记表）" and not page.year_box.isHidden()
    path = register(tmp_path / "党费.xlsx", "第一党支部党费收缴登记表")
    page.load(path)
    wait_ops()
    assert "看不出是哪一年" in page.summary.text() and not page.import_button.isEnabled()
    page.year_box.setValue(2025)  # the year filled in reads the file again
    wait_ops()
    assert page.preview is not None and page.preview.errors == () and page.import_button.isEnabled()
    text = page.summary.text()
    assert "党费交纳记录 5 个月（2 名党员，2025年）" in text and "不生成账目" in text
    assert page.tabs.tabText(1) == "跳过的行（1）" and page.skipped.rows[0].reason == "合计行"
    shot(page, "dues_import_preview.png")
    page.do_import()
    wait_ops()
    assert "已导入 5 条" in page.summary.text()
    page.load(path, sheet=None)
    wait_ops()
    assert "无变化（已登记同样金额）5 个月" in page.summary.text() and not page.import_button.isEnabled()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DuesRecord)) == 5
    page.kind_box.setCurrentIndex(page.kind_box.findData("visits"))
    assert page.year_box.isHidden() and page.year_box.value() == 2025 != NO_YEAR
    page.close()
