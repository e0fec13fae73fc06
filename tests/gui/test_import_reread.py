"""The member import dialog after a bad file: 有问题的行 name each row's 姓名, 重新读取 reads the corrected file
again without picking it, and the closing line counts the 流出 the import registered."""

import csv
import os
from datetime import date

from PySide6.QtCore import Qt

from desktop_app.domain import idcard
from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.services import orgs

TODAY = date(2026, 1, 15)
GOOD_ID = idcard.make("320102", date(1980, 3, 3), 5, "女")


def _write(path, second_id: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "所在党支部", "公民身份号码", "人员类别", "加入党组织日期", "是否为流动党员", "外出流向"])
        w.writerow(["张敏", "第一网格党支部", GOOD_ID, "正式党员", "2005-07-01", "是", "江苏省苏州市"])
        w.writerow(["李建国", "第一网格党支部", second_id, "正式党员", "1999-07-01", "否", ""])


def test_bad_rows_by_name_reread_and_outings(app_ctx, tmp_path, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    path = tmp_path / "名册.csv"
    _write(path, "32010219700101123")  # one digit short
    dlg = ImportDialog(None, db, today=TODAY, path=path)
    dlg.resize(900, 560)
    dlg.show()
    wait_ops()
    assert dlg.preview is not None and dlg.preview.errors
    bad = dlg.error_view.model()
    headers = [bad.headerData(c, Qt.Orientation.Horizontal) for c in range(bad.columnCount())]
    assert headers[:2] == ["行号", "姓名"]
    assert {(bad.index(r, 0).data(), bad.index(r, 1).data()) for r in range(bad.rowCount())} == {("3", "李建国")}
    assert "重新读取" in dlg.state.text() and dlg.reload_button.isEnabled()
    if shots := os.environ.get("DANGQUN_SHOTS"):
        dlg.grab().save(os.path.join(shots, "import_errors.png"))

    _write(path, idcard.make("320102", date(1970, 1, 1), 3, "男"))  # corrected in Excel, same file
    dlg.reload_button.click()
    wait_ops()
    assert dlg.preview is not None and not dlg.preview.errors and len(dlg.preview.to_add) == 2
    assert dlg.path == path

    dlg.do_import()
    wait_ops()
    assert dlg.result_summary is not None and dlg.result_summary.outings == 1
    assert "登记流出 1 人" in dlg.state.text()
    if shots:
        dlg.grab().save(os.path.join(shots, "import_done.png"))
    dlg.close()
