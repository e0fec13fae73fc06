"""按周期批量计划 on a real SQLite file: preview, apply, the re-check inside, permission, the audit trail."""

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import meetings as r
from desktop_app.domain.batch_plan import DayRule
from desktop_app.domain.errors import ValidationError
from desktop_app.services import auth
from desktop_app.services import meetings as ms
from desktop_app.services.meetings.plan_batch import plan_batch, preview_batch, said
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_meetings import Meeting
from desktop_app.views.batch_plan import BatchPlanRequest
from tests.integration.test_meetings_service import TODAY, cm, meeting  # noqa: F401 - the fixture

PASSWORD = "batch-plan-1"


def request(cm, **kw):  # noqa: F811
    base = dict(org_ids=(cm.branch,), first=date(2025, 5, 1), last=date(2025, 7, 31),
                kinds=(r.THEME_DAY, r.PARTY_LECTURE), default_day=DayRule(15), place="党群服务中心二楼")
    return BatchPlanRequest(**{**base, **kw})


def test_preview_proposes_only_what_is_owed(db, cm):  # noqa: F811
    ms.plan(db, meeting(cm, r.PARTY_LECTURE, date(2025, 4, 10)), today=TODAY)  # the second quarter's 党课
    rows = preview_batch(db, request(cm), today=TODAY)
    # May 15th is past; 15 June 2025 is a Sunday: the 16th
    assert [(x.kind, x.day) for x in rows] == [
        (r.THEME_DAY, date(2025, 6, 16)), (r.PARTY_LECTURE, date(2025, 7, 15)), (r.THEME_DAY, date(2025, 7, 15))]
    assert rows[0].title == "6月主题党日" and "顺延至星期一" in rows[0].note
    assert rows[1].title == "第三季度党课" and rows[1].place == "党群服务中心二楼"
    assert rows[0].org_name == "第一网格党支部"


def test_group_meetings_go_to_each_group(db, cm):  # noqa: F811
    rows = preview_batch(db, request(cm, kinds=(r.GROUP_MEETING,), first=date(2025, 6, 1),
                                     last=date(2025, 6, 30), days={r.GROUP_MEETING: DayRule(None, 2, 2)}),
                         today=TODAY)
    assert sorted(x.org_id for x in rows) == sorted([cm.group1, cm.group2])
    assert {x.day for x in rows} == {date(2025, 6, 11)}  # the second Wednesday
    assert rows[0].org_name.startswith("第一网格党支部·")


def test_apply_plans_in_one_go_and_skips_what_was_planned_meanwhile(db, cm):  # noqa: F811
    req = request(cm)
    rows = preview_batch(db, req, today=TODAY)
    assert len(rows) == 4  # 6月 and 7月 主题党日, 二季度 and 三季度 党课
    ms.plan(db, meeting(cm, r.THEME_DAY, date(2025, 7, 3)), today=TODAY)  # someone else, meanwhile
    chosen = [x for x in rows if x.day != date(2025, 6, 16) or x.kind != r.PARTY_LECTURE]  # one unticked
    result = plan_batch(db, req, chosen, today=TODAY)
    assert [(x.kind, x.day) for x in result.skipped] == [(r.THEME_DAY, date(2025, 7, 15))]
    assert [(x.kind, x.day) for x in result.planned] == [(r.THEME_DAY, date(2025, 6, 16)),
                                                        (r.PARTY_LECTURE, date(2025, 7, 15))]
    assert said(result) == "已计划 2 次会议；1 次未计划（期间已有人计划，或已不再需要）"
    with db.session() as s:
        made = s.scalars(select(Meeting).where(Meeting.id.in_(result.meeting_ids))).all()
        assert {(m.status, m.title, m.place) for m in made} == {
            (r.PLANNED, "6月主题党日", "党群服务中心二楼"), (r.PLANNED, "第三季度党课", "党群服务中心二楼")}
        assert len({m.number for m in made}) == 2
        trail = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "meeting",
                                                   AuditEntry.row_id.in_(result.meeting_ids))).all()
        assert sorted(e.action for e in trail) == ["insert", "insert"]
    # Planned twice over: nothing more is owed, nothing more is planned.
    again = plan_batch(db, req, chosen, today=TODAY)
    assert again.planned == () and len(again.skipped) == len(chosen)
    assert [x.kind for x in preview_batch(db, req, today=TODAY)] == [r.PARTY_LECTURE]  # the one left unticked
    detail = ms.get(db, result.meeting_ids[0])
    assert detail.expected > 0  # the branch's members, as planning one by one lists them


def test_a_read_only_account_may_look_but_not_plan(db, cm, monkeypatch):  # noqa: F811
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_user(db, "admin", "王管理", "admin", PASSWORD, must_change_password=False)
    auth.login(db, "admin", PASSWORD)
    auth.create_user(db, "view", "街道小钱", "viewer", PASSWORD, must_change_password=False)
    auth.login(db, "view", PASSWORD)
    req = request(cm)
    rows = preview_batch(db, req, today=TODAY)
    with pytest.raises(auth.PermissionDenied):
        plan_batch(db, req, rows, today=TODAY)
    with db.session() as s:
        assert s.scalar(select(Meeting.id).where(Meeting.kind == r.THEME_DAY)) is None


def test_range_checked(db, cm):  # noqa: F811
    with pytest.raises(ValidationError, match="最多"):
        preview_batch(db, request(cm, first=date(2025, 1, 1), last=date(2027, 12, 31)), today=TODAY)
    with pytest.raises(ValidationError, match="会议主题"):
        preview_batch(db, request(cm, titles={r.THEME_DAY: "{周}"}), today=TODAY)


def test_a_kind_held_twice_a_month_plans_both_of_a_month(db, cm):  # noqa: F811
    ms.set_kind_setting(db, r.THEME_DAY, "month", times=2)
    req = request(cm, kinds=(r.THEME_DAY,), first=date(2025, 7, 1), last=date(2025, 7, 31))
    rows = preview_batch(db, req, today=TODAY)
    assert len(rows) == 2 and rows[0].key == rows[1].key  # one month, two meetings
    result = plan_batch(db, req, rows, today=TODAY)
    assert len(result.planned) == 2 and result.skipped == ()
