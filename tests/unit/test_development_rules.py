"""发展党员 rules against the 党章 and the 发展党员工作细则: ages, one year as 积极分子, 公示, the vote,
入党介绍人 and 上级党委预审 before the 支部大会, 入党宣誓 after the approval, probation of one year with
转正 discussed on or after its last day, one extension of six months to a year."""

from datetime import date

import pytest

from desktop_app.domain import development as d
from desktop_app.domain.errors import ValidationError

D = date


def history_to_candidate():
    return [d.Done(d.APPLY, D(2023, 3, 1)), d.Done(d.TALK, D(2023, 3, 20)),
            d.Done(d.MAKE_ACTIVIST, D(2023, 5, 10))]


def test_applicants_must_be_eighteen():
    d.check_age(D(2005, 3, 1), D(2023, 3, 1))
    with pytest.raises(ValidationError) as e:
        d.check_age(D(2005, 3, 2), D(2023, 3, 1))
    assert e.value.field == "出生日期"


def test_a_candidate_only_after_a_full_year_as_activist():
    h = history_to_candidate()
    with pytest.raises(ValidationError) as e:
        d.check_step(d.ACTIVIST, h, d.MAKE_CANDIDATE, D(2024, 5, 9))
    assert "一年以上" in str(e.value)
    assert d.check_step(d.ACTIVIST, h, d.MAKE_CANDIDATE, D(2024, 5, 10)) == d.CANDIDATE


def test_steps_belong_to_their_stage_and_are_not_repeated():
    with pytest.raises(ValidationError):
        d.check_step(d.APPLICANT, [d.Done(d.APPLY, D(2023, 1, 1))], d.MAKE_CANDIDATE, D(2024, 6, 1))
    with pytest.raises(ValidationError):
        d.check_step(d.APPLICANT, [d.Done(d.APPLY, D(2023, 1, 1)), d.Done(d.TALK, D(2023, 1, 5))], d.TALK,
                     D(2023, 1, 9))
    assert d.check_step(d.ACTIVIST, history_to_candidate(), d.REPORT, D(2023, 8, 1)) == d.ACTIVIST
    assert d.steps_for(d.APPLICANT)[0] == d.TALK


def candidate_ready():
    return history_to_candidate() + [
        d.Done(d.MAKE_CANDIDATE, D(2024, 6, 1)), d.Done(d.SPONSORS, D(2024, 6, 5)), d.Done(d.VETTING, D(2024, 7, 1)),
        d.Done(d.TRAINING, D(2024, 7, 10)), d.Done(d.PRE_REVIEW, D(2024, 7, 20)), d.Done(d.NOTICE, D(2024, 8, 1)),
    ]


def test_the_branch_meeting_needs_vetting_training_a_finished_notice_and_a_majority_of_voters():
    h = candidate_ready()
    with pytest.raises(ValidationError) as e:
        d.check_step(d.CANDIDATE, h[:-1], d.ADMIT, D(2024, 9, 1), votes_for=9, voters_expected=10)
    assert "公示" in str(e.value)
    with pytest.raises(ValidationError):  # 公示 not over
        d.check_step(d.CANDIDATE, h, d.ADMIT, D(2024, 8, 5), votes_for=9, voters_expected=10)
    with pytest.raises(ValidationError) as e:  # 5 of 10 is not more than half
        d.check_step(d.CANDIDATE, h, d.ADMIT, D(2024, 9, 1), votes_for=5, votes_against=1, voters_expected=10)
    assert e.value.field == "表决"
    with pytest.raises(ValidationError):  # more votes than voters
        d.check_step(d.CANDIDATE, h, d.ADMIT, D(2024, 9, 1), votes_for=9, votes_against=3, voters_expected=10)
    assert d.check_step(d.CANDIDATE, h, d.ADMIT, D(2024, 9, 1), votes_for=6, voters_expected=10) == d.CANDIDATE
    h.append(d.Done(d.ADMIT, D(2024, 9, 1)))
    assert d.check_step(d.CANDIDATE, h, d.APPROVE, D(2024, 10, 8)) == d.PROBATIONARY


def test_probation_is_one_year_from_the_branch_meeting_and_confirmation_takes_effect_that_day():
    h = candidate_ready() + [d.Done(d.ADMIT, D(2024, 9, 1)), d.Done(d.APPROVE, D(2024, 10, 8))]
    assert d.probation_end(h) == D(2025, 9, 1)
    with pytest.raises(ValidationError):
        d.check_step(d.PROBATIONARY, h, d.CONFIRM, D(2025, 6, 1), votes_for=8, voters_expected=10)
    assert d.check_step(d.PROBATIONARY, h, d.CONFIRM, D(2025, 9, 1), votes_for=8, voters_expected=10) == d.FULL


def test_confirmation_is_discussed_on_or_after_the_probation_end_and_approved_later():
    h = candidate_ready() + [d.Done(d.ADMIT, D(2024, 9, 1)), d.Done(d.APPROVE, D(2024, 10, 8))]
    with pytest.raises(ValidationError) as e:  # the day before the probation ends
        d.check_step(d.PROBATIONARY, h, d.CONFIRM, D(2025, 8, 31), votes_for=8, voters_expected=10)
    assert e.value.field == "日期" and "2025-09-01" in str(e.value)
    # the branch meets a fortnight after the end: accepted (转正 still counts from 2025-09-01)
    assert d.check_step(d.PROBATIONARY, h, d.CONFIRM, D(2025, 9, 15), votes_for=8, voters_expected=10) == d.FULL
    h.append(d.Done(d.CONFIRM, D(2025, 9, 15)))
    assert d.steps_for(d.FULL) == (d.CONFIRM_APPROVE,)
    with pytest.raises(ValidationError):  # the approval is not before the branch meeting
        d.check_step(d.FULL, h, d.CONFIRM_APPROVE, D(2025, 9, 10))
    assert d.check_step(d.FULL, h, d.CONFIRM_APPROVE, D(2025, 10, 20)) == d.FULL


def test_the_oath_follows_the_approval_and_is_reminded_within_three_months():
    h = candidate_ready() + [d.Done(d.ADMIT, D(2024, 9, 1)), d.Done(d.APPROVE, D(2024, 10, 8))]
    assert d.OATH in d.steps_for(d.PROBATIONARY) and d.OATH not in d.steps_for(d.CANDIDATE)
    oath = next(r for r in d.reminders(d.PROBATIONARY, h, D(2025, 1, 9)) if r.text.startswith(d.OATH))
    assert oath.due == D(2025, 1, 8) and oath.overdue
    assert d.check_step(d.PROBATIONARY, h, d.OATH, D(2024, 11, 1)) == d.PROBATIONARY
    h.append(d.Done(d.OATH, D(2024, 11, 1)))
    assert not [r for r in d.reminders(d.PROBATIONARY, h, D(2025, 1, 9)) if r.text.startswith(d.OATH)]


def test_the_pre_review_follows_vetting_and_training_and_only_a_pass_is_recorded():
    h = history_to_candidate() + [d.Done(d.MAKE_CANDIDATE, D(2024, 6, 1)), d.Done(d.VETTING, D(2024, 7, 1))]
    with pytest.raises(ValidationError) as e:
        d.check_step(d.CANDIDATE, h, d.PRE_REVIEW, D(2024, 7, 20), result="合格")
    assert "报上级党委预审前还需登记：集中培训" in str(e.value)
    h.append(d.Done(d.TRAINING, D(2024, 7, 10)))
    with pytest.raises(ValidationError) as e:
        d.check_step(d.CANDIDATE, h, d.PRE_REVIEW, D(2024, 7, 20))
    assert e.value.field == "预审结果"
    with pytest.raises(ValidationError) as e:
        d.check_step(d.CANDIDATE, h, d.PRE_REVIEW, D(2024, 7, 20), result="不合格")
    assert "不能提交支部大会" in str(e.value)
    assert d.check_step(d.CANDIDATE, h, d.PRE_REVIEW, D(2024, 7, 20), result="合格") == d.CANDIDATE
    # the Detailed Rules' order: 政治审查 → 集中培训 → 预审 → 公示 → 支部大会
    way = d.steps_for(d.CANDIDATE)
    assert [way.index(s) for s in (d.VETTING, d.TRAINING, d.PRE_REVIEW, d.NOTICE, d.ADMIT)] == sorted(
        way.index(s) for s in (d.VETTING, d.TRAINING, d.PRE_REVIEW, d.NOTICE, d.ADMIT))


def test_the_people_a_step_names_are_the_rules_count_of_full_members():
    assert d.check_people(d.SPONSORS, [("王建国", "正式党员"), ("李秀英", "正式党员")]) == "王建国、李秀英"
    with pytest.raises(ValidationError) as e:  # 党章 art. 5: two
        d.check_people(d.SPONSORS, [("王建国", "正式党员")])
    assert e.value.field == "入党介绍人" and "两名" in str(e.value)
    with pytest.raises(ValidationError) as e:
        d.check_people(d.SPONSORS, [("王建国", "正式党员"), ("赵新", "预备党员")])
    assert "赵新（预备党员）" in str(e.value)
    assert d.check_people(d.MAKE_ACTIVIST, [("王建国", "正式党员")]) == "王建国"
    with pytest.raises(ValidationError) as e:
        d.check_people(d.MAKE_ACTIVIST, [])
    assert e.value.field == "培养联系人" and "一至两名" in str(e.value)
    assert d.check_people(d.VETTING, []) == ""


def test_a_step_recorded_by_a_newer_program_is_kept_as_it_stands():
    # come by sync from a newer community: no stage move, not in the date order, not a refusal
    other = d.kind_or_other("新步骤")
    assert other.name == "新步骤" and other.to_stage is None and other.repeat and not other.documents
    h = history_to_candidate() + [d.Done("新步骤", D(2024, 1, 1))]
    assert d.check_step(d.ACTIVIST, h, d.REPORT, D(2023, 8, 1)) == d.ACTIVIST


def test_probation_may_be_extended_once_by_six_to_twelve_months():
    h = candidate_ready() + [d.Done(d.ADMIT, D(2024, 9, 1)), d.Done(d.APPROVE, D(2024, 10, 8))]
    with pytest.raises(ValidationError) as e:
        d.check_step(d.PROBATIONARY, h, d.EXTEND, D(2025, 9, 1), votes_for=8, voters_expected=10, months=13)
    assert e.value.field == "延长月数"
    d.check_step(d.PROBATIONARY, h, d.EXTEND, D(2025, 9, 1), votes_for=8, voters_expected=10, months=6)
    h.append(d.Done(d.EXTEND, D(2025, 9, 1), 6))
    assert d.probation_end(h) == D(2026, 3, 1)
    with pytest.raises(ValidationError):
        d.check_step(d.PROBATIONARY, h, d.EXTEND, D(2026, 3, 1), votes_for=8, voters_expected=10, months=6)
    assert d.check_step(d.PROBATIONARY, h, d.CONFIRM, D(2026, 3, 1), votes_for=8, voters_expected=10) == d.FULL
    assert d.check_step(d.PROBATIONARY, h, d.CANCEL, D(2026, 3, 1), votes_for=8, voters_expected=10) \
        == d.CANCELLED


def test_reminders_follow_the_time_rules():
    h = [d.Done(d.APPLY, D(2025, 1, 10))]
    (talk,) = d.reminders(d.APPLICANT, h, D(2025, 2, 20))
    assert talk.due == D(2025, 2, 10) and talk.overdue and "一个月内" in talk.text
    h = history_to_candidate()
    texts = {r.text.split("：")[0]: r for r in d.reminders(d.ACTIVIST, h, D(2023, 9, 1))}
    assert texts[d.REPORT].due == D(2023, 8, 10) and texts[d.REPORT].overdue
    assert texts[d.EXAMINE].due == D(2023, 11, 10) and not texts[d.EXAMINE].overdue
    assert texts[d.MAKE_CANDIDATE].due == D(2024, 5, 10)
    h = candidate_ready() + [d.Done(d.ADMIT, D(2024, 9, 1))]
    approve = next(r for r in d.reminders(d.CANDIDATE, h, D(2024, 12, 2)) if r.text.startswith(d.APPROVE))
    assert approve.due == D(2024, 12, 1) and approve.overdue
    h.append(d.Done(d.APPROVE, D(2024, 10, 8)))
    confirm = next(r for r in d.reminders(d.PROBATIONARY, h, D(2025, 8, 1)) if r.text.startswith("转正"))
    assert confirm.due == D(2025, 9, 1) and not confirm.overdue
    assert d.reminders(d.FULL, h, D(2030, 1, 1)) == []


def test_an_activist_is_chosen_only_after_the_branch_has_talked_with_the_applicant():
    # 细则 art. 7–8: the talk (step 2) comes before 确定入党积极分子 (step 3); recorded the other way
    # round, the talk could never be recorded afterwards (谈话 belongs to the 申请人 stage).
    applied = [d.Done(d.APPLY, D(2024, 3, 1))]
    with pytest.raises(ValidationError) as e:
        d.check_step(d.APPLICANT, applied, d.MAKE_ACTIVIST, D(2024, 3, 10))
    assert e.value.field == "步骤" and "谈话" in str(e.value) and "2024-03-01" in str(e.value)
    talked = applied + [d.Done(d.TALK, D(2024, 3, 5))]
    assert d.check_step(d.APPLICANT, talked, d.MAKE_ACTIVIST, D(2024, 3, 10)) == d.ACTIVIST


def test_a_branch_meeting_too_soon_names_every_step_still_missing():
    h = history_to_candidate() + [d.Done(d.MAKE_CANDIDATE, D(2024, 6, 1))]
    with pytest.raises(ValidationError) as e:
        d.check_step(d.CANDIDATE, h, d.ADMIT, D(2024, 9, 1), votes_for=9, voters_expected=10)
    assert "提交支部大会前还需登记：确定入党介绍人、政治审查、集中培训、上级党委预审、公示" in str(e.value)
