"""民主评议 has 导出Excel as every list page does: the branch's members with their votes, shares and grades as the
grid shows them, through the kit's export (the personal-data question, an audit entry); read back with openpyxl."""

from __future__ import annotations

from openpyxl import load_workbook

from desktop_app.services import auth, privacy
from tests.gui.test_evaluation_votes_gui import NAMES, branch, open_page  # noqa: F401 (fixtures)
from tests.gui.test_list_export import export_entries, exports, saving_to


def test_the_sheet_holds_the_members_grades_and_counts(qtbot, app_ctx, branch, wait_ops, monkeypatch,  # noqa: F811
                                                       tmp_path):
    db = app_ctx.db
    p = open_page(qtbot, app_ctx, wait_ops)
    assert p.act_export.isEnabled()
    p.issued.setValue(12)
    p.returned.setValue(11)
    p.set_votes(0, 10, 1, 0, 0)
    p.set_grade(0, "优秀")
    p.set_grade(1, "合格")
    out, asked = tmp_path / "民主评议.xlsx", []
    saving_to(monkeypatch, out, asked)
    p.export_xlsx()  # unsaved edits: the sheet would hold what is not saved
    assert "请先“保存”" in p.message.text() and not out.exists() and export_entries(db) == 0
    p.save()
    wait_ops()
    p.export_xlsx()
    wait_ops()
    assert out.exists() and asked == [privacy.LIST_EXPORT_WARNING]
    sheet = load_workbook(out).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "第一网格党支部 2025 年度" in cells[0][0] and "发出 12 张，收回 11 张" in cells[0][0]
    header = next(i for i, row in enumerate(cells) if row and row[0] == "序号")
    titles = list(cells[header])
    assert titles[:2] == ["序号", "姓名"] and "优秀" in titles and "评议等次" in titles
    rows = [dict(zip(titles, r)) for r in cells[header + 1:header + 1 + len(NAMES)]]
    assert [r["姓名"] for r in rows] == NAMES
    assert rows[0]["优秀"] in ("10", 10) and rows[0]["合格"] in ("1", 1) and rows[0]["评议等次"] == "优秀"
    assert rows[1]["评议等次"] == "合格" and rows[2]["评议等次"] == "（未评）"
    assert "优秀90.9%" in rows[0]["测评情况"]
    assert export_entries(db) == 1 and "民主评议党员" in exports(db)[0].summary
    assert str(out) in p.message.text()


def test_an_account_without_the_personal_data_right_is_not_offered_it(qtbot, app_ctx, branch,  # noqa: F811
                                                                       wait_ops, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_first_admin(app_ctx.db, "admin", "王书记", "xingfuli2026")
    auth.create_user(app_ctx.db, "look", "只读", "viewer", "xingfuli2026", must_change_password=False)
    auth.logout(app_ctx.db)
    auth.login(app_ctx.db, "look", "xingfuli2026")
    p = open_page(qtbot, app_ctx, wait_ops)
    assert p.model.rowCount() == len(NAMES)
    assert not p.act_export.isEnabled() and "个人信息" in p.act_export.toolTip()
