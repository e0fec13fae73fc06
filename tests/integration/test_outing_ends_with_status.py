"""A 流出 ends when the member is back as 正常 on the roster, or leaves it (去世, 转出, 出党) from another page:
the 流动与失联 page kept counting them 在外. Withdrawing the exit opens the 流出 again."""

from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


@pytest.fixture
def out(db):
    b = branch(db)
    ids = members(db, b, ["孙新华", "付晓东"])
    for i, mid in enumerate(ids):
        ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, b, date(2026, 3, 6), member_id=mid,
                                                card_no=f"LD{i}", place="上海市浦东新区"), today=TODAY)
    return ids


def _open(db):
    return sorted(r.card_no for r in ml.floating(db, active_only=True))


def test_back_as_normal_on_the_roster_ends_the_outing_that_day(db, out):
    with pytest.raises(ValidationError) as e:
        roster.change_status(db, out[0], m.NORMAL, date(2026, 3, 1), today=TODAY)
    assert "2026-03-06" in str(e.value)
    roster.change_status(db, out[0], m.NORMAL, date(2026, 10, 8), today=TODAY)
    assert _open(db) == ["LD1"]
    [r] = [r for r in ml.floating(db) if r.card_no == "LD0"]
    assert r.end_date == date(2026, 10, 8)


def test_a_death_in_the_register_ends_it_and_withdrawing_the_death_opens_it_again(db, out):
    row = ml.record_exit(db, out[1], ml.ExitInput(m.DECEASED, date(2026, 11, 2)), today=TODAY)
    assert _open(db) == ["LD0"]
    ml.withdraw_exit(db, row.id)
    assert _open(db) == ["LD0", "LD1"]
    assert roster.get(db, out[1]).status == m.FLOATING
