"""One mapping from the visits' 问题类别 to the 需求清单's 类别."""

from __future__ import annotations

from desktop_app.domain.service_flow import DEFAULT_LISTS, ISSUE_CATEGORY, NEED_CATEGORIES, need_category


def test_every_default_issue_category_lands_in_the_need_list():
    for category in DEFAULT_LISTS[ISSUE_CATEGORY]:
        assert need_category(category) in NEED_CATEGORIES, category


def test_the_mapping():
    assert [need_category(c) for c in ("供水", "路灯", "房屋维修", "绿化", "环境卫生", "养老服务", "物业", "其他")] == \
        ["设施", "设施", "设施", "环境", "环境", "助老", "其他", "其他"]


def test_a_need_word_stays_and_an_own_category_falls_to_other():
    assert [need_category(c) for c in ("助学", " 医疗 ", "楼道堆物", "", None)] == ["助学", "医疗", "其他", "", ""]
