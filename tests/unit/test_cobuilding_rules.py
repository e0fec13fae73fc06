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
