"""组织关系转接 keeps its order: a member back from another community is 转入 on or after the day they were
转出, and a member already transferred in (and not out since) is not transferred in a second time."""

from datetime import date

import pytest

from desktop_app.domain import members as m
from desktop_app.domain.errors import ValidationError
from desktop_app.services import roster, transfers
from tests.party_people import branch, members

TODAY = date(2026, 12, 6)


@pytest.fixture
def mid(db):
    (one,) = members(db, branch(db), ["金雪梅"])
    return one


def test_a_transfer_back_in_dated_before_the_transfer_out_is_refused(db, mid):
    roster.transfer(db, mid, m.TRANSFER_OUT, date(2026, 10, 8), to_org="山西路社区党委", today=TODAY)
    with pytest.raises(ValidationError) as e:
        roster.transfer(db, mid, m.TRANSFER_IN, date(2026, 10, 1), from_org="山西路社区党委", today=TODAY)
    assert e.value.field == "转接日期" and "2026-10-08" in str(e.value) and "转出" in str(e.value)
    assert roster.get(db, mid).status == m.TRANSFERRED_OUT
    roster.transfer(db, mid, m.TRANSFER_IN, date(2026, 11, 20), from_org="山西路社区党委", today=TODAY)
    assert roster.get(db, mid).status == m.NORMAL


def test_a_member_transferred_in_is_not_transferred_in_again(db, mid):
    roster.transfer(db, mid, m.TRANSFER_IN, date(2026, 3, 1), from_org="湖南路社区党委", today=TODAY)
    with pytest.raises(ValidationError) as e:
        roster.transfer(db, mid, m.TRANSFER_IN, date(2026, 5, 1), from_org="湖南路社区党委", today=TODAY)
    assert "已于 2026-03-01 转入" in str(e.value) and "不能再次转入" in str(e.value)
    assert [t.direction for t in transfers.transfers(db) if t.member_id == mid] == [m.TRANSFER_IN]
