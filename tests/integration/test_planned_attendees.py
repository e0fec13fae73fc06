"""Planned meetings' 应到 follow the roster, on a real migrated SQLite file.

A member who leaves a branch (转出 and the other statuses out, moved into the 双报到
register, moved to another branch) leaves the 应到 of the branch's meetings still
planned from today on, in the same transaction; held, cancelled and already-past
planned meetings keep their lists; a member who arrives joins the new branch's
planned meetings whose kind lists all members, in the place plan() gives them.

A database written before the lists followed the roster is repaired once. The
tests make one the way the old code left it: meetings planned through the
services, then the member changed with an SQL UPDATE (the old roster edit changed
the member and nothing else).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select, update

from desktop_app.cli import main
from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain import members as member_rules
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, demo, memberlife, orgs, roster
from desktop_app.services import cobuilding as cb
from desktop_app.services import meetings as ms
from desktop_app.services.meetings import planned
from desktop_app.services.planned_repair import REPAIRED_KEY, due
from desktop_app.store.base import utcnow
from desktop_app.store.models import Member
from desktop_app.store.models_access import AccessSetting, AuditEntry
from desktop_app.store.models_meetings import Attendance
from desktop_app.store.models_cobuilding import registered_member_ids

TODAY = date(2025, 5, 20)
SOON = TODAY + timedelta(days=10)
BEFORE = TODAY - timedelta(days=10)
AHEAD = date.today() + timedelta(days=10)  # for writers dated the real today (移入党小组, the command line)


def _member(db, name, org_id, i, employer=""):
    born = date(1950 + i % 10, 1 + i % 12, 1 + i % 27)
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
        category="正式党员", joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1),
        reporting_employer=employer,
    ), today=TODAY).id


@pytest.fixture
def cm(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    g1 = orgs.create(db, "第一党小组", "G01", "group", b1.id)
    people = {name: _member(db, name, org, i, employer="市第一医院" if name == "周在职" else "")
              for i, (name, org) in enumerate([("王书记", b1.id), ("周在职", b1.id), ("张一", g1.id),
                                                ("刘外支", b2.id), ("陈二支", b2.id)])}
    return {"b1": b1.id, "b2": b2.id, "g1": g1.id, **people}


def _meeting(db, org_id, day, kind=r.BRANCH_CONGRESS, **kw):
    return ms.plan(db, ms.MeetingInput(org_id=org_id, kind=kind, meeting_date=day, start_time=time(9, 0),
                                       place="党群服务中心", host="王书记", recorder="王书记"), today=TODAY, **kw)


def _listed(db, meeting_id) -> list[str]:
    return [a.member_id for a in ms.get(db, meeting_id).attendees if not a.is_guest]


def _expected(db, meeting_id) -> int:
    """应到 as the meetings page shows it (the list's row)."""
    return next(row.expected for row in ms.list_meetings(db) if row.id == meeting_id)


def _trail_notes(db, member_id) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.row_id == member_id,
                                                            AuditEntry.note.like("%应到名单%"))))


@pytest.fixture
def meetings(db, cm):
    """In 第一网格党支部: one held before today, one planned but already past, one planned ahead, one cancelled ahead."""
    held = _meeting(db, cm["b1"], BEFORE)
    ms.all_present(db, held.id, today=TODAY)
    past = _meeting(db, cm["b1"], TODAY - timedelta(days=2))
    ahead = _meeting(db, cm["b1"], SOON)
    called_off = _meeting(db, cm["b1"], SOON + timedelta(days=5), kind=r.THEME_DAY)
    ms.cancel(db, called_off.id, "改期")
    return {"held": held.id, "past": past.id, "ahead": ahead.id, "cancelled": called_off.id}


def test_moving_into_the_register_drops_the_member_from_planned_meetings_ahead(db, cm, meetings):
    mid = cm["周在职"]
    assert all(mid in _listed(db, m) for m in meetings.values())
    assert _expected(db, meetings["ahead"]) == 3
    cb.move_from_roster(db, mid, today=TODAY)
    assert mid not in _listed(db, meetings["ahead"])
    assert _expected(db, meetings["ahead"]) == 2
    # the count on the page is the roster's again: 第一网格党支部 has 2 members left on it
    assert roster.stats(db).total == 4
    for kept in ("held", "past", "cancelled"):  # history, what the secretary records, a call-off
        assert mid in _listed(db, meetings[kept]), kept
    number = ms.get(db, meetings["ahead"]).number
    notes = _trail_notes(db, mid)
    assert len(notes) == 1 and number in notes[0] and "离开" in notes[0]
    # the attendance row itself is tombstoned with an audit entry, as an attendee edit is
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "attendance", AuditEntry.action == "delete",
            AuditEntry.before_json.like(f"%{mid}%"))) == 1


def test_status_transferred_out_drops_the_member_the_same_way(db, cm, meetings):
    mid = cm["张一"]
    group_meeting = _meeting(db, cm["g1"], SOON, kind=r.GROUP_MEETING)
    assert mid in _listed(db, group_meeting.id)
    roster.change_status(db, mid, "转出", TODAY, destination="市委党校党支部", today=TODAY)
    assert mid not in _listed(db, meetings["ahead"]) and mid not in _listed(db, group_meeting.id)
    assert mid in _listed(db, meetings["held"]) and mid in _listed(db, meetings["past"])
    assert _expected(db, meetings["ahead"]) == 2
    # back to 正常: plan() would list them again, so the planned meetings ahead do
    roster.change_status(db, mid, "正常", TODAY, today=TODAY)
    assert mid in _listed(db, meetings["ahead"]) and mid in _listed(db, group_meeting.id)
    assert mid in _listed(db, meetings["cancelled"])  # never taken off a cancelled one


def test_a_roster_transfer_out_and_a_party_exit_drop_the_member(db, cm, meetings):
    roster.transfer(db, cm["王书记"], "转出", TODAY, to_org="外区党委", today=TODAY)
    assert cm["王书记"] not in _listed(db, meetings["ahead"])
    memberlife.record_exit(db, cm["张一"], memberlife.ExitInput(
        kind="去世", exit_date=TODAY, decided_by="", document_no="", reason="", note=""), today=TODAY)
    assert _listed(db, meetings["ahead"]) == [cm["周在职"]]
    assert {cm["王书记"], cm["张一"]} <= set(_listed(db, meetings["held"]))


def test_moving_to_another_branch_leaves_one_branch_and_joins_the_other(db, cm, meetings):
    mid = cm["张一"]
    other = _meeting(db, cm["b2"], SOON)
    other_committee = _meeting(db, cm["b2"], SOON, kind=r.COMMITTEE)  # the committee's list: not everyone's
    guest_list = ms.add_guest(db, other.id, ms.Guest(name="街道联络员", unit="街道党工委"))
    assert mid not in _listed(db, other.id)
    detail = roster.get(db, mid)
    inp = MemberInput(**{f: getattr(detail, f) for f in MemberInput.__dataclass_fields__})
    roster.update(db, mid, replace(inp, org_id=cm["b2"]), today=TODAY)
    assert mid not in _listed(db, meetings["ahead"]) and mid in _listed(db, meetings["held"])
    after = ms.get(db, other.id)
    # in sign-in order, as a meeting planned now lists them (张一's roster number comes first)
    assert [a.member_id for a in after.attendees if not a.is_guest] == [mid, cm["刘外支"], cm["陈二支"]]
    assert after.attendees[-1].is_guest and after.attendees[-1].name == "街道联络员"  # guests stay last
    assert len(after.attendees) == len(guest_list.attendees) + 1
    assert _expected(db, other.id) == 3
    assert mid not in _listed(db, other_committee.id)
    notes = _trail_notes(db, mid)
    assert len(notes) == 1 and ms.get(db, meetings["ahead"]).number in notes[0] and after.number in notes[0]
    # a dated move back (member life's 调动) brings them home again
    memberlife.move_member(db, mid, cm["g1"], TODAY, today=TODAY)
    assert mid in _listed(db, meetings["ahead"]) and mid not in _listed(db, other.id)


def test_a_move_within_the_branch_leaves_branch_meetings_alone(db, cm):
    soon = date.today() + timedelta(days=10)  # 移入党小组 is dated the real today
    ahead = _meeting(db, cm["b1"], soon)
    before = _listed(db, ahead.id)
    group_meeting = _meeting(db, cm["g1"], soon, kind=r.GROUP_MEETING)
    roster.move_to_group(db, [cm["王书记"]], cm["g1"])
    assert _listed(db, ahead.id) == before
    assert cm["王书记"] in _listed(db, group_meeting.id)
    assert _trail_notes(db, cm["王书记"])  # joined the 党小组会


def test_the_demo_lists_no_register_member_in_meetings_planned_ahead(empty_db):
    db = empty_db
    auth.cli_actor(db, None, None)
    demo.generate(db, members=120, seed=3)
    today = date.today()
    with db.session() as s:
        registered = set(s.scalars(registered_member_ids()))
    assert registered
    rows = ms.list_meetings(db)
    ahead = [m for m in rows if m.status == r.PLANNED and m.meeting_date >= today]
    held = [m for m in rows if m.status == r.HELD]
    assert ahead and held
    assert not any(set(_listed(db, m.id)) & registered for m in ahead)
    # held meetings keep their history: some of those members came before they moved
    assert any(set(_listed(db, m.id)) & registered for m in held)
    # and the page's 应到 of a planned 支部党员大会 ahead is the branch's roster as plan() makes it
    congress = next((m for m in ahead if m.kind == r.BRANCH_CONGRESS), None)
    if congress is not None:
        people = ms.branch_people(db, congress.org_id, on=congress.meeting_date)
        assert congress.expected == len(people)


def test_member_life_decisions_on_the_party_standing_drop_the_member(db, cm, meetings):
    from desktop_app.domain import memberlife as life

    lost = cm["张一"]
    roster.change_status(db, lost, "失联", date(2024, 6, 1), today=TODAY)
    assert lost in _listed(db, meetings["ahead"])  # 失联 is still expected (excused), as plan() lists them
    memberlife.add_search(db, lost, date(2024, 8, 1), "王书记", "电话", "空号", today=TODAY)
    memberlife.decide_lost(db, lost, life.SUSPEND, TODAY, "支委会", today=TODAY)
    assert lost not in _listed(db, meetings["ahead"]) and lost in _listed(db, meetings["held"])
    memberlife.add_disposal(db, cm["王书记"], memberlife.DisposalInput(
        2024, life.DISPOSAL_REMOVE, TODAY, "支部大会", "街党〔2025〕5号"), today=TODAY)
    assert _listed(db, meetings["ahead"]) == [cm["周在职"]]


def test_a_member_file_that_moves_a_member_moves_their_planned_meetings(db, cm, meetings, tmp_path):
    """The roster import with 更新已有党员 changes a member's branch as the roster page would, 应到 included."""
    import csv

    other = _meeting(db, cm["b2"], SOON)
    mid = cm["周在职"]
    assert mid in _listed(db, meetings["ahead"]) and mid not in _listed(db, other.id)
    exported = tmp_path / "roster.csv"
    roster.export_members(db, exported, today=TODAY)
    with exported.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    org_col = next(i for i, h in enumerate(head) if "党组织" in h or "党支部" in h)
    name_col = head.index(next(h for h in head if "姓名" in h))
    mine = next(r for r in rows[1:] if r[name_col] == "周在职")
    mine[org_col] = "第二网格党支部"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([head, mine])

    preview = roster.preview_import(db, changed, today=TODAY)
    assert [mid_ for mid_, _, _ in preview.to_update] == [mid]
    assert roster.apply_import(db, preview, update_existing=True, today=TODAY).updated == 1
    assert mid not in _listed(db, meetings["ahead"]) and mid in _listed(db, other.id)
    assert mid in _listed(db, meetings["held"]) and mid in _listed(db, meetings["past"])
    notes = _trail_notes(db, mid)
    assert len(notes) == 1 and "离开" in notes[0] and "加入" in notes[0]


def test_a_member_deleted_by_mistake_leaves_and_restored_rejoins(db, cm, meetings):
    mid = cm["陈二支"]
    ahead = _meeting(db, cm["b2"], SOON)
    assert mid in _listed(db, ahead.id)
    roster.delete(db, mid, today=TODAY)
    assert mid not in _listed(db, ahead.id)
    roster.restore(db, mid, today=TODAY)
    assert mid in _listed(db, ahead.id)
    notes = _trail_notes(db, mid)
    assert len(notes) == 2 and "离开" in notes[0] + notes[1] and "加入" in notes[0] + notes[1]


def _versions(db, meeting_id) -> dict[str, int]:
    with db.session() as s:
        return {i: v for i, v in s.execute(select(Attendance.id, Attendance.version).where(Attendance.meeting_id == meeting_id))}


def test_an_arrival_takes_their_place_in_sign_in_order(db, cm, meetings):
    def move(mid):
        detail = roster.get(db, mid)
        inp = MemberInput(**{f: getattr(detail, f) for f in MemberInput.__dataclass_fields__})
        roster.update(db, mid, replace(inp, org_id=cm["b1"]), today=TODAY)

    before = _versions(db, meetings["ahead"])
    move(cm["陈二支"])
    # the branch's own members by roster number, then the 党小组's: 陈二支 before 张一, not after
    assert _listed(db, meetings["ahead"]) == [cm["王书记"], cm["周在职"], cm["陈二支"], cm["张一"]]
    after = _versions(db, meetings["ahead"])
    assert {k: after[k] for k in before} == before  # one row written: nobody else's row moved
    move(cm["刘外支"])  # to the same place, before 陈二支
    fresh = _meeting(db, cm["b1"], SOON + timedelta(days=1))
    assert _listed(db, meetings["ahead"]) == _listed(db, fresh.id) \
        == [cm["王书记"], cm["周在职"], cm["刘外支"], cm["陈二支"], cm["张一"]]


def test_a_member_moved_into_a_group_takes_their_place_in_its_meeting(db, cm):
    group_meeting = _meeting(db, cm["g1"], AHEAD, kind=r.GROUP_MEETING).id
    roster.move_to_group(db, [cm["王书记"]], cm["g1"])
    fresh = _meeting(db, cm["g1"], AHEAD + timedelta(days=1), kind=r.GROUP_MEETING).id
    assert _listed(db, group_meeting) == _listed(db, fresh) == [cm["王书记"], cm["张一"]]


# ---------------------------------------------------------------- lists made before they followed the roster

def _as_old_code(db, member_id, **values):
    """Change the member as the roster's writers did before planned lists followed them: the member only."""
    with db.session() as s:
        s.execute(update(Member).where(Member.id == member_id).values(updated_at=utcnow(), **values))
        s.commit()


def _repair_notes(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.note).where(AuditEntry.note.like("按名册修复%"))))


def test_the_repair_takes_leavers_off_and_lists_arrivals_where_plan_would(db, cm, meetings):
    # 陈二支 has a dated status history (转出 and back), which the old code's 去世 below does not extend
    roster.change_status(db, cm["陈二支"], "转出", TODAY, destination="市委党校党支部", today=TODAY)
    roster.change_status(db, cm["陈二支"], "正常", TODAY, today=TODAY)
    b2_ahead = _meeting(db, cm["b2"], SOON, guests=[ms.Guest(name="街道组织委员", unit="梅园街道")]).id
    b2_later = _meeting(db, cm["b2"], SOON + timedelta(days=7)).id
    # 陈二支 asked for leave from the later meeting before (in the old database) being marked 去世.
    ms.record_attendance(db, b2_later, [ms.AttendanceEntry(status=r.LEAVE, reason="出差", member_id=cm["陈二支"])],
                         mark_held=False, today=TODAY)
    kept = {k: _listed(db, meetings[k]) for k in ("held", "past", "cancelled")}
    _as_old_code(db, cm["刘外支"], org_id=cm["b1"])  # 第二网格 -> 第一网格
    _as_old_code(db, cm["陈二支"], status=member_rules.DECEASED)
    _as_old_code(db, cm["周在职"], deleted=True)
    assert cm["刘外支"] in _listed(db, b2_ahead) and cm["刘外支"] not in _listed(db, meetings["ahead"])  # stale

    # ahead: 周在职 off, 刘外支 on; b2_ahead: both off; b2_later: 刘外支 off (陈二支's leave stays)
    assert planned.repair_planned_attendance(db, today=TODAY) == 2 + 2 + 1

    fresh = _meeting(db, cm["b1"], SOON + timedelta(days=1)).id
    assert _listed(db, meetings["ahead"]) == _listed(db, fresh) == [cm["王书记"], cm["刘外支"], cm["张一"]]
    assert _listed(db, b2_ahead) == [] and [a.name for a in ms.get(db, b2_ahead).attendees] == ["街道组织委员"]
    assert _listed(db, b2_later) == [cm["陈二支"]]
    assert {k: _listed(db, meetings[k]) for k in kept} == kept  # held, past and cancelled: never touched
    notes = _repair_notes(db)
    assert len(notes) == 1 and "加入 刘外支" in notes[0] and "周在职" in notes[0] and "陈二支" in notes[0]
    assert planned.repair_planned_attendance(db, today=TODAY) == 0  # nothing left to do, nothing written
    assert len(_repair_notes(db)) == 1


def test_the_repair_keeps_what_a_secretary_chose_by_hand(db, cm, meetings):
    ahead = meetings["ahead"]
    # 刘外支 (第二网格) invited as 应到 by hand; 周在职 taken off by hand.
    ms.set_attendees(db, ahead, [cm["王书记"], cm["张一"], cm["刘外支"]])
    # Planned with 王书记 left off from the start (the plan dialog's own list).
    chosen = _meeting(db, cm["b1"], SOON + timedelta(days=1), attendee_ids=[cm["周在职"], cm["张一"]]).id
    assert planned.repair_planned_attendance(db, today=TODAY) == 0
    assert _listed(db, ahead) == [cm["王书记"], cm["张一"], cm["刘外支"]]
    assert _listed(db, chosen) == [cm["周在职"], cm["张一"]]
    assert _repair_notes(db) == []
    # 周在职 moves away and back again (the old code): news the list they were taken off never heard of.
    _as_old_code(db, cm["周在职"], org_id=cm["b2"])
    _as_old_code(db, cm["周在职"], org_id=cm["b1"])
    assert planned.repair_planned_attendance(db, today=TODAY) == 1
    assert _listed(db, ahead) == [cm["王书记"], cm["周在职"], cm["张一"], cm["刘外支"]]


def test_the_repair_runs_once_per_database_for_someone_who_may_edit_meetings(db, cm):
    ahead = _meeting(db, cm["b1"], AHEAD).id
    _as_old_code(db, cm["周在职"], org_id=cm["b2"])
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.create_user(db, "viewer", "只读员", "viewer", "xingfuli2026", must_change_password=False)

    def after_log_in():  # what the window does (gui/app.py)
        return planned.repair_once(db) if due(db) else None

    auth.login(db, "viewer", "xingfuli2026")
    assert after_log_in() is None  # a viewer's log-in leaves it to the next
    assert cm["周在职"] in _listed(db, ahead)
    auth.login(db, "admin", "xingfuli2026")
    assert after_log_in() == 1
    assert cm["周在职"] not in _listed(db, ahead)
    with db.session() as s:
        assert s.get(AccessSetting, REPAIRED_KEY) is not None
    _as_old_code(db, cm["王书记"], org_id=cm["b2"])
    assert after_log_in() is None and planned.repair_once(db) is None  # done: later lists are the writers' to keep
    assert cm["王书记"] in _listed(db, ahead)


@pytest.mark.sqlite_only  # names the file with --db
def test_the_command_line_repairs_a_database_file(db, cm, capsys):
    ahead = _meeting(db, cm["b1"], AHEAD).id
    _as_old_code(db, cm["周在职"], org_id=cm["b2"])
    assert main(["meetings", "repair-planned", "--db", str(db.path)]) == 0
    assert "已修复 1 人次" in capsys.readouterr().out
    assert cm["周在职"] not in _listed(db, ahead)
