"""撤销此更改 on the audit page: shows what returns, asks, reverts, says so plainly; refusals are shown, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.widgets import common
from desktop_app.services import audit_log
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_undo import AuditUndo
from desktop_app.services.uow import UnitOfWork
from tests.integration.test_member_import import GOOD_ROWS, HEADER, by_name, write_csv

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def page(qtbot, app_ctx, wait_ops, tmp_path):
    from desktop_app.services import orgs, roster

    db = app_ctx.db
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, GOOD_ROWS)))
    second = [list(r) for r in GOOD_ROWS]
    second[0][8], second[1][8] = "13700000000", "13800000001"
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "b.csv", HEADER, second)),
                        update_existing=True)
    p = AuditPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    wait_ops()
    return p


def _select(p, wait_ops, action: str, label: str) -> None:
    p.action.setCurrentIndex(p.action.findData(action))
    p.search()
    wait_ops()
    row = next(i for i, r in enumerate(p.current.rows) if r.label == label)
    p.list.selectRow(row)


def _mobiles(db) -> dict:
    return {d.name: d.mobile for d in by_name(db).values()}


def test_one_change_is_shown_confirmed_and_reverted(page, wait_ops, monkeypatch, tmp_path, qtmodeltester):
    db = page.ctx.db
    asked, told = [], []
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or True)
    monkeypatch.setattr(common, "inform", lambda _p, _t, text: told.append(text))
    _select(page, wait_ops, "import_update", "李四")
    assert page.undo.isEnabled() and page.undo_batch.isEnabled()
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.field_model)
    assert page.field_model.index(0, 1).data() == "139****5679"  # the trail as it is: masked
    page.grab().save(str(tmp_path / "audit-revert.png"))
    page.undo.click()
    wait_ops()
    assert "将撤销党员“李四”的更改" in asked[0] and "138****0001 → 139****5679" in asked[0]
    assert "13800000001" not in asked[0]  # masked in the confirmation too
    assert told and "已撤销党员“李四”的更改" in told[0] and "已记入操作记录" in told[0]
    assert _mobiles(db) == {"张三": "13700000000", "李四": "13912345679"}
    reverts = audit_log.search(db, audit_log.AuditFilter(action="audit_revert")).rows
    assert [(r.action, r.label) for r in reverts] == [("audit_revert", "李四")]


def test_the_whole_import_is_reverted_after_one_confirmation(page, wait_ops, monkeypatch):
    db = page.ctx.db
    asked = []
    monkeypatch.setattr(common, "ask", lambda _p, _t, text: asked.append(text) or True)
    monkeypatch.setattr(common, "inform", lambda *a: None)
    _select(page, wait_ops, "import_update", "张三")
    page.undo_batch.click()
    wait_ops()
    assert "将撤销 2 条记录的更改" in asked[0]
    assert _mobiles(db) == {"张三": "13912345678", "李四": "13912345679"}
    with db.session() as s:
        assert s.scalars(select(AuditUndo)).all() == []


def test_a_no_writes_nothing_and_a_stale_row_is_refused_with_the_reason(page, wait_ops, monkeypatch, error_boxes):
    db = page.ctx.db
    monkeypatch.setattr(common, "ask", lambda *a: False)
    _select(page, wait_ops, "import_update", "李四")
    page.undo.click()
    wait_ops()
    assert _mobiles(db)["李四"] == "13800000001"

    li = by_name(db)["李四"].id
    with UnitOfWork(db) as uow:
        uow.session.get(Member, li).mobile = "13600000000"
        uow.commit()
    monkeypatch.setattr(common, "ask", lambda *a: pytest.fail("a refused revert must not ask"))
    _select(page, wait_ops, "import_update", "李四")
    page.undo.click()
    wait_ops()
    assert error_boxes and "此后又改过了" in error_boxes[0]
    assert _mobiles(db)["李四"] == "13600000000"


def test_entries_that_cannot_be_reverted_leave_the_action_off(page, wait_ops):
    _select(page, wait_ops, "import", "")
    assert not page.undo.isEnabled() and not page.undo_batch.isEnabled()
    with page.ctx.db.session() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "import")).first() == "import"
