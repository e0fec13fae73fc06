"""操作记录 → 导出…: every page of the filter on screen to XLSX, with progress and 取消; mistakes said plainly."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop_app.gui import errors, ops
from desktop_app.gui.audit import page as audit_page
from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.widgets import common
from desktop_app.services import audit_export, audit_log, auth
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.models_access import AuditEntry

PASSWORD = "xingfuli2026"
MORE = 30  # entries beyond the one page the list shows


@pytest.fixture
def page(qtbot, app_ctx, wait_ops, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)  # log-ins here need not take seconds
    db = app_ctx.db
    auth.create_first_admin(db, "admin", "王管理", PASSWORD)
    auth.set_actor(db, auth.login(db, "admin", PASSWORD))
    with UnitOfWork(db) as uow:
        for i in range(audit_log.PAGE_SIZE + MORE):
            audit.record(uow.session, "setting", "access_setting", "", f"设置第 {i} 次", label="安全设置")
        uow.commit()
    p = AuditPage(app_ctx, today=date.today())
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    p.refresh()
    wait_ops()
    return p


@pytest.fixture
def saved(monkeypatch, tmp_path):
    """Where the save dialog answers, and what the page says once the file is written."""
    said = {"path": tmp_path / "out" / "操作记录.xlsx", "asked": 0, "told": []}
    said["path"].parent.mkdir()

    def ask(*_a, **_k):
        said["asked"] += 1
        return said["path"]

    monkeypatch.setattr(audit_page, "ask_save_path", ask)
    monkeypatch.setattr(audit_page, "offer_open", lambda _p, path, text: said["told"].append(text))
    monkeypatch.setattr(common, "inform", lambda _p, _t, text: said["told"].append(text))
    monkeypatch.setattr(errors, "show_error", lambda _p, exc: said["told"].append(str(exc)))
    return said


def exports(db) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "export")))


def test_all_pages_of_the_filter_on_screen_are_exported(page, saved, wait_ops, shot):
    page.action.setCurrentIndex(page.action.findData("setting"))
    page.search()
    wait_ops()
    assert len(page.current.rows) == audit_log.PAGE_SIZE and page.current.total == audit_log.PAGE_SIZE + MORE
    assert page.export.isEnabled() and page.export.text() == "导出…"
    shot(page, "audit-export-button.png")
    page.action.setCurrentIndex(0)  # changed but not searched: the file holds what the list shows
    page.export.click()
    wait_ops(20_000)
    wb = load_workbook(saved["path"])
    rows = list(wb["操作记录"].iter_rows(values_only=True))
    assert len(rows) == 1 + audit_log.PAGE_SIZE + MORE and {r[2] for r in rows[1:]} == {"修改设置"}
    notes = dict(wb["说明"].iter_rows(values_only=True))
    assert notes["筛选条件"].startswith("操作：修改设置；日期：") and notes["导出人"] == "王管理（admin，管理员）"
    assert saved["told"] == [f"已导出操作记录 {audit_log.PAGE_SIZE + MORE} 条到\n{saved['path']}\n\n"
                             "哈希链检查：通过（操作记录完整，没有发现被修改或删除的记录）"]
    assert [e.label for e in exports(page.ctx.db)] == ["操作记录"]


def test_an_empty_list_says_so_without_asking_where(page, saved, wait_ops):
    page.text.setText("没有这个人")
    page.search()
    wait_ops()
    page.export.click()
    assert saved["asked"] == 0 and saved["told"] == [audit_export.EMPTY + "。"]


def test_a_folder_gone_since_it_was_chosen_is_said(page, saved, wait_ops):
    saved["path"].parent.rmdir()
    page.export.click()
    wait_ops(20_000)
    assert len(saved["told"]) == 1 and "不存在（U 盘是否已拔出？）" in saved["told"][0]
    assert not saved["path"].parent.exists() and exports(page.ctx.db) == []


def test_cancel_leaves_nothing(page, saved, wait_ops, monkeypatch):
    report = ops.Job.report

    def press_cancel_once_rows_flow(job, done, total, text=None):  # as if 取消 were pressed mid-way
        if done:
            job.cancel_requested = True
        return report(job, done, total, text)

    monkeypatch.setattr(ops.Job, "report", press_cancel_once_rows_flow)
    page.export.click()
    wait_ops(20_000)
    assert saved["told"] == [] and list(saved["path"].parent.iterdir()) == [] and exports(page.ctx.db) == []
