"""三会一课 service on a real SQLite file: planning, attendance, quorum, compliance, follow-up, 民主评议."""

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import text

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.meetings import CellStatus
from desktop_app.domain.members import MemberInput
from desktop_app.services import evaluations, orgs, roster
from desktop_app.services import meetings as ms
from desktop_app.settings import data_dir

TODAY = date(2025, 5, 20)


@dataclass
class Community:
    branch: str
    branch2: str
    group1: str
    group2: str
    m: dict  # name -> member id


def _member(db, name, org_id, i, category="正式党员", status=None):
    born = date(1940 + i % 10, 1 + i % 12, 1 + i % 27)
    probationary = category == "预备党员"
    detail = roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, i, idcard.MALE if i % 2 else idcard.FEMALE),
        category=category,
        joined_date=date(2025, 1, 10) if probationary else date(1980 + i % 20, 7, 1),
        confirmed_date=None if probationary else date(1981 + i % 20, 7, 1),
        mobile=f"1391234{i:04d}",
    ), today=TODAY)
    if status:
        roster.change_status(db, detail.id, status, date(2025, 1, 1), today=TODAY)
    return detail.id


@pytest.fixture
def cm(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    # branches whose records here began before the years asked about (a new one counts from its month)
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id, tracking_since=date(2024, 1, 1))
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id, tracking_since=date(2024, 1, 1))
    g1 = orgs.create(db, "第一党小组", "G01", "group", b.id)
    g2 = orgs.create(db, "第二党小组", "G02", "group", b.id)
    m = {}
    # 第一网格党支部: 2 directly, 3 in each group; one 预备党员, one 停止党籍, one 转出
    for i, (name, org) in enumerate([
        ("王书记", b.id), ("李委员", b.id),
        ("张一", g1.id), ("张二", g1.id), ("张三", g1.id),
        ("刘一", g2.id), ("刘二", g2.id),
    ]):
        m[name] = _member(db, name, org, i)
    m["陈预备"] = _member(db, "陈预备", g2.id, 20, category="预备党员")
    m["赵停止"] = _member(db, "赵停止", g1.id, 21, status="停止党籍")
    m["钱转出"] = _member(db, "钱转出", b.id, 22, status="转出")
    m["孙外支"] = _member(db, "孙外支", b2.id, 30)
    return Community(b.id, b2.id, g1.id, g2.id, m)


def meeting(cm, kind=r.BRANCH_CONGRESS, day=date(2025, 4, 10), org=None, **kw):
    return ms.MeetingInput(org_id=org or cm.branch, kind=kind, meeting_date=day, start_time=time(9, 0),
                           place="党群服务中心二楼会议室", host="王书记", recorder="李委员", **kw)


def count(db, table, where="deleted = false"):
    """Rows as stored, read past the services (an SQLite file or a PostgreSQL server)."""
    with db.engine.connect() as con:
        return con.execute(text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar()


# ---------------------------------------------------------------- planning

def test_plan_expects_the_branch_members_by_default_with_guests(db, cm):
    d = ms.plan(db, meeting(cm, title="学习贯彻党的二十届三中全会精神"),
                guests=[ms.Guest("周主任", "梅园街道党工委"), ms.Guest(member_id=cm.m["孙外支"])], today=TODAY)
    assert d.number == "320102001-2025-0001"
    assert d.status == r.PLANNED and d.title == "学习贯彻党的二十届三中全会精神"
    names = [a.name for a in d.attendees if not a.is_guest]
    # the branch's members and its groups', minus the suspended and the transferred out
    assert sorted(names) == sorted(["王书记", "李委员", "张一", "张二", "张三", "刘一", "刘二", "陈预备"])
    assert names[:2] == ["王书记", "李委员"]  # those directly in the branch first, then group by group
    assert {a.group_name for a in d.attendees if a.name.startswith("张")} == {"第一党小组"}
    guests = [a for a in d.attendees if a.is_guest]
    assert [(g.name, g.guest_unit) for g in guests] == [("周主任", "梅园街道党工委"), ("孙外支", "")]
    assert (d.expected, d.guests, d.present) == (8, 2, 0)
    assert d.quorum.applies and d.quorum.base == 7  # 陈预备 has no vote
    second = ms.plan(db, meeting(cm, kind=r.PARTY_LECTURE, lecturer="周主任"), today=TODAY)
    assert second.number == "320102001-2025-0002" and second.title == "党课" and second.lecturer == "周主任"
    # numbers are found whole or without the site code
    assert ms.resolve(db, "320102001-2025-0002") == second.id
    assert ms.resolve(db, "2025-0001") == d.id
    assert ms.resolve(db, d.id) == d.id
    with pytest.raises(ValidationError) as e:
        ms.resolve(db, "2025-0099")
    assert e.value.field == "会议编号"


def test_group_meeting_expects_only_its_group(db, cm):
    d = ms.plan(db, meeting(cm, kind=r.GROUP_MEETING, org=cm.group2), today=TODAY)
    assert sorted(a.name for a in d.attendees) == ["刘一", "刘二", "陈预备"]
    assert d.branch_name == "第一网格党支部" and d.org_name == "第二党小组"


def test_plan_refuses_bad_input_and_writes_nothing(db, cm):
    with pytest.raises(ValidationError) as e:
        ms.plan(db, meeting(cm, kind=r.BRANCH_CONGRESS, org=cm.group1), today=TODAY)
    assert e.value.field == "党组织" and "党支部" in e.value.message
    with pytest.raises(ValidationError) as e:
        ms.plan(db, replace(meeting(cm), meeting_date=None), today=TODAY)
    assert e.value.field == "会议日期"
    with pytest.raises(ValidationError) as e:
        ms.plan(db, replace(meeting(cm), end_time=time(8, 0)), today=TODAY)
    assert e.value.field == "结束时间"
    with pytest.raises(ValidationError) as e:
        ms.plan(db, meeting(cm, kind="座谈会"), today=TODAY)
    assert e.value.field == "会议类型"
    with pytest.raises(ValidationError) as e:
        ms.plan(db, meeting(cm), guests=[ms.Guest("")], today=TODAY)
    assert e.value.field == "列席人员"
    assert count(db, "meeting") == 0 and count(db, "attendance") == 0


def test_edit_moves_a_meeting_until_attendance_is_recorded(db, cm):
    d = ms.plan(db, meeting(cm, kind=r.THEME_DAY), guests=[ms.Guest("周主任")], today=TODAY)
    moved = ms.update(db, d.id, replace(d.to_input(), org_id=cm.branch2, place="小区广场"))
    assert [a.name for a in moved.attendees if not a.is_guest] == ["孙外支"]
    assert [a.name for a in moved.attendees if a.is_guest] == ["周主任"]
    assert moved.place == "小区广场" and moved.number == d.number
    ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, member_id=cm.m["孙外支"])], today=TODAY)
    with pytest.raises(Conflict):
        ms.update(db, d.id, replace(moved.to_input(), org_id=cm.branch))
    assert ms.get(db, d.id).org_id == cm.branch2


def test_set_attendees_keeps_recorded_rows(db, cm):
    d = ms.plan(db, meeting(cm, kind=r.THEME_DAY), attendee_ids=[cm.m["张一"], cm.m["张二"]], today=TODAY)
    assert [a.name for a in d.attendees] == ["张一", "张二"]
    d = ms.set_attendees(db, d.id, [cm.m["张二"], cm.m["刘一"]])
    assert [a.name for a in d.attendees] == ["张二", "刘一"]
    with pytest.raises(ValidationError):
        ms.set_attendees(db, d.id, ["no-such-member"])


# ---------------------------------------------------------------- attendance and quorum

def test_record_attendance_counts_rate_and_flags_a_congress_without_quorum(db, cm):
    d = ms.plan(db, meeting(cm), guests=[ms.Guest("周主任")], today=TODAY)
    m = cm.m
    entries = [
        ms.AttendanceEntry(r.PRESENT, member_id=m["王书记"]),
        ms.AttendanceEntry(r.PRESENT, member_id=m["李委员"]),
        ms.AttendanceEntry(r.PRESENT, member_id=m["张一"]),
        ms.AttendanceEntry(r.PRESENT, member_id=m["陈预备"]),  # no vote
        ms.AttendanceEntry(r.LEAVE, "住院治疗", member_id=m["张二"]),
        ms.AttendanceEntry(r.ABSENT, member_id=m["张三"]),
        ms.AttendanceEntry(r.GUEST, guest_name="周主任"),
    ]
    d = ms.record_attendance(db, d.id, entries, minutes="会议传达了……", today=TODAY)
    assert d.status == r.HELD and d.minutes == "会议传达了……"
    assert (d.expected, d.present, d.leave, d.absent, d.guests) == (8, 4, 1, 3, 1)  # 刘一, 刘二 unrecorded
    assert d.rate == 0.5
    assert d.quorum.base == 7 and d.quorum.present == 3 and d.quorum.met is False
    row = next(x for x in ms.list_meetings(db) if x.id == d.id)
    assert row.lacks_quorum
    leave = next(a for a in d.attendees if a.name == "张二")
    assert (leave.status, leave.reason) == (r.LEAVE, "住院治疗")

    # one more with a vote: 4 of 7 is more than half
    d = ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, member_id=m["刘一"])], today=TODAY)
    assert d.quorum.met is True and not next(x for x in ms.list_meetings(db) if x.id == d.id).lacks_quorum


def test_minutes_given_again_unchanged_make_no_new_version(db, cm):
    """hold and record_attendance write the minutes only when they differ (spaces trimmed): a form saved
    twice does not make the meeting look changed to someone else's open form."""
    d = ms.plan(db, meeting(cm), today=TODAY)
    held = ms.hold(db, d.id, minutes="  学习党章  ", today=TODAY)
    assert held.minutes == "学习党章"
    again = ms.hold(db, d.id, minutes="学习党章 ", today=TODAY)
    assert again.version == held.version
    same = ms.record_attendance(db, d.id, [], minutes=" 学习党章", today=TODAY)
    assert same.version == held.version
    kept = ms.record_attendance(db, d.id, [], mark_held=False, today=TODAY)  # no minutes given: left as they are
    assert (kept.minutes, kept.version) == ("学习党章", held.version)
    changed = ms.hold(db, d.id, minutes="学习党章总纲", today=TODAY)
    assert changed.minutes == "学习党章总纲" and changed.version > held.version


def test_a_walk_in_member_and_an_outside_guest(db, cm):
    d = ms.plan(db, meeting(cm, kind=r.PARTY_LECTURE), attendee_ids=[cm.m["张一"]], today=TODAY)
    d = ms.record_attendance(db, d.id, [
        ms.AttendanceEntry(r.PRESENT, member_id=cm.m["张一"]),
        ms.AttendanceEntry(r.PRESENT, member_id=cm.m["刘二"]),  # came though not on the list
        ms.AttendanceEntry(r.GUEST, guest_name="吴老师", guest_unit="区委党校"),
    ], today=TODAY)
    assert (d.expected, d.present, d.guests) == (2, 2, 1)
    assert [a.name for a in d.attendees] == ["张一", "刘二", "吴老师"]


def test_bad_attendance_changes_nothing(db, cm):
    d = ms.plan(db, meeting(cm), today=TODAY)
    with pytest.raises(ValidationError) as e:
        ms.record_attendance(db, d.id, [
            ms.AttendanceEntry(r.PRESENT, member_id=cm.m["王书记"]),
            ms.AttendanceEntry("迟到", member_id=cm.m["李委员"]),
        ], today=TODAY)
    assert e.value.field == "出勤情况"
    with pytest.raises(ValidationError):
        ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, guest_name="周主任")], today=TODAY)
    after = ms.get(db, d.id)
    assert after.status == r.PLANNED and after.present == 0 and after.guests == 0


def test_all_present_in_one_call_and_no_holding_in_the_future_or_when_cancelled(db, cm):
    d = ms.plan(db, meeting(cm), guests=[ms.Guest("周主任")], today=TODAY)
    d = ms.all_present(db, d.id, today=TODAY)
    assert d.status == r.HELD and d.present == d.expected == 8 and d.rate == 1.0 and d.quorum.met
    assert next(a for a in d.attendees if a.is_guest).status == r.GUEST

    future = ms.plan(db, meeting(cm, day=date(2025, 6, 1)), today=TODAY)
    with pytest.raises(ValidationError) as e:
        ms.all_present(db, future.id, today=TODAY)
    assert e.value.field == "会议日期"
    ms.cancel(db, future.id, "与社区活动冲突")
    with pytest.raises(Conflict):
        ms.record_attendance(db, future.id, [], today=date(2025, 6, 2))
    with pytest.raises(Conflict):
        ms.cancel(db, d.id)  # held meetings are not cancelled
    assert ms.reopen(db, future.id).status == r.PLANNED


def test_a_held_meeting_is_not_moved_past_today(db, cm):
    """A date mistyped while editing (12-17 for 11-17) would leave a held meeting in the future, held."""
    d = ms.all_present(db, ms.plan(db, meeting(cm), today=TODAY).id, today=TODAY)
    with pytest.raises(ValidationError) as e:
        ms.update(db, d.id, meeting(cm, day=TODAY + timedelta(days=10)), today=TODAY)
    assert (e.value.field, e.value.message) == (
        "会议日期", f"会议已召开，日期不能晚于今天：{TODAY + timedelta(days=10):%Y-%m-%d} 还没到")
    assert ms.get(db, d.id).meeting_date == date(2025, 4, 10)
    assert ms.update(db, d.id, meeting(cm, day=TODAY), today=TODAY).meeting_date == TODAY  # today is fine
    planned = ms.plan(db, meeting(cm, day=TODAY - timedelta(days=1)), today=TODAY)
    assert ms.update(db, planned.id, meeting(cm, day=TODAY + timedelta(days=30)), today=TODAY).status == r.PLANNED


def test_committee_meeting_quorum_from_the_register(db, cm):
    m = cm.m
    seats = ms.set_committee(db, cm.branch, [(m["王书记"], "书记"), (m["李委员"], "组织委员"), (m["张一"], "宣传委员")],
                             on=date(2025, 1, 1))
    assert [(s.name, s.role) for s in seats] == [("王书记", "书记"), ("李委员", "组织委员"), ("张一", "宣传委员")]
    d = ms.plan(db, meeting(cm, kind=r.COMMITTEE, day=date(2025, 3, 5)), today=TODAY)
    assert [a.name for a in d.attendees] == ["王书记", "李委员", "张一"]  # the committee, not the branch
    assert all(a.on_committee for a in d.attendees)
    d = ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, member_id=m["王书记"]),
                                        ms.AttendanceEntry(r.LEAVE, "出差", member_id=m["李委员"]),
                                        ms.AttendanceEntry(r.LEAVE, "出差", member_id=m["张一"])], today=TODAY)
    assert d.quorum.met is False and d.quorum.base == 3

    # the committee grows later: the March meeting keeps the committee it had
    ms.set_committee(db, cm.branch, [(m["王书记"], "书记"), (m["李委员"], "组织委员"),
                                     (m["张一"], "宣传委员"), (m["张二"], "纪检委员"), (m["刘一"], "委员")],
                     on=date(2025, 4, 1))
    assert ms.get(db, d.id).quorum.base == 3
    assert len(ms.committee(db, cm.branch, date(2025, 4, 1))) == 5
    assert len(ms.committee(db, cm.branch, date(2025, 3, 31))) == 3
    # and shrinks: 张一 leaves, the history stays
    ms.set_committee(db, cm.branch, [(m["王书记"], "书记"), (m["李委员"], "组织委员")], on=date(2025, 5, 1))
    assert [s.name for s in ms.committee(db, cm.branch, date(2025, 5, 1))] == ["王书记", "李委员"]
    assert "张一" in [s.name for s in ms.committee(db, cm.branch, date(2025, 3, 5))]

    with pytest.raises(ValidationError) as e:
        ms.set_committee(db, cm.branch, [(m["孙外支"], "委员")])
    assert e.value.field == "支委会成员"
    with pytest.raises(ValidationError) as e:
        ms.set_committee(db, cm.branch, [(m["王书记"], "书记"), (m["李委员"], "书记")])
    assert e.value.field == "职务"


def test_committee_meeting_without_a_register_is_unknown_not_lacking(db, cm):
    d = ms.plan(db, meeting(cm, kind=r.COMMITTEE), attendee_ids=[cm.m["王书记"]], today=TODAY)
    d = ms.all_present(db, d.id, today=TODAY)
    assert d.quorum.applies and d.quorum.met is None and not d.quorum.lacking


# ---------------------------------------------------------------- compliance

def _held(db, cm, kind, day, org=None, quorum=True):
    d = ms.plan(db, meeting(cm, kind=kind, day=day, org=org), today=TODAY)
    if quorum:
        return ms.all_present(db, d.id, today=TODAY)
    return ms.hold(db, d.id, today=TODAY)


def test_compliance_grid_held_due_overdue_planned_and_no_quorum(db, cm):
    _held(db, cm, r.BRANCH_CONGRESS, date(2025, 1, 15))
    _held(db, cm, r.BRANCH_CONGRESS, date(2025, 4, 15), quorum=False)  # nobody recorded: no quorum
    _held(db, cm, r.THEME_DAY, date(2025, 1, 5))
    _held(db, cm, r.THEME_DAY, date(2025, 3, 5))
    ms.plan(db, meeting(cm, kind=r.THEME_DAY, day=date(2025, 5, 28)), today=TODAY)
    _held(db, cm, r.GROUP_MEETING, date(2025, 4, 8), org=cm.group1)

    grid = ms.compliance(db, 2025, TODAY)
    assert [row.name for row in grid.rows] == ["第一网格党支部", "第二网格党支部"]
    assert r.JOINT not in grid.kinds and r.COMMITTEE in grid.kinds

    def statuses(org, kind):
        return [c.status for c in grid.cells[(org, kind)]]

    assert statuses(cm.branch, r.BRANCH_CONGRESS) == [
        CellStatus.HELD, CellStatus.NO_QUORUM, CellStatus.FUTURE, CellStatus.FUTURE]
    theme = statuses(cm.branch, r.THEME_DAY)
    assert theme[:6] == [CellStatus.HELD, CellStatus.OVERDUE, CellStatus.HELD, CellStatus.OVERDUE,
                         CellStatus.PLANNED, CellStatus.FUTURE]
    assert grid.current(cm.branch, r.THEME_DAY).status == CellStatus.PLANNED
    # 党小组会: April held by 第一党小组 only, so the branch still owes it through 第二党小组
    april = grid.cells[(cm.branch, r.GROUP_MEETING)][3]
    assert april.status == CellStatus.OVERDUE and april.owing == ("第二党小组",) and april.held == 1
    assert statuses(cm.branch2, r.BRANCH_CONGRESS)[0] == CellStatus.OVERDUE
    assert statuses(cm.branch2, r.ORG_LIFE) == [CellStatus.DUE]

    summary = ms.compliance_summary(db, TODAY)
    assert summary.overdue == grid.overdue == ms.overdue_count(db, TODAY)
    assert summary.no_quorum == 1 and summary.branches_owing == 2
    # one branch at a time
    only = ms.compliance(db, 2025, TODAY, org_id=cm.branch2)
    assert [row.name for row in only.rows] == ["第二网格党支部"]
    # a past year is all over: nothing due, only held or overdue
    past = ms.compliance(db, 2024, TODAY)
    asked = {key for key, cells in past.cells.items() if any(c.status != CellStatus.NOT_REQUIRED for c in cells)}
    assert {c.status for key in asked for c in past.cells[key]} == {CellStatus.OVERDUE}
    # 第二网格党支部 (one member, no committee, no groups) is asked for no 支委会 and no 党小组会
    assert set(past.cells) - asked == {(cm.branch2, r.COMMITTEE), (cm.branch2, r.GROUP_MEETING)}


def test_a_branch_level_group_meeting_counts_for_each_group(db, cm):
    _held(db, cm, r.GROUP_MEETING, date(2025, 4, 8), org=cm.branch)
    april = ms.compliance(db, 2025, TODAY).cells[(cm.branch, r.GROUP_MEETING)][3]
    assert april.status == CellStatus.HELD


def test_a_center_changes_a_cadence_and_the_grid_follows(db, cm):
    before = ms.compliance(db, 2025, TODAY)
    assert len(before.cells[(cm.branch, r.PARTY_LECTURE)]) == 4
    s = ms.set_kind_setting(db, r.PARTY_LECTURE, "month", 1)
    assert s.customized and s.cadence_label == "每月"
    after = ms.compliance(db, 2025, TODAY)
    assert len(after.cells[(cm.branch, r.PARTY_LECTURE)]) == 12
    assert after.overdue == before.overdue + 2 * 4 - 2 * 1  # per branch: Jan-Apr overdue now, not Q1
    ms.set_kind_setting(db, r.THEME_DAY, "month", 1, required=False)
    assert r.THEME_DAY not in ms.compliance(db, 2025, TODAY).kinds
    by_kind = {k.kind: k for k in ms.kind_settings(db)}
    assert by_kind[r.PARTY_LECTURE].unit == "month" and not by_kind[r.THEME_DAY].required
    assert count(db, "meeting_kind_setting") == 2
    ms.set_kind_setting(db, r.PARTY_LECTURE, "quarter", 1)  # edits the row, adds none
    assert count(db, "meeting_kind_setting") == 2
    ms.reset_kind_settings(db)
    assert not any(k.customized for k in ms.kind_settings(db))


# ---------------------------------------------------------------- attachments

def test_attachment_is_copied_into_the_data_folder(db, cm, tmp_path):
    d = ms.plan(db, meeting(cm), today=TODAY)
    scan = tmp_path / "签到表 扫描件.jpg"
    scan.write_bytes(b"\xff\xd8fake jpeg" * 100)
    att = ms.add_attachment(db, d.id, scan, note="签字后的签到表")
    path = ms.attachment_path(db, att.id)
    assert path.read_bytes() == scan.read_bytes()
    assert path.is_relative_to(data_dir() / "attachments")
    scan.unlink()  # the original may go: the copy stays
    assert ms.get(db, d.id).files[0].file_name == "签到表 扫描件.jpg"
    assert ms.get(db, d.id).attachments == 1
    ms.remove_attachment(db, att.id)
    assert ms.get(db, d.id).files == ()
    with pytest.raises(NotFound):
        ms.attachment_path(db, att.id)
    with pytest.raises(ValidationError) as e:
        ms.add_attachment(db, d.id, tmp_path / "nope.jpg")
    assert e.value.field == "附件"


def test_an_attachment_to_a_missing_meeting_leaves_no_file(db, cm, tmp_path):
    f = tmp_path / "a.png"
    f.write_bytes(b"png")
    with pytest.raises(NotFound):
        ms.add_attachment(db, "no-such-meeting", f)
    folder = data_dir() / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_delete_tombstones_the_meeting_and_its_rows(db, cm):
    d = ms.plan(db, meeting(cm), today=TODAY)
    ms.delete(db, d.id)
    assert ms.list_meetings(db) == []
    assert count(db, "meeting", "deleted = true") == 1 and count(db, "attendance") == 0
    with pytest.raises(NotFound):
        ms.get(db, d.id)
    # numbers are never reused
    assert ms.plan(db, meeting(cm), today=TODAY).number.endswith("-0002")


def test_list_filters(db, cm):
    a = ms.plan(db, meeting(cm, kind=r.PARTY_LECTURE, day=date(2025, 2, 1), title="廉政党课"), today=TODAY)
    b = ms.plan(db, meeting(cm, kind=r.THEME_DAY, day=date(2025, 3, 1), org=cm.branch2), today=TODAY)
    c = ms.plan(db, meeting(cm, kind=r.GROUP_MEETING, day=date(2025, 4, 1), org=cm.group1), today=TODAY)
    ms.all_present(db, b.id, today=TODAY)
    ids = lambda **kw: [x.id for x in ms.list_meetings(db, ms.MeetingFilter(**kw))]  # noqa: E731
    assert ids() == [c.id, b.id, a.id]  # newest first
    assert ids(org_id=cm.branch) == [c.id, a.id]  # a branch includes its groups
    assert ids(kind=r.THEME_DAY) == [b.id]
    assert ids(status=r.HELD) == [b.id]
    assert ids(date_from=date(2025, 2, 15), date_to=date(2025, 3, 31)) == [b.id]
    assert ids(text="廉政") == [a.id]
    assert ids(text="0003") == [c.id]


# ---------------------------------------------------------------- members

def test_member_history_rates_and_absent_streaks(db, cm):
    m = cm.m
    days = [date(2025, 1, 10), date(2025, 2, 10), date(2025, 3, 10), date(2025, 4, 10)]
    for i, day in enumerate(days):
        d = ms.plan(db, meeting(cm, kind=r.THEME_DAY, day=day), today=TODAY)
        entries = [ms.AttendanceEntry(r.PRESENT, member_id=m[n]) for n in ("王书记", "李委员", "张一")]
        entries.append(ms.AttendanceEntry(r.PRESENT if i == 0 else r.ABSENT, member_id=m["张二"]))
        entries.append(ms.AttendanceEntry(r.ABSENT if i != 2 else r.LEAVE, "探亲", member_id=m["张三"]))
        ms.record_attendance(db, d.id, entries, today=TODAY)

    h = ms.member_history(db, m["张二"])
    assert [line.meeting_date for line in h.lines] == days[::-1]
    assert (h.counts.expected, h.counts.present, h.counts.absent) == (4, 1, 3) and h.counts.rate == 0.25
    rates = {x.name: x for x in ms.member_rates(db, cm.branch)}
    assert rates["王书记"].counts.rate == 1.0 and rates["王书记"].last_present == days[-1]
    assert rates["张三"].counts.leave == 1 and rates["张三"].counts.present == 0
    assert "钱转出" not in rates and "孙外支" not in rates
    # 刘一 was expected but never recorded: counts as absent
    assert rates["刘一"].counts.absent == 4

    streaks = {s.name: s for s in ms.absent_streaks(db, 3, TODAY)}
    assert streaks["张二"].streak == 3 and streaks["张二"].last_present == days[0]
    assert "张三" not in streaks  # the 请假 in March breaks the run
    assert ms.absent_streaks(db, 3, TODAY, count_leave=True)[0].streak == 4
    assert streaks["刘一"].streak == 4 and streaks["刘一"].missed[0] == (days[-1], r.THEME_DAY)
    with pytest.raises(ValidationError):
        ms.absent_streaks(db, 0, TODAY)


def test_lost_contact_risk_with_and_without_dues(db, cm):
    m = cm.m
    d = ms.plan(db, meeting(cm, kind=r.THEME_DAY, day=date(2025, 3, 10)), today=TODAY)
    ms.record_attendance(db, d.id, [ms.AttendanceEntry(r.PRESENT, member_id=m["王书记"])], today=TODAY)
    old = ms.plan(db, meeting(cm, kind=r.THEME_DAY, day=date(2024, 10, 10)), today=TODAY)
    ms.record_attendance(db, old.id, [ms.AttendanceEntry(r.PRESENT, member_id=m["李委员"])], today=TODAY)

    risks = {x.name: x for x in ms.lost_contact_risk(db, TODAY)}
    assert "王书记" not in risks
    assert risks["李委员"].last_life == date(2024, 10, 10) and not risks["李委员"].dues_known
    assert "陈预备" not in risks  # joined in January: too new to have missed six months
    assert "赵停止" not in risks and "钱转出" not in risks

    paid = {m["李委员"]: date(2025, 4, 30)}
    with_dues = {x.name for x in ms.lost_contact_risk(db, TODAY, dues_last_paid=paid.get)}
    assert "李委员" not in with_dues and "张一" in with_dues


# ---------------------------------------------------------------- 民主评议

def test_evaluation_grid_save_and_summary(db, cm):
    rows = evaluations.grid(db, cm.branch, 2024)
    names = [x.name for x in rows]
    assert "赵停止" in names and "钱转出" not in names and "孙外支" not in names
    assert all(x.grade == "" for x in rows)
    m = cm.m
    res = evaluations.save(db, cm.branch, 2024, [
        evaluations.EvaluationEntry(m["王书记"], "优秀", "带头作用突出"),
        evaluations.EvaluationEntry(m["李委员"], "合格"),
        evaluations.EvaluationEntry(m["张一"], "基本合格", "参加组织生活不够经常"),
        evaluations.EvaluationEntry(m["张二"], ""),
    ])
    assert (res.added, res.changed, res.cleared, res.unchanged) == (3, 0, 0, 1)
    grades = {x.name: (x.grade, x.notes, x.group_name) for x in evaluations.grid(db, cm.branch, 2024)}
    assert grades["王书记"] == ("优秀", "带头作用突出", "")
    assert grades["张一"] == ("基本合格", "参加组织生活不够经常", "第一党小组")
    assert evaluations.grid(db, cm.branch, 2025)[0].grade == ""  # per year

    res = evaluations.save(db, cm.branch, 2024, [
        evaluations.EvaluationEntry(m["王书记"], "优秀", "带头作用突出"),
        evaluations.EvaluationEntry(m["李委员"], "优秀"),
        evaluations.EvaluationEntry(m["张一"], ""),
    ])
    assert (res.added, res.changed, res.cleared, res.unchanged) == (0, 1, 1, 1)
    assert count(db, "evaluation") == 2 and count(db, "evaluation", "deleted = true") == 1

    summary = evaluations.summary(db, 2024)
    assert summary.center_name == "幸福里社区党委"
    assert [b.branch_name for b in summary.branches] == ["第一网格党支部", "第二网格党支部"]
    assert summary.branches[0].counts()["优秀"] == 2
    assert summary.totals()["未评议"] == len(names) - 2 + 1  # the other branch's one member too
    assert [b.branch_name for b in evaluations.summary(db, 2024, cm.branch2).branches] == ["第二网格党支部"]


def test_evaluation_refuses_bad_grades_and_outsiders_whole(db, cm):
    m = cm.m
    with pytest.raises(ValidationError) as e:
        evaluations.save(db, cm.branch, 2024, [evaluations.EvaluationEntry(m["王书记"], "优秀"),
                                                evaluations.EvaluationEntry(m["李委员"], "良好")])
    assert e.value.field == "评议等次" and "第 2 行" in e.value.message
    with pytest.raises(ValidationError) as e:
        evaluations.save(db, cm.branch, 2024, [evaluations.EvaluationEntry(m["王书记"], "优秀"),
                                                evaluations.EvaluationEntry(m["孙外支"], "合格")])
    assert e.value.field == "党员"
    assert count(db, "evaluation") == 0
    with pytest.raises(ValidationError) as e:
        evaluations.grid(db, cm.group1, 2024)
    assert e.value.field == "党支部"
    with pytest.raises(ValidationError) as e:
        evaluations.grid(db, cm.branch, 1899)
    assert e.value.field == "评议年度"


# ---------------------------------------------------------------- demo

def test_demo_year_of_meetings_is_mostly_compliant_with_a_few_gaps(empty_db):
    from collections import Counter

    from desktop_app.services import demo

    demo.generate(empty_db, members=300, seed=2, with_modules=False)
    counts = demo.add_meetings(empty_db, seed=2, today=TODAY)
    assert counts["meetings"] > 150 and counts["attendance"] > 3000 and counts["committee"] >= 9
    assert counts["held"] > counts["planned"] > 0 and counts["cancelled"] == 1
    grid = ms.compliance(empty_db, TODAY.year, TODAY)
    statuses = Counter(c.status for cells in grid.cells.values() for c in cells if c.period.end < TODAY)
    past = sum(statuses.values())
    assert statuses[CellStatus.HELD] > 0.85 * past  # mostly compliant
    assert 0 < statuses[CellStatus.OVERDUE] < 0.1 * past  # with a few gaps
    assert ms.compliance_summary(empty_db, TODAY).no_quorum >= 1
    assert ms.absent_streaks(empty_db, 3, TODAY)  # someone for the follow-up list
    assert ms.lost_contact_risk(empty_db, TODAY)
    rows = ms.list_meetings(empty_db)
    assert len({r.number for r in rows}) == len(rows)  # numbers unique
    held = [m for m in rows if m.status == r.HELD and m.expected]
    assert 0.6 < sum(m.present for m in held) / sum(m.expected for m in held) < 0.95
    assert evaluations.summary(empty_db, TODAY.year - 1).totals()["合格"] > 0
    # the demo numbers go on where the planner continues
    nxt = ms.plan(empty_db, ms.MeetingInput(org_id=grid.rows[0].org_id, kind=r.THEME_DAY, meeting_date=TODAY),
                  today=TODAY)
    this_year = sum(1 for m in rows if m.meeting_date.year == TODAY.year)
    assert int(nxt.number.rsplit("-", 1)[1]) == this_year + 1
    with pytest.raises(Conflict):
        demo.add_meetings(empty_db, seed=2, today=TODAY)

