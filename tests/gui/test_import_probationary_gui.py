"""A member file with no 人员类别 column: the import dialog says whom it reads as 预备党员 by their dates, and why."""

import csv
import os
from datetime import date

from desktop_app.domain import idcard
from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.services import orgs

TODAY = date(2026, 1, 15)


def test_the_preview_names_the_rows_read_as_probationary(app_ctx, tmp_path, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    path = tmp_path / "新中心名册.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "所在党支部", "公民身份号码", "加入党组织日期", "转为正式党员日期", "备注"])
        w.writerow(["周伟", "第一网格党支部", idcard.make("320102", date(1995, 4, 4), 7, "男"), "2025-10-10", "", "预备党员"])
        w.writerow(["王德福", "第一网格党支部", idcard.make("320102", date(1950, 2, 2), 8, "男"), "1975-07-01", "", ""])
    dlg = ImportDialog(None, db, today=TODAY, path=path)
    dlg.resize(900, 560)
    dlg.show()
    wait_ops()
    assert dlg.preview is not None and not dlg.preview.errors
    assert "读作预备党员 1 名" in dlg.summary.text()
    model = dlg.add_view.model()
    categories = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert categories == {"周伟": "预备党员", "王德福": "正式党员"}
    tips = dlg.warning_view.model()
    said = [tips.index(r, 1).data() for r in range(tips.rowCount())]
    assert any("按预备党员导入" in t for t in said) and any("延长预备期" in t for t in said)
    if shots := os.environ.get("DANGQUN_SHOTS"):  # look at it: DANGQUN_SHOTS=/tmp/dir
        dlg.grab().save(os.path.join(shots, "import_add.png"))
        dlg.tabs.setCurrentIndex(4)
        dlg.grab().save(os.path.join(shots, "import_tips.png"))
    dlg.close()
