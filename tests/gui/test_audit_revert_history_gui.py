"""撤销这次导入 on the audit page for a 三会一课 history import: the count of what goes, one confirmation,
a refusal naming the meeting changed since, and an import from before kept nothing left off."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.gui.audit.page import AuditPage
from desktop_app.gui.widgets import common
from desktop_app.domain import meetings as rules
from desktop_app.services import ledger, ledger_import, meetings, meetings_import
from desktop_app.services.meetings import attendance_import
from desktop_app.services.uow import UnitOfWork
from desktop_app.store import audit
from desktop_app.store.models_meetings import Meeting
from tests.integration.test_history_imports import MEET_HEADER, meeting_rows, workbook
from tests.integration.test_import_revert_history import LAST_YEAR, LEDGER_HEADER
from tests.integration.test_import_revert_history import branch  # noqa: F401  (fixture)

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def page(qtbot, app_ctx, branch, wait_ops, tmp_path):  # noqa: F811
    db = app_ctx.db
    plan = meetings_import.preview(db, workbook(tmp_path / "会议.xlsx", MEET_HEADER, meeting_rows()))
    meetings_import.apply(db, plan)
    return _open(qtbot, app_ctx, wait_ops, "import")


def _open(qtbot, app_ctx, wait_ops, action: str) -> AuditPage:
    """The audit page shown, listing the entries of one action."""
    p = AuditPage(app_ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    wait_ops()
    p.action.setCurrentIndex(p.action.findData(action))
    p.search()
    wait_ops()
    return p


def _pick(page, start: str) -> None:
    page.list.selectRow(next(i for i, r in enumerate(page.current.rows) if r.note.startswith(start)))


def _meetings(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Meeting).where(Meeting.deleted.is_(False)))


def test_the_import_entry_takes_the_meetings_back_after_one_confirmation(page, wait_ops, monkeypatch, tmp_path):
    db = page.ctx.db
    asked, told = [], []
    monkeypatch.setattr(common, "ask", lambda _p, title, text: asked.append((title, text)) or True)
    monkeypatch.setattr(common, "inform", lambda _p, _t, text: told.append(text))
    _pick(page, "导入历史会议 3 次")
    assert page.undo_batch.isEnabled() and page.undo_batch.text() == "撤销这次导入…"
    assert not page.undo.isEnabled()
    page.grab().save(str(tmp_path / "audit-history-import.png"))
    page.undo_batch.click()
    wait_ops()
    title, text = asked[0]
    assert title == "撤销这次导入"
    assert "将删除本次导入的 3 次会议、4 条出席记录、3 个议题" in text
    assert "三会一课“2025-03-05 第一季度党员大会”" in text and "已删除：否 → 是" in text
    assert told and "已删除本次导入的 3 次会议" in told[0] and "已记入操作记录" in told[0]
    assert "导入的记录已删除" not in told[0]  # said once, by the summary
    assert _meetings(db) == 0


def test_a_meeting_changed_since_is_named_and_nothing_is_asked(page, wait_ops, monkeypatch, error_boxes):
    db = page.ctx.db
    with UnitOfWork(db) as uow:
        m = uow.session.scalar(select(Meeting).where(Meeting.kind == "支委会"))
        m.place = "党群服务中心二楼"
        uow.commit()
    monkeypatch.setattr(common, "ask", lambda *a: pytest.fail("a refused revert must not ask"))
    _pick(page, "导入历史会议 3 次")
    page.undo_batch.click()
    wait_ops()
    assert error_boxes and "三会一课“2025-04-02" in error_boxes[0] and "此后又修改过" in error_boxes[0]
    assert _meetings(db) == 3


def test_a_history_import_from_before_kept_nothing_leaves_the_action_off(page, wait_ops):
    db = page.ctx.db
    with UnitOfWork(db) as uow:  # as the import wrote its entry before it kept what it added
        audit.record(uow.session, "import", "meeting", "", "导入历史会议 2 次（旧.xlsx）", after={"meetings": 2})
        uow.commit()
    page.search()
    wait_ops()
    _pick(page, "导入历史会议 2 次")
    assert not page.undo_batch.isEnabled() and "旧版本" in page.undo_batch.toolTip()


def test_last_years_ledger_import_is_taken_back_with_its_closings(page, wait_ops, monkeypatch, tmp_path):
    db = page.ctx.db
    ledger_import.apply(db, ledger_import.preview(db, workbook(tmp_path / "账.xlsx", LEDGER_HEADER, LAST_YEAR)))
    assert len(ledger.closed_months(db)) == 12
    asked, told = [], []
    monkeypatch.setattr(common, "ask", lambda _p, title, text: asked.append((title, text)) or True)
    monkeypatch.setattr(common, "inform", lambda _p, _t, text: told.append(text))
    page.search()
    wait_ops()
    _pick(page, "导入 2025 年账目 3 笔")
    assert page.undo_batch.isEnabled() and page.undo_batch.text() == "撤销这次导入…"
    page.undo_batch.click()
    wait_ops()
    assert asked and "本次导入结账的 2025 年 1-12 月将撤销结账，其中的凭证在原日期红字冲销" in asked[0][1]
    page.grab().save(str(tmp_path / "audit-ledger-import.png"))
    assert told and "已撤销结账" in told[0]
    assert told[0].count("余额") == 1, told[0]  # the summary says it once; nothing appended repeats it
    assert ledger.closed_months(db) == []


def test_an_attendance_import_is_taken_back_from_its_entries(qtbot, app_ctx, branch, wait_ops,  # noqa: F811
                                                             monkeypatch, tmp_path):
    db, today = app_ctx.db, date.today()
    m = meetings.plan(db, meetings.MeetingInput(org_id=branch.id, kind=rules.THEME_DAY,
                                                meeting_date=today - timedelta(days=1)), today=today)
    path = tmp_path / "出勤.csv"
    path.write_text(f"会议编号,姓名,出勤情况\n{m.number},张三,出席\n{m.number},李四,缺席\n", encoding="utf-8-sig")
    attendance_import.import_file(db, path)
    page = _open(qtbot, app_ctx, wait_ops, "import_update")
    asked = []
    monkeypatch.setattr(common, "ask", lambda _p, title, text: asked.append(text) or True)
    monkeypatch.setattr(common, "inform", lambda *a: None)
    _pick(page, "导入出勤（出勤.csv")  # any of its entries takes the whole import back, as the roster's updates
    assert page.undo_batch.isEnabled() and page.undo_batch.text() == "撤销整批…"
    page.grab().save(str(tmp_path / "audit-attendance-import.png"))
    page.undo_batch.click()
    wait_ops()
    assert asked and f"“{m.number} 张三”" in asked[0] and "状态：已召开 → 计划中" in asked[0]
    assert meetings.get(db, m.id).status == rules.PLANNED
    assert {a.name: a.status for a in meetings.get(db, m.id).attendees}.get("张三") == ""
