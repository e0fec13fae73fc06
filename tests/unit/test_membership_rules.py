"""A member's standing on a day, against the 党章's dates: one year's probation, 转正 on its last day."""

from datetime import date

import pytest

from desktop_app.domain import membership as ms
from desktop_app.domain.errors import ValidationError

D = date


def test_probationer_becomes_full_on_the_day_probation_ends():
    # 党章 art. 7: probation of one year; admitted 2024-07-01, 转正 takes effect 2025-07-01.
    joined, confirmed = D(2024, 7, 1), D(2025, 7, 1)
    assert ms.category_on("正式党员", joined, confirmed, D(2024, 6, 30)) is None
    assert ms.category_on("正式党员", joined, confirmed, D(2024, 7, 1)) == "预备党员"
    assert ms.category_on("正式党员", joined, confirmed, D(2025, 6, 30)) == "预备党员"
    assert ms.category_on("正式党员", joined, confirmed, D(2025, 7, 1)) == "正式党员"


def test_full_member_without_confirmation_date_is_full_a_year_after_joining():
    assert ms.category_on("正式党员", D(2020, 2, 29), None, D(2021, 2, 27)) == "预备党员"
    assert ms.category_on("正式党员", D(2020, 2, 29), None, D(2021, 3, 1)) == "正式党员"
    assert ms.category_on("正式党员", None, None, D(1990, 1, 1)) == "正式党员"


def test_probationer_today_was_probationer_on_every_earlier_day():
    assert ms.category_on("预备党员", D(2025, 3, 1), None, D(2025, 12, 31)) == "预备党员"
    # 延长预备期 (at most a year) keeps them 预备 past the first anniversary
    assert ms.category_on("预备党员", D(2024, 3, 1), None, D(2025, 9, 1)) == "预备党员"


def test_status_on_reads_the_latest_change_on_or_before_the_day():
    changes = [(D(2025, 5, 1), "流动"), (D(2024, 1, 10), "失联"), (D(2026, 1, 3), "去世")]
    assert ms.status_on("去世", changes, D(2023, 12, 31)) == "正常"
    assert ms.status_on("去世", changes, D(2024, 1, 10)) == "失联"
    assert ms.status_on("去世", changes, D(2025, 12, 31)) == "流动"
    assert ms.status_on("去世", changes, D(2026, 1, 3)) == "去世"
    assert ms.status_on("停止党籍", [], D(2000, 1, 1)) == "停止党籍"


def test_standing_counts_only_members_on_the_roster_that_day():
    s = ms.standing_on("正式党员", D(2010, 1, 1), D(2011, 1, 1), "去世", [(D(2026, 2, 1), "去世")], D(2025, 12, 31))
    assert s.member and s.category == "正式党员" and s.party_status == "正常"
    assert not ms.standing_on("正式党员", D(2010, 1, 1), None, "去世", [(D(2026, 2, 1), "去世")],
                              D(2026, 2, 1)).member
    suspended = ms.standing_on("正式党员", D(2010, 1, 1), None, "停止党籍", [(D(2025, 1, 1), "停止党籍")],
                               D(2025, 6, 1))
    assert suspended.member and suspended.party_status == "停止党籍"
    # transferred in later: not here before the 转入
    assert not ms.standing_on("正式党员", D(2000, 1, 1), None, "正常", [], D(2024, 1, 1),
                              arrived=D(2024, 6, 1)).member


def test_exemption_is_dated_and_needs_a_reason():
    e = ms.check_exemption(D(2025, 3, 1), D(2025, 8, 31), " 长期外出 ")
    assert e.reason == "长期外出"
    assert ms.exemption_on([e], D(2025, 2, 28)) == ""
    assert ms.exemption_on([e], D(2025, 3, 1)) == "长期外出"
    assert ms.exemption_on([e], D(2025, 8, 31)) == "长期外出"
    assert ms.exemption_on([e], D(2025, 9, 1)) == ""
    later = ms.check_exemption(D(2025, 6, 1), None, "病重")
    assert ms.exemption_on([e, later], D(2025, 7, 1)) == "病重"
    assert ms.exemption_on([later], D(2030, 1, 1)) == "病重"
    with pytest.raises(ValidationError) as err:
        ms.check_exemption(D(2025, 3, 1), None, " ")
    assert err.value.field == "原因"
    with pytest.raises(ValidationError) as err:
        ms.check_exemption(D(2025, 3, 1), D(2025, 2, 1), "病重")
    assert err.value.field == "结束日期"


def test_lost_members_are_excused_as_such_unless_a_reason_is_stated():
    assert ms.excused_reason("失联", [], D(2025, 1, 1)) == "失联"
    assert ms.excused_reason("正常", [], D(2025, 1, 1)) == ""
    e = ms.Exemption(D(2024, 1, 1), None, "病重")
    assert ms.excused_reason("失联", [e], D(2025, 1, 1)) == "病重"
