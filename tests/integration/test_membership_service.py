"""Figures true as of their date: a past meeting's 应到 and quorum, last year's counts and compliance,
and 应到 exemptions with their reasons, unchanged when today's data changes."""

from dataclasses import fields, replace
from datetime import date, time

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as r
from desktop_app.domain.errors import ValidationError
from desktop_app.services.auth import PermissionDenied
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, membership, orgs, overview, roster
from desktop_app.services import meetings as ms

THEN = date(2024, 6, 15)  # last year's meeting
TODAY = date(2025, 3, 1)


def _member(db, name, org_id, i, category="正式党员", joined=None, confirmed=None, today=THEN):
    born = date(1960 + i % 20, 1 + i % 12, 1 + i % 27)
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, i, idcard.MALE),
        category=category, joined_date=joined or date(1990, 7, 1),
        confirmed_date=confirmed if category == "正式党员" else None,
    ), today=today).id


@pytest.fixture
def world(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    # records kept here since before the years asked about (a new branch counts from its month)
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id, tracking_since=date(2024, 1, 1))
    g = orgs.create(db, "第一党小组", "G01", "group", b.id)
    ids = {f"党员{i}": _member(db, f"党员{i}", g.id if i % 2 else b.id, i, confirmed=date(1991, 7, 1))
           for i in range(1, 6)}
    ids["预备甲"] = _member(db, "预备甲", b.id, 11, category="预备党员", joined=date(2024, 3, 1))
    ids["预备乙"] = _member(db, "预备乙", b.id, 12, category="预备党员", joined=date(2024, 3, 1))
    return b.id, g.id, ids


def _congress(db, branch, day=THEN):
    return ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.BRANCH_CONGRESS, meeting_date=day,
                                       start_time=time(9, 0), title="支部党员大会"), today=day)


def _confirm(db, member_id, on):
    d = roster.get(db, member_id)
    inp = MemberInput(**{f.name: getattr(d, f.name) for f in fields(MemberInput) if hasattr(d, f.name)})
    roster.update(db, member_id, replace(inp, category="正式党员", confirmed_date=on), today=on)


def test_a_past_meetings_quorum_and_expected_do_not_move_when_today_changes(db, world):
    branch, _, ids = world
    m = _congress(db, branch)
    present = ["党员1", "党员2", "党员3", "预备甲", "预备乙"]
    ms.record_attendance(db, m.id, [
        ms.AttendanceEntry(status=r.PRESENT if name in present else r.ABSENT, member_id=mid)
        for name, mid in ids.items()], today=THEN)
    before = ms.get(db, m.id)
    assert before.expected == 7
    assert (before.quorum.base, before.quorum.present, before.quorum.met) == (5, 3, True)
    grid_before = ms.compliance(db, 2024, today=TODAY)
    counts_before = membership.counts_on(db, date(2024, 12, 31))
    ov_before = overview.overview(db, on=date(2024, 12, 31))

    # Today: both probationers are confirmed, two members die, one transfers out, a new member joins.
    _confirm(db, ids["预备甲"], date(2025, 3, 1))
    _confirm(db, ids["预备乙"], date(2025, 3, 1))
    roster.change_status(db, ids["党员4"], "去世", TODAY, today=TODAY)
    roster.change_status(db, ids["党员5"], "去世", TODAY, today=TODAY)
    roster.transfer(db, ids["党员1"], "转出", TODAY, to_org="外区某支部", today=TODAY)
    _member(db, "新党员", branch, 30, joined=date(2025, 2, 1), category="预备党员", today=TODAY)

    after = ms.get(db, m.id)
    assert after.expected == before.expected
    assert after.quorum == before.quorum  # 预备 on the day: still no vote then
    assert {a.name: a.has_vote for a in after.attendees} == {a.name: a.has_vote for a in before.attendees}
    assert ms.compliance(db, 2024, today=TODAY) == grid_before
    assert membership.counts_on(db, date(2024, 12, 31)) == counts_before
    assert counts_before.total == 7 and counts_before.probationary == 2
    assert overview.overview(db, on=date(2024, 12, 31)) == ov_before
    now = membership.counts_on(db, TODAY)
    assert (now.total, now.full, now.probationary, now.gone) == (5, 4, 1, 3)
    assert membership.counts_on(db, TODAY, include_gone=True).total == 8


def test_a_meeting_entered_later_lists_who_was_a_member_that_day(db, world):
    branch, _, ids = world
    roster.change_status(db, ids["党员4"], "去世", TODAY, today=TODAY)
    _member(db, "新党员", branch, 30, joined=date(2025, 2, 1), category="预备党员", today=TODAY)
    late = _congress(db, branch, THEN)  # entered today for last June
    names = {a.name for a in late.attendees}
    assert "党员4" in names and "新党员" not in names
    today = _congress(db, branch, TODAY)
    names = {a.name for a in today.attendees}
    assert "党员4" not in names and "新党员" in names


def test_an_excused_member_is_listed_with_the_reason_and_not_counted(db, world, tmp_path):
    branch, _, ids = world
    e = membership.add_exemption(db, ids["党员2"], date(2024, 5, 1), date(2024, 12, 31), "长期外出", "在外地务工")
    assert e.reason == "长期外出" and membership.exemptions(db, ids["党员2"])[0].id == e.id
    roster.change_status(db, ids["党员3"], "失联", date(2024, 1, 5), today=THEN)
    m = _congress(db, branch)
    by_name = {a.name: a for a in m.attendees}
    assert by_name["党员2"].excused_reason == "长期外出"
    assert by_name["党员3"].excused_reason == "失联"
    assert m.expected == 5
    ms.record_attendance(db, m.id, [ms.AttendanceEntry(status=r.PRESENT, member_id=ids[n])
                                    for n in ("党员1", "党员4")], today=THEN)
    got = ms.get(db, m.id)
    # voters: 党员1, 党员4, 党员5 (党员2 and 党员3 excused, 预备 have no vote): 2 of 3 present
    assert (got.quorum.base, got.quorum.present, got.quorum.met) == (3, 2, True)
    sheet = ms.signin_sheet_of(db, m.id)
    line = next(ln for ln in sheet.lines if ln.name == "党员2")
    assert "免于应到：长期外出" in line.notes
    out = tmp_path / "sheet.pdf"
    ms.print_signin_sheet(db, m.number, out)
    assert out.stat().st_size > 1000
    later = _congress(db, branch, date(2025, 1, 10))  # the exemption has ended
    assert not {a.name: a for a in later.attendees}["党员2"].excused_reason
    with pytest.raises(ValidationError):
        membership.add_exemption(db, ids["党员2"], date(2024, 5, 1), None, "")
    membership.delete_exemption(db, e.id)
    assert membership.exemptions(db, ids["党员2"]) == []


def test_the_overview_counts_organisations_by_kind_and_leaves_out_those_who_left(db, world):
    branch, _, ids = world
    roster.change_status(db, ids["党员4"], "去世", TODAY, today=TODAY)
    ov = overview.overview(db, on=TODAY)
    assert ov.members == 6
    assert ov.organisations == 2  # 社区党委 and the branch; the 党小组 is not an organisation
    assert ov.orgs_by_kind["group"] == 1
    tree = {n.name: n.member_count for n in orgs.list_tree(db)}
    assert tree["第一网格党支部"] == 3  # 党员4 died: 党员2, 预备甲, 预备乙 remain directly


def test_exemptions_need_the_roster_rights(db, world):
    _, _, ids = world
    auth.create_first_admin(db, "admin", "王书记", "pw-123456-ok")
    auth.create_user(db, "viewer", "只读小王", "viewer", "pw-123456-ok")
    auth.login(db, "viewer", "pw-123456-ok")
    with pytest.raises(PermissionDenied):
        membership.add_exemption(db, ids["党员2"], date(2024, 5, 1), None, "病重")


# ---------------------------------------------------------------- cadence per branch

def test_the_grid_asks_each_branch_only_for_what_it_must_hold(db, world):
    branch, group, ids = world
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    small = orgs.create(db, "第二网格党支部", "B02", "branch", c.id, tracking_since=date(2024, 1, 1))
    _member(db, "孤单", small.id, 40)
    grid = ms.compliance(db, 2024, today=TODAY)
    # 5 正式党员 in 第一网格 and none registered: no committee; 第二网格 has no groups either
    assert grid.has_committee == {branch: False, small.id: False}
    committee = grid.cells[(branch, r.COMMITTEE)]
    assert {cell.status for cell in committee} == {r.CellStatus.NOT_REQUIRED}
    assert {cell.status for cell in grid.cells[(small.id, r.GROUP_MEETING)]} == {r.CellStatus.NOT_REQUIRED}
    assert r.CellStatus.OVERDUE in {cell.status for cell in grid.cells[(branch, r.GROUP_MEETING)]}
    # set by hand: the branch has a committee after all, and is tracked from July only
    ms.set_branch_cadence(db, branch, date(2024, 7, 1), True, "七月起建档")
    grid = ms.compliance(db, 2024, today=TODAY)
    months = [cell.status for cell in grid.cells[(branch, r.COMMITTEE)]]
    assert months[:6] == [r.CellStatus.NOT_REQUIRED] * 6 and months[6:] == [r.CellStatus.OVERDUE] * 6
    row = next(x for x in ms.branch_cadence(db, today=TODAY) if x.org_id == branch)
    assert (row.tracking_since, row.has_committee, row.committee_now, row.groups) == (date(2024, 7, 1), True, True, 1)


def test_a_years_review_held_in_the_next_first_quarter_counts_for_that_year(db, world):
    branch, _, ids = world
    held = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.ORG_LIFE, meeting_date=date(2025, 1, 20),
                                       start_time=time(9, 0), title="2024年度组织生活会"), today=TODAY)
    ms.all_present(db, held.id, today=TODAY)
    g2024 = ms.compliance(db, 2024, today=date(2025, 2, 1))
    assert g2024.cells[(branch, r.ORG_LIFE)][0].status == r.CellStatus.HELD
    g2025 = ms.compliance(db, 2025, today=date(2025, 2, 1))
    assert g2025.cells[(branch, r.ORG_LIFE)][0].status == r.CellStatus.DUE
    ev = ms.compliance(db, 2024, today=date(2025, 2, 1)).cells[(branch, r.EVALUATION)][0]
    assert ev.status == r.CellStatus.DUE  # not overdue before 1 April
    assert ms.compliance(db, 2024, today=date(2025, 4, 1)).cells[(branch, r.EVALUATION)][0].status \
        == r.CellStatus.OVERDUE


def test_the_secretary_lecture_is_checked_once_a_year(db, world):
    branch, _, ids = world
    ms.set_committee(db, branch, [(ids["党员1"], "书记")], on=date(2020, 1, 1), today=THEN)
    lecture = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.PARTY_LECTURE, meeting_date=date(2024, 5, 8),
                                          start_time=time(9, 0), title="党课", lecturer="张老师"), today=THEN)
    ms.all_present(db, lecture.id, today=THEN)
    assert ms.compliance(db, 2024, today=TODAY).secretary_lecture[branch] is False
    by_secretary = ms.plan(db, ms.MeetingInput(org_id=branch, kind=r.PARTY_LECTURE, meeting_date=date(2024, 9, 8),
                                               start_time=time(9, 0), title="书记讲党课", lecturer="党员1"), today=THEN)
    ms.all_present(db, by_secretary.id, today=TODAY)
    assert ms.compliance(db, 2024, today=TODAY).secretary_lecture[branch] is True


def test_lost_contact_leaves_out_those_with_a_good_reason(db, world):
    _, _, ids = world
    risks = {x.name for x in ms.lost_contact_risk(db, TODAY)}
    assert {"党员2", "党员3"} <= risks  # no organisation life in the last six months
    membership.add_exemption(db, ids["党员2"], date(2024, 10, 1), date(2025, 2, 28), "长期外出", "外地务工")
    membership.add_exemption(db, ids["党员3"], date(2023, 1, 1), date(2024, 1, 31), "病重")  # long over
    risks = {x.name for x in ms.lost_contact_risk(db, TODAY)}
    assert "党员2" not in risks and "党员3" in risks


def test_counts_of_a_day_read_the_same_roster_as_the_overview_and_the_assessment(db, world):
    branch, _, ids = world
    roster.change_status(db, ids["党员4"], "去世", TODAY, today=TODAY)
    new = _member(db, "新党员", branch, 30, joined=date(2025, 2, 1), category="预备党员", today=TODAY)
    for day, gone in ((date(2024, 12, 31), set()), (TODAY, {ids["党员4"]})):
        with db.session() as s:
            on_roster = membership.members_on(s, day)
            with_gone = membership.members_on(s, day, include_gone=True)
        assert set(with_gone) - set(on_roster) == gone and (new in with_gone) == (day == TODAY)
        counts = membership.counts_on(db, day)
        assert counts.total == len(on_roster) and counts.gone == len(gone)
        assert membership.counts_on(db, day, include_gone=True).total == len(with_gone)
    assert with_gone[ids["党员4"]].status == "去世"
