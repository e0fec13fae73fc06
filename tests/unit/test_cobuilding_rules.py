"""共驻共建 rules: hours in tenths, 积分, and the checks of units, activities, reporting members and services."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import cobuilding as rules
from desktop_app.domain.errors import ValidationError

TODAY = date(2026, 6, 28)


@given(st.integers(min_value=0, max_value=rules.MAX_HOURS_TENTHS))
def test_hours_text_and_parse_round_trip(tenths):
    assert rules.parse_hours(rules.hours_text(tenths)) == tenths


@pytest.mark.parametrize("text", ["2.55", "abc", "-1", "25", "1,5"])
def test_bad_hours_are_refused_naming_the_field(text):
    with pytest.raises(ValidationError) as e:
        rules.parse_hours(text)
    assert e.value.field == "服务时长"


def test_points_a_full_hour_at_least_one():
    assert [rules.default_points(t) for t in (0, 1, 9, 10, 25, 40)] == [0, 1, 1, 1, 2, 4]


def test_offers_keep_the_list_order_and_drop_duplicates():
    assert rules.join_offers(["志愿者", "阵地", "志愿者"]) == "阵地、志愿者"
    assert rules.split_offers("阵地、志愿者") == ["阵地", "志愿者"]


def test_unit_checks():
    clean = rules.check_unit(rules.UnitInput(name="  区人民医院 ", kind="医院", offers=["资金"]), TODAY)
    assert (clean.name, clean.offers) == ("区人民医院", ["资金"])
    for bad, field in ((rules.UnitInput(name=""), "单位名称"), (rules.UnitInput(name="x", kind="火星"), "单位类别"),
                       (rules.UnitInput(name="x", joined_on=date(2026, 7, 1)), "加入日期"),
                       (rules.UnitInput(name="x", offers=["房子"]), "可提供资源")):
        with pytest.raises(ValidationError) as e:
            rules.check_unit(bad, TODAY)
        assert e.value.field == field


def _activity(**kw) -> rules.ActivityInput:
    values = dict(activity_date=date(2026, 6, 1), kind="义诊", title="义诊", unit_ids=["u1", "u1"], org_ids=[],
                  people=[rules.PersonInput("志愿者", "小王", 20)])
    values.update(kw)
    return rules.ActivityInput(**values)


def test_activity_checks():
    clean = rules.check_activity(_activity(), TODAY)
    assert clean.unit_ids == ["u1"]  # a unit named twice counts once
    for kw, field in ((dict(kind="打麻将"), "活动类型"), (dict(unit_ids=[]), "组织单位"),
                      (dict(residents_served=-1), "服务居民人次"), (dict(activity_date=date(2026, 7, 1)), "活动日期"),
                      (dict(people=[rules.PersonInput("志愿者", "小王", 1), rules.PersonInput("志愿者", "小王", 2)]),
                       "参与人员"),
                      (dict(people=[rules.PersonInput("游客", "小王", 1)]), "参与人员"),
                      (dict(people=[rules.PersonInput("志愿者", "小王", 241)]), "服务时长")):
        with pytest.raises(ValidationError) as e:
            rules.check_activity(_activity(**kw), TODAY)
        assert e.value.field == field


def test_reporting_and_service_checks():
    r = rules.check_reporting(rules.ReportingInput(name="陈医生", employer="区人民医院", reported_on=date(2026, 1, 5)),
                              TODAY)
    assert r.unit_id is None and r.org_id is None
    with pytest.raises(ValidationError) as e:
        rules.check_reporting(rules.ReportingInput(name="陈医生", employer="", reported_on=TODAY), TODAY)
    assert e.value.field == "工作单位"
    with pytest.raises(ValidationError) as e:
        rules.check_reporting(rules.ReportingInput(name="陈", employer="x", mobile="abc", reported_on=TODAY), TODAY)
    assert e.value.field == "联系电话"
    s = rules.check_service(rules.ServiceInput(date(2026, 2, 1), "义诊", 25), TODAY, date(2026, 1, 5))
    assert s.points == 2
    with pytest.raises(ValidationError) as e:
        rules.check_service(rules.ServiceInput(date(2026, 1, 1), "义诊", 25), TODAY, date(2026, 1, 5))
    assert e.value.field == "服务日期"
    with pytest.raises(ValidationError) as e:
        rules.check_service(rules.ServiceInput(date(2026, 2, 1), "义诊", 0), TODAY, None)
    assert e.value.field == "服务时长"


def test_list_items_and_the_project_states():
    with pytest.raises(ValidationError) as e:
        rules.check_list_item(rules.ListInput(rules.RESOURCE, "场地", raised_on=TODAY), TODAY)
    assert e.value.field == "提供单位"
    need = rules.check_list_item(rules.ListInput(rules.NEED, "加装扶手", raised_on=TODAY, need_id="x"), TODAY)
    assert need.need_id is None  # only a project names a need
    assert rules.check_claim(rules.PROJECT_OPEN, TODAY, date(2026, 1, 1), TODAY) == TODAY
    with pytest.raises(ValidationError):
        rules.check_claim(rules.PROJECT_CLAIMED, TODAY, date(2026, 1, 1), TODAY)
    with pytest.raises(ValidationError):
        rules.check_done(rules.PROJECT_OPEN, TODAY, None, TODAY)
    with pytest.raises(ValidationError) as e:
        rules.check_done(rules.PROJECT_CLAIMED, date(2026, 1, 1), date(2026, 2, 1), TODAY)
    assert e.value.field == "完成日期"


# ---------------------------------------------------------------- costs, 问需服务, 单位报到


def test_a_cost_needs_a_date_an_account_and_a_positive_amount_in_fen():
    ok = rules.check_cost(rules.CostInput(date(2026, 5, 1), "acc", 12_050, memo=" 药品 "), TODAY)
    assert (ok.amount_fen, ok.memo) == (12_050, "药品")
    for bad, field in ((rules.CostInput(None, "acc", 100), "凭证日期"), (rules.CostInput(TODAY, "", 100), "账户"),
                       (rules.CostInput(TODAY, "acc", 0), "金额"), (rules.CostInput(TODAY, "acc", -5), "金额"),
                       (rules.CostInput(TODAY, "acc", 1.5), "金额"), (rules.CostInput(TODAY, "acc", True), "金额"),
                       (rules.CostInput(date(2026, 7, 1), "acc", 100), "凭证日期")):
        with pytest.raises(ValidationError) as e:
            rules.check_cost(bad, TODAY)
        assert e.value.field == field
    assert rules.cost_memo("共建活动", "夏季义诊", "") == "共建活动：夏季义诊"
    assert "2026年4月已结账" in rules.closed_message(date(2026, 4, 1))


def test_an_inquiry_names_who_was_asked_and_keeps_only_the_matching_link():
    unit = rules.check_inquiry(rules.InquiryInput(TODAY, "座谈会", "单位", unit_id="u1", resident_id="r1",
                                                  asked_name="区人民医院", topic="共建需求"), TODAY)
    assert (unit.unit_id, unit.resident_id) == ("u1", None)
    person = rules.check_inquiry(rules.InquiryInput(TODAY, "电话", "居民", unit_id="u1", resident_id="r1",
                                                    asked_name="王秀英", topic="养老"), TODAY)
    assert (person.unit_id, person.resident_id) == (None, "r1")
    for bad, field in ((rules.InquiryInput(TODAY, "飞鸽传书", "居民", asked_name="x", topic="y"), "方式"),
                       (rules.InquiryInput(TODAY, "电话", "外星人", asked_name="x", topic="y"), "问需对象"),
                       (rules.InquiryInput(TODAY, "电话", "单位", asked_name="x", topic="y"), "共建单位"),
                       (rules.InquiryInput(TODAY, "电话", "居民", asked_name=" ", topic="y"), "问需对象"),
                       (rules.InquiryInput(TODAY, "电话", "居民", asked_name="x", topic=""), "问需内容"),
                       (rules.InquiryInput(TODAY, "电话", "居民", asked_name="x\x07", topic="y"), "问需对象")):
        with pytest.raises(ValidationError) as e:
            rules.check_inquiry(bad, TODAY)
        assert e.value.field == field


def test_closing_an_inquiry():
    assert rules.check_inquiry_close("待办理", "已办结", "已解决", TODAY, date(2026, 6, 1), TODAY) == (
        "已办结", "已解决", TODAY)
    assert rules.check_inquiry_close("已转需求", "无需求", "对方表示暂不需要", TODAY, date(2026, 6, 1), TODAY)[0] == "无需求"
    for state, outcome, text, on, field in (("已办结", "已办结", "x", TODAY, "状态"), ("待办理", "待办理", "x", TODAY, "结果"),
                                            ("待办理", "已办结", "", TODAY, "办理情况"),
                                            ("待办理", "已办结", "x", date(2026, 5, 1), "办结日期")):
        with pytest.raises(ValidationError) as e:
            rules.check_inquiry_close(state, outcome, text, on, date(2026, 6, 1), TODAY)
        assert e.value.field == field


def test_unit_report_items():
    on = date(2025, 3, 5)
    claim = rules.check_report_item(rules.ReportItemInput("认领", TODAY, post_id="p1"), on, TODAY)
    assert (claim.title, claim.post_id) == ("", "p1")  # the service names it after the post
    service = rules.check_report_item(rules.ReportItemInput("服务", TODAY, "义诊", people=6, hours_tenths=240), on, TODAY)
    assert (service.people, service.hours_tenths, service.post_id) == (6, 240, None)
    review = rules.check_report_item(rules.ReportItemInput("评价", TODAY, "优秀", year=2025), on, TODAY)
    assert (review.year, review.title) == (2025, "优秀")
    assert rules.check_report_item(rules.ReportItemInput("评价", TODAY, "良好"), on, TODAY).year == 2026
    for bad, field in ((rules.ReportItemInput("捐款", TODAY, "x"), "类别"),
                       (rules.ReportItemInput("认领", TODAY, ""), "认领内容"),
                       (rules.ReportItemInput("认领", date(2025, 3, 1), "x"), "日期"),
                       (rules.ReportItemInput("服务", TODAY, "义诊", people=0, hours_tenths=10), "参加人数"),
                       (rules.ReportItemInput("服务", TODAY, "义诊", people=1, hours_tenths=0), "服务时长"),
                       (rules.ReportItemInput("评价", TODAY, "满分"), "评价等次"),
                       (rules.ReportItemInput("评价", TODAY, "优秀", year=2024), "评价年度"),
                       (rules.ReportItemInput("评价", TODAY, "优秀", year=2027), "评价年度")):
        with pytest.raises(ValidationError) as e:
            rules.check_report_item(bad, on, TODAY)
        assert e.value.field == field
    assert rules.parse_total_hours("120.5") == 1205
    with pytest.raises(ValidationError):
        rules.parse_total_hours("12.55")
    with pytest.raises(ValidationError) as e:
        rules.check_unit_report(rules.UnitReportInput("u1", TODAY, phone="abc"), TODAY)
    assert e.value.field == "联系电话"
    with pytest.raises(ValidationError) as e:
        rules.check_unit_report(rules.UnitReportInput(None, TODAY), TODAY)
    assert e.value.field == "共建单位"


def test_a_missing_unit_is_refused_with_where_to_register_it():
    """A unit not yet registered is not in the list to choose from; the refusal says to register it first."""
    where = "先在“共建单位”页登记单位"
    with pytest.raises(ValidationError, match=where):
        rules.check_unit_report(rules.UnitReportInput(reported_on=TODAY), TODAY)
    with pytest.raises(ValidationError, match=where):
        rules.check_list_item(rules.ListInput(rules.RESOURCE, "会议室", raised_on=TODAY), TODAY)
    with pytest.raises(ValidationError, match=where):
        rules.check_inquiry(rules.InquiryInput(TODAY, rules.INQUIRY_CHANNELS[0], rules.ASK_UNIT, None, "区图书馆"),
                            TODAY)
