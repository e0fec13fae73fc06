"""党员名册 → 导出…, offscreen on a real SQLite file: the dialog asks 当前筛选结果 (N 人) or 全部党员
(M 人), takes the filter unless told otherwise, and the XLSX written holds what was chosen."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop_app.domain import idcard
from desktop_app.domain import members as rules
from desktop_app.domain.members import MemberInput
from desktop_app.gui.roster.export_dialog import ExportScopeDialog
from desktop_app.gui.roster.page import RosterPage
from desktop_app.gui.widgets import common, forms
from desktop_app.services import orgs, roster
from desktop_app.services.roster import MemberFilter


@pytest.fixture
def page(qtbot, app_ctx, wait_ops):
    """张三, 李四 and 王五 on the roster, 赵六 转出, 钱七 去世; the page as it opens (在册党员)."""
    db = app_ctx.db
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    made = {}
    for n, name in enumerate(("张三", "李四", "王五", "赵六", "钱七"), start=1):
        made[name] = roster.create(db, MemberInput(
            name=name, org_id=branch.id, id_number=idcard.make("320102", date(1970, 1, n), n, "男"),
            joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1)))
    roster.change_status(db, made["赵六"].id, rules.TRANSFERRED_OUT, date(2026, 3, 1), destination="南京市")
    roster.change_status(db, made["钱七"].id, rules.DECEASED, date(2026, 4, 1))
    p = RosterPage(app_ctx)
    qtbot.addWidget(p)
    p.show()
    wait_ops()
    return p


def export(page, tmp_path, monkeypatch, wait_ops, answer, name="名册.xlsx"):
    """Click 导出…; `answer(dialog)` plays the user in the scope dialog. Returns (path, what the dialog showed)."""
    out = tmp_path / name
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "Excel")))
    monkeypatch.setattr(common, "ask", lambda *a: True)
    monkeypatch.setattr(forms, "offer_open", lambda *a, **k: None)
    seen = {}

    def play():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, ExportScopeDialog):
            QTimer.singleShot(20, play)
            return
        seen.update(current=dlg.current.text(), all=dlg.all.text(), default=dlg.current.isChecked())
        dlg.grab().save(str(tmp_path / "scope.png"))
        answer(dlg)

    QTimer.singleShot(0, play)
    page.export_members()
    wait_ops()
    return out, seen


def read(path):
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_dialog_offers_both_counts_and_takes_the_filter_by_default(page, tmp_path, monkeypatch, wait_ops):
    out, seen = export(page, tmp_path, monkeypatch, wait_ops, lambda dlg: dlg.accept())
    assert seen == {"current": "当前筛选结果（3 人）", "all": "全部党员（5 人）", "default": True}
    header, rows = read(out)
    assert header == list(rules.TEMPLATE_COLUMNS)
    assert sorted(r["姓名"] for r in rows) == ["张三", "李四", "王五"]
    assert "已导出 3 名党员到" in page.message_text.text()


def test_everyone_brings_the_members_who_left_with_their_status(page, tmp_path, monkeypatch, wait_ops):
    def everyone(dlg):
        dlg.all.click()
        dlg.accept()

    out, _ = export(page, tmp_path, monkeypatch, wait_ops, everyone)
    header, rows = read(out)
    assert header == [*rules.TEMPLATE_COLUMNS, "状态"]
    assert {r["姓名"]: r["状态"] for r in rows} == {
        "张三": "正常", "李四": "正常", "王五": "正常", "赵六": "转出", "钱七": "去世"}
    assert "已导出 5 名党员（全部，含转出、去世等）" in page.message_text.text()


def test_cancelling_the_dialog_writes_nothing(page, tmp_path, monkeypatch, wait_ops):
    out, seen = export(page, tmp_path, monkeypatch, wait_ops, lambda dlg: dlg.reject())
    assert seen and not out.exists()


def test_a_search_is_what_the_filter_choice_holds(page, tmp_path, monkeypatch, wait_ops, qtbot):
    page.search.setText("张三")
    page.run_search()
    wait_ops()
    out, seen = export(page, tmp_path, monkeypatch, wait_ops, lambda dlg: dlg.accept())
    assert seen["current"] == "当前筛选结果（1 人）"
    assert [r["姓名"] for r in read(out)[1]] == ["张三"]


def test_the_filter_is_put_in_words():
    assert MemberFilter(active_only=True).in_words() == "在册党员"
    assert MemberFilter(status="去世", org_id="x", text="王").in_words("第一网格党支部") == "去世 · 第一网格党支部 · 含“王”"
