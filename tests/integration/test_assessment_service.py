"""五好党支部 assessment on a real SQLite file: the sample scheme, computed indicators against known
records, manual scores, results and ranks, titles, the street's comparison and the printed forms."""

from datetime import date, time

import pytest
from pypdf import PdfReader
from sqlalchemy import event

from desktop_app.domain import assessment as rules
from desktop_app.domain import development as dr
from desktop_app.domain import idcard
from desktop_app.domain import meetings as mr
from desktop_app.domain.dues import EMPLOYED
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import VisitInput
from desktop_app.services import assessment as asm
from desktop_app.services import auth, development, dues, evaluations, orgs, roster, visits, wishes
from desktop_app.services import cobuilding as cb
from desktop_app.services import meetings as ms
from desktop_app.services.auth import PermissionDenied

YEAR = 2025
AS_OF = date(2025, 6, 30)
TODAY = date(2025, 6, 30)


def _member(db, name, org_id, i):
    return roster.create(db, MemberInput(
        name=name, org_id=org_id, id_number=idcard.make("320102", date(1950 + i % 20, 3, 1 + i), i, idcard.MALE),
        joined_date=date(1990, 7, 1), confirmed_date=date(1991, 7, 1), mobile=f"1391234{i:04d}",
    ), today=TODAY).id


def _meeting(db, org, kind, day, lecturer=""):
    return ms.plan(db, ms.MeetingInput(org_id=org, kind=kind, meeting_date=day, start_time=time(9, 0),
                                       place="党群服务中心", host="王书记", recorder="李委员", lecturer=lecturer),
                   today=day).id


@pytest.fixture
def town(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b1 = orgs.create(db, "第一网格党支部", "B01", "branch", c.id).id
    b2 = orgs.create(db, "第二网格党支部", "B02", "branch", c.id).id
    m = {name: _member(db, name, b1, i) for i, name in enumerate(["王书记", "李委员", "张一", "张二"], start=1)}
    m["孙二"] = _member(db, "孙二", b2, 9)
    ms.set_committee(db, b1, [(m["王书记"], "书记"), (m["李委员"], "委员")], on=date(2024, 1, 1))
    # 党课 by the secretary; 主题党日 in January and March; one with half the members absent
    lecture = _meeting(db, b1, mr.PARTY_LECTURE, date(2025, 3, 10), lecturer="王书记")
    ms.all_present(db, lecture, today=TODAY)
    jan = _meeting(db, b1, mr.THEME_DAY, date(2025, 1, 15))
    ms.all_present(db, jan, today=TODAY)
    mar = _meeting(db, b1, mr.THEME_DAY, date(2025, 3, 20))
    ms.record_attendance(db, mar, [ms.AttendanceEntry(mr.PRESENT, member_id=m["王书记"]),
                                   ms.AttendanceEntry(mr.PRESENT, member_id=m["李委员"]),
                                   ms.AttendanceEntry(mr.ABSENT, member_id=m["张一"]),
                                   ms.AttendanceEntry(mr.ABSENT, member_id=m["张二"])], today=TODAY)
    # 民主评议 held early in YEAR is about the year before
    evaluations.save(db, b1, YEAR - 1, [evaluations.EvaluationEntry(m["王书记"], mr.EXCELLENT),
                                        evaluations.EvaluationEntry(m["李委员"], mr.QUALIFIED)])
    # dues: 张一 pays Jan-Jun on time, 张二 pays nothing; the others have no base (owe nothing)
    for who in ("张一", "张二"):
        dues.set_base(db, m[who], date(2025, 1, 1), EMPLOYED, income_fen=300000)
    for month in range(1, 7):
        dues.record_payment(db, m["张一"], [date(2025, month, 1)], date(2025, month, 5), "李委员")
    # two visits by 张一 (one problem left open), one by 孙二 of the other branch
    visits.log_visit(db, VisitInput(visit_date=date(2025, 2, 1), member_ids=(m["张一"],), visitee_name="王奶奶",
                                    raised_issue=False), today=TODAY)
    visits.log_visit(db, VisitInput(visit_date=date(2025, 4, 1), member_ids=(m["张一"], m["张二"]),
                                    visitee_name="刘大爷", content="楼道灯坏了", category="路灯",
                                    raised_issue=True), today=TODAY)
    visits.log_visit(db, VisitInput(visit_date=date(2025, 5, 1), member_ids=(m["孙二"],), visitee_name="赵阿姨",
                                    raised_issue=False), today=TODAY)
    # one activity with a partner unit organised by the first branch, one without a unit
    unit = wishes.save_unit(db, None, "区人民医院")
    cb.record_activity(db, cb.ActivityInput(activity_date=date(2025, 5, 10), kind="义诊", title="社区义诊",
                                            org_ids=[b1], unit_ids=[unit.id]), today=TODAY)
    cb.record_activity(db, cb.ActivityInput(activity_date=date(2025, 5, 20), kind="志愿服务", title="清洁家园",
                                            org_ids=[b1]), today=TODAY)
    asm.load_sample(db, YEAR)
    return dict(c=c.id, b1=b1, b2=b2, m=m)


def _by_rule(detail, rule, kinds=None):
    return [x for x in detail.scores if x.rule == rule]


def test_the_sample_scheme_has_the_6_19_42_shape_and_is_a_sample(db, town):
    s = asm.scheme(db, YEAR)
    assert s.is_sample and s.shape == "6 类 19 项 42 条，满分 100 分"
    assert s.total_tenths == 1000 and (s.excellent_tenths, s.pass_tenths) == (900, 750)
    # 发展党员 steps are computed from the 发展党员 register: all time limits, and the activists' training ones
    development = [n for n in s.indicators() if "发展党员" in n.title or "积极分子" in n.title]
    assert [(n.rule, rules.parse_params(n.params)) for n in development] == [
        ("development_on_time", {}), ("development_on_time", {"steps": ["思想汇报", "培养考察"]})]
    assert {n.rule for n in s.indicators()} >= {"partner_activities", "meetings_on_time", "dues_on_time",
                                                "development_on_time"}
    with pytest.raises(Conflict):
        asm.load_sample(db, YEAR)
    assert asm.scheme(db, YEAR + 1) is None and asm.scheme_years(db) == [YEAR]


def test_computed_indicators_match_the_records(db, town):
    d = asm.branch_assessment(db, YEAR, "第一网格党支部", as_of=AS_OF)
    by = {x.title: x for x in d.scores}
    lecture = by["书记每年为党员讲党课不少于 1 次"]
    assert lecture.computed and lecture.score_tenths == 30 and lecture.measure == "讲党课 1 次（要求 1 次，达标）"
    assert "授课人 王书记（书记）" in lecture.evidence[0].text

    theme = by["每月开展主题党日活动"]  # January and March of six months
    assert theme.measure.startswith("2/6") and theme.score_tenths == 13
    assert "2月" in theme.hint and sum(1 for e in theme.evidence if not e.ok) == 4
    mid_june = asm.branch_assessment(db, YEAR, "B01", as_of=date(2025, 6, 15))
    theme = next(x for x in mid_june.scores if x.title == "每月开展主题党日活动")
    assert theme.measure.startswith("2/5")  # June is still running: not owed yet

    attendance = by["党员参加组织生活出勤率"]  # 4 + 4 + 2 present of 12 expected, full marks from 90%
    assert attendance.measure.startswith("10/12")
    assert attendance.score_tenths == rules.ratio_score(40, 10, 12, 0.9) == 37

    evaluation = by["按时完成民主评议党员"]
    assert evaluation.measure.startswith("2/4") and evaluation.score_tenths == 15
    assert "张一" in evaluation.evidence[-1].text and "还有 2 名党员未评定2024年度" in evaluation.hint

    paid = by["党员按时足额交纳党费"]  # 张一 6 months on time; 张二 owes Jan-May (June is not late yet)
    assert paid.measure.startswith("6/11") and "张二" in paid.evidence[-1].text

    visited = by["党员走访入户"]  # two visits for four members, two each wanted
    assert visited.measure == "走访 2 次（要求 8 次）" and visited.score_tenths == 10
    solved = by["群众反映问题办结率"]
    assert solved.measure.startswith("0/1") and solved.score_tenths == 0 and "尚未办结" in solved.hint

    partners = by["与共建单位联合开展活动"]  # one of four a year, the one without a partner unit not counted
    assert partners.measure == "联合开展活动 1 次（要求 4 次）" and partners.score_tenths == 8
    assert "区人民医院" in partners.evidence[0].text and "还需" in partners.hint

    other = asm.branch_assessment(db, YEAR, "B02", as_of=AS_OF)
    assert {x.title: x for x in other.scores}["党员走访入户"].measure == "走访 1 次（要求 2 次）"


def test_dues_grace_months_is_a_parameter_of_the_scheme(db, town):
    # 张二 pays January in March and February in April: two months late, late under the default grace
    dues.record_payment(db, town["m"]["张二"], [date(2025, 1, 1)], date(2025, 3, 10), "李委员")
    dues.record_payment(db, town["m"]["张二"], [date(2025, 2, 1)], date(2025, 4, 10), "李委员")

    def paid():
        d = asm.branch_assessment(db, YEAR, "B01", as_of=AS_OF)
        return next(x for x in d.scores if x.rule == "dues_on_time")

    s = asm.scheme(db, YEAR)
    node = next(n for n in s.indicators() if n.rule == "dues_on_time")
    assert rules.parse_params(node.params) == {"full_at": 0.95, "grace_months": 1}
    assert paid().measure.startswith("6/11") and "1月补交、2月补交" in paid().evidence[-1].text

    def set_grace(params: str) -> None:
        asm.save_indicator(db, s.id, node.id, node.parent_id, rules.INDICATOR, node.title, node.max_tenths,
                           node.rule, params, node.description, node.note)

    set_grace('{"full_at": 0.95, "grace_months": 2}')  # the district allows two months
    assert paid().measure.startswith("8/11") and "1月" not in paid().evidence[-1].text
    set_grace('{"full_at": 0.95, "grace_months": 0}')  # only the month itself: 张一 paid on the 5th, still on time
    assert paid().measure.startswith("6/11")
    set_grace('{"full_at": 0.95}')  # not given: the next month
    assert paid().measure.startswith("6/11")
    dues.record_payment(db, town["m"]["张二"], [date(2025, 3, 1)], date(2025, 4, 1), "李委员")
    assert paid().measure.startswith("7/11")  # March paid in April: within the default grace
    set_grace('{"grace_months": 0}')
    assert paid().measure.startswith("6/11")
    with pytest.raises(ValidationError, match="grace_months"):
        set_grace('{"grace_months": 1.5}')
        paid()


def _applicant(db, name, org, steps):
    """An applicant with dated steps, each recorded through the 发展党员 service (its own checks apply)."""
    (applied, *rest) = steps
    number = idcard.make("320102", date(1995, 5, 1), len(name) + ord(name[0]) % 900, idcard.MALE)
    a = development.add_applicant(db, development.ApplicantInput(name, org, applied, id_number=number, mobile="13912340000"),
                                  today=applied).row
    for step, on in rest:
        # the town's branches are tiny: votes may not exceed the members with a vote that day
        votes = dict(votes_for=1, voters_expected=1) if dr.step_kind(step).vote else {}
        if step == dr.MAKE_ACTIVIST:
            votes["contacts"] = "王书记、李委员"
        if step == dr.SPONSORS:  # the first branch's secretary and committee member, from the roster
            votes["people"] = tuple(visits.member_choices(db, who)[0].id for who in ("王书记", "李委员"))
        if step == dr.PRE_REVIEW:
            votes["result"] = "合格"
        development.advance(db, a.id, development.StepInput(step, on, **votes), today=on)
    return a.id


@pytest.fixture
def pipeline(db, town):
    # 甲: talked to 19 days after the month allowed, then a report within the quarter
    _applicant(db, "甲", town["b1"], [date(2024, 12, 1), (dr.TALK, date(2025, 1, 20)),
                                      (dr.MAKE_ACTIVIST, date(2025, 2, 1)), (dr.REPORT, date(2025, 4, 15))])
    _applicant(db, "乙", town["b1"], [date(2025, 3, 1), (dr.TALK, date(2025, 3, 10))])  # on time
    _applicant(db, "丙", town["b1"], [date(2025, 5, 1)])  # not talked to by 2025-06-01
    # 丁 (second branch): admitted in January, approved late in May; a report in February, none since;
    # never examined by the branch since becoming an activist in 2023
    _applicant(db, "丁", town["b2"], [
        date(2023, 1, 5), (dr.TALK, date(2023, 1, 20)), (dr.MAKE_ACTIVIST, date(2023, 3, 1)),
        (dr.MAKE_CANDIDATE, date(2024, 3, 5)), (dr.SPONSORS, date(2024, 3, 10)), (dr.VETTING, date(2024, 4, 1)),
        (dr.TRAINING, date(2024, 4, 10)), (dr.PRE_REVIEW, date(2024, 4, 20)), (dr.NOTICE, date(2024, 12, 20)), (dr.ADMIT, date(2025, 1, 10)), (dr.REPORT, date(2025, 2, 1)),
        (dr.APPROVE, date(2025, 5, 1))])


def test_development_steps_on_time_against_the_register(db, town, pipeline):
    def line(branch, title):
        return next(x for x in asm.branch_assessment(db, YEAR, branch, as_of=AS_OF).scores if x.title == title)

    steps = line("B01", "发展党员各环节按时完成")  # 甲 late talk + on-time report, 乙 on time, 丙 overdue
    assert steps.computed and steps.measure.startswith("2/4") and steps.score_tenths == 15
    late = [e.text for e in steps.evidence if not e.ok]
    assert late == ["甲：谈话：2025-01-20，超过时限 19 天（应在 2025-01-01 前）",
                    "丙：谈话：逾期未办（应在 2025-06-01 前，党组织应在收到入党申请书后一个月内派人谈话）"]
    assert "谈话（甲、丙）" in steps.hint
    other = line("B02", "发展党员各环节按时完成")  # 丁: report on time; late approval, a missed report, examination
    assert other.measure.startswith("1/4") and other.score_tenths == 8
    assert sorted(e.text.split("：")[1] for e in other.evidence if not e.ok) == ["上级党委审批", "培养考察", "思想汇报"]
    training = line("B02", "入党积极分子培养教育到位")
    assert training.measure.startswith("1/3") and training.score_tenths == 3
    assert line("B01", "入党积极分子培养教育到位").measure.startswith("1/1")
    # early in the year less is owed: 丙 has not applied, 丁's May deadlines have not come
    march = asm.branch_assessment(db, YEAR, "B02", as_of=date(2025, 3, 31))
    assert next(x for x in march.scores if x.title == "发展党员各环节按时完成").measure.startswith("1/2")
    # a branch without anyone on the way loses nothing
    empty = orgs.create(db, "第三网格党支部", "B03", "branch", town["c"]).id
    nobody = line(empty, "发展党员各环节按时完成")
    assert nobody.score_tenths == nobody.max_tenths and not nobody.evidence


def test_development_rule_parameters_are_checked(db, town):
    s = asm.scheme(db, YEAR)
    node = next(n for n in s.indicators() if n.title == "入党积极分子培养教育到位")
    asm.save_indicator(db, s.id, node.id, node.parent_id, rules.INDICATOR, node.title, node.max_tenths,
                       node.rule, '{"steps": ["写日记"]}')
    with pytest.raises(ValidationError, match="写日记"):
        asm.branch_assessment(db, YEAR, "B01", as_of=AS_OF)


def test_the_comparison_shows_development(db, town, pipeline):
    (row,) = [r for r in asm.compare_communities(db, YEAR, as_of=AS_OF).rows if r.id == town["c"]]
    assert row.development == "发展 1 名，按时 37.5%"  # 丁 approved in 2025; 3 of 8 time limits met


def test_manual_scores_totals_results_and_ranks(db, town):
    s = asm.scheme(db, YEAR)
    manual = [n for n in s.indicators() if n.rule == "manual"]
    computed = next(n for n in s.indicators() if n.rule != "manual")
    with pytest.raises(ValidationError, match="自动计分"):
        asm.set_score(db, town["b1"], YEAR, computed.id, 10)
    with pytest.raises(ValidationError, match="满分"):
        asm.set_score(db, town["b1"], YEAR, manual[0].id, manual[0].max_tenths + 1)
    before = asm.assess_year(db, YEAR, as_of=AS_OF)
    row = next(r for r in before.rows if r.branch_id == town["b1"])
    assert row.unscored == len(manual) and row.manual_tenths == 0
    for n in manual:
        asm.set_score(db, town["b1"], YEAR, n.id, n.max_tenths, note="材料齐全", evidence="换届选举材料\n公示照片")
    after = asm.assess_year(db, YEAR, as_of=AS_OF)
    row = next(r for r in after.rows if r.branch_id == town["b1"])
    other = next(r for r in after.rows if r.branch_id == town["b2"])
    assert row.unscored == 0 and row.manual_tenths == sum(n.max_tenths for n in manual)
    assert row.total_tenths == row.manual_tenths + row.computed_tenths
    assert row.rank == 1 and other.rank == 2
    assert row.result == rules.result_of(row.total_tenths, 900, 750)
    assert after.cells[(town["b1"], manual[0].id)] == manual[0].max_tenths
    detail = asm.branch_assessment(db, YEAR, town["b1"], as_of=AS_OF)
    assert [e.text for e in next(x for x in detail.scores if x.indicator_id == manual[0].id).evidence] == [
        "换届选举材料", "公示照片"]
    # the weakest indicators are computed ones now, largest loss first, each with what would raise it
    assert detail.weakest and all(x.computed and x.hint for x in detail.weakest)
    losses = [x.lost_tenths for x in detail.weakest]
    assert losses == sorted(losses, reverse=True)
    asm.clear_score(db, town["b1"], YEAR, manual[0].id)
    assert next(r for r in asm.assess_year(db, YEAR, as_of=AS_OF).rows if r.branch_id == town["b1"]).unscored == 1


def test_thresholds_decide_the_result_and_editing_unmarks_the_sample(db, town):
    s = asm.scheme(db, YEAR)
    with pytest.raises(ValidationError, match="达标分数线"):
        asm.save_scheme(db, s.id, s.name, 900, 950)
    s2 = asm.save_scheme(db, s.id, "幸福里社区五好党支部考评方案", 100, 50)
    assert not s2.is_sample
    rows = asm.assess_year(db, YEAR, as_of=AS_OF).rows
    first = next(r for r in rows if r.branch_id == town["b1"])
    assert first.result == (rules.EXCELLENT if first.total_tenths >= 100 else rules.PASSED
                            if first.total_tenths >= 50 else rules.FAILED)


def test_scheme_editing_and_copying(db, town):
    s = asm.scheme(db, YEAR)
    item = next(n for n in s.nodes if n.level == "item")
    s = asm.save_indicator(db, s.id, None, item.id, "indicator", "与共建单位每季度联合开展活动", 20,
                           "wishes_fulfilled", '{"target": 1}')
    assert s.total_tenths == 1020 and s.shape.startswith("6 类 19 项 43 条")
    with pytest.raises(ValidationError, match="参数"):
        asm.save_indicator(db, s.id, None, item.id, "indicator", "坏参数", 10, "wishes_fulfilled", "[1]")
    with pytest.raises(ValidationError, match="计分规则"):
        asm.save_indicator(db, s.id, None, item.id, "indicator", "坏规则", 10, "no_such_rule")
    s = asm.delete_indicator(db, item.id)
    assert s.shape.startswith("6 类 18 项")
    copy = asm.copy_scheme(db, YEAR, YEAR + 1)
    assert copy.year == YEAR + 1 and copy.shape == s.shape
    assert [n.title for n in copy.nodes] == [n.title for n in s.nodes]


def test_titles_are_recorded_with_date_and_issuer(db, town):
    t = asm.save_title(db, None, town["b1"], YEAR, "红旗党支部", date(2026, 1, 20), "梅园街道党工委")
    assert asm.titles(db, YEAR) == [t]
    assert asm.branch_assessment(db, YEAR, "B01", as_of=AS_OF).titles == (t,)
    with pytest.raises(ValidationError, match="授予日期"):
        asm.save_title(db, t.id, town["b1"], YEAR, "红旗党支部", date(2024, 1, 1))
    asm.delete_title(db, t.id)
    assert asm.titles(db) == []


def test_evidence_files_are_kept_with_a_manual_score(db, town, tmp_path):
    s = asm.scheme(db, YEAR)
    n = next(n for n in s.indicators() if n.rule == "manual")
    score_id = asm.set_score(db, town["b1"], YEAR, n.id, 10)
    scan = tmp_path / "换届批复.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    f = asm.add_evidence_file(db, score_id, scan)
    assert asm.evidence_file_path(db, f.id).read_bytes() == b"%PDF-1.4 scan"
    line = next(x for x in asm.branch_assessment(db, YEAR, "B01", as_of=AS_OF).scores if x.indicator_id == n.id)
    assert line.files == (f,)
    asm.remove_evidence_file(db, f.id)


def test_a_disputed_score_corrected_shows_in_the_trail_by_branch_and_indicator(db, town):
    """A branch disputes a score and it is corrected: the trail names the branch and the indicator (the row has
    no name of its own, so the 名称 column was empty) and reads the score before and after in points."""
    from desktop_app.services import audit_log

    n = next(n for n in asm.scheme(db, YEAR).indicators() if n.rule == "manual" and n.max_tenths >= 20)
    score_id = asm.set_score(db, town["b1"], YEAR, n.id, 10, note="等次较好")
    asm.set_score(db, town["b1"], YEAR, n.id, 20, note="申诉后更正：等次为好")
    asm.clear_score(db, town["b1"], YEAR, n.id)
    first, fixed, cleared = audit_log.history(db, "assessment_score", score_id)
    for entry in (first, fixed, cleared):
        assert entry.label == f"第一网格党支部 {YEAR}年 {n.code} {n.title}"
    assert "得分（分）：1 → 2" in fixed.summary
    found = audit_log.search(db, audit_log.AuditFilter(table="assessment_score", text="第一网格党支部"))
    assert {r.id for r in found.rows} == {first.id, fixed.id, cleared.id}


def test_the_comparison_groups_branches_by_community(db, town):
    c = asm.compare_communities(db, YEAR, as_of=AS_OF)
    assert len(c.rows) == 1
    row = c.rows[0]
    assert row.branches == 2 and row.members == 5 and row.rank == 1
    assert (row.attendance.achieved, row.attendance.required) == (10, 12)
    assert (row.evaluation_done.achieved, row.evaluation_done.required) == (2, 5)
    assert row.excellent + row.passed + row.failed == 2
    assert row.development == "无" and row.activities == "1 次"  # nobody on the way into the party


def test_the_page_gets_everything_from_one_computation(db, town):
    scheme, forms, comparison = asm.year_at_a_glance(db, YEAR, as_of=AS_OF)
    assert scheme == asm.scheme(db, YEAR)
    assert forms == asm.branch_assessments(db, YEAR, as_of=AS_OF)
    assert comparison == asm.compare_communities(db, YEAR, as_of=AS_OF)


def test_one_computation_reads_the_year_once_not_per_branch(db, town, monkeypatch):
    """Adding branches must not add queries: the facts load once for all of them."""
    from desktop_app.services.auth import actor

    # With no account yet, "are there accounts?" is read again every NO_USERS_RECHECK_S seconds: a call that
    # crosses that mark (a slow server) counts one query more, which is time, not branches.
    monkeypatch.setattr(actor, "NO_USERS_RECHECK_S", 3600.0)
    def queries(fn):
        seen = []

        def count(*_a, **_k):
            seen.append(1)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            fn()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    asm.assess_year(db, YEAR, as_of=AS_OF)  # first-use reads (a server's new pooled connection) are not per branch
    few = queries(lambda: asm.assess_year(db, YEAR, as_of=AS_OF))
    for i in range(8):
        b = orgs.create(db, f"新支部{i}", f"N{i:02d}", "branch", town["c"]).id
        _member(db, f"新党员{i}", b, 20 + i)
    many = queries(lambda: asm.assess_year(db, YEAR, as_of=AS_OF))
    assert many == few


def test_the_forms_and_the_ranking_print(db, town, tmp_path):
    out = tmp_path / "考评表.pdf"
    data = asm.print_assessment_form(db, YEAR, out, "B01", as_of=AS_OF, printed_on=TODAY)
    assert data.startswith(b"%PDF") and out.read_bytes() == data
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace("\n", "").replace(" ", "")
    assert "讲党课1次（要求1次，达标）" in text and "联合开展活动1次（要求4次）" in text
    both = asm.print_assessment_form(db, YEAR, None, as_of=AS_OF, printed_on=TODAY)
    assert len(both) > len(data)
    ranking = asm.print_ranking(db, YEAR, tmp_path / "排名表.pdf", as_of=AS_OF, printed_on=TODAY)
    assert ranking.startswith(b"%PDF")


def test_a_viewer_reads_but_may_not_score(db, town, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.create_user(db, "street", "街道小钱", "viewer", "xingfuli2026")
    auth.login(db, "street", "xingfuli2026")
    assert asm.assess_year(db, YEAR, as_of=AS_OF).rows
    n = next(n for n in asm.scheme(db, YEAR).indicators() if n.rule == "manual")
    with pytest.raises(PermissionDenied):
        asm.set_score(db, town["b1"], YEAR, n.id, 10)
    with pytest.raises(PermissionDenied):
        asm.load_sample(db, YEAR + 1)


def test_every_public_assessment_function_checks_a_permission(monkeypatch):
    from tests.integration import test_roles

    monkeypatch.setattr(test_roles, "SERVICE_MODULES", ("assessment",))
    found = list(test_roles._service_functions())
    assert len(found) > 20
    assert [f"{m}.{n}" for m, n, perms, _ in found if not perms] == []
    assert [n for _, n, perms, writes in found if writes and all(p.endswith(".read") for p in perms)] == []


def test_a_past_year_is_assessed_as_it_stood_at_its_end(db, town):
    """Every entry point clamps the date asked (or today) to 31 December of the year scored."""
    end = date(YEAR, 12, 31)
    assert asm.assess_year(db, YEAR, as_of=date(YEAR + 1, 3, 1)).as_of == end
    assert asm.assess_year(db, YEAR).as_of == end  # today is past the year
    assert asm.branch_assessment(db, YEAR, "B01", as_of=date(YEAR + 1, 3, 1)).as_of == end
    assert asm.compare_communities(db, YEAR, as_of=date(YEAR + 1, 3, 1)).as_of == end
    assert asm.assess_year(db, YEAR, as_of=AS_OF).as_of == AS_OF
