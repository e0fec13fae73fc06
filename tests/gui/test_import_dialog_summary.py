"""The member import dialog's closing line: 新增 always, each other count only when there is one."""

from types import SimpleNamespace

from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.views.roster import ImportResult


def said(result: ImportResult | None) -> str:
    return ImportDialog.result_summary_text(SimpleNamespace(result_summary=result))


def test_the_summary_names_every_count_there_is_in_order():
    assert said(None) == ""
    assert said(ImportResult()) == "导入完成：新增 0 名。"
    assert said(ImportResult(added=2, skipped_invalid=1)) == "导入完成：新增 2 名，跳过有问题的行 1 行。"
    assert said(ImportResult(added=1, updated=2, unchanged=3, skipped_existing=4, skipped_invalid=5,
                             branches_created=("第三网格党支部", "第四网格党支部"))) == (
        "导入完成：新增 1 名，更新 2 名，无变化 3 名，已在名册未更新 4 名，跳过有问题的行 5 行。"
        "新建党支部：第三网格党支部、第四网格党支部。")
