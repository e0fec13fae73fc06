"""撤销此更改 on the audit page: shows what returns, asks, reverts, says so plainly; refusals are shown, nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import idcard

from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.bus import bus
from desktop_app.gui.widgets import common
from desktop_app.services import audit_log, roster
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
    # an import's own entry is not one change: only the whole import can be reverted from it
    assert not page.undo.isEnabled() and page.undo_batch.isEnabled() and page.undo_batch.text() == "撤销这次导入…"
    with page.ctx.db.session() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "import")).first() == "import"
    page.action.setCurrentIndex(page.action.findData("audit_revert"))
    page.search()
    wait_ops()
    page.show_entry(None)
    assert not page.undo.isEnabled() and not page.undo_batch.isEnabled()


def test_the_import_entry_reverts_the_import_members_added_included(page, wait_ops, monkeypatch, tmp_path):
    """A wrong file (another community's five members, and two phones changed): 撤销这次导入 takes it all back."""
    db = page.ctx.db
    wrong = [list(r) for r in GOOD_ROWS] + [
        [10 + i, name, "第一网格党支部", idcard.make("320104", date(1970, 1, 1 + i), 3 + i, "男"), "男", "正式党员",
         "1995-07-01", "1996-07-01", ""] for i, name in enumerate(["赵一", "钱二", "孙三", "周四", "吴五"])]
    wrong[0][8], wrong[1][8] = "13500000000", "13500000001"
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "c.csv", HEADER, wrong)),
                        update_existing=True)
    assert len(by_name(db)) == 7
    asked, told, changed = [], [], []
    monkeypatch.setattr(common, "ask", lambda _p, title, text: asked.append((title, text)) or True)
    monkeypatch.setattr(common, "inform", lambda _p, _t, text: told.append(text))
    bus.changed.connect(changed.append)
    page.action.setCurrentIndex(page.action.findData("import"))
    page.search()
    wait_ops()
    page.list.selectRow(next(i for i, r in enumerate(page.current.rows) if r.note.startswith("导入党员 7 名")))
    assert page.undo_batch.isEnabled() and page.undo_batch.text() == "撤销这次导入…"
    page.undo_batch.click()
    wait_ops()
    assert asked[0][0] == "撤销这次导入"
    assert "将移除导入新增的 5 名党员，改回导入更新的 2 条记录" in asked[0][1] and "吴五" in asked[0][1]
    assert told and "已移除导入新增的 5 名党员" in told[0]
    assert _mobiles(db) == {"张三": "13700000000", "李四": "13800000001"}  # the earlier import's values
    bus.changed.disconnect(changed.append)
    assert changed  # the roster and the rest refresh


def test_an_import_from_before_imports_kept_what_they_added_leaves_its_revert_off(page, wait_ops):
    """Such an import's entry has no batch nor the instant its members were added: the button would only be
    refused, so it is off and its tooltip says why (and what can still be undone)."""
    from desktop_app.services import revert
    from desktop_app.services.revert_added import RevertRefused
    from desktop_app.store import audit

    db = page.ctx.db
    with UnitOfWork(db) as uow:  # as the import wrote its entry then
        audit.record(uow.session, "import", "member", "", "导入党员 5 名",
                     after={"added": 3, "updated": 2, "branches_created": 0})
        uow.commit()
    page.action.setCurrentIndex(page.action.findData("import"))
    page.search()
    wait_ops()
    row = next(i for i, r in enumerate(page.current.rows) if r.note == "导入党员 5 名")
    page.list.selectRow(row)
    assert not page.undo_batch.isEnabled()
    tip = page.undo_batch.toolTip()
    assert "旧版本" in tip and "新增了哪些党员" in tip and "更新的 2 条记录" in tip
    with pytest.raises(RevertRefused, match="旧版本"):  # the command line says the same
        revert.check_batch_of(db, page.current.rows[row].id)
    # an import that kept them: on, with the usual tooltip
    page.list.selectRow(next(i for i, r in enumerate(page.current.rows) if r.note != "导入党员 5 名"))
    assert page.undo_batch.isEnabled() and "旧版本" not in page.undo_batch.toolTip()
