"""组织关系转接 of a member who left the party or died is refused (it turned a 除名 into a 转出), and a
转出 ends an open 流出 (the 流动与失联 page kept counting the member 在外)."""

from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.domain import memberlife as rules
from desktop_app.domain.errors import ValidationError
from desktop_app.services import memberlife as ml, roster
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


@pytest.fixture
def ids(db):
    b = branch(db)
    out = members(db, b, ["金雪梅", "孙新华"])
    ml.add_floating(db, rules.FloatingInput(rules.FLOW_OUT, b, date(2026, 3, 6), member_id=out[1],
                                            card_no="LD1", place="上海市浦东新区"), today=TODAY)
    return out


def test_an_expelled_member_cannot_be_transferred_out(db, ids):
    ml.record_exit(db, ids[0], ml.ExitInput(m.EXPELLED, date(2026, 4, 13), "区纪委", "区纪〔2026〕5号"), today=TODAY)
    with pytest.raises(ValidationError) as e:
        roster.transfer(db, ids[0], m.TRANSFER_OUT, date(2026, 11, 1), to_org="某区委", today=TODAY)
    assert "金雪梅已开除党籍" in str(e.value)
    assert roster.get(db, ids[0]).status == m.EXPELLED


def test_a_transfer_out_ends_the_open_outing(db, ids):
    roster.transfer(db, ids[1], m.TRANSFER_OUT, date(2026, 11, 1), to_org="上海市浦东新区某党委", today=TODAY)
    assert ml.floating(db, active_only=True) == []
    assert [r.end_date for r in ml.floating(db)] == [date(2026, 11, 1)]
