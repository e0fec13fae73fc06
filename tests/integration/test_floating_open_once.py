"""A member who is out (an open 流出) cannot be registered out a second time: the page would count them
twice as 在外, and the second's 返回 would mark them 正常 while the first is still open."""

from datetime import date

import pytest

from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


@pytest.fixture
def member(db):
    b = branch(db)
    return b, members(db, b, ["张跃进"])[0]


def _out(org, mid, start, card, place, end=None):
    return rules.FloatingInput(rules.FLOW_OUT, org, start, member_id=mid, card_no=card, place=place, end_date=end)


def test_a_second_open_outing_is_refused_saying_which_one_is_open(db, member):
    org, mid = member
    ml.add_floating(db, _out(org, mid, date(2026, 9, 1), "LD1", "深圳市南山区"), today=TODAY)
    with pytest.raises(ValidationError) as e:
        ml.add_floating(db, _out(org, mid, date(2026, 10, 1), "LD2", "广州市天河区"), today=TODAY)
    assert "LD1" in str(e.value) and "2026-09-01" in str(e.value) and "返回/离开" in str(e.value)
    assert [r.card_no for r in ml.floating(db, active_only=True)] == ["LD1"]


def test_after_coming_back_and_for_past_outings_a_new_one_is_taken(db, member):
    org, mid = member
    first = ml.add_floating(db, _out(org, mid, date(2026, 3, 1), "LD1", "深圳市南山区"), today=TODAY)
    ml.end_floating(db, first.id, date(2026, 6, 30), today=TODAY)
    ml.add_floating(db, _out(org, mid, date(2025, 1, 1), "LD0", "杭州市", end=date(2025, 6, 1)), today=TODAY)
    ml.add_floating(db, _out(org, mid, date(2026, 9, 1), "LD2", "广州市天河区"), today=TODAY)
    assert [r.card_no for r in ml.floating(db, active_only=True)] == ["LD2"]
    assert roster.get(db, mid).status == "流动"
