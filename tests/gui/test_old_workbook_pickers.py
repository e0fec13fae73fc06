"""Both import pickers offer old .xls and .ods workbooks, and a roster picked as .xls previews in the dialog."""

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop_app.domain import idcard
from desktop_app.gui.imports.page import ImportsPage
from desktop_app.gui.roster.import_dialog import ImportDialog
from desktop_app.services import orgs
from tests.old_workbooks import write_xls

pytest.importorskip("python_calamine")


def _offered(monkeypatch, picked: str = "") -> list[str]:
    filters: list[str] = []

    def one(parent, title, folder, wanted, *a, **k):
        filters.append(wanted)
        return picked, ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(one))
    return filters


def _patterns(filters: str) -> set[str]:
    first = filters.split(";;")[0]
    return set(first[first.index("(") + 1:first.index(")")].split())


def test_the_imports_page_offers_xls_and_ods(qtbot, app_ctx, monkeypatch):
    filters = _offered(monkeypatch)
    page = ImportsPage(app_ctx)
    qtbot.addWidget(page)
    page.choose_file()
    assert _patterns(filters[0]) == {"*.xlsx", "*.xls", "*.ods", "*.csv"}
    assert "Excel 97-2003 工作簿 (*.xls)" in filters[0].split(";;")


def test_the_member_import_dialog_offers_xls_and_reads_one(app_ctx, tmp_path, monkeypatch, wait_ops):
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    zhang = idcard.make("320102", date(1980, 5, 6), 1, "男")
    path = write_xls(tmp_path / "花名册.xls", [
        ["姓名", "所在党支部", "公民身份号码", "人员类别", "加入党组织日期", "转为正式党员日期"],
        ["张三", "第一网格党支部", zhang, "正式党员", date(2005, 7, 1), date(2006, 7, 1)],
    ])
    filters = _offered(monkeypatch, str(path))
    dlg = ImportDialog(None, db)
    dlg.show()
    dlg.choose_file()
    wait_ops()
    assert _patterns(filters[0]) == {"*.xlsx", "*.xls", "*.ods", "*.csv"} and filters[0].startswith("党员名单 (")
    assert dlg.preview is not None and dlg.preview.errors == []
    assert [m.name for m in dlg.preview.to_add] == ["张三"]
    dlg.close()
