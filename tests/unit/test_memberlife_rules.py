"""A member's life after joining, against the terms of the 党章 (article 9, article 40), the 纪律处分条例
and the 中组部 rules on 失联党员."""

from datetime import date

import pytest

from desktop_app.domain import memberlife as r
from desktop_app.domain import members as m
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.membership import standing_on

TODAY = date(2026, 6, 15)


def test_six_months_in_a_row_counts_whole_months():
    assert r.months_between(date(2026, 1, 31), date(2026, 7, 30)) == 5
    assert r.months_between(date(2026, 1, 31), date(2026, 7, 31)) == 6
    assert r.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_article_9_is_either_six_months_without_life_or_without_dues():
    since = date(2010, 1, 1)
    # Attended last in December, dues paid: only the organisation life ground.
    only_life = r.lapse_on(date(2026, 6, 15), since, date(2025, 12, 10), date(2026, 5, 1))
    assert only_life.lapsed and only_life.grounds == ["连续 6 个月未参加党的组织生活"]
    # Dues last paid for November 2025: the gap starts in December, six months by June.
    only_dues = r.lapse_on(date(2026, 6, 1), since, date(2026, 5, 20), date(2025, 11, 1))
    assert only_dues.lapsed and only_dues.grounds == ["连续 6 个月未交纳党费"]
    # Five months of either is not yet a lapse.
    assert not r.lapse_on(date(2026, 6, 9), since, date(2026, 1, 10), date(2026, 1, 1)).lapsed
    # A member who joined in March cannot have six months by June.
    assert not r.lapse_on(date(2026, 6, 15), date(2026, 3, 1), None, None).lapsed


def test_lapsed_exit_needs_the_article_9_grounds_and_a_decision():
    inp = r.ExitInput(m.LAPSED, date(2026, 6, 1), "支部大会", "X党发〔2026〕3号")
    with pytest.raises(ValidationError, match="党章第九条"):
        r.check_exit(inp, TODAY, date(2000, 1, 1), m.NORMAL, r.Lapse(5, 2))
    clean = r.check_exit(inp, TODAY, date(2000, 1, 1), m.NORMAL, r.Lapse(7, 2))
    assert clean.reason == "连续 7 个月未参加党的组织生活"
    with pytest.raises(ValidationError, match="文号"):
        r.check_exit(r.ExitInput(m.LAPSED, date(2026, 6, 1), "支部大会"), TODAY, None, m.NORMAL, r.Lapse(7, 7))


def test_exits_by_kind():
    joined = date(2000, 7, 1)
    with pytest.raises(ValidationError, match="决定机关"):
        r.check_exit(r.ExitInput(m.WITHDRAWN, date(2026, 1, 5)), TODAY, joined, m.NORMAL)
    assert r.check_exit(r.ExitInput(m.WITHDRAWN, date(2026, 1, 5), "支部大会"), TODAY, joined, m.NORMAL).reason
    with pytest.raises(ValidationError, match="文号"):
        r.check_exit(r.ExitInput(m.EXPELLED, date(2026, 1, 5), "区纪委"), TODAY, joined, m.NORMAL)
    assert r.check_exit(r.ExitInput(m.DECEASED, date(2026, 1, 5)), TODAY, joined, m.NORMAL).kind == m.DECEASED
    with pytest.raises(ValidationError, match="晚于今天"):
        r.check_exit(r.ExitInput(m.DECEASED, date(2026, 7, 1)), TODAY, joined, m.NORMAL)
    with pytest.raises(ValidationError, match="加入党组织"):
        r.check_exit(r.ExitInput(m.DECEASED, date(1999, 7, 1)), TODAY, joined, m.NORMAL)
    with pytest.raises(ValidationError, match="已是"):
        r.check_exit(r.ExitInput(m.DECEASED, date(2026, 1, 5)), TODAY, joined, m.EXPELLED)
    with pytest.raises(ValidationError, match="出党方式"):
        r.check_exit(r.ExitInput("停职", date(2026, 1, 5)), TODAY, joined, m.NORMAL)


def test_those_who_left_are_off_the_roster_from_that_day():
    changes = [(date(2026, 3, 1), m.EXPELLED)]
    before = standing_on(m.FULL, date(2000, 1, 1), date(2001, 1, 1), m.EXPELLED, changes, date(2026, 2, 28))
    after = standing_on(m.FULL, date(2000, 1, 1), date(2001, 1, 1), m.EXPELLED, changes, date(2026, 3, 1))
    assert before.member and not after.member
    for status in m.EXIT_STATUSES:
        assert status in m.GONE_STATUSES and status not in m.STATUSES


def test_probation_is_one_or_two_years_and_bars_the_vote_while_it_runs():
    base = r.DisciplineInput(r.PROBATION, date(2025, 3, 1), "区纪委", "纪发〔2025〕1号")
    with pytest.raises(ValidationError, match="察看期"):
        r.check_discipline(base, TODAY, None)
    with pytest.raises(ValidationError, match="两年|2年"):
        r.check_discipline(r.DisciplineInput(**{**base.__dict__, "ends_on": date(2027, 3, 2)}), TODAY, None)
    ok = r.check_discipline(r.DisciplineInput(**{**base.__dict__, "ends_on": r.probation_end(date(2025, 3, 1), 1)}),
                            TODAY, None)
    assert ok.ends_on == date(2026, 3, 1)
    s = [r.Sanction(r.PROBATION, ok.decided_on, ok.ends_on)]
    assert not r.vote_barred(s, date(2025, 2, 28))
    assert r.vote_barred(s, date(2025, 3, 1)) and r.vote_barred(s, date(2026, 2, 28))
    assert not r.vote_barred(s, date(2026, 3, 1))
    assert not r.vote_barred([r.Sanction(r.SERIOUS_WARNING, date(2025, 3, 1), None)], date(2025, 6, 1))
    with pytest.raises(ValidationError, match="只有留党察看"):
        r.check_discipline(r.DisciplineInput(r.WARNING, date(2025, 3, 1), "支部", "1号", date(2026, 1, 1)), TODAY, None)
    with pytest.raises(ValidationError, match="开除党籍请登记出党"):
        r.check_discipline(r.DisciplineInput(m.EXPELLED, date(2025, 3, 1), "区纪委", "1号"), TODAY, None)


def test_probation_takes_the_vote_in_the_standing_of_that_day():
    s = [r.Sanction(r.PROBATION, date(2025, 3, 1), date(2026, 3, 1))]
    during = standing_on(m.FULL, date(2000, 1, 1), None, m.NORMAL, [], date(2025, 9, 1), sanctions=s)
    later = standing_on(m.FULL, date(2000, 1, 1), None, m.NORMAL, [], date(2026, 9, 1), sanctions=s)
    assert during.member and during.party_status == m.SUSPENDED
    assert later.party_status == m.NORMAL


def test_disposals_after_the_evaluation():
    base = dict(year=2025, decided_on=date(2026, 2, 1), decided_by="支部大会")
    with pytest.raises(ValidationError, match="期限"):
        r.check_disposal(r.DisposalInput(measure=r.RECTIFY, **base), TODAY)
    with pytest.raises(ValidationError, match="12 个月"):
        r.check_disposal(r.DisposalInput(measure=r.RECTIFY, deadline=date(2027, 3, 1), **base), TODAY)
    assert r.check_disposal(r.DisposalInput(measure=r.RECTIFY, deadline=date(2026, 8, 1), **base), TODAY).deadline
    with pytest.raises(ValidationError, match="文号"):
        r.check_disposal(r.DisposalInput(measure=r.DISPOSAL_REMOVE, **base), TODAY)
    with pytest.raises(ValidationError, match="已登记"):
        r.check_disposal(r.DisposalInput(measure=r.PERSUADE, **base), TODAY, [r.PERSUADE])
    with pytest.raises(ValidationError, match="评议年度"):
        r.check_disposal(r.DisposalInput(measure=r.PERSUADE, **{**base, "decided_on": date(2024, 12, 1)}), TODAY)


def test_branch_of_a_day_from_the_dated_moves():
    moves = [r.Move(date(2026, 6, 1), "A", "B"), r.Move(date(2024, 1, 1), "X", "A")]
    assert r.org_on("B", moves, date(2023, 12, 31)) == "X"
    assert r.org_on("B", moves, date(2025, 6, 1)) == "A"
    assert r.org_on("B", moves, date(2026, 6, 1)) == "B"
    assert r.org_on("B", [], date(2000, 1, 1)) == "B"
    with pytest.raises(ValidationError, match="不能早于上一次"):
        r.check_move("B", "C", date(2026, 5, 1), TODAY, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="已在"):
        r.check_move("B", "B", date(2026, 6, 10), TODAY, None)


def test_floating_registers():
    out = r.FloatingInput(r.FLOW_OUT, "b1", date(2026, 3, 1), member_id="m1", place="广东省深圳市", card_no="LD001")
    assert r.check_floating(out, TODAY).place == "广东省深圳市"
    with pytest.raises(ValidationError, match="从名册中选择"):
        r.check_floating(r.FloatingInput(r.FLOW_OUT, "b1", date(2026, 3, 1), place="深圳"), TODAY)
    with pytest.raises(ValidationError, match="姓名"):
        r.check_floating(r.FloatingInput(r.FLOW_IN, "b1", date(2026, 3, 1), place="安徽"), TODAY)
    with pytest.raises(ValidationError, match="来自"):
        r.check_floating(r.FloatingInput(r.FLOW_IN, "b1", date(2026, 3, 1), name="王五"), TODAY)
    with pytest.raises(ValidationError, match="不能早于"):
        r.check_floating(r.FloatingInput(r.FLOW_IN, "b1", date(2026, 3, 1), name="王五", place="安徽",
                                         end_date=date(2026, 2, 1)), TODAY)


def test_lost_member_decisions_wait_as_the_rules_say():
    lost = date(2025, 12, 20)
    with pytest.raises(ValidationError, match="满6个月"):
        r.check_lost_decision(r.SUSPEND, TODAY, TODAY, m.LOST, lost, None, 3)
    with pytest.raises(ValidationError, match="查找记录"):
        r.check_lost_decision(r.SUSPEND, TODAY, TODAY, m.LOST, date(2025, 12, 1), None, 0)
    assert r.check_lost_decision(r.SUSPEND, TODAY, TODAY, m.LOST, date(2025, 12, 1), None, 2) == TODAY
    with pytest.raises(ValidationError, match="满2年"):
        r.check_lost_decision(r.REMOVE_AS_LAPSED, TODAY, TODAY, m.SUSPENDED, lost, date(2024, 7, 1), 2)
    assert r.check_lost_decision(r.REMOVE_AS_LAPSED, TODAY, TODAY, m.SUSPENDED, lost, date(2024, 6, 15), 2)
    with pytest.raises(ValidationError, match="只能对失联党员"):
        r.check_lost_decision(r.FOUND, TODAY, TODAY, m.NORMAL, None, None, 0)


def test_topic_votes():
    assert r.check_topic(" 评选优秀党员 ", (None, None, None), 5) == "评选优秀党员"
    with pytest.raises(ValidationError, match="一并"):
        r.check_topic("议题", (3, None, None), 5)
    with pytest.raises(ValidationError, match="超过"):
        r.check_topic("议题", (4, 1, 1), 5)
    assert r.topic_passed(4, 1, 0, 7) is True
    assert r.topic_passed(3, 1, 0, 7) is False  # 3 of 7 expected is not more than half
    assert r.topic_passed(None, None, None, 7) is None


def test_months_before_records_were_kept_are_not_held_against_a_member():
    since = date(1990, 7, 1)
    # Dues kept since January 2026, none paid by this member: five months by June, not 431.
    lapse = r.lapse_on(date(2026, 6, 15), since, None, None, life_from=None, dues_from=date(2026, 1, 1))
    assert (lapse.months_without_life, lapse.months_without_dues) == (None, 5) and not lapse.lapsed
    assert r.lapse_on(date(2026, 7, 1), since, None, None, None, date(2026, 1, 1)).lapsed


@pytest.mark.parametrize("call, field, words", [
    (lambda: r.check_discipline(r.DisciplineInput("开除党籍", TODAY, "支部大会", "1号"), TODAY, None),
     "处分种类", "应为 警告、严重警告、撤销党内职务、留党察看 之一（开除党籍请登记出党）"),
    (lambda: r.check_disposal(r.DisposalInput(TODAY.year, "批评", TODAY, "支部大会"), TODAY),
     "处置方式", "应为 限期改正、劝退、除名 之一"),
    (lambda: r.check_lost_decision("等待", TODAY, TODAY, m.LOST, date(2025, 1, 1), None, 3),
     "处理决定", f"应为 {'、'.join(r.LOST_DECISIONS)} 之一"),
])
def test_a_kind_not_on_the_list_is_refused_naming_the_list(call, field, words):
    with pytest.raises(ValidationError) as e:
        call()
    assert e.value.field == field and words in str(e.value)
