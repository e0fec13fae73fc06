"""打印三单 on the 三单 page: one 打印/导出 button beside the other actions (their texts still shown on a 1024
screen), its menu printing the lists chosen with the page's year and search, read back from the PDF."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop_app.gui.cobuilding import lists as lists_page
from desktop_app.gui.cobuilding.lists import ListsPage
from desktop_app.gui.widgets import forms
from tests.gui.test_cobuilding_lists_narrow import demo_ctx  # noqa: F401 (fixtures)

NAVIGATION = 192  # what the navigation takes of the window's width


def _page(qtbot, wait_ops, ctx, width):
    page = ListsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.resize(width, 640)
    wait_ops()
    qtbot.wait(50)
    return page


def test_print_and_export_share_a_button_and_the_texts_still_show_at_1024(qtbot, demo_ctx, wait_ops, shot):
    page = _page(qtbot, wait_ops, demo_ctx, 1024 - NAVIGATION)
    for width in (1024 - NAVIGATION, 1366 - NAVIGATION):
        page.resize(width, 640)
        wait_ops()
        qtbot.wait(50)
        shot(page, f"lists-print-{width}.png")
        assert page.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon, width
        for act in page.toolbar.actions():
            if not act.isSeparator():
                assert page.toolbar.widgetForAction(act).isVisible(), (width, act.text())
        button = page.toolbar.widgetForAction(page.act_export)
        assert button.defaultAction() is page.act_output and button.width() <= 32 + (width > 900) * 80
        assert [a.text() for a in page.act_output.menu().actions()] == ["打印三单…", "导出Excel"]
    # at 1366 the shared button says what it is
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


def test_print_the_lists_chosen_with_the_pages_year(qtbot, demo_ctx, wait_ops, monkeypatch, tmp_path):
    page = _page(qtbot, wait_ops, demo_ctx, 1366 - NAVIGATION)
    year = page.today.year
    page.choice("year").setCurrentIndex(page.choice("year").findData(year))
    wait_ops()
    asked = {}

    def answer(dlg):
        asked["filtered"] = [w.text() for w in dlg.findChildren(lists_page.QLabel)]
        dlg.kinds["资源"].setChecked(False)
        dlg.with_done.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(lists_page.PrintListsDialog, "exec", answer)
    out = tmp_path / "三单.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "PDF")))
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    page.act_print.trigger()
    qtbot.waitUntil(lambda: out.exists() and "已生成三单" in page.message.text(), timeout=20_000)
    assert any(f"按页面当前的筛选：{year}年" in t for t in asked["filtered"])
    needs = [r for r in page.loaded.tables[0] if r.state != "已解决"]
    projects = [r for r in page.loaded.tables[2] if r.state != "已完成"]
    assert f"需求清单 {len(needs)} 条，项目清单 {len(projects)} 条" in page.message.text()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(out.read_bytes())).pages))
    assert f"{year}年度" in text and "不含已解决的需求和已完成的项目" in text and "资源清单共" not in text
    assert f"一、需求清单共{len(needs)}条" in text and f"二、项目清单共{len(projects)}个" in text
    assert needs and all(re.sub(r"\s+", "", n.title) in text for n in needs)


def test_nothing_chosen_prints_nothing(qtbot, demo_ctx, wait_ops):
    page = _page(qtbot, wait_ops, demo_ctx, 1366 - NAVIGATION)
    dlg = lists_page.PrintListsDialog(page, "全部年份")
    qtbot.addWidget(dlg)
    for box in dlg.kinds.values():
        box.setChecked(False)
    assert not dlg.ok.isEnabled()
    dlg.kinds["项目"].setChecked(True)
    assert dlg.ok.isEnabled() and dlg.chosen() == ["项目"]
