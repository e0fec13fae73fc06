"""The 经费台账 page's prints and export: asked where, made off the GUI thread, said on the page and offered to open."""

from __future__ import annotations

from desktop_app.gui.ledger.page import LedgerPage
from desktop_app.gui.widgets import forms


def test_annual_summary_and_entries_export_are_saved_where_asked(qtbot, app_ctx, wait_ops, monkeypatch, tmp_path):
    page = LedgerPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    asked, offered = [], []
    monkeypatch.setattr(forms, "offer_open", lambda parent, path, text=None: offered.append((path, text)))
    for act, name in ((page.print_annual, "汇总.pdf"), (page.export_xlsx, "明细.xlsx")):
        out = tmp_path / name
        monkeypatch.setattr(forms, "ask_save_path", lambda parent, title, default, *a, out=out, **k:
                            asked.append((title, default)) or out)
        act()
        wait_ops(30_000)
    year = page.budget_year.value()
    assert asked[0] == ("保存年度经费收支汇总表", f"{year}年度经费收支汇总表.pdf")
    assert asked[1][0] == "导出收支明细" and asked[1][1].endswith(".xlsx")
    assert (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "明细.xlsx").read_bytes().startswith(b"PK")
    assert offered == [(tmp_path / "汇总.pdf", f"已保存年度汇总表到 {tmp_path / '汇总.pdf'}"),
                       (tmp_path / "明细.xlsx", f"已导出 0 笔到 {tmp_path / '明细.xlsx'}")]
    assert page.message.text() == offered[1][1]  # said on the page too


def test_nothing_is_made_when_the_save_is_cancelled(qtbot, app_ctx, wait_ops, monkeypatch):
    page = LedgerPage(app_ctx)
    qtbot.addWidget(page)
    wait_ops()
    offered = []
    monkeypatch.setattr(forms, "ask_save_path", lambda *a, **k: None)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: offered.append(a))
    page.print_annual()
    wait_ops()
    assert offered == []
