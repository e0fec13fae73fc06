"""State machines and rules of the service module: visits, wishes, projects, mediation, lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain import service_flow as flow
from desktop_app.domain.errors import ValidationError

TODAY = date(2024, 6, 15)
RAISED = date(2024, 6, 1)


def field_of(exc_info) -> str:
    return exc_info.value.field


# ---------------------------------------------------------------- visit follow-up


def test_pending_cannot_jump_to_solved_without_who_and_how():
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.PENDING, flow.SOLVED, "", TODAY, "换了新水龙头", RAISED, TODAY)
    assert field_of(e) == "办理人"
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.PENDING, flow.SOLVED, "王书记", TODAY, "  ", RAISED, TODAY)
    assert field_of(e) == "办理情况"
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.PENDING, flow.SOLVED, "王书记", None, "换了新水龙头", RAISED, TODAY)
    assert field_of(e) == "办理日期"
    step = flow.check_follow_up(flow.PENDING, flow.SOLVED, " 王书记 ", TODAY, "换了新水龙头", RAISED, TODAY)
    assert step == flow.FollowUpStep(flow.SOLVED, "王书记", TODAY, "换了新水龙头")


def test_no_action_also_needs_who_and_a_reason():
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.IN_PROGRESS, flow.NO_ACTION, "李四", TODAY, "", RAISED, TODAY)
    assert field_of(e) == "办理情况" and "原因" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.IN_PROGRESS, flow.NO_ACTION, "", TODAY, "已由物业处理", RAISED, TODAY)
    assert field_of(e) == "办理人"


def test_in_progress_needs_only_a_date():
    step = flow.check_follow_up(flow.PENDING, flow.IN_PROGRESS, "", RAISED, "", RAISED, TODAY)
    assert step.state == flow.IN_PROGRESS


@pytest.mark.parametrize("current,target", [
    (flow.IN_PROGRESS, flow.PENDING),
    (flow.SOLVED, flow.NO_ACTION),
    (flow.SOLVED, flow.PENDING),
    (flow.PENDING, flow.PENDING),
    (flow.NO_ACTION, flow.SOLVED),
])
def test_moves_outside_the_table_are_refused(current, target):
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(current, target, "王书记", TODAY, "说明", RAISED, TODAY)
    assert field_of(e) == "办理状态"


def test_every_allowed_move_works_with_full_details():
    for current, targets in flow.FOLLOW_TRANSITIONS.items():
        for target in targets:
            step = flow.check_follow_up(current, target, "王书记", TODAY, "说明", RAISED, TODAY)
            assert step.state == target


def test_reopening_needs_a_reason_and_dates_stay_in_range():
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.SOLVED, flow.IN_PROGRESS, "王书记", TODAY, "", RAISED, TODAY)
    assert "原因" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.PENDING, flow.SOLVED, "王书记", date(2024, 5, 31), "修好了", RAISED, TODAY)
    assert field_of(e) == "办理日期" and "走访日期" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_follow_up(flow.PENDING, flow.SOLVED, "王书记", date(2024, 6, 16), "修好了", RAISED, TODAY)
    assert "晚于今天" in e.value.message


def test_overdue_only_while_open():
    due = date(2024, 6, 10)
    assert flow.is_overdue(flow.PENDING, due, TODAY)
    assert flow.is_overdue(flow.IN_PROGRESS, due, TODAY)
    assert not flow.is_overdue(flow.SOLVED, due, TODAY)
    assert not flow.is_overdue(flow.PENDING, TODAY, TODAY)
    assert not flow.is_overdue(flow.PENDING, None, TODAY)


def test_visit_checks_and_defaults():
    base = flow.VisitInput(visit_date=RAISED, member_ids=("m1", "m1"), visitee_name="王奶奶",
                           category="供水", content="水龙头漏水")
    clean = flow.check_visit(base, TODAY)
    assert clean.due_date == date(2024, 6, 8)  # a week by default
    assert clean.member_ids == ("m1",)
    with pytest.raises(ValidationError) as e:
        flow.check_visit(flow.VisitInput(visit_date=RAISED, visitee_name="王奶奶", content="x", category="供水"), TODAY)
    assert field_of(e) == "走访党员" and "“其他走访人”" in str(e.value)  # the two fields the form shows
    with pytest.raises(ValidationError) as e:
        flow.check_visit(flow.VisitInput(visit_date=RAISED, other_visitors="网格员", content="x", category="供水"), TODAY)
    assert field_of(e) == "走访对象"
    with pytest.raises(ValidationError) as e:
        flow.check_visit(flow.VisitInput(visit_date=RAISED, other_visitors="网格员", visitee_name="x", category="供水"), TODAY)
    assert field_of(e) == "反映问题"
    with pytest.raises(ValidationError) as e:
        flow.check_visit(base.__class__(**{**base.__dict__, "due_date": date(2024, 5, 1)}), TODAY)
    assert field_of(e) == "办结期限"
    with pytest.raises(ValidationError) as e:
        flow.check_visit(base.__class__(**{**base.__dict__, "visit_date": date(2024, 7, 1)}), TODAY)
    assert field_of(e) == "走访日期"
    greeting = flow.check_visit(flow.VisitInput(visit_date=RAISED, other_visitors="网格员张三",
                                                visitee_name="李爷爷", raised_issue=False), TODAY)
    assert greeting.due_date is None and greeting.category == ""


# ---------------------------------------------------------------- wishes


def test_wish_path_and_withdrawn_claim_goes_back_to_posted():
    assert flow.WISH_TRANSITIONS[flow.WISH_CLAIMED] == (flow.WISH_POSTED, flow.WISH_FULFILLED)
    on = flow.check_claim(flow.WISH_POSTED, flow.CLAIMANT_MEMBER, "张三", TODAY, RAISED, TODAY)
    assert on == TODAY
    when, reason = flow.check_withdraw(flow.WISH_CLAIMED, TODAY, TODAY, TODAY, " 工作调动 ")
    assert (when, reason) == (TODAY, "工作调动")
    flow.check_wish_move(flow.WISH_CLAIMED, flow.WISH_POSTED)


def test_wish_refusals():
    with pytest.raises(ValidationError) as e:
        flow.check_fulfil(flow.WISH_POSTED, TODAY, RAISED, TODAY, "送去了轮椅")
    assert "先有人认领" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_withdraw(flow.WISH_POSTED, TODAY, RAISED, TODAY, "")
    assert "已认领" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_claim(flow.WISH_FULFILLED, flow.CLAIMANT_UNIT, "区人民医院", TODAY, RAISED, TODAY)
    assert "已实现" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_claim(flow.WISH_POSTED, flow.CLAIMANT_MEMBER, "张三", date(2024, 5, 1), RAISED, TODAY)
    assert field_of(e) == "认领日期"
    with pytest.raises(ValidationError) as e:
        flow.check_fulfil(flow.WISH_CLAIMED, TODAY, RAISED, TODAY, "")
    assert field_of(e) == "实现情况"
    with pytest.raises(ValidationError) as e:
        flow.check_fulfil(flow.WISH_CLAIMED, date(2024, 5, 30), RAISED, TODAY, "送到了")
    assert field_of(e) == "实现日期"


def test_wish_input_money_is_integer_fen():
    wish = flow.WishInput(wisher_name="王秀英", content="一台收音机", estimated_fen=12050, posted_on=RAISED)
    assert flow.check_wish(wish, TODAY).estimated_fen == 12050
    with pytest.raises(TypeError):
        flow.check_wish(flow.WishInput(wisher_name="王秀英", content="收音机", estimated_fen=120.5,  # type: ignore[arg-type]
                                       posted_on=RAISED), TODAY)
    with pytest.raises(ValidationError) as e:
        flow.check_wish(flow.WishInput(wisher_name="王秀英", content="收音机", estimated_fen=-1, posted_on=RAISED), TODAY)
    assert field_of(e) == "预计价值"


# ---------------------------------------------------------------- projects


def test_project_status_machine():
    step = flow.check_project_move(flow.PROJECT_PLANNED, flow.PROJECT_ACTIVE, TODAY, None, TODAY, "")
    assert step.status == flow.PROJECT_ACTIVE
    with pytest.raises(ValidationError):
        flow.check_project_move(flow.PROJECT_PLANNED, flow.PROJECT_DONE, TODAY, None, TODAY, "完成")
    with pytest.raises(ValidationError) as e:
        flow.check_project_move(flow.PROJECT_ACTIVE, flow.PROJECT_DONE, TODAY, RAISED, TODAY, "")
    assert field_of(e) == "说明"
    with pytest.raises(ValidationError) as e:
        flow.check_project_move(flow.PROJECT_ACTIVE, flow.PROJECT_DONE, date(2024, 5, 1), RAISED, TODAY, "完成")
    assert field_of(e) == "完成日期"
    with pytest.raises(ValidationError) as e:
        flow.check_project_move(flow.PROJECT_ACTIVE, flow.PROJECT_STOPPED, TODAY, RAISED, TODAY, "")
    assert "原因" in e.value.message
    with pytest.raises(ValidationError):
        flow.check_project_move(flow.PROJECT_DONE, flow.PROJECT_ACTIVE, TODAY, RAISED, TODAY, "")
    assert flow.check_project_move(flow.PROJECT_DONE, flow.PROJECT_ACTIVE, TODAY, RAISED, TODAY, "路灯又坏了").status \
        == flow.PROJECT_ACTIVE
    assert flow.is_project_overdue(flow.PROJECT_ACTIVE, date(2024, 6, 1), TODAY)
    assert not flow.is_project_overdue(flow.PROJECT_DONE, date(2024, 6, 1), TODAY)


def test_project_input():
    with pytest.raises(ValidationError) as e:
        flow.check_project(flow.ProjectInput(name="3栋路灯修复", category="路灯修复", deadline=TODAY))
    assert field_of(e) == "项目经理"
    with pytest.raises(ValidationError) as e:
        flow.check_project(flow.ProjectInput(name="3栋路灯修复", category="路灯修复", owner_name="王书记",
                                             start_date=TODAY, deadline=RAISED))
    assert field_of(e) == "完成期限"
    ok = flow.check_project(flow.ProjectInput(name=" 3栋路灯修复 ", category="路灯修复", owner_name="王书记",
                                              deadline=TODAY, budget_fen=150000))
    assert ok.name == "3栋路灯修复" and ok.budget_fen == 150000


# ---------------------------------------------------------------- mediation


def test_mediation_outcomes():
    received, last = date(2024, 6, 1), date(2024, 6, 5)
    with pytest.raises(ValidationError) as e:
        flow.check_outcome(flow.MEDIATING, flow.MEDIATION_SUCCESS, TODAY, received, None, TODAY, "协议")
    assert "至少要有一次调解记录" in e.value.message
    with pytest.raises(ValidationError) as e:
        flow.check_outcome(flow.MEDIATING, flow.MEDIATION_SUCCESS, TODAY, received, last, TODAY, "")
    assert field_of(e) == "协议内容"
    with pytest.raises(ValidationError) as e:
        flow.check_outcome(flow.MEDIATING, flow.MEDIATION_TRANSFERRED, TODAY, received, last, TODAY)
    assert field_of(e) == "转交单位"
    with pytest.raises(ValidationError) as e:
        flow.check_outcome(flow.MEDIATING, flow.MEDIATION_FAILED, date(2024, 6, 4), received, last, TODAY)
    assert field_of(e) == "结案日期"
    step = flow.check_outcome(flow.MEDIATING, flow.MEDIATION_FAILED, TODAY, received, last, TODAY, "", "法院")
    assert step.transferred_to == ""  # only a transfer names a receiver
    with pytest.raises(ValidationError):
        flow.check_outcome(flow.MEDIATION_FAILED, flow.MEDIATION_SUCCESS, TODAY, received, last, TODAY, "协议")


def test_case_needs_two_parties():
    one = (flow.PartyInput("张三"),)
    with pytest.raises(ValidationError) as e:
        flow.check_case(flow.CaseInput(kind="邻里纠纷", summary="漏水", received_on=TODAY, mediator="李调解员",
                                       parties=one + (flow.PartyInput(" "),)), TODAY)
    assert field_of(e) == "当事人"
    clean = flow.check_case(flow.CaseInput(kind="邻里纠纷", summary="漏水", received_on=TODAY, mediator="李调解员",
                                           parties=one + (flow.PartyInput("李四", "被申请人"),)), TODAY)
    assert [p.name for p in clean.parties] == ["张三", "李四"]


# ---------------------------------------------------------------- lists and helpers


def test_lists_are_data_and_checked():
    assert "独居老人" in flow.DEFAULT_LISTS[flow.RESIDENT_TAG]
    assert {"供水", "电路", "路灯", "绿化", "环境卫生", "物业", "邻里纠纷", "政策咨询"} <= set(
        flow.DEFAULT_LISTS[flow.ISSUE_CATEGORY])
    assert {"供水改造", "绿植恢复", "路灯修复", "路面平整", "垃圾清理"} <= set(flow.DEFAULT_LISTS[flow.PROJECT_CATEGORY])
    assert flow.check_list(flow.RESIDENT_TAG, [" 独居老人", "", "独居老人", "失独家庭"]) == ("独居老人", "失独家庭")
    with pytest.raises(ValidationError):
        flow.check_list(flow.RESIDENT_TAG, ["独居,老人"])
    with pytest.raises(ValidationError):
        flow.check_list(flow.ISSUE_CATEGORY, ["", " "])


def test_tags_numbers_names_months():
    assert flow.split_tags("独居老人，残疾人、 独居老人") == ["独居老人", "残疾人"]
    assert flow.join_tags(["残疾人", "退役军人"]) == "残疾人,退役军人"
    assert flow.next_number("XY", 2024, ["XY2024-001", "XY2024-007", "XY2023-010", "junk"]) == "XY2024-008"
    assert flow.next_number("XY", 2025, []) == "XY2025-001"
    assert [flow.mask_name(n) for n in ("王秀英", "李娜", "欧阳娜娜", "张")] == ["王*英", "李*", "欧**娜", "张"]
    assert flow.month_bounds(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert flow.month_bounds(2024, 12) == (date(2024, 12, 1), date(2024, 12, 31))


def test_a_party_s_phone_with_letters_is_refused_naming_the_party():
    # A phone typed into the wrong cell (an address, a name) was saved and printed on the 调解记录.
    parties = (flow.PartyInput("张三", "申请人", phone="南京路3号"), flow.PartyInput("李四", "被申请人", phone="138 0000-1111"))
    case = flow.CaseInput(kind="邻里纠纷", summary="漏水", received_on=TODAY, mediator="李调解员", parties=parties)
    with pytest.raises(ValidationError) as e:
        flow.check_case(case, TODAY)
    assert field_of(e) == "张三的联系电话" and "不像电话号码" in str(e.value)
    fixed = (flow.PartyInput("张三", "申请人", phone="(025) 8400-0000"),) + parties[1:]
    assert [p.phone for p in flow.check_case(replace(case, parties=fixed), TODAY).parties] == [
        "(025) 8400-0000", "138 0000-1111"]


def test_phone_takes_digits_dashes_brackets_and_nothing_else():
    assert flow.phone(" 025-84000000 ", "联系电话") == "025-84000000"
    assert flow.phone("", "联系电话") == ""
    for bad in ("abc123", "1380000111a", "电话"):
        with pytest.raises(ValidationError):
            flow.phone(bad, "联系电话")
