"""A member's life after joining, on a real database: exits, discipline and its bar on the vote,
不合格党员处置, dated moves between branches, 流动 registers, 失联 searches and 议题 votes."""

from datetime import date, time

import pytest

from desktop_app.domain import idcard
from desktop_app.domain import meetings as mr
from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.services import auth, membership, memberlife as ml, orgs, overview, roster
from desktop_app.services import meetings as ms
from desktop_app.services.auth import PermissionDenied

THEN = date(2024, 6, 15)
TODAY = date(2025, 3, 1)


def _member(db, name, org_id, i, category="正式党员", joined=date(1990, 7, 1), today=THEN):
    born = date(1960 + i % 20, 1 + i % 12, 1 + i % 27)
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", born, i, idcard.MALE), category=category,
        joined_date=joined, confirmed_date=date(1991, 7, 1) if category == "正式党员" else None,
    ), today=today).id


@pytest.fixture
def world(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    a = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    b = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    ids = {f"党员{i}": _member(db, f"党员{i}", a.id, i) for i in range(1, 6)}
    return a.id, b.id, ids


def test_an_exit_takes_the_member_off_later_counts_only_and_can_be_withdrawn(db, world):
    a, _, ids = world
    row = ml.record_exit(db, ids["党员1"], ml.ExitInput(m.EXPELLED, date(2025, 1, 10), "区纪委", "纪发〔2025〕1号",
                                                         "严重违纪"), today=TODAY)
    assert (row.kind, row.decided_by, row.document_no, row.branch_name) == (m.EXPELLED, "区纪委", "纪发〔2025〕1号",
                                                                          "第一网格党支部")
    assert roster.get(db, ids["党员1"]).status == m.EXPELLED
    assert membership.counts_on(db, date(2024, 12, 31)).total == 5
    assert membership.counts_on(db, TODAY).total == 4
    assert overview.overview(db, on=TODAY).members == 4
    assert {n.name: n.member_count for n in orgs.list_tree(db)}["第一网格党支部"] == 4
    assert [e.member_name for e in ml.exits(db, year=2025)] == ["党员1"]
    with pytest.raises(ValidationError, match="已是"):
        ml.record_exit(db, ids["党员1"], ml.ExitInput(m.DECEASED, date(2025, 2, 1)), today=TODAY)
    with db.session() as s:  # the trail keeps the decision and the status it changed
        from sqlalchemy import select

        from desktop_app.store.models_access import AuditEntry
        trail = set(s.execute(select(AuditEntry.table_name, AuditEntry.action)).all())
    assert {("party_exit", "insert"), ("member", "update")} <= {(t, a) for t, a in trail}, trail
    ml.withdraw_exit(db, row.id)
    assert roster.get(db, ids["党员1"]).status == m.NORMAL
    assert membership.counts_on(db, TODAY).total == 5
    assert ml.exits(db) == []


def test_the_register_also_lists_deaths_and_transfers_entered_on_the_roster(db, world):
    _, _, ids = world
    roster.change_status(db, ids["党员4"], m.DECEASED, date(2025, 2, 3), today=TODAY)
    roster.transfer(db, ids["党员5"], "转出", date(2025, 2, 5), to_org="外区某支部", today=TODAY)
    rows = ml.exits(db, year=2025)
    assert [(r.member_name, r.kind, r.from_roster) for r in rows] == [("党员5", m.TRANSFERRED_OUT, True),
                                                                       ("党员4", m.DECEASED, True)]
    ml.record_exit(db, ids["党员1"], ml.ExitInput(m.DECEASED, date(2025, 2, 4)), today=TODAY)
    assert [r.member_name for r in ml.exits(db)] == ["党员5", "党员1", "党员4"]  # no one twice


def test_a_transfer_out_through_the_exit_register_writes_the_transfer(db, world):
    _, _, ids = world
    ml.record_exit(db, ids["党员2"], ml.ExitInput(m.TRANSFERRED_OUT, date(2025, 2, 1), document_no="介字001",
                                                  destination="外区某支部"), today=TODAY)
    t = roster.get(db, ids["党员2"]).transfers[0]
    assert (t.direction, t.to_org) == ("转出", "外区某支部")


def test_a_transfer_out_shows_once_in_the_members_life_with_its_letter(db, world):
    _, _, ids = world
    ml.record_exit(db, ids["党员2"], ml.ExitInput(m.TRANSFERRED_OUT, date(2025, 2, 1), document_no="介字001",
                                                  destination="外区某支部"), today=TODAY)
    roster.transfer(db, ids["党员5"], "转出", date(2025, 2, 5), to_org="外区另一支部", today=TODAY)
    ml.record_exit(db, ids["党员3"], ml.ExitInput(m.DECEASED, date(2025, 2, 6)), today=TODAY)
    for member, letter in (("党员2", "介字001"), ("党员5", "")):
        life = ml.member_life(db, ids[member], today=TODAY)
        assert life.exits == ()  # not again under 出党和离开
        [(on, way, _src, dst, no)] = life.transfers
        assert (way, no) == ("转出", letter) and dst.startswith("外区")
    assert [r.kind for r in ml.member_life(db, ids["党员3"], today=TODAY).exits] == [m.DECEASED]
    assert len(ml.exits(db, year=2025)) == 3  # the register itself still lists every one


def test_lapse_needs_article_9(db, world):
    a, _, ids = world
    # No meetings and no dues kept at all: neither ground can be judged, so nobody is proposed or removed.
    assert ml.lapse_candidates(db, TODAY) == []
    with pytest.raises(ValidationError, match="党章第九条"):
        ml.record_exit(db, ids["党员3"], ml.ExitInput(m.LAPSED, date(2025, 2, 1), "支部大会", "1号"), today=TODAY)
    # Meetings in August (all there) and October (all but 党员3): by March only 党员3 has six months without one.
    # Months before the first meeting on record are not held against anyone.
    for day, away in ((date(2024, 8, 1), ()), (date(2024, 10, 1), ("党员3",))):
        meeting = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=day,
                                              start_time=time(9), title="支部党员大会"), today=day)
        ms.record_attendance(db, meeting.id, [
            ms.AttendanceEntry(status=mr.ABSENT if n in away else mr.PRESENT, member_id=mid) for n, mid in ids.items()],
            today=day)
    assert [r.name for r in ml.lapse_candidates(db, TODAY)] == ["党员3"]
    with pytest.raises(ValidationError, match="党章第九条"):
        ml.record_exit(db, ids["党员1"], ml.ExitInput(m.LAPSED, date(2025, 2, 1), "支部大会", "1号"), today=TODAY)
    e = ml.record_exit(db, ids["党员3"], ml.ExitInput(m.LAPSED, date(2025, 2, 1), "支部大会", "1号"), today=TODAY)
    assert "组织生活" in e.reason


def test_probation_bars_the_vote_in_quorum_and_in_topics_for_its_term(db, world):
    a, _, ids = world
    ml.add_discipline(db, ids["党员1"], ml.DisciplineInput(rules.PROBATION, date(2024, 1, 10), "区纪委", "纪〔2024〕2号",
                                                            date(2025, 1, 10), "违反组织纪律"), today=TODAY)
    meeting = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=THEN, start_time=time(9),
                                          title="支部党员大会"), today=THEN)
    ms.record_attendance(db, meeting.id, [ms.AttendanceEntry(status=mr.PRESENT, member_id=mid)
                                          for mid in ids.values()], today=THEN)
    got = ms.get(db, meeting.id)
    assert got.quorum.base == 4  # five 正式党员, one under 留党察看
    assert {x.name: x.has_vote for x in got.attendees}["党员1"] is False
    with pytest.raises(ValidationError, match="超过有表决权的到会人数 4"):
        ml.add_topic(db, meeting.id, "讨论发展对象", votes_for=5, votes_against=0, votes_abstain=0)
    t = ml.add_topic(db, meeting.id, "讨论发展对象", "同意", 3, 1, 0)
    assert t.passed is True and [x.title for x in ml.topics(db, meeting.id)] == ["讨论发展对象"]
    assert [d.running for d in ml.disciplines(db, ids["党员1"], today=date(2024, 12, 1))] == [True]
    assert [d.running for d in ml.disciplines(db, ids["党员1"], today=TODAY)] == [False]


def test_a_disposal_of_removal_is_an_exit(db, world):
    _, _, ids = world
    ml.add_disposal(db, ids["党员4"], ml.DisposalInput(2024, rules.RECTIFY, date(2025, 1, 5), "支部大会",
                                                        deadline=date(2025, 2, 1)), today=TODAY)
    assert [p.overdue for p in ml.disposals(db, 2024, today=TODAY)] == [True]
    ml.add_disposal(db, ids["党员4"], ml.DisposalInput(2024, rules.DISPOSAL_REMOVE, date(2025, 2, 20), "支部大会",
                                                        "街党〔2025〕5号"), today=TODAY)
    assert roster.get(db, ids["党员4"]).status == m.REMOVED
    assert [e.kind for e in ml.exits(db, member_id=ids["党员4"])] == [m.REMOVED]


def test_moving_a_member_today_leaves_last_years_branch_figures_alone(db, world):
    a, b, ids = world
    last_year = membership.counts_on(db, date(2024, 12, 31))
    grid = ms.compliance(db, 2024, today=TODAY)
    mv = ml.move_member(db, ids["党员5"], b, TODAY, "工作调动", today=TODAY)
    assert (mv.from_name, mv.to_name) == ("第一网格党支部", "第二网格党支部")
    assert membership.counts_on(db, date(2024, 12, 31)) == last_year
    assert ms.compliance(db, 2024, today=TODAY) == grid
    assert membership.counts_on(db, TODAY).by_branch == {"第一网格党支部": 4, "第二网格党支部": 1}
    # A meeting of last year entered now lists the member in the branch of that day.
    late = ms.plan(db, ms.MeetingInput(org_id=a, kind=mr.BRANCH_CONGRESS, meeting_date=THEN, start_time=time(9),
                                       title="补录"), today=TODAY)
    assert "党员5" in {x.name for x in ms.get(db, late.id).attendees}
    with pytest.raises(ValidationError, match="已在"):
        ml.move_member(db, ids["党员5"], b, TODAY, today=TODAY)
    ml.withdraw_move(db, mv.id)
    assert roster.get(db, ids["党员5"]).org_id == a


def test_floating_out_and_in(db, world):
    a, _, ids = world
    out = ml.add_floating(db, ml.FloatingInput(rules.FLOW_OUT, a, date(2025, 1, 1), member_id=ids["党员2"],
                                               card_no="LD-2025-01", place="广东省深圳市", other_org="深圳某党支部",
                                               contact="13812345678"), today=TODAY)
    assert roster.get(db, ids["党员2"]).status == m.FLOATING
    ml.add_floating(db, ml.FloatingInput(rules.FLOW_IN, a, date(2025, 2, 1), name="外来甲", place="安徽省合肥市",
                                         other_org="合肥某支部", card_no="LD-X"), today=TODAY)
    assert [r.direction for r in ml.floating(db, active_only=True)] == ["流入", "流出"]
    ml.end_floating(db, out.id, date(2025, 2, 20), today=TODAY)
    assert roster.get(db, ids["党员2"]).status == m.NORMAL
    assert membership.counts_on(db, date(2025, 1, 15)).by_status.get(m.FLOATING) == 1


def test_lost_member_searches_and_decisions(db, world):
    _, _, ids = world
    roster.change_status(db, ids["党员3"], m.LOST, date(2024, 6, 1), today=TODAY)
    with pytest.raises(ValidationError, match="查找记录"):
        ml.decide_lost(db, ids["党员3"], rules.SUSPEND, TODAY, today=TODAY)
    ml.add_search(db, ids["党员3"], date(2024, 8, 1), "李委员", "电话", "空号", today=TODAY)
    [row] = ml.lost_members(db, today=TODAY)
    assert (row.searches, row.next_step) == (1, "可停止党籍")
    ml.decide_lost(db, ids["党员3"], rules.SUSPEND, TODAY, "支委会", today=TODAY)
    assert roster.get(db, ids["党员3"]).party_status == m.SUSPENDED
    assert [s.decision for s in ml.searches(db, ids["党员3"])][0] == rules.SUSPEND
    with pytest.raises(ValidationError, match="满2年"):
        ml.decide_lost(db, ids["党员3"], rules.REMOVE_AS_LAPSED, TODAY, "支部大会", "1号", today=TODAY)


def test_a_viewer_reads_but_cannot_record(db, world):
    _, _, ids = world
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.create_user(db, "street", "街道小钱", "viewer", "xingfuli2026")
    auth.login(db, "street", "xingfuli2026")
    with pytest.raises(PermissionDenied):
        ml.record_exit(db, ids["党员1"], ml.ExitInput(m.DECEASED, date(2025, 1, 1)), today=TODAY)
    with pytest.raises(PermissionDenied):
        ml.add_discipline(db, ids["党员1"], ml.DisciplineInput(rules.WARNING, date(2025, 1, 1), "支部", "1号"),
                          today=TODAY)
    assert ml.member_life(db, ids["党员1"]).exits == ()


def test_the_branch_congress_vote_on_an_applicant_counts_no_one_under_probation(db, world):
    from desktop_app.domain import development as d
    from desktop_app.services import development

    a, _, ids = world
    ml.add_discipline(db, ids["党员1"], ml.DisciplineInput(rules.PROBATION, date(2024, 1, 10), "区纪委", "纪〔2024〕2号",
                                                            date(2026, 1, 10)), today=TODAY)
    voters = development._check_voters
    with db.session() as s:
        with pytest.raises(ValidationError, match="有表决权的正式党员共 4 人"):
            voters(s, a, development.StepInput(step=d.ADMIT, done_on=TODAY, votes_for=4, votes_against=0,
                                               votes_abstain=0, voters_expected=5))
        with pytest.raises(ValidationError, match="超过该日有表决权的正式党员 4 人"):
            voters(s, a, development.StepInput(step=d.ADMIT, done_on=TODAY, votes_for=5, votes_against=0,
                                               votes_abstain=0))
        voters(s, a, development.StepInput(step=d.ADMIT, done_on=TODAY, votes_for=3, votes_against=1,
                                           votes_abstain=0, voters_expected=4))


def test_moving_members_into_a_group_is_dated(db, world):
    a, _, ids = world
    g = orgs.create(db, "第一党小组", "B01G1", "group", a)
    assert roster.move_to_group(db, [ids["党员1"], ids["党员2"]], g.id) == 2
    assert sorted((r.member_name, r.from_name, r.to_name) for r in ml.moves(db)) == [
        ("党员1", "第一网格党支部", "第一党小组"), ("党员2", "第一网格党支部", "第一党小组")]
