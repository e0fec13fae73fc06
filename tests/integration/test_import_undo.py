"""撤销这次导入: reverting a roster import's batch removes the members it added, as well as putting its updates back.

A real CSV through preview_import/apply_import into a real SQLite file; the added
members are found by the instant the import's own trail entry names, removed
(tombstoned) only while untouched since, all or nothing, by administrators only.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import idcard
from desktop_app.services import auth, orgs, revert, roster
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.models import Member
from desktop_app.store.models_access import AuditEntry
from tests.integration.test_member_import import GOOD_ROWS, HEADER, by_name, write_csv

NEW = ["赵一", "钱二", "孙三", "周四", "吴五"]


def _new_rows() -> list[list]:
    return [[10 + i, name, "第一网格党支部", idcard.make("320104", date(1970, 1, 1 + i), 3 + i, "男"), "男",
             "正式党员", "1995-07-01", "1996-07-01", f"1360000000{i}"] for i, name in enumerate(NEW)]


@pytest.fixture
def imported(db, tmp_path):
    """Two members on the roster, then one import that updates both (phone) and adds five."""
    orgs.create(db, "第一网格党支部", "32010200101", "branch", roster.root_org_id(db))
    roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "a.csv", HEADER, GOOD_ROWS)))
    second = [list(r) for r in GOOD_ROWS] + _new_rows()
    second[0][8], second[1][8] = "13700000000", "13800000001"
    done = roster.apply_import(db, roster.preview_import(db, write_csv(tmp_path / "b.csv", HEADER, second)),
                               update_existing=True)
    assert (done.added, done.updated) == (5, 2)
    return db


def _import_entry(db) -> AuditEntry:
    with db.session() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                         .order_by(AuditEntry.at.desc())).first()


def _batch(db) -> str:
    return _import_entry(db).note.rsplit("导入批次 ", 1)[1].rstrip("）")


def _roster(db) -> dict:
    return {d.name: d.mobile for d in by_name(db).values()}


def test_reverting_the_batch_removes_the_added_members_and_puts_the_updates_back(imported):
    db = imported
    assert set(_roster(db)) == {"张三", "李四", *NEW}
    check = revert.check_batch_of(db, _import_entry(db).id)  # from the import's own entry
    assert (check.count, check.removed, check.done) == (7, 5, False)
    assert "将移除导入新增的 5 名党员，改回导入更新的 2 条记录" in check.summary()
    out = revert.revert_batch(db, _batch(db)[:8])
    assert out.done and out.removed == 5
    assert _roster(db) == {"张三": "13912345678", "李四": "13912345679"}
    with db.session() as s:
        gone = s.scalars(select(Member).where(Member.name.in_(NEW))).all()
        assert len(gone) == 5 and all(m.deleted and m.version == 2 for m in gone)  # tombstones: they sync as deletes
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit_revert")).all()
    assert sorted(e.label for e in entries) == sorted(["张三", "李四", *NEW])
    removed = [e for e in entries if e.label in NEW]
    assert all('"deleted": true' in e.after_json and '"deleted": false' in e.before_json for e in removed)
    with pytest.raises(revert.RevertRefused):  # once only
        revert.revert_batch(db, _batch(db))


def test_a_member_edited_since_is_named_and_nothing_is_reverted(imported):
    db = imported
    with UnitOfWork(db) as uow:
        m = uow.session.scalars(select(Member).where(Member.name == "孙三")).one()
        m.notes = "已核实"
        uow.commit()
    with pytest.raises(revert.RevertRefused, match="孙三") as refused:
        revert.revert_batch(db, _batch(db))
    assert "没有撤销任何更改" in str(refused.value) and "赵一" not in str(refused.value)
    assert _roster(db)["张三"] == "13700000000" and set(_roster(db)) == {"张三", "李四", *NEW}


def test_a_member_something_refers_to_since_is_named(imported):
    db = imported
    mid = next(d.id for d in by_name(db).values() if d.name == "吴五")
    roster.change_status(db, mid, "失联", date.today())
    with UnitOfWork(db) as uow:  # the status back by hand, version aside: the history row still refers
        uow.session.execute(Member.__table__.update().where(Member.id == mid).values(version=1, status="正常",
                                                                                      is_lost=False))
        uow.commit()
    with pytest.raises(revert.RevertRefused, match="吴五.*其他记录"):
        revert.revert_batch(db, _batch(db))
    assert "吴五" in _roster(db)


def test_only_an_administrator_reverts_an_import(imported):
    db = imported
    auth.create_user(db, "admin1", "管理员", "admin", "Admin-pass-1", must_change_password=False)
    auth.login(db, "admin1", "Admin-pass-1")
    auth.create_user(db, "secretary1", "秘书", "secretary", "Secret-pass-1", must_change_password=False)
    auth.login(db, "secretary1", "Secret-pass-1")
    with pytest.raises(auth.PermissionDenied):
        revert.revert_batch(db, _batch(db))
    auth.login(db, "admin1", "Admin-pass-1")
    assert set(_roster(db)) == {"张三", "李四", *NEW}
    assert revert.revert_batch(db, _batch(db)).removed == 5


def test_a_planned_meetings_list_lets_them_go(imported):
    from desktop_app.domain import meetings as mr
    from desktop_app.services import meetings as ms
    from desktop_app.store.models_meetings import Attendance

    db = imported
    branch = by_name(db)["张三"].org_id
    ahead = ms.plan(db, ms.MeetingInput(org_id=branch, kind=mr.BRANCH_CONGRESS, title="下月党员大会",
                                        meeting_date=date(2099, 1, 5)))

    def listed() -> set[str]:
        with db.session() as s:
            return set(s.scalars(select(Member.name).join(Attendance, Attendance.member_id == Member.id).where(
                Attendance.meeting_id == ahead.id, Attendance.deleted.is_(False))))

    assert listed() == {"张三", "李四", *NEW}
    assert revert.revert_batch(db, _batch(db)).removed == 5  # a planned meeting's 应到 is no reason to refuse
    assert listed() == {"张三", "李四"}


def test_a_held_meeting_they_attended_refuses(imported):
    from desktop_app.domain import meetings as mr
    from desktop_app.services import meetings as ms

    db = imported
    branch = by_name(db)["张三"].org_id
    held = ms.plan(db, ms.MeetingInput(org_id=branch, kind=mr.BRANCH_CONGRESS, title="本月党员大会",
                                       meeting_date=date.today()))
    ms.record_attendance(db, held.id, [], mark_held=True)
    with pytest.raises(revert.RevertRefused, match="赵一.*其他记录") as refused:
        revert.revert_batch(db, _batch(db))
    assert all(name in str(refused.value) for name in NEW)  # up to five are named
    assert set(_roster(db)) == {"张三", "李四", *NEW}
